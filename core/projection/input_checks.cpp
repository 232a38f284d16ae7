#include "projection/input_checks.hpp"

#include <cmath>

namespace towerlab::detail {

void requireFinitePoints(const RowMatrix& points, const std::string& function,
                         const std::string& name, Eigen::Index minRows) {
    if (points.rows() < minRows || points.cols() < 1) {
        throw ProjectionError(function + ": " + name + " needs at least " +
                              std::to_string(minRows) + " rows and 1 column, got " +
                              std::to_string(points.rows()) + " x " +
                              std::to_string(points.cols()));
    }
    for (Eigen::Index r = 0; r < points.rows(); ++r) {
        for (Eigen::Index c = 0; c < points.cols(); ++c) {
            if (!std::isfinite(points(r, c))) {
                throw ProjectionError(function + ": " + name + " has a non-finite value at row " +
                                      std::to_string(r) + ", column " + std::to_string(c));
            }
        }
    }
}

void require(bool condition, const std::string& function, const std::string& message) {
    if (!condition) {
        throw ProjectionError(function + ": " + message);
    }
}

} // namespace towerlab::detail
