#pragma once
// A training history as CSV, for spreadsheets and plotting scripts: one row per epoch, then
// one row for the most-popular baseline.

#include "model/training_history.hpp"

#include <filesystem>
#include <string>

namespace towerlab {

// Columns: epoch, mean_loss, last_batch_loss, seconds, examples_per_second, top_1, top_5,
// top_10, top_50, top_100, mrr. Metric cells are empty on epochs without an evaluation.
// When the history has a baseline, a last row has "baseline" in the epoch column, its
// metrics, and empty loss and timing cells. Numbers use '.' and up to 9 significant digits.
std::string historyCsv(const TrainingHistory& history);

// Writes historyCsv(history) to path atomically. Throws FileWriteError.
void writeHistoryCsv(const TrainingHistory& history, const std::filesystem::path& path);

} // namespace towerlab
