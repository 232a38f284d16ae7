#pragma once
// Why a movie scores what it does for a query: each user feature the model uses is replaced,
// one at a time, with a neutral value and the score is computed again; the drop is that
// feature's contribution. The towers are non-linear, so the contributions need not add up to
// the score: they answer "what if the model did not know this feature", one feature at a time.

#include "features/feature_space.hpp"
#include "model/trained_model.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace towerlab {

// `query` with one query feature neutral: index 0 for an embedding feature (for lookups the
// out-of-vocabulary row; for the timestamp bucket, bucket 0 lies before the first boundary, the
// earliest timestamp of the data, so no training example used it either); 0 for a scalar (the
// normalized timestamp's 0 is the mean timestamp of the data).
EncodedQuery withNeutralFeature(EncodedQuery query, FeatureId feature);

struct FeatureContribution {
    FeatureId feature = FeatureId::Age;
    float neutralScore = 0.0f; // the score with this feature neutral, the others as given
    float contribution = 0.0f; // score - neutralScore: what the feature's actual value adds
};

struct ScoreExplanation {
    std::int32_t movie = 0;
    float score = 0.0f; // the same number scoreAll / recommend give for this query and movie
    std::vector<FeatureContribution> features; // the model's user features, in tower order
};

// Throws std::out_of_range for a movie outside the catalogue.
ScoreExplanation explainScore(const TrainedModel& model, const UserQuery& query,
                              std::int32_t movie);

} // namespace towerlab
