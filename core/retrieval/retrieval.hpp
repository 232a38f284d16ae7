#pragma once
// Questions to a trained model: top-k movies for a user query, scores of chosen movies,
// embeddings, nearest movies. All functions are read-only on the model and safe to call from
// several threads at once.

#include "model/trained_model.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace towerlab {

struct ScoredMovie {
    std::int32_t movie = 0; // catalogue index
    float score = 0.0f;     // dot product of query and candidate embeddings (or similarity)
    std::int32_t rank = 0;  // 1 + number of catalogue movies scoring strictly higher
};

// The query tower's output for one query (1 x outputDim).
RowVector queryEmbedding(const TrainedModel& model, const UserQuery& query);
// Scores of every catalogue movie for a query embedding.
Eigen::VectorXf scoreAll(const TrainedModel& model, const RowVector& queryEmbedding);

// The k best movies, descending score (ties by catalogue order), skipping `excluded`
// catalogue indices. k larger than the catalogue returns them all.
std::vector<ScoredMovie> recommend(const TrainedModel& model, const UserQuery& query, std::size_t k,
                                   std::span<const std::int32_t> excluded = {});

// The selection recommend makes from a score per catalogue movie (e.g. scoreAll's): the k
// best, descending score (ties by catalogue order), skipping `excluded`, each with its rank.
std::vector<ScoredMovie> topKOfScores(const Eigen::VectorXf& scores, std::size_t k,
                                      std::span<const std::int32_t> excluded = {});

// Scores and ranks of the given catalogue movies, in the order given.
std::vector<ScoredMovie> scoreMovies(const TrainedModel& model, const UserQuery& query,
                                     std::span<const std::int32_t> movies);

enum class Similarity { Dot, Cosine };
// The k movies most similar to `movie` in the candidate space (itself excluded).
std::vector<ScoredMovie> nearestMovies(const TrainedModel& model, std::int32_t movie, std::size_t k,
                                       Similarity similarity = Similarity::Cosine);

// Catalogue index of the movie with exactly this title (first of duplicates), if any.
std::optional<std::int32_t> findTitle(const TrainedModel& model, std::string_view title);
// Up to `limit` catalogue titles containing `text`, ignoring ASCII case and Latin-1 accents
// ("miserables" finds "Misérables, Les (1995)"); for pickers and "did you mean" messages.
std::vector<std::int32_t> searchTitles(const TrainedModel& model, std::string_view text,
                                       std::size_t limit = 10);
// The same folding searchTitles uses: ASCII lower-case, Latin-1 letters without accents.
std::string foldForSearch(std::string_view utf8);

} // namespace towerlab
