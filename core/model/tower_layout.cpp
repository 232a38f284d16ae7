#include "model/tower_layout.hpp"

namespace towerlab {

TowerLayout TowerLayout::of(const ModelConfig& config) {
    TowerLayout l;
    for (const FeatureDescriptor& f : kFeatureTable) {
        int& offset = l.offsets[static_cast<std::size_t>(f.id)];
        int& total = f.tower == Tower::Query ? l.queryWidth : l.candidateWidth;
        if (config.features.has(f.id)) {
            offset = total;
            total += f.kind == FeatureKind::Scalar ? 1 : config.embeddingDim;
        } else {
            offset = -1;
        }
    }
    return l;
}

} // namespace towerlab
