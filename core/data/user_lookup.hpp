#pragma once
// A user's index from the id the source files give them. MovieLens 25M has 162,000 users: a
// hash of them costs about 15 ms to build, and the window built two on its GUI thread every
// time a dataset opened. Every reader lists users in ascending id order, so a binary search
// over the users themselves needs nothing built; other orders get a sorted copy of the ids.
// The window makes one per dataset, on the loading thread (shared()), and every view uses it.

#include "data/dataset.hpp"

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace towerlab {

class UserLookup {
public:
    UserLookup() = default;
    // Keeps a pointer to `users`: they must outlive the lookup (hold the dataset with it).
    explicit UserLookup(const std::vector<User>& users);
    // A lookup over dataset->users that holds the dataset for as long as it lives, so it can be
    // handed on alone; null for a null dataset.
    static std::shared_ptr<const UserLookup> shared(std::shared_ptr<const Dataset> dataset);

    // Whether this lookup searches exactly these users (the same vector, not an equal one).
    bool isOver(const std::vector<User>& users) const { return m_users == &users; }

    // The index into users of the user with this id, or -1.
    int indexOf(std::int64_t id) const;
    bool empty() const { return m_users == nullptr || m_users->empty(); }
    std::int64_t minId() const { return m_minId; }
    std::int64_t maxId() const { return m_maxId; }

private:
    const std::vector<User>* m_users = nullptr;
    std::vector<std::pair<std::int64_t, int>> m_sorted; // (id, index); empty when users ascend
    std::int64_t m_minId = 0;
    std::int64_t m_maxId = 0;
};

} // namespace towerlab
