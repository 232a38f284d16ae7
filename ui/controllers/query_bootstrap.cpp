#include "controllers/query_bootstrap.hpp"

#include "data/dataset.hpp"
#include "model/trained_model.hpp"
#include "train/model_evaluation.hpp"

#include <QObject>

#include <vector>

namespace towerlab {

namespace {

int cutoffOf(RunMetric metric) {
    switch (metric) {
    case RunMetric::Top10:
        return 10;
    case RunMetric::Top50:
        return 50;
    default:
        return 100;
    }
}

std::vector<double> hits(const std::vector<std::int32_t>& ranks, int k) {
    std::vector<double> values(ranks.size());
    for (std::size_t i = 0; i < ranks.size(); ++i) {
        values[i] = ranks[i] <= k ? 1.0 : 0.0;
    }
    return values;
}

} // namespace

bool bootstrapApplies(RunMetric metric) {
    return metric == RunMetric::Top10 || metric == RunMetric::Top50 ||
           metric == RunMetric::Top100 || metric == RunMetric::Top100Unseen;
}

BootstrapResult bootstrapSingleRuns(const TrainedModel& first, const TrainedModel& second,
                                    const Dataset& dataset, RunMetric metric) {
    BootstrapResult result;
    if (!bootstrapApplies(metric)) {
        result.why = QObject::tr("A paired bootstrap over test queries needs one value per test "
                                 "example; %1 describes all the lists together, so only seeds "
                                 "can tell.")
                         .arg(runMetricName(metric));
        return result;
    }
    const std::string fingerprint = dataset.fingerprint();
    if (first.datasetFingerprint != fingerprint || second.datasetFingerprint != fingerprint) {
        result.why = QObject::tr("A test-query comparison needs the dataset both were trained "
                                 "on to be the open one.");
        return result;
    }
    const bool unseen = metric == RunMetric::Top100Unseen;
    // One thread each: training may be using the others.
    const Evaluation a = evaluateModel(first, dataset, 1, unseen);
    const Evaluation b = evaluateModel(second, dataset, 1, unseen);
    if (a.testRatings != b.testRatings) {
        result.why = QObject::tr("A and B were tested on different test ratings (another seed "
                                 "or training share gives another split), so their test "
                                 "queries cannot be paired either.");
        return result;
    }
    const int k = cutoffOf(metric);
    result.verdict =
        pairedBootstrapVerdict(hits(unseen ? a.modelRanksExcludingSeen : a.modelRanks, k),
                               hits(unseen ? b.modelRanksExcludingSeen : b.modelRanks, k));
    return result;
}

} // namespace towerlab
