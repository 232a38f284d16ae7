// Seed summaries and difference verdicts against values worked out by hand (Student's t
// quantiles from tables), and the bootstrap's reproducibility and coverage.

#include "train/seed_verdict.hpp"

#include <QtTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace towerlab;

class TestTrainSeedVerdict : public QObject {
    Q_OBJECT

private slots:
    void summaryIsMeanAndSampleSd() {
        const std::vector<double> values{1.0, 2.0, 3.0, 4.0};
        const SeedSummary s = summarizeSeeds(values);
        QCOMPARE(s.runs, 4);
        QCOMPARE(s.mean, 2.5);
        QVERIFY(std::abs(s.sd - std::sqrt(5.0 / 3.0)) < 1e-12);
        const std::vector<double> one{0.16};
        QCOMPARE(summarizeSeeds(one).sd, 0.0);
        QVERIFY_THROWS_EXCEPTION(VerdictError, summarizeSeeds(std::vector<double>{}));
        QVERIFY_THROWS_EXCEPTION(VerdictError, summarizeSeeds(std::vector<double>{
                                                   1.0, std::numeric_limits<double>::quiet_NaN()}));
    }

    void threeSeedsTooCloseToCall() {
        // Differences 0.02, 0.01, 0.03: mean 0.02, sd 0.01, t = 3.4641 with 2 degrees of
        // freedom; t(0.975, 2) = 4.302653, so the interval is 0.02 ± 0.024841 and p = 0.07418.
        const std::vector<double> a{0.10, 0.20, 0.30};
        const std::vector<double> b{0.12, 0.21, 0.33};
        const DifferenceVerdict v = pairedSeedVerdict(a, b);
        QCOMPARE(v.pairs, 3);
        QVERIFY(std::abs(v.difference - 0.02) < 1e-12);
        QVERIFY(std::abs(v.low - (0.02 - 0.0248414)) < 1e-6);
        QVERIFY(std::abs(v.high - (0.02 + 0.0248414)) < 1e-6);
        QVERIFY(std::abs(v.pValue - 0.0741799) < 1e-6);
        QCOMPARE(v.kind, VerdictKind::NoDetectableDifference);
        const std::string text = verdictSentence(v, "top-100", "A", "B");
        QVERIFY2(text.rfind("No difference this test can detect: B − A = 0.020 top-100", 0) == 0,
                 text.c_str());
        QVERIFY2(text.find("over 3 seeds (paired t-test, p = 0.074)") != std::string::npos,
                 text.c_str());
    }

    void fiveSeedsGiveAVerdict() {
        // Differences 0.010 0.012 0.011 0.009 0.013: mean 0.011, sd 0.0015811, se 0.00070711;
        // t(0.975, 4) = 2.776445, so 0.011 ± 0.0019632.
        const std::vector<double> a{0.150, 0.160, 0.155, 0.158, 0.149};
        std::vector<double> b(a);
        const double lead[] = {0.010, 0.012, 0.011, 0.009, 0.013};
        for (std::size_t i = 0; i < b.size(); ++i) {
            b[i] += lead[i];
        }
        const DifferenceVerdict v = pairedSeedVerdict(a, b);
        QCOMPARE(v.kind, VerdictKind::SecondBetter);
        QVERIFY(std::abs(v.low - (0.011 - 0.0019632)) < 1e-6);
        QVERIFY(std::abs(v.high - (0.011 + 0.0019632)) < 1e-6);
        QVERIFY(v.pValue < 0.001);
        const std::string text = verdictSentence(v, "top-100", "A", "B");
        QVERIFY2(text == "B is better by 0.011 ± 0.002 top-100 (95% interval 0.009 to 0.013); "
                         "this holds across the 5 seeds (paired t-test, p < 0.001).",
                 text.c_str());
        // The other way round: A wins, and the interval is A's lead.
        const DifferenceVerdict back = pairedSeedVerdict(b, a);
        QCOMPARE(back.kind, VerdictKind::FirstBetter);
        const std::string backText = verdictSentence(back, "top-100", "B", "A");
        QVERIFY2(backText.rfind("B is better by 0.011 ± 0.002 top-100 (95% interval 0.009 to "
                                "0.013)",
                                0) == 0,
                 backText.c_str());
    }

    void degenerateDifferences() {
        const std::vector<double> a{0.1, 0.2, 0.3};
        const DifferenceVerdict same = pairedSeedVerdict(a, a);
        QCOMPARE(same.kind, VerdictKind::NoDetectableDifference);
        QCOMPARE(same.pValue, 1.0);
        QCOMPARE(same.low, 0.0);
        QCOMPARE(same.high, 0.0);
        const std::vector<double> shifted{0.15, 0.25, 0.35};
        const DifferenceVerdict shift = pairedSeedVerdict(a, shifted);
        QCOMPARE(shift.kind, VerdictKind::SecondBetter);
        QVERIFY(std::abs(shift.low - 0.05) < 1e-12 && std::abs(shift.high - 0.05) < 1e-12);
    }

    void refusesWhatCannotBePaired() {
        const std::vector<double> two{0.1, 0.2};
        const std::vector<double> three{0.1, 0.2, 0.3};
        const std::vector<double> one{0.1};
        QVERIFY_THROWS_EXCEPTION(VerdictError, pairedSeedVerdict(two, three));
        QVERIFY_THROWS_EXCEPTION(VerdictError, pairedSeedVerdict(one, one));
        QVERIFY_THROWS_EXCEPTION(VerdictError, pairedBootstrapVerdict(two, two, 50));
        try {
            pairedSeedVerdict(two, three);
        } catch (const VerdictError& e) {
            QCOMPARE(std::string(e.what()),
                     std::string("a paired comparison needs the same seeds for both, got 2 and 3"));
        }
    }

    void bootstrapOverTestExamples() {
        // 1,000 examples; the second model hits 300 more of them: difference 0.3, and the
        // bootstrap's 95% half-width should be near 1.96 * sqrt(0.21 / 1000) = 0.0284.
        std::vector<double> first(1000, 0.0);
        std::vector<double> second(1000, 0.0);
        for (std::size_t i = 0; i < second.size(); i += 10) {
            second[i] = second[i + 1] = second[i + 2] = 1.0;
        }
        const DifferenceVerdict v = pairedBootstrapVerdict(first, second, 2000, 7);
        QCOMPARE(v.method, VerdictMethod::PairedBootstrap);
        QCOMPARE(v.pairs, 1000);
        QVERIFY(std::abs(v.difference - 0.3) < 1e-12);
        QVERIFY(v.low < 0.3 && v.high > 0.3);
        const double half = (v.high - v.low) / 2.0;
        QVERIFY2(half > 0.022 && half < 0.035, QByteArray::number(half));
        QCOMPARE(v.kind, VerdictKind::SecondBetter);
        QCOMPARE(v.pValue, 0.0);
        // Reproducible for a seed.
        const DifferenceVerdict again = pairedBootstrapVerdict(first, second, 2000, 7);
        QCOMPARE(again.low, v.low);
        QCOMPARE(again.high, v.high);
        const std::string text = verdictSentence(v, "top-10", "A", "B");
        QVERIFY2(text.find("over the 1000 test examples of one run each (paired bootstrap, "
                           "p < 0.001)") != std::string::npos,
                 text.c_str());
        // No difference at all.
        const DifferenceVerdict none = pairedBootstrapVerdict(second, second, 500, 7);
        QCOMPARE(none.kind, VerdictKind::NoDetectableDifference);
        QCOMPARE(none.pValue, 1.0);
    }
};

QTEST_APPLESS_MAIN(TestTrainSeedVerdict)
#include "test_train_seed_verdict.moc"
