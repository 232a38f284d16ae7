#pragma once
// NumPy .npy files of float32 matrices (format version 1.0, see numpy.lib.format), so
// embeddings open with numpy.load(path) in one line.

#include "nn/tensor.hpp"

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace towerlab {

// A .npy file that cannot be read; what() is "<path>: <reason>".
class NpyError : public std::runtime_error {
public:
    NpyError(std::string path, const std::string& reason);
    const std::string& path() const { return m_path; }

private:
    std::string m_path;
};

// The complete file: magic, version 1.0, the header dict
// "{'descr': '<f4', 'fortran_order': False, 'shape': (rows, cols), }" padded with spaces and
// a newline so the data starts at a multiple of 64 bytes, then the values row by row as
// little-endian float32.
std::string encodeNpy(const RowMatrix& matrix);

// Writes encodeNpy(matrix) to path atomically; FileWriteError when that fails.
void writeNpy(const RowMatrix& matrix, const std::filesystem::path& path);

// Reads a 2-D little-endian float32 ('<f4') or float64 ('<f8', rounded to float32; out of
// float's range becomes inf) array, format versions 1.0, 2.0 and 3.0, C or Fortran order. Anything
// else (bad magic, another dtype or rank, a malformed header, a data size that does not match the
// shape) gives an NpyError; no input makes it allocate or loop more than the data the file holds
// (an empty (10^18, 0) array is read in no time).
RowMatrix decodeNpy(std::string_view bytes, const std::string& displayName);
RowMatrix readNpy(const std::filesystem::path& path);

} // namespace towerlab
