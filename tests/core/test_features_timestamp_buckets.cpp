// TimestampBuckets (Keras Discretization over numpy.linspace boundaries, float32 compares)
// and Normalizer (Keras Normalization), against hand-computed numbers.

#include "features/timestamp_buckets.hpp"

#include <QtTest>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

using towerlab::Normalizer;
using towerlab::TimestampBuckets;

namespace {

template <typename F> void expectInvalid(F&& f, const char* needle) {
    try {
        f();
    } catch (const towerlab::FeatureError& e) {
        QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
        return;
    }
    QFAIL(qPrintable(QStringLiteral("no FeatureError mentioning \"%1\"").arg(needle)));
}

// As doubles, so QCOMPARE is exact for float32 values: its float comparison is fuzzy at 1e-5
// relative, wider than the float32 spacing these tests are about.
QList<double> toDoubles(const std::vector<float>& v) {
    return {v.begin(), v.end()};
}
QList<double> toDoubles(const QList<float>& v) {
    return {v.begin(), v.end()};
}

} // namespace

class TestFeaturesTimestampBuckets : public QObject {
    Q_OBJECT

private slots:
    void linspaceBoundaries_data();
    void linspaceBoundaries();
    void linspaceInDouble();
    void lastBoundaryIsExactlyMax();
    void bucket_data();
    void bucket();
    void float32Rounding_data();
    void float32Rounding();
    void degenerateRanges();
    void rejectsBadFit_data();
    void rejectsBadFit();
    void constructorValidates();
    void unfittedBucketsAreZero();

    void normalizerFit_data();
    void normalizerFit();
    void normalizerApply_data();
    void normalizerApply();
    void normalizerZeroVariance();
    void normalizerRejectsBadInput();
};

void TestFeaturesTimestampBuckets::linspaceBoundaries_data() {
    QTest::addColumn<qint64>("min");
    QTest::addColumn<qint64>("max");
    QTest::addColumn<int>("count");
    QTest::addColumn<QList<float>>("expected");
    QTest::newRow("even steps") << qint64{100} << qint64{200} << 5
                                << QList<float>{100.0f, 125.0f, 150.0f, 175.0f, 200.0f};
    // 10/3 = 3.3333333333333335 and 2 * 10/3 in double, each rounded to float32.
    QTest::newRow("thirds") << qint64{0} << qint64{10} << 4
                            << QList<float>{0.0f, 3.33333325386f, 6.66666650772f, 10.0f};
    QTest::newRow("negative start")
        << qint64{-4} << qint64{4} << 3 << QList<float>{-4.0f, 0.0f, 4.0f};
    // float32 spacing is 64 near 8.8e8: 880000050 -> 880000064, 880000100 -> 880000128.
    QTest::newRow("float32 rounding") << qint64{880000000} << qint64{880000100} << 3
                                      << QList<float>{880000000.0f, 880000064.0f, 880000128.0f};
    QTest::newRow("single boundary") << qint64{3} << qint64{9} << 1 << QList<float>{3.0f};
    QTest::newRow("min equals max")
        << qint64{5} << qint64{5} << 3 << QList<float>{5.0f, 5.0f, 5.0f};
}

void TestFeaturesTimestampBuckets::linspaceBoundaries() {
    QFETCH(qint64, min);
    QFETCH(qint64, max);
    QFETCH(int, count);
    QFETCH(QList<float>, expected);
    const TimestampBuckets buckets = TimestampBuckets::fit(min, max, count);
    QCOMPARE(toDoubles(buckets.boundaries()), toDoubles(expected));
    QCOMPARE(buckets.tableRows(), static_cast<std::size_t>(count) + 1);
}

void TestFeaturesTimestampBuckets::linspaceInDouble() {
    // i * (300 / 999) + 1000 in double, then rounded once to float32. Doing the arithmetic in
    // float32 would give 1023.72375488, 1047.44750977 and 1052.55249023 instead.
    const TimestampBuckets buckets = TimestampBuckets::fit(1000, 1300, 1000);
    QCOMPARE(double{buckets.boundaries()[79]}, double{1023.7236938476562f});
    QCOMPARE(double{buckets.boundaries()[158]}, double{1047.4473876953125f});
    QCOMPARE(double{buckets.boundaries()[175]}, double{1052.5526123046875f});
}

void TestFeaturesTimestampBuckets::lastBoundaryIsExactlyMax() {
    // 21 * ((25165833 + 3) / 21) - 3 = 25165833.000000004 in double, which float32 rounds up
    // to 25165834; numpy sets the last value to max exactly, and float32(25165833) is
    // 25165832 (a tie, to even). Only then does the max timestamp reach the last bucket.
    const TimestampBuckets buckets = TimestampBuckets::fit(-3, 25165833, 22);
    QCOMPARE(double{buckets.boundaries().back()}, 25165832.0);
    QCOMPARE(buckets.bucket(25165833), 22);
}

void TestFeaturesTimestampBuckets::bucket_data() {
    QTest::addColumn<qint64>("timestamp");
    QTest::addColumn<int>("expected");
    // Boundaries 100, 125, 150, 175, 200.
    QTest::newRow("far below min") << qint64{-1000} << 0;
    QTest::newRow("just below min") << qint64{99} << 0;
    QTest::newRow("equal to min") << qint64{100} << 1;
    QTest::newRow("inside first") << qint64{124} << 1;
    QTest::newRow("equal to a boundary") << qint64{125} << 2;
    QTest::newRow("middle") << qint64{160} << 3;
    QTest::newRow("just below max") << qint64{199} << 4;
    QTest::newRow("equal to max") << qint64{200} << 5;
    QTest::newRow("above max") << qint64{201} << 5;
    QTest::newRow("far above max") << qint64{std::numeric_limits<std::int64_t>::max()} << 5;
}

void TestFeaturesTimestampBuckets::bucket() {
    QFETCH(qint64, timestamp);
    QFETCH(int, expected);
    const TimestampBuckets buckets = TimestampBuckets::fit(100, 200, 5);
    QCOMPARE(buckets.bucket(timestamp), expected);
}

void TestFeaturesTimestampBuckets::float32Rounding_data() {
    QTest::addColumn<qint64>("timestamp");
    QTest::addColumn<int>("expected");
    // Boundaries 880000000, 880000064, 880000128 (float32 of 880000000, ..050, ..100).
    QTest::newRow("rounds down to min") << qint64{880000031} << 1;
    // Below the exact boundary 880000050 but rounds up onto the float32 boundary.
    QTest::newRow("rounds up onto boundary") << qint64{880000033} << 2;
    // 880000040 and 880000080 both round to 880000064: the same bucket, as in TensorFlow.
    QTest::newRow("same float a") << qint64{880000040} << 2;
    QTest::newRow("same float b") << qint64{880000080} << 2;
    // Below the exact max 880000100 yet at the last float32 boundary.
    QTest::newRow("reaches max by rounding") << qint64{880000099} << 3;
    QTest::newRow("rounds up to min") << qint64{879999990} << 1;
    QTest::newRow("stays below min") << qint64{879999960} << 0;
}

void TestFeaturesTimestampBuckets::float32Rounding() {
    QFETCH(qint64, timestamp);
    QFETCH(int, expected);
    const TimestampBuckets buckets = TimestampBuckets::fit(880000000, 880000100, 3);
    QCOMPARE(buckets.bucket(timestamp), expected);
}

void TestFeaturesTimestampBuckets::degenerateRanges() {
    const TimestampBuckets flat = TimestampBuckets::fit(5, 5, 3);
    QCOMPARE(flat.bucket(4), 0);
    QCOMPARE(flat.bucket(5), 3);
    QCOMPARE(flat.bucket(6), 3);
    const TimestampBuckets single = TimestampBuckets::fit(3, 9, 1);
    QCOMPARE(single.tableRows(), std::size_t{2});
    QCOMPARE(single.bucket(2), 0);
    QCOMPARE(single.bucket(3), 1);
    QCOMPARE(single.bucket(9), 1);
}

void TestFeaturesTimestampBuckets::rejectsBadFit_data() {
    QTest::addColumn<qint64>("min");
    QTest::addColumn<qint64>("max");
    QTest::addColumn<int>("count");
    QTest::addColumn<QString>("message");
    QTest::newRow("zero count") << qint64{0} << qint64{10} << 0 << "at least 1, got 0";
    QTest::newRow("negative count") << qint64{0} << qint64{10} << -3 << "at least 1, got -3";
    QTest::newRow("min above max") << qint64{11} << qint64{10} << 5 << "min timestamp 11";
}

void TestFeaturesTimestampBuckets::rejectsBadFit() {
    QFETCH(qint64, min);
    QFETCH(qint64, max);
    QFETCH(int, count);
    QFETCH(QString, message);
    expectInvalid([&] { TimestampBuckets::fit(min, max, count); }, qPrintable(message));
}

void TestFeaturesTimestampBuckets::constructorValidates() {
    const TimestampBuckets repeated(std::vector<float>{1.0f, 2.0f, 2.0f, 3.0f});
    QCOMPARE(repeated.bucket(2), 3);
    expectInvalid(
        [] {
            TimestampBuckets(std::vector<float>{1.0f, 3.0f, 2.0f});
        },
        "not ascending at 2");
    expectInvalid(
        [] {
            TimestampBuckets(std::vector<float>{1.0f, std::numeric_limits<float>::quiet_NaN()});
        },
        "boundary 1 is not finite");
    expectInvalid(
        [] { TimestampBuckets(std::vector<float>{std::numeric_limits<float>::infinity()}); },
        "boundary 0 is not finite");
}

void TestFeaturesTimestampBuckets::unfittedBucketsAreZero() {
    const TimestampBuckets none;
    QCOMPARE(none.tableRows(), std::size_t{1});
    QCOMPARE(none.bucket(0), 0);
    QCOMPARE(none.bucket(880000000), 0);
}

void TestFeaturesTimestampBuckets::normalizerFit_data() {
    QTest::addColumn<QList<qint64>>("values");
    QTest::addColumn<double>("mean");
    QTest::addColumn<double>("variance");
    QTest::newRow("small") << QList<qint64>{1, 2, 3, 4} << 2.5 << 1.25;
    QTest::newRow("single") << QList<qint64>{7} << 7.0 << 0.0;
    // Population variance (divide by n): deviations -2, 0, 2 -> 8 / 3. At this magnitude the
    // one-pass E[x^2] - E[x]^2 in double would lose it entirely.
    QTest::newRow("unix seconds") << QList<qint64>{880000000, 880000002, 880000004} << 880000002.0
                                  << 8.0 / 3.0;
    QTest::newRow("negative") << QList<qint64>{-10, 0, 4} << -2.0 << 104.0 / 3.0;
}

void TestFeaturesTimestampBuckets::normalizerFit() {
    QFETCH(QList<qint64>, values);
    QFETCH(double, mean);
    QFETCH(double, variance);
    const Normalizer normalizer =
        Normalizer::fit(std::vector<std::int64_t>(values.begin(), values.end()));
    QCOMPARE(normalizer.mean(), mean);
    QCOMPARE(normalizer.variance(), variance);
}

void TestFeaturesTimestampBuckets::normalizerApply_data() {
    QTest::addColumn<qint64>("value");
    QTest::addColumn<float>("expected");
    // Fitted on 1, 2, 3, 4: mean 2.5, variance 1.25, sqrt 1.118033988749895.
    QTest::newRow("below mean") << qint64{1} << -1.3416407864998738f;
    QTest::newRow("above mean") << qint64{3} << 0.4472135954999579f;
    QTest::newRow("far above") << qint64{1000} << 892.191123022416f;
    QTest::newRow("negative") << qint64{-5} << -6.7082039324993685f;
}

void TestFeaturesTimestampBuckets::normalizerApply() {
    QFETCH(qint64, value);
    QFETCH(float, expected);
    const Normalizer normalizer = Normalizer::fit({1, 2, 3, 4});
    QCOMPARE(double{normalizer.apply(value)}, double{expected});
}

void TestFeaturesTimestampBuckets::normalizerZeroVariance() {
    const Normalizer normalizer = Normalizer::fit({880000000, 880000000});
    QCOMPARE(normalizer.variance(), 0.0);
    QCOMPARE(normalizer.apply(880000000), 0.0f);
    QCOMPARE(normalizer.apply(1), 0.0f);
    const Normalizer timestamps = Normalizer::fit({880000000, 880000002, 880000004});
    // 2 / sqrt(8 / 3) = 1.224744871391589.
    QCOMPARE(double{timestamps.apply(880000004)}, double{1.224744871391589f});
}

void TestFeaturesTimestampBuckets::normalizerRejectsBadInput() {
    expectInvalid([] { Normalizer::fit({}); }, "no values");
    expectInvalid([] { Normalizer(0.0, -1.0); }, "variance must be finite and >= 0");
    expectInvalid([] { Normalizer(0.0, std::nan("")); }, "variance must be finite");
    expectInvalid([] { Normalizer(std::numeric_limits<double>::infinity(), 1.0); },
                  "mean is not finite");
    const Normalizer unfitted;
    QCOMPARE(unfitted.apply(3), 3.0f);
}

QTEST_APPLESS_MAIN(TestFeaturesTimestampBuckets)
#include "test_features_timestamp_buckets.moc"
