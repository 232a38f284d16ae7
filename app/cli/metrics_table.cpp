#include "metrics_table.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <string>

namespace towerlab::cli {

namespace {

void printRow(std::ostream& out, const char* label, const std::array<double, 5>& values,
              const char* format = "%9.4f") {
    char cell[32];
    std::snprintf(cell, sizeof cell, "%-22s", label);
    out << cell;
    for (const double v : values) {
        if (std::isfinite(v)) {
            std::snprintf(cell, sizeof cell, format, v);
        } else {
            std::snprintf(cell, sizeof cell, "%9s", "-");
        }
        out << cell;
    }
    out << '\n';
}

void printHeader(std::ostream& out, const char* label) {
    char cell[32];
    std::snprintf(cell, sizeof cell, "%-22s", label);
    out << cell;
    for (const int k : RankingMetrics::kCutoffs) {
        std::snprintf(cell, sizeof cell, "%9d", k);
        out << cell;
    }
    out << '\n';
}

} // namespace

void printMetricsTable(std::ostream& out, const RankingMetrics& model,
                       const std::optional<RankingMetrics>& baseline,
                       const std::optional<RankingMetrics>& excludingSeen,
                       const std::optional<RankingMetrics>& baselineExcludingSeen,
                       std::size_t testSplitExamples) {
    printHeader(out, "metric @ k");
    printRow(out, "top-k accuracy", model.topK);
    if (baseline) {
        printRow(out, "  most popular", baseline->topK);
    }
    if (excludingSeen) {
        printRow(out, "top-k, seen excluded", excludingSeen->topK);
        if (baselineExcludingSeen) {
            printRow(out, "  most popular", baselineExcludingSeen->topK);
        }
    }
    printRow(out, "recall (per user)", model.recall);
    if (excludingSeen) {
        printRow(out, "  seen excluded", excludingSeen->recall);
    }
    printRow(out, "ndcg", model.ndcg);
    if (excludingSeen) {
        printRow(out, "  seen excluded", excludingSeen->ndcg);
    }
    char cell[32];
    std::snprintf(cell, sizeof cell, "%.4f", model.mrr);
    out << "mrr                   " << cell;
    if (baseline) {
        std::snprintf(cell, sizeof cell, "%.4f", baseline->mrr);
        out << " (most popular " << cell << ")";
    }
    if (excludingSeen) {
        std::snprintf(cell, sizeof cell, "%.4f", excludingSeen->mrr);
        out << "; seen excluded " << cell;
        if (baselineExcludingSeen) {
            std::snprintf(cell, sizeof cell, "%.4f", baselineExcludingSeen->mrr);
            out << " (most popular " << cell << ")";
        }
    }
    out << "\ntest examples         " << model.examples;
    if (model.examples < testSplitExamples) {
        out << " sampled of " << testSplitExamples
            << " (seeded; --eval-queries all ranks every one)";
    }
    out << '\n';
}

void printBeyondAccuracyTable(std::ostream& out, const BeyondAccuracyMetrics& model,
                              const std::optional<BeyondAccuracyMetrics>& baseline) {
    out << "beyond accuracy, over the top k of " << model.queries << " distinct test queries\n";
    printHeader(out, "metric @ k");
    const auto rows = [&](const char* label,
                          const std::array<double, 5> BeyondAccuracyMetrics::*field,
                          const char* format) {
        printRow(out, label, model.*field, format);
        if (baseline) {
            printRow(out, "  most popular", (*baseline).*field, format);
        }
    };
    rows("catalogue coverage", &BeyondAccuracyMetrics::coverage, "%9.4f");
    rows("popularity percentile", &BeyondAccuracyMetrics::popularityPercentile, "%9.2f");
    rows("gini of exposure", &BeyondAccuracyMetrics::gini, "%9.4f");
    rows("novelty (bits)", &BeyondAccuracyMetrics::novelty, "%9.3f");
    if (model.hasDiversity) {
        rows("genre diversity", &BeyondAccuracyMetrics::diversity, "%9.4f");
    }
}

} // namespace towerlab::cli
