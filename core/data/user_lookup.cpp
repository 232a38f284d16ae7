#include "data/user_lookup.hpp"

#include <algorithm>

namespace towerlab {

UserLookup::UserLookup(const std::vector<User>& users) : m_users(&users) {
    if (users.empty()) {
        return;
    }
    const bool ascending =
        std::adjacent_find(users.begin(), users.end(), [](const User& a, const User& b) {
            return a.id >= b.id;
        }) == users.end();
    if (ascending) {
        m_minId = users.front().id;
        m_maxId = users.back().id;
        return;
    }
    m_sorted.reserve(users.size());
    for (std::size_t i = 0; i < users.size(); ++i) {
        m_sorted.emplace_back(users[i].id, static_cast<int>(i));
    }
    // Stable, so that of two users with one id the first listed is found, as by the binary
    // search over ascending users.
    std::stable_sort(m_sorted.begin(), m_sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    m_minId = m_sorted.front().first;
    m_maxId = m_sorted.back().first;
}

std::shared_ptr<const UserLookup> UserLookup::shared(std::shared_ptr<const Dataset> dataset) {
    if (!dataset) {
        return nullptr;
    }
    // One block owning both; the aliasing constructor points at the lookup inside it.
    struct Owner {
        std::shared_ptr<const Dataset> dataset;
        UserLookup lookup;
    };
    auto owner = std::make_shared<Owner>();
    owner->lookup = UserLookup(dataset->users);
    owner->dataset = std::move(dataset);
    return std::shared_ptr<const UserLookup>(owner, &owner->lookup);
}

int UserLookup::indexOf(std::int64_t id) const {
    if (empty()) {
        return -1;
    }
    if (m_sorted.empty()) {
        const auto it =
            std::lower_bound(m_users->begin(), m_users->end(), id,
                             [](const User& user, std::int64_t v) { return user.id < v; });
        return it != m_users->end() && it->id == id ? static_cast<int>(it - m_users->begin()) : -1;
    }
    const auto it =
        std::lower_bound(m_sorted.begin(), m_sorted.end(), id,
                         [](const auto& entry, std::int64_t v) { return entry.first < v; });
    return it != m_sorted.end() && it->first == id ? it->second : -1;
}

} // namespace towerlab
