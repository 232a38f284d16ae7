#pragma once
// Export for the TensorFlow Embedding Projector (projector.tensorflow.org): one vector per
// line in vectors.tsv and the matching labels in metadata.tsv.

#include "io/export_error.hpp"
#include "nn/tensor.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace towerlab {

// Writes <prefix>/vectors.tsv (no header; each row's values tab-separated, shortest text that
// reads back as the same float32) and <prefix>/metadata.tsv (a header row of column names
// when there is more than one column — the Projector's rule — then one row per vector).
// Tabs, CR and LF inside values become spaces; a row whose values are all blank is written
// as "(blank)" in its first column, because the Projector skips blank lines and would pair
// every later label with the wrong point. The prefix folder is created if missing; each file
// is replaced atomically.
// Throws ExportError when metadataRows.size() != vectors.rows(), a row has not
// columnNames.size() values, there is no column or a blank column name, vectors has fewer
// than 2 columns (the Projector refuses 1-D points) or a value is NaN/inf; FileWriteError
// when writing fails.
void writeProjectorTsv(const RowMatrix& vectors, const std::vector<std::string>& columnNames,
                       const std::vector<std::vector<std::string>>& metadataRows,
                       const std::filesystem::path& prefix);

} // namespace towerlab
