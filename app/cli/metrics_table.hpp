#pragma once
// The metric table train, evaluate and info print on stdout.

#include "model/beyond_accuracy.hpp"
#include "model/ranking_metrics.hpp"

#include <optional>
#include <ostream>

namespace towerlab::cli {

// Rows top-k, recall@k, ndcg@k (columns k = 1, 5, 10, 50, 100) and mrr for the model and,
// when given, the top-k and mrr of the most-popular baseline.
// With excludingSeen (the model's metrics with each user's training movies excluded) it adds
// labelled "seen excluded" rows, with the baseline's when given.
// testSplitExamples: the test split's size; when the metrics' examples are fewer, the last
// line says they are a seeded sample of it (0 = not known: no such note).
void printMetricsTable(std::ostream& out, const RankingMetrics& model,
                       const std::optional<RankingMetrics>& baseline,
                       const std::optional<RankingMetrics>& excludingSeen = std::nullopt,
                       const std::optional<RankingMetrics>& baselineExcludingSeen = std::nullopt,
                       std::size_t testSplitExamples = 0);

// Rows coverage, popularity percentile, Gini, novelty and genre diversity (columns k) for the
// model and, when given, the most-popular baseline.
void printBeyondAccuracyTable(std::ostream& out, const BeyondAccuracyMetrics& model,
                              const std::optional<BeyondAccuracyMetrics>& baseline);

} // namespace towerlab::cli
