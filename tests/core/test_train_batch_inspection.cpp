// One batch opened up. The row softmax on hand-made logits (every Retrieval option); then the
// trainer's Step one batch on the demo: its logits are the towers' Q Cᵀ recomputed from the
// model before and after the step, its loss is the sum of the rows' losses computed apart from
// the trainer's blocked loss, and stepping batch by batch trains exactly as a whole epoch does.

#include "data/demo_dataset.hpp"
#include "model/model_config.hpp"
#include "model/towers.hpp"
#include "train/batch_inspection.hpp"
#include "train/trainer.hpp"

#include <QtTest>

#include <atomic>
#include <cmath>

using namespace towerlab;

namespace {

const Dataset& demo() {
    static const Dataset d = makeDemoDataset();
    return d;
}

TrainConfig smallRun() {
    TrainConfig t;
    t.epochs = 2;
    t.batchSize = 256;
    t.evalEvery = 0;
    t.seed = 11;
    return t;
}

struct Counter final : ProgressSink {
    int batches = 0;
    int epochs = 0;
    void onBatch(const BatchProgress&) override { ++batches; }
    void onEpoch(const EpochRecord&) override { ++epochs; }
};

// Three examples; movies 5, 7, 5 (columns 0 and 2 hold the same movie).
BatchInspection handMade() {
    BatchInspection b;
    b.movies = {5, 7, 5};
    b.ratings = {10, 11, 12};
    b.logitsBefore.resize(3, 3);
    b.logitsBefore << 2, 1, 0, //
        0, 3, 1,               //
        1, 1, 1;
    b.logitsAfter = b.logitsBefore;
    b.logitsAfter(0, 0) = 3;
    return b;
}

double lse(std::initializer_list<double> values) {
    double sum = 0;
    for (const double v : values) {
        sum += std::exp(v);
    }
    return std::log(sum);
}

RowMatrix product(const RowMatrix& q, const RowMatrix& c) {
    return q * c.transpose();
}

// Q Cᵀ of the inspected batch's examples, from a model's weights by the evaluation's forward
// pass (not the trainer's batch path).
RowMatrix logitsFromModel(const TrainedModel& model, const BatchInspection& batch) {
    std::vector<EncodedQuery> queries;
    for (const std::int32_t r : batch.ratings) {
        queries.push_back(model.features.encodeRating(demo(), demo().ratings[std::size_t(r)]));
    }
    const RowMatrix q = embedQueries(model.config, model.weights, queries);
    const RowMatrix c =
        embedCandidates(model.config, model.weights, model.encodedCatalogue, batch.movies);
    return product(q, c);
}

double maxAbs(const RowMatrix& a) {
    return static_cast<double>(a.cwiseAbs().maxCoeff());
}

} // namespace

class TestBatchInspection : public QObject {
    Q_OBJECT

private slots:
    void plainRowSoftmax() {
        const BatchInspection b = handMade();
        const BatchRowSoftmax row = batchRowSoftmax(b, 0, false);
        QCOMPARE(row.columns, (std::vector<std::int32_t>{0, 1, 2}));
        QVERIFY(row.leftOut.empty());
        const double z = lse({2, 1, 0});
        QVERIFY(std::abs(row.loss - (z - 2)) < 1e-12);
        QVERIFY(std::abs(row.positiveProbability - std::exp(2 - z)) < 1e-12);
        QVERIFY(std::abs(row.probabilities[1] - std::exp(1 - z)) < 1e-12);
        QCOMPARE(row.positiveRank, 1);
        // Row 2: all equal, the positive (column 2) ties; ties list lower columns first.
        const BatchRowSoftmax tied = batchRowSoftmax(b, 2, false);
        QCOMPARE(tied.columns, (std::vector<std::int32_t>{0, 1, 2}));
        QCOMPARE(tied.positiveRank, 1);
        QVERIFY(std::abs(tied.loss - std::log(3.0)) < 1e-12);
        // After: row 0's positive logit went from 2 to 3, so its probability rose.
        QVERIFY(batchRowSoftmax(b, 0, true).positiveProbability > row.positiveProbability);
        const double sum = (z - 2) + (lse({0, 3, 1}) - 3) + std::log(3.0);
        QVERIFY(std::abs(batchLossByRows(b, false) - sum) < 1e-12);
        QVERIFY(std::abs(uniformLoss(b) - 3 * std::log(3.0)) < 1e-12);
        QCOMPARE(duplicateMovieColumns(b), (std::vector<std::int32_t>{0, 2}));

        const BatchOverview o = overviewOf(b);
        QVERIFY(std::abs(o.lossBefore - sum) < 1e-12);
        QVERIFY(std::abs(o.lossAfter - batchLossByRows(b, true)) < 1e-12);
        QVERIFY(o.lossAfter < o.lossBefore);
        QCOMPARE(o.rowsUp, 1); // only row 0 changed
        QCOMPARE(o.distinctMovies, 2);
        QCOMPARE(o.duplicateColumns, 2);
        QCOMPARE(o.minLogit, 0.0);
        QCOMPARE(o.maxLogit, 3.0);
        QVERIFY(std::abs(batchRowLoss(b, 0, false).loss - row.loss) < 1e-12);
    }

    void temperatureAndLogQ() {
        BatchInspection b = handMade();
        b.options.temperature = 0.5;
        b.logProbabilities = {-1.0f, -2.0f, -1.0f};
        QVERIFY(std::abs(adjustedLogit(b, false, 1, 1) - (3 / 0.5 + 2)) < 1e-12);
        const BatchRowSoftmax row = batchRowSoftmax(b, 1, false);
        const double z = lse({0 / 0.5 + 1, 3 / 0.5 + 2, 1 / 0.5 + 1});
        QVERIFY(std::abs(row.loss - (z - 8)) < 1e-12);
        QCOMPARE(row.columns.front(), 1);
    }

    void accidentalHitsLeaveTheRow() {
        BatchInspection b = handMade();
        b.options.removeAccidentalHits = true;
        QVERIFY(isAccidentalHit(b, 0, 2));
        QVERIFY(!isAccidentalHit(b, 0, 0));
        QVERIFY(!isAccidentalHit(b, 1, 0));
        const BatchRowSoftmax row = batchRowSoftmax(b, 0, false);
        QCOMPARE(row.leftOut, (std::vector<std::int32_t>{2}));
        QCOMPARE(row.columns.size(), std::size_t(2));
        QVERIFY(std::abs(row.loss - (lse({2, 1}) - 2)) < 1e-12);
        // Row 1's movie occurs once: nothing leaves it.
        QVERIFY(batchRowSoftmax(b, 1, false).leftOut.empty());
        QVERIFY(std::abs(uniformLoss(b) - (2 * std::log(2.0) + std::log(3.0))) < 1e-12);
    }

    void hardNegativesKeepTheLargest() {
        BatchInspection b = handMade();
        b.options.hardNegatives = 1;
        // Row 2: negatives 0 and 1 tie at 1; top_k keeps the lower column.
        const BatchRowSoftmax row = batchRowSoftmax(b, 2, false);
        QCOMPARE(row.leftOut, (std::vector<std::int32_t>{1}));
        QVERIFY(std::abs(row.loss - std::log(2.0)) < 1e-12);
        // Row 1: column 2 (logit 1) beats column 0 (0).
        QCOMPARE(batchRowSoftmax(b, 1, false).leftOut, (std::vector<std::int32_t>{0}));
        QVERIFY(std::abs(uniformLoss(b) - 3 * std::log(2.0)) < 1e-12);
    }

    // The trainer's inspection against an independent forward pass and loss, for the plain
    // loss and every option.
    void trainerBatchMatchesTheModelAndTheLoss_data() {
        QTest::addColumn<int>("variant");
        QTest::newRow("plain") << 0;
        QTest::newRow("temperature 0.2") << 1;
        QTest::newRow("logQ frequency") << 2;
        QTest::newRow("accidental hits") << 3;
        QTest::newRow("10 hard negatives") << 4;
        QTest::newRow("cosine, streaming logQ") << 5;
    }
    void trainerBatchMatchesTheModelAndTheLoss() {
        QFETCH(int, variant);
        ModelConfig model;
        TrainConfig training = smallRun();
        switch (variant) {
        case 1:
            training.retrieval.temperature = 0.2;
            break;
        case 2:
            training.retrieval.logQ = LogQCorrection::Frequency;
            break;
        case 3:
            training.retrieval.removeAccidentalHits = true;
            break;
        case 4:
            training.retrieval.hardNegatives = 10;
            break;
        case 5:
            model.l2Normalize = true;
            training.retrieval.temperature = 0.1;
            training.retrieval.logQ = LogQCorrection::Streaming;
            break;
        default:
            break;
        }
        Trainer trainer(demo(), model, training);
        Counter sink;
        std::atomic<bool> cancel{false};
        // Into the run a little, so the weights are no longer the initial ones.
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(trainer.stepBatch(sink), TrainOutcome::Completed);
        }
        const auto before = trainer.snapshot();
        BatchInspection batch;
        QCOMPARE(trainer.stepBatch(sink, &batch), TrainOutcome::Completed);
        const auto after = trainer.snapshot();

        QCOMPARE(batch.epoch, 1);
        QCOMPARE(batch.batch, 4);
        QCOMPARE(batch.size(), std::size_t(256));
        QCOMPARE(batch.logitsBefore.rows(), Eigen::Index(256));
        QCOMPARE(batch.l2Normalize, model.l2Normalize);
        QVERIFY(batch.options == training.retrieval);
        QCOMPARE(batch.logProbabilities.empty(), training.retrieval.logQ == LogQCorrection::Off);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            const Rating& r = demo().ratings[std::size_t(batch.ratings[i])];
            QCOMPARE(r.movie, batch.movies[i]);
        }

        const RowMatrix expectBefore = logitsFromModel(*before, batch);
        const RowMatrix expectAfter = logitsFromModel(*after, batch);
        const double scale = std::max(1.0, maxAbs(expectBefore));
        QVERIFY2(maxAbs(batch.logitsBefore - expectBefore) < 1e-4 * scale,
                 qPrintable(QString::number(maxAbs(batch.logitsBefore - expectBefore))));
        QVERIFY2(maxAbs(batch.logitsAfter - expectAfter) < 1e-4 * scale,
                 qPrintable(QString::number(maxAbs(batch.logitsAfter - expectAfter))));
        QVERIFY(maxAbs(batch.logitsAfter - batch.logitsBefore) > 1e-3);

        const double byRows = batchLossByRows(batch, false);
        QVERIFY2(std::abs(byRows - batch.loss) < 1e-4 * std::abs(batch.loss),
                 qPrintable(QString("rows %1, trainer %2").arg(byRows).arg(batch.loss)));
    }

    // A small enough gradient step lowers the loss of the batch it was computed on (Adagrad at
    // the tutorial's 0.1 can overshoot early on, and the view says so when it does).
    void aSmallStepLowersTheBatchLoss_data() {
        QTest::addColumn<int>("hardNegatives");
        QTest::newRow("plain") << 0;
        QTest::newRow("10 hard negatives") << 10;
    }
    void aSmallStepLowersTheBatchLoss() {
        QFETCH(int, hardNegatives);
        TrainConfig training = smallRun();
        training.optimizer = OptimizerKind::Sgd;
        training.learningRate = 1e-3;
        training.retrieval.hardNegatives = hardNegatives;
        training.retrieval.logQ = LogQCorrection::Frequency;
        Trainer trainer(demo(), ModelConfig{}, training);
        Counter sink;
        BatchInspection batch;
        for (int i = 0; i < 3; ++i) {
            trainer.stepBatch(sink, &batch);
            const double before = batchLossByRows(batch, false);
            const double after = batchLossByRows(batch, true);
            QVERIFY2(after < before,
                     qPrintable(QString("after %1, before %2").arg(after).arg(before)));
        }
    }

    void firstBatchStartsNearTheUniformLoss() {
        Trainer trainer(demo(), ModelConfig{}, smallRun());
        Counter sink;
        BatchInspection batch;
        QCOMPARE(trainer.stepBatch(sink, &batch), TrainOutcome::Completed);
        QCOMPARE(batch.batch, 1);
        const double uniform = uniformLoss(batch);
        QVERIFY(std::abs(uniform - 256 * std::log(256.0)) < 1e-9);
        QVERIFY2(std::abs(batch.loss - uniform) < 0.01 * uniform,
                 qPrintable(QString("loss %1, uniform %2").arg(batch.loss).arg(uniform)));
    }

    // Stepping batch by batch is training: the same weights and epoch records as whole epochs.
    void steppingBatchesTrainsAsEpochsDo() {
        Trainer stepped(demo(), ModelConfig{}, smallRun());
        Trainer whole(demo(), ModelConfig{}, smallRun());
        Counter s1, s2;
        std::atomic<bool> cancel{false};
        const int batches = static_cast<int>((stepped.trainExamples() + 255) / 256);
        BatchInspection last;
        for (int i = 0; i < batches; ++i) {
            QCOMPARE(stepped.epochsDone(), 0);
            QCOMPARE(stepped.stepBatch(s1, i % 3 == 0 ? &last : nullptr), TrainOutcome::Completed);
        }
        QCOMPARE(stepped.epochsDone(), 1);
        QCOMPARE(s1.epochs, 1);
        BatchInspection next;
        stepped.stepBatch(s1, &next);
        QCOMPARE(next.epoch, 2);
        QCOMPARE(next.batch, 1);
        QCOMPARE(next.batchesPerEpoch, batches);
        QCOMPARE(whole.runEpoch(s2, cancel), TrainOutcome::Completed);
        QCOMPARE(stepped.history().epochs.front().meanLoss,
                 whole.history().epochs.front().meanLoss);
        QCOMPARE(stepped.stepBatch(s1), TrainOutcome::Completed);
        // Finish epoch 2 both ways: stepping, and the rest of it by runEpoch.
        QCOMPARE(stepped.runEpoch(s1, cancel), TrainOutcome::Completed);
        QCOMPARE(whole.runEpoch(s2, cancel), TrainOutcome::Completed);
        QVERIFY(stepped.finished());
        const auto a = stepped.snapshot();
        const auto b = whole.snapshot();
        QVERIFY(a->weights.queryLayers.front().kernel == b->weights.queryLayers.front().kernel);
        QVERIFY(a->candidateEmbeddings == b->candidateEmbeddings);
        QCOMPARE(stepped.history().batchLosses, whole.history().batchLosses);
        // Nothing left: a step trains nothing.
        const int batchesBefore = s1.batches;
        QCOMPARE(stepped.stepBatch(s1), TrainOutcome::Completed);
        QCOMPARE(s1.batches, batchesBefore);
    }
};

QTEST_APPLESS_MAIN(TestBatchInspection)
#include "test_train_batch_inspection.moc"
