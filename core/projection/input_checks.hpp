#pragma once
// Argument checks shared by the projection functions (internal to the module).

#include "projection/projection_types.hpp"

#include <string>

namespace towerlab::detail {

// Throws ProjectionError "<function>: <name> ..." unless `points` has at least `minRows` rows,
// at least one column and only finite values (the first bad value's row and column are named).
void requireFinitePoints(const RowMatrix& points, const std::string& function,
                         const std::string& name, Eigen::Index minRows);

// Throws ProjectionError "<function>: <message>" unless `condition` holds.
void require(bool condition, const std::string& function, const std::string& message);

} // namespace towerlab::detail
