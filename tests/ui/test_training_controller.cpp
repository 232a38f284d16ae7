// TrainingController and its worker thread on the demo dataset: progress arrives as values,
// pause / resume / step / stop behave, a stop takes effect within a second, errors from the
// core end a run without ending the application, and ablation runs are queued and summarised.

#include "controllers/ablation.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/training_controller.hpp"
#include "data/demo_dataset.hpp"
#include "model/trained_model.hpp"
#include "test_support.hpp"
#include "ui_test_support.hpp"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

#include <memory>

using namespace towerlab;
using State = TrainingController::State;

namespace {

std::shared_ptr<const Dataset> demo() {
    static const auto data = std::make_shared<const Dataset>(makeDemoDataset());
    return data;
}

TrainingJob job(int epochs, int evalEvery = 1) {
    TrainingJob j;
    j.dataset = demo();
    j.training.epochs = epochs;
    j.training.evalEvery = evalEvery;
    j.training.threads = 1;
    return j;
}

} // namespace

class TestTrainingController : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        test::isolateSettings(m_settings);
        qRegisterMetaType<TrainingController::State>();
    }

    void trainsToTheEndWithEvaluations() {
        RunCollection runs;
        TrainingController controller(&runs);
        QSignalSpy finished(&controller, &TrainingController::runFinished);
        QSignalSpy models(&controller, &TrainingController::modelReady);
        QSignalSpy epochs(&runs, &RunCollection::epochAppended);
        QSignalSpy batches(&runs, &RunCollection::batchesAppended);
        const int id = controller.enqueue(job(2));
        QVERIFY(id > 0);
        QCOMPARE(runs.count(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QCOMPARE(finished.at(0).at(1).value<TrainOutcome>(), TrainOutcome::Completed);
        QCOMPARE(controller.state(), State::Idle);
        QCOMPARE(epochs.count(), 2);
        QVERIFY(batches.count() >= 1);

        const RunRecord* run = runs.find(id);
        QVERIFY(run != nullptr);
        QCOMPARE(run->status, RunStatus::Completed);
        QCOMPARE(run->history.epochs.size(), std::size_t{2});
        QVERIFY(run->history.epochs[0].test.has_value());
        QVERIFY(run->history.epochs[1].test.has_value());
        QVERIFY(run->history.baseline.has_value());
        // What the table and the chart switch show reaches the run: every evaluation's
        // metrics beyond accuracy and the baseline's; nothing seen-excluded unless asked.
        QVERIFY(run->history.epochs[1].beyond.has_value());
        QCOMPARE(run->history.epochs[1].beyond->queries, run->history.baselineBeyond->queries);
        QVERIFY(run->history.epochs[1].beyond->queries > 0);
        QVERIFY(!run->history.epochs[1].testExcludingSeen.has_value());
        QVERIFY(!run->history.baselineExcludingSeen.has_value());
        QVERIFY(run->batchesPerEpoch > 0);
        // Every batch arrived, in order, exactly once.
        QCOMPARE(run->history.batchLosses.size(),
                 static_cast<std::size_t>(2 * run->batchesPerEpoch));
        QVERIFY(run->trainedModel != nullptr);
        QCOMPARE(run->trainedModel->epochsTrained, 2);
        QCOMPARE(run->trainedModel->history.batchLosses, run->history.batchLosses);
        QVERIFY(models.count() >= 1);
        // The loss falls: the demo's planted structure is learnable.
        QVERIFY(run->history.epochs[1].meanLoss < run->history.epochs[0].meanLoss);
    }

    void pauseResumeAndStep() {
        RunCollection runs;
        TrainingController controller(&runs);
        QSignalSpy finished(&controller, &TrainingController::runFinished);
        const int id = controller.enqueue(job(6, 0));
        QTRY_VERIFY_WITH_TIMEOUT(!runs.find(id)->history.batchLosses.empty(), 20000);
        controller.pause();
        QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Paused, 2000);
        QCOMPARE(runs.find(id)->status, RunStatus::Paused);
        QVERIFY(runs.find(id)->trainedModel != nullptr);
        // Nothing moves while paused.
        const std::size_t seen = runs.find(id)->history.batchLosses.size();
        QTest::qWait(150);
        QCOMPARE(runs.find(id)->history.batchLosses.size(), seen);

        // Step finishes the epoch that was interrupted, then pauses again.
        const std::size_t epochsBefore = runs.find(id)->history.epochs.size();
        controller.step();
        QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Paused, 20000);
        QCOMPARE(runs.find(id)->history.epochs.size(), epochsBefore + 1);
        QCOMPARE(runs.find(id)->history.batchLosses.size(),
                 static_cast<std::size_t>(runs.find(id)->batchesPerEpoch) * (epochsBefore + 1));

        controller.resume();
        QCOMPARE(controller.state(), State::Running);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(runs.find(id)->history.epochs.size(), std::size_t{6});
        QCOMPARE(runs.find(id)->status, RunStatus::Completed);
        // evalEvery 0: evaluated only after the last epoch.
        QVERIFY(!runs.find(id)->history.epochs[4].test.has_value());
        QVERIFY(runs.find(id)->history.epochs[5].test.has_value());
    }

    void stepFromIdleTrainsOneEpoch() {
        RunCollection runs;
        TrainingController controller(&runs);
        const int id = controller.enqueue(job(5), TrainStep::OneEpoch);
        QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Paused, 20000);
        QCOMPARE(runs.find(id)->history.epochs.size(), std::size_t{1});
        controller.stop();
        QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Idle, 2000);
        QCOMPARE(runs.find(id)->status, RunStatus::Stopped);
        QCOMPARE(runs.find(id)->trainedModel->epochsTrained, 1);
    }

    void stopTakesEffectWithinASecond() {
        RunCollection runs;
        TrainingController controller(&runs);
        QSignalSpy finished(&controller, &TrainingController::runFinished);
        const int id = controller.enqueue(job(500, 0));
        controller.enqueue(job(3)); // queued behind: a stop drops it
        QTRY_VERIFY_WITH_TIMEOUT(runs.find(id)->history.batchLosses.size() > 3, 20000);
        QElapsedTimer clock;
        clock.start();
        controller.stop();
        QTRY_COMPARE_WITH_TIMEOUT(controller.state(), State::Idle, test::timingBoundMs(1000));
        const qint64 ms = clock.elapsed();
        qDebug("stop took %lld ms", static_cast<long long>(ms));
        TOWERLAB_TIMING_CHECK(QVERIFY(ms < 1000));
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(1).value<TrainOutcome>(), TrainOutcome::Cancelled);
        QCOMPARE(runs.find(id)->status, RunStatus::Stopped);
        QCOMPARE(runs.at(1).status, RunStatus::Stopped); // never started
        QVERIFY(runs.at(1).history.batchLosses.empty());
    }

    void destroyingWhileTrainingStopsTheThread() {
        RunCollection runs;
        QElapsedTimer clock;
        {
            TrainingController controller(&runs);
            const int id = controller.enqueue(job(500, 0));
            QTRY_VERIFY_WITH_TIMEOUT(!runs.find(id)->history.batchLosses.empty(), 20000);
            clock.start();
        } // the destructor cancels, quits and waits
        qDebug("destroying took %lld ms", static_cast<long long>(clock.elapsed()));
        TOWERLAB_TIMING_CHECK(QVERIFY(clock.elapsed() < 1000));
    }

    void invalidConfigFailsTheRunNotTheApplication() {
        RunCollection runs;
        TrainingController controller(&runs);
        QSignalSpy failed(&controller, &TrainingController::runFailed);
        QSignalSpy finished(&controller, &TrainingController::runFinished);
        TrainingJob bad = job(1);
        bad.model.layers = {0};
        const int badId = controller.enqueue(bad);
        const int goodId = controller.enqueue(job(1));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QVERIFY(failed.at(0).at(1).toString().contains(QStringLiteral("layers")));
        QCOMPARE(runs.find(badId)->status, RunStatus::Failed);
        // The queue goes on with the next run.
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QCOMPARE(runs.find(goodId)->status, RunStatus::Completed);
    }

    void divergenceIsAnOutcome() {
        RunCollection runs;
        TrainingController controller(&runs);
        QSignalSpy finished(&controller, &TrainingController::runFinished);
        TrainingJob wild = job(3);
        wild.training.optimizer = OptimizerKind::Sgd;
        wild.training.learningRate = 1e6;
        const int id = controller.enqueue(wild);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const auto outcome = finished.at(0).at(1).value<TrainOutcome>();
        if (outcome != TrainOutcome::Diverged) {
            QSKIP("this learning rate did not make the loss non-finite on this machine");
        }
        QCOMPARE(runs.find(id)->status, RunStatus::Diverged);
        QVERIFY(runs.find(id)->message.contains(QStringLiteral("learning rate")));
    }

    void ablationPlan_data() {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("movie");
        QTest::addColumn<QStringList>("removed");
        QTest::addColumn<int>("skipped");
        QTest::newRow("tutorial")
            << "age,occupation,gender,timestamp_bucket,timestamp_norm"
            << "title_id,title_text"
            << QStringList{"age",      "occupation", "gender", "timestamp_bucket", "timestamp_norm",
                           "title_id", "title_text"}
            << 0;
        QTest::newRow("one movie feature") << "age,gender"
                                           << "title_id" << QStringList{"age", "gender"} << 1;
        QTest::newRow("one of each") << "user_id"
                                     << "genres" << QStringList{} << 2;
    }
    void ablationPlan() {
        QFETCH(QString, user);
        QFETCH(QString, movie);
        QFETCH(QStringList, removed);
        QFETCH(int, skipped);
        FeatureSet features;
        features.setUserFeatures(user.toStdString());
        features.setMovieFeatures(movie.toStdString());
        const AblationPlan plan = planAblation(features);
        QStringList names;
        for (const AblationVariant& v : plan.variants) {
            names << v.removedFeature;
            QVERIFY(v.features.anyUserFeature());
            QVERIFY(v.features.anyMovieFeature());
            const QString all = QString::fromStdString(v.features.userFeatureList() + "," +
                                                       v.features.movieFeatureList());
            QVERIFY(!all.split(',').contains(v.removedFeature));
        }
        QCOMPARE(names, removed);
        QCOMPARE(plan.skipped.size(), skipped);
    }

    void ablationSummary() {
        RankingMetrics full;
        full.topK = {0.01, 0.05, 0.1, 0.4, 0.6};
        RankingMetrics noAge = full;
        noAge.topK[4] = 0.55;
        RankingMetrics noTitle = full;
        noTitle.topK[4] = 0.3;
        noTitle.topK[2] = 0.04;
        const QString text = summarizeAblation(
            full, {{"age", noAge}, {"title_id", noTitle}, {"gender", std::nullopt}});
        QVERIFY2(text.startsWith(QStringLiteral("title_id matters most")), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("0.600")));
        QVERIFY(text.contains(QStringLiteral("0.300")));
        QVERIFY(text.contains(QStringLiteral("2 of 3 runs")));
        QVERIFY(summarizeAblation(std::nullopt, {}).contains(QStringLiteral("did not finish")));
        RankingMetrics better = full;
        better.topK[4] = 0.7;
        QVERIFY(summarizeAblation(full, {{"age", better}})
                    .startsWith(QStringLiteral("No single feature")));
    }

    void ablationGroupFinishes() {
        RunCollection runs;
        TrainingController controller(&runs);
        QSignalSpy groups(&controller, &TrainingController::groupFinished);
        TrainingJob reference = job(1);
        reference.model.features.setUserFeatures("age,gender");
        reference.model.features.setMovieFeatures("title_id");
        controller.enqueue(reference, TrainStep::Run, QStringLiteral("g"));
        const AblationPlan plan = planAblation(reference.model.features);
        for (const AblationVariant& v : plan.variants) {
            TrainingJob j = reference;
            j.model.features = v.features;
            controller.enqueue(j, TrainStep::Run, QStringLiteral("g"), v.removedFeature);
        }
        QCOMPARE(runs.count(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(groups.count(), 1, 60000);
        QCOMPARE(groups.at(0).at(0).toString(), QStringLiteral("g"));
        for (int row = 0; row < runs.count(); ++row) {
            QCOMPARE(runs.at(row).status, RunStatus::Completed);
            QVERIFY(runs.at(row).finalMetrics() != nullptr);
        }
        QCOMPARE(runs.at(1).removedFeature, QStringLiteral("age"));
    }

    void configNames() {
        ModelConfig model;
        TrainConfig training;
        QCOMPARE(describeConfig(model, training), QStringLiteral("[32] adagrad 0.1"));
        model.layers = {64, 32};
        model.features.set(FeatureId::UserId, true);
        model.features.set(FeatureId::Gender, false);
        training.optimizer = OptimizerKind::Adam;
        training.learningRate = 0.001;
        training.batchSize = 512;
        QCOMPARE(describeConfig(model, training),
                 QStringLiteral("[64,32] adam 0.001 · bs 512 · +user_id −gender"));
        model.l2Normalize = true;
        training.retrieval.temperature = 0.1;
        training.retrieval.logQ = LogQCorrection::Frequency;
        training.retrieval.removeAccidentalHits = true;
        training.retrieval.hardNegatives = 10;
        QCOMPARE(describeConfig(model, training),
                 QStringLiteral("[64,32] adam 0.001 · bs 512 · +user_id −gender · cos T 0.1 logQ "
                                "−hits hn 10"));
        training.split = SplitKind::Time;
        QVERIFY(describeConfig(model, training).contains(QStringLiteral("bs 512 · time split")));
    }

private:
    QTemporaryDir m_settings;
};

QTEST_GUILESS_MAIN(TestTrainingController)
#include "test_training_controller.moc"
