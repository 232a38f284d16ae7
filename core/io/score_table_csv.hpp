#pragma once
// The Scores view's tables as CSV (RFC 4180) for spreadsheets, or tab-separated for the
// clipboard: the chosen movies' scores for one query, and their movie-to-movie matrix.

#include "io/export_error.hpp"
#include "nn/tensor.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

namespace towerlab {

// One chosen movie scored for a query.
struct ScoreTableRow {
    std::string title;
    float score = 0.0f;    // dot product of the query and movie embeddings
    std::int32_t rank = 0; // 1 + number of catalogue movies scoring strictly higher
};

// A field as it must appear in a delimited file: as is, or enclosed in double quotes (with
// each '"' doubled) when it holds the separator, a quote, CR, LF, or starts or ends with a
// space (spreadsheets would otherwise trim it).
std::string delimitedField(std::string_view text, char separator = ',');

// Header "title,score,rank,catalogue_size", then one line per row in the order given. Scores
// are the shortest text that reads back as the same float32, with '.' in any locale. Lines
// end with "\n". Throws ExportError for a non-finite score or a rank outside
// 1..catalogueSize (the message names the title).
std::string scoreTableCsv(std::span<const ScoreTableRow> rows, std::size_t catalogueSize,
                          char separator = ',');

// Header "title" followed by every title, then one line per title: the title and its row of
// values (row i, column j = values(i, j)). Throws ExportError when values is not
// titles.size() x titles.size() or holds a non-finite value.
std::string similarityMatrixCsv(std::span<const std::string> titles, const RowMatrix& values,
                                char separator = ',');

// scoreTableCsv / similarityMatrixCsv written to path atomically (the old file stays whole
// when writing fails). Throw ExportError as above, FileWriteError when writing fails.
void writeScoreTableCsv(std::span<const ScoreTableRow> rows, std::size_t catalogueSize,
                        const std::filesystem::path& path);
void writeSimilarityMatrixCsv(std::span<const std::string> titles, const RowMatrix& values,
                              const std::filesystem::path& path);

} // namespace towerlab
