#pragma once

#include <Eigen/Core>

namespace towerlab {

// Activations and weights are row-major: one example (or one embedding row) per row, so a
// gathered batch row is contiguous and embedding rows are cache lines.
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;

} // namespace towerlab
