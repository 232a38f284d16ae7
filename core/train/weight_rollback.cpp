#include "train/weight_rollback.hpp"

#include "features/feature_table.hpp"

#include <algorithm>

namespace towerlab {

void WeightRollback::begin() {
    for (Table& t : m_tables) {
        t.kept = false;
    }
    for (Dense& d : m_dense) {
        d.kept = false;
    }
}

void WeightRollback::keep(Tower tower, const TwoTowerWeights& weights,
                          const EmbeddingGradients& grads) {
    const bool query = tower == Tower::Query;
    Dense& dense = m_dense[query ? 0 : 1];
    dense.layers = query ? weights.queryLayers : weights.candidateLayers; // reuses storage
    dense.kept = true;
    for (const FeatureDescriptor& f : kFeatureTable) {
        const RowMatrix& table = weights.embedding(f.id);
        if (f.tower != tower || table.size() == 0) {
            continue;
        }
        Table& t = m_tables[static_cast<std::size_t>(f.id)];
        t.kept = true;
        t.whole = m_wholeTables;
        const auto dim = static_cast<std::size_t>(table.cols());
        if (m_wholeTables) {
            t.values.assign(table.data(), table.data() + table.size());
            continue;
        }
        const std::vector<std::int32_t>& touched = grads.of(f.id).touched();
        t.rows.assign(touched.begin(), touched.end());
        t.values.resize(t.rows.size() * dim);
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            const float* row = table.row(t.rows[i]).data();
            std::copy(row, row + dim, t.values.data() + i * dim);
        }
    }
}

void WeightRollback::restore(TwoTowerWeights& weights) const {
    for (std::size_t side = 0; side < m_dense.size(); ++side) {
        if (m_dense[side].kept) {
            (side == 0 ? weights.queryLayers : weights.candidateLayers) = m_dense[side].layers;
        }
    }
    for (const FeatureDescriptor& f : kFeatureTable) {
        const Table& t = m_tables[static_cast<std::size_t>(f.id)];
        if (!t.kept) {
            continue;
        }
        RowMatrix& table = weights.embedding(f.id);
        if (t.whole) {
            std::copy(t.values.begin(), t.values.end(), table.data());
            continue;
        }
        const auto dim = static_cast<std::size_t>(table.cols());
        for (std::size_t i = 0; i < t.rows.size(); ++i) {
            const float* saved = t.values.data() + i * dim;
            std::copy(saved, saved + dim, table.row(t.rows[i]).data());
        }
    }
}

} // namespace towerlab
