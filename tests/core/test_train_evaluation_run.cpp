// An evaluation in chunks (TestEvaluationRun) gives the one-go evaluation's ranks and metrics
// bit for bit however often it is interrupted; the metrics beyond accuracy summed part by part
// equal those of all the lists at once; progress comes after every chunk; and the trainer
// keeps an interrupted evaluation pending: resuming finishes it where it stopped (the same
// history as an uninterrupted run), skipping it records the epoch without test metrics, and
// stepping a batch finishes it first.

#include "data/demo_dataset.hpp"
#include "model/model_config.hpp"
#include "model/trained_model.hpp"
#include "train/batch_inspection.hpp"
#include "train/beyond_accuracy_metrics.hpp"
#include "train/model_evaluation.hpp"
#include "train/ranking_evaluator.hpp"
#include "train/test_evaluator.hpp"
#include "train/trainer.hpp"
#include "util/random.hpp"

#include <QtTest>

#include <atomic>
#include <cstring>
#include <numeric>

using namespace towerlab;

namespace {

// Bit-for-bit equality of doubles, NaN included (diversity at top-1 is NaN).
template <std::size_t N>
bool sameBits(const std::array<double, N>& a, const std::array<double, N>& b) {
    return std::memcmp(a.data(), b.data(), sizeof(double) * N) == 0;
}

bool same(const BeyondAccuracyMetrics& a, const BeyondAccuracyMetrics& b) {
    return sameBits(a.coverage, b.coverage) &&
           sameBits(a.popularityPercentile, b.popularityPercentile) && sameBits(a.gini, b.gini) &&
           sameBits(a.novelty, b.novelty) && sameBits(a.diversity, b.diversity) &&
           a.hasDiversity == b.hasDiversity && a.queries == b.queries;
}

bool same(const RankingMetrics& a, const RankingMetrics& b) {
    return sameBits(a.topK, b.topK) && sameBits(a.ndcg, b.ndcg) && sameBits(a.recall, b.recall) &&
           std::memcmp(&a.mrr, &b.mrr, sizeof(double)) == 0 && a.examples == b.examples;
}

bool same(const std::optional<RankingMetrics>& a, const std::optional<RankingMetrics>& b) {
    return a.has_value() == b.has_value() && (!a || same(*a, *b));
}

bool same(const std::optional<BeyondAccuracyMetrics>& a,
          const std::optional<BeyondAccuracyMetrics>& b) {
    return a.has_value() == b.has_value() && (!a || same(*a, *b));
}

bool sameRecords(const std::vector<EpochRecord>& a, const std::vector<EpochRecord>& b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].epoch != b[i].epoch || a[i].meanLoss != b[i].meanLoss ||
            !same(a[i].test, b[i].test) || !same(a[i].testExcludingSeen, b[i].testExcludingSeen) ||
            !same(a[i].beyond, b[i].beyond)) {
            return false;
        }
    }
    return true;
}

// A catalogue of `movies` with random popularity and genres, and test examples whose queries
// repeat (every `distinct`-th is new), so distinct-query slots straddle chunk boundaries.
struct Fixture {
    std::vector<std::int32_t> titleIds, popularity, trainUsers, trainMovies;
    std::vector<std::vector<int>> genres;
    TestExamples test;
    RowMatrix queries, candidates;

    Fixture(std::size_t examples, std::size_t movies, std::size_t distinct) {
        Random random(7);
        for (std::size_t m = 0; m < movies; ++m) {
            titleIds.push_back(static_cast<std::int32_t>(m));
            popularity.push_back(static_cast<std::int32_t>(random.below(50)));
            genres.push_back({static_cast<int>(m % 5), static_cast<int>((m / 5) % 5)});
        }
        for (std::int32_t u = 0; u < 40; ++u) {
            for (int k = 0; k < 30; ++k) {
                trainUsers.push_back(u);
                trainMovies.push_back(static_cast<std::int32_t>(random.below(movies)));
            }
        }
        constexpr Eigen::Index kDim = 8;
        queries.resize(static_cast<Eigen::Index>(examples), kDim);
        candidates.resize(static_cast<Eigen::Index>(movies), kDim);
        for (Eigen::Index m = 0; m < candidates.rows(); ++m) {
            for (Eigen::Index d = 0; d < kDim; ++d) {
                candidates(m, d) = static_cast<float>(random.normal());
            }
        }
        for (std::size_t i = 0; i < examples; ++i) {
            const std::size_t key = (i * 7919) % distinct;
            EncodedQuery q;
            q.setValue(FeatureId::TimestampNorm, static_cast<float>(key) / 4096.0f);
            test.queries.push_back(q);
            test.positives.push_back(static_cast<std::int32_t>(random.below(movies)));
            test.users.push_back(static_cast<std::int32_t>(i % 40));
            for (Eigen::Index d = 0; d < kDim; ++d) {
                // Equal queries embed alike, as a model's would.
                queries(static_cast<Eigen::Index>(i), d) =
                    std::sin(static_cast<float>(key * 13 + static_cast<std::size_t>(d)));
            }
        }
    }

    TrainingSplitInfo info() const {
        TrainingSplitInfo s;
        s.titleIds = titleIds;
        s.popularity = popularity;
        s.genres = &genres;
        s.genreCount = 5;
        s.trainUsers = trainUsers;
        s.trainMovies = trainMovies;
        return s;
    }
};

// Sets a cancel flag from the sink's evaluation progress, `after` reports into each
// evaluation, and records what it saw.
struct CancellingSink final : ProgressSink {
    std::atomic<bool>* flag = nullptr;
    std::size_t after = 1;
    std::size_t reportsThisEvaluation = 0;
    std::vector<EvaluationProgress> reports;
    std::vector<EpochRecord> epochs;

    void onEvaluation(const EvaluationProgress& p) override {
        reports.push_back(p);
        if (++reportsThisEvaluation == after && flag != nullptr) {
            flag->store(true);
        }
    }
    void onEpoch(const EpochRecord& r) override {
        epochs.push_back(r);
        reportsThisEvaluation = 0;
    }
};

struct Quiet final : ProgressSink {};

const Dataset& demo() {
    static const Dataset d = makeDemoDataset();
    return d;
}

TrainConfig demoRun() {
    TrainConfig t;
    t.epochs = 2;
    t.batchSize = 512;
    t.evalEvery = 1;
    t.seed = 5;
    t.evalQueries = TrainConfig::kAllTestQueries; // 12,000 test examples: three chunks
    t.excludeSeen = true;
    return t;
}

// The demo run trained without interruption, once: what the interrupted ones must equal.
struct Uninterrupted {
    TrainingHistory history;
    std::shared_ptr<const TrainedModel> model;
    std::size_t evaluated = 0;
};

const Uninterrupted& uninterrupted() {
    static const Uninterrupted u = [] {
        Trainer t(demo(), ModelConfig{}, demoRun());
        Quiet quiet;
        const std::atomic<bool> never{false};
        const TrainReport report = t.fit(quiet, never);
        return Uninterrupted{t.history(), report.model, t.evaluatedTestExamples()};
    }();
    return u;
}

} // namespace

class TestTrainEvaluationRun : public QObject {
    Q_OBJECT
private slots:
    void accumulatorEqualsAllListsAtOnce_data() {
        QTest::addColumn<int>("threads");
        QTest::newRow("one thread") << 1;
        QTest::newRow("two threads") << 2;
    }
    void accumulatorEqualsAllListsAtOnce() {
        QFETCH(int, threads);
        const Fixture f(10, 300, 10);
        const CatalogueStatistics stats = catalogueStatistics(f.popularity, f.genres, 5);
        constexpr std::size_t kLength = 100;
        constexpr std::size_t kLists = 1000;
        Random random(3);
        std::vector<std::int32_t> lists;
        std::vector<std::int32_t> movies(300);
        std::iota(movies.begin(), movies.end(), 0);
        for (std::size_t q = 0; q < kLists; ++q) {
            random.shuffle(movies.begin(), movies.end());
            lists.insert(lists.end(), movies.begin(), movies.begin() + kLength);
        }
        const BeyondAccuracyMetrics whole = beyondAccuracy(lists, kLength, stats, threads);
        // Parts that are and are not whole 256-list chunks, an empty one, and the rest.
        BeyondAccuracyAccumulator parts(kLength, stats, threads);
        std::size_t begin = 0;
        for (const std::size_t n : {1, 255, 0, 256, 257, 3}) {
            parts.add(std::span(lists).subspan(begin * kLength, n * kLength));
            begin += n;
        }
        parts.add(std::span(lists).subspan(begin * kLength));
        const BeyondAccuracyMetrics summed = parts.finish();
        QCOMPARE(summed.queries, kLists);
        QVERIFY(same(summed, whole));
        // The check can fail: one list fewer changes the result.
        BeyondAccuracyAccumulator fewer(kLength, stats, threads);
        fewer.add(std::span(lists).first((kLists - 1) * kLength));
        QVERIFY(!same(fewer.finish(), whole));
    }

    void interruptedRunEqualsScoringAllAtOnce() {
        // 10,000 examples: chunks of 4,096, 4,096 and 1,808.
        const Fixture f(10'000, 500, 3'001);
        const TestEvaluator evaluator(f.test, FeatureSet{}, f.info(), true);
        QVERIFY(evaluator.distinctQueries() > 2'000);

        // The reference: every query scored in one call, every list summarised at once.
        std::vector<std::int32_t> slotOf;
        const std::size_t distinct = distinctQuerySlots(f.test.queries, FeatureSet{}, slotOf);
        const CatalogueStatistics stats = catalogueStatistics(f.popularity, f.genres, 5);
        const SeenMovies seen(f.trainUsers, f.trainMovies);
        ScoringRequest request;
        request.seen = &seen;
        request.users = f.test.users;
        request.listSlot = slotOf;
        request.listLength = beyondAccuracyListLength(500);
        request.lists = distinct;
        const ScoringResult all =
            scoreQueries(f.queries, f.candidates, f.test.positives, request, 2);
        const BeyondAccuracyMetrics allBeyond =
            beyondAccuracy(all.topLists, request.listLength, stats, 2);

        for (const int threads : {1, 2}) {
            std::atomic<bool> cancel{false};
            std::vector<EvaluationProgress> reports;
            TestEvaluationRun run(
                evaluator, f.candidates,
                [&](std::size_t begin, std::size_t count) -> RowMatrix {
                    return f.queries.middleRows(static_cast<Eigen::Index>(begin),
                                                static_cast<Eigen::Index>(count));
                },
                threads);
            int stops = 0;
            // Stop after every chunk, as a pause after each would.
            while (!run.advance(&cancel, [&](const EvaluationProgress& p) {
                reports.push_back(p);
                cancel.store(true);
            })) {
                ++stops;
                QVERIFY(!run.done());
                cancel.store(false);
            }
            QCOMPARE(stops, 2);
            QCOMPARE(reports.size(), std::size_t{3});
            QCOMPARE(reports[0].ranked, std::size_t{4096});
            QCOMPARE(reports[1].ranked, std::size_t{8192});
            QCOMPARE(reports[2].ranked, std::size_t{10'000});
            for (const EvaluationProgress& p : reports) {
                QCOMPARE(p.examples, std::size_t{10'000});
                QCOMPARE(p.epoch, 0);
                QVERIFY(p.seconds >= 0.0);
            }
            QVERIFY(reports[2].seconds >= reports[0].seconds);
            const TestEvaluation e = run.result();
            QCOMPARE(e.ranks, all.ranks);
            QCOMPARE(e.ranksExcludingSeen, all.ranksExcludingSeen);
            QVERIFY(same(e.ranking, metricsFromRanks(all.ranks, f.test.users)));
            QVERIFY(same(*e.excludingSeen, metricsFromRanks(all.ranksExcludingSeen, f.test.users)));
            QVERIFY(same(e.beyond, allBeyond));
        }
        // A flag already set stops the run before its first chunk.
        std::atomic<bool> set{true};
        TestEvaluationRun idle(
            evaluator, f.candidates,
            [&](std::size_t begin, std::size_t count) -> RowMatrix {
                return f.queries.middleRows(static_cast<Eigen::Index>(begin),
                                            static_cast<Eigen::Index>(count));
            },
            1);
        QVERIFY(!idle.advance(&set, {}));
        QCOMPARE(idle.ranked(), std::size_t{0});
    }

    void trainerResumesAnInterruptedEvaluationWhereItStopped() {
        const Uninterrupted& straight = uninterrupted();
        QVERIFY(straight.evaluated > 2 * TestEvaluationRun::kChunk);

        Trainer paused(demo(), ModelConfig{}, demoRun());
        std::atomic<bool> cancel{false};
        CancellingSink sink;
        sink.flag = &cancel;
        int cancels = 0;
        while (!paused.finished()) {
            const TrainOutcome outcome = paused.runEpoch(sink, cancel);
            if (outcome == TrainOutcome::Cancelled) {
                ++cancels;
                // Stopped after the first chunk: the epoch waits for its evaluation.
                QVERIFY(paused.evaluationPending());
                QCOMPARE(paused.epochsDone(), cancels - 1);
                QCOMPARE(paused.history().epochs.size(), static_cast<std::size_t>(cancels - 1));
                QCOMPARE(sink.reports.back().ranked, TestEvaluationRun::kChunk);
                QCOMPARE(sink.reports.back().epoch, cancels);
                cancel.store(false);
                sink.reportsThisEvaluation = 2; // let the rest of this evaluation run
            } else {
                QCOMPARE(outcome, TrainOutcome::Completed);
                QVERIFY(!paused.evaluationPending());
            }
        }
        QCOMPARE(cancels, 2);
        // Each evaluation reported every chunk once, whatever the interruption.
        const std::size_t chunks =
            (straight.evaluated + TestEvaluationRun::kChunk - 1) / TestEvaluationRun::kChunk;
        QCOMPARE(sink.reports.size(), 2 * chunks);
        QCOMPARE(sink.reports.back().ranked, straight.evaluated);
        QVERIFY(sameRecords(paused.history().epochs, straight.history.epochs));
        QVERIFY(sameRecords(sink.epochs, straight.history.epochs));
        QVERIFY(paused.history().epochs.back().test.has_value());
        QVERIFY(paused.snapshot()->weights.queryLayers.back().kernel ==
                straight.model->weights.queryLayers.back().kernel);
    }

    void skippingAPendingEvaluationKeepsTheEpochWithoutMetrics() {
        const Uninterrupted& straight = uninterrupted();

        Trainer t(demo(), ModelConfig{}, demoRun());
        std::atomic<bool> cancel{false};
        CancellingSink sink;
        sink.flag = &cancel;
        QCOMPARE(t.runEpoch(sink, cancel), TrainOutcome::Cancelled);
        QVERIFY(t.evaluationPending());
        t.skipPendingEvaluation(sink);
        QVERIFY(!t.evaluationPending());
        QCOMPARE(t.epochsDone(), 1);
        QCOMPARE(sink.epochs.size(), std::size_t{1});
        QVERIFY(!t.history().epochs[0].test.has_value());
        QCOMPARE(t.history().epochs[0].meanLoss, straight.history.epochs[0].meanLoss);
        t.skipPendingEvaluation(sink); // nothing pending: nothing happens
        QCOMPARE(sink.epochs.size(), std::size_t{1});
        // Training goes on; the evaluation never changed the weights, so epoch 2 is the same.
        cancel.store(false);
        sink.flag = nullptr;
        QCOMPARE(t.runEpoch(sink, cancel), TrainOutcome::Completed);
        QVERIFY(t.finished());
        QVERIFY(sameRecords({t.history().epochs[1]}, {straight.history.epochs[1]}));
    }

    void steppingABatchFinishesAPendingEvaluationFirst() {
        const Uninterrupted& straight = uninterrupted();

        Trainer t(demo(), ModelConfig{}, demoRun());
        std::atomic<bool> cancel{false};
        CancellingSink sink;
        sink.flag = &cancel;
        QCOMPARE(t.runEpoch(sink, cancel), TrainOutcome::Cancelled);
        // A step with the flag still set stops the evaluation again and trains nothing.
        BatchInspection untouched;
        QCOMPARE(t.stepBatch(sink, &untouched, &cancel), TrainOutcome::Cancelled);
        QCOMPARE(untouched.epoch, 0);
        QVERIFY(t.evaluationPending());
        cancel.store(false);
        sink.flag = nullptr;
        BatchInspection inspection;
        QCOMPARE(t.stepBatch(sink, &inspection, &cancel), TrainOutcome::Completed);
        QVERIFY(!t.evaluationPending());
        QCOMPARE(t.epochsDone(), 1);
        QVERIFY(sameRecords(t.history().epochs, {straight.history.epochs[0]}));
        QCOMPARE(inspection.epoch, 2);
        QCOMPARE(inspection.batch, 1);
    }

    void evaluateModelReportsEveryChunk() {
        Trainer t(demo(), ModelConfig{}, demoRun());
        Quiet quiet;
        const std::atomic<bool> never{false};
        const TrainReport report = t.fit(quiet, never);
        std::vector<EvaluationProgress> reports;
        const Evaluation withProgress =
            evaluateModel(*report.model, demo(), 2, true, TrainConfig::kAllTestQueries,
                          [&](const EvaluationProgress& p) { reports.push_back(p); });
        const Evaluation without =
            evaluateModel(*report.model, demo(), 1, true, TrainConfig::kAllTestQueries);
        const std::size_t n = withProgress.testExamples;
        QCOMPARE(reports.size(), (n + TestEvaluationRun::kChunk - 1) / TestEvaluationRun::kChunk);
        QCOMPARE(reports.back().ranked, n);
        QCOMPARE(reports.back().examples, n);
        QCOMPARE(withProgress.modelRanks, without.modelRanks);
        QVERIFY(same(withProgress.model, without.model));
        QVERIFY(same(withProgress.modelBeyond, without.modelBeyond));
        // On the training data the evaluation reproduces the history's last test metrics.
        QVERIFY(same(withProgress.model, *t.history().epochs.back().test));
        // So does the trainer's own evaluation on request, reporting as an epoch's does.
        CancellingSink sink;
        const EpochRecord now = t.evaluateNow(&sink);
        QVERIFY(same(*now.test, withProgress.model));
        QCOMPARE(sink.reports.size(), reports.size());
        QCOMPARE(sink.reports.back().epoch, 2);
        QCOMPARE(sink.reports.back().ranked, n);
    }
};

QTEST_GUILESS_MAIN(TestTrainEvaluationRun)
#include "test_train_evaluation_run.moc"
