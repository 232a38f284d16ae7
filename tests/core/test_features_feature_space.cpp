// FeatureSpace on a small hand-built dataset (invented users, titles and times): what each
// layer is fitted on, query and rating encoding, and the CSR catalogue.

#include "features/feature_space.hpp"

#include <QtTest>

#include <stdexcept>
#include <string>
#include <vector>

using towerlab::Dataset;
using towerlab::EncodedCatalogue;
using towerlab::EncodedQuery;
using towerlab::FeatureId;
using towerlab::FeatureSpace;
using towerlab::Movie;
using towerlab::Rating;
using towerlab::User;
using towerlab::UserQuery;

namespace {

// Movies with these titles and genre lists (no ids or years), for encodeMovies.
std::vector<Movie> moviesOf(const std::vector<std::string>& titles,
                            const std::vector<std::vector<int>>& genres) {
    std::vector<Movie> movies(titles.size());
    for (std::size_t m = 0; m < titles.size(); ++m) {
        movies[m].title = titles[m];
        movies[m].genres = genres.at(m);
    }
    return movies;
}

template <typename F> void expectInvalid(F&& f, const char* needle) {
    try {
        f();
    } catch (const towerlab::FeatureError& e) {
        QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
        return;
    }
    QFAIL(qPrintable(QStringLiteral("no FeatureError mentioning \"%1\"").arg(needle)));
}

template <typename T> QList<qint64> toList(const std::vector<T>& v) {
    return {v.begin(), v.end()};
}

template <typename T> QList<qint64> toList(std::span<const T> v) {
    return {v.begin(), v.end()};
}

User user(std::int64_t id, int ageBucket, int occupation, int gender) {
    User u;
    u.id = id;
    u.ageBucket = ageBucket;
    u.occupationLabel = occupation;
    u.gender = gender;
    return u;
}

Movie movie(std::int64_t id, std::string title, std::vector<int> genres) {
    Movie m;
    m.id = id;
    m.title = std::move(title);
    m.genres = std::move(genres);
    return m;
}

// Four users (the one with id 30 never rates), four movies (one title listed twice, one with
// a trailing space), five ratings at times 1000..1300.
//   timestamps 1000, 1100, 1300, 1200, 1000: mean 1120, deviations -120, -20, 180, 80, -120,
//   population variance 68000 / 5 = 13600.
//   title tokens: "beta" x3, "1990" x3, "alpha" x2, "zeta", "the", "1991" x1 ->
//   "", [UNK], beta, 1990, alpha, zeta, the, 1991 (ties by descending bytes).
Dataset smallDataset() {
    Dataset d;
    d.name = "hand-made";
    d.source = "test";
    d.genreNames = {"Action", "Comedy", "Drama"};
    d.users = {user(10, 25, 17, 1), user(20, 1, 4, 0), user(30, 56, 2, 1), user(5, 18, 17, 1)};
    d.movies = {movie(1, "Alpha Beta (1990)", {0, 2}), movie(2, "beta, The (1991) ", {1}),
                movie(3, "Alpha Beta (1990)", {}), movie(7, "Zeta (1990)", {2})};
    d.ratings = {{0, 0, 4.0f, 1000},
                 {1, 1, 3.0f, 1100},
                 {3, 3, 5.0f, 1300},
                 {0, 2, 1.0f, 1200},
                 {1, 0, 2.0f, 1000}};
    return d;
}

} // namespace

class TestFeaturesFeatureSpace : public QObject {
    Q_OBJECT

private slots:
    void lookupsCoverRatedUsers();
    void timestampLayers();
    void titleLayers();
    void encodeQuery_data();
    void encodeQuery();
    void encodeRating();
    void encodeCatalogue();
    void encodeMoviesUnknownTitle();
    void encodeMoviesRejects();
    void withoutDemographics();
    void rejectsBadDatasets();
};

void TestFeaturesFeatureSpace::lookupsCoverRatedUsers() {
    const FeatureSpace space = FeatureSpace::fit(smallDataset());
    // User 30 never rates: its age 56 and occupation 2 are not in the vocabularies.
    QCOMPARE(toList(space.lookup(FeatureId::Age).vocabulary()), (QList<qint64>{1, 18, 25}));
    QCOMPARE(toList(space.lookup(FeatureId::Occupation).vocabulary()), (QList<qint64>{4, 17}));
    QCOMPARE(toList(space.lookup(FeatureId::Gender).vocabulary()), (QList<qint64>{0, 1}));
    // User ids come from all users, rated or not.
    QCOMPARE(toList(space.lookup(FeatureId::UserId).vocabulary()), (QList<qint64>{5, 10, 20, 30}));
    QCOMPARE(space.genreCount, std::size_t{3});
}

void TestFeaturesFeatureSpace::timestampLayers() {
    const FeatureSpace space = FeatureSpace::fit(smallDataset());
    QCOMPARE(space.minTimestamp, std::int64_t{1000});
    QCOMPARE(space.maxTimestamp, std::int64_t{1300});
    QCOMPARE(space.timestampBuckets.tableRows(), std::size_t{1001});
    QCOMPARE(double{space.timestampBuckets.boundaries().front()}, 1000.0);
    QCOMPARE(double{space.timestampBuckets.boundaries().back()}, 1300.0);
    QCOMPARE(space.timestampNormalizer.mean(), 1120.0);
    QCOMPARE(space.timestampNormalizer.variance(), 13600.0);
}

void TestFeaturesFeatureSpace::titleLayers() {
    const FeatureSpace space = FeatureSpace::fit(smallDataset());
    // Byte order: 'A' (0x41) < 'Z' (0x5A) < 'b' (0x62); the duplicate title appears once.
    const std::vector<std::string> titles{"Alpha Beta (1990)", "Zeta (1990)", "beta, The (1991) "};
    QCOMPARE(space.title.vocabulary(), titles);
    QCOMPARE(space.title.tableRows(), std::size_t{4});
    const std::vector<std::string> tokens{"",      "[UNK]", "beta", "1990",
                                          "alpha", "zeta",  "the",  "1991"};
    QCOMPARE(space.titleTokens.vocabulary(), tokens);
}

void TestFeaturesFeatureSpace::encodeQuery_data() {
    QTest::addColumn<int>("ageBucket");
    QTest::addColumn<int>("occupation");
    QTest::addColumn<int>("gender");
    QTest::addColumn<qint64>("timestamp");
    QTest::addColumn<qint64>("userId");
    QTest::addColumn<QList<int>>("indices"); // age, occupation, gender, userId, bucket
    QTest::addColumn<float>("norm");
    // norm = (t - 1120) / sqrt(13600); buckets over linspace(1000, 1300, 1000).
    QTest::newRow("all known") << 25 << 17 << 1 << qint64{1300} << qint64{10}
                               << QList<int>{3, 2, 2, 2, 1000} << 1.5434872662825796f;
    QTest::newRow("unrated user's values are OOV")
        << 56 << 2 << 0 << qint64{1150} << qint64{30} << QList<int>{0, 0, 1, 4, 500}
        << 0.2572478777137633f;
    QTest::newRow("everything unknown") << 35 << 21 << -1 << qint64{999} << qint64{-1}
                                        << QList<int>{0, 0, 0, 0, 0} << -1.0375664401121785f;
    QTest::newRow("first bucket") << 1 << 4 << 0 << qint64{1000} << qint64{5}
                                  << QList<int>{1, 1, 1, 1, 1} << -1.0289915108550531f;
}

void TestFeaturesFeatureSpace::encodeQuery() {
    QFETCH(int, ageBucket);
    QFETCH(int, occupation);
    QFETCH(int, gender);
    QFETCH(qint64, timestamp);
    QFETCH(qint64, userId);
    QFETCH(QList<int>, indices);
    QFETCH(float, norm);
    const FeatureSpace space = FeatureSpace::fit(smallDataset());
    UserQuery query;
    query.ageBucket = ageBucket;
    query.occupationLabel = occupation;
    query.gender = gender;
    query.timestamp = timestamp;
    query.userId = userId;
    const EncodedQuery e = space.encode(query);
    QCOMPARE((QList<int>{e.id(FeatureId::Age), e.id(FeatureId::Occupation), e.id(FeatureId::Gender),
                         e.id(FeatureId::UserId), e.id(FeatureId::TimestampBucket)}),
             indices);
    QCOMPARE(double{e.value(FeatureId::TimestampNorm)}, double{norm});
}

void TestFeaturesFeatureSpace::encodeRating() {
    const Dataset dataset = smallDataset();
    const FeatureSpace space = FeatureSpace::fit(dataset);
    // Rating 2: user id 5 (age 18, occupation 17, male) at 1300.
    const EncodedQuery e = space.encodeRating(dataset, dataset.ratings[2]);
    QCOMPARE((QList<int>{e.id(FeatureId::Age), e.id(FeatureId::Occupation), e.id(FeatureId::Gender),
                         e.id(FeatureId::UserId), e.id(FeatureId::TimestampBucket)}),
             (QList<int>{2, 2, 2, 1, 1000}));
    QCOMPARE(double{e.value(FeatureId::TimestampNorm)}, double{1.5434872662825796f});
    // Rating 1: user id 20 (age 1, occupation 4, female) at 1100.
    const EncodedQuery f = space.encodeRating(dataset, dataset.ratings[1]);
    QCOMPARE((QList<int>{f.id(FeatureId::Age), f.id(FeatureId::Occupation), f.id(FeatureId::Gender),
                         f.id(FeatureId::UserId)}),
             (QList<int>{1, 1, 1, 3}));

    Rating stray;
    stray.user = 4;
    expectInvalid([&] { space.encodeRating(dataset, stray); }, "user index 4");
}

void TestFeaturesFeatureSpace::encodeCatalogue() {
    const Dataset dataset = smallDataset();
    const FeatureSpace space = FeatureSpace::fit(dataset);
    const EncodedCatalogue c = space.encodeCatalogue(dataset);
    QCOMPARE(toList(c.of(FeatureId::TitleId).ids), (QList<qint64>{1, 3, 1, 2}));
    // alpha 4, beta 2, 1990 3 | beta 2, the 6, 1991 7 | (same as first) | zeta 5, 1990 3.
    QCOMPARE(toList(c.of(FeatureId::TitleText).ids),
             (QList<qint64>{4, 2, 3, 2, 6, 7, 4, 2, 3, 5, 3}));
    QCOMPARE(toList(c.of(FeatureId::TitleText).offsets), (QList<qint64>{0, 3, 6, 9, 11}));
    QCOMPARE(toList(c.of(FeatureId::Genres).ids), (QList<qint64>{1, 3, 2, 3}));
    QCOMPARE(toList(c.of(FeatureId::Genres).offsets), (QList<qint64>{0, 2, 3, 3, 4}));
    QCOMPARE(toList(c.ids(FeatureId::TitleText, 3)), (QList<qint64>{5, 3}));
    QCOMPARE(toList(c.ids(FeatureId::TitleText, 1)), (QList<qint64>{2, 6, 7}));
    QVERIFY(c.ids(FeatureId::Genres, 2).empty());
    QCOMPARE(toList(c.ids(FeatureId::Genres, 0)), (QList<qint64>{1, 3}));
}

void TestFeaturesFeatureSpace::encodeMoviesUnknownTitle() {
    const FeatureSpace space = FeatureSpace::fit(smallDataset());
    const std::vector<std::string> titles{"Omega (2000)", "", "Zeta (1990) "};
    const std::vector<std::vector<int>> genres{{2}, {0, 1, 2}, {}};
    const EncodedCatalogue c = space.encodeMovies(moviesOf(titles, genres));
    // "Zeta (1990) " with a trailing space is not the catalogue's "Zeta (1990)".
    QCOMPARE(toList(c.of(FeatureId::TitleId).ids), (QList<qint64>{0, 0, 0}));
    QCOMPARE(toList(c.of(FeatureId::TitleText).ids), (QList<qint64>{1, 1, 5, 3}));
    QCOMPARE(toList(c.of(FeatureId::TitleText).offsets), (QList<qint64>{0, 2, 2, 4}));
    QCOMPARE(toList(c.of(FeatureId::Genres).ids), (QList<qint64>{3, 1, 2, 3}));
    QCOMPARE(toList(c.of(FeatureId::Genres).offsets), (QList<qint64>{0, 1, 4, 4}));

    const EncodedCatalogue none = space.encodeMovies({});
    QVERIFY(none.of(FeatureId::TitleId).ids.empty());
    QCOMPARE(toList(none.of(FeatureId::TitleText).offsets), (QList<qint64>{0}));
    QCOMPARE(toList(none.of(FeatureId::Genres).offsets), (QList<qint64>{0}));
}

void TestFeaturesFeatureSpace::encodeMoviesRejects() {
    const FeatureSpace space = FeatureSpace::fit(smallDataset());
    const std::vector<std::string> titles{"A (1990)", "B (1991)"};
    expectInvalid(
        [&] {
            space.encodeMovies(moviesOf(titles, {{0}, {3}}));
        },
        "genre index 3 outside 0..2");
    expectInvalid(
        [&] {
            space.encodeMovies(moviesOf(titles, {{-1}, {}}));
        },
        "movie 0 (\"A (1990)\") has genre index -1");
}

void TestFeaturesFeatureSpace::withoutDemographics() {
    Dataset dataset = smallDataset();
    dataset.hasDemographics = false;
    for (User& u : dataset.users) {
        u.ageBucket = -1;
        u.occupationLabel = -1;
        u.gender = -1;
    }
    const FeatureSpace space = FeatureSpace::fit(dataset);
    QVERIFY(space.lookup(FeatureId::Age).vocabulary().empty());
    QVERIFY(space.lookup(FeatureId::Occupation).vocabulary().empty());
    QVERIFY(space.lookup(FeatureId::Gender).vocabulary().empty());
    QCOMPARE(toList(space.lookup(FeatureId::UserId).vocabulary()), (QList<qint64>{5, 10, 20, 30}));
    QCOMPARE(space.title.tableRows(), std::size_t{4});
    const EncodedQuery e = space.encode(UserQuery{});
    QCOMPARE(
        (QList<int>{e.id(FeatureId::Age), e.id(FeatureId::Occupation), e.id(FeatureId::Gender)}),
        (QList<int>{0, 0, 0}));
    const EncodedQuery r = space.encodeRating(dataset, dataset.ratings[0]);
    QCOMPARE((QList<int>{r.id(FeatureId::Age), r.id(FeatureId::Occupation), r.id(FeatureId::Gender),
                         r.id(FeatureId::UserId), r.id(FeatureId::TimestampBucket)}),
             (QList<int>{0, 0, 0, 2, 1}));
}

void TestFeaturesFeatureSpace::rejectsBadDatasets() {
    Dataset noRatings = smallDataset();
    noRatings.ratings.clear();
    expectInvalid([&] { FeatureSpace::fit(noRatings); }, "0 ratings");
    expectInvalid([] { FeatureSpace::fit(Dataset{}); }, "at least one of each");
    Dataset noMovies = smallDataset();
    noMovies.movies.clear();
    noMovies.ratings.clear();
    expectInvalid([&] { FeatureSpace::fit(noMovies); }, "0 movies");

    Dataset strayUser = smallDataset();
    strayUser.ratings[3].user = 9;
    expectInvalid([&] { FeatureSpace::fit(strayUser); }, "user index 9");
    Dataset strayMovie = smallDataset();
    strayMovie.ratings[1].movie = -2;
    expectInvalid([&] { FeatureSpace::fit(strayMovie); }, "movie index -2");

    // Claims demographics but one rated user has no age bucket.
    Dataset missingAge = smallDataset();
    missingAge.users[3].ageBucket = -1;
    expectInvalid([&] { FeatureSpace::fit(missingAge); },
                  "user 5 has no age but the dataset says it knows every user's age");
    Dataset missingGender = smallDataset();
    missingGender.users[0].gender = -1;
    expectInvalid([&] { FeatureSpace::fit(missingGender); }, "user 10 has no gender");
}

QTEST_APPLESS_MAIN(TestFeaturesFeatureSpace)
#include "test_features_feature_space.moc"
