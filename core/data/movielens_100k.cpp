#include "data/movielens_100k.hpp"

#include "data/data_error.hpp"
#include "data/reader_support.hpp"
#include "data/source_archive.hpp"
#include "data/text_parsing.hpp"

#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

namespace towerlab {

namespace {

using File = SourceArchive::File;
using reading::Cursor;
using reading::IdIndex;

constexpr int kMinAge = 0;
constexpr int kMaxAge = 150;
constexpr std::string_view kPipeSeparated = "'|'-separated";

std::vector<std::string> readGenres(const File& file) {
    Cursor in(file);
    std::vector<std::string> names;
    std::string_view line;
    while (in.lines.next(line)) {
        in.split(line, "|", 2, kPipeSeparated);
        if (in.fields[0].empty()) {
            in.fail("genre name", "genre name is empty");
        }
        const auto expected = static_cast<int>(names.size());
        const int index = in.integer<int>(1, "genre index");
        if (index != expected) {
            in.fail("genre index", "value " + quoteForMessage(in.fields[1]) +
                                       " is out of order; genres must be numbered 0, 1, 2, ... "
                                       "and this line should say " +
                                       std::to_string(expected));
        }
        names.emplace_back(in.fields[0]);
    }
    return names;
}

void readUsers(const File& file, Dataset& data, IdIndex& ids) {
    Cursor in(file);
    std::string_view line;
    while (in.lines.next(line)) {
        in.split(line, "|", 5, kPipeSeparated);
        User user;
        user.id = in.integer<std::int64_t>(0, "user id");
        user.rawAge = in.integerIn<int>(1, "age", kMinAge, kMaxAge);
        user.ageBucket = bucketizeAge(user.rawAge);
        const std::string_view gender = in.fields[2];
        if (gender == "M") {
            user.gender = 1;
        } else if (gender == "F") {
            user.gender = 0;
        } else {
            in.fail("gender", "value " + quoteForMessage(gender) + " is not M or F");
        }
        user.occupationText = std::string(in.fields[3]);
        user.occupationLabel = occupationLabelFromText(user.occupationText);
        if (user.occupationLabel < 0) {
            in.fail("occupation", "value " + quoteForMessage(in.fields[3]) +
                                      " is not one of the MovieLens 100K occupations");
        }
        user.zipCode = std::string(in.fields[4]);
        in.addUniqueId(ids, user.id, static_cast<std::int32_t>(data.users.size()), "user id",
                       "user");
        data.users.push_back(std::move(user));
    }
    ids.freeze();
}

void readMovies(const File& file, Dataset& data, IdIndex& ids) {
    Cursor in(file);
    constexpr std::size_t kFixedFields = 5; // id, title, release date, video date, IMDb URL
    const std::size_t genreCount = data.genreNames.size();
    std::vector<std::string> flagFields;
    flagFields.reserve(genreCount);
    for (const std::string& name : data.genreNames) {
        flagFields.push_back("genre " + name);
    }
    std::string_view line;
    while (in.lines.next(line)) {
        in.split(line, "|", kFixedFields + genreCount, kPipeSeparated);
        Movie movie;
        movie.id = in.integer<std::int64_t>(0, "movie id");
        if (in.fields[1].empty()) {
            in.fail("movie title", "title is empty");
        }
        movie.title = latin1ToUtf8(in.fields[1]);
        movie.year = reading::yearFromTitle(in.fields[1]);
        for (std::size_t g = 0; g < genreCount; ++g) {
            const std::string_view flag = in.fields[kFixedFields + g];
            if (flag == "1") {
                movie.genres.push_back(static_cast<int>(g));
            } else if (flag != "0") {
                in.fail(flagFields[g], "value " + quoteForMessage(flag) + " is not 0 or 1");
            }
        }
        in.addUniqueId(ids, movie.id, static_cast<std::int32_t>(data.movies.size()), "movie id",
                       "movie");
        data.movies.push_back(std::move(movie));
    }
    ids.freeze();
}

void readRatings(const File& file, Dataset& data, const IdIndex& users, const IdIndex& movies) {
    Cursor in(file);
    data.ratings.reserve(reading::lineCountBound(file.bytes));
    if (data.users.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()) ||
        data.movies.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        in.fail("", "too many users or movies");
    }
    std::string_view line;
    while (in.lines.next(line)) {
        in.split(line, "\t", 4, "tab-separated");
        Rating rating;
        rating.user = in.findId(users, 0, "user id", "user of u.user");
        rating.movie = in.findId(movies, 1, "item id", "movie of u.item");
        rating.rating = static_cast<float>(in.integerIn<int>(2, "rating", 1, 5));
        rating.timestamp = in.integer<std::int64_t>(3, "timestamp");
        data.ratings.push_back(rating);
    }
}

} // namespace

Dataset parseMovieLens100k(const MovieLens100kFiles& files, const std::string& source) {
    Dataset data;
    data.name = "MovieLens 100K";
    data.source = source;
    data.hasDemographics = true;

    data.genreNames = readGenres(files.genre);
    IdIndex userIds;
    readUsers(files.user, data, userIds);
    IdIndex movieIds;
    readMovies(files.item, data, movieIds);
    readRatings(files.data, data, userIds, movieIds);
    return data;
}

Dataset loadMovieLens100k(const std::filesystem::path& folderOrZip) {
    const SourceArchive source(folderOrZip);
    return parseMovieLens100k({source.read("u.genre"), source.read("u.user"), source.read("u.item"),
                               source.read("u.data")},
                              folderOrZip.string());
}

} // namespace towerlab
