#include "projection/pca.hpp"

#include "projection/input_checks.hpp"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>

namespace towerlab {

PcaResult pca(const RowMatrix& points, int components) {
    detail::requireFinitePoints(points, "pca", "points", 2);
    const Eigen::Index n = points.rows();
    const Eigen::Index d = points.cols();
    detail::require(components >= 1 && components <= d, "pca",
                    "components must be in [1, " + std::to_string(d) +
                        "] (the point dimension), got " + std::to_string(components));

    PcaResult result;
    const Eigen::MatrixXd x = points.cast<double>();
    result.mean = x.colwise().mean();
    const Eigen::MatrixXd centred = x.rowwise() - result.mean;
    Eigen::MatrixXd covariance = Eigen::MatrixXd::Zero(d, d);
    covariance.selfadjointView<Eigen::Lower>().rankUpdate(centred.transpose());
    covariance = covariance.selfadjointView<Eigen::Lower>();
    covariance /= static_cast<double>(n - 1);

    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance);
    detail::require(solver.info() == Eigen::Success, "pca",
                    "the covariance eigendecomposition did not converge");
    // Eigenvalues come in increasing order; a rank-deficient covariance can give tiny negative
    // ones from rounding, which are variances of zero.
    const double total = std::max(covariance.trace(), 0.0);
    result.components.resize(components, d);
    result.explainedVariance.resize(components);
    result.explainedVarianceRatio.resize(components);
    for (int c = 0; c < components; ++c) {
        const Eigen::Index source = d - 1 - c;
        Eigen::VectorXd v = solver.eigenvectors().col(source);
        Eigen::Index largest = 0;
        for (Eigen::Index k = 1; k < d; ++k) {
            if (std::abs(v(k)) > std::abs(v(largest))) {
                largest = k;
            }
        }
        if (v(largest) < 0.0) {
            v = -v;
        }
        result.components.row(c) = v.transpose();
        const double variance = std::max(solver.eigenvalues()(source), 0.0);
        result.explainedVariance(c) = variance;
        result.explainedVarianceRatio(c) = total > 0.0 ? variance / total : 0.0;
    }
    result.projected = (centred * result.components.transpose()).cast<float>();
    return result;
}

RowMatrix pcaTransform(const PcaResult& fit, const RowMatrix& points) {
    detail::requireFinitePoints(points, "pcaTransform", "points", 1);
    detail::require(points.cols() == fit.mean.cols(), "pcaTransform",
                    "points have " + std::to_string(points.cols()) +
                        " columns but the PCA was fitted on " + std::to_string(fit.mean.cols()));
    const Eigen::MatrixXd centred = points.cast<double>().rowwise() - fit.mean;
    return (centred * fit.components.transpose()).cast<float>();
}

} // namespace towerlab
