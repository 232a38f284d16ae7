#include "data/movielens_latest.hpp"

#include "data/csv_line.hpp"
#include "data/reader_support.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <unordered_map>

namespace towerlab {

namespace {

using reading::Cursor;
using reading::IdIndex;

constexpr std::string_view kNoGenres = "(no genres listed)";

void checkHeader(Cursor& in, std::string_view line, const std::vector<std::string_view>& names) {
    std::vector<std::string> fields;
    const std::string problem = splitCsvLine(line, fields);
    bool same = problem.empty() && fields.size() == names.size();
    for (std::size_t i = 0; same && i < names.size(); ++i) {
        same = fields[i] == names[i];
    }
    if (!same) {
        std::string expected;
        for (const auto name : names) {
            expected += expected.empty() ? "" : ",";
            expected += name;
        }
        in.fail("header",
                "expected the header line \"" + expected + "\", found " + quoteForMessage(line));
    }
}

void readMovies(ByteStream& file, Dataset& data, IdIndex& ids) {
    Cursor in(file);
    std::string_view line;
    in.lines.next(line);
    checkHeader(in, line, {"movieId", "title", "genres"});

    // Genres get indices in order of first appearance here and are renumbered in name order
    // at the end, so the vocabulary does not depend on the row order.
    std::map<std::string, int, std::less<>> genreByName;
    std::vector<std::string> csv;
    std::vector<std::string_view> genres;
    while (in.lines.next(line)) {
        if (const std::string problem = splitCsvLine(line, csv); !problem.empty()) {
            in.fail("", problem);
        }
        if (csv.size() != 3) {
            in.fail("", "expected 3 comma-separated fields, found " + std::to_string(csv.size()));
        }
        in.fields.assign(csv.begin(), csv.end());
        Movie movie;
        movie.id = in.id(0, "movieId");
        if (csv[1].empty()) {
            in.fail("title", "title is empty");
        }
        if (!isValidUtf8(csv[1])) {
            in.fail("title", "value " + quoteForMessage(csv[1]) + " is not valid UTF-8");
        }
        movie.title = csv[1];
        movie.year = reading::yearFromTitle(movie.title);
        if (csv[2].empty()) {
            in.fail("genres", "genre list is empty (the format writes \"(no genres listed)\")");
        }
        if (csv[2] != kNoGenres) {
            splitFields(csv[2], '|', genres);
            for (const std::string_view name : genres) {
                if (name.empty() || name == kNoGenres) {
                    in.fail("genres", "value " + quoteForMessage(csv[2]) +
                                          " holds an empty or misplaced genre");
                }
                auto it = genreByName.find(name);
                if (it == genreByName.end()) {
                    it =
                        genreByName.emplace(std::string(name), static_cast<int>(genreByName.size()))
                            .first;
                }
                movie.genres.push_back(it->second);
            }
        }
        in.addUniqueId(ids, movie.id, static_cast<std::int32_t>(data.movies.size()), "movieId",
                       "movie");
        data.movies.push_back(std::move(movie));
    }
    ids.freeze();

    std::vector<int> renumber(genreByName.size());
    for (const auto& [name, firstSeen] : genreByName) {
        renumber[static_cast<std::size_t>(firstSeen)] = static_cast<int>(data.genreNames.size());
        data.genreNames.push_back(name);
    }
    for (Movie& movie : data.movies) {
        for (int& g : movie.genres) {
            g = renumber[static_cast<std::size_t>(g)];
        }
        std::sort(movie.genres.begin(), movie.genres.end());
        movie.genres.erase(std::unique(movie.genres.begin(), movie.genres.end()),
                           movie.genres.end());
    }
}

// A half-star rating "0.5" .. "5.0" (also "4" or "4.50"): the value, or a negative number.
float parseHalfStar(std::string_view text) {
    double value = 0.0;
    const char* last = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), last, value);
    if (text.empty() || ec != std::errc() || ptr != last || !std::isfinite(value)) {
        return -1.0f;
    }
    const double doubled = value * 2.0;
    if (value < 0.5 || value > 5.0 || doubled != std::floor(doubled)) {
        return -1.0f;
    }
    return static_cast<float>(value);
}

void readRatings(ByteStream& file, Dataset& data, const IdIndex& movies) {
    Cursor in(file);
    std::string_view line;
    in.lines.next(line);
    checkHeader(in, line, {"userId", "movieId", "rating", "timestamp"});
    // Every MovieLens ratings.csv line is longer than 16 bytes ("1,1,4.0,964982703" is 18),
    // so this reserves enough at once: the vector is never copied to grow, and what is
    // reserved but not filled is address space, not memory the process touches.
    data.ratings.reserve(static_cast<std::size_t>(file.sizeHint() / 16 + 16));

    std::unordered_map<std::int64_t, std::int32_t> userIndex;
    // Ratings come grouped by user, so most rows repeat the previous user.
    std::int64_t lastId = 0;
    std::int32_t lastIndex = -1;
    while (in.lines.next(line)) {
        in.split(line, ",", 4, "comma-separated");
        Rating rating;
        const auto userId = in.id(0, "userId");
        if (lastIndex < 0 || userId != lastId) {
            const auto [it, inserted] =
                userIndex.try_emplace(userId, static_cast<std::int32_t>(data.users.size()));
            if (inserted) {
                if (data.users.size() >=
                    static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
                    in.fail("userId", "too many users");
                }
                User user;
                user.id = userId;
                data.users.push_back(std::move(user));
            }
            lastId = userId;
            lastIndex = it->second;
        }
        rating.user = lastIndex;
        rating.movie = in.findId(movies, 1, "movieId", "movie of movies.csv");
        rating.rating = parseHalfStar(in.fields[2]);
        if (rating.rating < 0.0f) {
            in.fail("rating", "value " + quoteForMessage(in.fields[2]) +
                                  " is not a rating of 0.5..5.0 in half stars");
        }
        rating.timestamp = in.timestamp(3);
        data.ratings.push_back(rating);
    }
}

std::string nameFor(const std::filesystem::path& folderOrZip) {
    std::filesystem::path p = folderOrZip;
    if (!p.has_filename()) {
        p = p.parent_path(); // "folder/" names the folder
    }
    std::string stem = p.extension() == ".zip" ? p.stem().string() : p.filename().string();
    if (stem == "ml-latest-small") {
        return "MovieLens latest (small)";
    }
    if (stem == "ml-latest") {
        return "MovieLens latest (full)";
    }
    if (stem == "ml-20m") {
        return "MovieLens 20M";
    }
    if (stem == "ml-25m") {
        return "MovieLens 25M";
    }
    return "MovieLens latest format (" + stem + ")";
}

// The two files of an in-memory MovieLensLatestFiles as streams.
struct MovieLensLatestStreams {
    MemoryByteStream movies;
    MemoryByteStream ratings;
    MovieLensLatestStreams(const SourceArchive::File& m, const SourceArchive::File& r)
        : movies(m.bytes, m.displayName), ratings(r.bytes, r.displayName) {}
};

} // namespace

Dataset parseMovieLensLatest(ByteStream& movies, ByteStream& ratings, const std::string& source,
                             const std::string& name) {
    Dataset data;
    data.name = name;
    data.source = source;
    data.hasDemographics = false;
    IdIndex movieIds;
    try {
        readMovies(movies, data, movieIds);
    } catch (const DataError&) {
        movies.verifyRest();
        throw;
    }
    if (data.movies.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        throw DataError(movies.displayName(), 0, "", "too many movies");
    }
    try {
        readRatings(ratings, data, movieIds);
    } catch (const DataError&) {
        ratings.verifyRest();
        throw;
    }
    return data;
}

Dataset parseMovieLensLatest(const MovieLensLatestFiles& files, const std::string& source,
                             const std::string& name) {
    MovieLensLatestStreams streams{files.movies, files.ratings};
    return parseMovieLensLatest(streams.movies, streams.ratings, source, name);
}

Dataset loadMovieLensLatest(const SourceArchive& source) {
    const std::unique_ptr<ByteStream> movies = source.open("movies.csv");
    const std::unique_ptr<ByteStream> ratings = source.open("ratings.csv");
    return parseMovieLensLatest(*movies, *ratings, source.path().string(), nameFor(source.path()));
}

Dataset loadMovieLensLatest(const std::filesystem::path& folderOrZip) {
    return loadMovieLensLatest(SourceArchive(folderOrZip));
}

} // namespace towerlab
