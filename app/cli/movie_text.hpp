#pragma once
// Human-readable lines about queries and movies for the query commands' stdout.

#include "features/feature_space.hpp"
#include "model/trained_model.hpp"
#include "retrieval/retrieval.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace towerlab::cli {

// "age 25, occupation 17 (student), gender M, time 879024327 (1997-11-08 21:25:27 UTC)",
// naming only the features the model uses.
std::string describeQuery(const UserQuery& query, const TrainedModel& model);

// "Action|Comedy", or "-" when the movie has no genres.
std::string genreText(const TrainedModel& model, std::int32_t movie);

enum class MovieTableRank {
    Position,     // 1, 2, 3, ... (a top-k list)
    CatalogueRank // the movie's rank among the whole catalogue
};

// One row per movie: rank, score, title, year, genres.
void printMovieTable(std::ostream& out, const TrainedModel& model,
                     const std::vector<ScoredMovie>& movies, MovieTableRank rank);

} // namespace towerlab::cli
