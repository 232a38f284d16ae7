#pragma once
// How the Embeddings map colours its points: movies by first genre, release decade or
// popularity; users by age group, occupation or gender. Each choice gives legend groups and
// a group per point, computed once per choice (a colour change never re-projects).

#include "charts/embedding_map.hpp"

#include <vector>

namespace towerlab {

struct Catalogue;
struct Dataset;
struct DatasetUserQuery;

enum class MovieColouring { Genre, Year, Popularity };
enum class UserColouring { AgeGroup, Occupation, Gender };

struct MapColouring {
    QList<MapGroup> groups;
    std::vector<int> groupOf; // per point: index into groups, or -1 (drawn grey as "other")
};

MapColouring colourMovies(const Catalogue& catalogue, MovieColouring by);
MapColouring colourUsers(const Dataset& dataset, const std::vector<DatasetUserQuery>& users,
                         UserColouring by);

// Marker sizes by popularity in [0, 1] on a log scale (0 for unrated movies).
std::vector<double> popularitySizes(const Catalogue& catalogue);

} // namespace towerlab
