// The train/test split in the GUI: the Train form's "Test ratings" choice (random or by time)
// reaches TrainConfig, is saved and restored with the form, and teaches in its tooltip; the
// Data tab shows the split the form describes (counts, the cut, test ratings per month); a
// run trained with the time split carries it, and the real-user picker counts each user's
// training and test ratings by that split.

#include "charts/distribution_chart.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/model_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/training_controller.hpp"
#include "data/dataset_summary.hpp"
#include "data/split.hpp"
#include "main_window.hpp"
#include "model/trained_model.hpp"
#include "model/training_split.hpp"
#include "test_support.hpp"
#include "ui_test_support.hpp"
#include "views/data_view.hpp"
#include "views/real_user_picker.hpp"
#include "views/recommend_view.hpp"
#include "views/train_form.hpp"
#include "views/train_view.hpp"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSpinBox>
#include <QTabWidget>
#include <QtTest>

#include <algorithm>
#include <limits>
#include <memory>
#include <set>

using namespace towerlab;

class TestSplitChoice : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;

    static QComboBox* splitBox(QWidget* root) {
        auto* box = root->findChild<QComboBox*>(QStringLiteral("split"));
        if (box == nullptr) {
            qFatal("no split combo box");
        }
        return box;
    }

    // With TOWERLAB_SCREENSHOT_DIR set (as test_screenshots uses it), the grab is written there
    // to be looked at.
    static void saveShot(QWidget* widget, const QString& name) {
        const QByteArray dir = qgetenv("TOWERLAB_SCREENSHOT_DIR");
        if (dir.isEmpty()) {
            return;
        }
        QCoreApplication::processEvents();
        QDir().mkpath(QString::fromLocal8Bit(dir));
        QVERIFY(widget->grab().save(QDir(QString::fromLocal8Bit(dir)).filePath(name + ".png")));
    }

    static void choose(QComboBox* box, const char* kind) {
        const int index = box->findData(QString::fromLatin1(kind));
        QVERIFY(index >= 0);
        box->setCurrentIndex(index);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        test::isolateSettings(m_settings);
    }

    void formOffersTheSplitAndTeaches() {
        TrainForm form;
        QComboBox* box = splitBox(&form);
        QCOMPARE(box->count(), 2);
        QCOMPARE(box->currentData().toString(), QStringLiteral("random"));
        QVERIFY(form.values()->training.split == SplitKind::Random);
        const QString tip = box->toolTip();
        QVERIFY2(tip.contains(QStringLiteral("sees the future")), qPrintable(tip));
        QVERIFY2(tip.contains(QStringLiteral("predict what comes next")), qPrintable(tip));

        QSignalSpy edited(&form, &TrainForm::edited);
        choose(box, "time");
        QVERIFY(edited.count() >= 1); // the Data tab hears of it
        const auto values = form.values();
        QVERIFY(values.has_value());
        QVERIFY(values->training.split == SplitKind::Time);
        QVERIFY(form.splitSettings().split == SplitKind::Time);
        QCOMPARE(form.splitSettings().seed, values->training.seed);

        // Saved and restored with the other fields.
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        form.saveSettings(settings);
        TrainForm restored;
        restored.loadSettings(settings);
        QVERIFY(restored.values()->training.split == SplitKind::Time);
        // A value this build does not know reads as the random split.
        settings.setValue(QStringLiteral("trainForm/split"), QStringLiteral("leave-one-out"));
        TrainForm unknown;
        unknown.loadSettings(settings);
        QVERIFY(unknown.values()->training.split == SplitKind::Random);

        // setValues (a run's settings) and the tutorial defaults set it too.
        TrainConfig time;
        time.split = SplitKind::Time;
        unknown.setValues(ModelConfig{}, time);
        QCOMPARE(splitBox(&unknown)->currentData().toString(), QStringLiteral("time"));
        restored.resetToDefaults();
        QVERIFY(restored.values()->training.split == SplitKind::Random);
    }

    // In the whole window: the choice reaches the Data tab's text and chart, then a run, its
    // model and the real-user picker.
    void timeSplitReachesTheDataTabAndTheRun() {
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.datasets()->dataset() != nullptr, 10000);
        const std::shared_ptr<const Dataset> demo = window.datasets()->dataset();
        TrainForm* form = window.trainView()->form();
        form->resetToDefaults();
        QLabel* label = window.dataView()->splitLabel();
        DistributionChart* chart = window.dataView()->timeChart();
        const QLocale l;

        TrainConfig random;
        const TrainTestSplit randomSplit = splitForTraining(*demo, random);
        // Built on the thread pool: it arrives a moment later.
        QTRY_VERIFY2_WITH_TIMEOUT(label->text().contains(QStringLiteral("<b>random</b>, seed 42")),
                                  qPrintable(label->text()), 5000);
        QVERIFY(label->text().contains(l.toString(qulonglong(randomSplit.test.size()))));
        QVERIFY(chart->showsParts());

        choose(splitBox(form), "time");
        TrainConfig time;
        time.split = SplitKind::Time;
        const TrainTestSplit timeSplit = splitForTraining(*demo, time);
        std::int64_t firstTest = std::numeric_limits<std::int64_t>::max();
        for (const auto i : timeSplit.test) {
            firstTest = std::min<std::int64_t>(
                firstTest, demo->ratings[static_cast<std::size_t>(i)].timestamp);
        }
        const QDateTime cutTime = QDateTime::fromSecsSinceEpoch(firstTest, Qt::UTC);
        const QString cut =
            cutTime.toString(QStringLiteral("yyyy-MM-dd hh:mm:ss")) + QStringLiteral(" UTC");
        QTRY_VERIFY2_WITH_TIMEOUT(label->text().contains(QStringLiteral("<b>by time</b>")),
                                  qPrintable(label->text()), 5000);
        const QString text = label->text();
        QVERIFY2(text.contains(QStringLiteral("The cut: %1").arg(cut)), qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("<b>%1</b> earliest ratings train")
                                  .arg(l.toString(qulonglong(timeSplit.train.size())))));
        QVERIFY(text.contains(QStringLiteral("<b>%1</b> latest test")
                                  .arg(l.toString(qulonglong(timeSplit.test.size())))));
        QVERIFY(chart->showsParts());
        QVERIFY2(chart->chartTitle().contains(
                     QStringLiteral("test from %1 on").arg(cutTime.date().toString(Qt::ISODate))),
                 qPrintable(chart->chartTitle()));
        // Test ratings by month: none before the cut's month, all of each month after it.
        const std::vector<std::size_t> byMonth = ratingsByMonthOf(*demo, timeSplit.test);
        const DatasetSummary summary = summarizeDataset(*demo);
        QCOMPARE(byMonth.size(), summary.ratingsByMonth.size());
        std::size_t testTotal = 0;
        bool reachedCut = false;
        for (std::size_t m = 0; m < byMonth.size(); ++m) {
            if (reachedCut) {
                QCOMPARE(byMonth[m], summary.ratingsByMonth[m].count);
            }
            reachedCut = reachedCut || byMonth[m] > 0;
            testTotal += byMonth[m];
        }
        QCOMPARE(testTotal, timeSplit.test.size());
        window.tabs()->setCurrentIndex(MainWindow::DataTab);
        saveShot(&window, QStringLiteral("1280x800-data-time-split"));
        if (auto* summary = window.findChild<QScrollArea*>(QStringLiteral("summaryScroll"))) {
            saveShot(summary->widget(), QStringLiteral("data-summary-time-split"));
        }
        window.tabs()->setCurrentIndex(MainWindow::TrainTab);
        saveShot(&window, QStringLiteral("1280x800-train-time-split"));

        // A run with it: its config, its model and the real users follow the time split.
        form->findChild<QSpinBox*>(QStringLiteral("epochs"))->setValue(1);
        form->findChild<QSpinBox*>(QStringLiteral("evalEvery"))->setValue(0);
        auto* train = window.findChild<QPushButton*>(QStringLiteral("trainButton"));
        QVERIFY(train != nullptr && train->isEnabled());
        QTest::mouseClick(train, Qt::LeftButton);
        QCOMPARE(window.runs()->count(), 1);
        const int id = window.runs()->at(0).id;
        QVERIFY(window.runs()->find(id)->training.split == SplitKind::Time);
        QTRY_COMPARE_WITH_TIMEOUT(window.training()->state(), TrainingController::State::Idle,
                                  60000);
        QTRY_COMPARE_WITH_TIMEOUT(window.models()->currentRun(), id, 5000);
        QVERIFY(window.models()->current()->training.split == SplitKind::Time);

        RecommendView* recommend = window.recommendView();
        QTRY_VERIFY_WITH_TIMEOUT(!recommend->ratedMoviesPending(), 10000);
        // The user with the most test ratings of the time split (the latest raters).
        std::vector<int> testCounts(demo->users.size(), 0);
        for (const auto i : timeSplit.test) {
            ++testCounts[static_cast<std::size_t>(demo->ratings[static_cast<std::size_t>(i)].user)];
        }
        const auto user = static_cast<std::size_t>(
            std::max_element(testCounts.begin(), testCounts.end()) - testCounts.begin());
        std::set<int> trainMovies;
        std::set<int> testMovies;
        for (const auto* part : {&timeSplit.train, &timeSplit.test}) {
            for (const auto i : *part) {
                const Rating& r = demo->ratings[static_cast<std::size_t>(i)];
                if (static_cast<std::size_t>(r.user) == user) {
                    (part == &timeSplit.train ? trainMovies : testMovies).insert(r.movie);
                }
            }
        }
        QVERIFY(recommend->userPicker()->pickUser(demo->users[user].id));
        auto* summaryLabel = recommend->findChild<QLabel*>(QStringLiteral("realUserSummary"));
        QVERIFY(summaryLabel != nullptr);
        const QString counts = QStringLiteral("%1 in training, %2 in test")
                                   .arg(trainMovies.size())
                                   .arg(testMovies.size());
        QTRY_VERIFY2_WITH_TIMEOUT(summaryLabel->text().contains(counts),
                                  qPrintable(summaryLabel->text() + " / " + counts), 5000);
    }
};

QTEST_MAIN(TestSplitChoice)
#include "test_split_choice.moc"
