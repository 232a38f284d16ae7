#pragma once
// The user-query flags of recommend and score (--age, --occupation, --gender, --timestamp,
// --user-id): parsing in the user's terms and the check that the model's features are given.

#include "cli_options.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace towerlab {
struct TrainedModel;
struct UserQuery;
} // namespace towerlab

namespace towerlab::cli {

// A query as given on the command line; a flag that was not given stays empty.
struct QueryArguments {
    std::optional<int> ageYears;
    std::optional<int> occupationLabel; // 0..21
    std::optional<int> gender;          // 1 male, 0 female
    std::optional<std::int64_t> timestamp;
    std::optional<std::int64_t> userId;
    // --feature NAME=VALUE: raw values of the user features without an option of their own.
    std::map<std::string, std::int64_t, std::less<>> attributes;
};

void addQueryOptions(po::options_description& options);
// Parses the query flags present in vm; UsageError naming the flag for a bad value.
QueryArguments parseQueryArguments(const std::string& command, const po::variables_map& vm);

// The query for `model`: every feature the model uses must have its flag (UsageError saying
// which flag the model needs otherwise); flags of features it does not use are ignored.
// Returns whether the model uses the user-id feature without --user-id (an unknown user).
UserQuery makeUserQuery(const std::string& command, const QueryArguments& args,
                        const TrainedModel& model, bool& unknownUser);

// Parsers, exposed for their own messages and tests.
int parseAgeYears(const std::string& command, const std::string& text);
// A label index 0..21, a label name ("sales/marketing") or a MovieLens 100K occupation
// ("salesman"), any case. The error lists the 22 label names.
int parseOccupation(const std::string& command, const std::string& text);
// M, F, male, female in any case -> 1 or 0.
int parseGender(const std::string& command, const std::string& text);
// Unix seconds, or an ISO 8601 UTC date "1997-11-08", "1997-11-08T12:00", "...T12:00:00" with
// an optional trailing "Z".
std::int64_t parseTimestamp(const std::string& command, const std::string& text);
// "1997-11-08 21:25:27 UTC"
std::string formatTimestamp(std::int64_t unixSeconds);

} // namespace towerlab::cli
