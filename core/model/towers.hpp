#pragma once
// The two towers on batches: gather embedding rows into input rows, run the dense stacks,
// and scatter input gradients back into sparse embedding gradients.

#include "features/feature_space.hpp"
#include "model/model_config.hpp"
#include "model/tower_layout.hpp"
#include "model/two_tower_weights.hpp"
#include "nn/sparse_row_gradient.hpp"

#include <span>

namespace towerlab {

// Writes one input row per query (layout.queryWidth wide) into out.
void gatherQueryInputs(const TowerLayout& layout, const TwoTowerWeights& weights,
                       std::span<const EncodedQuery> queries, RowMatrix& out);
// Writes one input row per movie index (layout.candidateWidth wide) into out. A mean feature's
// part (title words, genres) is the mean of the movie's rows of its table; zero when it has none.
void gatherCandidateInputs(const TowerLayout& layout, const TwoTowerWeights& weights,
                           const EncodedCatalogue& catalogue, std::span<const std::int32_t> movies,
                           RowMatrix& out);

// Sparse gradients of every embedding table, indexed by FeatureId and sized for the model's
// tables (empty for a table the model does not have).
struct EmbeddingGradients {
    std::array<SparseRowGradient, kFeatureCount> tables;

    SparseRowGradient& of(FeatureId f) { return tables[static_cast<std::size_t>(f)]; }
    const SparseRowGradient& of(FeatureId f) const { return tables[static_cast<std::size_t>(f)]; }
    static EmbeddingGradients forWeights(const TwoTowerWeights& weights);
    void clear();
};

// dInput is the gradient w.r.t. the inputs gathered by gatherQueryInputs for the same queries.
void scatterQueryGradients(const TowerLayout& layout, std::span<const EncodedQuery> queries,
                           const RowMatrix& dInput, EmbeddingGradients& grads);
void scatterCandidateGradients(const TowerLayout& layout, const EncodedCatalogue& catalogue,
                               std::span<const std::int32_t> movies, const RowMatrix& dInput,
                               EmbeddingGradients& grads);

// Forward only, for queries and evaluation: embeddings of the given queries / movies
// (rows x config.outputDim()). Works in chunks so memory stays small for any count.
RowMatrix embedQueries(const ModelConfig& config, const TwoTowerWeights& weights,
                       std::span<const EncodedQuery> queries);
RowMatrix embedCandidates(const ModelConfig& config, const TwoTowerWeights& weights,
                          const EncodedCatalogue& catalogue, std::span<const std::int32_t> movies);

} // namespace towerlab
