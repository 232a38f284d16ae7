#pragma once
// The weights as they were before the last optimizer step, so that a step after which the
// loss stops being finite can be undone (Trainer's "the weights of the last finite batch").
// A full copy of every table before each step costs at 25M-sized data (162k users, 62k
// movies: about 30 MB a batch) as much as the step itself, so when the optimizer changes only
// the rows a batch has gradients for (Adagrad, SGD) only those rows and the dense layers are
// kept; for an optimizer that moves every row (Adam, as Keras) whole tables are kept.
//
// Thread-safety: begin() and restore() on the driving thread; keep() for the two towers may
// run on two threads at once (each writes only its own tower's part).

#include "model/towers.hpp"
#include "model/two_tower_weights.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace towerlab {

class WeightRollback {
public:
    // wholeTables: keep every row of each table (for an optimizer that moves rows without a
    // gradient), else only the rows with a gradient.
    explicit WeightRollback(bool wholeTables = true) : m_wholeTables(wholeTables) {}

    // A new save point for the coming step; what was kept for the previous one is dropped.
    void begin();
    // Keeps what the coming update of one tower can change: its dense layers and its tables'
    // rows that `grads` has gradients for (or whole tables). Call after the tower's gradients
    // are scattered and before any of them is applied.
    void keep(Tower tower, const TwoTowerWeights& weights, const EmbeddingGradients& grads);
    // Puts back what was kept since begin(): when only that step's update changed the
    // weights since, they are then exactly those before it. Nothing kept: nothing changes.
    void restore(TwoTowerWeights& weights) const;

private:
    struct Table {
        bool kept = false;
        bool whole = false;
        std::vector<std::int32_t> rows;
        std::vector<float> values; // rows.size() x dim, or the whole table
    };
    struct Dense {
        bool kept = false;
        std::vector<DenseWeights> layers;
    };
    bool m_wholeTables;
    std::array<Table, kFeatureCount> m_tables;
    std::array<Dense, 2> m_dense; // query, candidate
};

} // namespace towerlab
