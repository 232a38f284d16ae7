#pragma once
// Each movie's candidate-vector length against its training popularity: the mechanism behind
// popularity bias. With dot-product scores a longer vector scores higher for every query
// pointing its way, and in-batch softmax without a sampling correction (logQ) pushes popular
// movies' vectors out; the Train tab's diagnostic chart draws these points.

#include "model/trained_model.hpp"

#include <cstdint>
#include <vector>

namespace towerlab {

struct VectorLengths {
    std::vector<double> length;        // per catalogue movie: L2 norm of its candidate vector
    std::vector<std::int32_t> ratings; // per catalogue movie: training-split ratings
    // Pearson correlation of length with log(1 + ratings) over the catalogue; NaN when either
    // is constant (or fewer than two movies).
    double logPopularityCorrelation = 0.0;
};

// Of a trained model's catalogue (its candidate-tower output).
VectorLengths candidateVectorLengths(const TrainedModel& model);

} // namespace towerlab
