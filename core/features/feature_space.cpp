#include "features/feature_space.hpp"

#include "features/feature_error.hpp"

#include <algorithm>
#include <limits>
#include <string>

namespace towerlab {

namespace {

const User& ratingUser(const Dataset& dataset, const Rating& rating) {
    if (rating.user < 0 || static_cast<std::size_t>(rating.user) >= dataset.users.size()) {
        throw FeatureError("FeatureSpace", "rating names user index " +
                                               std::to_string(rating.user) +
                                               " but the dataset has " +
                                               std::to_string(dataset.users.size()) + " users");
    }
    return dataset.users[static_cast<std::size_t>(rating.user)];
}

// A dataset that claims demographics must have them for every rated user: an unknown (-1)
// would otherwise become a vocabulary entry of its own.
void requireKnown(int value, const char* field, const User& user) {
    if (value < 0) {
        throw FeatureError("FeatureSpace", "user " + std::to_string(user.id) + " has no " + field +
                                               " but the dataset says it has demographics");
    }
}

void checkOffset(std::size_t size, const char* what) {
    if (size > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        throw FeatureError("FeatureSpace", std::string("too many ") + what + " for int32 offsets");
    }
}

} // namespace

FeatureSpace FeatureSpace::fit(const Dataset& dataset) {
    if (dataset.ratings.empty() || dataset.users.empty() || dataset.movies.empty()) {
        throw FeatureError("FeatureSpace", "dataset \"" + dataset.name + "\" has " +
                                               std::to_string(dataset.users.size()) + " users, " +
                                               std::to_string(dataset.movies.size()) +
                                               " movies and " +
                                               std::to_string(dataset.ratings.size()) +
                                               " ratings; fitting needs at least one of each");
    }
    FeatureSpace space;

    const std::size_t n = dataset.ratings.size();
    std::vector<std::int64_t> timestamps;
    timestamps.reserve(n);
    std::vector<std::int64_t> ages;
    std::vector<std::int64_t> occupations;
    std::vector<std::int64_t> genders;
    if (dataset.hasDemographics) {
        ages.reserve(n);
        occupations.reserve(n);
        genders.reserve(n);
    }
    for (const Rating& rating : dataset.ratings) {
        if (rating.movie < 0 || static_cast<std::size_t>(rating.movie) >= dataset.movies.size()) {
            throw FeatureError("FeatureSpace",
                               "rating names movie index " + std::to_string(rating.movie) +
                                   " but the dataset has " + std::to_string(dataset.movies.size()) +
                                   " movies");
        }
        const User& user = ratingUser(dataset, rating);
        timestamps.push_back(rating.timestamp);
        if (dataset.hasDemographics) {
            requireKnown(user.ageBucket, "age bucket", user);
            requireKnown(user.occupationLabel, "occupation label", user);
            requireKnown(user.gender, "gender", user);
            ages.push_back(user.ageBucket);
            occupations.push_back(user.occupationLabel);
            genders.push_back(user.gender);
        }
    }
    if (dataset.hasDemographics) {
        space.age = IntegerLookup::fit(ages);
        space.occupation = IntegerLookup::fit(occupations);
        space.gender = IntegerLookup::fit(genders);
    }

    std::vector<std::int64_t> userIds;
    userIds.reserve(dataset.users.size());
    for (const User& user : dataset.users) {
        userIds.push_back(user.id);
    }
    space.userId = IntegerLookup::fit(userIds);

    const auto [minIt, maxIt] = std::minmax_element(timestamps.begin(), timestamps.end());
    space.minTimestamp = *minIt;
    space.maxTimestamp = *maxIt;
    space.timestampBuckets = TimestampBuckets::fit(space.minTimestamp, space.maxTimestamp);
    space.timestampNormalizer = Normalizer::fit(timestamps);

    // One title per catalogue row: a title listed twice counts twice towards the token
    // frequencies, as adapting on TFDS movielens/100k-movies does.
    std::vector<std::string> titles;
    titles.reserve(dataset.movies.size());
    for (const Movie& movie : dataset.movies) {
        titles.push_back(movie.title);
    }
    space.title = StringLookup::fit(titles);
    space.titleTokens = TitleTokenizer::fit(titles, 10000);
    space.genreCount = dataset.genreNames.size();
    return space;
}

EncodedQuery FeatureSpace::encode(const UserQuery& query) const {
    EncodedQuery encoded;
    encoded.age = age.index(query.ageBucket);
    encoded.occupation = occupation.index(query.occupationLabel);
    encoded.gender = gender.index(query.gender);
    encoded.userId = userId.index(query.userId);
    encoded.timestampBucket = timestampBuckets.bucket(query.timestamp);
    encoded.timestampNorm = timestampNormalizer.apply(query.timestamp);
    return encoded;
}

EncodedQuery FeatureSpace::encodeRating(const Dataset& dataset, const Rating& rating) const {
    const User& user = ratingUser(dataset, rating);
    UserQuery query;
    query.ageBucket = user.ageBucket;
    query.occupationLabel = user.occupationLabel;
    query.gender = user.gender;
    query.timestamp = rating.timestamp;
    query.userId = user.id;
    return encode(query);
}

namespace {

// Shared by encodeMovies and encodeCatalogue, so the catalogue is encoded from the dataset in
// place without first copying every title and genre list.
template <typename TitleAt, typename GenresAt>
EncodedCatalogue encodeCsr(const FeatureSpace& space, std::size_t count, TitleAt titleAt,
                           GenresAt genresAt) {
    checkOffset(count, "movies");
    EncodedCatalogue catalogue;
    catalogue.titleId.reserve(count);
    catalogue.tokenOffsets.reserve(count + 1);
    catalogue.genreOffsets.reserve(count + 1);
    catalogue.tokenOffsets.push_back(0);
    catalogue.genreOffsets.push_back(0);
    for (std::size_t m = 0; m < count; ++m) {
        const std::string& title = titleAt(m);
        catalogue.titleId.push_back(space.title.index(title));
        space.titleTokens.encodeInto(title, catalogue.tokens);
        checkOffset(catalogue.tokens.size(), "title tokens");
        catalogue.tokenOffsets.push_back(static_cast<std::int32_t>(catalogue.tokens.size()));
        for (const int g : genresAt(m)) {
            if (g < 0 || static_cast<std::size_t>(g) >= space.genreCount) {
                throw FeatureError(
                    "FeatureSpace",
                    "movie " + std::to_string(m) + " (\"" + title + "\") has genre index " +
                        std::to_string(g) + " outside 0.." +
                        std::to_string(static_cast<long long>(space.genreCount) - 1));
            }
            // Genre id 0 is the unused padding row of the genre embedding.
            catalogue.genres.push_back(g + 1);
        }
        checkOffset(catalogue.genres.size(), "genres");
        catalogue.genreOffsets.push_back(static_cast<std::int32_t>(catalogue.genres.size()));
    }
    return catalogue;
}

} // namespace

EncodedCatalogue FeatureSpace::encodeMovies(std::span<const std::string> titles,
                                            std::span<const std::vector<int>> genres) const {
    if (titles.size() != genres.size()) {
        throw FeatureError("FeatureSpace", std::to_string(titles.size()) + " titles but " +
                                               std::to_string(genres.size()) + " genre lists");
    }
    return encodeCsr(
        *this, titles.size(), [&](std::size_t m) -> const std::string& { return titles[m]; },
        [&](std::size_t m) -> const std::vector<int>& { return genres[m]; });
}

EncodedCatalogue FeatureSpace::encodeCatalogue(const Dataset& dataset) const {
    const std::vector<Movie>& movies = dataset.movies;
    return encodeCsr(
        *this, movies.size(), [&](std::size_t m) -> const std::string& { return movies[m].title; },
        [&](std::size_t m) -> const std::vector<int>& { return movies[m].genres; });
}

} // namespace towerlab
