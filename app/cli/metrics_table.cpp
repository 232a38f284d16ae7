#include "metrics_table.hpp"

#include <array>
#include <cstdio>
#include <string>

namespace towerlab::cli {

namespace {

void printRow(std::ostream& out, const char* label, const std::array<double, 5>& values) {
    char cell[32];
    std::snprintf(cell, sizeof cell, "%-22s", label);
    out << cell;
    for (const double v : values) {
        std::snprintf(cell, sizeof cell, "%9.4f", v);
        out << cell;
    }
    out << '\n';
}

} // namespace

void printMetricsTable(std::ostream& out, const RankingMetrics& model,
                       const std::optional<RankingMetrics>& baseline) {
    char cell[32];
    std::snprintf(cell, sizeof cell, "%-22s", "metric @ k");
    out << cell;
    for (const int k : RankingMetrics::kCutoffs) {
        std::snprintf(cell, sizeof cell, "%9d", k);
        out << cell;
    }
    out << '\n';
    printRow(out, "top-k accuracy", model.topK);
    if (baseline) {
        printRow(out, "  most popular", baseline->topK);
    }
    printRow(out, "recall (per user)", model.recall);
    printRow(out, "ndcg", model.ndcg);
    std::snprintf(cell, sizeof cell, "%.4f", model.mrr);
    out << "mrr                   " << cell;
    if (baseline) {
        std::snprintf(cell, sizeof cell, "%.4f", baseline->mrr);
        out << " (most popular " << cell << ")";
    }
    out << "\ntest examples         " << model.examples << '\n';
}

} // namespace towerlab::cli
