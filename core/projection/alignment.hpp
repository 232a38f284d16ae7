#pragma once
// Keeps successive projections of changing data visually stable.

#include "projection/projection_types.hpp"

namespace towerlab {

// Replaces `current` with s * current * R + t, where the orthogonal R (a rotation, possibly
// with a reflection), the scale s >= 0 and the translation t minimise the summed squared
// distance to `previous`, row by row (ordinary Procrustes analysis, solved by an SVD). Row i of
// both must be the same item. Used so a re-projection during training does not spin, flip or
// drift relative to the last frame. Works for any dimension; when `current` has no spread, only
// the translation is applied.
// Throws ProjectionError when the shapes differ, there are no rows, or a value is not finite.
void alignTo(const RowMatrix& previous, RowMatrix& current);

// The same, and moves `companions` (extra points of the current projection that take no part
// in the fit, e.g. a query marker) by the same transform, so they keep their place relative
// to `current`. companions must have current's column count (any number of rows, 0 too).
void alignTo(const RowMatrix& previous, RowMatrix& current, RowMatrix& companions);

} // namespace towerlab
