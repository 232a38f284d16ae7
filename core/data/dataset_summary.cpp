#include "data/dataset_summary.hpp"

#include "data/data_error.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <unordered_set>

namespace towerlab {

namespace {

// Ranges for "ratings per user": MovieLens keeps users with at least 20 ratings, so the
// interesting detail is in the tens and the long tail is summarised coarsely.
struct Range {
    std::size_t lo;
    std::size_t hi; // inclusive; SIZE_MAX for the open last range
    const char* label;
};
constexpr std::array<Range, 8> kPerUserRanges{{
    {0, 19, "< 20"},
    {20, 29, "20-29"},
    {30, 49, "30-49"},
    {50, 99, "50-99"},
    {100, 199, "100-199"},
    {200, 299, "200-299"},
    {300, 499, "300-499"},
    {500, SIZE_MAX, "500+"},
}};

constexpr std::int64_t kMaxMonthBins = 60;
// Beyond this many years (only corrupt timestamps get there) bars cover several years each.
constexpr std::int64_t kMaxYearBins = 200;

// Floor division: months before 1970 belong to the year before.
std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// Months since 1970-01 of a Unix time, in UTC, for every int64 (std::chrono's calendar types
// stop at year 32767, and a file can hold any timestamp). The civil-from-days algorithm of
// H. Hinnant, in 64-bit arithmetic, which no int64 input can overflow.
std::int64_t monthIndex(std::int64_t unixSeconds) {
    const std::int64_t days = floorDiv(unixSeconds, 86400) + 719468; // days since 0000-03-01
    const std::int64_t era = floorDiv(days, 146097);
    const std::int64_t dayOfEra = days - era * 146097;
    const std::int64_t yearOfEra =
        (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365;
    const std::int64_t dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    const std::int64_t shiftedMonth = (5 * dayOfYear + 2) / 153; // 0 = March
    const std::int64_t month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
    const std::int64_t year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
    return (year - 1970) * 12 + month - 1;
}

// The year of a month index, at least four digits as in "0999".
std::string yearText(std::int64_t month) {
    char text[32]; // room for any int64, so the output is never cut
    std::snprintf(text, sizeof text, "%04lld", static_cast<long long>(1970 + floorDiv(month, 12)));
    return text;
}

// "YYYY-MM" for one month, "YYYY" for one year, "YYYY-YYYY" for several.
std::string binLabel(std::int64_t start, std::int64_t width) {
    if (width == 1) {
        const auto month = static_cast<int>(start - floorDiv(start, 12) * 12 + 1);
        return yearText(start) + (month < 10 ? "-0" : "-") + std::to_string(month);
    }
    if (width == 12) {
        return yearText(start);
    }
    return yearText(start) + "-" + yearText(start + width - 1);
}

// The bars of "ratings over time" for ratings from first to last (Unix seconds): months, or
// years, or groups of years, so there are never more than ~200 bars.
struct TimeBins {
    std::int64_t start = 0; // month index of the first bar
    std::int64_t width = 1; // months per bar
    std::size_t count = 0;  // bars

    TimeBins(std::int64_t firstTimestamp, std::int64_t lastTimestamp) {
        const std::int64_t first = monthIndex(firstTimestamp);
        const std::int64_t last = monthIndex(lastTimestamp);
        start = first;
        if (last - first >= kMaxMonthBins) {
            start = floorDiv(first, 12) * 12;
            const std::int64_t years = floorDiv(last, 12) - floorDiv(first, 12) + 1;
            width = 12 * ((years + kMaxYearBins - 1) / kMaxYearBins);
        }
        count = static_cast<std::size_t>((last - start) / width + 1);
    }
    std::size_t of(std::int64_t timestamp) const {
        return static_cast<std::size_t>((monthIndex(timestamp) - start) / width);
    }
    std::string label(std::size_t bin) const {
        return binLabel(start + static_cast<std::int64_t>(bin) * width, width);
    }
};

} // namespace

std::string ageBucketLabel(int bucket) {
    switch (bucket) {
    case 1:
        return "under 18";
    case 18:
        return "18-24";
    case 25:
        return "25-34";
    case 35:
        return "35-44";
    case 45:
        return "45-49";
    case 50:
        return "50-55";
    case 56:
        return "56+";
    default:
        return "unknown";
    }
}

DatasetSummary summarizeDataset(const Dataset& dataset) {
    DatasetSummary s;
    s.users = dataset.users.size();
    s.movies = dataset.movies.size();
    s.ratings = dataset.ratings.size();

    std::unordered_set<std::string> titles;
    titles.reserve(dataset.movies.size());
    for (const Movie& m : dataset.movies) {
        titles.insert(m.title);
    }
    s.distinctTitles = titles.size();

    std::vector<std::size_t> perUser(dataset.users.size(), 0);
    std::vector<double> starSum(dataset.movies.size(), 0.0);
    s.movieRatingCounts.assign(dataset.movies.size(), 0);
    std::array<std::size_t, 5> stars{};
    double total = 0.0;
    if (!dataset.ratings.empty()) {
        s.firstTimestamp = dataset.ratings.front().timestamp;
        s.lastTimestamp = dataset.ratings.front().timestamp;
    }
    for (const Rating& r : dataset.ratings) {
        if (r.user < 0 || static_cast<std::size_t>(r.user) >= perUser.size() || r.movie < 0 ||
            static_cast<std::size_t>(r.movie) >= starSum.size()) {
            throw DatasetError(dataset.name,
                               "rating " + std::to_string(&r - dataset.ratings.data()) +
                                   " names user index " + std::to_string(r.user) +
                                   " and movie index " + std::to_string(r.movie) +
                                   ", outside its " + std::to_string(perUser.size()) +
                                   " users and " + std::to_string(starSum.size()) + " movies");
        }
        ++perUser[static_cast<std::size_t>(r.user)];
        starSum[static_cast<std::size_t>(r.movie)] += r.rating;
        ++s.movieRatingCounts[static_cast<std::size_t>(r.movie)];
        total += r.rating;
        const int star = std::clamp(static_cast<int>(r.rating), 1, 5);
        ++stars[static_cast<std::size_t>(star - 1)];
        s.firstTimestamp = std::min(s.firstTimestamp, std::int64_t{r.timestamp});
        s.lastTimestamp = std::max(s.lastTimestamp, std::int64_t{r.timestamp});
    }
    s.meanRating = s.ratings > 0 ? total / static_cast<double>(s.ratings) : 0.0;
    s.movieMeanRatings.assign(dataset.movies.size(), 0.0);
    for (std::size_t m = 0; m < starSum.size(); ++m) {
        if (s.movieRatingCounts[m] > 0) {
            s.movieMeanRatings[m] = starSum[m] / s.movieRatingCounts[m];
        }
    }
    for (std::size_t i = 0; i < stars.size(); ++i) {
        s.stars.push_back({std::to_string(i + 1), stars[i]});
    }

    for (const Range& range : kPerUserRanges) {
        s.ratingsPerUser.push_back({range.label, 0});
    }
    for (const std::size_t n : perUser) {
        for (std::size_t b = 0; b < kPerUserRanges.size(); ++b) {
            if (n >= kPerUserRanges[b].lo && n <= kPerUserRanges[b].hi) {
                ++s.ratingsPerUser[b].count;
                break;
            }
        }
    }
    // Empty ranges at either end only make the chart wider.
    while (!s.ratingsPerUser.empty() && s.ratingsPerUser.back().count == 0) {
        s.ratingsPerUser.pop_back();
    }
    while (!s.ratingsPerUser.empty() && s.ratingsPerUser.front().count == 0) {
        s.ratingsPerUser.erase(s.ratingsPerUser.begin());
    }

    if (dataset.hasDemographics) {
        for (const int bucket : ageBuckets()) {
            std::size_t n = 0;
            for (const User& u : dataset.users) {
                n += u.ageBucket == bucket ? 1 : 0;
            }
            s.ageGroups.push_back({ageBucketLabel(bucket), n});
        }
        std::array<std::size_t, 3> genders{}; // female, male, unknown
        for (const User& u : dataset.users) {
            ++genders[u.gender == 0 ? 0 : u.gender == 1 ? 1 : 2];
        }
        s.genders = {{"female", genders[0]}, {"male", genders[1]}};
        if (genders[2] > 0) {
            s.genders.push_back({"unknown", genders[2]});
        }
        const auto& labels = occupationLabels();
        std::vector<std::size_t> occ(labels.size(), 0);
        std::size_t unknown = 0;
        for (const User& u : dataset.users) {
            if (u.occupationLabel >= 0 &&
                static_cast<std::size_t>(u.occupationLabel) < occ.size()) {
                ++occ[static_cast<std::size_t>(u.occupationLabel)];
            } else {
                ++unknown;
            }
        }
        for (std::size_t i = 0; i < labels.size(); ++i) {
            if (occ[i] > 0) {
                s.occupations.push_back({labels[i], occ[i]});
            }
        }
        if (unknown > 0) {
            s.occupations.push_back({"unknown", unknown});
        }
        std::stable_sort(s.occupations.begin(), s.occupations.end(),
                         [](const CountBin& a, const CountBin& b) { return a.count > b.count; });
    }

    std::vector<std::size_t> genreMovies(dataset.genreNames.size(), 0);
    for (const Movie& m : dataset.movies) {
        for (const int g : m.genres) {
            if (g >= 0 && static_cast<std::size_t>(g) < genreMovies.size()) {
                ++genreMovies[static_cast<std::size_t>(g)];
            }
        }
    }
    for (std::size_t g = 0; g < genreMovies.size(); ++g) {
        s.genres.push_back({dataset.genreNames[g], genreMovies[g]});
    }

    if (!dataset.ratings.empty()) {
        // Months over a span of decades would be unreadable bars: then count by year, and
        // over centuries by groups of years, so there are never more than ~200 bars.
        const TimeBins time(s.firstTimestamp, s.lastTimestamp);
        std::vector<std::size_t> bins(time.count, 0);
        for (const Rating& r : dataset.ratings) {
            ++bins[time.of(r.timestamp)];
        }
        for (std::size_t i = 0; i < bins.size(); ++i) {
            s.ratingsByMonth.push_back({time.label(i), bins[i]});
        }
    }
    return s;
}

std::vector<std::size_t> ratingsByMonthOf(const Dataset& dataset,
                                          std::span<const std::int32_t> ratingIndices) {
    if (dataset.ratings.empty()) {
        return {};
    }
    std::int64_t first = dataset.ratings.front().timestamp;
    std::int64_t last = first;
    for (const Rating& r : dataset.ratings) {
        first = std::min<std::int64_t>(first, r.timestamp);
        last = std::max<std::int64_t>(last, r.timestamp);
    }
    const TimeBins time(first, last);
    std::vector<std::size_t> bins(time.count, 0);
    for (const std::int32_t i : ratingIndices) {
        if (i < 0 || static_cast<std::size_t>(i) >= dataset.ratings.size()) {
            throw DatasetError(dataset.name,
                               "rating index " + std::to_string(i) + " is outside the dataset's " +
                                   std::to_string(dataset.ratings.size()) + " ratings");
        }
        ++bins[time.of(dataset.ratings[static_cast<std::size_t>(i)].timestamp)];
    }
    return bins;
}

} // namespace towerlab
