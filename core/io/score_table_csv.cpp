#include "io/score_table_csv.hpp"

#include "io/export_error.hpp"
#include "util/atomic_file.hpp"

#include <charconv>
#include <cmath>

namespace towerlab {

namespace {

// std::to_chars never consults the locale, so a decimal-comma desktop still gets '.'.
void appendNumber(std::string& out, float value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}

} // namespace

std::string delimitedField(std::string_view text, char separator) {
    bool quote = !text.empty() && (text.front() == ' ' || text.back() == ' ');
    for (const char c : text) {
        quote = quote || c == separator || c == '"' || c == '\r' || c == '\n';
    }
    if (!quote) {
        return std::string(text);
    }
    std::string out;
    out.reserve(text.size() + 2);
    out.push_back('"');
    for (const char c : text) {
        if (c == '"') {
            out.push_back('"');
        }
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string scoreTableCsv(std::span<const ScoreTableRow> rows, std::size_t catalogueSize,
                          char separator) {
    std::string out;
    for (const char* column : {"title", "score", "rank", "catalogue_size"}) {
        if (!out.empty()) {
            out.push_back(separator);
        }
        out += column;
    }
    out.push_back('\n');
    const std::string size = std::to_string(catalogueSize);
    for (const ScoreTableRow& row : rows) {
        if (!std::isfinite(row.score)) {
            throw ExportError("score", "the score of \"" + row.title + "\" is not a finite number");
        }
        if (row.rank < 1 || static_cast<std::size_t>(row.rank) > catalogueSize) {
            throw ExportError("rank", "the rank of \"" + row.title + "\" (" +
                                          std::to_string(row.rank) + ") is outside 1.." + size);
        }
        out += delimitedField(row.title, separator);
        out.push_back(separator);
        appendNumber(out, row.score);
        out.push_back(separator);
        out += std::to_string(row.rank);
        out.push_back(separator);
        out += size;
        out.push_back('\n');
    }
    return out;
}

std::string similarityMatrixCsv(std::span<const std::string> titles, const RowMatrix& values,
                                char separator) {
    const auto n = static_cast<Eigen::Index>(titles.size());
    if (values.rows() != n || values.cols() != n) {
        throw ExportError("similarity matrix", "a similarity matrix for " + std::to_string(n) +
                                                   " titles must be " + std::to_string(n) + " x " +
                                                   std::to_string(n) + ", not " +
                                                   std::to_string(values.rows()) + " x " +
                                                   std::to_string(values.cols()));
    }
    std::string out = "title";
    for (const std::string& title : titles) {
        out.push_back(separator);
        out += delimitedField(title, separator);
    }
    out.push_back('\n');
    for (Eigen::Index i = 0; i < n; ++i) {
        const std::string& title = titles[static_cast<std::size_t>(i)];
        out += delimitedField(title, separator);
        for (Eigen::Index j = 0; j < n; ++j) {
            if (!std::isfinite(values(i, j))) {
                throw ExportError("similarity", "the similarity of \"" + title + "\" and \"" +
                                                    titles[static_cast<std::size_t>(j)] +
                                                    "\" is not a finite number");
            }
            out.push_back(separator);
            appendNumber(out, values(i, j));
        }
        out.push_back('\n');
    }
    return out;
}

void writeScoreTableCsv(std::span<const ScoreTableRow> rows, std::size_t catalogueSize,
                        const std::filesystem::path& path) {
    writeFileAtomically(path, scoreTableCsv(rows, catalogueSize));
}

void writeSimilarityMatrixCsv(std::span<const std::string> titles, const RowMatrix& values,
                              const std::filesystem::path& path) {
    writeFileAtomically(path, similarityMatrixCsv(titles, values));
}

} // namespace towerlab
