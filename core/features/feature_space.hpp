#pragma once
// All preprocessing of the reference model, fitted once on a dataset and stored in model
// files: lookups, timestamp buckets and normalization, title vocabulary and tokens, genres.

#include "data/dataset.hpp"
#include "features/lookup.hpp"
#include "features/timestamp_buckets.hpp"
#include "features/title_tokenizer.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace towerlab {

// A query in the user's terms (what the Recommend form and the CLI take).
struct UserQuery {
    int ageBucket = 25;       // one of ageBuckets(), e.g. 25 for "25-34"; other values are OOV
    int occupationLabel = 17; // 0..21; other values are OOV
    int gender = 1;           // 1 male, 0 female
    std::int64_t timestamp = 879024327;
    std::int64_t userId = -1; // only used by models with the user-id feature; -1 = unknown
};

// A query as lookup indices and values, ready for the query tower. Indices of features the
// model does not use are 0.
struct EncodedQuery {
    std::int32_t age = 0;
    std::int32_t occupation = 0;
    std::int32_t gender = 0;
    std::int32_t userId = 0;
    std::int32_t timestampBucket = 0;
    float timestampNorm = 0.0f;
};

// Candidate inputs of every movie of the catalogue, flattened (CSR) so a batch can gather
// without allocating.
struct EncodedCatalogue {
    std::vector<std::int32_t> titleId;      // per movie
    std::vector<std::int32_t> tokenOffsets; // movies + 1 entries into tokens
    std::vector<std::int32_t> tokens;       // title token ids (never padding)
    std::vector<std::int32_t> genreOffsets; // movies + 1 entries into genres
    std::vector<std::int32_t> genres;       // genre lookup ids, 1..genreCount

    std::span<const std::int32_t> tokensOf(std::size_t movie) const {
        return {tokens.data() + tokenOffsets[movie],
                static_cast<std::size_t>(tokenOffsets[movie + 1] - tokenOffsets[movie])};
    }
    std::span<const std::int32_t> genresOf(std::size_t movie) const {
        return {genres.data() + genreOffsets[movie],
                static_cast<std::size_t>(genreOffsets[movie + 1] - genreOffsets[movie])};
    }
};

class FeatureSpace {
public:
    // Fits every preprocessing layer on the whole dataset, as the tutorial adapts on all
    // ratings and all movie titles: age, occupation and gender over every rating's user (left
    // empty, so all OOV, when !hasDemographics), user ids over all users, timestamps over all
    // ratings, titles and title tokens over every catalogue row (max 10,000 tokens).
    // Throws FeatureError for a dataset without users, movies or ratings, a rating
    // naming a user or movie index out of range, or a rated user missing a demographic value
    // in a dataset that claims to have them.
    static FeatureSpace fit(const Dataset& dataset);

    // Every field through its layer; values outside a vocabulary give index 0. Thread-safe.
    EncodedQuery encode(const UserQuery& query) const;
    // The query of a rating row (its user's attributes at its time). Throws
    // FeatureError when rating.user is not an index into dataset.users.
    EncodedQuery encodeRating(const Dataset& dataset, const Rating& rating) const;
    // Candidate inputs for movies given by their titles and genre indices (0..genreCount-1,
    // stored as ids 1..genreCount). Throws FeatureError when the spans differ in
    // length or a genre index is out of range.
    EncodedCatalogue encodeMovies(std::span<const std::string> titles,
                                  std::span<const std::vector<int>> genres) const;
    // encodeMovies over dataset.movies, in catalogue order.
    EncodedCatalogue encodeCatalogue(const Dataset& dataset) const;

    IntegerLookup age;        // over bucket values (1, 18, ...)
    IntegerLookup occupation; // over label indices
    IntegerLookup gender;     // over 0/1
    IntegerLookup userId;
    TimestampBuckets timestampBuckets;
    Normalizer timestampNormalizer;
    StringLookup title; // over the catalogue's titles
    TitleTokenizer titleTokens;
    std::size_t genreCount = 0; // genre embedding has genreCount + 1 rows (0 unused)
    std::int64_t minTimestamp = 0;
    std::int64_t maxTimestamp = 0;
};

} // namespace towerlab
