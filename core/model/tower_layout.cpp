#include "model/tower_layout.hpp"

namespace towerlab {

TowerLayout TowerLayout::of(const ModelConfig& config) {
    const FeatureSet& f = config.features;
    const int d = config.embeddingDim;
    TowerLayout l;
    auto place = [](bool on, int width, int& offset, int& total) {
        if (on) {
            offset = total;
            total += width;
        }
    };
    place(f.age, d, l.age, l.queryWidth);
    place(f.occupation, d, l.occupation, l.queryWidth);
    place(f.gender, d, l.gender, l.queryWidth);
    place(f.timestampBucket, d, l.timestampBucket, l.queryWidth);
    place(f.timestampNorm, 1, l.timestampNorm, l.queryWidth);
    place(f.userId, d, l.userId, l.queryWidth);
    place(f.titleId, d, l.titleId, l.candidateWidth);
    place(f.titleText, d, l.titleText, l.candidateWidth);
    place(f.genres, d, l.genres, l.candidateWidth);
    return l;
}

} // namespace towerlab
