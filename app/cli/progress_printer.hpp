#pragma once
// Training progress on stderr: one line per epoch (loss, speed, test metrics when evaluated)
// and, only when stderr is a terminal, a compact batch or evaluation line rewritten in place.

#include "train/progress.hpp"

#include <chrono>

namespace towerlab::cli {

class ProgressPrinter : public ProgressSink {
public:
    // quiet silences everything; totalEpochs is shown as "epoch 3/50" (an evaluation of epoch
    // 0, a saved model's, shows no epoch).
    ProgressPrinter(int totalEpochs, bool quiet);
    ~ProgressPrinter() override;

    void onBatch(const BatchProgress& progress) override;
    void onEpoch(const EpochRecord& record) override;
    // Only on a terminal, and only once an evaluation has run a while (small ones are quick).
    void onEvaluation(const EvaluationProgress& progress) override;
    // Clears the in-place batch line, if one is showing.
    void clearLine();

private:
    int m_totalEpochs;
    bool m_quiet;
    bool m_terminal;
    bool m_lineShowing = false;
    std::chrono::steady_clock::time_point m_lastBatchLine{};
};

// "top-1 0.0010  top-5 0.0120 ... top-100 0.1523"
std::string formatTopK(const RankingMetrics& metrics);

} // namespace towerlab::cli
