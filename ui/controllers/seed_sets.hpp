#pragma once
// "Is the difference real?" in the window: the runs of one configuration over several seeds
// (a seed set, see RunRecord::seedSet) summarised as mean ± sd, and a verdict on two runs or
// seed sets over the seeds they share. The statistics are the core's (train/seed_verdict);
// this file only picks the numbers out of the RunCollection and words what cannot be tested.
// Lives on the GUI thread.

#include "train/seed_verdict.hpp"

#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace towerlab {

class RunCollection;
struct RunRecord;

// The final-evaluation metrics the run table shows, in its column order.
enum class RunMetric {
    Top10,
    Top50,
    Top100,
    Top100Unseen,
    Coverage100,
    Popularity100,
    Gini100,
    Novelty100,
    Diversity100,
};
std::vector<RunMetric> allRunMetrics();
// How a verdict names the metric: "top-100", "coverage@100", ...
QString runMetricName(RunMetric metric);
// The metric of the run's newest evaluation, or nothing when it has none (no evaluation yet,
// not measured with seen movies excluded, no genres for diversity).
std::optional<double> runMetricValue(const RunRecord& run, RunMetric metric);
// Decimals the table and the summaries show the metric with.
int runMetricDecimals(RunMetric metric);

// The seed sets of the collection in the order their first run was added.
std::vector<QString> seedSetKeys(const RunCollection& runs);
// The runs of a seed set in the order they were added (ids).
std::vector<int> seedSetRuns(const RunCollection& runs, const QString& seedSet);
// A short name for the set: "#4–6 [32] adagrad 0.1 · seeds 42–44" (ablation sets: "… − gender").
QString seedSetLabel(const RunCollection& runs, const QString& seedSet);

// The metric over the set's completed runs that have it; nothing when there are none.
std::optional<SeedSummary> summarizeSeedSet(const RunCollection& runs, const QString& seedSet,
                                            RunMetric metric);
// The text of a summary: "0.164 ± 0.003" (the sd only with two or more runs).
QString summaryText(const SeedSummary& summary, RunMetric metric);

// One side of a comparison: a seed set, or a single run (runId) when seedSet is empty.
struct Contender {
    QString seedSet;
    int runId = 0;
    bool operator==(const Contender&) const = default;
};
// Every run that is not in a seed set, then every seed set, for a picker; with its label.
struct ContenderChoice {
    Contender contender;
    QString label;
};
std::vector<ContenderChoice> contenderChoices(const RunCollection& runs);

struct SeedComparison {
    // The seeds both have a completed run with the metric for, ascending, and the values.
    std::vector<std::uint64_t> sharedSeeds;
    std::vector<double> first;
    std::vector<double> second;
    std::optional<DifferenceVerdict> verdict; // with at least two shared seeds
    // verdictSentence of the verdict (names "A" and "B"), or why there is no test.
    QString text;
};

// The paired t-test over the seeds A and B share (pairedSeedVerdict), in verdictSentence's
// words with A and B as the names; with fewer than two shared seeds, a sentence saying why
// no paired test is possible and what to do.
SeedComparison compareContenders(const RunCollection& runs, const Contender& a, const Contender& b,
                                 RunMetric metric);

} // namespace towerlab
