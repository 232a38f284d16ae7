#include "projection/alignment.hpp"

#include "projection/input_checks.hpp"

#include <Eigen/SVD>

#include <string>

namespace towerlab {

void alignTo(const RowMatrix& previous, RowMatrix& current) {
    RowMatrix none(0, current.cols());
    alignTo(previous, current, none);
}

void alignTo(const RowMatrix& previous, RowMatrix& current, RowMatrix& companions) {
    detail::requireFinitePoints(previous, "alignTo", "previous", 1);
    detail::requireFinitePoints(current, "alignTo", "current", 1);
    detail::require(previous.rows() == current.rows() && previous.cols() == current.cols(),
                    "alignTo",
                    "previous is " + std::to_string(previous.rows()) + " x " +
                        std::to_string(previous.cols()) + " but current is " +
                        std::to_string(current.rows()) + " x " + std::to_string(current.cols()));

    const Eigen::MatrixXd target = previous.cast<double>();
    const Eigen::MatrixXd source = current.cast<double>();
    const Eigen::RowVectorXd targetMean = target.colwise().mean();
    const Eigen::RowVectorXd sourceMean = source.colwise().mean();
    detail::require(companions.rows() == 0 || companions.cols() == current.cols(), "alignTo",
                    "companions have " + std::to_string(companions.cols()) +
                        " columns but current has " + std::to_string(current.cols()));
    if (companions.rows() > 0) {
        detail::requireFinitePoints(companions, "alignTo", "companions", 1);
    }
    const Eigen::MatrixXd extra = companions.cast<double>().rowwise() - sourceMean;
    const Eigen::MatrixXd a = source.rowwise() - sourceMean;
    const Eigen::MatrixXd b = target.rowwise() - targetMean;
    const double spread = a.squaredNorm();
    Eigen::MatrixXd aligned;
    if (spread == 0.0) {
        aligned = b * 0.0;
        companions = (extra.rowwise() + targetMean).cast<float>();
    } else {
        // min over orthogonal R of |a R - b|^2 is R = U V^T for a^T b = U S V^T (Schönemann);
        // the best scale is then trace(S) / |a|^2.
        const Eigen::JacobiSVD<Eigen::MatrixXd> svd(a.transpose() * b,
                                                    Eigen::ComputeFullU | Eigen::ComputeFullV);
        const Eigen::MatrixXd rotation = svd.matrixU() * svd.matrixV().transpose();
        const double scale = svd.singularValues().sum() / spread;
        aligned = scale * a * rotation;
        companions = ((scale * extra * rotation).rowwise() + targetMean).cast<float>();
    }
    current = (aligned.rowwise() + targetMean).cast<float>();
}

} // namespace towerlab
