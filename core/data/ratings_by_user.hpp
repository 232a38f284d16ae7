#pragma once
// Each user's ratings, found without a pass over all of them: listing one user's ratings by a
// scan took 50 ms at MovieLens 25M's 25 million, on the window's GUI thread at every pick.
// Readers keep the source files' order, which MovieLens groups by user (user indices never
// decrease): then only where each user's run starts is kept (1.3 MB for 162,000 users);
// otherwise also the ratings' order by user (4 bytes a rating).

#include "data/dataset.hpp"

#include <cstdint>
#include <vector>

namespace towerlab {

class RatingsByUser {
public:
    RatingsByUser() = default;
    // Throws DatasetError when a rating names a user the dataset lacks.
    explicit RatingsByUser(const Dataset& dataset);

    // Indices into Dataset::ratings of this user's ratings, in the dataset's order; empty for
    // an index outside the users.
    std::vector<std::size_t> of(std::size_t user) const;
    // Calls f(ratingIndex) for each of this user's ratings, in the dataset's order, without
    // allocating; nothing for an index outside the users. For passes over every user.
    template <class F> void forEachOf(std::size_t user, F&& f) const {
        if (user >= userCount()) {
            return;
        }
        for (std::size_t k = m_start[user]; k < m_start[user + 1]; ++k) {
            f(m_order.empty() ? k : static_cast<std::size_t>(m_order[k]));
        }
    }
    // How many ratings this user has (0 outside the users).
    std::size_t countOf(std::size_t user) const {
        return user < userCount() ? m_start[user + 1] - m_start[user] : 0;
    }
    std::size_t userCount() const { return m_start.empty() ? 0 : m_start.size() - 1; }
    // True when the ratings were grouped by user and no order had to be kept.
    bool grouped() const { return m_order.empty(); }

private:
    std::vector<std::size_t> m_start;   // users + 1 offsets into the ratings (or m_order)
    std::vector<std::uint32_t> m_order; // rating indices by user; empty when grouped
};

} // namespace towerlab
