// summarizeDataset: counts, distributions and per-movie figures on hand-made datasets.

#include "data/dataset_summary.hpp"

#include <QtTest>

#include <stdexcept>

using namespace towerlab;

namespace {

User user(std::int64_t id, int age, int occupation, int gender) {
    User u;
    u.id = id;
    u.rawAge = age;
    u.ageBucket = bucketizeAge(age);
    u.occupationLabel = occupation;
    u.gender = gender;
    return u;
}

Movie movie(std::int64_t id, const std::string& title, std::vector<int> genres) {
    Movie m;
    m.id = id;
    m.title = title;
    m.genres = std::move(genres);
    return m;
}

// Three users, three movies (two share a title), five ratings in 2023-01 .. 2023-03.
Dataset smallDataset() {
    Dataset d;
    d.name = "small";
    d.genreNames = {"unknown", "Drama", "Comedy"};
    d.users = {user(1, 16, 17, 1), user(2, 30, 17, 0), user(3, 60, 13, 1)};
    d.movies = {movie(10, "Paper Moons (2001)", {1}), movie(11, "Glass Tide (1999)", {1, 2}),
                movie(12, "Paper Moons (2001)", {2})};
    const std::uint32_t jan = 1672531200; // 2023-01-01T00:00:00Z
    const std::uint32_t mar = 1677628800; // 2023-03-01T00:00:00Z
    d.ratings = {{0, 0, 5.0f, jan},
                 {0, 1, 3.0f, jan + 86400},
                 {1, 1, 4.0f, mar},
                 {2, 1, 2.5f, mar + 3600},
                 {2, 0, 1.0f, mar + 7200}};
    return d;
}

std::size_t countOf(const std::vector<CountBin>& bins, const std::string& label) {
    for (const CountBin& b : bins) {
        if (b.label == label) {
            return b.count;
        }
    }
    return SIZE_MAX;
}

} // namespace

class TestDatasetSummary : public QObject {
    Q_OBJECT

private slots:
    void countsAndMeans() {
        const DatasetSummary s = summarizeDataset(smallDataset());
        QCOMPARE(s.users, std::size_t{3});
        QCOMPARE(s.movies, std::size_t{3});
        QCOMPARE(s.ratings, std::size_t{5});
        QCOMPARE(s.distinctTitles, std::size_t{2});
        QCOMPARE(s.meanRating, (5.0 + 3.0 + 4.0 + 2.5 + 1.0) / 5.0);
        QCOMPARE(s.movieRatingCounts, (std::vector<std::int32_t>{2, 3, 0}));
        QCOMPARE(s.movieMeanRatings[0], 3.0);
        QCOMPARE(s.movieMeanRatings[1], (3.0 + 4.0 + 2.5) / 3.0);
        QCOMPARE(s.movieMeanRatings[2], 0.0);
    }

    void distributions() {
        const DatasetSummary s = summarizeDataset(smallDataset());
        QCOMPARE(s.ageGroups.size(), std::size_t{7});
        QCOMPARE(countOf(s.ageGroups, "under 18"), std::size_t{1});
        QCOMPARE(countOf(s.ageGroups, "25-34"), std::size_t{1});
        QCOMPARE(countOf(s.ageGroups, "56+"), std::size_t{1});
        QCOMPARE(countOf(s.ageGroups, "45-49"), std::size_t{0});
        QCOMPARE(s.genders.size(), std::size_t{2});
        QCOMPARE(countOf(s.genders, "female"), std::size_t{1});
        QCOMPARE(countOf(s.genders, "male"), std::size_t{2});
        // Largest first, labels from the 22 TFDS names, only occupations that occur.
        QCOMPARE(s.occupations.size(), std::size_t{2});
        QCOMPARE(s.occupations[0].label, std::string("student"));
        QCOMPARE(s.occupations[0].count, std::size_t{2});
        QCOMPARE(s.occupations[1].label, std::string("retired"));
        QCOMPARE(countOf(s.genres, "Drama"), std::size_t{2});
        QCOMPARE(countOf(s.genres, "Comedy"), std::size_t{2});
        QCOMPARE(countOf(s.genres, "unknown"), std::size_t{0});
        // 2.5 stars count as 2.
        QCOMPARE(countOf(s.stars, "1"), std::size_t{1});
        QCOMPARE(countOf(s.stars, "2"), std::size_t{1});
        QCOMPARE(countOf(s.stars, "5"), std::size_t{1});
        // Every user gave fewer than 20 ratings; the empty ranges above are trimmed.
        QCOMPARE(s.ratingsPerUser.size(), std::size_t{1});
        QCOMPARE(s.ratingsPerUser[0].label, std::string("< 20"));
        QCOMPARE(s.ratingsPerUser[0].count, std::size_t{3});
        // February has no ratings but keeps its place on the time axis.
        QCOMPARE(s.ratingsByMonth.size(), std::size_t{3});
        QCOMPARE(s.ratingsByMonth[0].label, std::string("2023-01"));
        QCOMPARE(s.ratingsByMonth[0].count, std::size_t{2});
        QCOMPARE(s.ratingsByMonth[1].label, std::string("2023-02"));
        QCOMPARE(s.ratingsByMonth[1].count, std::size_t{0});
        QCOMPARE(s.ratingsByMonth[2].count, std::size_t{3});
        QCOMPARE(s.firstTimestamp, std::int64_t{1672531200});
    }

    void longSpansAreCountedByYear() {
        Dataset d = smallDataset();
        d.ratings.back().timestamp = 2001196800; // 2033-06-01, over ten years later
        const DatasetSummary s = summarizeDataset(d);
        QCOMPARE(s.ratingsByMonth.front().label, std::string("2023"));
        QCOMPARE(s.ratingsByMonth.size(), std::size_t{11});
        std::size_t total = 0;
        for (const CountBin& b : s.ratingsByMonth) {
            total += b.count;
        }
        QCOMPARE(total, std::size_t{5});
    }

    void noDemographicsMeansNoDemographicCharts() {
        Dataset d = smallDataset();
        d.hasDemographics = false;
        const DatasetSummary s = summarizeDataset(d);
        QVERIFY(s.ageGroups.empty());
        QVERIFY(s.occupations.empty());
        QVERIFY(s.genders.empty());
        QCOMPARE(s.users, std::size_t{3});
    }

    void emptyDataset() {
        const DatasetSummary s = summarizeDataset(Dataset{});
        QCOMPARE(s.ratings, std::size_t{0});
        QCOMPARE(s.meanRating, 0.0);
        QVERIFY(s.ratingsByMonth.empty());
        QVERIFY(s.ratingsPerUser.empty());
    }

    void brokenIndicesAreRefused() {
        Dataset d = smallDataset();
        d.ratings.push_back({7, 0, 3.0f, 1672531200});
        QVERIFY_THROWS_EXCEPTION(DatasetError, summarizeDataset(d));
        try {
            summarizeDataset(d);
        } catch (const DatasetError& e) {
            const std::string expected =
                "rating " + std::to_string(d.ratings.size() - 1) + " names user index 7";
            QVERIFY2(std::string(e.what()).find(expected) != std::string::npos, e.what());
        }
    }

    void ageLabels_data() {
        QTest::addColumn<int>("bucket");
        QTest::addColumn<QString>("label");
        QTest::newRow("1") << 1 << "under 18";
        QTest::newRow("18") << 18 << "18-24";
        QTest::newRow("45") << 45 << "45-49";
        QTest::newRow("56") << 56 << "56+";
        QTest::newRow("other") << 7 << "unknown";
    }
    void ageLabels() {
        QFETCH(int, bucket);
        QFETCH(QString, label);
        QCOMPARE(QString::fromStdString(ageBucketLabel(bucket)), label);
    }
};

QTEST_APPLESS_MAIN(TestDatasetSummary)
#include "test_data_dataset_summary.moc"
