// "Repeat with N seeds" and the verdict in the window. On hand-made runs: a seed set's mean ± sd
// in the run table is summarizeSeeds of its runs, the verdict is the core's verdictSentence of
// pairedSeedVerdict over the shared seeds, fewer than two shared seeds say why there is no
// test, stopped runs stay out, and the seeded ablation's summary words each verdict. On the
// demo data through the Train tab: N = 3 queues three runs with seeds s..s+2 as one set, the
// chart draws the set's mean and band at every evaluation, the table and the verdict panel
// show the core's numbers for two trained sets, and a seeded ablation gives a verdict per
// removed feature.

#include "charts/training_charts.hpp"
#include "controllers/ablation.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/model_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/seed_sets.hpp"
#include "controllers/train_tab_controller.hpp"
#include "controllers/training_controller.hpp"
#include "models/run_table_model.hpp"
#include "train/model_evaluation.hpp"
#include "ui_test_support.hpp"
#include "views/train_form.hpp"
#include "views/train_view.hpp"
#include "views/verdict_panel.hpp"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QtTest>

#include <cmath>

using namespace towerlab;

namespace {

constexpr std::size_t kTop100 = 4;

RunRecord finishedRun(std::uint64_t seed, double top100, const QString& seedSet,
                      RunStatus status = RunStatus::Completed) {
    RunRecord run;
    run.seedSet = seedSet;
    run.group = seedSet;
    run.training.seed = seed;
    run.status = status;
    EpochRecord e;
    e.epoch = 1;
    RankingMetrics m;
    m.topK = {0.01, 0.02, 0.03, 0.04, top100};
    e.test = m;
    run.history.epochs.push_back(e);
    return run;
}

// The row of a seed set in the (unsorted) table model, or -1.
int setRow(const RunTableModel& model, const QString& set) {
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, 0).data(static_cast<int>(RunTableModel::Role::SeedSet)).toString() ==
            set) {
            return row;
        }
    }
    return -1;
}

std::vector<double> finalTop100(const RunCollection& runs, const QString& set) {
    std::vector<double> values;
    for (const int id : seedSetRuns(runs, set)) {
        values.push_back(runs.find(id)->finalMetrics()->topK[kTop100]);
    }
    return values;
}

} // namespace

class TestSeedSets : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        test::isolateSettings(m_settings);
    }

    void aSetIsSummarisedAndComparedWithTheCoresNumbers() {
        RunCollection runs;
        RunTableModel model(&runs);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        const std::vector<double> a{0.10, 0.12, 0.11};
        const std::vector<double> b{0.13, 0.15, 0.16};
        for (std::uint64_t i = 0; i < 3; ++i) {
            runs.add(finishedRun(1 + i, a[i], QStringLiteral("a")));
        }
        for (std::uint64_t i = 0; i < 3; ++i) {
            runs.add(finishedRun(1 + i, b[i], QStringLiteral("b")));
        }
        // One row per set, then one per run.
        QCOMPARE(model.rowCount(), 8);
        const int rowA = setRow(model, QStringLiteral("a"));
        QCOMPARE(rowA, 0);
        QCOMPARE(model.runIdAt(2), runs.at(0).id);
        QCOMPARE(model.index(rowA, RunTableModel::Top100).data().toString(),
                 QStringLiteral("0.110 ± 0.010"));
        const SeedSummary sb = summarizeSeeds(b);
        QCOMPARE(model.index(setRow(model, QStringLiteral("b")), RunTableModel::Top100)
                     .data()
                     .toString(),
                 QStringLiteral("%1 ± %2").arg(sb.mean, 0, 'f', 3).arg(sb.sd, 0, 'f', 3));
        QCOMPARE(model.index(rowA, RunTableModel::Run).data().toString(),
                 QStringLiteral("#1–3 [32] adagrad 0.1 · seeds 1–3 (mean)"));
        QCOMPARE(model.index(rowA, RunTableModel::Status).data().toString(),
                 QStringLiteral("3 seeds done"));
        // The set's runs share its colour; their own curves start unticked.
        QCOMPARE(runs.at(1).colour, runs.at(0).colour);
        QVERIFY(runs.at(3).colour != runs.at(0).colour);

        const SeedComparison c = compareContenders(runs, {QStringLiteral("a"), 0},
                                                   {QStringLiteral("b"), 0}, RunMetric::Top100);
        QCOMPARE(c.sharedSeeds, (std::vector<std::uint64_t>{1, 2, 3}));
        QVERIFY(c.verdict.has_value());
        QCOMPARE(c.text, QString::fromStdString(
                             verdictSentence(pairedSeedVerdict(a, b), "top-100", "A", "B")));
        QVERIFY2(c.text.startsWith(QStringLiteral("B is better by 0.037")), qPrintable(c.text));

        // A stopped run is left out of the mean and the pairs.
        runs.add(finishedRun(4, 0.5, QStringLiteral("a"), RunStatus::Stopped));
        runs.add(finishedRun(4, 0.0, QStringLiteral("b"), RunStatus::Stopped));
        QCOMPARE(model.index(setRow(model, QStringLiteral("a")), RunTableModel::Top100)
                     .data()
                     .toString(),
                 QStringLiteral("0.110 ± 0.010"));
        QCOMPARE(compareContenders(runs, {QStringLiteral("a"), 0}, {QStringLiteral("b"), 0},
                                   RunMetric::Top100)
                     .text,
                 c.text);

        // The same set twice is no comparison.
        QVERIFY(compareContenders(runs, {QStringLiteral("a"), 0}, {QStringLiteral("a"), 0},
                                  RunMetric::Top100)
                    .text.contains(QStringLiteral("same")));
    }

    void fewerThanTwoSharedSeedsSayWhy() {
        RunCollection runs;
        runs.add(finishedRun(1, 0.10, QStringLiteral("a")));
        runs.add(finishedRun(2, 0.12, QStringLiteral("a")));
        runs.add(finishedRun(2, 0.20, QStringLiteral("c")));
        runs.add(finishedRun(9, 0.20, QStringLiteral("c")));
        const int single = runs.add(finishedRun(1, 0.3, QString()));
        const SeedComparison one = compareContenders(runs, {QStringLiteral("a"), 0},
                                                     {QStringLiteral("c"), 0}, RunMetric::Top100);
        QVERIFY(!one.verdict);
        QCOMPARE(one.sharedSeeds.size(), std::size_t{1});
        QVERIFY2(one.text.contains(QStringLiteral("No paired test is possible")) &&
                     one.text.contains(QStringLiteral("share 1 finished seed,")) &&
                     one.text.contains(QStringLiteral("at least two seeds")),
                 qPrintable(one.text));
        QVERIFY2(one.text.contains(QStringLiteral("seeds 1–2")) &&
                     one.text.contains(QStringLiteral("seeds 2, 9")),
                 qPrintable(one.text));
        // Two single runs share at most one seed.
        const SeedComparison runs2 = compareContenders(runs, {QString(), single},
                                                       {QStringLiteral("a"), 0}, RunMetric::Top100);
        QVERIFY(!runs2.verdict);
        QVERIFY(runs2.text.contains(QStringLiteral("No paired test is possible")));
        // A metric the runs were not measured with.
        const SeedComparison unseen = compareContenders(
            runs, {QStringLiteral("a"), 0}, {QStringLiteral("c"), 0}, RunMetric::Top100Unseen);
        QVERIFY2(unseen.text.contains(QStringLiteral("Neither A nor B")), qPrintable(unseen.text));
    }

    void theSeededAblationWordsEachVerdict() {
        const std::vector<double> full{0.30, 0.31, 0.32};
        const std::vector<double> noId{0.25, 0.27, 0.26};     // clearly worse
        const std::vector<double> noGender{0.31, 0.30, 0.32}; // no detectable difference
        const auto comparison = [&](const std::vector<double>& without) {
            SeedComparison c;
            c.sharedSeeds = {1, 2, 3};
            c.first = full;
            c.second = without;
            c.verdict = pairedSeedVerdict(full, without);
            return c;
        };
        SeedComparison notRun;
        notRun.sharedSeeds = {1};
        const AblationVerdictText text =
            summarizeSeededAblation({{QStringLiteral("gender"), comparison(noGender)},
                                     {QStringLiteral("user_id"), comparison(noId)},
                                     {QStringLiteral("age"), notRun}},
                                    3, RunMetric::Top100);
        const QStringList lines = text.summary.split('\n');
        QCOMPARE(lines.size(), 4);
        QVERIFY2(lines[0].contains(QStringLiteral("over 3 seeds")), qPrintable(lines[0]));
        const DifferenceVerdict id = pairedSeedVerdict(full, noId);
        QCOMPARE(lines[1], QStringLiteral("without user_id: worse by %1 ± %2 (p = %3)")
                               .arg(std::abs(id.difference), 0, 'f', 3)
                               .arg((id.high - id.low) / 2, 0, 'f', 3)
                               .arg(id.pValue, 0, 'f', 3));
        QVERIFY2(lines[2].startsWith(
                     QStringLiteral("without gender: no difference this test can detect (")),
                 qPrintable(lines[2]));
        QVERIFY2(lines[3].startsWith(QStringLiteral("without age: not tested")),
                 qPrintable(lines[3]));
        QCOMPARE(text.details.split('\n').size(), 2);
        QCOMPARE(text.details.split('\n')[0],
                 QString::fromStdString(
                     verdictSentence(id, "top-100", "all features", "without user_id")));
    }

    // Through the Train tab on the demo data: two 3-seed sets, their rows, chart and verdict.
    void twoTrainedSetsAreTabledDrawnAndJudged() {
        RunCollection runs;
        TrainingController training(&runs);
        DatasetController data;
        ModelController models;
        QSignalSpy loaded(&data, &DatasetController::loadingFinished);
        data.loadDemo();
        QVERIFY(loaded.wait(20000));
        TrainView view(&runs, &training, &data, &models);
        view.resize(1280, 800);
        view.show();
        view.form()->setDataset(*data.dataset());
        view.form()->findChild<QSpinBox*>(QStringLiteral("epochs"))->setValue(2);
        view.form()->findChild<QSpinBox*>(QStringLiteral("evalEvery"))->setValue(1);
        view.form()->findChild<QSpinBox*>(QStringLiteral("seed"))->setValue(5);
        auto* repeats = view.form()->findChild<QSpinBox*>(QStringLiteral("seedRepeats"));
        QVERIFY(repeats != nullptr);
        QCOMPARE(repeats->value(), 1);
        QCOMPARE(repeats->maximum(), 10);
        QVERIFY(repeats->toolTip().contains(QStringLiteral("luck")));
        repeats->setValue(3);

        const int first = view.startTraining();
        QVERIFY(first > 0);
        QCOMPARE(runs.count(), 3);
        const QString setA = runs.at(0).seedSet;
        QVERIFY(!setA.isEmpty());
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(runs.at(i).seedSet, setA);
            QCOMPARE(runs.at(i).group, setA);
            QCOMPARE(runs.at(i).training.seed, std::uint64_t(5 + i));
            QCOMPARE(runs.at(i).model, runs.at(0).model);
            TrainConfig same = runs.at(i).training;
            same.seed = runs.at(0).training.seed;
            QCOMPARE(same.learningRate, runs.at(0).training.learningRate);
            QVERIFY(!runs.at(i).visible); // drawn as the set's mean
        }
        QCOMPARE(training.queuedRuns(), 2); // one after another

        // The chart follows the set while its runs train.
        QTRY_VERIFY_WITH_TIMEOUT(runs.at(0).status == RunStatus::Completed, 60000);
        view.charts()->flushNow();
        QCOMPARE(view.charts()->seedSetBand(setA, kTop100, true).size(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(training.state(), TrainingController::State::Idle, 120000);
        view.charts()->flushNow();

        // The mean and the band from the lowest to the highest seed, at each evaluation.
        const QList<QPointF> mean = view.charts()->seedSetMean(setA, kTop100);
        const QList<QPointF> upper = view.charts()->seedSetBand(setA, kTop100, true);
        const QList<QPointF> lower = view.charts()->seedSetBand(setA, kTop100, false);
        QCOMPARE(mean.size(), 2);
        QCOMPARE(upper.size(), 2);
        QCOMPARE(lower.size(), 2);
        QCOMPARE(view.charts()->seedSetLossBand(setA, true).size(), 2);
        for (int e = 0; e < 2; ++e) {
            std::vector<double> v;
            for (const int id : seedSetRuns(runs, setA)) {
                v.push_back(runs.find(id)->history.epochs[e].test->topK[kTop100]);
            }
            QCOMPARE(mean[e].x(), double(e + 1));
            QCOMPARE(mean[e].y(), summarizeSeeds(v).mean);
            QCOMPARE(upper[e].y(), *std::max_element(v.begin(), v.end()));
            QCOMPARE(lower[e].y(), *std::min_element(v.begin(), v.end()));
        }
        QVERIFY(view.charts()->seedSetShown(setA));
        QVERIFY(!view.charts()->runShown(first));
        // Unticking the set's row hides its band.
        auto* table = view.runTable();
        auto* model = qobject_cast<RunTableModel*>(
            qobject_cast<QSortFilterProxyModel*>(table->model())->sourceModel());
        QVERIFY(model != nullptr);
        const int rowA = setRow(*model, setA);
        QVERIFY(rowA >= 0);
        model->setData(model->index(rowA, RunTableModel::Run), Qt::Unchecked, Qt::CheckStateRole);
        QVERIFY(!view.charts()->seedSetShown(setA));
        model->setData(model->index(rowA, RunTableModel::Run), Qt::Checked, Qt::CheckStateRole);

        // The set's row: mean ± sd of the three final top-100s, as the core summarises them.
        const SeedSummary summaryA = summarizeSeeds(finalTop100(runs, setA));
        QCOMPARE(summaryA.runs, 3);
        QCOMPARE(
            model->index(rowA, RunTableModel::Top100).data().toString(),
            QStringLiteral("%1 ± %2").arg(summaryA.mean, 0, 'f', 3).arg(summaryA.sd, 0, 'f', 3));

        // A second configuration on the same seeds.
        view.form()
            ->findChild<QLineEdit*>(QStringLiteral("layers"))
            ->setText(QStringLiteral("64,32"));
        QVERIFY(view.startTraining() > 0);
        QCOMPARE(runs.count(), 6);
        const QString setB = runs.at(3).seedSet;
        QVERIFY(setB != setA);
        QVERIFY(runs.at(3).colour != runs.at(0).colour);
        QTRY_COMPARE_WITH_TIMEOUT(training.state(), TrainingController::State::Idle, 120000);

        // The panel picks the two newest sets and shows the core's sentence.
        VerdictPanel* panel = view.verdictPanel();
        panel->refreshNow();
        QCOMPARE(panel->first(), (Contender{setA, 0}));
        QCOMPARE(panel->second(), (Contender{setB, 0}));
        QCOMPARE(panel->metric(), RunMetric::Top100);
        const std::string expected =
            verdictSentence(pairedSeedVerdict(finalTop100(runs, setA), finalTop100(runs, setB)),
                            "top-100", "A", "B");
        QCOMPARE(panel->verdictText(), QString::fromStdString(expected));
        QVERIFY2(panel->sidesText().contains(summaryText(summaryA, RunMetric::Top100)),
                 qPrintable(panel->sidesText()));
        // Another metric of the table.
        panel->setMetric(RunMetric::Top10);
        std::vector<double> a10;
        std::vector<double> b10;
        for (const int id : seedSetRuns(runs, setA)) {
            a10.push_back(runs.find(id)->finalMetrics()->topK[2]);
        }
        for (const int id : seedSetRuns(runs, setB)) {
            b10.push_back(runs.find(id)->finalMetrics()->topK[2]);
        }
        QCOMPARE(panel->verdictText(), QString::fromStdString(verdictSentence(
                                           pairedSeedVerdict(a10, b10), "top-10", "A", "B")));
        panel->setMetric(RunMetric::Top100);

        // A single run on another seed shares no seed with the set: the panel says why.
        repeats->setValue(1);
        view.form()->findChild<QSpinBox*>(QStringLiteral("seed"))->setValue(42);
        const int single = view.startTraining();
        QCOMPARE(runs.count(), 7);
        QVERIFY(runs.find(single)->seedSet.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(training.state(), TrainingController::State::Idle, 60000);
        QVERIFY(panel->setContenders({setA, 0}, {QString(), single}));
        QVERIFY2(panel->verdictText().contains(QStringLiteral("No paired test is possible")) &&
                     panel->verdictText().contains(QStringLiteral("share 0 finished seeds")),
                 qPrintable(panel->verdictText()));

        // Two single runs on the same seed (the same test ratings): a paired bootstrap over the
        // test examples, with the core's numbers.
        view.form()->findChild<QLineEdit*>(QStringLiteral("layers"))->setText(QStringLiteral("32"));
        const int single2 = view.startTraining();
        QTRY_COMPARE_WITH_TIMEOUT(training.state(), TrainingController::State::Idle, 60000);
        QVERIFY(panel->setContenders({QString(), single}, {QString(), single2}));
        QVERIFY2(panel->verdictText().contains(QStringLiteral("paired bootstrap")),
                 qPrintable(panel->verdictText()));
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isComparingQueries(), 30000);
        panel->refreshNow();
        const Evaluation ea = evaluateModel(*runs.find(single)->trainedModel, *data.dataset());
        const Evaluation eb = evaluateModel(*runs.find(single2)->trainedModel, *data.dataset());
        QCOMPARE(ea.testRatings, eb.testRatings);
        std::vector<double> ha;
        std::vector<double> hb;
        for (std::size_t i = 0; i < ea.modelRanks.size(); ++i) {
            ha.push_back(ea.modelRanks[i] <= 100 ? 1.0 : 0.0);
            hb.push_back(eb.modelRanks[i] <= 100 ? 1.0 : 0.0);
        }
        const std::string bootstrap =
            verdictSentence(pairedBootstrapVerdict(ha, hb), "top-100", "A", "B");
        QVERIFY2(
            panel->verdictText().startsWith(QString::fromStdString(bootstrap)),
            qPrintable(panel->verdictText() + " | expected " + QString::fromStdString(bootstrap)));
        // Coverage has no value per test example: the panel says so.
        panel->setMetric(RunMetric::Coverage100);
        QTRY_VERIFY_WITH_TIMEOUT(!panel->isComparingQueries(), 30000);
        panel->refreshNow();
        QVERIFY2(panel->verdictText().contains(QStringLiteral("one value per test example")),
                 qPrintable(panel->verdictText()));
        panel->setMetric(RunMetric::Top100);

        // Sixteen columns at 1280 px: the table scrolls sideways instead of squeezing.
        QCoreApplication::processEvents();
        QVERIFY(table->horizontalScrollBar()->maximum() > 0);
    }

    void aSeededAblationGivesAVerdictPerFeature() {
        RunCollection runs;
        TrainingController training(&runs);
        DatasetController data;
        QSignalSpy loaded(&data, &DatasetController::loadingFinished);
        data.loadDemo();
        QVERIFY(loaded.wait(20000));
        TrainTabController tab(&runs, &training, &data);
        ModelConfig model;
        model.features.setUserFeatures("age,gender");
        model.features.setMovieFeatures("title_id");
        TrainConfig t;
        t.epochs = 1;
        t.evalEvery = 1;
        t.threads = 1;
        t.seed = 3;
        QSignalSpy groups(&training, &TrainingController::groupFinished);
        // All features, without age, without gender; each with seeds 3 and 4.
        QCOMPARE(tab.startAblation(model, t, 2), 6);
        QCOMPARE(seedSetKeys(runs).size(), std::size_t{3});
        for (int i = 0; i < 6; ++i) {
            QCOMPARE(runs.at(i).training.seed, std::uint64_t(3 + i % 2));
        }
        QTRY_COMPARE_WITH_TIMEOUT(groups.count(), 1, 120000);
        const QStringList lines = tab.ablationSummary().split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY2(lines[0].contains(QStringLiteral("over 2 seeds")), qPrintable(lines[0]));
        QVERIFY(tab.ablationSummary().contains(QStringLiteral("without age: ")));
        QVERIFY(tab.ablationSummary().contains(QStringLiteral("without gender: ")));
        // Each verdict is the core's, over the runs' own numbers.
        const QString all = runs.at(0).seedSet;
        const QString noAge = runs.at(2).seedSet;
        QCOMPARE(runs.at(2).removedFeature, QStringLiteral("age"));
        const std::string sentence =
            verdictSentence(pairedSeedVerdict(finalTop100(runs, all), finalTop100(runs, noAge)),
                            "top-100", "all features", "without age");
        QVERIFY2(tab.ablationDetails().contains(QString::fromStdString(sentence)),
                 qPrintable(tab.ablationDetails()));
    }
};

QTEST_MAIN(TestSeedSets)
#include "test_seed_sets.moc"
