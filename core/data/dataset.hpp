#pragma once
// The in-memory dataset every reader produces and every later stage consumes.
// Plain values: a Dataset can be copied, moved between threads and compared.

#include <cstdint>
#include <string>
#include <vector>

namespace towerlab {

// The 22 TFDS "1M-style" occupation labels; index = user_occupation_label.
const std::vector<std::string>& occupationLabels();
// 100K occupation text ("administrator", "healthcare", ...) -> label index, -1 if unknown.
int occupationLabelFromText(const std::string& text);
// TFDS bucketized_user_age: below 18 -> 1, else the largest of 18,25,35,45,50,56 not above.
int bucketizeAge(int years);
// The seven age buckets in ascending order: 1, 18, 25, 35, 45, 50, 56.
const std::vector<int>& ageBuckets();

struct User {
    std::int64_t id = 0;           // id as in the source files
    int rawAge = -1;               // years; -1 when the dataset has no ages
    int ageBucket = -1;            // bucketizeAge(rawAge); -1 when unknown
    int occupationLabel = -1;      // index into occupationLabels(); -1 when unknown
    std::string occupationText;    // as in the source (e.g. "healthcare")
    int gender = -1;               // 1 = male ("M"), 0 = female, -1 unknown
    std::string zipCode;
};

struct Movie {
    std::int64_t id = 0;           // id as in the source files
    std::string title;             // UTF-8, exactly as in the source (trailing spaces kept)
    std::vector<int> genres;       // indices into Dataset::genreNames, ascending
    int year = 0;                  // release year from the title's "(1995)", 0 if none
};

// 16 bytes, so 25 million ratings (MovieLens 25M) take 400 MB. The time is an unsigned 32-bit
// count of Unix seconds: it holds every time a reader accepts (1970-01-01 up to 2100-01-01,
// reading::kLatestTimestamp; a later or negative one is refused naming file and line), which
// a signed 32-bit count would not (it ends in 2038). Widen it to std::int64_t before any
// subtraction: unsigned differences wrap.
struct Rating {
    std::int32_t user = 0;         // index into Dataset::users
    std::int32_t movie = 0;        // index into Dataset::movies
    float rating = 0.0f;           // 1..5 (half stars allowed in some formats)
    std::uint32_t timestamp = 0;   // Unix seconds
};
static_assert(sizeof(Rating) == 16, "a Rating is 16 bytes: 25M ratings fit in 400 MB");

struct Dataset {
    std::string name;              // "MovieLens 100K", "TowerLab demo", ...
    std::string source;            // folder, zip path or "built-in"
    std::vector<std::string> genreNames;
    std::vector<User> users;
    std::vector<Movie> movies;     // the candidate catalogue, in source order
    std::vector<Rating> ratings;   // in source order
    bool hasDemographics = true;   // age, occupation and gender are known for every user

    // A stable 64-bit FNV-1a hash over users, movies and ratings, as 16 hex digits: model
    // files record it so a model can say which data it was trained on.
    std::string fingerprint() const;
};

} // namespace towerlab
