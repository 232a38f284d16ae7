#include "nn/l2_normalize.hpp"

#include <algorithm>
#include <cmath>

namespace towerlab {

void l2NormalizeRows(const RowMatrix& x, L2NormalizeWorkspace& ws) {
    ws.output.resize(x.rows(), x.cols());
    ws.squaredNorm.resize(x.rows());
    ws.inverseNorm.resize(x.rows());
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        const float squared = x.row(i).squaredNorm();
        const float inverse = 1.0f / std::sqrt(std::max(squared, kL2NormalizeEpsilon));
        ws.squaredNorm(i) = squared;
        ws.inverseNorm(i) = inverse;
        ws.output.row(i) = x.row(i) * inverse;
    }
}

void l2NormalizeRowsBackward(const L2NormalizeWorkspace& ws, RowMatrix& grad) {
    for (Eigen::Index i = 0; i < grad.rows(); ++i) {
        const float inverse = ws.inverseNorm(i);
        if (ws.squaredNorm(i) >= kL2NormalizeEpsilon) {
            const float along = ws.output.row(i).dot(grad.row(i));
            grad.row(i) = (grad.row(i) - along * ws.output.row(i)) * inverse;
        } else {
            grad.row(i) *= inverse;
        }
    }
}

} // namespace towerlab
