#pragma once
// The metric table train, evaluate and info print on stdout.

#include "model/ranking_metrics.hpp"

#include <optional>
#include <ostream>

namespace towerlab::cli {

// Rows top-k, recall@k, ndcg@k (columns k = 1, 5, 10, 50, 100) and mrr for the model and,
// when given, the top-k and mrr of the most-popular baseline.
void printMetricsTable(std::ostream& out, const RankingMetrics& model,
                       const std::optional<RankingMetrics>& baseline);

} // namespace towerlab::cli
