#pragma once
// The planted taste model behind the built-in demo dataset (datasets/README.md explains the
// recipe). The generator samples ratings from it; tests use it as an oracle to check that
// the planted structure is strong. All arithmetic is on integers, so the same seed gives the
// same bytes with any compiler, standard library or floating-point contraction setting.

#include "data/dataset.hpp"
#include "data/demo_dataset.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace towerlab::demo {

// The 19 MovieLens genres, in u.genre order.
constexpr int kGenreCount = 19;
const std::vector<std::string>& genreNames();

// The demo year: 2023-01-01T00:00:00Z plus 365 days.
constexpr std::int64_t kStartTime = 1672531200;
constexpr std::int64_t kSpan = 365LL * 24 * 60 * 60;
// A genre's taste level runs 0..kMaxGenreLevel; a neutral genre sits at kBaseLevel. A movie's
// level adds an audience bonus of 0..kMaxAudienceBonus on top of its best genre level.
constexpr int kBaseLevel = 3;
constexpr int kMaxGenreLevel = 10;
constexpr int kMaxAudienceBonus = 4;

// Movies arrive in the catalogue over the year and are watched most while they are new: a
// movie that arrives at time a has a "buzz" of kSettledBuzz + (kArrivalBuzz >> months since
// a) (a month is kBuzzMonth), 0 before a. kArrivingShare percent of the movies arrive during
// the year; the others are in the catalogue from the start with kSettledBuzz. Because ratings
// happen on weekend evenings (kEveningHours before midnight UTC on Saturdays and Sundays),
// one timestamp bucket holds the ratings of one evening, and what was new that evening is
// something the time features can learn and that holds for the evening's test ratings too.
constexpr int kArrivingShare = 80;
constexpr std::int64_t kSettledBuzz = 4;
constexpr std::int64_t kArrivalBuzz = 32;
constexpr std::int64_t kBuzzMonth = 30LL * 24 * 60 * 60;
constexpr std::int64_t kEveningHours = 6;
// Movie arrival value for a movie in the catalogue from the start.
constexpr std::int64_t kFromTheStart = -1;

// Quarter (0..3) of the demo year that a timestamp falls in; clamped outside the year.
int quarterOf(std::int64_t timestamp);

// Occupation group of a 100K occupation text: 0 tech, 1 arts & academia, 2 student,
// 3 care & home, 4 business & law, 5 other/none. -1 for an unknown text.
int occupationGroup(const std::string& occupationText);

// Level of a genre for a demographic profile before personal tweaks and time:
// kBaseLevel + age-bucket delta + occupation-group delta + gender delta (not clamped).
int demographicLevel(int ageBucket, int occupationGroup, int gender, int genre);

// The users a movie is made for: an age bucket (index 0..6 into ageBuckets()) and
// optionally a gender and an occupation group (-1 = anyone).
struct Audience {
    std::int8_t ageIndex = 0;
    std::int8_t gender = -1;
    std::int8_t occupationGroup = -1;
};

// log2 of the choice factor of a movie level: each level multiplies the chance to pick a movie
// by about 2^1.5 (level + level / 2, so two levels give 8x), steep enough that the planted
// tastes dominate the personal noise the model cannot see.
int choiceShift(int movieLevel);

struct Taste {
    // Per user: the time-independent level of each genre (demographics + personal tweaks).
    std::vector<std::array<std::int8_t, kGenreCount>> userLevels;
    // Per user: age-bucket index 0..6, gender (0/1) and occupation group.
    std::vector<Audience> userProfiles;
    std::vector<Audience> movieAudiences;
    std::vector<std::int32_t> moviePopularity; // >= 1
    std::vector<std::int8_t> movieQuality;     // -1, 0 or +1 rating steps
    std::vector<std::vector<int>> movieGenres; // as in Dataset::movies
    // Per movie: when it arrives in the catalogue (Unix seconds) or kFromTheStart.
    std::vector<std::int64_t> movieArrival;

    // A user's level of a genre in a quarter: base level + time trend, clamped
    // 0..kMaxGenreLevel.
    int genreLevel(int user, int genre, int quarter) const;
    // The user's best genre level in a quarter (over all genres but "unknown").
    int bestGenreLevel(int user, int quarter) const;
    // +2 for the movie's age bucket (+1 for a neighbouring one), +1 for a matching gender,
    // +1 for a matching occupation group.
    int audienceBonus(int user, int movie) const;
    // The best level among the movie's genres plus the audience bonus.
    int movieLevel(int user, int movie, int quarter) const;
    // Relative chance (>= 1) that the user picks the movie in that quarter:
    // popularity x 2^choiceShift(movieLevel).
    std::int64_t weight(int user, int movie, int quarter) const;
    // The movie's buzz at a time: 0 before it arrives (it cannot be rated yet), kSettledBuzz
    // for a movie from the start, kSettledBuzz + (kArrivalBuzz >> whole months since arrival)
    // for a new one.
    std::int64_t buzz(int movie, std::int64_t timestamp) const;
    // Relative chance that the user picks the movie at that time: weight(user, movie,
    // quarterOf(timestamp)) x buzz(movie, timestamp). At most 2^24 << 21 x 36 < 2^51, so
    // the sum over a catalogue of up to 4,096 movies fits in 63 bits.
    std::int64_t weightAt(int user, int movie, std::int64_t timestamp) const;
    // The 1..5 stars before noise: 4 for a movie at the user's best genre level + 1, one star
    // less for every two levels below, one more above, shifted by the movie's quality.
    int expectedRating(int user, int movie, int quarter) const;
};

// The demo dataset together with the taste model its ratings were drawn from.
struct Generated {
    Dataset dataset;
    Taste taste;
};
// makeDemoDataset() is generate(options).dataset. Throws DatasetError for non-positive
// counts.
Generated generate(const DemoDatasetOptions& options);

} // namespace towerlab::demo
