#include "io/projector_tsv.hpp"

#include "io/export_error.hpp"
#include "util/atomic_file.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace towerlab {

namespace {

constexpr std::string_view kBlankRow = "(blank)";

bool isBlank(std::string_view text) {
    for (const char c : text) {
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f') {
            return false;
        }
    }
    return true;
}

// Tabs separate columns and newlines rows, so neither may survive inside a value.
void appendCell(std::string& out, std::string_view value) {
    for (const char c : value) {
        out.push_back(c == '\t' || c == '\n' || c == '\r' ? ' ' : c);
    }
}

void checkArguments(const RowMatrix& vectors, const std::vector<std::string>& columnNames,
                    const std::vector<std::vector<std::string>>& metadataRows) {
    if (columnNames.empty()) {
        throw ExportError("metadata columns",
                          "writeProjectorTsv: metadata needs at least one column");
    }
    for (std::size_t c = 0; c < columnNames.size(); ++c) {
        if (isBlank(columnNames[c])) {
            throw ExportError("column name",
                              "writeProjectorTsv: column name " + std::to_string(c) + " is blank");
        }
    }
    if (vectors.cols() < 2) {
        throw ExportError(
            "vectors",
            "writeProjectorTsv: the Embedding Projector needs at least 2 dimensions, got " +
                std::to_string(vectors.cols()));
    }
    if (metadataRows.size() != static_cast<std::size_t>(vectors.rows())) {
        throw ExportError("metadata rows",
                          "writeProjectorTsv: " + std::to_string(vectors.rows()) + " vectors but " +
                              std::to_string(metadataRows.size()) + " metadata rows");
    }
    for (std::size_t r = 0; r < metadataRows.size(); ++r) {
        if (metadataRows[r].size() != columnNames.size()) {
            throw ExportError("metadata row",
                              "writeProjectorTsv: metadata row " + std::to_string(r) + " has " +
                                  std::to_string(metadataRows[r].size()) + " values for " +
                                  std::to_string(columnNames.size()) + " columns");
        }
    }
    for (Eigen::Index r = 0; r < vectors.rows(); ++r) {
        for (Eigen::Index c = 0; c < vectors.cols(); ++c) {
            if (!std::isfinite(vectors(r, c))) {
                throw ExportError("vectors", "writeProjectorTsv: vector " + std::to_string(r) +
                                                 " has a non-finite value in dimension " +
                                                 std::to_string(c));
            }
        }
    }
}

std::string vectorsText(const RowMatrix& vectors) {
    std::string out;
    // About 12 characters per value; one reservation instead of growth per row.
    out.reserve(static_cast<std::size_t>(vectors.size()) * 12);
    char buffer[32];
    for (Eigen::Index r = 0; r < vectors.rows(); ++r) {
        for (Eigen::Index c = 0; c < vectors.cols(); ++c) {
            if (c > 0) {
                out.push_back('\t');
            }
            // Shortest representation that parses back to the same float32.
            const auto result = std::to_chars(buffer, buffer + sizeof buffer, vectors(r, c));
            out.append(buffer, result.ptr);
        }
        out.push_back('\n');
    }
    return out;
}

std::string metadataText(const std::vector<std::string>& columnNames,
                         const std::vector<std::vector<std::string>>& rows) {
    std::string out;
    auto appendRow = [&out](const std::vector<std::string>& values) {
        for (std::size_t c = 0; c < values.size(); ++c) {
            if (c > 0) {
                out.push_back('\t');
            }
            appendCell(out, values[c]);
        }
        out.push_back('\n');
    };
    if (columnNames.size() > 1) {
        appendRow(columnNames);
    }
    for (const auto& row : rows) {
        bool blank = true;
        for (const std::string& value : row) {
            blank = blank && isBlank(value);
        }
        if (blank) {
            out.append(kBlankRow);
            for (std::size_t c = 1; c < row.size(); ++c) {
                out.push_back('\t');
            }
            out.push_back('\n');
        } else {
            appendRow(row);
        }
    }
    return out;
}

} // namespace

void writeProjectorTsv(const RowMatrix& vectors, const std::vector<std::string>& columnNames,
                       const std::vector<std::vector<std::string>>& metadataRows,
                       const std::filesystem::path& prefix) {
    checkArguments(vectors, columnNames, metadataRows);
    std::error_code error;
    std::filesystem::create_directories(prefix, error);
    if (error) {
        throw FileWriteError(prefix, "cannot create the folder '" + prefix.string() +
                                         "': " + error.message());
    }
    writeFileAtomically(prefix / "vectors.tsv", vectorsText(vectors));
    writeFileAtomically(prefix / "metadata.tsv", metadataText(columnNames, metadataRows));
}

} // namespace towerlab
