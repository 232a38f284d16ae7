#include "projection/trustworthiness.hpp"

#include "projection/input_checks.hpp"
#include "util/random.hpp"

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

namespace towerlab {

namespace {

using RowMatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// A neighbour ordered by distance, then index.
struct Key {
    double distance;
    int index;
    bool operator<(const Key& other) const {
        return distance < other.distance || (distance == other.distance && index < other.index);
    }
};

} // namespace

double trustworthiness(const RowMatrix& high, const RowMatrix& low, int k) {
    std::vector<int> rows(static_cast<std::size_t>(std::max<Eigen::Index>(high.rows(), 0)));
    std::iota(rows.begin(), rows.end(), 0);
    return trustworthiness(high, low, k, rows);
}

std::vector<int> trustworthinessSample(long n, int limit, std::uint64_t seed) {
    std::vector<int> rows(static_cast<std::size_t>(std::max(n, 0L)));
    std::iota(rows.begin(), rows.end(), 0);
    if (n <= limit) {
        return rows;
    }
    Random random(seed);
    for (int i = 0; i < limit; ++i) {
        const auto j = i + static_cast<long>(random.below(static_cast<std::uint64_t>(n - i)));
        std::swap(rows[static_cast<std::size_t>(i)], rows[static_cast<std::size_t>(j)]);
    }
    rows.resize(static_cast<std::size_t>(limit));
    std::sort(rows.begin(), rows.end());
    return rows;
}

double trustworthiness(const RowMatrix& high, const RowMatrix& low, int k,
                       const std::vector<int>& rows) {
    detail::requireFinitePoints(high, "trustworthiness", "high", 1);
    detail::requireFinitePoints(low, "trustworthiness", "low", 1);
    detail::require(high.rows() == low.rows(), "trustworthiness",
                    "high has " + std::to_string(high.rows()) + " points but low has " +
                        std::to_string(low.rows()));
    const auto n = static_cast<int>(high.rows());
    detail::require(k >= 1 && 2 * static_cast<double>(k) < n, "trustworthiness",
                    "k must be at least 1 and less than n / 2 = " + std::to_string(n / 2.0) +
                        ", got " + std::to_string(k));
    detail::require(!rows.empty(), "trustworthiness", "the list of rows to measure is empty");
    for (const int r : rows) {
        detail::require(r >= 0 && r < n, "trustworthiness",
                        "row " + std::to_string(r) + " is not in [0, " + std::to_string(n) + ")");
    }
    const auto m = static_cast<int>(rows.size());

    const RowMatrixD h = high.cast<double>();
    const RowMatrixD l = low.cast<double>();
    std::vector<std::int64_t> penalty(static_cast<std::size_t>(m), 0);

#pragma omp parallel
    {
        std::vector<Key> lowOrder;
        lowOrder.reserve(static_cast<std::size_t>(n));
        std::vector<Key> nearest(static_cast<std::size_t>(k));
        std::vector<std::int64_t> below(static_cast<std::size_t>(k) + 1);
#pragma omp for schedule(dynamic, 16)
        for (int row = 0; row < m; ++row) {
            const int i = rows[static_cast<std::size_t>(row)];
            // i's k nearest neighbours in the projection.
            lowOrder.clear();
            for (int j = 0; j < n; ++j) {
                if (j != i) {
                    lowOrder.push_back({(l.row(j) - l.row(i)).squaredNorm(), j});
                }
            }
            std::nth_element(lowOrder.begin(), lowOrder.begin() + (k - 1), lowOrder.end());
            for (int c = 0; c < k; ++c) {
                const int j = lowOrder[c].index;
                // ... keyed by their distance in the original space.
                nearest[c] = {(h.row(j) - h.row(i)).squaredNorm(), j};
            }
            std::sort(nearest.begin(), nearest.end());
            // rank(nearest[m]) = 1 + #{j != i : key(j) < key(nearest[m])}: bin every other
            // point by how many of the sorted neighbour keys it does not exceed, then a prefix
            // sum gives each neighbour's count of closer points.
            std::fill(below.begin(), below.end(), 0);
            for (int j = 0; j < n; ++j) {
                if (j == i) {
                    continue;
                }
                const Key key{(h.row(j) - h.row(i)).squaredNorm(), j};
                if (!(key < nearest.back())) {
                    continue; // at or beyond the farthest neighbour: closer than none of them
                }
                const auto bin = std::upper_bound(nearest.begin(), nearest.end(), key);
                ++below[bin - nearest.begin()];
            }
            std::int64_t closer = 0;
            std::int64_t sum = 0;
            for (int m = 0; m < k; ++m) {
                closer += below[m];
                const std::int64_t rank = closer + 1;
                sum += std::max<std::int64_t>(0, rank - k);
            }
            penalty[static_cast<std::size_t>(row)] = sum;
        }
    }

    std::int64_t total = 0;
    for (const std::int64_t p : penalty) {
        total += p;
    }
    const double nd = n;
    const double md = m;
    const double kd = k;
    return 1.0 - static_cast<double>(total) * (2.0 / (md * kd * (2.0 * nd - 3.0 * kd - 1.0)));
}

} // namespace towerlab
