// trustworthiness@k against values worked out by hand (and checked with scikit-learn's
// sklearn.manifold.trustworthiness, which gives the same numbers).

#include "projection/trustworthiness.hpp"

#include "util/random.hpp"

#include <QtTest>

#include <algorithm>
#include <functional>
#include <numeric>
#include <vector>

#include <cmath>
#include <limits>

using namespace towerlab;

Q_DECLARE_METATYPE(towerlab::RowMatrix)

namespace {

RowMatrix column(std::initializer_list<float> values, int columns) {
    RowMatrix m = RowMatrix::Zero(static_cast<Eigen::Index>(values.size()), columns);
    int i = 0;
    for (float v : values) {
        m(i++, 0) = v;
    }
    return m;
}

RowMatrix randomPoints(int n, int d, std::uint64_t seed) {
    Random random(seed);
    RowMatrix m(n, d);
    for (Eigen::Index k = 0; k < m.size(); ++k) {
        m.data()[k] = static_cast<float>(random.normal());
    }
    return m;
}

} // namespace

class TestProjectionTrustworthiness : public QObject {
    Q_OBJECT

private slots:
    void handComputed_data() {
        QTest::addColumn<RowMatrix>("high");
        QTest::addColumn<RowMatrix>("low");
        QTest::addColumn<int>("k");
        QTest::addColumn<double>("expected");
        // High: 0, 1, 3, 7, 15 on a line. Low: 0, 10, 1, 2.5, 11. Each point's 2 nearest in
        // the low map and their ranks in the high space (penalty = rank - 2 when positive):
        //   0: {2 (rank 2), 3 (rank 3)} -> 1     1: {4 (rank 4), 3 (rank 3)} -> 3
        //   2: {0 (rank 2), 3 (rank 3)} -> 1     3: {2 (rank 1), 0 (rank 3)} -> 1
        //   4: {1 (rank 3), 3 (rank 1)} -> 1
        // T = 1 - 2 / (5 * 2 * (10 - 6 - 1)) * 7 = 1 - 14 / 30.
        QTest::newRow("five points, k 2")
            << column({0, 1, 3, 7, 15}, 1) << column({0, 10, 1, 2.5f, 11}, 2) << 2 << 16.0 / 30.0;
        // High 0, 1, 5; low 0, 5, 1: every point's one nearest is its second nearest in the
        // high space, the worst possible: T = 1 - 2 / (3 * 1 * 2) * 3 = 0.
        QTest::newRow("three points, all wrong")
            << column({0, 1, 5}, 1) << column({0, 5, 1}, 2) << 1 << 0.0;
        // High 0, 1, 5 and low 0, 1, 50: every point keeps its nearest neighbour: T = 1.
        QTest::newRow("three points, order kept")
            << column({0, 1, 5}, 1) << column({0, 1, 50}, 2) << 1 << 1.0;
    }

    void handComputed() {
        QFETCH(RowMatrix, high);
        QFETCH(RowMatrix, low);
        QFETCH(int, k);
        QFETCH(double, expected);
        QVERIFY(std::abs(trustworthiness(high, low, k) - expected) < 1e-12);
    }

    void identityAndSimilarityAreFullyTrustworthy() {
        const RowMatrix points = randomPoints(60, 2, 3);
        QCOMPARE(trustworthiness(points, points, 5), 1.0);
        // Rotating, mirroring, scaling and moving keeps every neighbourhood.
        Eigen::Matrix2f r;
        r << 0.6f, 0.8f, 0.8f, -0.6f;
        RowMatrix moved = 3.0f * points * r;
        moved.rowwise() += Eigen::RowVector2f(7.0f, -1.0f);
        QCOMPARE(trustworthiness(points, moved, 10), 1.0);
    }

    void unrelatedMapScoresAsChance() {
        // With the map unrelated to the data, a neighbour's rank is uniform on 1..n-1, so the
        // expected penalty per neighbour is (n-1-k)(n-k) / (2(n-1)) and
        // E[T] = 1 - 2 E[penalty] / (2n - 3k - 1) = 0.758 for n = 400, k = 10.
        const int n = 400, k = 10;
        const double penalty = (n - 1.0 - k) * (n - k) / (2.0 * (n - 1));
        const double expected = 1.0 - 2.0 * penalty / (2.0 * n - 3.0 * k - 1.0);
        const double t = trustworthiness(randomPoints(n, 8, 1), randomPoints(n, 2, 2), k);
        QVERIFY2(std::abs(t - expected) < 0.02,
                 qPrintable(QString("%1, expected about %2").arg(t).arg(expected)));
    }

    void lowerForAWorseMap() {
        RowMatrix high = randomPoints(200, 6, 5);
        const RowMatrix good = high.leftCols(2);
        RowMatrix worse = good + 0.5f * randomPoints(200, 2, 6);
        const double tGood = trustworthiness(high, good, 7);
        const double tWorse = trustworthiness(high, worse, 7);
        QVERIFY2(tGood > tWorse, qPrintable(QString("%1 vs %2").arg(tGood).arg(tWorse)));
    }

    void everyRowIsTheWholeMeasure() {
        const RowMatrix high = randomPoints(120, 6, 3);
        const RowMatrix low = randomPoints(120, 2, 4);
        std::vector<int> all(120);
        std::iota(all.begin(), all.end(), 0);
        QCOMPARE(trustworthiness(high, low, 7, all), trustworthiness(high, low, 7));
    }

    // A sample's estimate is 1 - (its rows' penalties) / m: two halves, weighted by their
    // sizes, add up to the whole measure, and one half alone differs from it.
    void sampledRowsAverageToTheWhole() {
        const RowMatrix high = randomPoints(150, 6, 5);
        const RowMatrix low = randomPoints(150, 2, 6);
        std::vector<int> first, second;
        for (int i = 0; i < 150; ++i) {
            (i % 3 == 0 ? first : second).push_back(i);
        }
        const double whole = trustworthiness(high, low, 5);
        const double a = trustworthiness(high, low, 5, first);
        const double b = trustworthiness(high, low, 5, second);
        QVERIFY(std::abs((50.0 * (1.0 - a) + 100.0 * (1.0 - b)) / 150.0 - (1.0 - whole)) < 1e-12);
        QVERIFY(a != whole);
    }

    void sampleRule() {
        const std::vector<int> all = trustworthinessSample(1500, 2000);
        QCOMPARE(int(all.size()), 1500);
        for (int i = 0; i < 1500; ++i) {
            QCOMPARE(all[static_cast<std::size_t>(i)], i);
        }
        const std::vector<int> some = trustworthinessSample(62000, 2000, 1);
        QCOMPARE(int(some.size()), 2000);
        QVERIFY(std::adjacent_find(some.begin(), some.end(), std::greater_equal<int>()) ==
                some.end()); // strictly ascending, so distinct
        QVERIFY(some.front() >= 0 && some.back() < 62000);
        QVERIFY(some.back() > 50000 && some.front() < 12000); // spread over the whole range
        QVERIFY(some == trustworthinessSample(62000, 2000, 1));
        QVERIFY(some != trustworthinessSample(62000, 2000, 2));
    }

    void badSampleRows() {
        const RowMatrix high = randomPoints(40, 3, 1);
        const RowMatrix low = randomPoints(40, 2, 2);
        QVERIFY_THROWS_EXCEPTION(ProjectionError, trustworthiness(high, low, 3, {}));
        QVERIFY_THROWS_EXCEPTION(ProjectionError, trustworthiness(high, low, 3, {0, 40}));
        QVERIFY_THROWS_EXCEPTION(ProjectionError, trustworthiness(high, low, 3, {-1}));
    }

    void badInput_data() {
        QTest::addColumn<RowMatrix>("high");
        QTest::addColumn<RowMatrix>("low");
        QTest::addColumn<int>("k");
        const RowMatrix ten = randomPoints(10, 3, 1);
        RowMatrix withNan = ten.leftCols(2);
        withNan(4, 1) = std::numeric_limits<float>::quiet_NaN();
        QTest::newRow("row counts differ") << ten << RowMatrix(randomPoints(9, 2, 1)) << 2;
        QTest::newRow("k zero") << ten << RowMatrix(ten.leftCols(2)) << 0;
        QTest::newRow("k = n / 2") << ten << RowMatrix(ten.leftCols(2)) << 5;
        QTest::newRow("NaN") << ten << withNan << 2;
        QTest::newRow("empty") << RowMatrix(0, 3) << RowMatrix(0, 2) << 1;
    }

    void badInput() {
        QFETCH(RowMatrix, high);
        QFETCH(RowMatrix, low);
        QFETCH(int, k);
        QVERIFY_THROWS_EXCEPTION(ProjectionError, trustworthiness(high, low, k));
    }
};

QTEST_APPLESS_MAIN(TestProjectionTrustworthiness)
#include "test_projection_trustworthiness.moc"
