#include "data/movielens_1m.hpp"

#include "data/reader_support.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <limits>

namespace towerlab {

namespace {

using reading::Cursor;
using reading::IdIndex;

constexpr std::string_view kSeparator = "::";
constexpr std::string_view kSeparatorName = "'::'-separated";

// ML-1M occupation code -> its README name and the TFDS label it becomes. The one table of
// this mapping; the label is looked up by name so a misspelling fails the tests, not a user.
struct OccupationRow {
    std::string_view ml1mName;
    std::string_view tfdsLabel;
};
constexpr std::array<OccupationRow, 21> kOccupations = {{
    {"other", "other/not specified"},
    {"academic/educator", "academic/educator"},
    {"artist", "artist"},
    {"clerical/admin", "clerical/admin"},
    {"college/grad student", "student"},
    {"customer service", "customer service"},
    {"doctor/health care", "doctor/health care"},
    {"executive/managerial", "executive/managerial"},
    {"farmer", "farmer"},
    {"homemaker", "homemaker"},
    {"K-12 student", "student"},
    {"lawyer", "lawyer"},
    {"programmer", "programmer"},
    {"retired", "retired"},
    {"sales/marketing", "sales/marketing"},
    {"scientist", "scientist"},
    {"self-employed", "self-employed"},
    {"technician/engineer", "technician/engineer"},
    {"tradesman/craftsman", "tradesman/craftsman"},
    {"unemployed", "unemployed"},
    {"writer", "writer"},
}};

const std::vector<int>& occupationLabelTable() {
    static const std::vector<int> table = [] {
        std::vector<int> labels;
        const auto& names = occupationLabels();
        for (const auto& row : kOccupations) {
            const auto it = std::find(names.begin(), names.end(), row.tfdsLabel);
            // Both tables are constants (this file's and occupationLabels()); a label missing
            // from the TFDS list is a bug in them, caught by the 1M tests in a build with
            // assertions (the asan preset).
            assert(it != names.end() && "ML-1M occupation table names an unknown TFDS label");
            labels.push_back(static_cast<int>(it - names.begin()));
        }
        return labels;
    }();
    return table;
}

// Genre as movies.dat spells it -> index into ml1mGenreNames().
int genreIndex(std::string_view name) {
    if (name == "Children's") {
        name = "Children";
    }
    const auto& names = ml1mGenreNames();
    const auto it = std::find(names.begin(), names.end(), name);
    return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

void readUsers(const SourceArchive::File& file, Dataset& data, IdIndex& ids) {
    Cursor in(file);
    std::string_view line;
    while (in.lines.next(line)) {
        in.split(line, kSeparator, 5, kSeparatorName);
        User user;
        user.id = in.id(0, "user id");
        const std::string_view gender = in.fields[1];
        if (gender == "M") {
            user.gender = 1;
        } else if (gender == "F") {
            user.gender = 0;
        } else {
            in.fail("gender", "value " + quoteForMessage(gender) + " is not M or F");
        }
        const int age = in.integer<int>(2, "age");
        const auto& buckets = ageBuckets();
        if (std::find(buckets.begin(), buckets.end(), age) == buckets.end()) {
            in.fail("age", "value " + quoteForMessage(in.fields[2]) +
                               " is not an ML-1M age code (1, 18, 25, 35, 45, 50, 56)");
        }
        user.rawAge = age;
        user.ageBucket = age;
        const int code = in.integer<int>(3, "occupation");
        user.occupationLabel = occupationLabelFromMl1mCode(code);
        if (user.occupationLabel < 0) {
            in.fail("occupation", "value " + quoteForMessage(in.fields[3]) +
                                      " is not an ML-1M occupation code (0..20)");
        }
        user.occupationText = ml1mOccupationNames()[static_cast<std::size_t>(code)];
        user.zipCode = std::string(in.fields[4]);
        in.addUniqueId(ids, user.id, static_cast<std::int32_t>(data.users.size()), "user id",
                       "user");
        data.users.push_back(std::move(user));
    }
    ids.freeze();
}

void readMovies(const SourceArchive::File& file, Dataset& data, IdIndex& ids) {
    Cursor in(file);
    std::vector<std::string_view> genres;
    std::string_view line;
    while (in.lines.next(line)) {
        in.split(line, kSeparator, 3, kSeparatorName);
        Movie movie;
        movie.id = in.id(0, "movie id");
        if (in.fields[1].empty()) {
            in.fail("title", "title is empty");
        }
        movie.title = latin1ToUtf8(in.fields[1]);
        movie.year = reading::yearFromTitle(in.fields[1]);
        if (in.fields[2].empty()) {
            in.fail("genres", "genre list is empty");
        }
        splitFields(in.fields[2], '|', genres);
        for (const std::string_view name : genres) {
            const int g = genreIndex(name);
            if (g < 0) {
                in.fail("genres", "value " + quoteForMessage(name) + " is not an ML-1M genre");
            }
            movie.genres.push_back(g);
        }
        std::sort(movie.genres.begin(), movie.genres.end());
        movie.genres.erase(std::unique(movie.genres.begin(), movie.genres.end()),
                           movie.genres.end());
        in.addUniqueId(ids, movie.id, static_cast<std::int32_t>(data.movies.size()), "movie id",
                       "movie");
        data.movies.push_back(std::move(movie));
    }
    ids.freeze();
}

void readRatings(const SourceArchive::File& file, Dataset& data, const IdIndex& users,
                 const IdIndex& movies) {
    Cursor in(file);
    data.ratings.reserve(reading::lineCountBound(file.bytes));
    std::string_view line;
    while (in.lines.next(line)) {
        in.split(line, kSeparator, 4, kSeparatorName);
        Rating rating;
        rating.user = in.findId(users, 0, "user id", "user of users.dat");
        rating.movie = in.findId(movies, 1, "movie id", "movie of movies.dat");
        rating.rating = static_cast<float>(in.integerIn<int>(2, "rating", 1, 5));
        rating.timestamp = in.timestamp(3);
        data.ratings.push_back(rating);
    }
}

} // namespace

const std::vector<std::string>& ml1mOccupationNames() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        out.reserve(kOccupations.size());
        for (const auto& row : kOccupations) {
            out.emplace_back(row.ml1mName);
        }
        return out;
    }();
    return names;
}

int occupationLabelFromMl1mCode(int code) {
    const auto& table = occupationLabelTable();
    if (code < 0 || static_cast<std::size_t>(code) >= table.size()) {
        return -1;
    }
    return table[static_cast<std::size_t>(code)];
}

const std::vector<std::string>& ml1mGenreNames() {
    static const std::vector<std::string> names = {
        "Action",      "Adventure", "Animation", "Children",  "Comedy", "Crime",
        "Documentary", "Drama",     "Fantasy",   "Film-Noir", "Horror", "Musical",
        "Mystery",     "Romance",   "Sci-Fi",    "Thriller",  "War",    "Western",
    };
    return names;
}

Dataset parseMovieLens1m(const MovieLens1mFiles& files, const std::string& source) {
    Dataset data;
    data.name = "MovieLens 1M";
    data.source = source;
    data.hasDemographics = true;
    data.genreNames = ml1mGenreNames();
    IdIndex userIds;
    readUsers(files.users, data, userIds);
    IdIndex movieIds;
    readMovies(files.movies, data, movieIds);
    if (data.users.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()) ||
        data.movies.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        throw DataError(files.ratings.displayName, 0, "", "too many users or movies");
    }
    readRatings(files.ratings, data, userIds, movieIds);
    return data;
}

Dataset loadMovieLens1m(const SourceArchive& source) {
    return parseMovieLens1m(
        {source.read("users.dat"), source.read("movies.dat"), source.read("ratings.dat")},
        source.path().string());
}

Dataset loadMovieLens1m(const std::filesystem::path& folderOrZip) {
    return loadMovieLens1m(SourceArchive(folderOrZip));
}

} // namespace towerlab
