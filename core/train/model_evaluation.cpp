#include "train/model_evaluation.hpp"

#include "data/split.hpp"
#include "model/towers.hpp"
#include "model/training_split.hpp"
#include "train/ranking_evaluator.hpp"
#include "train/test_evaluator.hpp"
#include "train/test_sample.hpp"

#include <algorithm>
#include <map>

namespace towerlab {

RankingMetrics evaluateQueries(const TrainedModel& model, std::span<const EncodedQuery> queries,
                               std::span<const std::int32_t> positives,
                               std::span<const std::int32_t> users, int threads) {
    const RowMatrix q = embedQueries(model.config, model.weights, queries);
    return metricsFromRanks(rankPositives(q, model.candidateEmbeddings, positives, threads), users);
}

std::vector<double> titlePopularityScores(std::span<const std::int32_t> titleIds,
                                          std::span<const std::int32_t> popularity) {
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
    return score;
}

RankingMetrics evaluatePopularity(std::span<const std::int32_t> titleIds,
                                  std::span<const std::int32_t> popularity,
                                  std::span<const std::int32_t> positives,
                                  std::span<const std::int32_t> users) {
    return metricsFromRanks(
        rankByFixedScore(titlePopularityScores(titleIds, popularity), positives), users);
}

Evaluation evaluateModel(const TrainedModel& model, const Dataset& dataset, int threads,
                         bool excludeSeen, int evalQueries,
                         const std::function<void(const EvaluationProgress&)>& progress) {
    if (evalQueries < 0) {
        throw ConfigError("eval-queries", "must be a number of test queries ≥ 1 or all, got " +
                                              std::to_string(evalQueries));
    }
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
    const TrainTestSplit split = splitForTraining(dataset, model.training);
    std::vector<std::int32_t> popularity(model.catalogue.size(), 0);
    std::vector<std::int32_t> trainUsers, trainMovies;
    for (const auto e : split.train) {
        const Rating& r = dataset.ratings[static_cast<std::size_t>(e)];
        const auto c = toCatalogue[static_cast<std::size_t>(r.movie)];
        if (c >= 0) {
            ++popularity[static_cast<std::size_t>(c)];
        }
        trainUsers.push_back(r.user);
        trainMovies.push_back(c);
    }
    std::vector<std::int32_t> held; // test ratings whose movie the catalogue holds
    for (const auto e : split.test) {
        const Rating& r = dataset.ratings[static_cast<std::size_t>(e)];
        if (toCatalogue[static_cast<std::size_t>(r.movie)] >= 0) {
            held.push_back(e);
        }
    }
    result.testSplitExamples = held.size();
    TestExamples test;
    for (const auto e :
         sampleTestExamples(held, static_cast<std::size_t>(evalQueries), model.training.seed)) {
        const Rating& r = dataset.ratings[static_cast<std::size_t>(e)];
        const auto c = toCatalogue[static_cast<std::size_t>(r.movie)];
        test.queries.push_back(model.features.encodeRating(dataset, r));
        test.positives.push_back(c);
        test.users.push_back(r.user);
        result.testRatings.push_back(e);
    }
    result.testExamples = test.queries.size();
    TrainingSplitInfo info;
    info.titleIds = model.encodedCatalogue.of(FeatureId::TitleId).ids;
    info.popularity = popularity;
    info.genres = &model.catalogue.genres;
    info.genreCount = model.catalogue.genreNames.size();
    info.trainUsers = trainUsers;
    info.trainMovies = trainMovies;
    const TestEvaluator evaluator(std::move(test), model.config.features, info, excludeSeen);
    const std::span<const EncodedQuery> queries = evaluator.examples().queries;
    TestEvaluationRun run(
        evaluator, model.candidateEmbeddings,
        [&](std::size_t begin, std::size_t count) {
            return embedQueries(model.config, model.weights, queries.subspan(begin, count));
        },
        threads);
    run.advance(nullptr, progress);
    TestEvaluation m = run.result();
    const TestEvaluation b = evaluator.evaluateBaseline();
    result.model = m.ranking;
    result.modelExcludingSeen = m.excludingSeen;
    result.modelBeyond = m.beyond;
    result.baseline = b.ranking;
    result.baselineExcludingSeen = b.excludingSeen;
    result.baselineBeyond = b.beyond;
    result.modelRanks = std::move(m.ranks);
    result.modelRanksExcludingSeen = std::move(m.ranksExcludingSeen);
    return result;
}

} // namespace towerlab
