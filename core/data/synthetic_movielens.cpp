#include "data/synthetic_movielens.hpp"

#include "util/atomic_file.hpp"
#include "util/random.hpp"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <utility>

namespace towerlab {

namespace fs = std::filesystem;

namespace {

__extension__ using U128 = unsigned __int128;

constexpr int kGenres = 19;
// Share (percent) of each genre as a movie's first genre, roughly as in ml-25m; IMAX only
// ever comes second.
constexpr std::array<int, kGenres> kPrimaryShare = {8, 4, 2, 2, 18, 4, 6, 24, 2, 1,
                                                    7, 0, 1, 2, 5,  3, 8, 1,  2};
// Share of each genre as an extra genre.
constexpr std::array<int, kGenres> kExtraShare = {8, 8, 4, 4, 10, 6, 1, 10, 5, 1,
                                                  5, 2, 2, 5, 9,  5, 9, 3,  2};

// Where a user's picks come from (percent): a favourite genre, the favourite cluster, the
// whole catalogue by popularity.
constexpr std::uint64_t kFromFavouriteGenre = 45;
constexpr std::uint64_t kFromFavouriteCluster = 25;
// Consecutive refused draws (already rated, or the disliked genre) before the rest of a user's
// movies is drawn uniformly from the ones not yet rated: only users who rated a large share of
// the catalogue get there, and it bounds their cost.
constexpr int kMaxRefusals = 64;

// 1995-01-09 11:46:49 UTC and 2019-11-21 09:15:03 UTC: the first and last ratings of ml-25m.
constexpr std::int64_t kFirstTime = 789652009;
constexpr std::int64_t kLastTime = 1574327703;
// 2003-02-18: MovieLens allowed half stars from then on.
constexpr std::int64_t kHalfStarsFrom = 1045526400;
constexpr std::int64_t kDay = 24 * 60 * 60;

// Separate streams, so that the titles (only drawn while writing movies.csv) and the ratings
// never shift the plan's draws.
constexpr std::uint64_t kRatingStream = 0x52A71E6D5EED0001ULL;
constexpr std::uint64_t kTitleStream = 0x717E5EED0000A002ULL;

std::uint64_t isqrt(std::uint64_t n) {
    // Bit by bit: exact for every input, no floating point.
    std::uint64_t root = 0;
    std::uint64_t bit = std::uint64_t{1} << 62;
    while (bit > n) {
        bit >>= 2;
    }
    while (bit != 0) {
        if (n >= root + bit) {
            n -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    return root;
}

// Days from 1970-01-01 to year-01-01 (proleptic Gregorian; H. Hinnant's days_from_civil).
std::int64_t daysToYear(int year) {
    const std::int64_t y = year - 1; // January counts in the previous March-based year
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;
    const std::int64_t doy = 306; // 1 January, counted from 1 March
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

template <std::size_t N> int weightedIndex(Random& rng, const std::array<int, N>& weights) {
    const int total = std::accumulate(weights.begin(), weights.end(), 0);
    auto target = static_cast<int>(rng.below(static_cast<std::uint64_t>(total)));
    for (std::size_t i = 0; i < N; ++i) {
        if (target < weights[i]) {
            return static_cast<int>(i);
        }
        target -= weights[i];
    }
    return static_cast<int>(N) - 1;
}

// Movies of one group (a genre, a cluster or the whole catalogue) with cumulative popularity.
struct Group {
    std::vector<std::int32_t> movies;
    std::vector<std::uint64_t> cumulative; // cumulative[i] = sum of weights of movies[0..i]

    void add(std::int32_t movie, std::uint64_t weight) {
        movies.push_back(movie);
        cumulative.push_back((cumulative.empty() ? 0 : cumulative.back()) + weight);
    }
    bool empty() const { return movies.empty(); }
    std::int32_t draw(Random& rng) const {
        const std::uint64_t target = rng.below(cumulative.back());
        const auto it = std::upper_bound(cumulative.begin(), cumulative.end(), target);
        return movies[static_cast<std::size_t>(it - cumulative.begin())];
    }
};

std::uint64_t popularityWeight(std::int64_t rank, std::int64_t movieCount) {
    // (rank + r0)^-1.5: the head is flattened by r0 so the most popular movie holds about
    // 0.3% of the ratings of a 62,000-movie catalogue (as in ml-25m), and the tail is long.
    const auto x = static_cast<std::uint64_t>(rank + 10 + movieCount / 400);
    return std::max<std::uint64_t>(1, (std::uint64_t{1} << 46) / (x * isqrt(x)));
}

// Gives `total` extra ratings to users in proportion to `weights`, at most `cap` each.
std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<std::uint64_t>& weights,
                                    std::int64_t cap, std::uint64_t rotation) {
    const std::size_t n = weights.size();
    std::vector<std::int64_t> share(n, 0);
    std::vector<char> capped(n, 0);
    std::int64_t left = total;
    while (left > 0) {
        U128 weightSum = 0;
        for (std::size_t i = 0; i < n; ++i) {
            weightSum += capped[i] != 0 ? 0 : weights[i];
        }
        if (weightSum == 0) {
            break; // everyone is at the cap (options checked: cannot happen)
        }
        // Users whose proportional share reaches the cap get the cap, and the rest is shared
        // again among the others.
        bool anyCapped = false;
        for (std::size_t i = 0; i < n; ++i) {
            if (capped[i] == 0 && static_cast<U128>(left) * weights[i] / weightSum >=
                                      static_cast<U128>(cap - share[i])) {
                left -= cap - share[i];
                share[i] = cap;
                capped[i] = 1;
                anyCapped = true;
            }
        }
        if (anyCapped) {
            continue;
        }
        std::int64_t given = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (capped[i] == 0) {
                const auto add =
                    static_cast<std::int64_t>(static_cast<U128>(left) * weights[i] / weightSum);
                share[i] += add;
                given += add;
            }
        }
        left -= given;
        // Fewer than n remain: one more each, round-robin from a drawn user.
        for (std::size_t k = 0; k < n && left > 0; ++k) {
            const std::size_t i = (rotation + k) % n;
            if (share[i] < cap) {
                ++share[i];
                --left;
            }
        }
    }
    return share;
}

int favouriteCount(const SyntheticPlan::UserInfo& user) {
    return user.favouriteGenres[1] == SyntheticPlan::kNoGenre ? 1 : 2;
}

bool hasGenre(std::uint32_t genres, int genre) {
    return genre >= 0 && (genres >> genre & 1U) != 0;
}

// --- titles ---------------------------------------------------------------------------------

const std::array<std::vector<std::string_view>, kGenres>& genreWords() {
    // Words that mark a genre (no word in two lists or among the neutral words), so the title
    // text carries the genre as MovieLens titles sometimes do. UTF-8 is written as escapes.
    static const std::array<std::vector<std::string_view>, kGenres> words = {{
        {"Bullet", "Strike", "Fury", "Agent", "Blast", "Velocity", "Payback", "Firepower"},
        {"Quest", "Treasure", "Island", "Expedition", "Jungle", "Voyage", "Compass", "Summit"},
        {"Cartoon", "Toon", "Pixel", "Doodle", "Crayon", "Sketchbook"},
        {"Puppy", "Kitten", "Teddy", "Playground", "Lollipop", "Treehouse"},
        {"Oops", "Banana", "Giggle", "Prank", "Pickle", "Hiccup", "Bachelor", "Roommates"},
        {"Heist", "Gangster", "Robbery", "Alibi", "Racket", "Mobster", "Getaway"},
        {"Chronicle", "Portrait", "Report", "Archive", "Testimony", "Inside", "Facts"},
        {"Tears", "Silence", "Promise", "Letters", "Inheritance", "Widow", "Mother", "Years"},
        {"Dragon", "Wizard", "Enchanted", "Sorcerer", "Unicorn", "Kingdom", "Spell"},
        {"Shadow", "Smoke", "Dame", "Fedora", "Neon", "Double-Cross"},
        {"Blood", "Night", "Scream", "Grave", "Zombie", "Crypt", "Haunting", "Possession"},
        {"Giant", "Dome"},
        {"Song", "Melody", "Dance", "Rhythm", "Rock 'n' Roll", "Chorus", "Encore"},
        {"Riddle", "Clue", "Secret", "Enigma", "Cipher", "Disappearance"},
        {"Love", "Wedding", "Kiss", "Heart", "L'Amour", "Valentine", "Sweetheart"},
        {"Galaxy", "Starship", "Robot", "Planet", "Android", "Nebula", "Orbit", "Clone"},
        {"Pursuit", "Hostage", "Panic", "Conspiracy", "Deadline", "Stalker", "Witness"},
        {"Battalion", "Trenches", "Soldier", "Frontline", "Armistice", "Platoon"},
        {"Saloon", "Outlaw", "Frontier", "Rodeo", "Cowboy", "Sheriff", "Gunslinger"},
    }};
    return words;
}

const std::vector<std::string_view>& neutralWords() {
    static const std::vector<std::string_view> words = {
        "Harbor",      "Summer",       "City",       "River",        "Road",     "Blue",
        "Last",        "Lost",         "Golden",     "Winter",       "Morning",  "Paper",
        "Silver",      "Garden",       "Tomorrow",   "Station",      "Mountain", "Avenue",
        "Seven",       "Street",       "Sunday",     "Ocean",        "Velvet",   "Crossing",
        "Caf\xC3\xA9", "Se\xC3\xB1or", "Zo\xC3\xAB", "Cr\xC3\xA8me", "Jean-Luc", "Mr. Brown",
        "Midnight",    "Northern",     "Empire",     "Brothers",     "Sisters",  "Island Road",
        "Hotel",       "Train",        "Window",     "Bridge",       "Valley",   "Desert",
        "Little",      "Big",          "Red",        "Black",        "White",    "Green",
        "Paris",       "Tokyo",        "Berlin",     "London",       "Rome",     "Cairo",
        "Detroit",     "Memphis",      "Santa Fe",   "Lisbon",       "Oslo",     "Mumbai",
        "Family",      "Father",       "Daughter",   "Son",          "Friends",  "Neighbors",
        "Doctor",      "Teacher",      "Captain",    "Professor",    "Lady",     "King",
        "Queen",       "Prince",       "Stranger",   "Boy",          "Girl",     "Man",
        "Woman",       "Child",        "Sun",        "Moon",         "Star",     "Rain",
        "Snow",        "Fire",         "Water",      "Stone",        "Glass",    "Iron",
        "Time",        "Dream",        "Memory",     "Journey",      "Return",   "Story",
        "Game",        "Life",         "World",      "House",        "Room",     "Door",
        "First",       "Second",       "Third",      "Final",        "Endless",  "Hidden",
        "Wild",        "Quiet",        "Broken",     "Burning",      "Frozen",   "Falling",
    };
    return words;
}

std::string_view pick(Random& rng, const std::vector<std::string_view>& words) {
    return words[static_cast<std::size_t>(rng.below(words.size()))];
}

std::string joinWords(std::initializer_list<std::string_view> parts) {
    std::string out;
    for (const std::string_view p : parts) {
        out += p;
    }
    return out;
}

std::string titleStem(Random& rng, int firstGenre, int secondGenre) {
    const auto& words = genreWords();
    const std::string_view p = firstGenre >= 0
                                   ? pick(rng, words[static_cast<std::size_t>(firstGenre)])
                                   : pick(rng, neutralWords());
    const std::string_view s = secondGenre >= 0
                                   ? pick(rng, words[static_cast<std::size_t>(secondGenre)])
                                   : pick(rng, neutralWords());
    const std::string_view n = pick(rng, neutralWords());
    const std::string_view m = pick(rng, neutralWords());
    switch (rng.below(16)) {
    case 0:
        return joinWords({p, " ", n});
    case 1:
        return joinWords({n, " ", p});
    case 2:
        return joinWords({"The ", p, " of ", n});
    case 3:
        return joinWords({p, " and ", s});
    case 4:
        return joinWords({p, " & ", s});
    case 5:
        return joinWords({p, " ", n, ", The"}); // the MovieLens way of filing "The ..."
    case 6:
        return joinWords({p, ": ", n, " ", s});
    case 7:
        return joinWords({"Return of the ", p});
    case 8:
        return joinWords({p, " ", n, "!"});
    case 9:
        return joinWords({n, " ", m, " ", p});
    case 10:
        return joinWords({n, ", ", m, " and the ", p}); // a comma inside the title
    case 11:
        return joinWords({"A ", p, " in ", n});
    case 12:
        return joinWords({"The \"", p, "\" ", n}); // quotes, doubled in the CSV
    case 13:
        return joinWords({n, " ", p, ", A"});
    case 14:
        return joinWords({p, " ", n, " ", m});
    default:
        return joinWords({n, " ", p, " II"});
    }
}

// RFC 4180: quoted when it holds a comma or a quote, quotes doubled.
void appendCsvField(std::string& out, std::string_view text) {
    if (text.find_first_of(",\"") == std::string_view::npos) {
        out += text;
        return;
    }
    out += '"';
    for (const char c : text) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    out += '"';
}

// --- the plan --------------------------------------------------------------------------------

void makeMovies(Random& rng, SyntheticPlan& plan) {
    const auto count = static_cast<std::size_t>(plan.options.movies);
    plan.clusters = static_cast<int>(std::clamp<std::int64_t>(plan.options.movies / 100, 1, 64));
    plan.movies.resize(count);
    std::int64_t id = 0;
    for (SyntheticPlan::MovieInfo& movie : plan.movies) {
        // Ids grow with gaps (movies GroupLens removed), as in ml-25m's movies.csv.
        id += 1 + (rng.below(4) == 0 ? static_cast<std::int64_t>(rng.below(8)) : 0);
        movie.id = id;
        if (rng.below(100) == 0) {
            movie.genres = 0; // "(no genres listed)"
        } else {
            const int first = weightedIndex(rng, kPrimaryShare);
            movie.genres = 1U << first;
            const std::uint64_t extrasRoll = rng.below(100);
            const int extras = extrasRoll < 45 ? 0 : (extrasRoll < 80 ? 1 : 2);
            for (int e = 0; e < extras; ++e) {
                movie.genres |= 1U << weightedIndex(rng, kExtraShare);
            }
        }
        // Film-noir and westerns are old; everything else leans to the recent past.
        const std::uint64_t a = rng.below(90);
        const std::uint64_t b = rng.below(90);
        if (hasGenre(movie.genres, 9)) {
            movie.year = 1940 + static_cast<int>(a % 20);
        } else if (hasGenre(movie.genres, 18)) {
            movie.year = 1930 + static_cast<int>(a % 50);
        } else {
            movie.year = 2019 - static_cast<int>(std::min(a, b));
        }
        movie.cluster =
            static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(plan.clusters)));
        const std::uint64_t q = rng.below(3) + rng.below(3); // 0..4, most often 2
        movie.quality = static_cast<std::int8_t>(static_cast<int>(q) - 2);
    }
    // Popularity ranks in random order, so they do not follow ids or genres.
    std::vector<std::int32_t> order(count);
    std::iota(order.begin(), order.end(), 0);
    rng.shuffle(order.begin(), order.end());
    for (std::size_t rank = 0; rank < count; ++rank) {
        plan.movies[static_cast<std::size_t>(order[rank])].popularityRank =
            static_cast<std::int32_t>(rank);
    }
}

void makeUsers(Random& rng, SyntheticPlan& plan) {
    const SyntheticOptions& o = plan.options;
    const auto count = static_cast<std::size_t>(o.users);
    plan.users.resize(count);
    std::vector<std::uint64_t> activity(count);
    for (std::size_t u = 0; u < count; ++u) {
        SyntheticPlan::UserInfo& user = plan.users[u];
        user.favouriteGenres[0] = static_cast<std::int8_t>(weightedIndex(rng, kPrimaryShare));
        if (rng.below(100) < 60) {
            const int second = weightedIndex(rng, kPrimaryShare);
            if (second != user.favouriteGenres[0]) {
                user.favouriteGenres[1] = static_cast<std::int8_t>(second);
            }
        }
        const int disliked = weightedIndex(rng, kPrimaryShare);
        if (disliked != user.favouriteGenres[0] && disliked != user.favouriteGenres[1]) {
            user.dislikedGenre = static_cast<std::int8_t>(disliked);
        }
        user.favouriteCluster =
            static_cast<std::int32_t>(rng.below(static_cast<std::uint64_t>(plan.clusters)));
        user.bias = static_cast<std::int8_t>(static_cast<int>(rng.below(3) + rng.below(3)) - 2);
        // Activity: each step up (probability 3/5) multiplies it by sqrt(2), a Pareto-like
        // tail with exponent about 1.5; the most active users hit the catalogue's size.
        int k = 0;
        while (k < 24 && rng.below(5) < 3) {
            ++k;
        }
        activity[u] = ((1 + rng.below(2048)) * ((k & 1) != 0 ? 1448 : 1024))
                      << static_cast<unsigned>(k / 2);
    }
    // Everyone gets a floor (20 when there are at least 40 ratings a user, as in ml-25m where
    // every user has rated at least 20 movies), the rest goes by activity.
    const std::int64_t floor = std::min(
        {std::int64_t{20}, std::max<std::int64_t>(1, o.ratings / (2 * o.users)), o.movies});
    const std::int64_t extra = o.ratings - floor * o.users;
    // Nobody rates more than half the catalogue (ml-25m's most active user rated 52% of it),
    // unless the options leave no other way.
    const std::int64_t cap = std::min(
        o.movies, std::max({o.movies / 2, floor, 2 * ((o.ratings + o.users - 1) / o.users)}));
    const std::vector<std::int64_t> extras =
        apportion(extra, activity, cap - floor, rng.below(count));
    for (std::size_t u = 0; u < count; ++u) {
        plan.users[u].count = floor + extras[u];
    }
}

struct Groups {
    std::vector<Group> genres;   // one per genre
    std::vector<Group> clusters; // one per cluster
    Group all;
};

Groups makeGroups(const SyntheticPlan& plan) {
    Groups groups;
    groups.genres.resize(kGenres);
    groups.clusters.resize(static_cast<std::size_t>(plan.clusters));
    const auto movieCount = static_cast<std::int64_t>(plan.movies.size());
    for (std::size_t m = 0; m < plan.movies.size(); ++m) {
        const SyntheticPlan::MovieInfo& movie = plan.movies[m];
        const std::uint64_t w = popularityWeight(movie.popularityRank, movieCount);
        const auto index = static_cast<std::int32_t>(m);
        groups.all.add(index, w);
        groups.clusters[static_cast<std::size_t>(movie.cluster)].add(index, w);
        for (int g = 0; g < kGenres; ++g) {
            if (hasGenre(movie.genres, g)) {
                groups.genres[static_cast<std::size_t>(g)].add(index, w);
            }
        }
    }
    return groups;
}

// --- ratings ---------------------------------------------------------------------------------

struct Pick {
    std::int32_t movie;
    std::int32_t halfStars; // 1..10
    std::int64_t time;
};

class RatingDrawer {
public:
    RatingDrawer(const SyntheticPlan& plan, std::uint64_t seed)
        : m_plan(plan), m_groups(makeGroups(plan)), m_rng(seed ^ kRatingStream),
          m_ratedBy(plan.movies.size(), 0) {
        m_yearStart.resize(plan.movies.size());
        for (std::size_t m = 0; m < plan.movies.size(); ++m) {
            m_yearStart[m] = daysToYear(plan.movies[m].year) * kDay;
        }
    }

    // The ratings of user u (index), sorted by movie.
    const std::vector<Pick>& draw(std::size_t u) {
        const SyntheticPlan::UserInfo& user = m_plan.users[u];
        const auto stamp = static_cast<std::uint32_t>(u + 1);
        m_picks.clear();
        const auto count = static_cast<std::size_t>(user.count);
        int refusals = 0;
        while (m_picks.size() < count && refusals < kMaxRefusals) {
            const std::int32_t m = drawMovie(user);
            const auto mi = static_cast<std::size_t>(m);
            const bool disliked = hasGenre(m_plan.movies[mi].genres, user.dislikedGenre);
            if (m_ratedBy[mi] == stamp || (disliked && m_rng.below(4) != 0)) {
                ++refusals;
                continue;
            }
            refusals = 0;
            m_ratedBy[mi] = stamp;
            m_picks.push_back({m, 0, 0});
        }
        if (m_picks.size() < count) {
            // A user who has rated much of the catalogue: the rest uniformly among the movies
            // not rated yet (a partial Fisher-Yates shuffle).
            m_left.clear();
            for (std::size_t m = 0; m < m_ratedBy.size(); ++m) {
                if (m_ratedBy[m] != stamp) {
                    m_left.push_back(static_cast<std::int32_t>(m));
                }
            }
            for (std::size_t i = 0; m_picks.size() < count; ++i) {
                const std::size_t j = i + static_cast<std::size_t>(m_rng.below(m_left.size() - i));
                std::swap(m_left[i], m_left[j]);
                m_ratedBy[static_cast<std::size_t>(m_left[i])] = stamp;
                m_picks.push_back({m_left[i], 0, 0});
            }
        }
        std::sort(m_picks.begin(), m_picks.end(),
                  [](const Pick& a, const Pick& b) { return a.movie < b.movie; });

        // When the user was active: one evening for half the users, else 1 day to 11 years.
        const std::int64_t span = kLastTime - kFirstTime;
        std::int64_t length = m_rng.below(2) == 0
                                  ? static_cast<std::int64_t>(m_rng.below(6 * 60 * 60))
                                  : kDay << m_rng.below(13);
        length = std::min(length, span);
        const std::int64_t start =
            kFirstTime +
            static_cast<std::int64_t>(m_rng.below(static_cast<std::uint64_t>(span - length + 1)));
        for (Pick& p : m_picks) {
            const auto mi = static_cast<std::size_t>(p.movie);
            std::int64_t t = start + static_cast<std::int64_t>(
                                         m_rng.below(static_cast<std::uint64_t>(length + 1)));
            if (t < m_yearStart[mi]) {
                // Not before the movie's release year.
                t = m_yearStart[mi] +
                    static_cast<std::int64_t>(
                        m_rng.below(static_cast<std::uint64_t>(kLastTime - m_yearStart[mi] + 1)));
            }
            p.time = t;
            p.halfStars = stars(user, m_plan.movies[mi], t);
        }
        return m_picks;
    }

private:
    std::int32_t drawMovie(const SyntheticPlan::UserInfo& user) {
        const std::uint64_t source = m_rng.below(100);
        if (source < kFromFavouriteGenre) {
            const int which = favouriteCount(user) == 2 ? static_cast<int>(m_rng.below(2)) : 0;
            const Group& g = m_groups.genres[static_cast<std::size_t>(
                user.favouriteGenres[static_cast<std::size_t>(which)])];
            if (!g.empty()) {
                return g.draw(m_rng);
            }
        } else if (source < kFromFavouriteGenre + kFromFavouriteCluster) {
            const Group& g = m_groups.clusters[static_cast<std::size_t>(user.favouriteCluster)];
            if (!g.empty()) {
                return g.draw(m_rng);
            }
        }
        return m_groups.all.draw(m_rng);
    }

    int stars(const SyntheticPlan::UserInfo& user, const SyntheticPlan::MovieInfo& movie,
              std::int64_t time) {
        int h = 6 + movie.quality + user.bias;
        if (m_plan.isFavouriteGenre(user, movie.genres)) {
            h += 2;
        }
        if (movie.cluster == user.favouriteCluster) {
            h += 1;
        }
        if (hasGenre(movie.genres, user.dislikedGenre)) {
            h -= 3;
        }
        h += static_cast<int>(m_rng.below(4)) - 1; // -1..+2: a mean near ml-25m's 3.53 stars
        h = std::clamp(h, 1, 10);
        // Whole stars only before 2003-02-18, and half of the users keep to them after.
        if ((h & 1) != 0 && (time < kHalfStarsFrom || m_rng.below(2) == 0)) {
            h = std::clamp(h - 1 + 2 * static_cast<int>(m_rng.below(2)), 2, 10);
        }
        return h;
    }

    const SyntheticPlan& m_plan;
    Groups m_groups;
    Random m_rng;
    std::vector<std::uint32_t> m_ratedBy; // per movie: 1 + the last user who rated it
    std::vector<std::int64_t> m_yearStart;
    std::vector<Pick> m_picks;
    std::vector<std::int32_t> m_left;
};

// --- writing ---------------------------------------------------------------------------------

template <typename Int> void appendInt(std::string& out, Int value) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, value);
    out.append(digits, static_cast<std::size_t>(end - digits));
}

std::string readmeText(const SyntheticOptions& o, std::uint64_t ratingsWritten) {
    std::string text;
    text += "Synthetic MovieLens-shaped data generated by TowerLab\n";
    text += "======================================================\n\n";
    text += "towerlab-cli generate --users " + std::to_string(o.users) + " --movies " +
            std::to_string(o.movies) + " --ratings " + std::to_string(o.ratings) + " --seed " +
            std::to_string(o.seed) + "\n\n";
    text += std::to_string(o.users) + " users, " + std::to_string(o.movies) + " movies, " +
            std::to_string(ratingsWritten) + " ratings.\n\n";
    text += "Every user, movie, title and rating here is invented: this is NOT MovieLens data\n"
            "and carries no GroupLens license. It has the layout of the MovieLens \"latest\"\n"
            "CSV format (ratings.csv: userId,movieId,rating,timestamp; movies.csv:\n"
            "movieId,title,genres) and a planted taste structure; see TowerLab's\n"
            "datasets/README.md, \"Generated MovieLens-shaped data\".\n";
    return text;
}

void prepareFolder(const fs::path& folder, bool& created) {
    std::error_code ec;
    const fs::file_status status = fs::status(folder, ec);
    created = false;
    if (fs::exists(status)) {
        if (!fs::is_directory(status)) {
            throw SyntheticDataError("--out: \"" + folder.string() +
                                     "\" exists and is not a folder");
        }
        if (fs::directory_iterator(folder, ec) != fs::directory_iterator() || ec) {
            throw SyntheticDataError(
                "--out: \"" + folder.string() + "\" " +
                (ec ? "cannot be listed: " + ec.message()
                    : std::string("is not empty; generate into a new or empty folder "
                                  "(nothing was changed)")));
        }
        return;
    }
    fs::create_directories(folder, ec);
    if (ec) {
        throw SyntheticDataError("--out: cannot create the folder \"" + folder.string() +
                                 "\": " + ec.message());
    }
    created = true;
}

} // namespace

const std::vector<std::string>& syntheticGenreNames() {
    static const std::vector<std::string> names = {
        "Action",  "Adventure", "Animation", "Children", "Comedy",  "Crime",   "Documentary",
        "Drama",   "Fantasy",   "Film-Noir", "Horror",   "IMAX",    "Musical", "Mystery",
        "Romance", "Sci-Fi",    "Thriller",  "War",      "Western",
    };
    return names;
}

bool SyntheticPlan::isFavouriteGenre(const UserInfo& user, std::uint32_t movieGenres) const {
    return hasGenre(movieGenres, user.favouriteGenres[0]) ||
           hasGenre(movieGenres, user.favouriteGenres[1]);
}

std::string syntheticOptionsProblem(const SyntheticOptions& o) {
    if (o.users < 1 || o.users > kSyntheticMaxUsers) {
        return "--users: must be between 1 and " + std::to_string(kSyntheticMaxUsers) + ", got " +
               std::to_string(o.users);
    }
    if (o.movies < 1 || o.movies > kSyntheticMaxMovies) {
        return "--movies: must be between 1 and " + std::to_string(kSyntheticMaxMovies) + ", got " +
               std::to_string(o.movies);
    }
    if (o.ratings < 1 || o.ratings > kSyntheticMaxRatings) {
        return "--ratings: must be between 1 and " + std::to_string(kSyntheticMaxRatings) +
               ", got " + std::to_string(o.ratings);
    }
    if (o.ratings < o.users) {
        return "--ratings: " + std::to_string(o.ratings) + " is fewer than the " +
               std::to_string(o.users) + " users; every user rates at least one movie";
    }
    if (static_cast<U128>(o.ratings) > static_cast<U128>(o.users) * static_cast<U128>(o.movies)) {
        return "--ratings: " + std::to_string(o.ratings) + " is more than " +
               std::to_string(o.users) + " users x " + std::to_string(o.movies) +
               " movies; a user rates a movie at most once";
    }
    return {};
}

SyntheticPlan makeSyntheticPlan(const SyntheticOptions& options) {
    if (const std::string problem = syntheticOptionsProblem(options); !problem.empty()) {
        throw SyntheticDataError(problem);
    }
    SyntheticPlan plan;
    plan.options = options;
    Random rng(options.seed);
    makeMovies(rng, plan);
    makeUsers(rng, plan);
    return plan;
}

SyntheticWriteResult writeSyntheticMovieLens(const SyntheticOptions& options,
                                             const fs::path& folder,
                                             const SyntheticProgress& progress) {
    const SyntheticPlan plan = makeSyntheticPlan(options);
    bool created = false;
    prepareFolder(folder, created);
    // A run that fails leaves the folder as it found it: the files it renamed into place go
    // (the folder was empty, so they are this run's), and so does a folder it created.
    struct Cleanup {
        const fs::path& folder;
        bool created;
        std::vector<fs::path> committed;
        bool done = false;
        ~Cleanup() {
            if (done) {
                return;
            }
            std::error_code ignored;
            for (const fs::path& file : committed) {
                fs::remove(file, ignored);
            }
            if (created) {
                fs::remove(folder, ignored); // only if empty: never someone else's files
            }
        }
    } cleanup{folder, created, {}};

    AtomicFileWriter readme(folder / "README.txt");
    AtomicFileWriter movies(folder / "movies.csv");
    AtomicFileWriter ratings(folder / "ratings.csv");
    SyntheticWriteResult result;

    // movies.csv
    {
        Random rng(options.seed ^ kTitleStream);
        std::unordered_set<std::string> titles;
        titles.reserve(plan.movies.size());
        std::string out = "movieId,title,genres\n";
        const auto& names = syntheticGenreNames();
        for (const SyntheticPlan::MovieInfo& movie : plan.movies) {
            std::vector<int> genres;
            for (int g = 0; g < kGenres; ++g) {
                if (hasGenre(movie.genres, g)) {
                    genres.push_back(g);
                }
            }
            // The title's words come from two of the movie's genres (first two drawn).
            const int first =
                genres.empty() ? -1 : genres[static_cast<std::size_t>(rng.below(genres.size()))];
            const int second =
                genres.size() < 2 ? -1 : genres[static_cast<std::size_t>(rng.below(genres.size()))];
            const std::string year = " (" + std::to_string(movie.year) + ")";
            std::string title;
            for (int attempt = 0; attempt < 8 && title.empty(); ++attempt) {
                std::string candidate = titleStem(rng, first, second) + year;
                if (!titles.contains(candidate)) {
                    title = std::move(candidate);
                }
            }
            // A large catalogue runs out of word combinations: numbered sequels keep the
            // titles unique.
            const std::string stem = titleStem(rng, first, second);
            for (std::int64_t sequel = 2; title.empty(); ++sequel) {
                std::string candidate = stem + " " + std::to_string(sequel) + year;
                if (!titles.contains(candidate)) {
                    title = std::move(candidate);
                }
            }
            appendInt(out, movie.id);
            out += ',';
            appendCsvField(out, title);
            out += ',';
            if (genres.empty()) {
                out += "(no genres listed)";
            }
            for (std::size_t i = 0; i < genres.size(); ++i) {
                out += i == 0 ? "" : "|";
                out += names[static_cast<std::size_t>(genres[i])];
            }
            out += '\n';
            titles.insert(std::move(title));
            if (out.size() >= (1U << 16)) {
                movies.write(out);
                result.moviesBytes += out.size();
                out.clear();
            }
        }
        movies.write(out);
        result.moviesBytes += out.size();
    }

    // ratings.csv, user by user.
    {
        RatingDrawer drawer(plan, options.seed);
        std::string out = "userId,movieId,rating,timestamp\n";
        out.reserve(1U << 17);
        const auto total = static_cast<std::uint64_t>(options.ratings);
        std::uint64_t nextReport = 0;
        for (std::size_t u = 0; u < plan.users.size(); ++u) {
            for (const Pick& p : drawer.draw(u)) {
                appendInt(out, static_cast<std::int64_t>(u + 1));
                out += ',';
                appendInt(out, plan.movies[static_cast<std::size_t>(p.movie)].id);
                out += ',';
                out += static_cast<char>('0' + p.halfStars / 2);
                out += (p.halfStars & 1) != 0 ? ".5," : ".0,";
                appendInt(out, p.time);
                out += '\n';
                if (out.size() >= (1U << 16)) {
                    ratings.write(out);
                    result.ratingsBytes += out.size();
                    out.clear();
                }
                ++result.ratings;
            }
            if (progress && result.ratings >= nextReport) {
                progress(result.ratings, total);
                nextReport = result.ratings + (total / 100 + 1);
            }
        }
        ratings.write(out);
        result.ratingsBytes += out.size();
        if (progress) {
            progress(result.ratings, total);
        }
    }

    readme.write(readmeText(options, result.ratings));
    // ratings.csv last: a folder that has it is complete.
    for (AtomicFileWriter* file : {&readme, &movies, &ratings}) {
        file->commit();
        cleanup.committed.push_back(file->target());
    }
    cleanup.done = true;
    result.users = plan.users.size();
    result.movies = plan.movies.size();
    return result;
}

} // namespace towerlab
