#pragma once
// t-SNE's input affinities P (internal to the module): each point's Gaussian conditional
// distribution calibrated to the perplexity, then symmetrised and normalised to sum to 1.

#include <Eigen/Core>

#include <vector>

namespace towerlab::detail {

using RowMatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Finds beta so that p_j = exp(-beta d2_j) / sum has entropy log(perplexity) (nats), by
// scikit-learn's bisection (start 1, doubling or halving until bracketed, 100 steps at most,
// tolerance 1e-5). d2 are squared distances to the `count` candidate neighbours (the point
// itself excluded); p receives the normalised probabilities. Returns beta.
double calibrateRow(const double* d2, int count, double perplexity, double* p);

// Symmetric sparse P over each point's `neighbours` nearest neighbours (exact, by brute force;
// ties broken by the lower index), in compressed rows with columns ascending.
struct SparseAffinities {
    std::vector<int> rowStart; // n + 1 offsets into column / value
    std::vector<int> column;
    std::vector<double> value; // sums to 1 over all entries
};

// Both run their row loops on `threads` OpenMP threads; the result does not depend on it.
SparseAffinities sparseAffinities(const RowMatrixD& points, double perplexity, int neighbours,
                                  int threads);

// Dense symmetric P over all pairs: zero diagonal, off-diagonal entries at least DBL_EPSILON
// (as scikit-learn's exact method), summing to 1 up to that floor.
Eigen::MatrixXd denseAffinities(const RowMatrixD& points, double perplexity, int threads);

} // namespace towerlab::detail
