#pragma once
// Readers for embeddings written by other programs: the TensorFlow Embedding Projector's
// vectors.tsv and metadata.tsv (what projector_tsv.hpp writes, and what TensorFlow, PyTorch's
// TensorBoard writer and hand-made scripts write) and NumPy .npy matrices. They read what
// writeProjectorTsv and writeNpy write, back to the bit.

#include "nn/tensor.hpp"

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace towerlab {

// A vectors or metadata file that cannot be used. what() is "<file>, line <n>, <field>:
// <reason>" (line left out when 0, i.e. the whole file; field left out when empty), so a
// message names exactly where the problem is.
class EmbeddingFileError : public std::runtime_error {
public:
    EmbeddingFileError(std::string file, std::size_t line, std::string field,
                       const std::string& reason);
    const std::string& file() const { return m_file; }
    std::size_t line() const { return m_line; } // 1-based; 0 = the whole file
    const std::string& field() const { return m_field; }

private:
    std::string m_file;
    std::size_t m_line;
    std::string m_field;
};

// Thrown by the readers when ReadControl::cancel was set; nothing is returned.
class EmbeddingReadCancelled : public std::runtime_error {
public:
    EmbeddingReadCancelled() : std::runtime_error("reading the embeddings was cancelled") {}
};

// Progress and cancel for a long read. progress gets the fraction of the file's bytes parsed
// (0..1), called from the reading thread at most a few hundred times per file; cancel is
// polled at the same points. Both may be empty.
struct ReadControl {
    std::function<void(double)> progress;
    const std::atomic<bool>* cancel = nullptr;
};

// vectors.tsv: one vector per line, values separated by tabs (the Projector's format; no
// header). Every line must have the first line's number of values, each a finite decimal or
// scientific number as printed by C, Python or NumPy; a final newline is optional and a CR
// before each LF (Windows) is accepted. Empty text, a blank line before the last, a ragged
// line, a value that is not a number, NaN or inf give an EmbeddingFileError naming the line
// and the field (1-based value number). Parses with std::from_chars: no string per value.
RowMatrix parseVectorsTsv(std::string_view text, const std::string& file,
                          const ReadControl& control = {});

// metadata.tsv, by the Projector's rule: a single column has no header line (every line is a
// label); two or more columns have one (the first line names the columns). A CR before LF is
// dropped; the final newline is optional. A blank line is one row with an empty label (a
// single column) and a ragged row otherwise. Ragged rows, a blank column name and empty text
// give an EmbeddingFileError naming the line.
struct MetadataTable {
    std::vector<std::string> columns; // {"label"} for a single column without a header
    bool hasHeader = false;
    std::vector<std::vector<std::string>> rows; // each columns.size() values
};
MetadataTable parseMetadataTsv(std::string_view text, const std::string& file);

// A vectors file of either format: .npy when it starts with NumPy's magic bytes, otherwise
// the Projector's TSV. .npy: versions 1.0, 2.0 and 3.0, '<f4' or '<f8' (converted to float;
// a value beyond float's range is refused), 2-D (NpyError names the header field at fault).
// Every value must be finite (EmbeddingFileError naming the row and the column). Read in
// chunks with progress and cancel; a missing or unreadable file, a folder or a device give
// an EmbeddingFileError.
RowMatrix readVectorFile(const std::filesystem::path& path, const ReadControl& control = {});
MetadataTable readMetadataFile(const std::filesystem::path& path);

} // namespace towerlab
