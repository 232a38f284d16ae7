#pragma once
// MovieLens-shaped data of any size, written in the "latest" CSV format (ratings.csv,
// movies.csv): the real 20M/25M archives cannot be committed and CI cannot download them, so
// tests and benchmarks generate data with their shape instead. `towerlab-cli generate` is the
// front end; datasets/README.md ("Generated MovieLens-shaped data") describes the recipe.
//
// The shape: a Zipf-like movie popularity (weight ~ (rank + r0)^-1.5), a long tail of user
// activity (a floor of up to 20 ratings each, the rest shared Pareto-like), 1-3 genres a
// movie, release years, 25 years of timestamps, whole stars before 2003-02-18 and half stars
// after. Planted taste: every user has one or two favourite genres, a disliked genre and a
// favourite hidden movie cluster (a group of movies that only the ratings reveal); a user's
// picks come 45% from the favourite genres, 25% from the favourite cluster and 30% from the
// whole catalogue by popularity, and the stars rise for favourites and fall for the disliked
// genre. So a model that learns who likes what beats most-popular, and a test can check it.
//
// Deterministic: the same options give the same bytes with any compiler, standard library or
// machine (integer arithmetic and util/random.hpp's fixed algorithms only). Memory grows with
// users + movies, not with the number of ratings: ratings are written user by user.

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace towerlab {

struct SyntheticOptions {
    std::int64_t users = 0;
    std::int64_t movies = 0;
    std::int64_t ratings = 0;
    std::uint64_t seed = 1;
};

// Limits of the generator: ids and indices are int32 in a Dataset, and 2^31 ratings would
// take more than 32 GB to load.
inline constexpr std::int64_t kSyntheticMaxUsers = 100'000'000;
inline constexpr std::int64_t kSyntheticMaxMovies = 10'000'000;
inline constexpr std::int64_t kSyntheticMaxRatings = 2'000'000'000;

// Why the options cannot be generated ("--ratings: 50 is fewer than the 100 users; every user
// rates at least one movie"), or an empty string when they can. Each reason starts with the
// CLI flag it is about.
std::string syntheticOptionsProblem(const SyntheticOptions& options);

// Thrown by the generator for options that syntheticOptionsProblem() refuses, and for an
// output folder that cannot be used (exists and is not empty, is a file, cannot be created).
class SyntheticDataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The 19 genres of the latest format, in the order movies.csv lists a movie's genres.
const std::vector<std::string>& syntheticGenreNames();

// The plan the ratings are drawn from: catalogue and per-user tastes. Built from the options
// alone (O(users + movies) time and memory); tests use it as an oracle.
struct SyntheticPlan {
    static constexpr int kNoGenre = -1;

    struct MovieInfo {
        std::int64_t id = 0;      // movieId in movies.csv: increasing, with gaps as in ml-25m
        int year = 0;             // release year, also in the title
        std::uint32_t genres = 0; // bit g = syntheticGenreNames()[g]; 0 = "(no genres listed)"
        std::int32_t cluster = 0; // hidden taste cluster 0..clusters-1
        std::int32_t popularityRank = 0; // 0 = the most popular
        std::int8_t quality = 0;         // -2..+2 half stars
    };
    struct UserInfo {
        std::int64_t count = 0; // ratings of this user (>= 1)
        std::array<std::int8_t, 2> favouriteGenres{{kNoGenre, kNoGenre}}; // second may be none
        std::int8_t dislikedGenre = kNoGenre;
        std::int32_t favouriteCluster = 0;
        std::int8_t bias = 0; // -2..+2 half stars
    };

    SyntheticOptions options;
    int clusters = 0;
    std::vector<MovieInfo> movies; // in movieId order
    std::vector<UserInfo> users;   // userId = index + 1

    bool isFavouriteGenre(const UserInfo& user, std::uint32_t movieGenres) const;
};

// Throws SyntheticDataError when syntheticOptionsProblem() is not empty.
SyntheticPlan makeSyntheticPlan(const SyntheticOptions& options);

struct SyntheticWriteResult {
    std::uint64_t users = 0;
    std::uint64_t movies = 0;
    std::uint64_t ratings = 0;
    std::uint64_t ratingsBytes = 0; // size of ratings.csv
    std::uint64_t moviesBytes = 0;  // size of movies.csv
};

// Called now and then with the ratings written so far and the total; may throw to abort
// (the folder then holds no finished ratings.csv).
using SyntheticProgress = std::function<void(std::uint64_t written, std::uint64_t total)>;

// Writes README.txt, movies.csv and ratings.csv into `folder` (created when missing; refused
// when it exists and is not empty). Every file goes to a temporary name beside its target
// and is renamed into place only when complete, ratings.csv last: a folder without
// ratings.csv (or with *.tmp-* files) is an unfinished or interrupted run. Throws
// SyntheticDataError for bad options or folder, FileWriteError when writing fails.
SyntheticWriteResult writeSyntheticMovieLens(const SyntheticOptions& options,
                                             const std::filesystem::path& folder,
                                             const SyntheticProgress& progress = {});

} // namespace towerlab
