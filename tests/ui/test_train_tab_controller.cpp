// The Train tab's state without any widget: no run without a dataset (and the line says why),
// a run's progress line and bar, the run controls that apply in each training state, the
// finished line, and an ablation's plan and summary.

#include "controllers/dataset_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/train_tab_controller.hpp"
#include "controllers/training_controller.hpp"
#include "ui_test_support.hpp"

#include <QSignalSpy>
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

} // namespace

class TestTrainTabController : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
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
        QVERIFY(loaded.wait(20000));
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
        QVERIFY(loaded.wait(20000));
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
};

QTEST_GUILESS_MAIN(TestTrainTabController)
#include "test_train_tab_controller.moc"
