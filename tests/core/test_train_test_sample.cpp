// Sampled evaluation: the sample of test examples is a deterministic, repeat-free subset in the
// examples' order; asking for all of them (or more) is the whole split unchanged; the trainer
// and evaluateModel rank exactly the sampled examples, with the same ranks the whole-split
// evaluation gives them; and the number asked for is validated.

#include "data/demo_dataset.hpp"
#include "model/model_config.hpp"
#include "train/model_evaluation.hpp"
#include "train/test_sample.hpp"
#include "train/trainer.hpp"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <map>
#include <numeric>
#include <set>

using namespace towerlab;

namespace {

// Values unlike their positions, with repeats, so a sample of positions and one of values
// cannot be confused.
std::vector<std::int32_t> examples(std::size_t n) {
    std::vector<std::int32_t> v(n);
    for (std::size_t i = 0; i < n; ++i) {
        v[i] = static_cast<std::int32_t>((i * 7919) % 503);
    }
    return v;
}

const Dataset& demo() {
    static const Dataset d = makeDemoDataset();
    return d;
}

TrainConfig smallRun(int evalQueries) {
    TrainConfig t;
    t.epochs = 2;
    t.batchSize = 512;
    t.evalEvery = 1;
    t.seed = 11;
    t.evalQueries = evalQueries;
    return t;
}

struct Quiet final : ProgressSink {};

} // namespace

class TestTrainTestSample : public QObject {
    Q_OBJECT
private slots:
    void sampleIsASubsetWithoutRepeatsInOrder();
    void sampleIsDeterministicForASeed();
    void wantingAllOrMoreGivesEveryExample_data();
    void wantingAllOrMoreGivesEveryExample();
    void sampleIsSpreadOverTheExamples();
    void trainerRanksTheSampleWithTheWholeSplitsRanks();
    void allEqualsAWholeSplitRequest();
    void evalQueriesIsValidated();
};

void TestTrainTestSample::sampleIsASubsetWithoutRepeatsInOrder() {
    const auto all = examples(5000);
    const auto sample = sampleTestExamples(all, 300, 3);
    QCOMPARE(sample.size(), std::size_t{300});
    // Matched back to positions: each value's occurrences are used at most once, in order.
    std::size_t at = 0;
    for (const std::int32_t v : sample) {
        while (at < all.size() && all[at] != v) {
            ++at;
        }
        QVERIFY2(at < all.size(), "a sampled value is not a later example");
        ++at;
    }
}

void TestTrainTestSample::sampleIsDeterministicForASeed() {
    std::vector<std::int32_t> ids(10000);
    std::iota(ids.begin(), ids.end(), 0);
    const auto a = sampleTestExamples(ids, 1000, 42);
    QCOMPARE(sampleTestExamples(ids, 1000, 42), a);
    QVERIFY(sampleTestExamples(ids, 1000, 43) != a);
    QVERIFY(std::is_sorted(a.begin(), a.end()));
    QCOMPARE(std::set<std::int32_t>(a.begin(), a.end()).size(), a.size()); // no repeats
}

void TestTrainTestSample::wantingAllOrMoreGivesEveryExample_data() {
    QTest::addColumn<int>("wanted");
    QTest::newRow("all (0)") << TrainConfig::kAllTestQueries;
    QTest::newRow("exactly n") << 777;
    QTest::newRow("more than n") << 20000;
}

void TestTrainTestSample::wantingAllOrMoreGivesEveryExample() {
    QFETCH(int, wanted);
    const auto all = examples(777);
    QCOMPARE(sampleTestExamples(all, static_cast<std::size_t>(wanted), 9), all);
}

void TestTrainTestSample::sampleIsSpreadOverTheExamples() {
    // Not a prefix or a stride: over many seeds each tenth of the examples gets about a tenth
    // of the sample.
    std::vector<std::int32_t> ids(1000);
    std::iota(ids.begin(), ids.end(), 0);
    std::array<int, 10> perTenth{};
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        for (const std::int32_t i : sampleTestExamples(ids, 50, seed)) {
            ++perTenth[static_cast<std::size_t>(i / 100)];
        }
    }
    for (const int count : perTenth) { // expected 1000 each; sd about 30
        QVERIFY2(count > 850 && count < 1150, qPrintable(QString::number(count)));
    }
}

void TestTrainTestSample::trainerRanksTheSampleWithTheWholeSplitsRanks() {
    constexpr int kSample = 500;
    Quiet quiet;
    const std::atomic<bool> cancel{false};
    Trainer sampled(demo(), ModelConfig{}, smallRun(kSample));
    QVERIFY(sampled.testExamples() > std::size_t{kSample});
    QCOMPARE(sampled.evaluatedTestExamples(), std::size_t{kSample});
    const TrainReport report = sampled.fit(quiet, cancel);
    const TrainingHistory& h = sampled.history();
    QCOMPARE(h.testExamples, sampled.testExamples());
    QCOMPARE(h.epochs.back().test->examples, std::size_t{kSample});
    QCOMPARE(h.baseline->examples, std::size_t{kSample});

    // The saved model's evaluation ranks the same sample (same seed) with the same ranks, and
    // those are the whole split's ranks of exactly those test ratings.
    const Evaluation part = evaluateModel(*report.model, demo(), 1, false, kSample);
    const Evaluation whole =
        evaluateModel(*report.model, demo(), 1, false, TrainConfig::kAllTestQueries);
    QCOMPARE(part.testExamples, std::size_t{kSample});
    QCOMPARE(part.testSplitExamples, whole.testExamples);
    QCOMPARE(whole.testSplitExamples, whole.testExamples);
    QCOMPARE(part.model.topK, h.epochs.back().test->topK);
    QCOMPARE(part.model.mrr, h.epochs.back().test->mrr);
    std::map<std::int32_t, std::int32_t> rankOfRating;
    for (std::size_t i = 0; i < whole.testRatings.size(); ++i) {
        rankOfRating[whole.testRatings[i]] = whole.modelRanks[i];
    }
    for (std::size_t i = 0; i < part.testRatings.size(); ++i) {
        QCOMPARE(part.modelRanks[i], rankOfRating.at(part.testRatings[i]));
    }
    QCOMPARE(std::set<std::int32_t>(part.testRatings.begin(), part.testRatings.end()).size(),
             part.testRatings.size());
}

void TestTrainTestSample::allEqualsAWholeSplitRequest() {
    // "all" and a number at least the split's size take the same path: identical metrics,
    // to the bit, at every evaluation epoch.
    Quiet quiet;
    const std::atomic<bool> cancel{false};
    Trainer all(demo(), ModelConfig{}, smallRun(TrainConfig::kAllTestQueries));
    const auto n = static_cast<int>(all.testExamples());
    Trainer enough(demo(), ModelConfig{}, smallRun(n));
    QCOMPARE(all.evaluatedTestExamples(), all.testExamples());
    QCOMPARE(enough.evaluatedTestExamples(), all.testExamples());
    all.fit(quiet, cancel);
    enough.fit(quiet, cancel);
    QCOMPARE(all.history().epochs.size(), enough.history().epochs.size());
    for (std::size_t e = 0; e < all.history().epochs.size(); ++e) {
        const RankingMetrics& a = *all.history().epochs[e].test;
        const RankingMetrics& b = *enough.history().epochs[e].test;
        QCOMPARE(a.topK, b.topK);
        QCOMPARE(a.recall, b.recall);
        QCOMPARE(a.ndcg, b.ndcg);
        QCOMPARE(a.mrr, b.mrr);
        QCOMPARE(a.examples, all.testExamples());
    }
}

void TestTrainTestSample::evalQueriesIsValidated() {
    TrainConfig t;
    t.evalQueries = -1;
    try {
        t.validate();
        QFAIL("a negative eval-queries was accepted");
    } catch (const ConfigError& e) {
        QCOMPARE(QString::fromStdString(e.field()), QStringLiteral("eval-queries"));
    }
    QVERIFY_THROWS_EXCEPTION(ConfigError, Trainer(demo(), ModelConfig{}, t));
}

QTEST_APPLESS_MAIN(TestTrainTestSample)
#include "test_train_test_sample.moc"
