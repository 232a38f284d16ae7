#include "train/model_evaluation.hpp"

#include "data/split.hpp"
#include "model/towers.hpp"
#include "train/ranking_evaluator.hpp"

#include <algorithm>
#include <map>

namespace towerlab {

RankingMetrics evaluateQueries(const TrainedModel& model, std::span<const EncodedQuery> queries,
                               std::span<const std::int32_t> positives,
                               std::span<const std::int32_t> users, int threads) {
    const RowMatrix q = embedQueries(model.config, model.weights, queries);
    return metricsFromRanks(rankPositives(q, model.candidateEmbeddings, positives, threads), users);
}

RankingMetrics evaluatePopularity(std::span<const std::int32_t> titleIds,
                                  std::span<const std::int32_t> popularity,
                                  std::span<const std::int32_t> positives,
                                  std::span<const std::int32_t> users) {
    const std::int32_t maxTitle =
        titleIds.empty() ? 0 : *std::max_element(titleIds.begin(), titleIds.end());
    std::vector<double> byTitle(static_cast<std::size_t>(maxTitle) + 1, 0.0);
    for (std::size_t m = 0; m < titleIds.size(); ++m) {
        byTitle[static_cast<std::size_t>(titleIds[m])] += popularity[m];
    }
    std::vector<double> score(titleIds.size());
    for (std::size_t m = 0; m < titleIds.size(); ++m) {
        score[m] = byTitle[static_cast<std::size_t>(titleIds[m])];
    }
    return metricsFromRanks(rankByFixedScore(score, positives), users);
}

Evaluation evaluateModel(const TrainedModel& model, const Dataset& dataset, int threads) {
    Evaluation result;
    result.sameDataset = dataset.fingerprint() == model.datasetFingerprint;
    // Dataset movie index -> catalogue index, by title (first of duplicates, as findTitle).
    std::map<std::string, std::int32_t, std::less<>> byTitle;
    for (std::size_t i = 0; i < model.catalogue.size(); ++i) {
        byTitle.emplace(model.catalogue.titles[i], static_cast<std::int32_t>(i));
    }
    std::vector<std::int32_t> toCatalogue(dataset.movies.size(), -1);
    for (std::size_t m = 0; m < dataset.movies.size(); ++m) {
        if (result.sameDataset) {
            toCatalogue[m] = static_cast<std::int32_t>(m);
        } else if (auto it = byTitle.find(dataset.movies[m].title); it != byTitle.end()) {
            toCatalogue[m] = it->second;
        }
    }
    const TrainTestSplit split =
        splitRatings(dataset.ratings.size(), model.training.seed, model.training.trainFraction);
    std::vector<std::int32_t> popularity(model.catalogue.size(), 0);
    for (const auto e : split.train) {
        const auto c = toCatalogue[static_cast<std::size_t>(
            dataset.ratings[static_cast<std::size_t>(e)].movie)];
        if (c >= 0) {
            ++popularity[static_cast<std::size_t>(c)];
        }
    }
    std::vector<EncodedQuery> queries;
    std::vector<std::int32_t> positives, users;
    for (const auto e : split.test) {
        const Rating& r = dataset.ratings[static_cast<std::size_t>(e)];
        const auto c = toCatalogue[static_cast<std::size_t>(r.movie)];
        if (c < 0) {
            continue;
        }
        queries.push_back(model.features.encodeRating(dataset, r));
        positives.push_back(c);
        users.push_back(r.user);
    }
    result.testExamples = queries.size();
    result.model = evaluateQueries(model, queries, positives, users, threads);
    result.baseline = evaluatePopularity(model.encodedCatalogue.of(FeatureId::TitleId).ids,
                                         popularity, positives, users);
    return result;
}

} // namespace towerlab
