#pragma once
// The movies each user of a dataset rated, split into the training and test parts of a
// model's own split (splitForTraining with the model's TrainConfig: its split kind, seed and
// train fraction, as the Trainer split them). Only meaningful on the very dataset the model was
// trained on: anywhere else the split's rating indices point at other ratings, so it then says why
// instead.

#include "data/dataset.hpp"
#include "data/ratings_by_user.hpp"
#include "model/trained_model.hpp"
#include "retrieval/retrieval.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace towerlab {

struct UserRatedMovies {
    std::vector<std::int32_t> train; // catalogue indices, ascending, unique
    std::vector<std::int32_t> test;  // catalogue indices, ascending, unique
};

class RatedMovies {
public:
    // Hashes the dataset once (Dataset::fingerprint) and, when it is the model's, splits its
    // ratings as the Trainer did. Never throws for a mismatch: available() says so. Throws
    // DatasetError when a rating of the (matching) dataset names a user or movie it lacks.
    // Indexes the ratings by user itself (a RatingsByUser): where one was already made for the
    // dataset, pass it to the other constructor instead.
    RatedMovies(const TrainedModel& model, const Dataset& dataset);
    // The same, with the dataset's ratings by user (RatingsByUser(dataset)) made elsewhere, e.g.
    // on the thread that loaded the dataset. Throws std::invalid_argument when byUser does not
    // have the dataset's number of users (it indexes another dataset).
    RatedMovies(const TrainedModel& model, const Dataset& dataset, const RatingsByUser& byUser);

    bool available() const { return m_reason.empty(); }
    // Why the dataset's ratings cannot be matched to the model's split ("" when they can).
    const std::string& unavailableReason() const { return m_reason; }

    // The user's movies by split part; both empty when !available(). Throws std::out_of_range
    // for an index outside the dataset's users.
    const UserRatedMovies& ofUser(std::size_t userIndex) const;
    // Whether the rating (an index into Dataset::ratings) is in the test part; false when
    // !available(). Throws std::out_of_range for an index outside the ratings.
    bool inTestSplit(std::size_t ratingIndex) const;

private:
    void collect(const TrainedModel& model, const Dataset& dataset, const RatingsByUser& byUser);

    std::string m_reason;
    std::size_t m_userCount = 0;
    std::size_t m_ratingCount = 0;
    std::vector<UserRatedMovies> m_users;
    std::vector<char> m_isTest; // per rating
};

// The fraction of `relevant` movies that appear in `list` (recall@k for k = list.size());
// nullopt when `relevant` is empty.
std::optional<double> recallOf(std::span<const ScoredMovie> list,
                               std::span<const std::int32_t> relevant);

} // namespace towerlab
