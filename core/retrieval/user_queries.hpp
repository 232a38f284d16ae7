#pragma once
// The users of a dataset as queries: one UserQuery per user who has ratings, so a map or an
// export can show where the query tower puts each real user.

#include "model/trained_model.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace towerlab {

struct DatasetUserQuery {
    std::int32_t user = 0; // index into Dataset::users
    UserQuery query;       // their attributes at the median time of their ratings
};

// One query per user with at least one rating, in dataset order: every user attribute of the
// feature table as the dataset gives it (queryOfUser), and the median timestamp of the user's
// ratings (the lower middle value rounded towards it for an even count), a moment the user was
// really active. Users without ratings have no time and are left out.
std::vector<DatasetUserQuery> datasetUserQueries(const Dataset& dataset);

// The query tower's output for each query, one row per query, in order. Thread-safe.
RowMatrix userQueryEmbeddings(const TrainedModel& model, std::span<const DatasetUserQuery> queries);

} // namespace towerlab
