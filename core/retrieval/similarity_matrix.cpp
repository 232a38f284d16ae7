#include "retrieval/similarity_matrix.hpp"
#include "retrieval/movie_space.hpp"

#include <stdexcept>
#include <string>

namespace towerlab {

RowMatrix similarityMatrix(const TrainedModel& model, std::span<const std::int32_t> movies,
                           Similarity similarity) {
    return similarityMatrix(movieSpace(model), movies, similarity);
}

RowMatrix similarityMatrix(const MovieSpace& space, std::span<const std::int32_t> movies,
                           Similarity similarity) {
    const RowMatrix& c = space.vectors;
    for (const std::int32_t m : movies) {
        if (m < 0 || m >= c.rows()) {
            throw std::out_of_range("movie index " + std::to_string(m) +
                                    " is outside the catalogue of " + std::to_string(c.rows()) +
                                    " movies");
        }
    }
    const auto n = static_cast<Eigen::Index>(movies.size());
    RowMatrix out(n, n);
    if (n == 0) {
        return out;
    }
    Eigen::VectorXf norms;
    if (similarity == Similarity::Cosine) {
        norms = c.rowwise().norm();
    }
    for (Eigen::Index i = 0; i < n; ++i) {
        const std::int32_t a = movies[static_cast<std::size_t>(i)];
        // The same product and the same division as nearestMovies, not a dot product per
        // cell: a different summation order would round differently and the matrix would
        // disagree with the nearest list in the last digits.
        const Eigen::VectorXf scores = c * c.row(a).transpose();
        for (Eigen::Index j = 0; j < n; ++j) {
            const std::int32_t b = movies[static_cast<std::size_t>(j)];
            float value = scores[b];
            if (similarity == Similarity::Cosine) {
                const float denom = norms[b] * norms[a];
                value = denom > 0.0f ? value / denom : 0.0f;
            }
            out(i, j) = value;
        }
    }
    return out;
}

} // namespace towerlab
