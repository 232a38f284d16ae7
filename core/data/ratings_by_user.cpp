#include "data/ratings_by_user.hpp"

#include "data/data_error.hpp"

#include <string>

namespace towerlab {

RatingsByUser::RatingsByUser(const Dataset& dataset) {
    const std::size_t users = dataset.users.size();
    m_start.assign(users + 1, 0);
    bool grouped = true;
    std::int32_t previous = 0;
    for (std::size_t i = 0; i < dataset.ratings.size(); ++i) {
        const std::int32_t user = dataset.ratings[i].user;
        if (user < 0 || static_cast<std::size_t>(user) >= users) {
            throw DatasetError(dataset.name, "rating " + std::to_string(i + 1) +
                                                 " names user index " + std::to_string(user) +
                                                 " of " + std::to_string(users) + " users");
        }
        grouped = grouped && user >= previous;
        previous = user;
        ++m_start[static_cast<std::size_t>(user) + 1];
    }
    for (std::size_t u = 0; u < users; ++u) {
        m_start[u + 1] += m_start[u];
    }
    if (grouped) {
        return;
    }
    // A counting sort, stable, so each user's ratings stay in the dataset's order.
    m_order.resize(dataset.ratings.size());
    std::vector<std::size_t> next(m_start.begin(), m_start.end() - 1);
    for (std::size_t i = 0; i < dataset.ratings.size(); ++i) {
        m_order[next[static_cast<std::size_t>(dataset.ratings[i].user)]++] =
            static_cast<std::uint32_t>(i);
    }
}

std::vector<std::size_t> RatingsByUser::of(std::size_t user) const {
    std::vector<std::size_t> out;
    out.reserve(countOf(user));
    forEachOf(user, [&out](std::size_t rating) { out.push_back(rating); });
    return out;
}

} // namespace towerlab
