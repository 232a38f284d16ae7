// The reference model on the real MovieLens 100K: the tutorial's [32] run for 50 epochs reaches
// the published accuracy, the baseline lands where it should, and the tutorial's query works.
// $TOWERLAB_REALDATA_EPOCHS shortens the run (the sanitizer suite uses 2); the accuracy
// threshold is then one that a 2-epoch run meets (top-100 0.156, chance 0.06).

#include "data/movielens_100k.hpp"
#include "retrieval/retrieval.hpp"
#include "test_support.hpp"
#include "train/trainer.hpp"

#include <QtTest>

#include <chrono>
#include <set>

using namespace towerlab;

class TestTrainRealData : public QObject {
    Q_OBJECT

private slots:
    void tutorialModelReachesPublishedAccuracy() {
        TOWERLAB_REQUIRE_ML100K(folder);
        const Dataset dataset = loadMovieLens100k(folder);
        TrainConfig training; // the tutorial's: Adagrad 0.1, batch 2048, 50 epochs, eval every 5
        training.seed = 42;
        const int epochs = test::realDataEpochs();
        training.epochs = epochs;
        const auto start = std::chrono::steady_clock::now();
        Trainer trainer(dataset, ModelConfig{}, training);
        QCOMPARE(trainer.trainExamples(), std::size_t(80000));
        QCOMPARE(trainer.testExamples(), std::size_t(20000));
        ProgressSink sink;
        std::atomic<bool> cancel{false};
        const TrainReport report = trainer.fit(sink, cancel);
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        QCOMPARE(report.outcome, TrainOutcome::Completed);
        const TrainingHistory& h = report.model->history;
        QCOMPARE(h.epochs.size(), std::size_t(epochs));
        int evaluations = 0;
        for (const auto& e : h.epochs) {
            evaluations += e.test.has_value();
        }
        QCOMPARE(evaluations, epochs / 5 + (epochs % 5 != 0 ? 1 : 0));
        const RankingMetrics& m = *h.epochs.back().test;
        qDebug("[32] x %d epochs: %.1f s; top-1/5/10/50/100 %.4f %.4f %.4f %.4f %.4f; baseline "
               "top-100 %.4f; loss %.0f -> %.0f",
               epochs, seconds, m.topK[0], m.topK[1], m.topK[2], m.topK[3], m.topK[4],
               h.baseline->topK[4], h.epochs.front().meanLoss, h.epochs.back().meanLoss);
        const bool fullRun = epochs == 50;
        QVERIFY2(m.topK[4] >= (fullRun ? 0.15 : 0.10),
                 qPrintable(QString("top-100 %1 after %2 epochs").arg(m.topK[4]).arg(epochs)));
        QVERIFY(h.baseline->topK[4] >= 0.25);
        // The loss starts near 2048 ln 2048 and falls (reference: ~15,560 -> ~13,550 over 50
        // epochs, ~14,330 after 5).
        QVERIFY(h.epochs.front().meanLoss < 15700 && h.epochs.front().meanLoss > 14500);
        QVERIFY(h.epochs.back().meanLoss < (fullRun ? 14000 : h.epochs.front().meanLoss));

        // The tutorial's query: age 25, student (17), male, timestamp 879024327.
        const UserQuery query{25, 17, 1, 879024327, -1, {}};
        const auto top = recommend(*report.model, query, 50);
        std::set<std::string> titles;
        for (const auto& r : top) {
            titles.insert(report.model->catalogue.titles[static_cast<std::size_t>(r.movie)]);
        }
        QCOMPARE(titles.size(), std::size_t(50));
        std::vector<std::int32_t> three;
        for (const char* t :
             {"Red Rock West (1992)", "Palookaville (1996)", "Beautiful Thing (1996)"}) {
            const auto id = findTitle(*report.model, t);
            QVERIFY2(id.has_value(), t);
            three.push_back(*id);
        }
        const auto scored = scoreMovies(*report.model, query, three);
        QCOMPARE(scored.size(), std::size_t(3));
    }
};

TOWERLAB_REALDATA_APPLESS_MAIN(TestTrainRealData)
#include "test_tutorial_realdata.moc"
