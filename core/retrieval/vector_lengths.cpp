#include "retrieval/vector_lengths.hpp"

#include "retrieval/movie_space.hpp"

#include <cmath>
#include <limits>

namespace towerlab {

VectorLengths candidateVectorLengths(const TrainedModel& model) {
    return candidateVectorLengths(movieSpace(model));
}

VectorLengths candidateVectorLengths(const MovieSpace& space) {
    VectorLengths out;
    const RowMatrix& c = space.vectors;
    const auto n = static_cast<std::size_t>(c.rows());
    out.length.resize(n);
    for (std::size_t m = 0; m < n; ++m) {
        // In double: the norm of a float vector, not rounded to float again.
        out.length[m] = c.row(static_cast<Eigen::Index>(m)).cast<double>().norm();
    }
    out.ratings.assign(space.catalogue.popularity.begin(), space.catalogue.popularity.end());
    out.ratings.resize(n, 0);

    double meanX = 0.0, meanY = 0.0;
    for (std::size_t m = 0; m < n; ++m) {
        meanX += std::log1p(static_cast<double>(out.ratings[m]));
        meanY += out.length[m];
    }
    const auto count = static_cast<double>(n);
    meanX /= count;
    meanY /= count;
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (std::size_t m = 0; m < n; ++m) {
        const double x = std::log1p(static_cast<double>(out.ratings[m])) - meanX;
        const double y = out.length[m] - meanY;
        sxy += x * y;
        sxx += x * x;
        syy += y * y;
    }
    out.logPopularityCorrelation = n >= 2 && sxx > 0.0 && syy > 0.0
                                       ? sxy / std::sqrt(sxx * syy)
                                       : std::numeric_limits<double>::quiet_NaN();
    return out;
}

} // namespace towerlab
