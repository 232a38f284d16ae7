#include "retrieval/rated_movies.hpp"

#include "data/data_error.hpp"
#include "data/split.hpp"
#include "model/training_split.hpp"

#include <algorithm>
#include <stdexcept>
#include <unordered_set>

namespace towerlab {

namespace {

void sortUnique(std::vector<std::int32_t>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
}

std::string mismatchReason(const TrainedModel& model, const Dataset& dataset) {
    if (model.datasetFingerprint.empty()) {
        return "the model does not record which dataset it was trained on";
    }
    if (dataset.fingerprint() != model.datasetFingerprint) {
        return "the open dataset (" + dataset.name +
               ") is not the one this model was trained on (" + model.datasetName +
               "; the fingerprints differ), so the model's train/test split cannot be rebuilt "
               "on it";
    }
    if (dataset.movies.size() != model.catalogue.size()) {
        return "the open dataset has " + std::to_string(dataset.movies.size()) +
               " movies but the model's catalogue has " + std::to_string(model.catalogue.size());
    }
    if (dataset.ratings.size() < 2) {
        return "the open dataset has fewer than 2 ratings, so it has no train/test split";
    }
    return {};
}

} // namespace

RatedMovies::RatedMovies(const TrainedModel& model, const Dataset& dataset)
    : m_reason(mismatchReason(model, dataset)), m_userCount(dataset.users.size()),
      m_ratingCount(dataset.ratings.size()) {
    if (available()) {
        collect(model, dataset, RatingsByUser(dataset));
    }
}

RatedMovies::RatedMovies(const TrainedModel& model, const Dataset& dataset,
                         const RatingsByUser& byUser)
    : m_reason(mismatchReason(model, dataset)), m_userCount(dataset.users.size()),
      m_ratingCount(dataset.ratings.size()) {
    if (byUser.userCount() != m_userCount) {
        throw std::invalid_argument("RatedMovies: the ratings by user index " +
                                    std::to_string(byUser.userCount()) + " users but " +
                                    dataset.name + " has " + std::to_string(m_userCount));
    }
    if (available()) {
        collect(model, dataset, byUser);
    }
}

// Each user's movies from the index of their ratings: every list is sized once, and the pass
// over all ratings that would find them is the index's, made once per dataset.
void RatedMovies::collect(const TrainedModel& model, const Dataset& dataset,
                          const RatingsByUser& byUser) {
    m_users.resize(m_userCount);
    m_isTest.assign(m_ratingCount, 0);
    const TrainTestSplit split = splitForTraining(dataset, model.training);
    for (const std::int32_t e : split.test) {
        m_isTest[static_cast<std::size_t>(e)] = 1;
    }
    std::vector<std::int32_t> train;
    std::vector<std::int32_t> test;
    for (std::size_t user = 0; user < m_userCount; ++user) {
        train.clear();
        test.clear();
        byUser.forEachOf(user, [&](std::size_t i) {
            const Rating& r = dataset.ratings[i];
            // RatingsByUser checked the user; the movie is checked here.
            if (r.movie < 0 || static_cast<std::size_t>(r.movie) >= model.catalogue.size()) {
                throw DatasetError(dataset.name,
                                   "rating " + std::to_string(i + 1) + " names movie index " +
                                       std::to_string(r.movie) + " of " +
                                       std::to_string(model.catalogue.size()) + " movies");
            }
            (m_isTest[i] != 0 ? test : train).push_back(r.movie);
        });
        sortUnique(train);
        sortUnique(test);
        // Copies of exactly the size needed: the scratch vectors keep their capacity.
        m_users[user].train.assign(train.begin(), train.end());
        m_users[user].test.assign(test.begin(), test.end());
    }
}

const UserRatedMovies& RatedMovies::ofUser(std::size_t userIndex) const {
    if (userIndex >= m_userCount) {
        throw std::out_of_range("user index " + std::to_string(userIndex) +
                                " is outside the dataset's " + std::to_string(m_userCount) +
                                " users");
    }
    static const UserRatedMovies kNone;
    return available() ? m_users[userIndex] : kNone;
}

bool RatedMovies::inTestSplit(std::size_t ratingIndex) const {
    if (ratingIndex >= m_ratingCount) {
        throw std::out_of_range("rating index " + std::to_string(ratingIndex) +
                                " is outside the dataset's " + std::to_string(m_ratingCount) +
                                " ratings");
    }
    return available() && m_isTest[ratingIndex] != 0;
}

std::optional<double> recallOf(std::span<const ScoredMovie> list,
                               std::span<const std::int32_t> relevant) {
    if (relevant.empty()) {
        return std::nullopt;
    }
    std::unordered_set<std::int32_t> listed;
    for (const ScoredMovie& m : list) {
        listed.insert(m.movie);
    }
    const auto hits = std::count_if(relevant.begin(), relevant.end(),
                                    [&listed](std::int32_t m) { return listed.contains(m); });
    return static_cast<double>(hits) / static_cast<double>(relevant.size());
}

} // namespace towerlab
