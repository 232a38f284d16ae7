#include "data/demo_taste.hpp"

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <utility>

namespace towerlab::demo {

namespace {

enum Genre : int {
    Unknown,
    Action,
    Adventure,
    Animation,
    Children,
    Comedy,
    Crime,
    Documentary,
    Drama,
    Fantasy,
    FilmNoir,
    Horror,
    Musical,
    Mystery,
    Romance,
    SciFi,
    Thriller,
    War,
    Western
};

struct Delta {
    Genre genre;
    int delta;
};
using Deltas = std::vector<Delta>;

// By age bucket 1, 18, 25, 35, 45, 50, 56: children's films for the young, action and horror
// for young adults, drama and crime in mid-life, war, westerns and musicals for the oldest.
const std::array<Deltas, 7>& ageDeltas() {
    static const std::array<Deltas, 7> table = {{
        {{Animation, 3},
         {Children, 4},
         {Comedy, 2},
         {Fantasy, 2},
         {Adventure, 1},
         {Documentary, -2},
         {War, -2},
         {FilmNoir, -2},
         {Drama, -1},
         {Crime, -1},
         {Romance, -1}},
        {{Horror, 3},
         {Action, 2},
         {Comedy, 2},
         {SciFi, 2},
         {Thriller, 1},
         {Children, -2},
         {Western, -2},
         {Musical, -1},
         {Documentary, -1},
         {War, -1}},
        {{Action, 2},
         {SciFi, 2},
         {Thriller, 2},
         {Crime, 1},
         {Comedy, 1},
         {Horror, 1},
         {Children, -2},
         {Western, -1},
         {Musical, -1}},
        {{Drama, 2},
         {Thriller, 2},
         {Crime, 2},
         {Mystery, 1},
         {Horror, -1},
         {Animation, -1},
         {Children, -1}},
        {{Drama, 2},
         {Mystery, 2},
         {Documentary, 2},
         {Crime, 1},
         {War, 1},
         {Horror, -2},
         {Animation, -2}},
        {{War, 2},
         {Western, 2},
         {Drama, 2},
         {FilmNoir, 2},
         {Musical, 1},
         {Mystery, 1},
         {Horror, -2},
         {Animation, -2},
         {SciFi, -1}},
        {{Western, 3},
         {War, 3},
         {Musical, 3},
         {FilmNoir, 2},
         {Drama, 1},
         {Horror, -3},
         {SciFi, -2},
         {Animation, -2},
         {Action, -1}},
    }};
    return table;
}

const std::array<Deltas, 6>& occupationDeltas() {
    static const std::array<Deltas, 6> table = {{
        // tech
        {{SciFi, 3}, {Thriller, 1}, {Action, 1}, {Documentary, 1}, {Romance, -1}, {Musical, -1}},
        // arts & academia
        {{Drama, 2}, {Documentary, 2}, {FilmNoir, 2}, {Musical, 1}, {Action, -1}},
        // student
        {{Comedy, 2}, {Animation, 2}, {Horror, 1}, {Fantasy, 1}, {Documentary, -1}},
        // care & home
        {{Romance, 2}, {Children, 2}, {Musical, 1}, {Drama, 1}, {Horror, -2}, {Crime, -1}},
        // business & law
        {{Crime, 2}, {Thriller, 1}, {Comedy, 1}, {War, 1}, {Fantasy, -1}},
        // other / none
        {{Mystery, 1}, {Adventure, 1}},
    }};
    return table;
}

// Index 0 = female, 1 = male (User::gender).
const std::array<Deltas, 2>& genderDeltas() {
    static const std::array<Deltas, 2> table = {{
        {{Romance, 3},
         {Musical, 2},
         {Drama, 1},
         {Children, 1},
         {War, -2},
         {Western, -1},
         {Horror, -1},
         {Action, -1},
         {SciFi, -1}},
        {{Action, 2},
         {SciFi, 1},
         {War, 1},
         {Western, 1},
         {Thriller, 1},
         {Romance, -1},
         {Musical, -1}},
    }};
    return table;
}

// Level change per quarter of the year: science fiction, animation and fantasy gain,
// westerns and musicals lose.
int trendPerQuarter(int genre) {
    switch (genre) {
    case SciFi:
    case Animation:
    case Fantasy:
        return 1;
    case Western:
    case Musical:
        return -1;
    default:
        return 0;
    }
}

int deltaOf(const Deltas& deltas, int genre) {
    int sum = 0;
    for (const Delta& d : deltas) {
        if (d.genre == genre) {
            sum += d.delta;
        }
    }
    return sum;
}

} // namespace

const std::vector<std::string>& genreNames() {
    static const std::vector<std::string> names = {
        "unknown",     "Action", "Adventure", "Animation", "Children's", "Comedy",  "Crime",
        "Documentary", "Drama",  "Fantasy",   "Film-Noir", "Horror",     "Musical", "Mystery",
        "Romance",     "Sci-Fi", "Thriller",  "War",       "Western"};
    return names;
}

int quarterOf(std::int64_t timestamp) {
    const std::int64_t offset = std::clamp<std::int64_t>(timestamp - kStartTime, 0, kSpan - 1);
    return static_cast<int>(offset * 4 / kSpan);
}

int occupationGroup(const std::string& occupationText) {
    static constexpr std::array<std::pair<std::string_view, int>, 21> groups = {{
        {"engineer", 0},  {"programmer", 0}, {"scientist", 0},     {"technician", 0},
        {"artist", 1},    {"writer", 1},     {"entertainment", 1}, {"educator", 1},
        {"librarian", 1}, {"student", 2},    {"doctor", 3},        {"healthcare", 3},
        {"homemaker", 3}, {"retired", 3},    {"administrator", 4}, {"executive", 4},
        {"marketing", 4}, {"salesman", 4},   {"lawyer", 4},        {"none", 5},
        {"other", 5},
    }};
    for (const auto& [text, group] : groups) {
        if (text == occupationText) {
            return group;
        }
    }
    return -1;
}

int demographicLevel(int ageBucket, int occupationGroup, int gender, int genre) {
    const auto& buckets = ageBuckets();
    const auto bucketIndex = static_cast<std::size_t>(
        std::find(buckets.begin(), buckets.end(), ageBucket) - buckets.begin());
    int level = kBaseLevel;
    if (bucketIndex < ageDeltas().size()) {
        level += deltaOf(ageDeltas()[bucketIndex], genre);
    }
    if (occupationGroup >= 0 && occupationGroup < static_cast<int>(occupationDeltas().size())) {
        level += deltaOf(occupationDeltas()[static_cast<std::size_t>(occupationGroup)], genre);
    }
    if (gender == 0 || gender == 1) {
        level += deltaOf(genderDeltas()[static_cast<std::size_t>(gender)], genre);
    }
    return level;
}

int choiceShift(int movieLevel) {
    return movieLevel + movieLevel / 2;
}

int Taste::genreLevel(int user, int genre, int quarter) const {
    // Levels are small signed numbers stored as std::int8_t, not characters.
    // NOLINTNEXTLINE(bugprone-signed-char-misuse)
    const int base = userLevels[static_cast<std::size_t>(user)][static_cast<std::size_t>(genre)];
    return std::clamp(base + trendPerQuarter(genre) * quarter, 0, kMaxGenreLevel);
}

int Taste::bestGenreLevel(int user, int quarter) const {
    int best = 0;
    for (int genre = 1; genre < kGenreCount; ++genre) {
        best = std::max(best, genreLevel(user, genre, quarter));
    }
    return best;
}

int Taste::audienceBonus(int user, int movie) const {
    const Audience& who = userProfiles[static_cast<std::size_t>(user)];
    const Audience& aim = movieAudiences[static_cast<std::size_t>(movie)];
    const int ageGap = std::abs(who.ageIndex - aim.ageIndex);
    int bonus = ageGap == 0 ? 2 : (ageGap == 1 ? 1 : 0);
    bonus += (aim.gender >= 0 && aim.gender == who.gender) ? 1 : 0;
    bonus += (aim.occupationGroup >= 0 && aim.occupationGroup == who.occupationGroup) ? 1 : 0;
    return bonus;
}

int Taste::movieLevel(int user, int movie, int quarter) const {
    // The mean (rounded down) rather than the best genre level: a romantic war film appeals
    // to those who like both, so a genre's share of ratings follows the taste for it.
    const std::vector<int>& genres = movieGenres[static_cast<std::size_t>(movie)];
    int sum = 0;
    for (int genre : genres) {
        sum += genreLevel(user, genre, quarter);
    }
    const int mean = genres.empty() ? 0 : sum / static_cast<int>(genres.size());
    return mean + audienceBonus(user, movie);
}

std::int64_t Taste::weight(int user, int movie, int quarter) const {
    return static_cast<std::int64_t>(moviePopularity[static_cast<std::size_t>(movie)])
           << choiceShift(movieLevel(user, movie, quarter));
}

std::int64_t Taste::buzz(int movie, std::int64_t timestamp) const {
    const std::int64_t arrival = movieArrival[static_cast<std::size_t>(movie)];
    if (arrival == kFromTheStart) {
        return kSettledBuzz;
    }
    if (timestamp < arrival) {
        return 0;
    }
    const std::int64_t months = (timestamp - arrival) / kBuzzMonth;
    return kSettledBuzz + (months >= 8 ? 0 : (kArrivalBuzz >> months));
}

std::int64_t Taste::weightAt(int user, int movie, std::int64_t timestamp) const {
    return weight(user, movie, quarterOf(timestamp)) * buzz(movie, timestamp);
}

int Taste::expectedRating(int user, int movie, int quarter) const {
    const int gap = bestGenreLevel(user, quarter) + 1 - movieLevel(user, movie, quarter);
    // Floor division, so that levels above the reference raise the rating too.
    const int steps = gap >= 0 ? gap / 2 : -((1 - gap) / 2);
    const int stars = 4 - steps + movieQuality[static_cast<std::size_t>(movie)];
    return std::clamp(stars, 1, 5);
}

} // namespace towerlab::demo
