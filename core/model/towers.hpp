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
// Writes one input row per movie index (layout.candidateWidth wide) into out. The title text
// (and genre) part is the mean of the movie's token (genre) embeddings; zero when it has none.
void gatherCandidateInputs(const TowerLayout& layout, const TwoTowerWeights& weights,
                           const EncodedCatalogue& catalogue, std::span<const std::int32_t> movies,
                           RowMatrix& out);

// Sparse gradients of every embedding table, sized for the model's tables.
struct EmbeddingGradients {
    SparseRowGradient age, occupation, gender, userId, timestamp;
    SparseRowGradient titleId, titleToken, genre;

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
