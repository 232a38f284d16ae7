#pragma once
// The one table of the model's input features. Everything feature-shaped elsewhere is derived
// from it: FeatureSet's names and lists, each tower's input layout, the embedding tables and
// their gradients, gather and scatter, fitting and encoding, the model file's feature flags and
// vocabularies, the CLI's names, the Train form's checkboxes and the ablation variants.
//
// Adding a feature: add its FeatureId (before Count, in its tower's input order) and its row
// below. A feature whose vocabulary is a user or movie attribute needs nothing else: give it a
// data accessor (ofUser or ofMovie). Never reuse or renumber a fileBit: it is in model files.

#include "data/dataset.hpp"
#include "data/dataset_summary.hpp"
#include "features/user_query.hpp"

#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace towerlab {

// In table order, which is each tower's input order: query features first, then candidates.
enum class FeatureId : std::uint8_t {
    Age,
    Occupation,
    Gender,
    TimestampBucket,
    TimestampNorm,
    UserId,
    ZipRegion,
    TitleId,
    TitleText,
    Genres,
    ReleaseYear,
    Count
};
inline constexpr std::size_t kFeatureCount = static_cast<std::size_t>(FeatureId::Count);

enum class Tower : std::uint8_t { Query, Candidate };

enum class FeatureKind : std::uint8_t {
    IdEmbedding,   // one embedding row per example
    MeanEmbedding, // the mean of a variable number of embedding rows (zero for none)
    Scalar,        // one raw value in the input row
};

// Where a feature's vocabulary comes from and how a value becomes an input.
enum class Vocabulary : std::uint8_t {
    UserAttribute,    // IntegerLookup over ofUser() of every rated user (every user if fitAllUsers)
    MovieAttribute,   // IntegerLookup over ofMovie() of every catalogue movie
    TimestampBuckets, // 1,000 equal-width buckets over the ratings' time range
    TimestampNormalizer, // (t - mean) / std over every rating
    Titles,              // StringLookup over the catalogue's titles
    TitleTokens,         // the title vocabulary of up to 10,000 tokens
    Genres,              // the dataset's genre list; id = index + 1, row 0 unused
};

using RawValue = std::optional<std::int64_t>; // nullopt = unknown (out of vocabulary)

struct FeatureDescriptor {
    FeatureId id;
    std::string_view name; // in lists, on the command line, in messages and model files
    Tower tower;
    FeatureKind kind;
    Vocabulary vocabulary;
    std::string_view tensorName; // the embedding table's name; empty for a scalar
    std::uint32_t fileBit;       // the model file's CONF feature flag; part of the format
    bool tutorial;               // on in the tutorial's model (FeatureSet{})
    bool fallback;               // on by default where a tutorial user feature is unavailable
    bool fitAllUsers;            // UserAttribute: fit over every user, not only rated ones
    bool everyUserKnown;      // UserAttribute: when available, unknown for a rated user is an error
    std::string_view label;   // what forms and messages call it ("Age group")
    std::string_view tooltip; // what it is and what it does, for a student
    // Why the dataset cannot feed this feature; empty when it can.
    std::string (*unavailableBecause)(const Dataset&);
    // The data accessors of attribute vocabularies: the raw value of a user or a movie.
    RawValue (*ofUser)(const User&);
    RawValue (*ofMovie)(const Movie&);
    // A UserQuery field holding the raw value; nullptr = UserQuery::attributes[name].
    RawValue (*ofQuery)(const UserQuery&);
    void (*toQuery)(UserQuery&, RawValue);
    // A raw value as people read it ("25-34", "healthcare", "M"); nullptr = the number.
    std::string (*valueText)(std::int64_t);
};

namespace feature_data {

inline std::string always(const Dataset&) {
    return {};
}
inline std::string needsDemographics(const Dataset& d) {
    return d.hasDemographics ? std::string()
                             : "the dataset \"" + d.name +
                                   "\" has no user demographics (age, occupation and gender are "
                                   "unknown)";
}
inline RawValue known(int value) {
    return value >= 0 ? RawValue(value) : std::nullopt;
}

// The first digit of a US zip code: one of ten regions, from the north-east (0) to the west
// coast (9). Unknown for an empty or non-US code (e.g. a Canadian "T8H1N").
inline RawValue zipRegion(const User& u) {
    const bool us = !u.zipCode.empty() && std::isdigit(static_cast<unsigned char>(u.zipCode[0]));
    return us ? RawValue(u.zipCode[0] - '0') : std::nullopt;
}
inline std::string zipRegionText(std::int64_t region) {
    static const char* const kStates[] = {
        "CT, MA, ME, NH, NJ, PR, RI, VT", "DE, NY, PA",     "DC, MD, NC, SC, VA, WV",
        "AL, FL, GA, MS, TN",             "IN, KY, MI, OH", "IA, MN, MT, ND, SD, WI",
        "IL, KS, MO, NE",                 "AR, LA, OK, TX", "AZ, CO, ID, NM, NV, UT, WY",
        "AK, CA, HI, OR, WA"};
    return region >= 0 && region <= 9 ? std::to_string(region) + " (" + kStates[region] + ")"
                                      : "unknown (" + std::to_string(region) + ")";
}

// A release year in 5-year spans, named by their first year (1997 -> 1995).
inline RawValue releaseYearBucket(const Movie& m) {
    return m.year > 0 ? RawValue(m.year - m.year % 5) : std::nullopt;
}

} // namespace feature_data

// clang-format off
inline constexpr std::array<FeatureDescriptor, kFeatureCount> kFeatureTable{{
    {FeatureId::Age, "age", Tower::Query, FeatureKind::IdEmbedding, Vocabulary::UserAttribute,
     "query/age_embedding", 1u << 0, true, false, false, true,
     "Age group",
     "The user's age group (under 18, 18-24, 25-34, 35-44, 45-49, 50-55, 56+). Each group gets "
     "its own learned vector of 'embedding width' numbers.",
     feature_data::needsDemographics,
     [](const User& u) { return feature_data::known(u.ageBucket); }, nullptr,
     [](const UserQuery& q) -> RawValue { return q.ageBucket; },
     [](UserQuery& q, RawValue v) { q.ageBucket = static_cast<int>(v.value_or(-1)); },
     [](std::int64_t v) { return ageBucketLabel(static_cast<int>(v)); }},
    {FeatureId::Occupation, "occupation", Tower::Query, FeatureKind::IdEmbedding,
     Vocabulary::UserAttribute, "query/occupation_embedding", 1u << 1, true, false, false, true,
     "Occupation",
     "One of 22 occupations (student, programmer, retired, ...), each with its own learned "
     "vector.",
     feature_data::needsDemographics,
     [](const User& u) { return feature_data::known(u.occupationLabel); }, nullptr,
     [](const UserQuery& q) -> RawValue { return q.occupationLabel; },
     [](UserQuery& q, RawValue v) { q.occupationLabel = static_cast<int>(v.value_or(-1)); },
     [](std::int64_t v) {
         const auto& labels = occupationLabels();
         return v >= 0 && static_cast<std::size_t>(v) < labels.size()
                    ? labels[static_cast<std::size_t>(v)] : "unknown (" + std::to_string(v) + ")";
     }},
    {FeatureId::Gender, "gender", Tower::Query, FeatureKind::IdEmbedding,
     Vocabulary::UserAttribute, "query/gender_embedding", 1u << 2, true, false, false, true,
     "Gender", "Male or female, each with a learned vector.",
     feature_data::needsDemographics,
     [](const User& u) { return feature_data::known(u.gender); }, nullptr,
     [](const UserQuery& q) -> RawValue { return q.gender; },
     [](UserQuery& q, RawValue v) { q.gender = static_cast<int>(v.value_or(-1)); },
     [](std::int64_t v) -> std::string { return v == 1 ? "M" : v == 0 ? "F" : "unknown"; }},
    {FeatureId::TimestampBucket, "timestamp_bucket", Tower::Query, FeatureKind::IdEmbedding,
     Vocabulary::TimestampBuckets, "query/timestamp_embedding", 1u << 3, true, false, false, false,
     "Time (1,000 slices)",
     "When the rating was made, cut into 1,000 equal time slices, each with a learned vector. "
     "Lets the model follow tastes that change over time.",
     feature_data::always, nullptr, nullptr,
     [](const UserQuery& q) -> RawValue { return q.timestamp; },
     [](UserQuery& q, RawValue v) { q.timestamp = v.value_or(0); }, nullptr},
    {FeatureId::TimestampNorm, "timestamp_norm", Tower::Query, FeatureKind::Scalar,
     Vocabulary::TimestampNormalizer, "", 1u << 4, true, false, false, false,
     "Time (one number)",
     "The same time as a single number scaled to mean 0 and spread 1: a smooth trend rather than "
     "1,000 separate slices.",
     feature_data::always, nullptr, nullptr,
     [](const UserQuery& q) -> RawValue { return q.timestamp; },
     [](UserQuery& q, RawValue v) { q.timestamp = v.value_or(0); }, nullptr},
    {FeatureId::UserId, "user_id", Tower::Query, FeatureKind::IdEmbedding,
     Vocabulary::UserAttribute, "query/user_id_embedding", 1u << 5, false, true, true, false,
     "User id",
     "A learned vector per user, so the model can memorise each person's taste. Not in the "
     "tutorial: strong for users seen in training, no help for a new user.",
     feature_data::always, [](const User& u) -> RawValue { return u.id; }, nullptr,
     [](const UserQuery& q) { return q.userId >= 0 ? RawValue(q.userId) : std::nullopt; },
     [](UserQuery& q, RawValue v) { q.userId = v.value_or(-1); }, nullptr},
    {FeatureId::ZipRegion, "zip_region", Tower::Query, FeatureKind::IdEmbedding,
     Vocabulary::UserAttribute, "query/zip_region_embedding", 1u << 9, false, false, false, false,
     "Zip region",
     "The first digit of the user's US zip code: ten regions from the north-east (0) to the "
     "west coast (9), each with a learned vector. Not in the tutorial.",
     [](const Dataset& d) {
         for (const User& u : d.users) {
             if (feature_data::zipRegion(u)) {
                 return std::string();
             }
         }
         return "the dataset \"" + d.name + "\" has no US zip codes";
     },
     feature_data::zipRegion, nullptr, nullptr, nullptr, feature_data::zipRegionText},
    {FeatureId::TitleId, "title_id", Tower::Candidate, FeatureKind::IdEmbedding,
     Vocabulary::Titles, "candidate/title_id_embedding", 1u << 6, true, false, false, false,
     "Title", "A learned vector per movie title, so the model can memorise each movie.",
     feature_data::always, nullptr, nullptr, nullptr, nullptr, nullptr},
    {FeatureId::TitleText, "title_text", Tower::Candidate, FeatureKind::MeanEmbedding,
     Vocabulary::TitleTokens, "candidate/title_token_embedding", 1u << 7, true, false, false, false,
     "Title words",
     "The mean of learned vectors of the title's words: movies that share words (\"Star\", "
     "\"Love\") start out similar, which helps movies with few ratings.",
     feature_data::always, nullptr, nullptr, nullptr, nullptr, nullptr},
    {FeatureId::Genres, "genres", Tower::Candidate, FeatureKind::MeanEmbedding,
     Vocabulary::Genres, "candidate/genre_embedding", 1u << 8, false, false, false, false,
     "Genres", "The mean of learned vectors of the movie's genres. Not in the tutorial.",
     feature_data::always, nullptr, nullptr, nullptr, nullptr, nullptr},
    {FeatureId::ReleaseYear, "release_year", Tower::Candidate, FeatureKind::IdEmbedding,
     Vocabulary::MovieAttribute, "candidate/release_year_embedding", 1u << 10, false, false,
     false, false, "Release years",
     "When the movie came out, in 5-year spans (1990-1994, 1995-1999, ...), each with a learned "
     "vector: movies of the same years start out alike. Not in the tutorial.",
     [](const Dataset& d) {
         for (const Movie& m : d.movies) {
             if (feature_data::releaseYearBucket(m)) {
                 return std::string();
             }
         }
         return "the dataset \"" + d.name + "\" has no release years";
     },
     nullptr, feature_data::releaseYearBucket, nullptr, nullptr,
     [](std::int64_t v) { return std::to_string(v) + "-" + std::to_string(v + 4); }},
}};
// clang-format on

constexpr const FeatureDescriptor& describe(FeatureId id) {
    return kFeatureTable[static_cast<std::size_t>(id)];
}

constexpr bool tableInOrder() {
    bool candidates = false;
    for (std::size_t i = 0; i < kFeatureCount; ++i) {
        const FeatureDescriptor& f = kFeatureTable[i];
        if (static_cast<std::size_t>(f.id) != i || (candidates && f.tower == Tower::Query)) {
            return false;
        }
        candidates = candidates || f.tower == Tower::Candidate;
    }
    return true;
}
static_assert(tableInOrder(), "kFeatureTable lists FeatureIds in order, query features first");

// A feature's position among its tower's features (its slot in EncodedQuery /
// EncodedCatalogue).
constexpr std::size_t towerSlot(FeatureId id) {
    std::size_t slot = 0;
    for (std::size_t i = 0; i < static_cast<std::size_t>(id); ++i) {
        slot += kFeatureTable[i].tower == describe(id).tower ? 1 : 0;
    }
    return slot;
}
constexpr std::size_t towerFeatureCount(Tower tower) {
    std::size_t n = 0;
    for (const FeatureDescriptor& f : kFeatureTable) {
        n += f.tower == tower ? 1 : 0;
    }
    return n;
}
inline constexpr std::size_t kQueryFeatureCount = towerFeatureCount(Tower::Query);
inline constexpr std::size_t kCandidateFeatureCount = towerFeatureCount(Tower::Candidate);

// The descriptor named `name`, or nullptr.
const FeatureDescriptor* findFeature(std::string_view name);

// The raw value of a query feature in `query` (its field, or its entry in attributes).
RawValue queryValue(const FeatureDescriptor& feature, const UserQuery& query);
// Sets a query feature's raw value in `query` (its field, or its entry in attributes);
// nullopt makes it unknown.
void setQueryValue(const FeatureDescriptor& feature, UserQuery& query, RawValue value);
// A query feature's value in `query` as people read it; "unknown" when it has none.
std::string queryValueText(const FeatureDescriptor& feature, const UserQuery& query);

// The query of `user` at `timestamp`: every user attribute of the table from its accessor.
UserQuery queryOfUser(const User& user, std::int64_t timestamp);

} // namespace towerlab
