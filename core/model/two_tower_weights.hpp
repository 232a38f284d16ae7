#pragma once
// Every trainable tensor of the two-tower model. Tensors of features the config turns off
// are empty (0 x 0).

#include "nn/dense_stack.hpp"
#include "nn/tensor.hpp"

#include <cstdint>

#include <string>
#include <vector>

namespace towerlab {

class FeatureSpace;
struct ModelConfig;

struct TwoTowerWeights {
    // Query (user) tower embeddings.
    RowMatrix ageEmbedding;
    RowMatrix occupationEmbedding;
    RowMatrix genderEmbedding;
    RowMatrix userIdEmbedding;
    RowMatrix timestampEmbedding;
    // Candidate (movie) tower embeddings.
    RowMatrix titleIdEmbedding;
    RowMatrix titleTokenEmbedding; // row 0 (padding) is never read or trained
    RowMatrix genreEmbedding;      // row 0 unused
    std::vector<DenseWeights> queryLayers;
    std::vector<DenseWeights> candidateLayers;

    struct NamedTensor {
        std::string name;
        RowMatrix* matrix = nullptr; // exactly one of matrix / vector is set
        RowVector* vector = nullptr;
    };
    // Every tensor with a stable name ("query/age_embedding", "query/dense_0/kernel", ...),
    // in a fixed order; used by model files and optimizers.
    std::vector<NamedTensor> tensors();
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
