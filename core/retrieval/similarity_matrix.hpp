#pragma once
// Movie-to-movie similarities among a few chosen catalogue movies, for the Scores view's
// heat map and its CSV export.

#include "model/trained_model.hpp"
#include "retrieval/retrieval.hpp"

#include <cstdint>
#include <span>

namespace towerlab {

// An n x n matrix for n = movies.size(): cell (i, j) is the similarity of movies[j] to
// movies[i] in the candidate space (dot product or cosine), computed exactly as
// nearestMovies(model, movies[i], ...) computes it, so row i agrees to the bit with the
// scores of movies[i]'s nearest-movies list. The diagonal holds each movie with itself (its
// squared norm; for cosine 1 up to rounding, or 0 for a zero vector). Rounding may make cell
// (i, j) and (j, i) differ in the last bit. Throws std::out_of_range for an index outside the
// catalogue.
RowMatrix similarityMatrix(const TrainedModel& model, std::span<const std::int32_t> movies,
                           Similarity similarity);

} // namespace towerlab
