#include "controllers/seed_sets.hpp"

#include "controllers/run_collection.hpp"

#include <QObject>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <map>

namespace towerlab {

namespace {

constexpr std::size_t kTop10 = 2;
constexpr std::size_t kTop50 = 3;
constexpr std::size_t kTop100 = 4;

// "4–6" for consecutive numbers, "4, 6, 9" otherwise.
template <typename T> QString span(const std::vector<T>& values) {
    if (values.empty()) {
        return {};
    }
    bool consecutive = true;
    for (std::size_t i = 1; i < values.size(); ++i) {
        consecutive = consecutive && values[i] == values[i - 1] + 1;
    }
    if (values.size() == 1) {
        return QString::number(values.front());
    }
    if (consecutive) {
        return QStringLiteral("%1–%2").arg(values.front()).arg(values.back());
    }
    QStringList parts;
    for (const T v : values) {
        parts << QString::number(v);
    }
    return parts.join(QStringLiteral(", "));
}

// Completed runs count (and runs opened from a file); a stopped run's metrics would mix an
// unfinished model into the mean, as the CLI's --seeds refuses to.
bool finished(const RunRecord& run) {
    return run.status == RunStatus::Completed || run.status == RunStatus::Loaded;
}

// seed -> metric of the contender's finished runs that have it.
std::map<std::uint64_t, double> valuesBySeed(const RunCollection& runs, const Contender& c,
                                             RunMetric metric) {
    std::map<std::uint64_t, double> values;
    const auto take = [&](const RunRecord& run) {
        if (!finished(run)) {
            return;
        }
        if (const std::optional<double> v = runMetricValue(run, metric)) {
            values[run.training.seed] = *v;
        }
    };
    if (c.seedSet.isEmpty()) {
        if (const RunRecord* run = runs.find(c.runId)) {
            take(*run);
        }
    } else {
        for (const int id : seedSetRuns(runs, c.seedSet)) {
            take(*runs.find(id));
        }
    }
    return values;
}

QString seedsText(const std::map<std::uint64_t, double>& values) {
    std::vector<std::uint64_t> seeds;
    for (const auto& [seed, value] : values) {
        seeds.push_back(seed);
    }
    if (seeds.empty()) {
        return QObject::tr("no finished run");
    }
    return (seeds.size() == 1 ? QObject::tr("seed %1") : QObject::tr("seeds %1")).arg(span(seeds));
}

} // namespace

std::vector<RunMetric> allRunMetrics() {
    return {RunMetric::Top10,        RunMetric::Top50,       RunMetric::Top100,
            RunMetric::Top100Unseen, RunMetric::Coverage100, RunMetric::Popularity100,
            RunMetric::Gini100,      RunMetric::Novelty100,  RunMetric::Diversity100};
}

QString runMetricName(RunMetric metric) {
    switch (metric) {
    case RunMetric::Top10:
        return QStringLiteral("top-10");
    case RunMetric::Top50:
        return QStringLiteral("top-50");
    case RunMetric::Top100:
        return QStringLiteral("top-100");
    case RunMetric::Top100Unseen:
        return QObject::tr("top-100 with seen movies excluded");
    case RunMetric::Coverage100:
        return QObject::tr("coverage@100");
    case RunMetric::Popularity100:
        return QObject::tr("popularity percentile@100");
    case RunMetric::Gini100:
        return QObject::tr("Gini@100");
    case RunMetric::Novelty100:
        return QObject::tr("novelty@100 (bits)");
    case RunMetric::Diversity100:
        return QObject::tr("genre diversity@100");
    }
    return {};
}

int runMetricDecimals(RunMetric metric) {
    switch (metric) {
    case RunMetric::Popularity100:
        return 1;
    case RunMetric::Novelty100:
        return 2;
    default:
        return 3;
    }
}

std::optional<double> runMetricValue(const RunRecord& run, RunMetric metric) {
    const EpochRecord* last = run.finalEvaluation();
    if (last == nullptr) {
        return std::nullopt;
    }
    const auto beyond =
        [&](const std::array<double, 5> BeyondAccuracyMetrics::*row) -> std::optional<double> {
        if (!last->beyond) {
            return std::nullopt;
        }
        const double v = ((*last->beyond).*row)[kTop100];
        return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
    };
    switch (metric) {
    case RunMetric::Top10:
        return last->test->topK[kTop10];
    case RunMetric::Top50:
        return last->test->topK[kTop50];
    case RunMetric::Top100:
        return last->test->topK[kTop100];
    case RunMetric::Top100Unseen:
        return last->testExcludingSeen
                   ? std::optional<double>(last->testExcludingSeen->topK[kTop100])
                   : std::nullopt;
    case RunMetric::Coverage100:
        return beyond(&BeyondAccuracyMetrics::coverage);
    case RunMetric::Popularity100:
        return beyond(&BeyondAccuracyMetrics::popularityPercentile);
    case RunMetric::Gini100:
        return beyond(&BeyondAccuracyMetrics::gini);
    case RunMetric::Novelty100:
        return beyond(&BeyondAccuracyMetrics::novelty);
    case RunMetric::Diversity100:
        return last->beyond && last->beyond->hasDiversity
                   ? beyond(&BeyondAccuracyMetrics::diversity)
                   : std::nullopt;
    }
    return std::nullopt;
}

std::vector<QString> seedSetKeys(const RunCollection& runs) {
    std::vector<QString> keys;
    for (int row = 0; row < runs.count(); ++row) {
        const QString& key = runs.at(row).seedSet;
        if (!key.isEmpty() && std::find(keys.begin(), keys.end(), key) == keys.end()) {
            keys.push_back(key);
        }
    }
    return keys;
}

std::vector<int> seedSetRuns(const RunCollection& runs, const QString& seedSet) {
    std::vector<int> ids;
    for (int row = 0; row < runs.count(); ++row) {
        if (runs.at(row).seedSet == seedSet) {
            ids.push_back(runs.at(row).id);
        }
    }
    return ids;
}

QString seedSetLabel(const RunCollection& runs, const QString& seedSet) {
    const std::vector<int> ids = seedSetRuns(runs, seedSet);
    if (ids.empty()) {
        return seedSet;
    }
    const RunRecord& first = *runs.find(ids.front());
    std::vector<std::uint64_t> seeds;
    for (const int id : ids) {
        seeds.push_back(runs.find(id)->training.seed);
    }
    std::sort(seeds.begin(), seeds.end());
    QString what;
    if (!first.removedFeature.isEmpty()) {
        what = QStringLiteral("− %1").arg(first.removedFeature);
    } else {
        // The seed is what differs inside the set: leave it out of the description.
        TrainConfig training = first.training;
        training.seed = TrainConfig{}.seed;
        what = describeConfig(first.model, training);
        if (!first.group.isEmpty() && first.group != seedSet) {
            what += QObject::tr(" (all features)");
        }
    }
    return QStringLiteral("#%1 %2 · %3")
        .arg(span(ids), what, QObject::tr("seeds %1").arg(span(seeds)));
}

std::optional<SeedSummary> summarizeSeedSet(const RunCollection& runs, const QString& seedSet,
                                            RunMetric metric) {
    const std::map<std::uint64_t, double> bySeed = valuesBySeed(runs, {seedSet, 0}, metric);
    if (bySeed.empty()) {
        return std::nullopt;
    }
    std::vector<double> values;
    for (const auto& [seed, value] : bySeed) {
        values.push_back(value);
    }
    return summarizeSeeds(values);
}

QString summaryText(const SeedSummary& s, RunMetric metric) {
    const int decimals = runMetricDecimals(metric);
    if (s.runs < 2) {
        return QString::number(s.mean, 'f', decimals);
    }
    return QStringLiteral("%1 ± %2").arg(QString::number(s.mean, 'f', decimals),
                                         QString::number(s.sd, 'f', decimals));
}

std::vector<ContenderChoice> contenderChoices(const RunCollection& runs) {
    std::vector<ContenderChoice> choices;
    for (const QString& key : seedSetKeys(runs)) {
        choices.push_back({{key, 0}, seedSetLabel(runs, key)});
    }
    for (int row = 0; row < runs.count(); ++row) {
        const RunRecord& run = runs.at(row);
        if (run.seedSet.isEmpty()) {
            QString name = run.removedFeature.isEmpty()
                               ? run.name
                               : QStringLiteral("− %1").arg(run.removedFeature);
            choices.push_back(
                {{QString(), run.id},
                 QStringLiteral("#%1 %2 · seed %3").arg(run.id).arg(name).arg(run.training.seed)});
        }
    }
    return choices;
}

SeedComparison compareContenders(const RunCollection& runs, const Contender& a, const Contender& b,
                                 RunMetric metric) {
    SeedComparison result;
    if (a == b) {
        result.text = QObject::tr("A and B are the same: pick two different runs or seed groups.");
        return result;
    }
    const std::map<std::uint64_t, double> first = valuesBySeed(runs, a, metric);
    const std::map<std::uint64_t, double> second = valuesBySeed(runs, b, metric);
    for (const auto& [seed, value] : first) {
        if (const auto other = second.find(seed); other != second.end()) {
            result.sharedSeeds.push_back(seed);
            result.first.push_back(value);
            result.second.push_back(other->second);
        }
    }
    const QString metricName = runMetricName(metric);
    if (result.sharedSeeds.size() >= 2) {
        result.verdict = pairedSeedVerdict(result.first, result.second);
        result.text = QString::fromStdString(
            verdictSentence(*result.verdict, metricName.toStdString(), "A", "B"));
        return result;
    }
    // Why there is no paired test, and what would give one.
    QString why;
    if (first.empty() || second.empty()) {
        why = QObject::tr("%1 has no finished run with %2 yet.")
                  .arg(first.empty() ? QStringLiteral("A") : QStringLiteral("B"), metricName);
        if (first.empty() && second.empty()) {
            why = QObject::tr("Neither A nor B has a finished run with %1 yet.").arg(metricName);
        }
    } else {
        why = QObject::tr("No paired test is possible: A (%1) and B (%2) share %3 finished "
                          "seed%4, and a paired test needs at least two seeds both were "
                          "trained with, so that each seed's luck cancels out.")
                  .arg(seedsText(first), seedsText(second))
                  .arg(result.sharedSeeds.size())
                  .arg(result.sharedSeeds.size() == 1 ? QString() : QStringLiteral("s"));
        why += QLatin1Char(' ') +
               QObject::tr("Train both with the same Seed and \"Repeat with N seeds\" of 2 or "
                           "more.");
    }
    result.text = why;
    return result;
}

} // namespace towerlab
