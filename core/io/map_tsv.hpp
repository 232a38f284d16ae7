#pragma once
// A 2-D map (a projection of embeddings) as a tab-separated table a spreadsheet, pandas or
// gnuplot reads directly: one row per point with its id, a readable label and x, y.

#include "io/export_error.hpp"
#include "nn/tensor.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace towerlab {

// Writes a header "<idColumn>\t<labelColumn>\tx\ty", then one row per point: the id, the
// label (tabs, CR and LF replaced by spaces) and the coordinates as the shortest text that
// reads back as the same float32. The file is replaced atomically.
// Throws ExportError when xy is not N x 2, ids or labels do not have N entries, a
// column name is empty or holds a tab or line break, or a coordinate is NaN or infinite;
// FileWriteError when writing fails.
void writeMapTsv(const std::filesystem::path& path, const std::string& idColumn,
                 const std::string& labelColumn, const std::vector<std::int64_t>& ids,
                 const std::vector<std::string>& labels, const RowMatrix& xy);

} // namespace towerlab
