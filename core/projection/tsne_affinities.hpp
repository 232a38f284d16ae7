#pragma once
// t-SNE's input affinities P (internal to the module): each point's Gaussian conditional
// distribution calibrated to the perplexity, then symmetrised and normalised to sum to 1.

#include <Eigen/Core>

#include <atomic>
#include <functional>
#include <vector>

namespace towerlab::detail {

using RowMatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Finds beta so that p_j = exp(-beta d2_j) / sum has entropy log(perplexity) (nats), by
// scikit-learn's bisection (start 1, doubling or halving until bracketed, 100 steps at most,
// tolerance 1e-5). d2 are squared distances to the `count` candidate neighbours (the point
// itself excluded); p receives the normalised probabilities. Returns beta.
double calibrateRow(const double* d2, int count, double perplexity, double* p);

// Each point's k nearest other points, nearest first: index[i * k + c] is point i's c-th
// neighbour and d2[i * k + c] its squared distance.
struct Neighbours {
    int k = 0;
    std::vector<int> index;
    std::vector<double> d2;
};

// Watches a long computation: `cancel` (may be null) is read before every block of rows, and
// `progress` (may be empty) gets the rows done so far, called on the calling thread only.
struct RowMonitor {
    const std::atomic<bool>* cancel = nullptr;
    std::function<void(Eigen::Index done, Eigen::Index total)> progress;
    bool cancelled() const { return cancel != nullptr && cancel->load(std::memory_order_relaxed); }
};

// Exact k nearest neighbours by brute force, 1 <= k < n: squared distances by the norm
// expansion |a|^2 + |b|^2 - 2 a.b (clamped at 0, as scikit-learn) computed as blocked GEMMs,
// each row's k smallest kept by a bounded heap while the row is scanned; ties go to the lower
// index. O(n^2 D) time, O(n k) memory. Runs on `threads` OpenMP threads; the result does not
// depend on it. When the monitor's cancel flag is set, returns early with the rows not yet
// done left unfilled (the caller must check the flag).
Neighbours nearestNeighbours(const RowMatrixD& points, int k, int threads,
                             const RowMonitor& monitor = {});
// The same for other points: each row of `queries`' k nearest rows of `points` (1 <= k <= its
// rows), a row of `points` equal to the query included; the monitor counts query rows.
Neighbours nearestNeighbours(const RowMatrixD& queries, const RowMatrixD& points, int k,
                             int threads, const RowMonitor& monitor = {});

// Symmetric sparse P over each point's `neighbours` nearest neighbours (nearestNeighbours
// above), in compressed rows with columns ascending.
struct SparseAffinities {
    std::vector<int> rowStart; // n + 1 offsets into column / value
    std::vector<int> column;
    std::vector<double> value; // sums to 1 over all entries
};

// Both run their row loops on `threads` OpenMP threads; the result does not depend on it.
// sparseAffinities reports the rows whose neighbours and calibration are done to the monitor,
// and returns an empty result (no rowStart) when it was cancelled.
SparseAffinities sparseAffinities(const RowMatrixD& points, double perplexity, int neighbours,
                                  int threads, const RowMonitor& monitor = {});

// Dense symmetric P over all pairs: zero diagonal, off-diagonal entries at least DBL_EPSILON
// (as scikit-learn's exact method), summing to 1 up to that floor.
Eigen::MatrixXd denseAffinities(const RowMatrixD& points, double perplexity, int threads);

} // namespace towerlab::detail
