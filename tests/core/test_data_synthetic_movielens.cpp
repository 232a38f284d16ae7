// The MovieLens-shaped generator (core/data/synthetic_movielens.hpp): exact counts, the
// latest CSV layout, ids that resolve, the same bytes for a seed (pinned), the loader reading
// it back, refused options and folders, and the planted taste structure the recipe promises.

#include "data/data_error.hpp"
#include "data/dataset_loader.hpp"
#include "data/synthetic_movielens.hpp"
#include "test_support.hpp"
#include "util/atomic_file.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace towerlab;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::vector<std::string> linesOf(const fs::path& path) {
    std::vector<std::string> lines;
    std::ifstream in(path, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(line);
    }
    return lines;
}

std::vector<std::string> entriesOf(const fs::path& folder) {
    std::vector<std::string> names;
    for (const fs::directory_entry& e : fs::directory_iterator(folder)) {
        names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

SyntheticOptions options(std::int64_t users, std::int64_t movies, std::int64_t ratings,
                         std::uint64_t seed) {
    SyntheticOptions o;
    o.users = users;
    o.movies = movies;
    o.ratings = ratings;
    o.seed = seed;
    return o;
}

} // namespace

class TestSyntheticMovieLens : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_folders = 0;

    fs::path newFolder() {
        return fs::path(m_dir.path().toStdString()) / ("gen" + std::to_string(++m_folders));
    }

private slots:
    void writesTheLatestFormatWithExactCounts() {
        const fs::path folder = newFolder();
        const SyntheticWriteResult result =
            writeSyntheticMovieLens(options(120, 90, 4000, 7), folder);
        QCOMPARE(result.users, std::uint64_t(120));
        QCOMPARE(result.movies, std::uint64_t(90));
        QCOMPARE(result.ratings, std::uint64_t(4000));
        // Only the finished files: no temporary file is left behind.
        QCOMPARE(entriesOf(folder),
                 (std::vector<std::string>{"README.txt", "movies.csv", "ratings.csv"}));
        QCOMPARE(result.ratingsBytes, std::uint64_t(fs::file_size(folder / "ratings.csv")));
        QCOMPARE(result.moviesBytes, std::uint64_t(fs::file_size(folder / "movies.csv")));

        const auto movies = linesOf(folder / "movies.csv");
        const auto ratings = linesOf(folder / "ratings.csv");
        QCOMPARE(movies.front(), std::string("movieId,title,genres"));
        QCOMPARE(ratings.front(), std::string("userId,movieId,rating,timestamp"));
        QCOMPARE(movies.size(), std::size_t(91));
        QCOMPARE(ratings.size(), std::size_t(4001));

        std::set<std::string> movieIds;
        for (std::size_t i = 1; i < movies.size(); ++i) {
            movieIds.insert(movies[i].substr(0, movies[i].find(',')));
        }
        QCOMPARE(movieIds.size(), std::size_t(90)); // unique
        std::set<std::pair<long, long>> pairs;
        std::set<long> users;
        std::pair<long, long> previous{0, 0};
        for (std::size_t i = 1; i < ratings.size(); ++i) {
            std::stringstream row(ratings[i]);
            std::string user, movie, stars, time;
            std::getline(row, user, ',');
            std::getline(row, movie, ',');
            std::getline(row, stars, ',');
            std::getline(row, time, ',');
            QVERIFY2(movieIds.contains(movie), ratings[i].c_str());
            const std::pair<long, long> key{std::stol(user), std::stol(movie)};
            QVERIFY2(pairs.insert(key).second, "a user rated a movie twice");
            QVERIFY2(previous < key, "ratings are sorted by user, then movie (as in ml-25m)");
            previous = key;
            users.insert(key.first);
            const double value = std::stod(stars);
            QVERIFY(value >= 0.5 && value <= 5.0 && value * 2 == static_cast<int>(value * 2));
            QCOMPARE(stars.size(), std::size_t(3)); // "4.0", "3.5"
            const long t = std::stol(time);
            QVERIFY(t >= 789652009 && t <= 1574327703); // ml-25m's first and last rating
        }
        // Every user 1..120 rated something.
        QCOMPARE(users.size(), std::size_t(120));
        QCOMPARE(*users.begin(), 1L);
        QCOMPARE(*users.rbegin(), 120L);
    }

    void loaderReadsItBack() {
        const fs::path folder = newFolder();
        writeSyntheticMovieLens(options(200, 150, 9000, 3), folder);
        const Dataset data = loadDataset(folder);
        QCOMPARE(data.users.size(), std::size_t(200));
        QCOMPARE(data.movies.size(), std::size_t(150));
        QCOMPARE(data.ratings.size(), std::size_t(9000));
        QVERIFY(!data.hasDemographics);
        for (const std::string& genre : data.genreNames) {
            const auto& names = syntheticGenreNames();
            QVERIFY2(std::find(names.begin(), names.end(), genre) != names.end(), genre.c_str());
        }
        // Titles carry their year, and some need RFC 4180 quoting (commas, quotes).
        int withComma = 0;
        int withQuote = 0;
        for (const Movie& m : data.movies) {
            QVERIFY2(m.year >= 1930 && m.year <= 2019, m.title.c_str());
            withComma += m.title.find(',') != std::string::npos ? 1 : 0;
            withQuote += m.title.find('"') != std::string::npos ? 1 : 0;
        }
        QVERIFY(withComma > 0);
        QVERIFY(withQuote > 0);
    }

    void sameSeedSameBytesOtherSeedOtherData() {
        const fs::path a = newFolder();
        const fs::path b = newFolder();
        const fs::path c = newFolder();
        writeSyntheticMovieLens(options(150, 100, 5000, 11), a);
        writeSyntheticMovieLens(options(150, 100, 5000, 11), b);
        writeSyntheticMovieLens(options(150, 100, 5000, 12), c);
        for (const char* file : {"movies.csv", "ratings.csv", "README.txt"}) {
            QVERIFY2(readAll(a / file) == readAll(b / file), file);
        }
        QVERIFY(readAll(a / "ratings.csv") != readAll(c / "ratings.csv"));
        QVERIFY(readAll(a / "movies.csv") != readAll(c / "movies.csv"));
        QCOMPARE(loadDataset(a).fingerprint(), loadDataset(b).fingerprint());
        QVERIFY(loadDataset(a).fingerprint() != loadDataset(c).fingerprint());
    }

    void bytesArePinned() {
        // The same options give the same bytes on every machine and standard library (integer
        // arithmetic and util/random's fixed algorithms only). A change to the recipe changes
        // this value: update it together with datasets/README.md.
        const fs::path folder = newFolder();
        writeSyntheticMovieLens(options(300, 200, 12000, 2024), folder);
        QCOMPARE(loadDataset(folder).fingerprint(), std::string("0390d33075346a10"));
    }

    void refusesOptionsItCannotMeet() {
        QVERIFY(syntheticOptionsProblem(options(10, 10, 50, 1)).empty());
        QVERIFY(syntheticOptionsProblem(options(10, 10, 100, 1)).empty()); // everyone rates all
        const std::string fewer = syntheticOptionsProblem(options(100, 10, 50, 1));
        QVERIFY2(fewer.find("--ratings") == 0 &&
                     fewer.find("fewer than the 100 users") != std::string::npos,
                 fewer.c_str());
        const std::string more = syntheticOptionsProblem(options(10, 10, 101, 1));
        QVERIFY2(more.find("at most once") != std::string::npos, more.c_str());
        QVERIFY(syntheticOptionsProblem(options(10, 0, 50, 1)).find("--movies") == 0);
        QVERIFY(syntheticOptionsProblem(options(0, 10, 50, 1)).find("--users") == 0);
        QVERIFY(syntheticOptionsProblem(options(10, 10, 0, 1)).find("--ratings") == 0);
        QVERIFY_THROWS_EXCEPTION(SyntheticDataError,
                                 writeSyntheticMovieLens(options(100, 10, 50, 1), newFolder()));
    }

    void denseOptionsWork() {
        // Every user rates every movie: the generator must not search forever.
        const fs::path folder = newFolder();
        writeSyntheticMovieLens(options(30, 12, 360, 5), folder);
        const Dataset data = loadDataset(folder);
        QCOMPARE(data.ratings.size(), std::size_t(360));
        // One rating a user, and one movie for everyone.
        const fs::path sparse = newFolder();
        writeSyntheticMovieLens(options(40, 1, 40, 5), sparse);
        QCOMPARE(loadDataset(sparse).ratings.size(), std::size_t(40));
    }

    void refusesAFolderInUse() {
        const fs::path folder = newFolder();
        fs::create_directories(folder);
        std::ofstream(folder / "notes.txt") << "mine";
        try {
            writeSyntheticMovieLens(options(10, 10, 50, 1), folder);
            QFAIL("a non-empty folder was accepted");
        } catch (const SyntheticDataError& e) {
            QVERIFY2(std::string(e.what()).find("is not empty") != std::string::npos, e.what());
        }
        QCOMPARE(entriesOf(folder), std::vector<std::string>{"notes.txt"}); // untouched
        // A file where the folder should be.
        QVERIFY_THROWS_EXCEPTION(SyntheticDataError, writeSyntheticMovieLens(options(10, 10, 50, 1),
                                                                             folder / "notes.txt"));
        // An existing empty folder is fine.
        const fs::path empty = newFolder();
        fs::create_directories(empty);
        writeSyntheticMovieLens(options(10, 10, 50, 1), empty);
        QVERIFY(fs::exists(empty / "ratings.csv"));
    }

    void anInterruptedRunLeavesNoDataset() {
        // A failure half-way (here a progress callback that aborts) leaves no ratings.csv, no
        // temporary files, and removes the folder the run created.
        const fs::path folder = newFolder();
        const auto abort = [](std::uint64_t written, std::uint64_t) {
            if (written > 0) {
                throw std::runtime_error("stop");
            }
        };
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 writeSyntheticMovieLens(options(50, 40, 2000, 1), folder, abort));
        QVERIFY(!fs::exists(folder));
        // A disk that fills up: FileWriteError, nothing half-written stays.
        const fs::path full = newFolder();
        AtomicFileWriter::setFaultInjectionForTesting(1000);
        QVERIFY_THROWS_EXCEPTION(FileWriteError,
                                 writeSyntheticMovieLens(options(50, 40, 2000, 1), full));
        AtomicFileWriter::setFaultInjectionForTesting(std::nullopt);
        QVERIFY(!fs::exists(full));
    }

    void refusesAnUnwritableFolder() {
        if (::geteuid() == 0) {
            QSKIP("running as root: every folder is writable");
        }
        const fs::path folder = newFolder();
        fs::create_directories(folder);
        fs::permissions(folder, fs::perms::owner_read | fs::perms::owner_exec);
        QVERIFY_THROWS_EXCEPTION(FileWriteError,
                                 writeSyntheticMovieLens(options(10, 10, 50, 1), folder));
        fs::permissions(folder, fs::perms::owner_all);
        QVERIFY(fs::is_empty(folder));
    }

    void hasTheShapeOfMovieLens() {
        const SyntheticPlan plan = makeSyntheticPlan(options(6040, 3700, 1000000, 1));
        std::vector<std::int64_t> counts;
        std::int64_t total = 0;
        for (const auto& u : plan.users) {
            counts.push_back(u.count);
            total += u.count;
        }
        QCOMPARE(total, std::int64_t(1000000));
        std::sort(counts.begin(), counts.end());
        // ml-25m: every user at least 20; a long tail (median well under the mean).
        QCOMPARE(counts.front(), std::int64_t(20));
        const std::int64_t median = counts[counts.size() / 2];
        QVERIFY2(median * 10 < 8 * (total / 6040), qPrintable(QString::number(median)));
        QVERIFY(counts.back() > 8 * median);
        QVERIFY(counts.back() <= 3700 / 2); // nobody rates more than half the catalogue
        // Movie ids grow with gaps; every movie has a popularity rank.
        std::set<std::int32_t> ranks;
        for (std::size_t m = 1; m < plan.movies.size(); ++m) {
            QVERIFY(plan.movies[m].id > plan.movies[m - 1].id);
            ranks.insert(plan.movies[m].popularityRank);
        }
        ranks.insert(plan.movies[0].popularityRank);
        QCOMPARE(ranks.size(), plan.movies.size());
        QVERIFY(plan.movies.back().id > 3700);
    }

    void plantsTasteAModelCanLearn() {
        // Users rate their favourite genres far more often than other users' favourites, and
        // rate them higher than their disliked genre.
        const SyntheticOptions o = options(400, 300, 30000, 9);
        const fs::path folder = newFolder();
        writeSyntheticMovieLens(o, folder);
        const Dataset data = loadDataset(folder);
        const SyntheticPlan plan = makeSyntheticPlan(o);
        // Dataset movies are in movies.csv order, which is the plan's; genres go by name.
        std::vector<std::uint32_t> genreBits(data.movies.size(), 0);
        const auto& names = syntheticGenreNames();
        for (std::size_t m = 0; m < data.movies.size(); ++m) {
            QCOMPARE(data.movies[m].id, plan.movies[m].id);
            for (int g : data.movies[m].genres) {
                const auto at = std::find(names.begin(), names.end(),
                                          data.genreNames[static_cast<std::size_t>(g)]);
                genreBits[m] |= 1U << (at - names.begin());
            }
            QCOMPARE(genreBits[m], plan.movies[m].genres);
        }
        double own = 0, other = 0, favouriteStars = 0, dislikedStars = 0;
        int favouriteCount = 0, dislikedCount = 0;
        for (const Rating& r : data.ratings) {
            const auto user =
                static_cast<std::size_t>(data.users[static_cast<std::size_t>(r.user)].id - 1);
            const std::uint32_t bits = genreBits[static_cast<std::size_t>(r.movie)];
            const bool favourite = plan.isFavouriteGenre(plan.users[user], bits);
            own += favourite ? 1 : 0;
            other +=
                plan.isFavouriteGenre(plan.users[(user + 1) % plan.users.size()], bits) ? 1 : 0;
            if (favourite) {
                favouriteStars += r.rating;
                ++favouriteCount;
            }
            const int disliked = plan.users[user].dislikedGenre;
            if (disliked >= 0 && (bits >> disliked & 1U) != 0) {
                dislikedStars += r.rating;
                ++dislikedCount;
            }
        }
        qDebug("ratings in own favourite genres %.3f, in a neighbour's %.3f; stars %.2f vs %.2f",
               own / 30000, other / 30000, favouriteStars / favouriteCount,
               dislikedStars / dislikedCount);
        QVERIFY(own > 1.4 * other);
        QVERIFY(favouriteStars / favouriteCount > dislikedStars / dislikedCount + 1.0);
    }
};

QTEST_APPLESS_MAIN(TestSyntheticMovieLens)
#include "test_data_synthetic_movielens.moc"
