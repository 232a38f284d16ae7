#pragma once
// Each user's training-split movies, for evaluating with TFRS's query_with_exclusions
// semantics (a user's already-rated movies are not recommended again).

#include <cstdint>
#include <span>
#include <vector>

namespace towerlab {

class SeenMovies {
public:
    SeenMovies() = default;
    // users[i] rated movies[i] (catalogue indices >= 0; a negative index is skipped). Repeats
    // of a (user, movie) pair are kept once. Precondition (asserted): equal lengths.
    SeenMovies(std::span<const std::int32_t> users, std::span<const std::int32_t> movies);

    // The user's movies, ascending and distinct; empty for a user with none.
    std::span<const std::int32_t> of(std::int32_t user) const;

private:
    std::vector<std::int32_t> m_users;   // distinct users, ascending
    std::vector<std::int32_t> m_offsets; // m_users.size() + 1 offsets into m_movies
    std::vector<std::int32_t> m_movies;
};

} // namespace towerlab
