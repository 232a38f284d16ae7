#include "progress_printer.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <string>

namespace towerlab::cli {

namespace {

// Terminals redraw at ~60 Hz; updating more often than this only costs time.
constexpr auto kBatchLineInterval = std::chrono::milliseconds(100);
// An evaluation shorter than this shows no line: on small data it would only flicker.
constexpr double kEvaluationLineAfter = 0.5;

// Losses near the reference (~15,000) read best with two decimals; a diverging run's huge
// values would otherwise print 20-digit numbers.
std::string formatLoss(double loss) {
    char text[32];
    std::snprintf(text, sizeof text, std::abs(loss) < 1e7 ? "%.2f" : "%.4g", loss);
    return text;
}

} // namespace

std::string formatTopK(const RankingMetrics& metrics) {
    std::string text;
    char cell[48];
    for (std::size_t i = 0; i < RankingMetrics::kCutoffs.size(); ++i) {
        std::snprintf(cell, sizeof cell, "%stop-%d %.4f", i == 0 ? "" : "  ",
                      RankingMetrics::kCutoffs[i], metrics.topK[i]);
        text += cell;
    }
    return text;
}

ProgressPrinter::ProgressPrinter(int totalEpochs, bool quiet)
    : m_totalEpochs(totalEpochs), m_quiet(quiet), m_terminal(isatty(STDERR_FILENO) == 1) {}

ProgressPrinter::~ProgressPrinter() {
    clearLine();
}

void ProgressPrinter::onBatch(const BatchProgress& p) {
    if (m_quiet || !m_terminal) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (p.batch != p.batches && now - m_lastBatchLine < kBatchLineInterval) {
        return;
    }
    m_lastBatchLine = now;
    std::fprintf(stderr, "\r\033[Kepoch %d/%d  batch %d/%d  loss %.1f  %.0f ex/s", p.epoch,
                 m_totalEpochs, p.batch, p.batches, p.loss, p.examplesPerSecond);
    std::fflush(stderr);
    m_lineShowing = true;
}

void ProgressPrinter::onEvaluation(const EvaluationProgress& p) {
    if (m_quiet || !m_terminal || p.seconds < kEvaluationLineAfter) {
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    if (p.ranked != p.examples && now - m_lastBatchLine < kBatchLineInterval) {
        return;
    }
    m_lastBatchLine = now;
    const double share =
        p.examples > 0 ? static_cast<double>(p.ranked) / static_cast<double>(p.examples) : 1.0;
    std::fputs("\r\033[K", stderr);
    if (p.epoch > 0) {
        std::fprintf(stderr, "epoch %d/%d  ", p.epoch, m_totalEpochs);
    }
    std::fprintf(stderr, "ranking test examples %zu/%zu (%.0f%%)  %.0f s", p.ranked, p.examples,
                 100.0 * share, p.seconds);
    if (share > 0.0 && share < 1.0) {
        std::fprintf(stderr, ", about %.0f s left", p.seconds * (1.0 - share) / share);
    }
    std::fflush(stderr);
    m_lineShowing = true;
}

void ProgressPrinter::onEpoch(const EpochRecord& r) {
    if (m_quiet) {
        return;
    }
    clearLine();
    std::string line;
    char head[160];
    std::snprintf(head, sizeof head, "epoch %d/%d  loss %s (last batch %s)  %.2f s  %.0f ex/s",
                  r.epoch, m_totalEpochs, formatLoss(r.meanLoss).c_str(),
                  formatLoss(r.lastBatchLoss).c_str(), r.seconds, r.examplesPerSecond);
    line = head;
    if (r.test) {
        line += "  test " + formatTopK(*r.test);
    }
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
}

void ProgressPrinter::clearLine() {
    if (m_lineShowing) {
        std::fputs("\r\033[K", stderr);
        std::fflush(stderr);
        m_lineShowing = false;
    }
}

} // namespace towerlab::cli
