#include "retrieval/score_explanation.hpp"

#include "model/towers.hpp"
#include "retrieval/retrieval.hpp"

#include <span>
#include <stdexcept>

namespace towerlab {

namespace {

// Scored exactly as recommend() scores (one query through the tower, then the whole
// catalogue product), so the explained score is bit-identical to the listed one.
float scoreOf(const TrainedModel& model, const EncodedQuery& encoded, std::int32_t movie) {
    const RowMatrix q = embedQueries(model.config, model.weights, std::span(&encoded, 1));
    return scoreAll(model, q.row(0))[movie];
}

} // namespace

std::string queryFeatureName(QueryFeature feature) {
    switch (feature) {
    case QueryFeature::Age:
        return "age";
    case QueryFeature::Occupation:
        return "occupation";
    case QueryFeature::Gender:
        return "gender";
    case QueryFeature::TimestampBucket:
        return "timestamp_bucket";
    case QueryFeature::TimestampNorm:
        return "timestamp_norm";
    case QueryFeature::UserId:
        return "user_id";
    }
    return "unknown";
}

std::vector<QueryFeature> queryFeaturesOf(const FeatureSet& features) {
    std::vector<QueryFeature> out;
    const std::pair<bool, QueryFeature> all[] = {
        {features.age, QueryFeature::Age},
        {features.occupation, QueryFeature::Occupation},
        {features.gender, QueryFeature::Gender},
        {features.timestampBucket, QueryFeature::TimestampBucket},
        {features.timestampNorm, QueryFeature::TimestampNorm},
        {features.userId, QueryFeature::UserId},
    };
    for (const auto& [on, feature] : all) {
        if (on) {
            out.push_back(feature);
        }
    }
    return out;
}

EncodedQuery withNeutralFeature(EncodedQuery query, QueryFeature feature) {
    switch (feature) {
    case QueryFeature::Age:
        query.age = 0;
        break;
    case QueryFeature::Occupation:
        query.occupation = 0;
        break;
    case QueryFeature::Gender:
        query.gender = 0;
        break;
    case QueryFeature::TimestampBucket:
        query.timestampBucket = 0;
        break;
    case QueryFeature::TimestampNorm:
        query.timestampNorm = 0.0f;
        break;
    case QueryFeature::UserId:
        query.userId = 0;
        break;
    }
    return query;
}

ScoreExplanation explainScore(const TrainedModel& model, const UserQuery& query,
                              std::int32_t movie) {
    if (movie < 0 || static_cast<std::size_t>(movie) >= model.catalogue.size()) {
        throw std::out_of_range("movie index " + std::to_string(movie) +
                                " is outside the catalogue of " +
                                std::to_string(model.catalogue.size()) + " movies");
    }
    const EncodedQuery encoded = model.features.encode(query);
    ScoreExplanation out;
    out.movie = movie;
    out.score = scoreOf(model, encoded, movie);
    for (const QueryFeature feature : queryFeaturesOf(model.config.features)) {
        FeatureContribution c;
        c.feature = feature;
        c.neutralScore = scoreOf(model, withNeutralFeature(encoded, feature), movie);
        c.contribution = out.score - c.neutralScore;
        out.features.push_back(c);
    }
    return out;
}

} // namespace towerlab
