// The metrics beyond accuracy and the seen-excluded accuracy in the GUI: the run table's
// columns (with the most-popular baseline in the tooltip) and the Train tab's chart switch,
// on hand-made run records whose values are known.

#include "charts/training_charts.hpp"
#include "controllers/run_collection.hpp"
#include "model/trained_model.hpp"
#include "models/run_table_model.hpp"
#include "views/train_form.hpp"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <limits>
#include <memory>

using namespace towerlab;

namespace {

BeyondAccuracyMetrics beyond(double scale, bool genres = true) {
    BeyondAccuracyMetrics b;
    b.coverage = {0.01 * scale, 0.05 * scale, 0.1 * scale, 0.3 * scale, 0.5 * scale};
    b.popularityPercentile = {90.0 / scale, 85.0 / scale, 80.0 / scale, 70.0 / scale, 60.0 / scale};
    b.gini = {0.99, 0.98, 0.95, 0.9, 0.85};
    b.novelty = {8.0 * scale, 8.5 * scale, 9.0 * scale, 9.5 * scale, 10.0 * scale};
    b.hasDiversity = genres;
    b.diversity = {std::numeric_limits<double>::quiet_NaN(), 0.6, 0.65, 0.7, 0.75};
    if (!genres) {
        b.diversity.fill(std::numeric_limits<double>::quiet_NaN());
    }
    b.queries = 1000;
    return b;
}

// One run evaluated at epochs 1 and 2; the model's beyond metrics have scale 2 at epoch 2
// (1 at epoch 1), the baseline's scale 1.
RunRecord evaluatedRun(bool seenExcluded) {
    RunRecord r;
    r.status = RunStatus::Completed;
    r.training.epochs = 2;
    for (int epoch = 1; epoch <= 2; ++epoch) {
        EpochRecord e;
        e.epoch = epoch;
        RankingMetrics m;
        m.topK = {0.001 * epoch, 0.005, 0.01, 0.06, 0.15 + 0.01 * epoch};
        e.test = m;
        if (seenExcluded) {
            RankingMetrics u = m;
            u.topK[4] = 0.2 + 0.01 * epoch;
            e.testExcludingSeen = u;
        }
        e.beyond = beyond(epoch);
        r.history.epochs.push_back(e);
    }
    RankingMetrics b;
    b.topK = {0.006, 0.027, 0.054, 0.176, 0.298};
    r.history.baseline = b;
    if (seenExcluded) {
        RankingMetrics u = b;
        u.topK[4] = 0.41;
        r.history.baselineExcludingSeen = u;
    }
    r.history.baselineBeyond = beyond(1.0);
    r.history.baselineBeyond->coverage[4] = 0.06;
    return r;
}

} // namespace

class TestBeyondAccuracyViews : public QObject {
    Q_OBJECT

private slots:
    void runTableShowsTheLastEvaluation() {
        RunCollection runs;
        RunTableModel model(&runs);
        QAbstractItemModelTester tester(&model);
        const int withSeen = runs.add(evaluatedRun(true));
        runs.add(evaluatedRun(false));
        Q_UNUSED(withSeen);
        // The epoch-2 values: coverage 0.5 * 2, percentile 60 / 2, novelty 10 * 2, Gini 0.85,
        // diversity 0.75.
        QCOMPARE(model.index(0, RunTableModel::Coverage100).data().toString(),
                 QStringLiteral("1.000"));
        QCOMPARE(model.index(0, RunTableModel::Popularity100).data().toString(),
                 QStringLiteral("30.0"));
        QCOMPARE(model.index(0, RunTableModel::Gini100).data().toString(), QStringLiteral("0.850"));
        QCOMPARE(model.index(0, RunTableModel::Novelty100).data().toString(),
                 QStringLiteral("20.00"));
        QCOMPARE(model.index(0, RunTableModel::Diversity100).data().toString(),
                 QStringLiteral("0.750"));
        QCOMPARE(model.index(0, RunTableModel::Top100Unseen).data().toString(),
                 QStringLiteral("0.220"));
        // Without the option the seen-excluded cell is empty.
        QCOMPARE(model.index(1, RunTableModel::Top100Unseen).data().toString(), QString());
        // The baseline's in the tooltip.
        QCOMPARE(model.index(0, RunTableModel::Coverage100).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("Most popular: 0.060"));
        QCOMPARE(model.index(0, RunTableModel::Top100Unseen).data(Qt::ToolTipRole).toString(),
                 QStringLiteral("Most popular, seen excluded: 0.410"));
        QVERIFY(!model.headerData(RunTableModel::Gini100, Qt::Horizontal, Qt::ToolTipRole)
                     .toString()
                     .isEmpty());
        // Sorting uses the numbers, an empty cell sorts below every value.
        QSortFilterProxyModel sorted;
        sorted.setSourceModel(&model);
        sorted.setSortRole(static_cast<int>(RunTableModel::Role::Sort));
        sorted.sort(RunTableModel::Top100Unseen, Qt::AscendingOrder);
        QCOMPARE(sorted.index(0, RunTableModel::Top100Unseen).data().toString(), QString());
    }

    void formCarriesTheSeenExclusionOption() {
        TrainForm form;
        auto* box = form.findChild<QCheckBox*>(QStringLiteral("excludeSeen"));
        QVERIFY(box != nullptr);
        QVERIFY(!box->isChecked()); // the tutorial measures without exclusions
        QVERIFY(!form.values()->training.excludeSeen);
        QSignalSpy edited(&form, &TrainForm::edited);
        box->click();
        QCOMPARE(edited.count(), 1);
        QVERIFY(form.values()->training.excludeSeen);
        // Kept with the form's other settings, and set from a run's config.
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("form.ini")), QSettings::IniFormat);
        form.saveSettings(settings);
        TrainForm reopened;
        reopened.loadSettings(settings);
        QVERIFY(reopened.values()->training.excludeSeen);
        TrainConfig plain;
        reopened.setValues(ModelConfig{}, plain);
        QVERIFY(!reopened.values()->training.excludeSeen);
    }

    void chartSwitchRedrawsEveryRunAndTheBaseline() {
        RunCollection runs;
        TrainingCharts charts(&runs);
        const int id = runs.add(evaluatedRun(false));
        charts.flushNow();
        QCOMPARE(charts.metric(), TrainingCharts::Metric::Accuracy);
        QCOMPARE(charts.accuracyPointCount(id, 4), 2);
        QCOMPARE(charts.firstAccuracyValue(id, 4), 0.16);

        // Through the switch, as a user does.
        auto* box = charts.findChild<QComboBox*>(QStringLiteral("chartMetric"));
        QVERIFY(box != nullptr);
        box->setCurrentIndex(box->findData(static_cast<int>(TrainingCharts::Metric::Coverage)));
        QCOMPARE(charts.metric(), TrainingCharts::Metric::Coverage);
        charts.flushNow();
        QCOMPARE(charts.accuracyPointCount(id, 4), 2);
        QCOMPARE(charts.firstAccuracyValue(id, 4), 0.5); // epoch 1: scale 1
        QVERIFY(charts.baselineValues().contains(0.06));

        // Diversity has no value at k = 1 (no pairs): no point there, points elsewhere.
        charts.setMetric(TrainingCharts::Metric::Diversity);
        charts.flushNow();
        QCOMPARE(box->currentData().toInt(), static_cast<int>(TrainingCharts::Metric::Diversity));
        QCOMPARE(charts.accuracyPointCount(id, 0), 0);
        QCOMPARE(charts.accuracyPointCount(id, 1), 2);
        QCOMPARE(charts.firstAccuracyValue(id, 1), 0.6);

        // This run was not measured with seen movies excluded: nothing to draw.
        charts.setMetric(TrainingCharts::Metric::AccuracySeenExcluded);
        charts.flushNow();
        QCOMPARE(charts.accuracyPointCount(id, 4), 0);
        QCOMPARE(charts.baselineLineCount(), 0);

        // A run that was: its points and its baseline.
        const int seen = runs.add(evaluatedRun(true));
        charts.flushNow();
        QCOMPARE(charts.accuracyPointCount(seen, 4), 2);
        QCOMPARE(charts.firstAccuracyValue(seen, 4), 0.21);
        QVERIFY(charts.baselineValues().contains(0.41));

        // Epochs arriving later follow the chosen metric too.
        charts.setMetric(TrainingCharts::Metric::Novelty);
        EpochRecord e;
        e.epoch = 3;
        e.test = RankingMetrics{};
        e.beyond = beyond(3.0);
        runs.appendEpoch(id, e);
        charts.flushNow();
        QCOMPARE(charts.accuracyPointCount(id, 4), 3);
        QCOMPARE(charts.firstAccuracyValue(id, 4), 10.0);

        // The vector-length diagnostic: one point per movie of every ticked run with a model,
        // unrated movies at x = 0.5.
        auto model = std::make_shared<TrainedModel>();
        model->candidateEmbeddings.resize(3, 2);
        model->candidateEmbeddings << 3.0f, 4.0f, 0.0f, 1.0f, 6.0f, 8.0f;
        model->catalogue.popularity = {0, 7, 20};
        runs.setTrainedModel(id, model);
        charts.setMetric(TrainingCharts::Metric::VectorLength);
        QCOMPARE(charts.lengthPoints(id), (QList<QPointF>{{0.5, 5.0}, {7.0, 1.0}, {20.0, 10.0}}));
        QVERIFY(charts.lengthPoints(seen).isEmpty()); // no model
        runs.setVisible(id, false);
        QVERIFY(charts.lengthPoints(id).isEmpty());
        runs.setVisible(id, true);
        QCOMPARE(charts.lengthPoints(id).size(), 3);

        // And back: accuracy as before.
        charts.setMetric(TrainingCharts::Metric::Accuracy);
        charts.flushNow();
        QCOMPARE(charts.firstAccuracyValue(id, 4), 0.16);
    }
};

QTEST_MAIN(TestBeyondAccuracyViews)
#include "test_beyond_accuracy_views.moc"
