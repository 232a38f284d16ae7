#include "retrieval/user_queries.hpp"

#include "model/towers.hpp"

#include <algorithm>

namespace towerlab {

std::vector<DatasetUserQuery> datasetUserQueries(const Dataset& dataset) {
    std::vector<std::vector<std::int64_t>> times(dataset.users.size());
    for (const Rating& r : dataset.ratings) {
        if (r.user >= 0 && static_cast<std::size_t>(r.user) < times.size()) {
            times[static_cast<std::size_t>(r.user)].push_back(r.timestamp);
        }
    }
    std::vector<DatasetUserQuery> out;
    out.reserve(dataset.users.size());
    for (std::size_t u = 0; u < dataset.users.size(); ++u) {
        auto& ts = times[u];
        if (ts.empty()) {
            continue;
        }
        const std::size_t mid = ts.size() / 2;
        std::nth_element(ts.begin(), ts.begin() + static_cast<std::ptrdiff_t>(mid), ts.end());
        std::int64_t median = ts[mid];
        if (ts.size() % 2 == 0) {
            const std::int64_t below =
                *std::max_element(ts.begin(), ts.begin() + static_cast<std::ptrdiff_t>(mid));
            median = below + (median - below) / 2;
        }
        out.push_back({static_cast<std::int32_t>(u), queryOfUser(dataset.users[u], median)});
    }
    return out;
}

RowMatrix userQueryEmbeddings(const TrainedModel& model,
                              std::span<const DatasetUserQuery> queries) {
    std::vector<EncodedQuery> encoded;
    encoded.reserve(queries.size());
    for (const DatasetUserQuery& q : queries) {
        encoded.push_back(model.features.encode(q.query));
    }
    return embedQueries(model.config, model.weights, encoded);
}

} // namespace towerlab
