// FeatureSpace fitted on the real MovieLens 100K (skipped when it is absent): the layer sizes
// and ranges the reference model documents. Only aggregate figures appear here; the data is
// not redistributable, so no real rows or titles are copied into the test.

#include "data/movielens_100k.hpp"
#include "features/feature_space.hpp"
#include "test_support.hpp"

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace towerlab;

class TestFeaturesFeatureSpaceRealData : public QObject {
    Q_OBJECT

private slots:
    void titleTokens();
    void titleLookup();
    void trailingSpaceTitles();
    void demographicLookups();
    void timestampLayers();
    void catalogueGenres();
    void tutorialQuery();

private:
    // Loads and fits once; every test function first checks the data is there.
    void prepare(const std::filesystem::path& folder);

    std::unique_ptr<Dataset> m_dataset;
    std::unique_ptr<FeatureSpace> m_space;
};

void TestFeaturesFeatureSpaceRealData::prepare(const std::filesystem::path& folder) {
    if (m_space) {
        return;
    }
    m_dataset = std::make_unique<Dataset>(loadMovieLens100k(folder));
    QElapsedTimer timer;
    timer.start();
    m_space = std::make_unique<FeatureSpace>(FeatureSpace::fit(*m_dataset));
    qInfo("FeatureSpace::fit on %zu ratings, %zu movies: %lld ms", m_dataset->ratings.size(),
          m_dataset->movies.size(), static_cast<long long>(timer.elapsed()));
}

void TestFeaturesFeatureSpaceRealData::titleTokens() {
    TOWERLAB_REQUIRE_ML100K(folder);
    prepare(folder);
    QCOMPARE(m_space->titleTokens.vocabularySize(), std::size_t{2468});

    const EncodedCatalogue catalogue = m_space->encodeCatalogue(*m_dataset);
    QCOMPARE(catalogue.of(FeatureId::TitleText).offsets.size(), m_dataset->movies.size() + 1);
    std::size_t longest = 0;
    for (std::size_t m = 0; m < m_dataset->movies.size(); ++m) {
        const auto tokens = catalogue.ids(FeatureId::TitleText, m);
        longest = std::max(longest, tokens.size());
        QVERIFY2(!tokens.empty(), "every real title has at least one token");
        for (const std::int32_t id : tokens) {
            // Fitted on these very titles: no padding, no OOV, nothing past the vocabulary.
            QVERIFY(id >= 2);
            QVERIFY(static_cast<std::size_t>(id) < m_space->titleTokens.vocabularySize());
        }
    }
    QCOMPARE(longest, std::size_t{16});
}

void TestFeaturesFeatureSpaceRealData::titleLookup() {
    TOWERLAB_REQUIRE_ML100K(folder);
    prepare(folder);
    QCOMPARE(m_dataset->movies.size(), std::size_t{1682});
    QCOMPARE(m_space->title.vocabulary().size(), std::size_t{1664});
    QCOMPARE(m_space->title.tableRows(), std::size_t{1665});
    // Every catalogue row finds its title; rows sharing a title share the id.
    std::set<std::int32_t> ids;
    for (const Movie& movie : m_dataset->movies) {
        const std::int32_t id = m_space->title.index(movie.title);
        QVERIFY(id >= 1);
        QCOMPARE(m_space->title.vocabulary()[static_cast<std::size_t>(id) - 1], movie.title);
        ids.insert(id);
    }
    QCOMPARE(ids.size(), std::size_t{1664});
}

void TestFeaturesFeatureSpaceRealData::trailingSpaceTitles() {
    TOWERLAB_REQUIRE_ML100K(folder);
    prepare(folder);
    std::size_t trailing = 0;
    for (const Movie& movie : m_dataset->movies) {
        if (movie.title.empty() || movie.title.back() != ' ') {
            continue;
        }
        ++trailing;
        QVERIFY2(m_space->title.index(movie.title) != 0, movie.title.c_str());
        // The trimmed spelling is a different key (OOV unless it is also a catalogue title).
        std::string trimmed = movie.title;
        trimmed.erase(trimmed.find_last_not_of(' ') + 1);
        QVERIFY(m_space->title.index(trimmed) != m_space->title.index(movie.title));
    }
    // The reference model notes three such titles in u.item.
    QCOMPARE(trailing, std::size_t{3});
}

void TestFeaturesFeatureSpaceRealData::demographicLookups() {
    TOWERLAB_REQUIRE_ML100K(folder);
    prepare(folder);
    QVERIFY(m_dataset->hasDemographics);
    QCOMPARE(m_space->lookup(FeatureId::Age).vocabulary(),
             (std::vector<std::int64_t>{1, 18, 25, 35, 45, 50, 56}));
    QCOMPARE(m_space->lookup(FeatureId::Age).tableRows(), std::size_t{8});

    std::set<std::int64_t> labels;
    for (const Rating& rating : m_dataset->ratings) {
        labels.insert(m_dataset->users[static_cast<std::size_t>(rating.user)].occupationLabel);
    }
    const std::vector<std::int64_t> expected(labels.begin(), labels.end());
    QCOMPARE(m_space->lookup(FeatureId::Occupation).vocabulary(), expected);
    // 100K's 21 occupation texts map onto 17 of the 22 labels: doctor and healthcare,
    // engineer and technician, marketing and salesman, none and other each share one.
    QCOMPARE(expected.size(), std::size_t{17});

    QCOMPARE(m_space->lookup(FeatureId::Gender).vocabulary(), (std::vector<std::int64_t>{0, 1}));
    QCOMPARE(m_space->lookup(FeatureId::UserId).vocabulary().size(), std::size_t{943});
}

void TestFeaturesFeatureSpaceRealData::timestampLayers() {
    TOWERLAB_REQUIRE_ML100K(folder);
    prepare(folder);
    QCOMPARE(m_space->minTimestamp, std::int64_t{874724710});
    QCOMPARE(m_space->maxTimestamp, std::int64_t{893286638});
    QCOMPARE(m_space->timestampBuckets.tableRows(), std::size_t{1001});

    std::int32_t lowest = 1001;
    std::int32_t highest = -1;
    double sum = 0.0;
    double squares = 0.0;
    for (const Rating& rating : m_dataset->ratings) {
        const EncodedQuery q = m_space->encodeRating(*m_dataset, rating);
        lowest = std::min(lowest, q.id(FeatureId::TimestampBucket));
        highest = std::max(highest, q.id(FeatureId::TimestampBucket));
        sum += q.value(FeatureId::TimestampNorm);
        squares += static_cast<double>(q.value(FeatureId::TimestampNorm)) *
                   q.value(FeatureId::TimestampNorm);
        // Every rating's user is known, so no demographic index is OOV.
        QVERIFY(q.id(FeatureId::Age) > 0 && q.id(FeatureId::Occupation) > 0 &&
                q.id(FeatureId::Gender) > 0 && q.id(FeatureId::UserId) > 0);
    }
    // The earliest rating sits exactly on the first boundary, the latest on the last.
    QCOMPARE(lowest, 1);
    QCOMPARE(highest, 1000);
    // Normalized over the very same timestamps: mean 0 and population variance 1, up to the
    // float32 rounding of each value.
    const double n = static_cast<double>(m_dataset->ratings.size());
    const double mean = sum / n;
    QVERIFY2(std::abs(mean) < 1e-5, qPrintable(QString::number(mean)));
    QVERIFY2(std::abs(squares / n - mean * mean - 1.0) < 1e-5,
             qPrintable(QString::number(squares / n - mean * mean)));
}

void TestFeaturesFeatureSpaceRealData::catalogueGenres() {
    TOWERLAB_REQUIRE_ML100K(folder);
    prepare(folder);
    // u.genre lists 19 genres ("unknown" included), so the genre table has 20 rows.
    QCOMPARE(m_space->genreCount, std::size_t{19});
    const EncodedCatalogue catalogue = m_space->encodeCatalogue(*m_dataset);
    QCOMPARE(catalogue.of(FeatureId::Genres).offsets.size(), std::size_t{1683});
    for (std::size_t m = 0; m < m_dataset->movies.size(); ++m) {
        const auto genres = catalogue.ids(FeatureId::Genres, m);
        QCOMPARE(genres.size(), m_dataset->movies[m].genres.size());
        for (std::size_t k = 0; k < genres.size(); ++k) {
            QCOMPARE(genres[k], m_dataset->movies[m].genres[k] + 1);
            QVERIFY(genres[k] >= 1 && genres[k] <= 19);
        }
    }
}

void TestFeaturesFeatureSpaceRealData::tutorialQuery() {
    TOWERLAB_REQUIRE_ML100K(folder);
    prepare(folder);
    // The tutorial's example: age 25, occupation 17 (student), male, 879024327.
    const EncodedQuery q = m_space->encode(UserQuery{});
    QCOMPARE(q.id(FeatureId::Age), 3); // 1, 18, 25, ...
    QCOMPARE(q.id(FeatureId::Occupation),
             static_cast<std::int32_t>(
                 std::lower_bound(m_space->lookup(FeatureId::Occupation).vocabulary().begin(),
                                  m_space->lookup(FeatureId::Occupation).vocabulary().end(), 17) -
                 m_space->lookup(FeatureId::Occupation).vocabulary().begin()) +
                 1);
    QVERIFY(q.id(FeatureId::Occupation) > 0);
    QCOMPARE(q.id(FeatureId::Gender), 2);
    QCOMPARE(q.id(FeatureId::UserId), 0);
    QVERIFY(q.id(FeatureId::TimestampBucket) > 1 && q.id(FeatureId::TimestampBucket) < 1000);
}

TOWERLAB_REALDATA_APPLESS_MAIN(TestFeaturesFeatureSpaceRealData)
#include "test_features_feature_space_realdata.moc"
