#pragma once
// Movie vectors with the catalogue they belong to: a trained model's candidate-tower output,
// or vectors another program made (ExternalEmbeddings). Everything that needs only the
// vectors — nearest movies, the top k for a query vector, the similarity matrix, vector
// lengths, title search — takes a MovieSpace, so it works the same on both; the TrainedModel
// overloads in retrieval.hpp, similarity_matrix.hpp and vector_lengths.hpp call these.
// Read-only; safe to call from several threads at once.

#include "model/trained_model.hpp"
#include "retrieval/retrieval.hpp"
#include "retrieval/vector_lengths.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace towerlab {

// A view: the catalogue and the vectors must outlive it.
struct MovieSpace {
    const Catalogue& catalogue;
    const RowMatrix& vectors; // catalogue.size() rows
};
MovieSpace movieSpace(const TrainedModel& model);

// The k best movies for a query vector (1 x the space's dimensions): its dot product with
// every movie vector, ranked as recommend() ranks (descending, ties by catalogue order,
// skipping `excluded`). Throws std::invalid_argument when the dimensions differ.
std::vector<ScoredMovie> recommendForVector(const MovieSpace& space, const RowVector& query,
                                            std::size_t k,
                                            std::span<const std::int32_t> excluded = {});

// As scoreMovies(model, ...) for a query vector: the given movies' dot products with it and
// their ranks among the whole space, in the order given. std::invalid_argument when the
// dimensions differ, std::out_of_range for an index outside the catalogue.
std::vector<ScoredMovie> scoreMoviesForVector(const MovieSpace& space, const RowVector& query,
                                              std::span<const std::int32_t> movies);

// As nearestMovies(model, ...): the k movies most similar to `movie` (itself excluded);
// std::out_of_range for an index outside the catalogue.
std::vector<ScoredMovie> nearestMovies(const MovieSpace& space, std::int32_t movie, std::size_t k,
                                       Similarity similarity = Similarity::Cosine);

// As similarityMatrix(model, ...), for any movie vectors.
RowMatrix similarityMatrix(const MovieSpace& space, std::span<const std::int32_t> movies,
                           Similarity similarity);

// As candidateVectorLengths(model): ratings are the catalogue's popularity (for vectors from
// elsewhere: the open dataset's ratings of the matched movie, or the metadata's popularity
// column).
VectorLengths candidateVectorLengths(const MovieSpace& space);

// As findTitle(model, ...), over any catalogue: the first movie with exactly this title.
std::optional<std::int32_t> findTitle(const Catalogue& catalogue, std::string_view title);

// As searchTitles(model, ...), over any catalogue.
std::vector<std::int32_t> searchTitles(const Catalogue& catalogue, std::string_view text,
                                       std::size_t limit = 10);

} // namespace towerlab
