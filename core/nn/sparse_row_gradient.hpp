#pragma once
// Gradient of an embedding table as (row index, row gradient) pairs. Repeated indices within a
// batch are summed into one row, as TensorFlow deduplicates IndexedSlices before an optimizer
// applies them. Storage is sized once; clear() touches only the rows used.

#include "nn/tensor.hpp"

#include <cstdint>
#include <vector>

namespace towerlab {

class SparseRowGradient {
public:
    SparseRowGradient() = default;
    SparseRowGradient(Eigen::Index tableRows, Eigen::Index dim);

    // The gradient row of table row `index`, zero on first use in this batch.
    float* row(std::int32_t index);
    void clear();

    std::size_t touchedCount() const { return m_touched.size(); }
    // touched()[i] is the table row whose gradient is values().row(i).
    const std::vector<std::int32_t>& touched() const { return m_touched; }
    const RowMatrix& values() const { return m_values; }
    Eigen::Index dim() const { return m_values.cols(); }

private:
    std::vector<std::int32_t> m_slotOf; // per table row, -1 when untouched
    std::vector<std::int32_t> m_touched;
    RowMatrix m_values;                 // tableRows x dim, first touchedCount() rows in use
};

} // namespace towerlab
