// The trainer on the built-in demo dataset: it learns, it is reproducible for a seed whatever
// the thread count, it stops within a batch when cancelled and resumes, it ends a diverging
// run with the last good weights, and it refuses bad configurations with the field named.

#include "data/demo_dataset.hpp"
#include "model/model_config.hpp"
#include "model/training_split.hpp"
#include "train/bf16_logits.hpp"
#include "train/model_evaluation.hpp"
#include "train/trainer.hpp"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>

using namespace towerlab;

namespace {

const Dataset& demo() {
    static const Dataset d = makeDemoDataset();
    return d;
}

TrainConfig smallRun(int epochs = 3) {
    TrainConfig t;
    t.epochs = epochs;
    t.batchSize = 512;
    t.evalEvery = 1;
    t.seed = 7;
    return t;
}

struct Recorder final : ProgressSink {
    std::vector<BatchProgress> batches;
    std::vector<EpochRecord> epochs;
    std::atomic<bool>* cancelAt = nullptr;
    int cancelAfterBatches = -1;
    void onBatch(const BatchProgress& p) override {
        batches.push_back(p);
        if (cancelAt != nullptr && static_cast<int>(batches.size()) == cancelAfterBatches) {
            cancelAt->store(true);
        }
    }
    void onEpoch(const EpochRecord& r) override { epochs.push_back(r); }
};

bool sameWeights(const TrainedModel& a, const TrainedModel& b) {
    auto wa = a.weights.tensors();
    auto wb = b.weights.tensors();
    if (wa.size() != wb.size()) {
        return false;
    }
    for (std::size_t i = 0; i < wa.size(); ++i) {
        if (wa[i].matrix != nullptr ? *wa[i].matrix != *wb[i].matrix
                                    : *wa[i].vector != *wb[i].vector) {
            return false;
        }
    }
    return true;
}

} // namespace

class TestTrainer : public QObject {
    Q_OBJECT

private slots:
    void learnsOnTheDemoDataset() {
        Trainer trainer(demo(), ModelConfig{}, smallRun(5));
        Recorder rec;
        std::atomic<bool> cancel{false};
        const TrainReport report = trainer.fit(rec, cancel);
        QCOMPARE(report.outcome, TrainOutcome::Completed);
        QCOMPARE(rec.epochs.size(), std::size_t(5));
        QVERIFY(rec.epochs.back().meanLoss < rec.epochs.front().meanLoss);
        const RankingMetrics& m = *rec.epochs.back().test;
        // Chance top-10 is 10 / catalogue size.
        const double chance = 10.0 / static_cast<double>(demo().movies.size());
        QVERIFY2(m.topK[2] > 3 * chance,
                 qPrintable(QString("top-10 %1, chance %2").arg(m.topK[2]).arg(chance)));
        QVERIFY(m.topK[0] <= m.topK[1] && m.topK[1] <= m.topK[2] && m.topK[2] <= m.topK[3] &&
                m.topK[3] <= m.topK[4]);
        QVERIFY(report.model->history.baseline.has_value());
        QCOMPARE(report.model->epochsTrained, 5);
        QCOMPARE(report.model->candidateEmbeddings.rows(), Eigen::Index(demo().movies.size()));
        // Batch progress: every batch reported, in order, with the right count.
        const int batches = static_cast<int>((trainer.trainExamples() + 511) / 512);
        QCOMPARE(rec.batches.size(), std::size_t(5 * batches));
        QCOMPARE(rec.batches.back().batch, batches);
        QCOMPARE(rec.batches.back().batches, batches);
        QVERIFY(rec.batches.back().examplesPerSecond > 0);
    }

    // Bf16 logits train where the CPU has them; elsewhere, and for a width the kernels cannot
    // take, the run uses fp32 and says why.
    void bf16LogitsTrainOrFallBackWithTheReason() {
        TrainConfig t = smallRun(3);
        t.logits = LogitsPrecision::Bf16;
        {
            ModelConfig narrow;
            narrow.layers = {8};
            Trainer trainer(demo(), narrow, t);
            QCOMPARE(trainer.logitsPrecision(), LogitsPrecision::Fp32);
            QVERIFY(!trainer.logitsNotice().empty());
        }
        Trainer trainer(demo(), ModelConfig{}, t);
        if (!bf16_logits::available(ModelConfig{}.outputDim())) {
            QCOMPARE(trainer.logitsPrecision(), LogitsPrecision::Fp32);
            QCOMPARE(trainer.logitsNotice(),
                     bf16_logits::unavailableReason(ModelConfig{}.outputDim()));
            QSKIP("no AVX-512 BF16 here: the fallback is checked, not the bf16 training");
        }
        QCOMPARE(trainer.logitsPrecision(), LogitsPrecision::Bf16);
        QVERIFY(trainer.logitsNotice().empty());
        Recorder rec;
        std::atomic<bool> cancel{false};
        QCOMPARE(trainer.fit(rec, cancel).outcome, TrainOutcome::Completed);
        QVERIFY(rec.epochs.back().meanLoss < rec.epochs.front().meanLoss);
        // Not the fp32 run: the option reached the loss.
        Trainer fp32(demo(), ModelConfig{}, smallRun(3));
        Recorder fp32Rec;
        fp32.fit(fp32Rec, cancel);
        QVERIFY(fp32Rec.epochs.back().meanLoss != rec.epochs.back().meanLoss);
    }

    void sameSeedSameResultAnyThreadCount() {
        TrainConfig one = smallRun(2);
        one.threads = 1;
        TrainConfig two = smallRun(2);
        two.threads = 2;
        Recorder r1, r2, r3;
        std::atomic<bool> cancel{false};
        Trainer a(demo(), ModelConfig{}, one), b(demo(), ModelConfig{}, two),
            c(demo(), ModelConfig{}, two);
        const auto ma = a.fit(r1, cancel).model;
        const auto mb = b.fit(r2, cancel).model;
        const auto mc = c.fit(r3, cancel).model;
        QVERIFY(sameWeights(*ma, *mb));
        QVERIFY(sameWeights(*mb, *mc));
        QCOMPARE(ma->history.batchLosses, mb->history.batchLosses);
        QCOMPARE(r1.epochs.back().test->topK, r2.epochs.back().test->topK);

        TrainConfig otherSeed = smallRun(2);
        otherSeed.seed = 8;
        Trainer d(demo(), ModelConfig{}, otherSeed);
        Recorder r4;
        QVERIFY(!sameWeights(*ma, *d.fit(r4, cancel).model));
    }

    void cancelStopsWithinOneBatchAndResumes() {
        Trainer trainer(demo(), ModelConfig{}, smallRun(2));
        std::atomic<bool> cancel{false};
        Recorder rec;
        rec.cancelAt = &cancel;
        rec.cancelAfterBatches = 3;
        const TrainReport stopped = trainer.fit(rec, cancel);
        QCOMPARE(stopped.outcome, TrainOutcome::Cancelled);
        QCOMPARE(rec.batches.size(), std::size_t(3));
        QCOMPARE(trainer.epochsDone(), 0);
        QVERIFY(stopped.model != nullptr);
        QVERIFY(stopped.model->candidateEmbeddings.allFinite());

        // Resuming finishes the interrupted epoch and gives the same result as an
        // uninterrupted run.
        cancel = false;
        rec.cancelAt = nullptr;
        const TrainReport resumed = trainer.fit(rec, cancel);
        QCOMPARE(resumed.outcome, TrainOutcome::Completed);
        Trainer straight(demo(), ModelConfig{}, smallRun(2));
        Recorder rec2;
        const TrainReport reference = straight.fit(rec2, cancel);
        QVERIFY(sameWeights(*resumed.model, *reference.model));
        QCOMPARE(rec.batches.size(), rec2.batches.size());
    }

    void divergenceKeepsTheLastGoodWeights() {
        TrainConfig absurd = smallRun(3);
        absurd.learningRate = 1e6;
        absurd.optimizer = OptimizerKind::Sgd;
        Trainer trainer(demo(), ModelConfig{}, absurd);
        Recorder rec;
        std::atomic<bool> cancel{false};
        const TrainReport report = trainer.fit(rec, cancel);
        QCOMPARE(report.outcome, TrainOutcome::Diverged);
        QVERIFY(report.message.find("learning rate") != std::string::npos);
        QVERIFY(trainer.diverged());
        QVERIFY(trainer.finished());
        for (auto& t : report.model->weights.tensors()) {
            QVERIFY(t.matrix != nullptr ? t.matrix->allFinite() : t.vector->allFinite());
        }
        QVERIFY(report.model->candidateEmbeddings.allFinite());
        QCOMPARE(trainer.runEpoch(rec, cancel), TrainOutcome::Diverged);
    }

    void otherOptimizersAndFeatureSetsTrain_data() {
        QTest::addColumn<QString>("optimizer");
        QTest::addColumn<QString>("userFeatures");
        QTest::addColumn<QString>("movieFeatures");
        QTest::addColumn<QVector<int>>("layers");
        QTest::newRow("adam, two layers") << "adam"
                                          << "age,occupation,gender,timestamp_bucket,timestamp_norm"
                                          << "title_id,title_text" << QVector<int>{64, 32};
        QTest::newRow("sgd") << "sgd"
                             << "age,gender"
                             << "title_text" << QVector<int>{16};
        QTest::newRow("user id + genres") << "adagrad"
                                          << "user_id,timestamp_norm"
                                          << "title_id,genres" << QVector<int>{128, 64, 32};
    }

    void otherOptimizersAndFeatureSetsTrain() {
        QFETCH(QString, optimizer);
        QFETCH(QString, userFeatures);
        QFETCH(QString, movieFeatures);
        QFETCH(QVector<int>, layers);
        ModelConfig model;
        model.features.setUserFeatures(userFeatures.toStdString());
        model.features.setMovieFeatures(movieFeatures.toStdString());
        model.layers.assign(layers.begin(), layers.end());
        TrainConfig t = smallRun(3);
        t.optimizer = parseOptimizer(optimizer.toStdString());
        // The loss is summed over the batch, so plain SGD needs a small step.
        t.learningRate = optimizer == "sgd" ? 0.002 : defaultLearningRate(t.optimizer);
        Trainer trainer(demo(), model, t);
        Recorder rec;
        std::atomic<bool> cancel{false};
        const TrainReport report = trainer.fit(rec, cancel);
        QCOMPARE(report.outcome, TrainOutcome::Completed);
        QVERIFY2(rec.epochs.back().meanLoss < rec.epochs.front().meanLoss,
                 qPrintable(QString("%1 -> %2")
                                .arg(rec.epochs.front().meanLoss)
                                .arg(rec.epochs.back().meanLoss)));
        QCOMPARE(report.model->candidateEmbeddings.cols(), Eigen::Index(layers.back()));
    }

    void evaluateModelReproducesTheTrainersMetrics() {
        Trainer trainer(demo(), ModelConfig{}, smallRun(2));
        Recorder rec;
        std::atomic<bool> cancel{false};
        const TrainReport report = trainer.fit(rec, cancel);
        const Evaluation e = evaluateModel(*report.model, demo());
        QVERIFY(e.sameDataset);
        QCOMPARE(e.testExamples, trainer.testExamples());
        QCOMPARE(e.model.topK, rec.epochs.back().test->topK);
        QCOMPARE(e.model.mrr, rec.epochs.back().test->mrr);
        QCOMPARE(e.baseline.topK, report.model->history.baseline->topK);
        // The per-example ranks are what the metrics summarise, one per test rating.
        QCOMPARE(e.modelRanks.size(), e.testExamples);
        QCOMPARE(e.testRatings.size(), e.testExamples);
        QVERIFY(e.modelRanksExcludingSeen.empty());
        for (std::size_t k = 0; k < RankingMetrics::kCutoffs.size(); ++k) {
            const auto hits = std::count_if(e.modelRanks.begin(), e.modelRanks.end(), [&](int r) {
                return r <= RankingMetrics::kCutoffs[k];
            });
            QCOMPARE(static_cast<double>(hits) / static_cast<double>(e.testExamples),
                     e.model.topK[k]);
        }
        const Evaluation seen = evaluateModel(*report.model, demo(), 0, true);
        QCOMPARE(seen.modelRanks, e.modelRanks);
        QCOMPARE(seen.modelRanksExcludingSeen.size(), e.testExamples);
        const auto hits100 =
            std::count_if(seen.modelRanksExcludingSeen.begin(), seen.modelRanksExcludingSeen.end(),
                          [](int r) { return r <= 100; });
        QCOMPARE(static_cast<double>(hits100) / static_cast<double>(e.testExamples),
                 seen.modelExcludingSeen->topK[4]);
    }

    // The time split trains on the earliest ratings only: the catalogue's training popularity
    // counts exactly splitRatingsByTime's training part, the test part is the latest ratings,
    // and evaluateModel, rebuilding the split from the model's config, gives the same numbers.
    void timeSplitTrainsOnTheEarliestRatings() {
        TrainConfig t = smallRun(2);
        t.split = SplitKind::Time;
        Trainer trainer(demo(), ModelConfig{}, t);
        const TrainTestSplit split = splitForTraining(demo(), t);
        QCOMPARE(trainer.trainExamples(), split.train.size());
        QCOMPARE(trainer.testExamples(), split.test.size());
        Recorder rec;
        std::atomic<bool> cancel{false};
        const TrainReport report = trainer.fit(rec, cancel);
        QVERIFY(report.model->training.split == SplitKind::Time);
        std::vector<std::int32_t> popularity(demo().movies.size(), 0);
        std::int64_t lastTrain = std::numeric_limits<std::int64_t>::min();
        for (const auto i : split.train) {
            const Rating& r = demo().ratings[static_cast<std::size_t>(i)];
            ++popularity[static_cast<std::size_t>(r.movie)];
            lastTrain = std::max<std::int64_t>(lastTrain, r.timestamp);
        }
        QCOMPARE(report.model->catalogue.popularity, popularity);
        for (const auto i : split.test) {
            QVERIFY(demo().ratings[static_cast<std::size_t>(i)].timestamp >= lastTrain);
        }
        // Not the random split's model: another training part, so other popularity counts.
        TrainConfig randomConfig = smallRun(2);
        Trainer random(demo(), ModelConfig{}, randomConfig);
        QVERIFY(random.snapshot()->catalogue.popularity != popularity);

        const Evaluation e = evaluateModel(*report.model, demo());
        QCOMPARE(e.testExamples, split.test.size());
        QCOMPARE(e.model.topK, rec.epochs.back().test->topK);
        QCOMPARE(e.baseline.topK, report.model->history.baseline->topK);
    }

    void badConfigurationsAreRefusedWithTheField_data() {
        QTest::addColumn<QString>("field");
        QTest::newRow("batch 0") << "batch";
        QTest::newRow("epochs 0") << "epochs";
        QTest::newRow("negative lr") << "lr";
        QTest::newRow("nan lr") << "lr";
        QTest::newRow("layer size 0") << "layers";
        QTest::newRow("no layers") << "layers";
        QTest::newRow("no user features") << "user-features";
        QTest::newRow("no movie features") << "movie-features";
        QTest::newRow("embedding 0") << "embedding-dim";
        QTest::newRow("eval-every -1") << "eval-every";
    }

    void badConfigurationsAreRefusedWithTheField() {
        QFETCH(QString, field);
        ModelConfig model;
        TrainConfig t = smallRun(1);
        const QString row = QTest::currentDataTag();
        if (row == "batch 0")
            t.batchSize = 0;
        if (row == "epochs 0")
            t.epochs = 0;
        if (row == "negative lr")
            t.learningRate = -1;
        if (row == "nan lr")
            t.learningRate = std::nan("");
        if (row == "layer size 0")
            model.layers = {32, 0};
        if (row == "no layers")
            model.layers = {};
        if (row == "no user features")
            model.features.setUserFeatures("");
        if (row == "no movie features")
            model.features.setMovieFeatures("");
        if (row == "embedding 0")
            model.embeddingDim = 0;
        if (row == "eval-every -1")
            t.evalEvery = -1;
        try {
            Trainer trainer(demo(), model, t);
            QFAIL("accepted a bad configuration");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromStdString(e.field()), field);
            QVERIFY(QString(e.what()).startsWith(field + ":"));
        }
    }

    void featureListsParseAndRefuseUnknownNames() {
        FeatureSet f;
        QCOMPARE(QString::fromStdString(f.userFeatureList()),
                 QString("age,occupation,gender,timestamp_bucket,timestamp_norm"));
        QCOMPARE(QString::fromStdString(f.movieFeatureList()), QString("title_id,title_text"));
        f.setUserFeatures(" user_id , age ");
        QVERIFY(f.has(FeatureId::UserId) && f.has(FeatureId::Age) && !f.has(FeatureId::Gender) &&
                !f.has(FeatureId::TimestampNorm));
        const FeatureSet before = f;
        QVERIFY_THROWS_EXCEPTION(ConfigError, f.setUserFeatures("age,shoe_size"));
        QVERIFY(f == before); // a refused list changes nothing
        QVERIFY_THROWS_EXCEPTION(ConfigError, f.setMovieFeatures("poster"));
        QVERIFY_THROWS_EXCEPTION(ConfigError, parseOptimizer("rmsprop"));
    }
};

QTEST_APPLESS_MAIN(TestTrainer)
#include "test_train_trainer.moc"
