#pragma once
// Where one score comes from, with the actual numbers: each tower's path from its inputs
// (each feature's embedding row or scalar) through every dense layer to its output vector,
// and the score as the sum of the two vectors' per-dimension products. What "A score, worked
// out" shows; the numbers are the ones the model ranks with.

#include "features/user_query.hpp"
#include "model/trained_model.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace towerlab {

// One feature's part of a tower's input row.
struct TowerInputPart {
    FeatureId feature;
    std::string label;          // the feature table's label ("Age group")
    std::string value;          // the value as people read it ("25-34", "Toy Story (1995)")
    std::vector<float> numbers; // its embedding row (or mean of rows), or the one scalar
};

struct TowerPath {
    std::vector<TowerInputPart> inputs;     // in input-row order
    std::vector<std::vector<float>> layers; // each dense layer's output (ReLU'd but the last)
    bool normalized = false;                // the last layer's output was L2-normalised
    std::vector<float> output;              // the tower's vector
};

struct ScoreDerivation {
    std::int32_t movie = 0;
    TowerPath query;
    TowerPath candidate;
    std::vector<float> products; // query.output[i] * candidate.output[i]
    double score = 0.0;          // their sum, in double
};

// Throws std::out_of_range for a movie outside the model's catalogue. Needs a finalize()d
// model (as queries do).
ScoreDerivation deriveScore(const TrainedModel& model, const UserQuery& query, std::int32_t movie);

} // namespace towerlab
