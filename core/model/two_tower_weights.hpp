#pragma once
// Every trainable tensor of the two-tower model. Tensors of features the config turns off
// are empty (0 x 0).

#include "features/feature_table.hpp"
#include "nn/dense_stack.hpp"
#include "nn/tensor.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace towerlab {

class FeatureSpace;
struct ModelConfig;

struct TwoTowerWeights {
    // The embedding table of each feature of the feature table, indexed by FeatureId; empty
    // (0 x 0) for a feature the config turns off and for a scalar feature. Row 0 of a mean
    // feature's table (the padding token, genre id 0) is never read or trained.
    std::array<RowMatrix, kFeatureCount> embeddings;
    std::vector<DenseWeights> queryLayers;
    std::vector<DenseWeights> candidateLayers;

    RowMatrix& embedding(FeatureId f) { return embeddings[static_cast<std::size_t>(f)]; }
    const RowMatrix& embedding(FeatureId f) const {
        return embeddings[static_cast<std::size_t>(f)];
    }

    template <typename Matrix, typename Vector> struct BasicNamedTensor {
        std::string name;
        Matrix* matrix = nullptr; // exactly one of matrix / vector is set
        Vector* vector = nullptr;
    };
    using NamedTensor = BasicNamedTensor<RowMatrix, RowVector>;
    using ConstNamedTensor = BasicNamedTensor<const RowMatrix, const RowVector>;
    // Every tensor with a stable name ("query/age_embedding", "query/dense_0/kernel", ...),
    // in a fixed order: the query tower's embedding tables in table order, the candidate
    // tower's, then each tower's dense layers. Used by model files and optimizers.
    std::vector<NamedTensor> tensors();
    std::vector<ConstNamedTensor> tensors() const;
    std::size_t parameterCount() const;

    // Tensors of the shapes the config and the fitted features imply, all zero. Model files
    // check loaded shapes against these.
    static TwoTowerWeights shaped(const ModelConfig& config, const FeatureSpace& features);
    // Keras initializers, deterministic for the seed: embeddings uniform(-0.05, 0.05),
    // kernels Glorot-uniform, biases zero.
    static TwoTowerWeights initialized(const ModelConfig& config, const FeatureSpace& features,
                                       std::uint64_t seed);
};

} // namespace towerlab
