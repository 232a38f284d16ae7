#pragma once
// A query in the user's terms: what the Recommend form, the CLI and a dataset's users give the
// query tower before any preprocessing.

#include <cstdint>
#include <map>
#include <string>

namespace towerlab {

struct UserQuery {
    int ageBucket = 25;       // one of ageBuckets(), e.g. 25 for "25-34"; other values are OOV
    int occupationLabel = 17; // 0..21; other values are OOV
    int gender = 1;           // 1 male, 0 female
    std::int64_t timestamp = 879024327;
    std::int64_t userId = -1; // only used by models with the user-id feature; -1 = unknown
    // Raw values of the user features that have no field above (e.g. "zip_region" -> 9), by
    // the feature's name in the feature table. A feature missing here is out of vocabulary.
    std::map<std::string, std::int64_t, std::less<>> attributes;

    bool operator==(const UserQuery&) const = default;
};

} // namespace towerlab
