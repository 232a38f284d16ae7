// Which movies a user rated, by the model's own train/test split, and recall of a list; the
// same lists whether RatedMovies indexes the ratings by user itself or is given the index made
// on the loading thread, with ratings grouped by user or in any order.

#include "data/data_error.hpp"
#include "data/demo_dataset.hpp"
#include "data/ratings_by_user.hpp"
#include "data/split.hpp"
#include "model/training_split.hpp"
#include "retrieval/rated_movies.hpp"

#include <QtTest>

using namespace towerlab;

namespace {

// Three users; user 0 rated movies 0, 1, 2, 3, user 1 rated 1 and 4, user 2 rated 4.
Dataset smallDataset() {
    Dataset d;
    d.name = "small";
    d.genreNames = {"Drama"};
    for (int u = 0; u < 3; ++u) {
        d.users.push_back({u + 1, 30, 25, 17, "student", 1, ""});
    }
    for (int m = 0; m < 5; ++m) {
        d.movies.push_back({m + 100, "Movie " + std::to_string(m) + " (1990)", {0}, 1990});
    }
    d.ratings = {{0, 0, 4.0f, 10}, {0, 1, 4.0f, 11}, {0, 2, 4.0f, 12}, {0, 3, 4.0f, 13},
                 {1, 1, 4.0f, 14}, {1, 4, 4.0f, 15}, {2, 4, 4.0f, 16}};
    return d;
}

TrainedModel modelOf(const Dataset& d, std::uint64_t seed, double fraction) {
    TrainedModel m;
    m.training.seed = seed;
    m.training.trainFraction = fraction;
    m.datasetName = d.name;
    m.datasetFingerprint = d.fingerprint();
    m.catalogue.titles.resize(d.movies.size());
    return m;
}

// The same ratings in another order (users interleaved, so RatingsByUser keeps an order),
// with user 1 rating movie 4 twice.
Dataset interleavedDataset() {
    Dataset d = smallDataset();
    d.name = "interleaved";
    d.ratings = {{2, 4, 4.0f, 16}, {0, 3, 4.0f, 13}, {1, 4, 4.0f, 15}, {0, 0, 4.0f, 10},
                 {1, 1, 4.0f, 14}, {0, 2, 4.0f, 12}, {1, 4, 3.0f, 17}, {0, 1, 4.0f, 11}};
    return d;
}

// Each user's movies by split part, found by a plain scan of the ratings (what RatedMovies did
// before it took RatingsByUser), to hold its lists to.
std::vector<UserRatedMovies> scanned(const TrainedModel& m, const Dataset& d) {
    std::vector<UserRatedMovies> users(d.users.size());
    const TrainTestSplit split = splitForTraining(d, m.training);
    std::vector<char> isTest(d.ratings.size(), 0);
    for (const std::int32_t e : split.test) {
        isTest[static_cast<std::size_t>(e)] = 1;
    }
    for (std::size_t i = 0; i < d.ratings.size(); ++i) {
        UserRatedMovies& u = users[static_cast<std::size_t>(d.ratings[i].user)];
        (isTest[i] != 0 ? u.test : u.train).push_back(d.ratings[i].movie);
    }
    for (UserRatedMovies& u : users) {
        for (std::vector<std::int32_t>* v : {&u.train, &u.test}) {
            std::sort(v->begin(), v->end());
            v->erase(std::unique(v->begin(), v->end()), v->end());
        }
    }
    return users;
}

void compareWithScan(const RatedMovies& rated, const TrainedModel& m, const Dataset& d) {
    QVERIFY(rated.available());
    const std::vector<UserRatedMovies> expected = scanned(m, d);
    for (std::size_t u = 0; u < d.users.size(); ++u) {
        QCOMPARE(rated.ofUser(u).train, expected[u].train);
        QCOMPARE(rated.ofUser(u).test, expected[u].test);
    }
}

} // namespace

class TestRatedMovies : public QObject {
    Q_OBJECT

private slots:
    void followsTheModelsOwnSplit() {
        const Dataset d = smallDataset();
        const TrainedModel m = modelOf(d, 7, 0.6);
        const RatedMovies rated(m, d);
        QVERIFY(rated.available());
        QVERIFY(rated.unavailableReason().empty());
        const TrainTestSplit split = splitRatings(d.ratings.size(), 7, 0.6);
        QCOMPARE(split.test.size(), std::size_t(3)); // round(7 * 0.6) = 4 train, 3 test
        std::size_t train = 0;
        std::size_t test = 0;
        for (std::size_t u = 0; u < d.users.size(); ++u) {
            train += rated.ofUser(u).train.size();
            test += rated.ofUser(u).test.size();
        }
        QCOMPARE(train, std::size_t(4));
        QCOMPARE(test, std::size_t(3));
        for (const std::int32_t e : split.test) {
            const Rating& r = d.ratings[static_cast<std::size_t>(e)];
            QVERIFY(rated.inTestSplit(static_cast<std::size_t>(e)));
            const auto& t = rated.ofUser(static_cast<std::size_t>(r.user)).test;
            QVERIFY(std::find(t.begin(), t.end(), r.movie) != t.end());
        }
        for (const std::int32_t e : split.train) {
            QVERIFY(!rated.inTestSplit(static_cast<std::size_t>(e)));
        }
        // User 0's parts together are exactly the four movies they rated, in order.
        std::vector<std::int32_t> all = rated.ofUser(0).train;
        all.insert(all.end(), rated.ofUser(0).test.begin(), rated.ofUser(0).test.end());
        std::sort(all.begin(), all.end());
        QCOMPARE(all, (std::vector<std::int32_t>{0, 1, 2, 3}));
        QVERIFY(std::is_sorted(rated.ofUser(0).train.begin(), rated.ofUser(0).train.end()));
        // Another seed splits differently, and the class follows it.
        const RatedMovies other(modelOf(d, 8, 0.6), d);
        const TrainTestSplit split8 = splitRatings(d.ratings.size(), 8, 0.6);
        for (const std::int32_t e : split8.test) {
            QVERIFY(other.inTestSplit(static_cast<std::size_t>(e)));
        }
    }

    // Given the dataset's RatingsByUser or not, grouped or interleaved, the lists are those of
    // a plain scan; on the demo dataset (grouped, 50,000 ratings) too.
    void theRatingsByUserGiveTheSameLists_data() {
        QTest::addColumn<int>("which");
        QTest::newRow("grouped") << 0;
        QTest::newRow("interleaved, a movie rated twice") << 1;
        QTest::newRow("demo") << 2;
    }
    void theRatingsByUserGiveTheSameLists() {
        QFETCH(int, which);
        const Dataset d = which == 0   ? smallDataset()
                          : which == 1 ? interleavedDataset()
                                       : makeDemoDataset();
        const TrainedModel m = which == 2 ? modelOf(d, 42, 0.8) : modelOf(d, 7, 0.6);
        const RatingsByUser byUser(d);
        QCOMPARE(byUser.grouped(), which != 1);
        const RatedMovies own(m, d);
        const RatedMovies given(m, d, byUser);
        compareWithScan(own, m, d);
        compareWithScan(given, m, d);
        for (std::size_t i = 0; i < d.ratings.size(); ++i) {
            QCOMPARE(given.inTestSplit(i), own.inTestSplit(i));
        }
        if (which == 1) {
            // User 1's movie 4, rated twice, is listed once in each part it fell into.
            const UserRatedMovies& u1 = given.ofUser(1);
            QCOMPARE(std::count(u1.train.begin(), u1.train.end(), 4) +
                         std::count(u1.test.begin(), u1.test.end(), 4),
                     std::ptrdiff_t(given.inTestSplit(2) == given.inTestSplit(6) ? 1 : 2));
        }
    }

    void badIndicesAreRefused() {
        Dataset d = interleavedDataset();
        d.ratings[3].movie = 5; // the catalogue has 5 movies: 0..4
        const TrainedModel m = modelOf(d, 7, 0.6);
        try {
            const RatedMovies rated(m, d, RatingsByUser(d));
            QFAIL("no error");
        } catch (const DatasetError& e) {
            QCOMPARE(QString::fromStdString(e.what()),
                     QStringLiteral("interleaved: rating 4 names movie index 5 of 5 movies"));
        }
        QVERIFY_THROWS_EXCEPTION(DatasetError, RatedMovies(m, d));
        d.ratings[3].movie = 0;
        d.ratings[3].user = 3; // 3 users: 0..2
        QVERIFY_THROWS_EXCEPTION(DatasetError, RatedMovies(modelOf(d, 7, 0.6), d));
        // An index of another dataset's users.
        Dataset more = smallDataset();
        more.users.push_back(more.users.front());
        const Dataset small = smallDataset();
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 RatedMovies(modelOf(small, 7, 0.6), small, RatingsByUser(more)));
    }

    void anotherDatasetCannotBeMarked() {
        const Dataset d = smallDataset();
        Dataset changed = d;
        changed.name = "changed";
        changed.ratings[0].rating = 1.0f;
        const RatedMovies rated(modelOf(d, 7, 0.6), changed);
        QVERIFY(!rated.available());
        const QString reason = QString::fromStdString(rated.unavailableReason());
        QVERIFY2(reason.contains("changed") && reason.contains("small") &&
                     reason.contains("fingerprints differ"),
                 qPrintable(reason));
        QVERIFY(rated.ofUser(0).train.empty() && rated.ofUser(0).test.empty());
        QVERIFY(!rated.inTestSplit(0));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, rated.ofUser(3));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, rated.inTestSplit(7));

        TrainedModel unknown = modelOf(d, 7, 0.6);
        unknown.datasetFingerprint.clear();
        const RatedMovies noPrint(unknown, d);
        QVERIFY(!noPrint.available());
        QVERIFY(QString::fromStdString(noPrint.unavailableReason()).contains("does not record"));
    }

    void recallIsTheShareOfRelevantMoviesListed() {
        const std::vector<ScoredMovie> list{{3, 0.9f, 1}, {5, 0.8f, 2}, {7, 0.7f, 3}};
        const std::vector<std::int32_t> relevant{5, 9};
        QCOMPARE(recallOf(list, relevant).value(), 0.5);
        const std::vector<std::int32_t> all{3, 5, 7};
        QCOMPARE(recallOf(list, all).value(), 1.0);
        const std::vector<std::int32_t> none{1, 2, 4, 6};
        QCOMPARE(recallOf(list, none).value(), 0.0);
        QVERIFY(!recallOf(list, {}).has_value());
    }
};

QTEST_APPLESS_MAIN(TestRatedMovies)
#include "test_retrieval_rated_movies.moc"
