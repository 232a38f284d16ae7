#include "features/feature_space.hpp"

#include "features/feature_error.hpp"

#include <algorithm>
#include <cassert>
#include <limits>
#include <string>

namespace towerlab {

namespace {

const User& ratingUser(const Dataset& dataset, const Rating& rating) {
    if (rating.user < 0 || static_cast<std::size_t>(rating.user) >= dataset.users.size()) {
        throw FeatureError("FeatureSpace", "rating names user index " +
                                    std::to_string(rating.user) + " but the dataset has " +
                                    std::to_string(dataset.users.size()) + " users");
    }
    return dataset.users[static_cast<std::size_t>(rating.user)];
}

void checkOffset(std::size_t size, std::string_view what) {
    if (size > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        throw FeatureError("FeatureSpace", "too many " + std::string(what) +
                                    " for int32 offsets");
    }
}

} // namespace

FeatureSpace FeatureSpace::fit(const Dataset& dataset) {
    if (dataset.ratings.empty() || dataset.users.empty() || dataset.movies.empty()) {
        throw FeatureError("FeatureSpace", "dataset \"" + dataset.name + "\" has " +
                                    std::to_string(dataset.users.size()) + " users, " +
                                    std::to_string(dataset.movies.size()) + " movies and " +
                                    std::to_string(dataset.ratings.size()) +
                                    " ratings; fitting needs at least one of each");
    }
    FeatureSpace space;

    std::vector<std::int64_t> timestamps;
    timestamps.reserve(dataset.ratings.size());
    std::vector<char> rated(dataset.users.size(), 0);
    for (const Rating& rating : dataset.ratings) {
        if (rating.movie < 0 || static_cast<std::size_t>(rating.movie) >= dataset.movies.size()) {
            throw FeatureError("FeatureSpace", "rating names movie index " +
                                        std::to_string(rating.movie) + " but the dataset has " +
                                        std::to_string(dataset.movies.size()) + " movies");
        }
        (void)ratingUser(dataset, rating);
        rated[static_cast<std::size_t>(rating.user)] = 1;
        timestamps.push_back(rating.timestamp);
    }

    for (const FeatureDescriptor& f : kFeatureTable) {
        if (!f.unavailableBecause(dataset).empty()) {
            continue; // left empty: every value is out of vocabulary
        }
        std::vector<std::int64_t> values;
        if (f.vocabulary == Vocabulary::UserAttribute) {
            for (std::size_t u = 0; u < dataset.users.size(); ++u) {
                if (!rated[u] && !f.fitAllUsers) {
                    continue;
                }
                const User& user = dataset.users[u];
                if (const RawValue v = f.ofUser(user)) {
                    values.push_back(*v);
                } else if (f.everyUserKnown) {
                    // Unknown would otherwise become a vocabulary entry of its own.
                    throw FeatureError("FeatureSpace", "user " + std::to_string(user.id) +
                                                " has no " + std::string(f.name) +
                                                " but the dataset says it knows every user's " +
                                                std::string(f.name));
                }
            }
        } else if (f.vocabulary == Vocabulary::MovieAttribute) {
            for (const Movie& movie : dataset.movies) {
                if (const RawValue v = f.ofMovie(movie)) {
                    values.push_back(*v);
                }
            }
        } else {
            continue;
        }
        space.lookup(f.id) = IntegerLookup::fit(values);
    }

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

std::size_t FeatureSpace::tableRows(FeatureId feature) const {
    switch (describe(feature).vocabulary) {
    case Vocabulary::UserAttribute:
    case Vocabulary::MovieAttribute:
        return lookup(feature).tableRows();
    case Vocabulary::TimestampBuckets:
        return timestampBuckets.tableRows();
    case Vocabulary::TimestampNormalizer:
        return 0;
    case Vocabulary::Titles:
        return title.tableRows();
    case Vocabulary::TitleTokens:
        return titleTokens.vocabularySize();
    case Vocabulary::Genres:
        return genreCount + 1;
    }
    return 0;
}

void FeatureSpace::encodeInto(const FeatureDescriptor& f, RawValue raw, EncodedQuery& out) const {
    switch (f.vocabulary) {
    case Vocabulary::UserAttribute:
        out.setId(f.id, raw ? lookup(f.id).index(*raw) : 0);
        break;
    case Vocabulary::TimestampBuckets:
        out.setId(f.id, raw ? timestampBuckets.bucket(*raw) : 0);
        break;
    case Vocabulary::TimestampNormalizer:
        out.setValue(f.id, raw ? timestampNormalizer.apply(*raw) : 0.0f);
        break;
    default:
        assert(false && "a query feature's vocabulary is a user attribute or a timestamp");
    }
}

EncodedQuery FeatureSpace::encode(const UserQuery& query) const {
    EncodedQuery encoded;
    for (const FeatureId id : kTowerFeatures<Tower::Query>) {
        const FeatureDescriptor& f = describe(id);
        encodeInto(f, queryValue(f, query), encoded);
    }
    return encoded;
}

EncodedQuery FeatureSpace::encodeRating(const Dataset& dataset, const Rating& rating) const {
    const User& user = ratingUser(dataset, rating);
    EncodedQuery encoded;
    for (const FeatureId id : kTowerFeatures<Tower::Query>) {
        const FeatureDescriptor& f = describe(id);
        encodeInto(f,
                   f.vocabulary == Vocabulary::UserAttribute ? f.ofUser(user)
                                                             : RawValue(rating.timestamp),
                   encoded);
    }
    return encoded;
}

EncodedCatalogue FeatureSpace::encodeMovies(std::span<const Movie> movies) const {
    checkOffset(movies.size(), "movies");
    EncodedCatalogue catalogue;
    for (const FeatureId id : kTowerFeatures<Tower::Candidate>) {
        catalogue.inputs[kTowerSlot[static_cast<std::size_t>(id)]].offsets.reserve(movies.size() +
                                                                                   1);
    }
    for (std::size_t m = 0; m < movies.size(); ++m) {
        const Movie& movie = movies[m];
        for (const FeatureId id : kTowerFeatures<Tower::Candidate>) {
            const FeatureDescriptor& f = describe(id);
            EncodedCatalogue::IdLists& lists =
                catalogue.inputs[kTowerSlot[static_cast<std::size_t>(id)]];
            switch (f.vocabulary) {
            case Vocabulary::Titles:
                lists.ids.push_back(title.index(movie.title));
                break;
            case Vocabulary::TitleTokens:
                titleTokens.encodeInto(movie.title, lists.ids);
                break;
            case Vocabulary::Genres:
                for (const int g : movie.genres) {
                    if (g < 0 || static_cast<std::size_t>(g) >= genreCount) {
                        throw FeatureError("FeatureSpace",
                            "movie " + std::to_string(m) + " (\"" + movie.title +
                            "\") has genre index " + std::to_string(g) + " outside 0.." +
                            std::to_string(static_cast<long long>(genreCount) - 1));
                    }
                    // Genre id 0 is the unused padding row of the genre embedding.
                    lists.ids.push_back(g + 1);
                }
                break;
            case Vocabulary::MovieAttribute: {
                const RawValue v = f.ofMovie(movie);
                lists.ids.push_back(v ? lookup(id).index(*v) : 0);
                break;
            }
            default:
                assert(false && "a candidate feature's vocabulary is a movie's");
            }
            checkOffset(lists.ids.size(), f.name);
            lists.offsets.push_back(static_cast<std::int32_t>(lists.ids.size()));
        }
    }
    return catalogue;
}

EncodedCatalogue FeatureSpace::encodeCatalogue(const Dataset& dataset) const {
    return encodeMovies(dataset.movies);
}

} // namespace towerlab
