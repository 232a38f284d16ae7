#pragma once
// Principal component analysis of a point cloud (one point per row).

#include "projection/projection_types.hpp"

namespace towerlab {

struct PcaResult {
    RowMatrix projected;               // N x components: (point - mean) * components^T
    Eigen::MatrixXd components;        // components x D, orthonormal rows, largest variance first
    Eigen::RowVectorXd mean;           // 1 x D, subtracted before projecting
    Eigen::VectorXd explainedVariance; // per component, with the N - 1 denominator
    // Per component, its share of the total variance (sum over all D directions); all zero when
    // the points have no variance at all.
    Eigen::VectorXd explainedVarianceRatio;
};

// Centres the points and takes the top `components` eigenvectors of their covariance
// (SelfAdjointEigenSolver on the D x D matrix, in double; meant for D up to a few hundred).
// Each component's sign is fixed so that its largest-magnitude loading is positive (the first
// such loading on a tie), so the same data always gives the same picture.
// Throws ProjectionError when there are fewer than 2 points, a value is NaN or infinite, or
// components is not in [1, D]. Thread-safe (no shared state).
PcaResult pca(const RowMatrix& points, int components = 2);

// Projects other points (e.g. a query) into a fitted PCA's coordinates.
// Throws ProjectionError when the column count differs from the fit's or a value is not finite.
RowMatrix pcaTransform(const PcaResult& fit, const RowMatrix& points);

} // namespace towerlab
