// Training faults beyond tests/core/test_train_trainer.cpp: an absurd learning rate for each
// optimizer ends with a finite model that saves and loads; values past every limit are
// refused with the field named; datasets too small to train on are refused with a reason;
// and cancellation at random moments and at random batches (fixed seeds, many pauses per run)
// always leaves a finite, saveable snapshot from which training resumes to exactly the
// uninterrupted result.

#include "data/demo_dataset.hpp"
#include "io/model_file.hpp"
#include "model/model_config.hpp"
#include "retrieval/retrieval.hpp"
#include "train/trainer.hpp"
#include "util/random.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <thread>

using namespace towerlab;
namespace fs = std::filesystem;

namespace {

// Small enough that a whole run takes well under a second even under ASan.
const Dataset& smallDemo() {
    static const Dataset d = [] {
        DemoDatasetOptions options;
        options.users = 120;
        options.movies = 80;
        options.ratingsPerUser = 30;
        return makeDemoDataset(options);
    }();
    return d;
}

ModelConfig smallModel() {
    ModelConfig m;
    m.embeddingDim = 8;
    m.layers = {16, 8};
    return m;
}

TrainConfig smallRun(int epochs) {
    TrainConfig t;
    t.epochs = epochs;
    t.batchSize = 128;
    t.evalEvery = 0;
    t.seed = 11;
    t.threads = 1;
    return t;
}

struct CancelAfter final : ProgressSink {
    std::atomic<bool>* flag = nullptr;
    int afterBatches = -1;
    int batches = 0;
    void onBatch(const BatchProgress&) override {
        if (++batches == afterBatches && flag != nullptr) {
            flag->store(true);
        }
    }
};

std::vector<TwoTowerWeights::ConstNamedTensor> tensorsOf(const TrainedModel& model) {
    return model.weights.tensors();
}

bool allWeightsFinite(const TrainedModel& model) {
    for (const auto& t : tensorsOf(model)) {
        if (!(t.matrix != nullptr ? t.matrix->allFinite() : t.vector->allFinite())) {
            return false;
        }
    }
    return true;
}

bool sameWeights(const TrainedModel& a, const TrainedModel& b) {
    const auto wa = tensorsOf(a);
    const auto wb = tensorsOf(b);
    if (wa.size() != wb.size()) {
        return false;
    }
    for (std::size_t i = 0; i < wa.size(); ++i) {
        const bool same = wa[i].matrix != nullptr ? *wa[i].matrix == *wb[i].matrix
                                                  : *wa[i].vector == *wb[i].vector;
        if (!same) {
            return false;
        }
    }
    return true;
}

// The promise every way of stopping keeps: finite weights and embeddings, answers with finite
// scores, and a file that loads back to the same weights.
void checkUsableModel(const TrainedModel& model, const fs::path& file) {
    QVERIFY(allWeightsFinite(model));
    QVERIFY(model.candidateEmbeddings.allFinite());
    QCOMPARE(model.candidateEmbeddings.rows(), Eigen::Index(model.catalogue.size()));
    const auto top = recommend(model, UserQuery{}, 5);
    QCOMPARE(top.size(), std::size_t(5));
    for (const ScoredMovie& s : top) {
        QVERIFY(std::isfinite(s.score));
    }
    try {
        saveModel(model, file);
    } catch (const std::exception& e) {
        QFAIL(qPrintable(QString("the model cannot be saved: %1").arg(e.what())));
    }
    const auto loaded = loadModel(file);
    QVERIFY(sameWeights(model, *loaded));
    QCOMPARE(loaded->epochsTrained, model.epochsTrained);
}

// One configuration past a limit and the field its refusal must name.
struct PastLimit {
    const char* tag;
    const char* field;
    void (*apply)(ModelConfig&, TrainConfig&);
};
const std::vector<PastLimit> kPastLimits = {
    {"lr 1e7", "lr", [](ModelConfig&, TrainConfig& t) { t.learningRate = 1e7; }},
    {"lr 0", "lr", [](ModelConfig&, TrainConfig& t) { t.learningRate = 0.0; }},
    {"lr infinite", "lr",
     [](ModelConfig&, TrainConfig& t) {
         t.learningRate = std::numeric_limits<double>::infinity();
     }},
    {"batch 65537", "batch", [](ModelConfig&, TrainConfig& t) { t.batchSize = 65537; }},
    {"batch -1", "batch", [](ModelConfig&, TrainConfig& t) { t.batchSize = -1; }},
    {"epochs 100001", "epochs", [](ModelConfig&, TrainConfig& t) { t.epochs = 100001; }},
    {"epochs -5", "epochs", [](ModelConfig&, TrainConfig& t) { t.epochs = -5; }},
    {"embedding 1025", "embedding-dim",
     [](ModelConfig& m, TrainConfig&) { m.embeddingDim = 1025; }},
    {"embedding max int", "embedding-dim",
     [](ModelConfig& m, TrainConfig&) { m.embeddingDim = std::numeric_limits<int>::max(); }},
    {"embedding -1", "embedding-dim", [](ModelConfig& m, TrainConfig&) { m.embeddingDim = -1; }},
    {"layer 4097", "layers", [](ModelConfig& m, TrainConfig&) { m.layers = {4097}; }},
    {"layer -3", "layers",
     [](ModelConfig& m, TrainConfig&) {
         m.layers = {8, -3};
     }},
    {"nine layers", "layers", [](ModelConfig& m, TrainConfig&) { m.layers.assign(9, 4); }},
    {"train fraction 0", "train-fraction",
     [](ModelConfig&, TrainConfig& t) { t.trainFraction = 0; }},
    {"train fraction 1", "train-fraction",
     [](ModelConfig&, TrainConfig& t) { t.trainFraction = 1; }},
    {"train fraction nan", "train-fraction",
     [](ModelConfig&, TrainConfig& t) { t.trainFraction = std::nan(""); }},
    {"threads -1", "threads", [](ModelConfig&, TrainConfig& t) { t.threads = -1; }},
    {"threads 257", "threads", [](ModelConfig&, TrainConfig& t) { t.threads = 257; }},
    {"no features at all", "user-features",
     [](ModelConfig& m, TrainConfig&) {
         m.features.setUserFeatures("");
         m.features.setMovieFeatures("");
     }},
};

void expectRefused(const Dataset& data, const ModelConfig& model, const TrainConfig& training,
                   const QString& field) {
    try {
        Trainer trainer(data, model, training);
        QFAIL("accepted a bad configuration");
    } catch (const ConfigError& e) {
        QCOMPARE(QString::fromStdString(e.field()), field);
        QVERIFY2(QString(e.what()).startsWith(field + ": "), e.what());
        // A reason follows the field name.
        QVERIFY2(QString(e.what()).size() > field.size() + 10, e.what());
    }
}

} // namespace

class TestFaultsTraining : public QObject {
    Q_OBJECT

private slots:
    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void hugeLearningRateKeepsAUsableModel_data() {
        QTest::addColumn<QString>("optimizer");
        QTest::newRow("adagrad") << "adagrad";
        QTest::newRow("adam") << "adam";
        QTest::newRow("sgd") << "sgd";
    }

    // 1e6 is the largest rate validation accepts; whatever the optimizer makes of it, the run
    // ends as completed or diverged, never with NaN weights or an unsaveable model.
    void hugeLearningRateKeepsAUsableModel() {
        QFETCH(QString, optimizer);
        TrainConfig t = smallRun(3);
        t.optimizer = parseOptimizer(optimizer.toStdString());
        t.learningRate = 1e6;
        Trainer trainer(smallDemo(), smallModel(), t);
        ProgressSink quiet;
        std::atomic<bool> cancel{false};
        const TrainReport report = trainer.fit(quiet, cancel);
        QVERIFY2(report.outcome == TrainOutcome::Completed ||
                     report.outcome == TrainOutcome::Diverged,
                 qPrintable(QString::fromStdString(outcomeName(report.outcome))));
        if (report.outcome == TrainOutcome::Diverged) {
            QVERIFY(trainer.diverged());
            QVERIFY2(report.message.find("learning rate 1e+06") != std::string::npos,
                     report.message.c_str());
            QVERIFY2(report.message.find("last finite batch are kept") != std::string::npos,
                     report.message.c_str());
        }
        qInfo("%s at learning rate 1e6: %s after %zu batches%s%s", qPrintable(optimizer),
              outcomeName(report.outcome).c_str(), report.model->history.batchLosses.size(),
              report.message.empty() ? "" : "; ", report.message.c_str());
        QVERIFY(report.model != nullptr);
        checkUsableModel(*report.model, fs::path(m_dir->filePath("lr.tlm").toStdString()));
        for (const float loss : report.model->history.batchLosses) {
            QVERIFY(std::isfinite(loss));
        }
    }

    void valuesPastEveryLimitAreRefused_data() {
        QTest::addColumn<int>("index");
        for (std::size_t i = 0; i < kPastLimits.size(); ++i) {
            QTest::newRow(kPastLimits[i].tag) << static_cast<int>(i);
        }
    }

    void valuesPastEveryLimitAreRefused() {
        QFETCH(int, index);
        const PastLimit& row = kPastLimits[static_cast<std::size_t>(index)];
        ModelConfig m = smallModel();
        TrainConfig t = smallRun(1);
        row.apply(m, t);
        expectRefused(smallDemo(), m, t, row.field);
    }

    // The largest values validation accepts still train (one batch is enough to show it).
    void largestAcceptedSizesTrain() {
        ModelConfig m;
        m.embeddingDim = 1024;
        m.layers = {64};
        TrainConfig t = smallRun(1);
        t.batchSize = 65536; // more than the dataset: one batch per epoch
        Trainer trainer(smallDemo(), m, t);
        ProgressSink quiet;
        std::atomic<bool> cancel{false};
        const TrainReport report = trainer.fit(quiet, cancel);
        QCOMPARE(report.outcome, TrainOutcome::Completed);
        QCOMPARE(report.model->history.batchLosses.size(), std::size_t(1));
        QVERIFY(allWeightsFinite(*report.model));
        QVERIFY(report.model->candidateEmbeddings.allFinite());
    }

    // Batch 1: the in-batch softmax has a single candidate, so the loss is 0 and nothing moves;
    // that must stay finite rather than divide by zero somewhere.
    void batchOfOneStaysFinite() {
        TrainConfig t = smallRun(1);
        t.batchSize = 1;
        Trainer trainer(smallDemo(), smallModel(), t);
        std::atomic<bool> cancel{false};
        CancelAfter sink;
        sink.flag = &cancel;
        sink.afterBatches = 40;
        const TrainReport report = trainer.fit(sink, cancel);
        QCOMPARE(report.outcome, TrainOutcome::Cancelled);
        QCOMPARE(report.model->history.batchLosses.size(), std::size_t(40));
        for (const float loss : report.model->history.batchLosses) {
            QVERIFY(std::isfinite(loss));
        }
        QVERIFY(allWeightsFinite(*report.model));
    }

    void datasetsTooSmallAreRefusedWithAReason_data() {
        QTest::addColumn<int>("ratings");
        QTest::addColumn<QString>("reason");
        QTest::newRow("no ratings") << 0 << "at least 2 ratings";
        QTest::newRow("one rating") << 1 << "at least 2 ratings";
    }

    void datasetsTooSmallAreRefusedWithAReason() {
        QFETCH(int, ratings);
        QFETCH(QString, reason);
        Dataset data = smallDemo();
        data.ratings.resize(static_cast<std::size_t>(ratings));
        try {
            Trainer trainer(data, smallModel(), smallRun(1));
            QFAIL("trained on a dataset too small to split");
        } catch (const ConfigError& e) {
            QVERIFY2(QString(e.what()).contains(reason), e.what());
        }
    }

    // Two ratings are the least that splits (one to train on, one to test); that trains.
    void twoRatingsAreEnough() {
        Dataset data = smallDemo();
        data.ratings.resize(2);
        Trainer trainer(data, smallModel(), smallRun(2));
        QCOMPARE(trainer.trainExamples(), std::size_t(1));
        QCOMPARE(trainer.testExamples(), std::size_t(1));
        ProgressSink quiet;
        std::atomic<bool> cancel{false};
        const TrainReport report = trainer.fit(quiet, cancel);
        QCOMPARE(report.outcome, TrainOutcome::Completed);
        checkUsableModel(*report.model, fs::path(m_dir->filePath("two.tlm").toStdString()));
    }

    void featuresTheDatasetLacksAreRefused() {
        Dataset data = smallDemo();
        data.hasDemographics = false;
        expectRefused(data, smallModel(), smallRun(1), "user-features");
        // Without demographics a model of ids and time still trains.
        ModelConfig ids = smallModel();
        ids.features.setUserFeatures("user_id,timestamp_norm");
        Trainer trainer(data, ids, smallRun(1));
        ProgressSink quiet;
        std::atomic<bool> cancel{false};
        QCOMPARE(trainer.fit(quiet, cancel).outcome, TrainOutcome::Completed);
    }

    // A pause requested as an epoch ends lands before the next epoch's first batch, after
    // that epoch's shuffle: resuming must reuse that order, not draw another one.
    void cancelAtAnEpochBoundaryResumesExactly() {
        ProgressSink quiet;
        std::atomic<bool> never{false};
        Trainer straight(smallDemo(), smallModel(), smallRun(3));
        const TrainReport reference = straight.fit(quiet, never);

        struct CancelAtEpochEnd final : ProgressSink {
            std::atomic<bool>* flag = nullptr;
            void onEpoch(const EpochRecord& record) override {
                if (record.epoch == 1) {
                    flag->store(true);
                }
            }
        };
        Trainer trainer(smallDemo(), smallModel(), smallRun(3));
        std::atomic<bool> cancel{false};
        CancelAtEpochEnd sink;
        sink.flag = &cancel;
        const TrainReport paused = trainer.fit(sink, cancel);
        QCOMPARE(paused.outcome, TrainOutcome::Cancelled);
        QCOMPARE(trainer.epochsDone(), 1);
        cancel = false;
        sink.flag = &never;
        const TrainReport resumed = trainer.fit(sink, cancel);
        QCOMPARE(resumed.outcome, TrainOutcome::Completed);
        QVERIFY(sameWeights(*resumed.model, *reference.model));
        QCOMPARE(resumed.model->history.batchLosses, reference.model->history.batchLosses);
    }

    // The same run paused again and again at random batches (fixed seed; one to five pauses
    // per trial, anywhere in three evaluated epochs, so also on an epoch's last batch just
    // before its evaluation) and resumed each time: every pause leaves a model that answers
    // queries and saves, and the resumed run ends bit-identical to an uninterrupted one in
    // weights, batch losses, epoch losses and test metrics.
    void repeatedPausesAtRandomBatchesResumeExactly() {
        TrainConfig config = smallRun(3);
        config.evalEvery = 1;
        ProgressSink quiet;
        std::atomic<bool> never{false};
        Trainer straight(smallDemo(), smallModel(), config);
        const TrainReport reference = straight.fit(quiet, never);
        QCOMPARE(reference.outcome, TrainOutcome::Completed);
        const auto totalBatches = static_cast<int>(reference.model->history.batchLosses.size());
        QVERIFY(totalBatches > 30);

        // Pauses when the run's batch count reaches the next planned point.
        struct PauseAt final : ProgressSink {
            std::atomic<bool>* flag = nullptr;
            std::vector<int> points; // ascending batch counts
            std::size_t next = 0;
            int batches = 0;
            void onBatch(const BatchProgress&) override {
                ++batches;
                if (next < points.size() && batches == points[next]) {
                    ++next;
                    flag->store(true);
                }
            }
        };

        Random random(20261128);
        constexpr int kTrials = 10;
        int pauses = 0;
        for (int trial = 0; trial < kTrials; ++trial) {
            std::atomic<bool> cancel{false};
            PauseAt sink;
            sink.flag = &cancel;
            const int count = 1 + static_cast<int>(random.next() % 5);
            for (int i = 0; i < count; ++i) {
                sink.points.push_back(1 + static_cast<int>(random.next() % (totalBatches - 1)));
            }
            std::sort(sink.points.begin(), sink.points.end());
            sink.points.erase(std::unique(sink.points.begin(), sink.points.end()),
                              sink.points.end());

            Trainer trainer(smallDemo(), smallModel(), config);
            TrainReport report = trainer.fit(sink, cancel);
            int resumes = 0;
            while (report.outcome == TrainOutcome::Cancelled) {
                const QString where = QString("trial %1, pause %2 after batch %3")
                                          .arg(trial)
                                          .arg(resumes)
                                          .arg(sink.batches);
                QCOMPARE(report.model->history.batchLosses.size(),
                         static_cast<std::size_t>(sink.batches));
                checkUsableModel(
                    *report.model,
                    fs::path(m_dir->filePath(QString("pause-%1-%2.tlm").arg(trial).arg(resumes))
                                 .toStdString()));
                if (QTest::currentTestFailed()) {
                    qWarning("%s", qPrintable(where));
                    return;
                }
                cancel = false;
                report = trainer.fit(sink, cancel);
                ++resumes;
                QVERIFY2(resumes <= static_cast<int>(sink.points.size()), qPrintable(where));
            }
            pauses += resumes;
            QCOMPARE(report.outcome, TrainOutcome::Completed);
            QCOMPARE(resumes, static_cast<int>(sink.points.size()));
            const TrainingHistory& got = report.model->history;
            const TrainingHistory& want = reference.model->history;
            QVERIFY(sameWeights(*report.model, *reference.model));
            QCOMPARE(got.batchLosses, want.batchLosses);
            QCOMPARE(got.epochs.size(), want.epochs.size());
            for (std::size_t e = 0; e < want.epochs.size(); ++e) {
                QCOMPARE(got.epochs[e].meanLoss, want.epochs[e].meanLoss);
                QVERIFY(got.epochs[e].test.has_value() && want.epochs[e].test.has_value());
                QCOMPARE(got.epochs[e].test->topK, want.epochs[e].test->topK);
                QCOMPARE(got.epochs[e].test->mrr, want.epochs[e].test->mrr);
            }
        }
        qInfo("%d trials, %d pauses at random batches, each resumed to the uninterrupted result",
              kTrials, pauses);
    }

    // A cancel flag set from another thread after a random delay (fixed seed, delays spread
    // over the length of a whole run): every stop leaves a finite snapshot that saves and
    // loads, and resuming reaches exactly the weights of an uninterrupted run.
    void cancellationAtRandomMomentsLeavesAUsableModel() {
        const int epochs = 2;
        ProgressSink quiet;
        std::atomic<bool> never{false};
        Trainer straight(smallDemo(), smallModel(), smallRun(epochs));
        const auto started = std::chrono::steady_clock::now();
        const TrainReport reference = straight.fit(quiet, never);
        const double fitMicros =
            static_cast<double>(std::chrono::duration_cast<std::chrono::microseconds>(
                                    std::chrono::steady_clock::now() - started)
                                    .count());
        QCOMPARE(reference.outcome, TrainOutcome::Completed);

        Random random(20240607);
        constexpr int kTrials = 12;
        const auto totalBatches = static_cast<int>(reference.model->history.batchLosses.size());
        QVERIFY(totalBatches >= 4);
        int cancelled = 0;
        int sureCancels = 0; // trials whose cancel lands before the run's last batch for sure
        for (int trial = 0; trial < kTrials; ++trial) {
            // Trial 0 cancels before the first batch. Odd trials cancel from another thread
            // after a random time inside the run's length (any moment, as a user does; on a
            // loaded machine some land after the end). Even trials cancel from the progress
            // sink after a random batch, so enough trials are sure to stop mid-run whatever
            // the machine's speed.
            const bool timed = trial % 2 == 1;
            const auto delay = timed ? static_cast<std::int64_t>(random.uniformDouble() * fitMicros)
                                     : std::int64_t{0};
            const int afterBatches =
                trial == 0 || timed
                    ? -1
                    : 1 + static_cast<int>(random.uniformDouble() * (totalBatches - 2));
            std::atomic<bool> cancel{trial == 0};
            CancelAfter sink;
            sink.flag = &cancel;
            sink.afterBatches = afterBatches;
            sureCancels += timed ? 0 : 1;
            Trainer trainer(smallDemo(), smallModel(), smallRun(epochs));
            std::thread canceller([&cancel, delay, timed] {
                if (timed) {
                    std::this_thread::sleep_for(std::chrono::microseconds(delay));
                    cancel.store(true);
                }
            });
            const TrainReport stopped = trainer.fit(sink, cancel);
            canceller.join();
            const QString where = QString("trial %1, delay %2 us, after batch %3")
                                      .arg(trial)
                                      .arg(delay)
                                      .arg(afterBatches);
            QVERIFY2(stopped.outcome == TrainOutcome::Cancelled ||
                         stopped.outcome == TrainOutcome::Completed,
                     qPrintable(where));
            QVERIFY2(stopped.model != nullptr, qPrintable(where));
            QCOMPARE(stopped.model->epochsTrained, trainer.epochsDone());
            checkUsableModel(
                *stopped.model,
                fs::path(m_dir->filePath(QString("cancel-%1.tlm").arg(trial)).toStdString()));
            if (QTest::currentTestFailed()) {
                qWarning("%s", qPrintable(where));
                return;
            }
            if (stopped.outcome == TrainOutcome::Cancelled) {
                ++cancelled;
                QVERIFY2(!trainer.finished(), qPrintable(where));
                cancel = false;
                const TrainReport resumed = trainer.fit(quiet, cancel);
                QCOMPARE(resumed.outcome, TrainOutcome::Completed);
                QCOMPARE(resumed.model->epochsTrained, epochs);
                QVERIFY2(sameWeights(*resumed.model, *reference.model), qPrintable(where));
                QCOMPARE(resumed.model->history.batchLosses, reference.model->history.batchLosses);
            } else {
                QVERIFY2(sameWeights(*stopped.model, *reference.model), qPrintable(where));
            }
        }
        // Trial 0 and the batch-counted trials always cancel; the timed ones usually do.
        QVERIFY2(cancelled >= sureCancels,
                 qPrintable(QString("%1 cancelled, %2 sure").arg(cancelled).arg(sureCancels)));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_APPLESS_MAIN(TestFaultsTraining)
#include "test_faults_training.moc"
