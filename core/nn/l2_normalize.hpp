#pragma once
// Row-wise L2 normalisation with tf.math.l2_normalize's semantics: y = x / sqrt(max(|x|², ε)),
// ε = 1e-12, so a row shorter than 1e-6 is scaled by 1e6 instead of dividing by ~0. Used on
// each tower's output to make the retrieval scores cosines.

#include "nn/tensor.hpp"

namespace towerlab {

inline constexpr float kL2NormalizeEpsilon = 1e-12f;

// What the backward pass needs of the forward one; reused across batches.
struct L2NormalizeWorkspace {
    RowMatrix output;            // the normalised rows
    Eigen::VectorXf squaredNorm; // |x|² per row
    Eigen::VectorXf inverseNorm; // 1 / sqrt(max(|x|², ε)) per row
};

// ws.output = x with every row normalised. Allocates only when the shape changes.
void l2NormalizeRows(const RowMatrix& x, L2NormalizeWorkspace& ws);
// In place: `grad` (dLoss/dOutput of the last forward on ws) becomes dLoss/dx.
// Where |x|² ≥ ε: inverseNorm · (g − y (y·g)); below ε the scale is a constant, so g · 1e6
// (TensorFlow's maximum() passes the gradient to |x|² only when it is the larger one).
void l2NormalizeRowsBackward(const L2NormalizeWorkspace& ws, RowMatrix& grad);

} // namespace towerlab
