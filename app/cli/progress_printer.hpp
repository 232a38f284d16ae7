#pragma once
// Training progress on stderr: one line per epoch (loss, speed, test metrics when evaluated)
// and, only when stderr is a terminal, a compact batch line rewritten in place.

#include "train/progress.hpp"

#include <chrono>

namespace towerlab::cli {

class ProgressPrinter : public ProgressSink {
public:
    // quiet silences everything; totalEpochs is shown as "epoch 3/50".
    ProgressPrinter(int totalEpochs, bool quiet);
    ~ProgressPrinter() override;

    void onBatch(const BatchProgress& progress) override;
    void onEpoch(const EpochRecord& record) override;
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
