// (Named outside the test_<module>_ pattern: it needs the train and retrieval modules.)
// The trainer with the Retrieval task's options on the demo dataset: each trains, is
// reproducible whatever the thread count, differs from the plain run, and a cosine model's
// vectors are unit length wherever they are used. Plus the sampling probabilities.

#include "data/demo_dataset.hpp"
#include "retrieval/retrieval.hpp"
#include "train/sampling_probability.hpp"
#include "train/trainer.hpp"

#include <QtTest>

#include <algorithm>
#include <cmath>

using namespace towerlab;

namespace {

const Dataset& demo() {
    static const Dataset d = makeDemoDataset();
    return d;
}

struct Quiet final : ProgressSink {
    std::vector<EpochRecord> epochs;
    void onBatch(const BatchProgress&) override {}
    void onEpoch(const EpochRecord& r) override { epochs.push_back(r); }
};

TrainConfig smallRun(int epochs) {
    TrainConfig t;
    t.epochs = epochs;
    t.batchSize = 512;
    t.evalEvery = epochs;
    t.seed = 7;
    return t;
}

// The first epoch's batch losses of the plain run, computed once.
const std::vector<float>& plainFirstEpoch() {
    static const std::vector<float> losses = [] {
        std::atomic<bool> cancel{false};
        Quiet sink;
        Trainer plain(demo(), ModelConfig{}, smallRun(1));
        return plain.fit(sink, cancel).model->history.batchLosses;
    }();
    return losses;
}

} // namespace

class TestRetrievalOptionsTraining : public QObject {
    Q_OBJECT

private slots:
    void eachOptionTrains_data() {
        QTest::addColumn<QString>("name");
        for (const char* name :
             {"temperature 0.5", "logq frequency", "logq streaming", "accidental hits",
              "hard negatives 20", "cosine, temperature 0.1", "everything"}) {
            QTest::newRow(name) << name;
        }
    }

    void eachOptionTrains() {
        QFETCH(QString, name);
        ModelConfig model;
        TrainConfig t = smallRun(2);
        RetrievalOptions& r = t.retrieval;
        if (name == "temperature 0.5") {
            r.temperature = 0.5;
        } else if (name == "logq frequency") {
            r.logQ = LogQCorrection::Frequency;
        } else if (name == "logq streaming") {
            r.logQ = LogQCorrection::Streaming;
            r.streamingAlpha = 0.05;
        } else if (name == "accidental hits") {
            r.removeAccidentalHits = true;
        } else if (name == "hard negatives 20") {
            r.hardNegatives = 20;
        } else if (name == "cosine, temperature 0.1") {
            model.l2Normalize = true;
            r.temperature = 0.1;
        } else {
            model.l2Normalize = true;
            r = {0.2, LogQCorrection::Frequency, 0.01, true, 50};
        }
        std::atomic<bool> cancel{false};
        Quiet sink1, sink2;
        t.threads = 1;
        Trainer a(demo(), model, t);
        const TrainReport ra = a.fit(sink1, cancel);
        QCOMPARE(ra.outcome, TrainOutcome::Completed);
        QVERIFY(sink1.epochs.back().meanLoss < sink1.epochs.front().meanLoss);
        // The same first epoch on two threads, bit for bit; and not the plain run's.
        TrainConfig two = t;
        two.threads = 2;
        two.epochs = 1;
        two.evalEvery = 0;
        Trainer b(demo(), model, two);
        const TrainReport rb = b.fit(sink2, cancel);
        const std::vector<float>& first = rb.model->history.batchLosses;
        QVERIFY(std::equal(first.begin(), first.end(), ra.model->history.batchLosses.begin()));
        QVERIFY(first != plainFirstEpoch());
        // Single options learn the demo's planted structure within 2 epochs; all of them
        // together (a sharp temperature over 50 negatives) only start to.
        const double chance = 100.0 / static_cast<double>(demo().movies.size());
        if (name != "everything") {
            QVERIFY2(sink1.epochs.back().test->topK[4] > 1.5 * chance,
                     qPrintable(QString::number(sink1.epochs.back().test->topK[4])));
        }
        if (model.l2Normalize) {
            const RowMatrix& c = ra.model->candidateEmbeddings;
            for (Eigen::Index i = 0; i < c.rows(); ++i) {
                QVERIFY(std::abs(c.row(i).norm() - 1.0f) < 1e-5f);
            }
            UserQuery query;
            query.ageBucket = 25;
            query.occupationLabel = 17;
            query.gender = 1;
            query.timestamp = 879024327;
            for (const auto& hit : recommend(*ra.model, query, 5)) {
                QVERIFY(std::abs(hit.score) <= 1.0f + 1e-5f); // a cosine
            }
        }
    }

    void frequencyProbabilitiesAreClippedShares() {
        const std::vector<std::int32_t> counts{0, 1, 50, 100};
        const std::vector<float> logP = frequencyLogProbabilities(counts, 100);
        QCOMPARE(logP[0], static_cast<float>(std::log(1e-6))); // clipped, not -inf
        QCOMPARE(logP[1], static_cast<float>(std::log(0.01)));
        QCOMPARE(logP[2], static_cast<float>(std::log(0.5)));
        QCOMPARE(logP[3], 0.0f);
        QCOMPARE(clippedLogProbability(3.0), 0.0f); // above 1: clipped to log 1
    }

    // Yi et al.'s recurrence by hand: movie 0 in every batch, movie 1 every third, movie 2
    // twice in one batch (counted once). A starts at 10, B at 0, alpha 0.5.
    void streamingEstimateFollowsTheRecurrence() {
        StreamingFrequencyEstimate e(3, 0.5, 10.0);
        const std::vector<std::int32_t> b1{0, 1, 2, 2};
        const std::vector<std::int32_t> b2{0};
        e.observe(b1); // t=1: A0 = 0.5*10 + 0.5*1 = 5.5; A1 = 5.5; A2 = 5.5 (once)
        QCOMPARE(e.probability(2), 1.0 / 5.5);
        e.observe(b2); // t=2: A0 = 0.5*5.5 + 0.5*1 = 3.25
        e.observe(b2); // t=3: A0 = 2.125
        e.observe(b1); // t=4: A0 = 1.5625; A1 = 0.5*5.5 + 0.5*3 = 4.25
        QCOMPARE(e.steps(), std::int64_t{4});
        QCOMPARE(e.probability(0), 1.0 / 1.5625);
        QCOMPARE(e.probability(1), 1.0 / 4.25);
        QCOMPARE(e.probability(2), 1.0 / 4.25);
    }
};

QTEST_GUILESS_MAIN(TestRetrievalOptionsTraining)
#include "test_training_retrieval_options.moc"
