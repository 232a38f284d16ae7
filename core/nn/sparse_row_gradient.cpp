#include "nn/sparse_row_gradient.hpp"

namespace towerlab {

SparseRowGradient::SparseRowGradient(Eigen::Index tableRows, Eigen::Index dim)
    : m_slotOf(static_cast<std::size_t>(tableRows), -1), m_values(tableRows, dim) {
    m_touched.reserve(static_cast<std::size_t>(tableRows));
}

float* SparseRowGradient::row(std::int32_t index) {
    std::int32_t& slot = m_slotOf[static_cast<std::size_t>(index)];
    if (slot < 0) {
        slot = static_cast<std::int32_t>(m_touched.size());
        m_touched.push_back(index);
        m_values.row(slot).setZero();
    }
    return m_values.row(slot).data();
}

void SparseRowGradient::clear() {
    for (const std::int32_t index : m_touched) {
        m_slotOf[static_cast<std::size_t>(index)] = -1;
    }
    m_touched.clear();
}

} // namespace towerlab
