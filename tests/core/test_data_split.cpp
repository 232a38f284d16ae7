// splitRatings: the seeded permutation split (TFRS shuffle(seed) + take/skip).

#include "data/split.hpp"
#include "test_support.hpp"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace towerlab;

class TestDataSplit : public QObject {
    Q_OBJECT

private slots:
    void sizes_data();
    void sizes();
    void disjointAndCoversAll();
    void deterministicPerSeed();
    void differsAcrossSeeds();
    void isShuffled();
    void rejectsTooFewRatings_data();
    void rejectsTooFewRatings();
};

void TestDataSplit::sizes_data() {
    QTest::addColumn<qulonglong>("n");
    QTest::addColumn<double>("fraction");
    QTest::addColumn<qulonglong>("train");
    QTest::newRow("TFRS 100K") << 100000ULL << 0.8 << 80000ULL;
    QTest::newRow("rounds down") << 36008ULL << 0.8 << 28806ULL; // 28806.4
    QTest::newRow("half rounds up") << 5ULL << 0.5 << 3ULL;      // 2.5 -> 3
    QTest::newRow("two ratings") << 2ULL << 0.5 << 1ULL;
    QTest::newRow("tiny fraction keeps one train") << 3ULL << 0.1 << 1ULL;
    QTest::newRow("huge fraction keeps one test") << 3ULL << 0.99 << 2ULL;
}

void TestDataSplit::sizes() {
    QFETCH(qulonglong, n);
    QFETCH(double, fraction);
    QFETCH(qulonglong, train);
    const TrainTestSplit split = splitRatings(n, 7, fraction);
    QCOMPARE(static_cast<qulonglong>(split.train.size()), train);
    QCOMPARE(static_cast<qulonglong>(split.test.size()), n - train);
}

void TestDataSplit::disjointAndCoversAll() {
    const std::size_t n = 1001;
    const TrainTestSplit split = splitRatings(n, 123);
    std::vector<int> seen(n, 0);
    for (const std::int32_t i : split.train) {
        QVERIFY(i >= 0 && static_cast<std::size_t>(i) < n);
        ++seen[static_cast<std::size_t>(i)];
    }
    for (const std::int32_t i : split.test) {
        QVERIFY(i >= 0 && static_cast<std::size_t>(i) < n);
        ++seen[static_cast<std::size_t>(i)];
    }
    QVERIFY(std::all_of(seen.begin(), seen.end(), [](int count) { return count == 1; }));
}

void TestDataSplit::deterministicPerSeed() {
    const TrainTestSplit a = splitRatings(5000, 42);
    const TrainTestSplit b = splitRatings(5000, 42);
    QCOMPARE(a.train, b.train);
    QCOMPARE(a.test, b.test);
}

void TestDataSplit::differsAcrossSeeds() {
    const TrainTestSplit a = splitRatings(5000, 42);
    const TrainTestSplit b = splitRatings(5000, 43);
    QVERIFY(a.train != b.train);
    // Not just a rotation: the test parts share only about a fifth of their members.
    std::vector<std::int32_t> x = a.test;
    std::vector<std::int32_t> y = b.test;
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    std::vector<std::int32_t> common;
    std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(common));
    QVERIFY2(common.size() > 100 && common.size() < 300,
             QByteArray::number(qulonglong(common.size())));
}

void TestDataSplit::isShuffled() {
    // The train part is a spread-out sample of 0..n-1, not a prefix.
    const TrainTestSplit split = splitRatings(10000, 1);
    QVERIFY(!std::is_sorted(split.train.begin(), split.train.end()));
    const auto low = std::count_if(split.test.begin(), split.test.end(),
                                   [](std::int32_t i) { return i < 5000; });
    QVERIFY2(low > 900 && low < 1100, QByteArray::number(qlonglong(low)));
}

// A fraction outside (0, 1) is a precondition (asserted): TrainConfig::validate() refuses it
// with a ConfigError before any split, as test_faults_training checks.
void TestDataSplit::rejectsTooFewRatings_data() {
    QTest::addColumn<qulonglong>("n");
    QTest::newRow("no ratings") << 0ULL;
    QTest::newRow("one rating") << 1ULL;
}

void TestDataSplit::rejectsTooFewRatings() {
    QFETCH(qulonglong, n);
    try {
        splitRatings(n, 1, 0.8);
        QFAIL("split fewer than 2 ratings");
    } catch (const DatasetError& e) {
        QVERIFY2(std::string(e.what()).find("cannot be split") != std::string::npos, e.what());
    }
}

QTEST_APPLESS_MAIN(TestDataSplit)
#include "test_data_split.moc"
