#include "data/demo_dataset.hpp"

#include "data/data_error.hpp"
#include "data/demo_taste.hpp"
#include "data/demo_titles.hpp"
#include "util/random.hpp"

#include <algorithm>
#include <array>
#include <numeric>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

namespace towerlab {

namespace demo {

namespace {

template <std::size_t N> std::size_t weightedIndex(Random& rng, const std::array<int, N>& weights) {
    const int total = std::accumulate(weights.begin(), weights.end(), 0);
    auto target = static_cast<int>(rng.below(static_cast<std::uint64_t>(total)));
    for (std::size_t i = 0; i < N; ++i) {
        if (target < weights[i]) {
            return i;
        }
        target -= weights[i];
    }
    return N - 1;
}

// Age buckets 1, 18, 25, 35, 45, 50, 56: share of users and the raw ages drawn inside each.
constexpr std::array<int, 7> kBucketShare = {8, 20, 26, 18, 10, 9, 9};
constexpr std::array<std::pair<int, int>, 7> kBucketAges = {
    {{7, 17}, {18, 24}, {25, 34}, {35, 44}, {45, 49}, {50, 55}, {56, 73}}};

constexpr std::array<std::string_view, 21> kOccupations = {
    "administrator", "artist",     "doctor",     "educator", "engineer",  "entertainment",
    "executive",     "healthcare", "homemaker",  "lawyer",   "librarian", "marketing",
    "none",          "other",      "programmer", "retired",  "salesman",  "scientist",
    "student",       "technician", "writer"};
constexpr std::array<int, 21> kOccupationShare = {7, 3, 1,  9, 7, 2, 3, 2,  1, 2, 5,
                                                  3, 1, 10, 7, 2, 2, 3, 20, 3, 5};

// Share of each genre as a movie's primary genre (index as in u.genre; never "unknown").
constexpr std::array<int, kGenreCount> kPrimaryShare = {0, 7, 6, 4, 5, 9, 6, 4, 10, 4,
                                                        3, 6, 4, 5, 7, 6, 6, 4, 4};

std::string occupationFor(Random& rng, std::size_t bucketIndex) {
    if (bucketIndex == 0 && rng.below(100) < 85) {
        return "student";
    }
    if (bucketIndex == 6 && rng.below(100) < 45) {
        return "retired";
    }
    return std::string(kOccupations[weightedIndex(rng, kOccupationShare)]);
}

std::string zipCode(Random& rng) {
    std::string zip = std::to_string(rng.below(100000));
    return std::string(5 - zip.size(), '0') + zip;
}

int yearFor(Random& rng, int primaryGenre) {
    constexpr int kFilmNoir = 10;
    constexpr int kWestern = 18;
    // Film noir and westerns are old; everything else leans towards the recent past.
    if (primaryGenre == kFilmNoir) {
        return 1940 + static_cast<int>(rng.below(20));
    }
    if (primaryGenre == kWestern) {
        return 1940 + static_cast<int>(rng.below(40));
    }
    // Two named draws: the order in which function arguments are evaluated is unspecified.
    const std::uint64_t first = rng.below(60);
    const std::uint64_t second = rng.below(60);
    return 2022 - static_cast<int>(std::min(first, second));
}

void makeUsers(Random& rng, int count, Dataset& data, Taste& taste) {
    data.users.reserve(static_cast<std::size_t>(count));
    taste.userLevels.reserve(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) {
        User user;
        user.id = i + 1;
        const std::size_t bucket = weightedIndex(rng, kBucketShare);
        const auto [lo, hi] = kBucketAges[bucket];
        user.rawAge = lo + static_cast<int>(rng.below(static_cast<std::uint64_t>(hi - lo + 1)));
        user.ageBucket = bucketizeAge(user.rawAge);
        user.occupationText = occupationFor(rng, bucket);
        user.occupationLabel = occupationLabelFromText(user.occupationText);
        user.gender = rng.below(100) < 70 ? 1 : 0;
        user.zipCode = zipCode(rng);

        std::array<std::int8_t, kGenreCount> levels{};
        const int group = occupationGroup(user.occupationText);
        for (int g = 0; g < kGenreCount; ++g) {
            levels[static_cast<std::size_t>(g)] =
                static_cast<std::int8_t>(demographicLevel(user.ageBucket, group, user.gender, g));
        }
        // One personal favourite and one dislike that demographics cannot explain.
        const auto favourite = static_cast<std::size_t>(1 + rng.below(kGenreCount - 1));
        const auto dislike = static_cast<std::size_t>(1 + rng.below(kGenreCount - 1));
        levels[favourite] = static_cast<std::int8_t>(levels[favourite] + 1);
        levels[dislike] = static_cast<std::int8_t>(levels[dislike] - 1);

        taste.userLevels.push_back(levels);
        taste.userProfiles.push_back({static_cast<std::int8_t>(bucket),
                                      static_cast<std::int8_t>(user.gender),
                                      static_cast<std::int8_t>(group)});
        data.users.push_back(std::move(user));
    }
}

void makeMovies(Random& rng, int count, Dataset& data, Taste& taste) {
    const auto n = static_cast<std::size_t>(count);
    data.movies.reserve(n);
    taste.movieGenres.reserve(n);
    std::unordered_set<std::string> titles;
    for (int j = 0; j < count; ++j) {
        std::vector<int> genres = {static_cast<int>(weightedIndex(rng, kPrimaryShare))};
        const std::uint64_t extraRoll = rng.below(100);
        const int extras = extraRoll < 70 ? 0 : 1;
        while (static_cast<int>(genres.size()) < 1 + extras) {
            const int g = static_cast<int>(weightedIndex(rng, kPrimaryShare));
            if (std::find(genres.begin(), genres.end(), g) == genres.end()) {
                genres.push_back(g);
            }
        }
        const int year = yearFor(rng, genres.front());
        const std::string suffix = " (" + std::to_string(year) + ")";
        std::string title;
        for (int attempt = 0; attempt < 64 && title.empty(); ++attempt) {
            std::string candidate = makeTitleStem(rng, genres) + suffix;
            if (titles.count(candidate) == 0) {
                title = std::move(candidate);
            }
        }
        // Practically unreachable; a numbered sequel keeps titles unique whatever the options.
        for (int sequel = 2; title.empty(); ++sequel) {
            std::string candidate =
                makeTitleStem(rng, genres) + " " + std::to_string(sequel) + suffix;
            if (titles.count(candidate) == 0) {
                title = std::move(candidate);
            }
        }
        titles.insert(title);

        Movie movie;
        movie.id = j + 1;
        movie.title = std::move(title);
        movie.year = year;
        movie.genres = genres;
        std::sort(movie.genres.begin(), movie.genres.end());
        taste.movieGenres.push_back(movie.genres);
        data.movies.push_back(std::move(movie));

        const std::uint64_t qualityRoll = rng.below(5);
        taste.movieQuality.push_back(
            static_cast<std::int8_t>(qualityRoll == 0 ? -1 : (qualityRoll == 4 ? 1 : 0)));
        Audience audience;
        audience.ageIndex = static_cast<std::int8_t>(rng.below(ageBuckets().size()));
        const std::uint64_t genderRoll = rng.below(3);
        audience.gender = static_cast<std::int8_t>(genderRoll == 2 ? -1 : genderRoll);
        audience.occupationGroup = static_cast<std::int8_t>(rng.below(2) == 0 ? -1 : rng.below(6));
        taste.movieAudiences.push_back(audience);
    }

    // Popularity: a random rank with a 1/rank-shaped (Zipf-like) tail, top ~3x bottom; taste
    // and audience, not popularity, should explain most of who rates what.
    std::vector<std::int32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    rng.shuffle(order.begin(), order.end());
    taste.moviePopularity.assign(n, 1);
    for (std::size_t rank = 0; rank < n; ++rank) {
        taste.moviePopularity[static_cast<std::size_t>(order[rank])] =
            40 + 400 / static_cast<std::int32_t>(rank + 40);
    }
}

// In-batch softmax without a sampling correction learns roughly log p(movie | user) -
// log p(movie), so a movie that many groups like for their own reasons would look popular and
// drown the group signal. Scaling each movie's popularity by the inverse of its planted demand
// (its choice weight summed over users and quarters) makes every movie about equally likely
// overall before the gentle rank skew, so who rates what is explained by taste, not by
// popularity. Integers only: demand is at most users x 4 x 2^21.
void calibratePopularity(int userCount, Taste& taste) {
    const auto movieCount = taste.moviePopularity.size();
    std::vector<std::int64_t> demand(movieCount, 0);
    for (std::size_t m = 0; m < movieCount; ++m) {
        for (int u = 0; u < userCount; ++u) {
            for (int q = 0; q < 4; ++q) {
                demand[m] += std::int64_t{1}
                             << choiceShift(taste.movieLevel(u, static_cast<int>(m), q));
            }
        }
    }
    const std::int64_t total = std::accumulate(demand.begin(), demand.end(), std::int64_t{0});
    const std::int64_t mean =
        std::max<std::int64_t>(1, total / static_cast<std::int64_t>(movieCount));
    for (std::size_t m = 0; m < movieCount; ++m) {
        const std::int64_t scale =
            std::max<std::int64_t>(1, 1024 * mean / std::max<std::int64_t>(1, demand[m]));
        taste.moviePopularity[m] = static_cast<std::int32_t>(
            std::min<std::int64_t>(scale * taste.moviePopularity[m], std::int64_t{1} << 24));
    }
}

int ratingValue(Random& rng, const Taste& taste, int user, int movie, int quarter) {
    int rating = taste.expectedRating(user, movie, quarter);
    const std::uint64_t noise = rng.below(6);
    if (noise == 0) {
        --rating;
    } else if (noise == 5) {
        ++rating;
    }
    return std::clamp(rating, 1, 5);
}

constexpr std::int64_t kDay = 24 * 60 * 60;

// Arrivals are at midnight, so a movie's buzz is the same all evening and can be tabled by
// day. After calibration, so that the arrival draws do not move any earlier draw.
void makeArrivals(Random& rng, Taste& taste) {
    taste.movieArrival.assign(taste.moviePopularity.size(), kFromTheStart);
    for (std::int64_t& arrival : taste.movieArrival) {
        if (rng.below(100) < kArrivingShare) {
            arrival = kStartTime + kDay * static_cast<std::int64_t>(rng.below(kSpan / kDay));
        }
    }
}

// A time in [start, end) (seconds into the demo year) moved to a weekend evening: a weekday
// goes forward to the Saturday after it (back a week when that leaves the year), and the time
// of day is drawn in the kEveningHours before midnight. 2023-01-01 is a Sunday.
std::int64_t weekendEvening(Random& rng, std::int64_t start, std::int64_t end) {
    const std::int64_t offset =
        start + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(end - start)));
    std::int64_t day = offset / kDay;
    const std::int64_t weekday = day % 7; // 0 Sunday .. 6 Saturday
    if (weekday >= 1 && weekday <= 5) {
        day += 6 - weekday;
    }
    if (day * kDay >= kSpan) {
        day -= 7;
    }
    constexpr std::int64_t kEvening = kEveningHours * 60 * 60;
    return kStartTime + day * kDay + (kDay - kEvening) +
           static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(kEvening)));
}

void makeRatings(Random& rng, int ratingsPerUser, Dataset& data, const Taste& taste) {
    const auto movieCount = static_cast<int>(data.movies.size());
    const int lo = std::min(20, ratingsPerUser);
    const int hi = 2 * ratingsPerUser - lo;
    data.ratings.reserve(data.users.size() * static_cast<std::size_t>(ratingsPerUser) * 11 / 10);

    std::vector<std::int64_t> weights(static_cast<std::size_t>(movieCount));
    std::vector<std::int64_t> quarterWeights(static_cast<std::size_t>(movieCount));
    std::vector<char> rated(static_cast<std::size_t>(movieCount));
    std::vector<std::int64_t> times;
    // buzz(movie, t) for every day of the year: all evening, since arrivals are at midnight.
    constexpr auto kDays = static_cast<std::size_t>(kSpan / kDay);
    std::vector<std::int64_t> buzzByDay(kDays * static_cast<std::size_t>(movieCount));
    for (std::size_t day = 0; day < kDays; ++day) {
        for (int m = 0; m < movieCount; ++m) {
            buzzByDay[day * static_cast<std::size_t>(movieCount) + static_cast<std::size_t>(m)] =
                taste.buzz(m, kStartTime + static_cast<std::int64_t>(day) * kDay + kDay - 1);
        }
    }
    for (int u = 0; u < static_cast<int>(data.users.size()); ++u) {
        const int count = std::min(
            movieCount, lo + static_cast<int>(rng.below(static_cast<std::uint64_t>(hi - lo + 1))));
        // Each user is active for most of the year (8 to 12 months), so an evening's ratings
        // come from many users: the timestamp bucket says when (what was new, the trend), not
        // who, which a model would memorise (short windows made the buckets a user id and
        // the model overfit).
        const std::int64_t length = 240 * kDay + static_cast<std::int64_t>(rng.below(125 * kDay));
        const auto start =
            static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(kSpan - length + 1)));
        times.clear();
        for (int k = 0; k < count; ++k) {
            times.push_back(weekendEvening(rng, start, start + length));
        }
        std::sort(times.begin(), times.end());

        // Buzz changes with every arrival and every month, so each draw multiplies the
        // quarter's taste weights (computed once per user and quarter) by the day's buzz
        // afresh: 400 multiplications, cheaper than keeping a tree up to date. Equal to
        // taste.weightAt(u, m, t).
        std::fill(rated.begin(), rated.end(), 0);
        int filledQuarter = -1;
        for (const std::int64_t t : times) {
            const int quarter = quarterOf(t);
            if (quarter != filledQuarter) {
                for (int m = 0; m < movieCount; ++m) {
                    quarterWeights[static_cast<std::size_t>(m)] = taste.weight(u, m, quarter);
                }
                filledQuarter = quarter;
            }
            const std::int64_t* dayBuzz =
                buzzByDay.data() + static_cast<std::size_t>((t - kStartTime) / kDay) *
                                       static_cast<std::size_t>(movieCount);
            std::int64_t total = 0;
            for (int m = 0; m < movieCount; ++m) {
                const auto mi = static_cast<std::size_t>(m);
                weights[mi] = rated[mi] != 0 ? 0 : quarterWeights[mi] * dayBuzz[mi];
                total += weights[mi];
            }
            if (total == 0) {
                continue; // nothing left that has arrived; the user rates fewer movies
            }
            auto target = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(total)));
            int movie = 0;
            for (; movie < movieCount - 1; ++movie) {
                if (target < weights[static_cast<std::size_t>(movie)]) {
                    break;
                }
                target -= weights[static_cast<std::size_t>(movie)];
            }
            rated[static_cast<std::size_t>(movie)] = 1;

            Rating rating;
            rating.user = u;
            rating.movie = movie;
            rating.rating = static_cast<float>(ratingValue(rng, taste, u, movie, quarterOf(t)));
            rating.timestamp = static_cast<std::uint32_t>(t); // within 2023
            data.ratings.push_back(rating);
        }
    }
}

} // namespace

Generated generate(const DemoDatasetOptions& options) {
    if (options.users <= 0 || options.movies <= 0 || options.ratingsPerUser <= 0) {
        throw DatasetError("TowerLab demo", "users, movies and ratings per user must be "
                                            "positive, got " +
                                                std::to_string(options.users) + ", " +
                                                std::to_string(options.movies) + " and " +
                                                std::to_string(options.ratingsPerUser));
    }
    Generated out;
    Dataset& data = out.dataset;
    data.name = "TowerLab demo";
    data.source = "built-in";
    data.genreNames = genreNames();
    data.hasDemographics = true;

    Random rng(options.seed);
    makeUsers(rng, options.users, data, out.taste);
    makeMovies(rng, options.movies, data, out.taste);
    calibratePopularity(options.users, out.taste);
    makeArrivals(rng, out.taste);
    makeRatings(rng, options.ratingsPerUser, data, out.taste);
    return out;
}

} // namespace demo

Dataset makeDemoDataset(const DemoDatasetOptions& options) {
    return demo::generate(options).dataset;
}

} // namespace towerlab
