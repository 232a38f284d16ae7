#pragma once
// The types every projection function shares. The module depends on Eigen only, so it spells
// out the engine's RowMatrix itself: an alias may be redeclared as the same type, so this and
// nn/tensor.hpp's alias name one type and a model's embeddings pass straight in.

#include <Eigen/Core>

#include <stdexcept>

namespace towerlab {

// One point per row (row-major float), as the towers produce embeddings.
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Invalid input to a projection function: empty or non-finite points, mismatched shapes,
// out-of-range options. The message names the function, the parameter and the bad value.
class ProjectionError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

} // namespace towerlab
