// The documented subsample of t-SNE for large catalogues: which points are embedded, where
// the others are placed, and the sentence that says so.

#include "projection/tsne_subsample.hpp"

#include <QtTest>

#include <atomic>
#include <cmath>
#include <vector>

using namespace towerlab;

class TestProjectionTsneSubsample : public QObject {
    Q_OBJECT

private slots:
    void smallSetsAreEmbeddedWhole() {
        const TsneSubsample all = tsneSubsample(1682, {}, kTsneFullRunLimit);
        QCOMPARE(int(all.embedded.size()), 1682);
        QVERIFY(!all.used());
        QCOMPARE(all.embedded.back(), 1681);
        QVERIFY(tsneSubsampleNote(all, "movies", "most-rated").empty());
        // limit 0 is the full run, whatever the size.
        QCOMPARE(int(tsneSubsample(62000, {}, 0).embedded.size()), 62000);
    }

    void theHeaviestRowsAreEmbeddedTiesToTheLowerRow() {
        const std::vector<double> weights{1, 5, 3, 5, 0, 2, 5, 1, 1, 4};
        const TsneSubsample s = tsneSubsample(10, weights, 4);
        QVERIFY(s.used());
        QVERIFY(s.weighted);
        QCOMPARE(s.embedded, (std::vector<int>{1, 3, 6, 9}));
        QCOMPARE(s.placed, (std::vector<int>{0, 2, 4, 5, 7, 8}));
        QCOMPARE(s.total(), 10L);
        // A tie at the cut: of the three weighing 1, the lowest rows go in first.
        const TsneSubsample cut = tsneSubsample(10, weights, 7);
        QCOMPARE(cut.embedded, (std::vector<int>{0, 1, 2, 3, 5, 6, 9}));
    }

    void withoutWeightsASeededSample() {
        const TsneSubsample a = tsneSubsample(62000, {}, kTsneFullRunLimit, 1);
        QCOMPARE(int(a.embedded.size()), kTsneFullRunLimit);
        QCOMPARE(int(a.placed.size()), 62000 - kTsneFullRunLimit);
        QVERIFY(!a.weighted);
        std::vector<int> all = a.embedded;
        all.insert(all.end(), a.placed.begin(), a.placed.end());
        std::sort(all.begin(), all.end());
        for (int i = 0; i < 62000; ++i) {
            QCOMPARE(all[static_cast<std::size_t>(i)], i); // a partition of the rows
        }
        QVERIFY(a.embedded == tsneSubsample(62000, {}, kTsneFullRunLimit, 1).embedded);
        QVERIFY(a.embedded != tsneSubsample(62000, {}, kTsneFullRunLimit, 2).embedded);
    }

    void badWeights() {
        QVERIFY_THROWS_EXCEPTION(ProjectionError, tsneSubsample(5, {1.0, 2.0}, 2));
        QVERIFY_THROWS_EXCEPTION(ProjectionError, tsneSubsample(3, {1.0, std::nan(""), 2.0}, 2));
    }

    // Points on a line; the embedded ones (rows 0, 2, 4, 6) have a hand-made map. A placed
    // row lands at the median of its nearest embedded rows' positions.
    void placedRowsSitAtTheMedianOfTheirNearestEmbedded() {
        RowMatrix points(7, 2);
        for (int r = 0; r < 7; ++r) {
            points.row(r) << static_cast<float>(r), 0.0f;
        }
        points.row(5) << 6.1f, 0.0f; // nearest embedded: 6, then 4, then 2
        TsneSubsample s;
        s.embedded = {0, 2, 4, 6};
        s.placed = {1, 3, 5};
        RowMatrix map(4, 2);
        map << 0, 0, 10, 1, 20, 4, 30, 9;
        const RowMatrix one = placeSubsample(points, s, map, 1, 2, nullptr);
        QCOMPARE(one.rows(), Eigen::Index(7));
        QCOMPARE(one(2, 0), 10.0f); // embedded rows keep their place
        QCOMPARE(one(6, 1), 9.0f);
        QCOMPARE(one(1, 0), 0.0f); // row 1: rows 0 and 2 tie, the lower wins
        QCOMPARE(one(5, 0), 30.0f);
        const RowMatrix three = placeSubsample(points, s, map, 3, 1, nullptr);
        // Row 5's three nearest embedded: 6 (30, 9), 4 (20, 4), 2 (10, 1): medians 20 and 4.
        QCOMPARE(three(5, 0), 20.0f);
        QCOMPARE(three(5, 1), 4.0f);
        // Row 3: 2 and 4 tie at 1, then 0 and 6 tie at 3 (0 wins): medians of 10, 20, 0 and
        // 1, 4, 0.
        QCOMPARE(three(3, 0), 10.0f);
        QCOMPARE(three(3, 1), 1.0f);
        // Two neighbours: the median is their mean.
        const RowMatrix two = placeSubsample(points, s, map, 2, 1, nullptr);
        QCOMPARE(two(5, 0), 25.0f);
        QCOMPARE(two(5, 1), 6.5f);

        std::atomic<bool> cancel{true};
        QCOMPARE(placeSubsample(points, s, map, 1, 1, &cancel).rows(), Eigen::Index(0));
        QVERIFY_THROWS_EXCEPTION(ProjectionError, placeSubsample(points, s, map, 5, 1, nullptr));
        QVERIFY_THROWS_EXCEPTION(ProjectionError,
                                 placeSubsample(points, s, map.topRows(3), 1, 1, nullptr));
    }

    void theNoteSaysHowManyAndWhy() {
        std::vector<double> weights(62000);
        for (int i = 0; i < 62000; ++i) {
            weights[static_cast<std::size_t>(i)] = 62000 - i;
        }
        const TsneSubsample s = tsneSubsample(62000, weights, kTsneFullRunLimit);
        QCOMPARE(QString::fromStdString(tsneSubsampleNote(s, "movies", "most-rated")),
                 QString("t-SNE mapped the 30,000 most-rated of the 62,000 movies (more than "
                         "30,000 points take over a minute here); the other 32,000 sit at the "
                         "median of their 10 nearest mapped movies."));
        const TsneSubsample r = tsneSubsample(162000, {}, kTsneFullRunLimit);
        QCOMPARE(QString::fromStdString(tsneSubsampleNote(r, "users", "most-active")),
                 QString("t-SNE mapped a random 30,000 of the 162,000 users (more than 30,000 "
                         "points take over a minute here); the other 132,000 sit at the median "
                         "of their 10 nearest mapped users."));
    }
};

QTEST_APPLESS_MAIN(TestProjectionTsneSubsample)
#include "test_projection_tsne_subsample.moc"
