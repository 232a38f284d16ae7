#include "data/movielens_100k.hpp"

#include "data/data_error.hpp"
#include "data/source_archive.hpp"
#include "data/text_parsing.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace towerlab {

namespace {

using File = SourceArchive::File;

constexpr int kMinAge = 0;
constexpr int kMaxAge = 150;

// Where a reader is: the file and its current line, for the messages of DataError.
struct Cursor {
    const File& file;
    LineReader lines;
    std::vector<std::string_view> fields;

    explicit Cursor(const File& f) : file(f), lines(f.bytes) {
        if (lines.empty()) {
            throw DataError(file.displayName, 0, "", "file is empty");
        }
    }

    // Field names are string_views so the hot loops build no string until something fails.
    [[noreturn]] void fail(std::string_view field, const std::string& reason) const {
        throw DataError(file.displayName, lines.lineNumber(), std::string(field), reason);
    }

    // Splits the current line and checks the field count.
    void split(std::string_view line, char separator, std::size_t expected) {
        splitFields(line, separator, fields);
        if (fields.size() != expected) {
            const char* sepName = separator == '\t' ? "tab-separated" : "'|'-separated";
            fail("", std::string("expected ") + std::to_string(expected) + " " + sepName +
                         " fields, found " + std::to_string(fields.size()));
        }
    }

    template <typename Int> Int integer(std::size_t index, std::string_view field) const {
        Int value{};
        const std::errc ec = parseInteger(fields[index], value);
        if (ec == std::errc::result_out_of_range) {
            fail(field, "value " + quoteForMessage(fields[index]) + " is out of range");
        }
        if (ec != std::errc()) {
            fail(field, "value " + quoteForMessage(fields[index]) + " is not a whole number");
        }
        return value;
    }

    template <typename Int>
    Int integerIn(std::size_t index, std::string_view field, Int lo, Int hi) const {
        const Int value = integer<Int>(index, field);
        if (value < lo || value > hi) {
            fail(field, "value " + quoteForMessage(fields[index]) + " is outside " +
                            std::to_string(lo) + ".." + std::to_string(hi));
        }
        return value;
    }
};

// Source id -> index into the dataset's vector. Ids are dense small integers in MovieLens,
// so lookups go through a flat table when the id range allows it.
class IdIndex {
public:
    // Returns the line the id was first seen on, or 0 when it is new.
    std::size_t add(std::int64_t id, std::int32_t index, std::size_t line) {
        const auto [it, inserted] = m_map.try_emplace(id, Entry{index, line});
        return inserted ? 0 : it->second.line;
    }

    void freeze() {
        if (m_map.empty()) {
            return;
        }
        std::int64_t lo = std::numeric_limits<std::int64_t>::max();
        std::int64_t hi = std::numeric_limits<std::int64_t>::min();
        for (const auto& [id, entry] : m_map) {
            lo = std::min(lo, id);
            hi = std::max(hi, id);
        }
        // Unsigned difference: ids may span the whole int64 range.
        const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
        if (span < 8 * m_map.size() + 1024) {
            m_offset = lo;
            m_dense.assign(static_cast<std::size_t>(span) + 1, -1);
            for (const auto& [id, entry] : m_map) {
                m_dense[static_cast<std::size_t>(id - lo)] = entry.index;
            }
        }
    }

    // -1 when the id is unknown.
    std::int32_t find(std::int64_t id) const {
        if (!m_dense.empty()) {
            const auto slot = static_cast<std::uint64_t>(id) - static_cast<std::uint64_t>(m_offset);
            return slot < m_dense.size() ? m_dense[static_cast<std::size_t>(slot)] : -1;
        }
        const auto it = m_map.find(id);
        return it == m_map.end() ? -1 : it->second.index;
    }

private:
    struct Entry {
        std::int32_t index;
        std::size_t line;
    };
    std::unordered_map<std::int64_t, Entry> m_map;
    std::vector<std::int32_t> m_dense;
    std::int64_t m_offset = 0;
};

std::vector<std::string> readGenres(const File& file) {
    Cursor in(file);
    std::vector<std::string> names;
    std::string_view line;
    while (in.lines.next(line)) {
        in.split(line, '|', 2);
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
        in.split(line, '|', 5);
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
        const auto index = static_cast<std::int32_t>(data.users.size());
        if (const std::size_t first = ids.add(user.id, index, in.lines.lineNumber()); first) {
            in.fail("user id", "user id " + std::to_string(user.id) +
                                   " appears twice (first on line " + std::to_string(first) + ")");
        }
        data.users.push_back(std::move(user));
    }
    ids.freeze();
}

// The year of the last "(dddd)" in a title, 0 when there is none.
int yearFromTitle(std::string_view title) {
    for (std::size_t end = title.rfind(')'); end != std::string_view::npos && end >= 5;
         end = title.rfind(')', end - 1)) {
        const std::string_view digits = title.substr(end - 4, 4);
        if (title[end - 5] == '(' && std::all_of(digits.begin(), digits.end(),
                                                 [](char c) { return c >= '0' && c <= '9'; })) {
            return (digits[0] - '0') * 1000 + (digits[1] - '0') * 100 + (digits[2] - '0') * 10 +
                   (digits[3] - '0');
        }
    }
    return 0;
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
        in.split(line, '|', kFixedFields + genreCount);
        Movie movie;
        movie.id = in.integer<std::int64_t>(0, "movie id");
        if (in.fields[1].empty()) {
            in.fail("movie title", "title is empty");
        }
        movie.title = latin1ToUtf8(in.fields[1]);
        movie.year = yearFromTitle(in.fields[1]);
        for (std::size_t g = 0; g < genreCount; ++g) {
            const std::string_view flag = in.fields[kFixedFields + g];
            if (flag == "1") {
                movie.genres.push_back(static_cast<int>(g));
            } else if (flag != "0") {
                in.fail(flagFields[g], "value " + quoteForMessage(flag) + " is not 0 or 1");
            }
        }
        const auto index = static_cast<std::int32_t>(data.movies.size());
        if (const std::size_t first = ids.add(movie.id, index, in.lines.lineNumber()); first) {
            in.fail("movie id", "movie id " + std::to_string(movie.id) +
                                    " appears twice (first on line " + std::to_string(first) + ")");
        }
        data.movies.push_back(std::move(movie));
    }
    ids.freeze();
}

void readRatings(const File& file, Dataset& data, const IdIndex& users, const IdIndex& movies) {
    Cursor in(file);
    data.ratings.reserve(
        static_cast<std::size_t>(std::count(file.bytes.begin(), file.bytes.end(), '\n') + 1));
    if (data.users.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()) ||
        data.movies.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        in.fail("", "too many users or movies");
    }
    std::string_view line;
    while (in.lines.next(line)) {
        in.split(line, '\t', 4);
        Rating rating;
        const auto userId = in.integer<std::int64_t>(0, "user id");
        rating.user = users.find(userId);
        if (rating.user < 0) {
            in.fail("user id",
                    "value " + quoteForMessage(in.fields[0]) + " names no user of u.user");
        }
        const auto movieId = in.integer<std::int64_t>(1, "item id");
        rating.movie = movies.find(movieId);
        if (rating.movie < 0) {
            in.fail("item id",
                    "value " + quoteForMessage(in.fields[1]) + " names no movie of u.item");
        }
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
