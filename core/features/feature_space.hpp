#pragma once
// All preprocessing of the reference model, fitted once on a dataset and stored in model
// files: the vocabulary of every feature of the feature table (lookups, timestamp buckets and
// normalization, title vocabulary and tokens, genres).

#include "data/dataset.hpp"
#include "features/feature_table.hpp"
#include "features/lookup.hpp"
#include "features/timestamp_buckets.hpp"
#include "features/title_tokenizer.hpp"
#include "features/user_query.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace towerlab {

// Where each feature sits in a tower's slots (see towerSlot()), for direct indexing.
inline constexpr auto kTowerSlot = [] {
    std::array<std::size_t, kFeatureCount> bySlot{};
    for (std::size_t i = 0; i < kFeatureCount; ++i) {
        bySlot[i] = towerSlot(static_cast<FeatureId>(i));
    }
    return bySlot;
}();
// Each tower's features in table (= input) order.
template <Tower T>
inline constexpr auto kTowerFeatures = [] {
    std::array<FeatureId, towerFeatureCount(T)> ids{};
    std::size_t n = 0;
    for (const FeatureDescriptor& f : kFeatureTable) {
        if (f.tower == T) {
            ids[n++] = f.id;
        }
    }
    return ids;
}();

// A query as tower inputs, one slot per query feature of the table: the lookup index of an
// embedding feature (0 = out of vocabulary), the float bits of a scalar. Small and flat, as
// training keeps one per rating.
struct EncodedQuery {
    std::array<std::int32_t, kQueryFeatureCount> inputs{};

    std::int32_t id(FeatureId f) const { return inputs[kTowerSlot[static_cast<std::size_t>(f)]]; }
    float value(FeatureId f) const { return std::bit_cast<float>(id(f)); }
    void setId(FeatureId f, std::int32_t id) {
        inputs[kTowerSlot[static_cast<std::size_t>(f)]] = id;
    }
    void setValue(FeatureId f, float v) { setId(f, std::bit_cast<std::int32_t>(v)); }
};

// Candidate inputs of every movie of the catalogue: per candidate feature of the table, each
// movie's embedding ids, flattened (CSR) so a batch can gather without allocating. An id
// feature has one id per movie; a mean feature any number (title tokens, genres).
struct EncodedCatalogue {
    struct IdLists {
        std::vector<std::int32_t> offsets{0}; // movies + 1 entries into ids
        std::vector<std::int32_t> ids;
    };
    std::array<IdLists, kCandidateFeatureCount> inputs;

    std::size_t size() const { return inputs[0].offsets.size() - 1; }
    // A candidate feature's ids, in catalogue order (one per movie for an id feature).
    const IdLists& of(FeatureId f) const { return inputs[kTowerSlot[static_cast<std::size_t>(f)]]; }
    std::span<const std::int32_t> ids(FeatureId f, std::size_t movie) const {
        const IdLists& l = of(f);
        return {l.ids.data() + l.offsets[movie],
                static_cast<std::size_t>(l.offsets[movie + 1] - l.offsets[movie])};
    }
};

class FeatureSpace {
public:
    // Fits every feature of the table on the whole dataset, as the tutorial adapts on all
    // ratings and all movie titles: user attributes over every rated user (user ids over all
    // users), left empty (so all out of vocabulary) for a feature the dataset cannot feed;
    // movie attributes over every catalogue movie; timestamps over all ratings; titles and
    // title tokens over every catalogue row (max 10,000 tokens).
    // Throws FeatureError for a dataset without users, movies or ratings, a rating
    // naming a user or movie index out of range, or a rated user missing a value the table
    // requires of every user (age, occupation, gender) in a dataset that can feed it.
    static FeatureSpace fit(const Dataset& dataset);

    // Every query feature of the table through its layer; values outside a vocabulary give
    // index 0. Thread-safe.
    EncodedQuery encode(const UserQuery& query) const;
    // The query of a rating row (its user's attributes at its time); the same as
    // encode(queryOfUser(user, rating.timestamp)). Throws FeatureError when
    // rating.user is not an index into dataset.users.
    EncodedQuery encodeRating(const Dataset& dataset, const Rating& rating) const;
    // Candidate inputs for these movies (title, genre indices 0..genreCount-1 stored as ids
    // 1..genreCount, movie attributes). Throws FeatureError when a genre index is out
    // of range.
    EncodedCatalogue encodeMovies(std::span<const Movie> movies) const;
    // encodeMovies over dataset.movies, in catalogue order.
    EncodedCatalogue encodeCatalogue(const Dataset& dataset) const;

    // Rows of the feature's embedding table (0 for a scalar feature).
    std::size_t tableRows(FeatureId feature) const;
    // The IntegerLookup of a user or movie attribute feature (age, occupation, gender, user
    // id, ...); empty for the other features.
    const IntegerLookup& lookup(FeatureId feature) const {
        return m_lookups[static_cast<std::size_t>(feature)];
    }
    IntegerLookup& lookup(FeatureId feature) {
        return m_lookups[static_cast<std::size_t>(feature)];
    }

    TimestampBuckets timestampBuckets;
    Normalizer timestampNormalizer;
    StringLookup title; // over the catalogue's titles
    TitleTokenizer titleTokens;
    std::size_t genreCount = 0; // genre embedding has genreCount + 1 rows (0 unused)
    std::int64_t minTimestamp = 0;
    std::int64_t maxTimestamp = 0;

private:
    // The input of one query feature for a raw value (nullopt = unknown).
    void encodeInto(const FeatureDescriptor& feature, RawValue raw, EncodedQuery& out) const;

    std::array<IntegerLookup, kFeatureCount> m_lookups;
};

} // namespace towerlab
