#include "io/map_tsv.hpp"

#include "io/export_error.hpp"
#include "util/atomic_file.hpp"

#include <charconv>
#include <cmath>

namespace towerlab {

namespace {

void checkColumnName(const std::string& name) {
    if (name.empty() || name.find_first_of("\t\r\n") != std::string::npos) {
        throw ExportError("column name", "writeMapTsv: column name \"" + name +
                                             "\" is empty or holds a tab or line break");
    }
}

void appendFloat(std::string& out, float value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

} // namespace

void writeMapTsv(const std::filesystem::path& path, const std::string& idColumn,
                 const std::string& labelColumn, const std::vector<std::int64_t>& ids,
                 const std::vector<std::string>& labels, const RowMatrix& xy) {
    checkColumnName(idColumn);
    checkColumnName(labelColumn);
    if (xy.cols() != 2) {
        throw ExportError("coordinates", "writeMapTsv: a map has 2 coordinates per point, got " +
                                             std::to_string(xy.cols()));
    }
    const auto n = static_cast<std::size_t>(xy.rows());
    if (ids.size() != n || labels.size() != n) {
        throw ExportError("ids and labels", "writeMapTsv: " + std::to_string(n) + " points but " +
                                                std::to_string(ids.size()) + " ids and " +
                                                std::to_string(labels.size()) + " labels");
    }
    std::string text = idColumn + '\t' + labelColumn + "\tx\ty\n";
    text.reserve(text.size() + n * 48);
    for (std::size_t i = 0; i < n; ++i) {
        const auto r = static_cast<Eigen::Index>(i);
        if (!std::isfinite(xy(r, 0)) || !std::isfinite(xy(r, 1))) {
            throw ExportError("coordinates", "writeMapTsv: point " + std::to_string(i) +
                                                 " has a non-finite coordinate");
        }
        text += std::to_string(ids[i]);
        text += '\t';
        for (const char c : labels[i]) {
            text.push_back(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
        }
        text += '\t';
        appendFloat(text, xy(r, 0));
        text += '\t';
        appendFloat(text, xy(r, 1));
        text += '\n';
    }
    writeFileAtomically(path, text);
}

} // namespace towerlab
