#include "projection/tsne_affinities.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace towerlab::detail {

namespace {

// Rows per distance block: one block's GEMM is the unit of parallel work, and blocks are cut
// from N alone so every distance is computed the same way whatever the thread count.
constexpr Eigen::Index kBlockRows = 64;
// Columns per distance block in the neighbour search: 64 x 2048 doubles (1 MB) stay in the
// core's L2 cache between the GEMM writing them and the selection reading them; whole rows
// (62,000 columns, 32 MB a block) went out to memory and back.
constexpr Eigen::Index kBlockColumns = 2048;

// The end of the column block starting at c0. A last block of one column would make Eigen
// take its matrix-vector path, which sums a dot product in another order than its GEMM (and
// so than whole rows did); it joins the block before instead.
Eigen::Index columnBlockEnd(Eigen::Index c0, Eigen::Index n) {
    const Eigen::Index end = std::min(n, c0 + kBlockColumns);
    return n - end == 1 ? n : end;
}

// out(r - begin, c - c0) = |q_r - x_c|^2 for r in [begin, end), c in [c0, c1), by the norm
// expansion as scikit-learn does; rounding can make it slightly negative, which is clamped to
// 0. Up to 2,049 points a row is one block and its distances are bit for bit those of the
// whole-row product used before; beyond, Eigen's GEMM may round a dot product's last bit
// differently depending on where the column block starts (its kernels peel columns by
// position), so a near-tie between two neighbours may resolve the other way.
void squaredDistances(const RowMatrixD& q, const Eigen::VectorXd& qNorms, const RowMatrixD& x,
                      const Eigen::VectorXd& norms, Eigen::Index begin, Eigen::Index end,
                      Eigen::Index c0, Eigen::Index c1, RowMatrixD& out) {
    const Eigen::Index rows = end - begin;
    const Eigen::Index cols = c1 - c0;
    out.resize(rows, cols);
    out.noalias() = -2.0 * q.middleRows(begin, rows) * x.middleRows(c0, cols).transpose();
    out.rowwise() += norms.segment(c0, cols).transpose();
    out.colwise() += qNorms.segment(begin, rows);
    out = out.cwiseMax(0.0);
}

// A neighbour candidate, ordered by distance, then index.
struct Candidate {
    double d2;
    int index;
};
bool before(const Candidate& a, const Candidate& b) {
    return a.d2 < b.d2 || (a.d2 == b.d2 && a.index < b.index);
}

} // namespace

double calibrateRow(const double* d2, int count, double perplexity, double* p) {
    constexpr int kSteps = 100;
    constexpr double kTolerance = 1e-5;
    const double target = std::log(perplexity);
    // Shifting every distance by the smallest leaves p and the entropy unchanged but keeps the
    // largest exp() at 1, so far-away points cannot make the sum underflow to zero.
    const double nearest = *std::min_element(d2, d2 + count);
    double beta = 1.0;
    double betaMin = -std::numeric_limits<double>::infinity();
    double betaMax = std::numeric_limits<double>::infinity();
    for (int step = 0; step < kSteps; ++step) {
        double sum = 0.0;
        for (int j = 0; j < count; ++j) {
            p[j] = std::exp(-(d2[j] - nearest) * beta);
            sum += p[j];
        }
        double weighted = 0.0;
        for (int j = 0; j < count; ++j) {
            p[j] /= sum;
            weighted += (d2[j] - nearest) * p[j];
        }
        const double entropy = std::log(sum) + beta * weighted;
        const double diff = entropy - target;
        if (std::abs(diff) <= kTolerance) {
            break;
        }
        if (diff > 0.0) {
            betaMin = beta;
            beta = std::isinf(betaMax) ? beta * 2.0 : (beta + betaMax) / 2.0;
        } else {
            betaMax = beta;
            beta = std::isinf(betaMin) ? beta / 2.0 : (beta + betaMin) / 2.0;
        }
    }
    return beta;
}

namespace {

// Each row of `queries`' k nearest rows of `points`; `self`: the two are one matrix and a row
// is not its own neighbour.
Neighbours searchNeighbours(const RowMatrixD& queries, const RowMatrixD& points, bool self, int k,
                            int threads, const RowMonitor& monitor) {
    const Eigen::Index m = queries.rows();
    const Eigen::Index n = points.rows();
    Neighbours out;
    out.k = k;
    out.index.resize(static_cast<std::size_t>(m * k));
    out.d2.resize(static_cast<std::size_t>(m * k));
    const Eigen::VectorXd norms = points.rowwise().squaredNorm();
    const Eigen::VectorXd queryNorms = self ? norms : queries.rowwise().squaredNorm();
    const Eigen::Index blocks = (m + kBlockRows - 1) / kBlockRows;
    std::atomic<Eigen::Index> rowsDone{0};

#pragma omp parallel num_threads(threads)
    {
        RowMatrixD distances;
        // One bounded max-heap of the k best candidates so far per row of the block.
        std::vector<Candidate> heaps(static_cast<std::size_t>(kBlockRows * k));
        std::vector<int> sizes(static_cast<std::size_t>(kBlockRows));
#pragma omp for schedule(dynamic, 1)
        for (Eigen::Index block = 0; block < blocks; ++block) {
            if (monitor.cancelled()) {
                continue; // an OpenMP loop cannot break; the remaining blocks are skipped
            }
            const Eigen::Index begin = block * kBlockRows;
            const Eigen::Index end = std::min(m, begin + kBlockRows);
            std::fill(sizes.begin(), sizes.end(), 0);
            for (Eigen::Index c0 = 0, c1 = 0; c0 < n; c0 = c1) {
                c1 = columnBlockEnd(c0, n);
                squaredDistances(queries, queryNorms, points, norms, begin, end, c0, c1, distances);
                for (Eigen::Index i = begin; i < end; ++i) {
                    Candidate* heap = &heaps[static_cast<std::size_t>((i - begin) * k)];
                    int& size = sizes[static_cast<std::size_t>(i - begin)];
                    const double* row = distances.row(i - begin).data();
                    for (Eigen::Index c = 0; c < c1 - c0; ++c) {
                        const double d = row[c];
                        // Columns arrive in ascending index order, so a candidate at the same
                        // distance as the worst kept one loses the tie: only strictly closer
                        // ones get in, and most of a row fails this one comparison.
                        if (size == k && !(d < heap[0].d2)) {
                            continue;
                        }
                        const auto j = static_cast<int>(c0 + c);
                        if (self && j == i) {
                            continue;
                        }
                        if (size < k) {
                            heap[size++] = {d, j};
                            std::push_heap(heap, heap + size, before);
                        } else {
                            std::pop_heap(heap, heap + k, before);
                            heap[k - 1] = {d, j};
                            std::push_heap(heap, heap + k, before);
                        }
                    }
                }
            }
            for (Eigen::Index i = begin; i < end; ++i) {
                Candidate* heap = &heaps[static_cast<std::size_t>((i - begin) * k)];
                std::sort_heap(heap, heap + k, before);
                for (int c = 0; c < k; ++c) {
                    out.index[static_cast<std::size_t>(i * k + c)] = heap[c].index;
                    out.d2[static_cast<std::size_t>(i * k + c)] = heap[c].d2;
                }
            }
            const Eigen::Index done = rowsDone.fetch_add(end - begin) + (end - begin);
            if (omp_get_thread_num() == 0 && monitor.progress) {
                monitor.progress(done, m); // the calling thread is the team's thread 0
            }
        }
    }
    return out;
}

} // namespace

Neighbours nearestNeighbours(const RowMatrixD& points, int k, int threads,
                             const RowMonitor& monitor) {
    return searchNeighbours(points, points, true, k, threads, monitor);
}

Neighbours nearestNeighbours(const RowMatrixD& queries, const RowMatrixD& points, int k,
                             int threads, const RowMonitor& monitor) {
    return searchNeighbours(queries, points, false, k, threads, monitor);
}

SparseAffinities sparseAffinities(const RowMatrixD& points, double perplexity, int neighbours,
                                  int threads, const RowMonitor& monitor) {
    const Eigen::Index n = points.rows();
    const int k = neighbours;
    const Neighbours nearestOf = nearestNeighbours(points, k, threads, monitor);
    if (monitor.cancelled()) {
        return {};
    }
    const std::vector<int>& nearest = nearestOf.index;
    // Conditional P: row i holds p_{j|i} for its k nearest neighbours.
    std::vector<double> conditional(static_cast<std::size_t>(n * k));
#pragma omp parallel for num_threads(threads) schedule(static)
    for (Eigen::Index i = 0; i < n; ++i) {
        calibrateRow(&nearestOf.d2[static_cast<std::size_t>(i * k)], k, perplexity,
                     &conditional[static_cast<std::size_t>(i * k)]);
    }

    // P = (P_cond + P_cond^T) / sum: row i gets its own k entries and one entry per point that
    // has i among its neighbours; a pair present both ways merges into one entry.
    SparseAffinities result;
    result.rowStart.assign(static_cast<std::size_t>(n + 1), 0);
    for (Eigen::Index i = 0; i < n; ++i) {
        result.rowStart[i + 1] += k;
        for (int c = 0; c < k; ++c) {
            ++result.rowStart[nearest[i * k + c] + 1];
        }
    }
    std::partial_sum(result.rowStart.begin(), result.rowStart.end(), result.rowStart.begin());
    std::vector<std::pair<int, double>> entries(static_cast<std::size_t>(result.rowStart[n]));
    std::vector<int> fill(result.rowStart.begin(), result.rowStart.end() - 1);
    for (Eigen::Index i = 0; i < n; ++i) {
        for (int c = 0; c < k; ++c) {
            const int j = nearest[i * k + c];
            const double p = conditional[i * k + c];
            entries[fill[i]++] = {j, p};
            entries[fill[j]++] = {static_cast<int>(i), p};
        }
    }
    result.column.reserve(entries.size());
    result.value.reserve(entries.size());
    int written = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
        const auto first = entries.begin() + result.rowStart[i];
        const auto last = entries.begin() + result.rowStart[i + 1];
        // Stable, so the two halves of a pair are added in the same order every time.
        std::stable_sort(first, last,
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        result.rowStart[i] = written;
        for (auto it = first; it != last; ++it) {
            if (!result.column.empty() && written > result.rowStart[i] &&
                result.column.back() == it->first) {
                result.value.back() += it->second;
            } else {
                result.column.push_back(it->first);
                result.value.push_back(it->second);
                ++written;
            }
        }
    }
    result.rowStart[n] = written;
    double total = 0.0;
    for (double v : result.value) {
        total += v;
    }
    total = std::max(total, std::numeric_limits<double>::epsilon());
    for (double& v : result.value) {
        v /= total;
    }
    return result;
}

Eigen::MatrixXd denseAffinities(const RowMatrixD& points, double perplexity, int threads) {
    const Eigen::Index n = points.rows();
    const Eigen::VectorXd norms = points.rowwise().squaredNorm();
    // Column i holds p_{j|i}; symmetrising below makes rows and columns interchangeable.
    Eigen::MatrixXd conditional = Eigen::MatrixXd::Zero(n, n);
    const Eigen::Index blocks = (n + kBlockRows - 1) / kBlockRows;

#pragma omp parallel num_threads(threads)
    {
        RowMatrixD distances;
        std::vector<double> d2(static_cast<std::size_t>(n));
        std::vector<double> p(static_cast<std::size_t>(n));
#pragma omp for schedule(dynamic, 1)
        for (Eigen::Index block = 0; block < blocks; ++block) {
            const Eigen::Index begin = block * kBlockRows;
            const Eigen::Index end = std::min(n, begin + kBlockRows);
            squaredDistances(points, norms, points, norms, begin, end, 0, n, distances);
            for (Eigen::Index i = begin; i < end; ++i) {
                int m = 0;
                for (Eigen::Index j = 0; j < n; ++j) {
                    if (j != i) {
                        d2[m++] = distances(i - begin, j);
                    }
                }
                calibrateRow(d2.data(), m, perplexity, p.data());
                m = 0;
                for (Eigen::Index j = 0; j < n; ++j) {
                    if (j != i) {
                        conditional(j, i) = p[m++];
                    }
                }
            }
        }
    }

    Eigen::MatrixXd joint = conditional + conditional.transpose();
    const double total = std::max(joint.sum(), std::numeric_limits<double>::epsilon());
    joint /= total;
    joint = joint.cwiseMax(std::numeric_limits<double>::epsilon());
    joint.diagonal().setZero();
    return joint;
}

} // namespace towerlab::detail
