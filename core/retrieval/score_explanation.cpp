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

EncodedQuery withNeutralFeature(EncodedQuery query, FeatureId feature) {
    if (describe(feature).kind == FeatureKind::Scalar) {
        query.setValue(feature, 0.0f);
    } else {
        query.setId(feature, 0);
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
    for (const FeatureId feature : model.config.features.enabled(Tower::Query)) {
        FeatureContribution c;
        c.feature = feature;
        c.neutralScore = scoreOf(model, withNeutralFeature(encoded, feature), movie);
        c.contribution = out.score - c.neutralScore;
        out.features.push_back(c);
    }
    return out;
}

} // namespace towerlab
