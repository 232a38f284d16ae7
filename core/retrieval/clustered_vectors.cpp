#include "retrieval/clustered_vectors.hpp"

#include "util/random.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace towerlab {

namespace {

void checkSpec(const ClusteredVectorsSpec& spec) {
    if (spec.rows < 1 || spec.dim < 1 || spec.clusters < 1) {
        throw std::invalid_argument("clustered vectors: rows, dim and clusters must be at least "
                                    "1, got " +
                                    std::to_string(spec.rows) + ", " + std::to_string(spec.dim) +
                                    ", " + std::to_string(spec.clusters));
    }
}

RowMatrix centres(const ClusteredVectorsSpec& spec) {
    Random random(spec.seed);
    RowMatrix c(spec.clusters, spec.dim);
    for (Eigen::Index i = 0; i < c.size(); ++i) {
        c.data()[i] = static_cast<float>(random.normal());
    }
    c.rowwise().normalize();
    return c;
}

// Cluster c drawn with weight 1/(c+1): a few broad tastes and many niche ones.
std::vector<double> clusterCdf(int clusters) {
    std::vector<double> cdf(static_cast<std::size_t>(clusters));
    double sum = 0.0;
    for (int c = 0; c < clusters; ++c) {
        sum += 1.0 / (c + 1);
        cdf[static_cast<std::size_t>(c)] = sum;
    }
    for (double& v : cdf) {
        v /= sum;
    }
    return cdf;
}

RowVector around(const RowMatrix& centre, const std::vector<double>& cdf, double spread,
                 Random& random) {
    const double u = random.uniformDouble();
    const auto c = static_cast<Eigen::Index>(std::min<std::size_t>(
        static_cast<std::size_t>(std::lower_bound(cdf.begin(), cdf.end(), u) - cdf.begin()),
        cdf.size() - 1));
    RowVector v = centre.row(c);
    const double scale = spread / std::sqrt(static_cast<double>(v.size()));
    for (Eigen::Index j = 0; j < v.size(); ++j) {
        v[j] += static_cast<float>(scale * random.normal());
    }
    v.normalize();
    return v;
}

} // namespace

RowMatrix clusteredCandidates(const ClusteredVectorsSpec& spec) {
    checkSpec(spec);
    const RowMatrix c = centres(spec);
    const std::vector<double> cdf = clusterCdf(spec.clusters);
    Random random(spec.seed ^ 0x9E3779B97F4A7C15ULL);
    std::vector<int> popularityRank(static_cast<std::size_t>(spec.rows));
    std::iota(popularityRank.begin(), popularityRank.end(), 1);
    random.shuffle(popularityRank.begin(), popularityRank.end());
    RowMatrix out(spec.rows, spec.dim);
    for (int i = 0; i < spec.rows; ++i) {
        const double length =
            1.0 + 0.25 * std::log(1.0 + 1000.0 / popularityRank[static_cast<std::size_t>(i)]);
        out.row(i) = around(c, cdf, spec.spread, random) * static_cast<float>(length);
    }
    return out;
}

RowMatrix clusteredQueries(const ClusteredVectorsSpec& spec, int count, std::uint64_t querySeed) {
    checkSpec(spec);
    if (count < 1) {
        throw std::invalid_argument("clustered queries: count must be at least 1, got " +
                                    std::to_string(count));
    }
    const RowMatrix c = centres(spec);
    const std::vector<double> cdf = clusterCdf(spec.clusters);
    Random random(querySeed);
    RowMatrix out(count, spec.dim);
    for (int i = 0; i < count; ++i) {
        out.row(i) = around(c, cdf, spec.spread, random);
    }
    return out;
}

} // namespace towerlab
