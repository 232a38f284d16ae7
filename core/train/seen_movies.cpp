#include "train/seen_movies.hpp"

#include <algorithm>
#include <cassert>
#include <utility>

namespace towerlab {

SeenMovies::SeenMovies(std::span<const std::int32_t> users, std::span<const std::int32_t> movies) {
    assert(users.size() == movies.size() && "SeenMovies: one movie per user entry is needed");
    std::vector<std::pair<std::int32_t, std::int32_t>> pairs;
    pairs.reserve(users.size());
    for (std::size_t i = 0; i < users.size(); ++i) {
        if (movies[i] >= 0) {
            pairs.emplace_back(users[i], movies[i]);
        }
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    m_offsets.push_back(0);
    for (const auto& [user, movie] : pairs) {
        if (m_users.empty() || m_users.back() != user) {
            if (!m_users.empty()) {
                m_offsets.push_back(static_cast<std::int32_t>(m_movies.size()));
            }
            m_users.push_back(user);
        }
        m_movies.push_back(movie);
    }
    if (!m_users.empty()) {
        m_offsets.push_back(static_cast<std::int32_t>(m_movies.size()));
    }
}

std::span<const std::int32_t> SeenMovies::of(std::int32_t user) const {
    const auto it = std::lower_bound(m_users.begin(), m_users.end(), user);
    if (it == m_users.end() || *it != user) {
        return {};
    }
    const auto u = static_cast<std::size_t>(it - m_users.begin());
    return std::span<const std::int32_t>(m_movies).subspan(
        static_cast<std::size_t>(m_offsets[u]),
        static_cast<std::size_t>(m_offsets[u + 1] - m_offsets[u]));
}

} // namespace towerlab
