#include "projection/tsne_subsample.hpp"

#include "projection/input_checks.hpp"
#include "projection/tsne_affinities.hpp"
#include "util/random.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace towerlab {

namespace {

// 62000 -> "62,000": the note is read beside a map, where thousands are easier with commas.
std::string grouped(long value) {
    const std::string digits = std::to_string(value);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && digits[i - 1] != '-' && (digits.size() - i) % 3 == 0) {
            out.push_back(',');
        }
        out.push_back(digits[i]);
    }
    return out;
}

double medianOf(std::vector<double>& values) {
    const auto middle = values.begin() + static_cast<long>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    if (values.size() % 2 == 1) {
        return *middle;
    }
    return 0.5 * (*middle + *std::max_element(values.begin(), middle));
}

} // namespace

TsneSubsample tsneSubsample(long n, const std::vector<double>& weights, int limit,
                            std::uint64_t seed) {
    detail::require(weights.empty() || static_cast<long>(weights.size()) == n, "tsneSubsample",
                    "there are " + std::to_string(weights.size()) + " weights for " +
                        std::to_string(n) + " points");
    for (std::size_t i = 0; i < weights.size(); ++i) {
        detail::require(std::isfinite(weights[i]), "tsneSubsample",
                        "weight " + std::to_string(i) + " is not finite");
    }
    TsneSubsample out;
    out.weighted = !weights.empty();
    std::vector<int> order(static_cast<std::size_t>(std::max(n, 0L)));
    std::iota(order.begin(), order.end(), 0);
    if (limit <= 0 || n <= limit) {
        out.embedded = std::move(order);
        return out;
    }
    if (out.weighted) {
        std::stable_sort(order.begin(), order.end(), [&weights](int a, int b) {
            return weights[static_cast<std::size_t>(a)] > weights[static_cast<std::size_t>(b)];
        });
    } else {
        Random random(seed);
        for (int i = 0; i < limit; ++i) {
            const auto j = i + static_cast<long>(random.below(static_cast<std::uint64_t>(n - i)));
            std::swap(order[static_cast<std::size_t>(i)], order[static_cast<std::size_t>(j)]);
        }
    }
    out.embedded.assign(order.begin(), order.begin() + limit);
    out.placed.assign(order.begin() + limit, order.end());
    std::sort(out.embedded.begin(), out.embedded.end());
    std::sort(out.placed.begin(), out.placed.end());
    return out;
}

RowMatrix embeddedRows(const RowMatrix& points, const TsneSubsample& subsample) {
    RowMatrix rows(static_cast<Eigen::Index>(subsample.embedded.size()), points.cols());
    for (Eigen::Index r = 0; r < rows.rows(); ++r) {
        rows.row(r) = points.row(subsample.embedded[static_cast<std::size_t>(r)]);
    }
    return rows;
}

RowMatrix placeSubsample(const RowMatrix& points, const TsneSubsample& subsample,
                         const RowMatrix& embeddedMap, int neighbours, int threads,
                         const std::atomic<bool>* cancel) {
    const auto embedded = static_cast<Eigen::Index>(subsample.embedded.size());
    detail::require(embeddedMap.rows() == embedded && embeddedMap.cols() == 2, "placeSubsample",
                    "the map has " + std::to_string(embeddedMap.rows()) + " x " +
                        std::to_string(embeddedMap.cols()) + " values for " +
                        std::to_string(embedded) + " embedded points");
    detail::require(subsample.total() == points.rows(), "placeSubsample",
                    "the subsample covers " + std::to_string(subsample.total()) + " points of " +
                        std::to_string(points.rows()));
    detail::require(neighbours >= 1 && neighbours <= embedded, "placeSubsample",
                    "neighbours must be in [1, " + std::to_string(embedded) + "], got " +
                        std::to_string(neighbours));
    RowMatrix out(points.rows(), 2);
    for (Eigen::Index r = 0; r < embedded; ++r) {
        out.row(subsample.embedded[static_cast<std::size_t>(r)]) = embeddedMap.row(r);
    }
    if (!subsample.used()) {
        return out;
    }
    const auto placed = static_cast<Eigen::Index>(subsample.placed.size());
    detail::RowMatrixD reference(embedded, points.cols());
    for (Eigen::Index r = 0; r < embedded; ++r) {
        reference.row(r) =
            points.row(subsample.embedded[static_cast<std::size_t>(r)]).cast<double>();
    }
    detail::RowMatrixD queries(placed, points.cols());
    for (Eigen::Index r = 0; r < placed; ++r) {
        queries.row(r) = points.row(subsample.placed[static_cast<std::size_t>(r)]).cast<double>();
    }
    detail::RowMonitor monitor;
    monitor.cancel = cancel;
    const int team = threads > 0 ? threads : omp_get_max_threads();
    const detail::Neighbours near =
        detail::nearestNeighbours(queries, reference, neighbours, team, monitor);
    if (monitor.cancelled()) {
        return {};
    }
    std::vector<double> xs(static_cast<std::size_t>(neighbours));
    std::vector<double> ys(static_cast<std::size_t>(neighbours));
    for (Eigen::Index r = 0; r < placed; ++r) {
        for (int c = 0; c < neighbours; ++c) {
            const int e = near.index[static_cast<std::size_t>(r * neighbours + c)];
            xs[static_cast<std::size_t>(c)] = embeddedMap(e, 0);
            ys[static_cast<std::size_t>(c)] = embeddedMap(e, 1);
        }
        const Eigen::Index row = subsample.placed[static_cast<std::size_t>(r)];
        out(row, 0) = static_cast<float>(medianOf(xs));
        out(row, 1) = static_cast<float>(medianOf(ys));
    }
    return out;
}

std::string tsneSubsampleNote(const TsneSubsample& subsample, const std::string& noun,
                              const std::string& weightedBy) {
    if (!subsample.used()) {
        return {};
    }
    const std::string chosen =
        subsample.weighted
            ? "the " + grouped(static_cast<long>(subsample.embedded.size())) + " " + weightedBy
            : "a random " + grouped(static_cast<long>(subsample.embedded.size()));
    return "t-SNE mapped " + chosen + " of the " + grouped(subsample.total()) + " " + noun +
           " (more than " + grouped(kTsneFullRunLimit) +
           " points take over a minute here); the other " +
           grouped(static_cast<long>(subsample.placed.size())) + " sit at the median of their " +
           std::to_string(kTsnePlacementNeighbours) + " nearest mapped " + noun + ".";
}

} // namespace towerlab
