// The Train tab's state without any widget: no run without a dataset (and the line says why),
// a run's progress line and bar, the run controls that apply in each training state, the
// finished line, and an ablation's plan and summary; a long evaluation's progress, paused where
// it is and resumed from there, or stopped (the epoch kept without test metrics).

#include "controllers/dataset_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/train_tab_controller.hpp"
#include "controllers/training_controller.hpp"
#include "data/synthetic_movielens.hpp"
#include "model/trained_model.hpp"
#include "ui_test_support.hpp"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace towerlab;

namespace {

TrainConfig quick(int epochs) {
    TrainConfig t;
    t.epochs = epochs;
    t.evalEvery = 1;
    t.threads = 1;
    return t;
}

// One epoch on generated data whose full test split (60,000 ratings against 20,000 movies,
// one thread) takes a few seconds to rank: 15 chunks, each reported.
TrainConfig longEvaluation() {
    TrainConfig t = quick(1);
    t.batchSize = 1024;
    t.evalQueries = TrainConfig::kAllTestQueries;
    return t;
}

// Generated data has no demographics: the user tower reads what it has.
ModelConfig withoutDemographics() {
    ModelConfig m;
    m.features.setUserFeatures("timestamp_bucket,timestamp_norm,user_id");
    return m;
}

} // namespace

class TestTrainTabController : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    QTemporaryDir m_data;
    QString m_generated;

    // Generated once: 3,000 users, 20,000 movies, 300,000 ratings.
    void openGenerated(DatasetController& data) {
        if (m_generated.isEmpty()) {
            m_generated = m_data.filePath(QStringLiteral("generated"));
            writeSyntheticMovieLens({3000, 20000, 300000, 3}, m_generated.toStdString());
        }
        QSignalSpy loaded(&data, &DatasetController::loadingFinished);
        data.open(m_generated);
        QVERIFY(loaded.wait(60000));
        QVERIFY(data.dataset() != nullptr);
        QCOMPARE(data.dataset()->ratings.size(), std::size_t{300000});
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid() && m_data.isValid());
        test::isolateSettings(m_settings);
    }

    void withoutADatasetNothingStarts() {
        RunCollection runs;
        TrainingController training(&runs);
        DatasetController data;
        TrainTabController tab(&runs, &training, &data);
        QVERIFY(tab.progressText().startsWith(QStringLiteral("Ready")));
        QVERIFY(tab.actions().train && tab.actions().step && tab.actions().ablation);
        QVERIFY(!tab.actions().pause && !tab.actions().resume && !tab.actions().stop);
        QSignalSpy messages(&tab, &TrainTabController::message);
        QCOMPARE(tab.start(ModelConfig{}, quick(1)), 0);
        QCOMPARE(runs.count(), 0);
        QVERIFY2(tab.progressText().contains(QStringLiteral("no dataset")),
                 qPrintable(tab.progressText()));
        QCOMPARE(messages.count(), 1);
        tab.refuse(QStringLiteral("the batch size is empty"));
        QCOMPARE(tab.progressText(), QStringLiteral("Not started: the batch size is empty"));
        QCOMPARE(tab.startAblation(ModelConfig{}, quick(1)), 0);
    }

    void aRunShowsItsProgressAndItsResult() {
        RunCollection runs;
        TrainingController training(&runs);
        DatasetController data;
        QSignalSpy loaded(&data, &DatasetController::loadingFinished);
        data.loadDemo();
        QVERIFY(loaded.wait(60000));
        TrainTabController tab(&runs, &training, &data);
        QSignalSpy finished(&training, &TrainingController::runFinished);
        bool sawProgress = false;
        bool sawStopAllowed = false;
        connect(&tab, &TrainTabController::changed, this, [&] {
            sawProgress |= tab.progressText().contains(QStringLiteral("epoch"));
            sawStopAllowed |= tab.actions().stop && !tab.actions().train;
        });
        const int id = tab.start(ModelConfig{}, quick(2));
        QVERIFY(id > 0);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QVERIFY(sawProgress);
        QVERIFY(sawStopAllowed);
        QVERIFY2(tab.progressText().contains(QStringLiteral("Run #%1 finished").arg(id)),
                 qPrintable(tab.progressText()));
        QVERIFY(tab.progressMaximum() > 0);
        QCOMPARE(tab.progressValue(), tab.progressMaximum());
        QVERIFY(tab.actions().train);
        QVERIFY(tab.ablationSummary().isEmpty());
    }

    void anAblationIsPlannedAndSummarised() {
        RunCollection runs;
        TrainingController training(&runs);
        DatasetController data;
        QSignalSpy loaded(&data, &DatasetController::loadingFinished);
        data.loadDemo();
        QVERIFY(loaded.wait(60000));
        TrainTabController tab(&runs, &training, &data);
        QSignalSpy groups(&training, &TrainingController::groupFinished);
        const int queued = tab.startAblation(ModelConfig{}, quick(1));
        QVERIFY(queued > 1);
        QCOMPARE(runs.count(), queued);
        QVERIFY2(tab.ablationSummary().contains(QStringLiteral("%1 runs queued").arg(queued)),
                 qPrintable(tab.ablationSummary()));
        QTRY_COMPARE_WITH_TIMEOUT(groups.count(), 1, 120000);
        QVERIFY(!tab.ablationSummary().contains(QStringLiteral("queued")));
        QVERIFY(tab.ablationSummary().startsWith(QStringLiteral("Feature ablation: ")));
        // A new single run hides the ablation's summary.
        QSignalSpy finished(&training, &TrainingController::runFinished);
        QVERIFY(tab.start(ModelConfig{}, quick(1)) > 0);
        QVERIFY(tab.ablationSummary().isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    }

    void aLongEvaluationShowsProgressAndPausesWhereItIs() {
        RunCollection runs;
        TrainingController training(&runs);
        DatasetController data;
        openGenerated(data);
        TrainTabController tab(&runs, &training, &data);
        QSignalSpy evaluations(&training, &TrainingController::evaluationProgress);
        QSignalSpy finished(&training, &TrainingController::runFinished);
        const int id = tab.start(withoutDemographics(), longEvaluation());
        QTRY_VERIFY2_WITH_TIMEOUT(evaluations.count() >= 1, qPrintable(tab.progressText()), 120000);
        auto last = [&] { return evaluations.last().at(1).value<EvaluationProgress>(); };
        QCOMPARE(last().examples, std::size_t{60000});
        QCOMPARE(last().epoch, 1);
        QVERIFY2(tab.progressText().contains(QStringLiteral("ranking the test ratings")) &&
                     tab.progressText().contains(QStringLiteral("of 60,000")) &&
                     tab.progressText().contains(QStringLiteral("Pause keeps what is ranked")),
                 qPrintable(tab.progressText()));
        QCOMPARE(tab.progressMaximum(), 1000);
        QVERIFY(tab.progressValue() > 0 && tab.progressValue() < 1000);

        training.pause();
        QVERIFY2(tab.progressText().contains(QStringLiteral("Pausing the evaluation")),
                 qPrintable(tab.progressText()));
        QTRY_COMPARE_WITH_TIMEOUT(training.state(), TrainingController::State::Paused, 10000);
        const std::size_t rankedAtPause = last().ranked;
        QVERIFY(rankedAtPause < 60000);
        // The epoch waits for its evaluation; nothing was recorded without it.
        QVERIFY(runs.find(id)->history.epochs.empty());
        QVERIFY2(tab.progressText().contains(QStringLiteral("paused; Resume goes on ranking")),
                 qPrintable(tab.progressText()));
        QTest::qWait(200);
        QCOMPARE(last().ranked, rankedAtPause); // nothing moves while paused

        evaluations.clear();
        training.resume();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 120000);
        QCOMPARE(finished.at(0).at(1).value<TrainOutcome>(), TrainOutcome::Completed);
        // Going on from where it was, not from the start.
        QVERIFY(!evaluations.isEmpty());
        QVERIFY(evaluations.first().at(1).value<EvaluationProgress>().ranked > rankedAtPause);
        QCOMPARE(last().ranked, std::size_t{60000});
        const RunRecord* run = runs.find(id);
        QCOMPARE(run->history.epochs.size(), std::size_t{1});
        QVERIFY(run->history.epochs[0].test.has_value());
        QCOMPARE(run->history.epochs[0].test->examples, std::size_t{60000});
        QVERIFY2(tab.progressText().contains(QStringLiteral("Run #%1 finished").arg(id)),
                 qPrintable(tab.progressText()));
    }

    void stoppingInAnEvaluationKeepsTheEpochWithoutMetrics() {
        RunCollection runs;
        TrainingController training(&runs);
        DatasetController data;
        openGenerated(data);
        TrainTabController tab(&runs, &training, &data);
        QSignalSpy evaluations(&training, &TrainingController::evaluationProgress);
        QSignalSpy finished(&training, &TrainingController::runFinished);
        const int id = tab.start(withoutDemographics(), longEvaluation());
        QTRY_VERIFY_WITH_TIMEOUT(evaluations.count() >= 1, 30000);
        training.stop();
        QVERIFY2(tab.progressText().contains(QStringLiteral("rest of this evaluation is skipped")),
                 qPrintable(tab.progressText()));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 10000);
        QCOMPARE(finished.at(0).at(1).value<TrainOutcome>(), TrainOutcome::Cancelled);
        const QString why = finished.at(0).at(2).toString();
        QVERIFY2(why.contains(QStringLiteral("during the evaluation")), qPrintable(why));
        const RunRecord* run = runs.find(id);
        QCOMPARE(run->status, RunStatus::Stopped);
        QCOMPARE(run->history.epochs.size(), std::size_t{1});
        QVERIFY(!run->history.epochs[0].test.has_value());
        QVERIFY(run->trainedModel != nullptr);
        QCOMPARE(run->trainedModel->epochsTrained, 1);
        QVERIFY2(tab.progressText().contains(QStringLiteral("Run #%1 stopped after 1 epochs, "
                                                            "during the evaluation")
                                                 .arg(id)),
                 qPrintable(tab.progressText()));
    }
};

QTEST_GUILESS_MAIN(TestTrainTabController)
#include "test_train_tab_controller.moc"
