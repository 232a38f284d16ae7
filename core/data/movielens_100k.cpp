#include "data/movielens_100k.hpp"

#include "data/data_error.hpp"
#include "data/reader_support.hpp"
#include "data/source_archive.hpp"
#include "data/text_parsing.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <string_view>
#include <utility>
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

// u.occupation: one occupation a line, each one of MovieLens 100K's, none twice.
std::vector<std::string> readOccupations(const File& file) {
    Cursor in(file);
    std::vector<std::string> names;
    std::string_view line;
    while (in.lines.next(line)) {
        const std::string name(line);
        if (occupationLabelFromText(name) < 0) {
            in.fail("occupation", "value " + quoteForMessage(name) +
                                      " is not one of the MovieLens 100K occupations");
        }
        if (std::find(names.begin(), names.end(), name) != names.end()) {
            in.fail("occupation", "value " + quoteForMessage(name) + " is listed twice");
        }
        names.push_back(name);
    }
    return names;
}

// u.item's dates: "01-Jan-1995" (the real file also has one "4-Feb-1971"), or empty when
// unknown (as for one movie of the real data).
bool isItemDate(std::string_view text) {
    static constexpr std::array<std::string_view, 12> kMonths = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const auto digits = [](std::string_view s) {
        return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (text.empty()) {
        return true;
    }
    const std::size_t dash = text.find('-');
    if ((dash != 1 && dash != 2) || text.size() != dash + 9 || text[dash + 4] != '-' ||
        !digits(text.substr(0, dash)) || !digits(text.substr(dash + 5, 4))) {
        return false;
    }
    int day = 0;
    parseInteger(text.substr(0, dash), day); // digits only, checked above
    return day >= 1 && day <= 31 &&
           std::find(kMonths.begin(), kMonths.end(), text.substr(dash + 1, 3)) != kMonths.end();
}

// `listed`: the occupations of u.occupation, or empty when the folder has none (every
// occupation of the format is then allowed).
void readUsers(const File& file, const std::vector<std::string>& listed, Dataset& data,
               IdIndex& ids) {
    Cursor in(file);
    std::string_view line;
    while (in.lines.next(line)) {
        in.split(line, "|", 5, kPipeSeparated);
        User user;
        user.id = in.id(0, "user id");
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
        if (!listed.empty() &&
            std::find(listed.begin(), listed.end(), user.occupationText) == listed.end()) {
            in.fail("occupation",
                    "value " + quoteForMessage(in.fields[3]) + " is not listed in u.occupation");
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
        movie.id = in.id(0, "movie id");
        if (in.fields[1].empty()) {
            in.fail("movie title", "title is empty");
        }
        movie.title = latin1ToUtf8(in.fields[1]);
        movie.year = reading::yearFromTitle(in.fields[1]);
        if (!isItemDate(in.fields[2])) {
            in.fail("release date", "value " + quoteForMessage(in.fields[2]) +
                                        " is not a date like 01-Jan-1995 (or empty)");
        }
        if (!isItemDate(in.fields[3])) {
            in.fail("video release date", "value " + quoteForMessage(in.fields[3]) +
                                              " is not a date like 01-Jan-1995 (or empty)");
        }
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
        rating.timestamp = in.timestamp(3);
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
    const std::vector<std::string> occupations =
        files.occupation ? readOccupations(*files.occupation) : std::vector<std::string>{};
    IdIndex userIds;
    readUsers(files.user, occupations, data, userIds);
    IdIndex movieIds;
    readMovies(files.item, data, movieIds);
    readRatings(files.data, data, userIds, movieIds);
    return data;
}

Dataset loadMovieLens100k(const SourceArchive& source) {
    std::optional<SourceArchive::File> occupation;
    if (source.contains("u.occupation")) {
        occupation = source.read("u.occupation");
    }
    return parseMovieLens100k({source.read("u.genre"), source.read("u.user"), source.read("u.item"),
                               source.read("u.data"), std::move(occupation)},
                              source.path().string());
}

Dataset loadMovieLens100k(const std::filesystem::path& folderOrZip) {
    return loadMovieLens100k(SourceArchive(folderOrZip));
}

} // namespace towerlab
