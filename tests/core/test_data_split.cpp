// splitRatings: the seeded permutation split (TFRS shuffle(seed) + take/skip), and
// splitRatingsByTime: the latest ratings test, ties at the cut in source order.
// (splitForTraining, which picks between them from a TrainConfig: test_model_training_split.)

#include "data/split.hpp"
#include "test_support.hpp"
#include "util/random.hpp"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
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

    void timeSizes_data();
    void timeSizes();
    void timeSplitIsExact();
    void timeTiesAtTheCutFollowSourceOrder();
    void timeSplitNeverLeaks();
    void timeSplitIsDeterministic();
    void timeRejectsTooFewRatings_data();
    void timeRejectsTooFewRatings();
    void kindNames();
};

namespace {

std::vector<std::int32_t> sorted(std::vector<std::int32_t> v) {
    std::sort(v.begin(), v.end());
    return v;
}

} // namespace

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

// The time split has the random split's sizes: round(n * fraction), halves away from zero,
// clamped to 1 .. n - 1.
void TestDataSplit::timeSizes_data() {
    sizes_data();
}

void TestDataSplit::timeSizes() {
    QFETCH(qulonglong, n);
    QFETCH(double, fraction);
    QFETCH(qulonglong, train);
    std::vector<std::int64_t> timestamps(n);
    for (std::size_t i = 0; i < n; ++i) {
        timestamps[i] = static_cast<std::int64_t>((i * 7919) % 1000); // not in order
    }
    const TrainTestSplit split = splitRatingsByTime(timestamps, fraction);
    QCOMPARE(static_cast<qulonglong>(split.train.size()), train);
    QCOMPARE(static_cast<qulonglong>(split.test.size()), n - train);
    QCOMPARE(trainSizeOf(n, fraction), static_cast<std::size_t>(train));
}

// A hand-made case, written out: ten ratings out of time order, 0.8 -> 8 train, 2 test.
void TestDataSplit::timeSplitIsExact() {
    //                                      0    1    2   3    4    5    6   7    8    9
    const std::vector<std::int64_t> ts{500, 100, 900, 50, 700, 300, 950, 10, 600, 200};
    const TrainTestSplit split = splitRatingsByTime(ts, 0.8);
    // In time order: 7 (10), 3 (50), 1 (100), 9 (200), 5 (300), 0 (500), 8 (600), 4 (700) |
    // 2 (900), 6 (950).
    QCOMPARE(split.train, (std::vector<std::int32_t>{7, 3, 1, 9, 5, 0, 8, 4}));
    QCOMPARE(split.test, (std::vector<std::int32_t>{2, 6}));
    // 0.5 of 5 is 2.5 -> 3 train, as the random split rounds.
    const std::vector<std::int64_t> five{40, 30, 20, 10, 0};
    const TrainTestSplit half = splitRatingsByTime(five, 0.5);
    QCOMPARE(half.train, (std::vector<std::int32_t>{4, 3, 2}));
    QCOMPARE(half.test, (std::vector<std::int32_t>{1, 0}));
}

// Equal timestamps keep source order, so a run of equal timestamps at the cut is divided the
// same way everywhere: the earlier ratings in the file train.
void TestDataSplit::timeTiesAtTheCutFollowSourceOrder() {
    //                                      0   1   2   3   4   5   6   7   8   9
    const std::vector<std::int64_t> ts{20, 30, 30, 10, 30, 40, 30, 30, 5, 50};
    // Time order: 8 (5), 3 (10), 0 (20), 1, 2, 4, 6, 7 (30 each, in source order), 5, 9.
    // 0.5 -> 5 train: the cut falls inside the run of 30s after ratings 1 and 2.
    const TrainTestSplit split = splitRatingsByTime(ts, 0.5);
    QCOMPARE(split.train, (std::vector<std::int32_t>{8, 3, 0, 1, 2}));
    QCOMPARE(split.test, (std::vector<std::int32_t>{4, 6, 7, 5, 9}));
    // Every timestamp equal: the first ratings of the file train.
    const std::vector<std::int64_t> same(7, 123);
    const TrainTestSplit all = splitRatingsByTime(same, 0.6); // 4.2 -> 4
    QCOMPARE(all.train, (std::vector<std::int32_t>{0, 1, 2, 3}));
    QCOMPARE(all.test, (std::vector<std::int32_t>{4, 5, 6}));
}

// No future in training: the latest train timestamp is at most the earliest test one, on
// data with many ties, and the two parts cover every rating once.
void TestDataSplit::timeSplitNeverLeaks() {
    Random random(99);
    for (const double fraction : {0.05, 0.3, 0.5, 0.8, 0.95}) {
        std::vector<std::int64_t> ts(2001);
        for (auto& t : ts) {
            t = static_cast<std::int64_t>(random.below(50)) * 86400 - 1000000; // ties
        }
        const TrainTestSplit split = splitRatingsByTime(ts, fraction);
        std::int64_t maxTrain = std::numeric_limits<std::int64_t>::min();
        std::int64_t minTest = std::numeric_limits<std::int64_t>::max();
        for (const auto i : split.train) {
            maxTrain = std::max(maxTrain, ts[static_cast<std::size_t>(i)]);
        }
        for (const auto i : split.test) {
            minTest = std::min(minTest, ts[static_cast<std::size_t>(i)]);
        }
        QVERIFY2(maxTrain <= minTest, qPrintable(QString::number(fraction)));
        std::vector<std::int32_t> all = split.train;
        all.insert(all.end(), split.test.begin(), split.test.end());
        std::vector<std::int32_t> expected(ts.size());
        std::iota(expected.begin(), expected.end(), 0);
        QCOMPARE(sorted(all), expected);
        // Within each part the indices are in time order (ties in source order).
        for (const auto* part : {&split.train, &split.test}) {
            for (std::size_t k = 1; k < part->size(); ++k) {
                const auto a = static_cast<std::size_t>((*part)[k - 1]);
                const auto b = static_cast<std::size_t>((*part)[k]);
                QVERIFY(ts[a] < ts[b] || (ts[a] == ts[b] && a < b));
            }
        }
    }
}

void TestDataSplit::timeSplitIsDeterministic() {
    std::vector<std::int64_t> ts(5000);
    Random random(3);
    for (auto& t : ts) {
        t = static_cast<std::int64_t>(random.below(100));
    }
    const TrainTestSplit a = splitRatingsByTime(ts, 0.8);
    const TrainTestSplit b = splitRatingsByTime(ts, 0.8);
    QCOMPARE(a.train, b.train);
    QCOMPARE(a.test, b.test);
}

void TestDataSplit::timeRejectsTooFewRatings_data() {
    rejectsTooFewRatings_data();
}

void TestDataSplit::timeRejectsTooFewRatings() {
    QFETCH(qulonglong, n);
    const std::vector<std::int64_t> ts(n, 5);
    try {
        splitRatingsByTime(ts, 0.8);
        QFAIL("split fewer than 2 ratings by time");
    } catch (const DatasetError& e) {
        QCOMPARE(std::string(e.what()),
                 "splitRatingsByTime: " + std::to_string(n) +
                     " ratings cannot be split into a train and a test part");
    }
}

void TestDataSplit::kindNames() {
    QCOMPARE(splitKindName(SplitKind::Random), std::string("random"));
    QCOMPARE(splitKindName(SplitKind::Time), std::string("time"));
    QVERIFY(splitKindFromName("time") == SplitKind::Time);
    QVERIFY(splitKindFromName("random") == SplitKind::Random);
    QVERIFY(!splitKindFromName("Time").has_value());
    QVERIFY(!splitKindFromName("").has_value());
}

QTEST_APPLESS_MAIN(TestDataSplit)
#include "test_data_split.moc"
