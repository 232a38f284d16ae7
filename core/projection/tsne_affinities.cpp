#include "projection/tsne_affinities.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace towerlab::detail {

namespace {

// Rows per distance block: one block's GEMM is the unit of parallel work, and blocks are cut
// from N alone so every distance is computed the same way whatever the thread count.
constexpr Eigen::Index kBlockRows = 64;

// out(r - begin, j) = |x_r - x_j|^2 for r in [begin, end), by the norm expansion as
// scikit-learn does; rounding can make it slightly negative, which is clamped to 0.
void squaredDistances(const RowMatrixD& x, const Eigen::VectorXd& norms, Eigen::Index begin,
                      Eigen::Index end, RowMatrixD& out) {
    const Eigen::Index rows = end - begin;
    out.resize(rows, x.rows());
    out.noalias() = -2.0 * x.middleRows(begin, rows) * x.transpose();
    out.rowwise() += norms.transpose();
    out.colwise() += norms.segment(begin, rows);
    out = out.cwiseMax(0.0);
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

SparseAffinities sparseAffinities(const RowMatrixD& points, double perplexity, int neighbours,
                                  int threads) {
    const Eigen::Index n = points.rows();
    const int k = neighbours;
    const Eigen::VectorXd norms = points.rowwise().squaredNorm();
    // Conditional P: row i holds p_{j|i} for its k nearest neighbours.
    std::vector<int> nearest(static_cast<std::size_t>(n * k));
    std::vector<double> conditional(static_cast<std::size_t>(n * k));
    const Eigen::Index blocks = (n + kBlockRows - 1) / kBlockRows;

#pragma omp parallel num_threads(threads)
    {
        RowMatrixD distances;
        std::vector<int> order(static_cast<std::size_t>(n));
        std::vector<double> d2(static_cast<std::size_t>(k));
#pragma omp for schedule(dynamic, 1)
        for (Eigen::Index block = 0; block < blocks; ++block) {
            const Eigen::Index begin = block * kBlockRows;
            const Eigen::Index end = std::min(n, begin + kBlockRows);
            squaredDistances(points, norms, begin, end, distances);
            for (Eigen::Index i = begin; i < end; ++i) {
                const double* row = distances.row(i - begin).data();
                int m = 0;
                for (int j = 0; j < n; ++j) {
                    if (j != i) {
                        order[m++] = j;
                    }
                }
                const auto closer = [row](int a, int b) {
                    return row[a] < row[b] || (row[a] == row[b] && a < b);
                };
                if (k < m) {
                    std::nth_element(order.begin(), order.begin() + k, order.begin() + m, closer);
                }
                std::sort(order.begin(), order.begin() + k, closer);
                for (int c = 0; c < k; ++c) {
                    nearest[i * k + c] = order[c];
                    d2[c] = row[order[c]];
                }
                calibrateRow(d2.data(), k, perplexity, &conditional[i * k]);
            }
        }
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
            squaredDistances(points, norms, begin, end, distances);
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
