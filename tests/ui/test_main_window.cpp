// The whole window on the offscreen platform, driven as a user would: set form values, click
// Train, watch evaluations reach the charts, stop, save and reopen a model, export, and see
// bad input refused with a message while the application keeps working. Also measures how
// long the GUI thread's event loop ever stalls while a run trains.

#include "charts/training_charts.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/model_controller.hpp"
#include "controllers/query_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/training_controller.hpp"
#include "data/demo_dataset.hpp"
#include "data/movielens_1m.hpp"
#include "event_loop_probe.hpp"
#include "io/model_file.hpp"
#include "main_window.hpp"
#include "model/feature_availability.hpp"
#include "model/trained_model.hpp"
#include "models/movie_table_model.hpp"
#include "test_support.hpp"
#include "train/trainer.hpp"
#include "ui_test_support.hpp"
#include "views/real_user_picker.hpp"
#include "views/train_form.hpp"
#include "views/train_view.hpp"

#include <QCheckBox>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

#include <atomic>
#include <memory>

using namespace towerlab;
using State = TrainingController::State;

class TestMainWindow : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_settings;
    QTemporaryDir m_files;

    template <typename T> T* child(const char* name) const {
        T* w = m_window->findChild<T*>(QString::fromLatin1(name));
        if (w == nullptr) {
            qFatal("no child widget named %s", name);
        }
        return w;
    }

    void setText(const char* name, const QString& text) {
        auto* edit = child<QLineEdit>(name);
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
        QCOMPARE(edit->text(), text);
    }

    // A short run on the demo data: 3 epochs, evaluated after each.
    void setShortRun(int epochs = 3) {
        m_window->trainView()->form()->resetToDefaults();
        child<QSpinBox>("epochs")->setValue(epochs);
        child<QSpinBox>("evalEvery")->setValue(1);
    }

    void clickTrain() {
        auto* train = child<QPushButton>("trainButton");
        QVERIFY(train->isEnabled());
        QTest::mouseClick(train, Qt::LeftButton);
    }

    // Trains with the form's settings in the real event loop (no qWait) until the run ends or
    // timeoutMs passes, with `probe` recording the loop's longest stall.
    void trainWatchingTheEventLoop(test::EventLoopProbe& probe, int timeoutMs) {
        QEventLoop loop;
        connect(m_window->training(), &TrainingController::stateChanged, &loop, [&](State s) {
            if (s == State::Idle) {
                loop.quit();
            }
        });
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        clickTrain();
        probe.start();
        loop.exec();
        probe.stop();
    }

    void waitIdle(int timeoutMs) {
        QTRY_COMPARE_WITH_TIMEOUT(m_window->training()->state(), State::Idle, timeoutMs);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid() && m_files.isValid());
        test::isolateSettings(m_settings);
    }

    void init() {
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->datasets()->dataset() != nullptr, 10000);
    }

    void cleanup() { m_window.reset(); }

    void startsInUnderTwoSeconds() {
        TOWERLAB_TIMING_ONLY();
        m_window.reset();
        QElapsedTimer clock;
        clock.start();
        m_window = std::make_unique<MainWindow>();
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->datasets()->dataset() != nullptr, 2000);
        qDebug("window shown with the demo dataset loaded after %lld ms",
               static_cast<long long>(clock.elapsed()));
        QVERIFY(clock.elapsed() < 2000);
    }

    void startsOnTheDemoDataWithEveryTab() {
        QCOMPARE(m_window->tabs()->count(), 6);
        QCOMPARE(m_window->tabs()->tabText(0), QStringLiteral("&Data"));
        QCOMPARE(m_window->tabs()->tabText(MainWindow::BatchTab), QStringLiteral("&Batch"));
        QCOMPARE(m_window->tabs()->tabText(5), QStringLiteral("&Embeddings"));
        QCOMPARE(QString::fromStdString(m_window->datasets()->dataset()->name),
                 QStringLiteral("TowerLab demo"));
        QVERIFY(child<QLabel>("datasetStatus")->text().contains(QStringLiteral("TowerLab demo")));
        // The tutorial's model is the default.
        const auto values = m_window->trainView()->form()->values();
        QVERIFY(values.has_value());
        QCOMPARE(values->model, ModelConfig{});
        QCOMPARE(values->training.epochs, 50);
        QCOMPARE(values->training.batchSize, 2048);
    }

    void trainShowsEvaluationsInTheCharts() {
        setShortRun(3);
        QSignalSpy epochs(m_window->runs(), &RunCollection::epochAppended);
        clickTrain();
        QCOMPARE(m_window->runs()->count(), 1);
        const int id = m_window->runs()->at(0).id;
        // Until an evaluation arrives...
        QTRY_VERIFY_WITH_TIMEOUT(m_window->runs()->find(id)->finalMetrics() != nullptr, 20000);
        QVERIFY(epochs.count() >= 1);
        // ...and reaches the charts at the next flush.
        TrainingCharts* charts = m_window->trainView()->charts();
        QTRY_VERIFY_WITH_TIMEOUT(charts->accuracyPointCount(id, 4) >= 1, 2000);
        waitIdle(30000);
        charts->flushNow();
        const RunRecord* run = m_window->runs()->find(id);
        QCOMPARE(run->status, RunStatus::Completed);
        QCOMPARE(charts->epochPointCount(id), 3);
        for (std::size_t c = 0; c < 5; ++c) {
            QCOMPARE(charts->accuracyPointCount(id, c), 3);
        }
        // Full batches only: the demo's last batch per epoch is smaller and left out.
        const int perEpoch = run->batchesPerEpoch - (run->lastBatchIsPartial() ? 1 : 0);
        QCOMPARE(charts->batchPointCount(id), 3 * perEpoch);
        QVERIFY(charts->baselineLineCount() >= 1);
        // The run table's check box hides and shows the run's curves.
        QAbstractItemModel* table = child<QTableView>("runTable")->model();
        QVERIFY(charts->runShown(id));
        QVERIFY(table->setData(table->index(0, 0), Qt::Unchecked, Qt::CheckStateRole));
        QVERIFY(!charts->runShown(id));
        charts->flushNow();
        QCOMPARE(charts->baselineLineCount(), 0); // no visible run, no baseline
        QVERIFY(table->setData(table->index(0, 0), Qt::Checked, Qt::CheckStateRole));
        QVERIFY(charts->runShown(id));
        // Smoothing changes the drawn batch curve, not its number of points.
        charts->setSmoothing(0.95);
        charts->flushNow();
        QCOMPARE(charts->batchPointCount(id), 3 * perEpoch);
        // The finished run is the current model.
        QCOMPARE(m_window->models()->currentRun(), id);
        QVERIFY(child<QLabel>("modelStatus")->text().contains(QStringLiteral("top-100")));
    }

    void stopWorksWithinASecond() {
        setShortRun(400);
        child<QSpinBox>("evalEvery")->setValue(0);
        clickTrain();
        const int id = m_window->runs()->at(0).id;
        QTRY_VERIFY_WITH_TIMEOUT(m_window->runs()->find(id)->history.batchLosses.size() > 2, 20000);
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(child<QPushButton>("stopButton"), Qt::LeftButton);
        waitIdle(test::timingBoundMs(1000));
        qDebug("stop took %lld ms", static_cast<long long>(clock.elapsed()));
        TOWERLAB_TIMING_CHECK(QVERIFY(clock.elapsed() < 1000));
        QCOMPARE(m_window->runs()->find(id)->status, RunStatus::Stopped);
        QVERIFY(child<QPushButton>("trainButton")->isEnabled());
        QCOMPARE(m_window->models()->currentRun(), id); // a stopped run's model is kept
    }

    void closingWhileTrainingEndsTheThread() {
        setShortRun(400);
        clickTrain();
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->runs()->at(0).history.batchLosses.empty(), 20000);
        QElapsedTimer clock;
        clock.start();
        m_window->close();
        m_window.reset();
        qDebug("closing took %lld ms", static_cast<long long>(clock.elapsed()));
        TOWERLAB_TIMING_CHECK(QVERIFY(clock.elapsed() < 1000));
    }

    void pauseAndResumeButtons() {
        setShortRun(4);
        clickTrain();
        const int id = m_window->runs()->at(0).id;
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->runs()->find(id)->history.batchLosses.empty(), 20000);
        QTest::mouseClick(child<QPushButton>("pauseButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->training()->state(), State::Paused, 2000);
        QVERIFY(child<QPushButton>("resumeButton")->isEnabled());
        QVERIFY(!child<QPushButton>("pauseButton")->isEnabled());
        QTest::mouseClick(child<QPushButton>("resumeButton"), Qt::LeftButton);
        waitIdle(30000);
        QCOMPARE(m_window->runs()->find(id)->history.epochs.size(), std::size_t{4});
    }

    void badFormValuesAreRefused_data() {
        QTest::addColumn<QString>("layers");
        QTest::addColumn<QString>("rate");
        QTest::addColumn<bool>("noMovieFeature");
        QTest::addColumn<QString>("expected");
        QTest::newRow("layer text")
            << "64,abc"
            << "0.1" << false << "Layer sizes: \"abc\" is not a whole number";
        QTest::newRow("layer zero")
            << "0"
            << "0.1" << false << "Layer sizes: each layer size must be between 1 and 4096";
        QTest::newRow("no layers") << ""
                                   << "0.1" << false << "Layer sizes: write at least one";
        QTest::newRow("rate text") << "32"
                                   << "fast" << false << "Learning rate: \"fast\" is not a number";
        QTest::newRow("rate negative")
            << "32"
            << "-1" << false << "Learning rate: must be a positive number";
        QTest::newRow("no movie feature")
            << "32"
            << "0.1" << true << "Movie features: the candidate tower needs";
    }
    void badFormValuesAreRefused() {
        QFETCH(QString, layers);
        QFETCH(QString, rate);
        QFETCH(bool, noMovieFeature);
        QFETCH(QString, expected);
        setText("layers", layers);
        setText("learningRate", rate);
        if (noMovieFeature) {
            for (const char* name : {"feature_title_id", "feature_title_text", "feature_genres"}) {
                child<QCheckBox>(name)->setChecked(false);
            }
        }
        QTest::mouseClick(child<QPushButton>("trainButton"), Qt::LeftButton);
        QCOMPARE(m_window->runs()->count(), 0);
        auto* message = child<QLabel>("validationMessage");
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().startsWith(expected), qPrintable(message->text()));
        QVERIFY(m_window->statusBar()->currentMessage().contains(expected));
        // Fixing the value clears the message and training starts.
        m_window->trainView()->form()->resetToDefaults();
        QVERIFY(!message->isVisible());
    }

    void savedModelReopensWithTheSameHistory() {
        setShortRun(2);
        clickTrain();
        waitIdle(30000);
        const RunRecord trained = m_window->runs()->at(0);
        QCOMPARE(trained.status, RunStatus::Completed);

        const QString path = m_files.filePath(QStringLiteral("run.tlm"));
        QSignalSpy saved(m_window->models(), &ModelController::saved);
        QVERIFY(m_window->saveModel(path));
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 10000);
        QVERIFY(QFileInfo::exists(path));

        // "Quit and reopen": a fresh window opens the file.
        m_window = std::make_unique<MainWindow>();
        m_window->show();
        QSignalSpy opened(m_window->models(), &ModelController::opened);
        m_window->openModel(path);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        QCOMPARE(m_window->runs()->count(), 1);
        const RunRecord& reopened = m_window->runs()->at(0);
        QCOMPARE(reopened.status, RunStatus::Loaded);
        QCOMPARE(reopened.model, trained.model);
        QCOMPARE(reopened.training, trained.training);
        QCOMPARE(reopened.history.batchLosses, trained.history.batchLosses);
        QCOMPARE(reopened.history.epochs.size(), trained.history.epochs.size());
        for (std::size_t e = 0; e < trained.history.epochs.size(); ++e) {
            QCOMPARE(reopened.history.epochs[e].meanLoss, trained.history.epochs[e].meanLoss);
            QCOMPARE(reopened.history.epochs[e].test->topK, trained.history.epochs[e].test->topK);
        }
        QCOMPARE(reopened.history.baseline->topK, trained.history.baseline->topK);
        QCOMPARE(reopened.batchesPerEpoch, trained.batchesPerEpoch);
        QCOMPARE(reopened.trainExamples, trained.trainExamples);
        // The same curves come back.
        TrainingCharts* charts = m_window->trainView()->charts();
        charts->flushNow();
        QCOMPARE(charts->epochPointCount(reopened.id), 2);
        QCOMPARE(charts->accuracyPointCount(reopened.id, 4), 2);
        QVERIFY(charts->batchPointCount(reopened.id) > 0);
        QCOMPARE(m_window->models()->currentRun(), reopened.id);
        QCOMPARE(m_window->tabs()->currentIndex(), int{MainWindow::TrainTab});
    }

    void corruptModelShowsAnErrorAndTheAppGoesOn() {
        const QString path = m_files.filePath(QStringLiteral("corrupt.tlm"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("TLM not really a model file, just some bytes to fail on");
        }
        QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
        m_window->openModel(path);
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 10000);
        const QString message = errors.at(0).at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("corrupt.tlm")), qPrintable(message));
        QVERIFY(m_window->statusBar()->currentMessage().contains(QStringLiteral("corrupt.tlm")));
        auto* box = m_window->findChild<QMessageBox*>(QStringLiteral("errorBox"));
        QVERIFY(box != nullptr);
        QVERIFY(box->isVisible());
        QVERIFY(box->text().contains(QStringLiteral("corrupt.tlm")));
        QCOMPARE(m_window->runs()->count(), 0);
        box->close();
        // The application still trains.
        setShortRun(1);
        clickTrain();
        waitIdle(30000);
        QCOMPARE(m_window->runs()->at(0).status, RunStatus::Completed);
    }

    void badDatasetShowsTheCoreMessage() {
        const QString folder = m_files.filePath(QStringLiteral("broken"));
        QVERIFY(QDir().mkpath(folder));
        const QString fixture = QStringLiteral(TOWERLAB_FIXTURES "/ml100k/valid/");
        for (const char* name : {"u.item", "u.user", "u.genre"}) {
            QVERIFY(QFile::copy(fixture + name, folder + "/" + name));
        }
        QFile data(folder + "/u.data");
        QVERIFY(data.open(QIODevice::WriteOnly));
        data.write("1\t10\t4\t881250949\n1\t10\t7\t881250950\n");
        data.close();
        QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
        m_window->openDataset(folder);
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 10000);
        const QString message = errors.at(0).at(1).toString();
        // The core names file and line.
        QVERIFY2(message.contains(QStringLiteral("u.data:2")), qPrintable(message));
        // The demo data is still loaded and usable.
        QCOMPARE(QString::fromStdString(m_window->datasets()->dataset()->name),
                 QStringLiteral("TowerLab demo"));
    }

    // Opening a model brings its dataset back when that folder is still where it was and still
    // holds the same data; otherwise the window says which dataset the model needs.
    void openingAModelReopensItsDataset() {
        const QString folder = m_files.filePath(QStringLiteral("ml-1m-copy"));
        const auto copyFixture = [&] {
            QDir(folder).removeRecursively();
            QVERIFY(QDir().mkpath(folder));
            for (const char* name : {"users.dat", "movies.dat", "ratings.dat"}) {
                QVERIFY(QFile::copy(QStringLiteral(TOWERLAB_FIXTURES "/ml1m/valid/") + name,
                                    folder + "/" + name));
            }
        };
        copyFixture();
        const QString path = m_files.filePath(QStringLiteral("ml1m.tlm"));
        {
            const Dataset data = loadMovieLens1m(folder.toStdString());
            TrainConfig training;
            training.epochs = 1;
            training.batchSize = 8;
            Trainer trainer(data, ModelConfig{}, training);
            ProgressSink quiet;
            const std::atomic<bool> cancel{false};
            trainer.fit(quiet, cancel);
            saveModel(*trainer.snapshot(), path.toStdString());
        }
        const std::string fingerprint = loadModel(path.toStdString())->datasetFingerprint;
        QCOMPARE(QString::fromStdString(m_window->datasets()->dataset()->name),
                 QStringLiteral("TowerLab demo"));

        // On the demo: the model's folder opens with it.
        m_window->openModel(path);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->datasets()->dataset()->fingerprint() == fingerprint,
                                 10000);
        QCOMPARE(m_window->datasets()->path(), QFileInfo(folder).absoluteFilePath());

        // The folder gone: the model opens on its own and the window names what it needs.
        QSignalSpy demo(m_window->datasets(), &DatasetController::datasetChanged);
        m_window->datasets()->loadDemo();
        QTRY_COMPARE_WITH_TIMEOUT(demo.count(), 1, 10000);
        QDir(folder).removeRecursively();
        m_window->openModel(path);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->findChild<QMessageBox*>(QStringLiteral("datasetNeededBox")) != nullptr,
            10000);
        auto* needed = m_window->findChild<QMessageBox*>(QStringLiteral("datasetNeededBox"));
        QVERIFY2(needed->text().contains(QStringLiteral("MovieLens 1M")) &&
                     needed->text().contains(QStringLiteral("not there any more")),
                 qPrintable(needed->text()));
        QCOMPARE(QString::fromStdString(m_window->datasets()->dataset()->name),
                 QStringLiteral("TowerLab demo"));
        needed->close();

        // The folder back but with other ratings: opened, and the window says it differs.
        copyFixture();
        QFile ratings(folder + QStringLiteral("/ratings.dat"));
        QVERIFY(ratings.open(QIODevice::Append));
        ratings.write("12::1::3::978300999\n");
        ratings.close();
        QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
        m_window->openModel(path);
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 10000);
        QCOMPARE(errors.at(0).at(0).toString(), QStringLiteral("Not the model's data any more"));
        QVERIFY(m_window->datasets()->dataset()->fingerprint() != fingerprint);

        // A demo model opened on other data brings the built-in demo back.
        const QString demoPath = m_files.filePath(QStringLiteral("demo.tlm"));
        {
            TrainConfig training;
            training.epochs = 1;
            const Dataset demoData = makeDemoDataset();
            Trainer trainer(demoData, ModelConfig{}, training);
            ProgressSink quiet;
            const std::atomic<bool> cancel{false};
            trainer.fit(quiet, cancel);
            saveModel(*trainer.snapshot(), demoPath.toStdString());
        }
        m_window->openModel(demoPath);
        QTRY_COMPARE_WITH_TIMEOUT(QString::fromStdString(m_window->datasets()->dataset()->name),
                                  QStringLiteral("TowerLab demo"), 10000);
    }

    void opensAFixtureDataset() {
        QSignalSpy changed(m_window->datasets(), &DatasetController::datasetChanged);
        m_window->openDataset(QStringLiteral(TOWERLAB_FIXTURES "/ml100k/valid"));
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
        QCOMPARE(m_window->datasets()->dataset()->users.size(), std::size_t{6});
        QVERIFY(child<QLabel>("datasetStatus")->text().contains(QStringLiteral("6 users")));
        // The users by id and the ratings by user made on the loading thread are the ones the
        // Recommend tab and its real-user picker use: nothing makes them again.
        const auto lookup = m_window->datasets()->userLookup();
        QVERIFY(lookup && lookup->isOver(m_window->datasets()->dataset()->users));
        QCOMPARE(m_window->query()->userLookup(), lookup);
        QCOMPARE(m_window->findChild<RealUserPicker*>()->userLookup(), lookup);
        QVERIFY(m_window->datasets()->ratingsByUser() != nullptr);
        QCOMPARE(m_window->query()->ratingsByUser(), m_window->datasets()->ratingsByUser());
        // The features it can feed and the movie table's first order, also made there.
        const auto& dataset = *m_window->datasets()->dataset();
        QVERIFY(m_window->datasets()->features() != nullptr);
        QCOMPARE(m_window->datasets()->features()->available(), availableFeatures(dataset));
        const auto order = m_window->datasets()->movieOrder();
        QVERIFY(order != nullptr);
        QCOMPARE(order->column, int{MovieTableModel::kDefaultSortColumn});
        QCOMPARE(order->movies.size(), dataset.movies.size());
    }

    void datasetWithoutDemographicsOffersOtherFeatures() {
        // Only demographic user features chosen: the new dataset can feed none of them.
        child<QCheckBox>("feature_timestamp_bucket")->setChecked(false);
        child<QCheckBox>("feature_timestamp_norm")->setChecked(false);
        QSignalSpy changed(m_window->datasets(), &DatasetController::datasetChanged);
        m_window->openDataset(QStringLiteral(TOWERLAB_FIXTURES "/ml-latest/valid"));
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
        QVERIFY(!m_window->datasets()->dataset()->hasDemographics);
        auto* age = child<QCheckBox>("feature_age");
        QVERIFY(!age->isEnabled());
        QVERIFY(!age->isChecked());
        QVERIFY(age->toolTip().contains(QStringLiteral("Not available")));
        // The user tower is not left empty: the core's defaults for such data are chosen.
        const auto values = m_window->trainView()->form()->values();
        QVERIFY(values.has_value());
        QVERIFY(values->model.features.anyUserFeature());
        QVERIFY(values->model.features.has(FeatureId::UserId));
        // Back on the demo data every feature is offered again.
        m_window->datasets()->loadDemo();
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 10000);
        QVERIFY(age->isEnabled());
    }

    void exportsChartsAndHistory() {
        setShortRun(2);
        clickTrain();
        waitIdle(30000);
        for (const char* name : {"charts.png", "charts.svg"}) {
            const QString path = m_files.filePath(QString::fromLatin1(name));
            QVERIFY(m_window->exportCharts(path));
            QVERIFY(QFileInfo(path).size() > 1000);
        }
        QFile svg(m_files.filePath(QStringLiteral("charts.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg"));
        QImage png(m_files.filePath(QStringLiteral("charts.png")));
        QVERIFY(!png.isNull());
        QVERIFY(png.width() > 600);

        const QString csv = m_files.filePath(QStringLiteral("history.csv"));
        QVERIFY(m_window->exportHistory(csv));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4); // header, two epochs, baseline
        QVERIFY(lines.last().startsWith(QStringLiteral("baseline,")));

        QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
        QVERIFY(!m_window->exportCharts(m_files.filePath(QStringLiteral("charts.gif"))));
        QCOMPARE(errors.count(), 1);
    }

    void ablationRunsAndNamesTheMostImportantFeature() {
        setShortRun(1);
        auto* form = m_window->trainView()->form();
        for (const char* name : {"feature_occupation", "feature_timestamp_bucket",
                                 "feature_timestamp_norm", "feature_title_text"}) {
            child<QCheckBox>(name)->setChecked(false);
        }
        QVERIFY(form->values().has_value());
        QTest::mouseClick(child<QPushButton>("ablationButton"), Qt::LeftButton);
        // age, gender | title_id: the reference plus two runs (title_id cannot go).
        QCOMPARE(m_window->runs()->count(), 3);
        auto* summary = child<QLabel>("ablationSummary");
        QVERIFY(summary->text().contains(QStringLiteral("title_id is the only movie feature")));
        waitIdle(60000);
        QTRY_VERIFY(summary->text().contains(QStringLiteral("matters most")) ||
                    summary->text().contains(QStringLiteral("No single feature")));
        qDebug("%s", qPrintable(summary->text()));
    }

    void windowStateIsRemembered() {
        m_window->resize(1100, 760);
        m_window->tabs()->setCurrentIndex(MainWindow::DataTab);
        child<QSpinBox>("epochs")->setValue(7);
        m_window->close(); // saves the settings
        m_window = std::make_unique<MainWindow>();
        QCOMPARE(m_window->tabs()->currentIndex(), int{MainWindow::DataTab});
        QCOMPARE(m_window->size(), QSize(1100, 760));
        QCOMPARE(child<QSpinBox>("epochs")->value(), 7);
        QSettings().clear();
    }

    // Larger text on a projector keeps the window on its screen (pages scroll), and the normal
    // size brings back the window's own size.
    void largerTextKeepsTheWindowOnScreen() {
        const QRect available = m_window->screen()->availableGeometry();
        const QSize normal(std::min(1000, available.width() - 40),
                           std::min(700, available.height() - 60));
        m_window->resize(normal);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        for (int step = 0; step < 6; ++step) {
            m_window->setFontScale(m_window->fontScale() * 1.15);
            QTest::qWait(50); // let the layouts catch up with the font
            const QRect frame = m_window->frameGeometry();
            QVERIFY2(frame.width() <= available.width() && frame.height() <= available.height(),
                     qPrintable(QString("at %1%: %2x%3 on a %4x%5 screen")
                                    .arg(std::lround(m_window->fontScale() * 100))
                                    .arg(frame.width())
                                    .arg(frame.height())
                                    .arg(available.width())
                                    .arg(available.height())));
        }
        m_window->setFontScale(1.0);
        QTest::qWait(50);
        QCOMPARE(m_window->size(), normal);
    }

    void fontScaleReachesEveryWidget() {
        const double before = QApplication::font().pointSizeF();
        m_window->setFontScale(1.5);
        QCOMPARE(QApplication::font().pointSizeF(), before * 1.5);
        m_window->setFontScale(1.0);
        QCOMPARE(QApplication::font().pointSizeF(), before);
    }

    // The GUI thread must never stall for more than 50 ms while a run trains: a 10 ms timer
    // records the largest gap between its ticks in the real event loop (no qWait).
    void eventLoopStaysResponsiveWhileTraining() {
        TOWERLAB_TIMING_ONLY();
        setShortRun(8);
        child<QSpinBox>("evalEvery")->setValue(1);
        test::EventLoopProbe probe;
        trainWatchingTheEventLoop(probe, 60000);
        QCOMPARE(m_window->runs()->at(0).status, RunStatus::Completed);
        TOWERLAB_CHECK_RESPONSIVE(probe);
    }

    // A long run (here 40 epochs of 740 batches on the demo: about 29,600 per-batch points)
    // must stay as responsive as a short one: the per-batch line is decimated to the plot's
    // width, so the points drawn stay bounded however many batches the run has.
    void longRunStaysResponsiveAndDrawsBoundedPoints() {
        setShortRun(40);
        child<QSpinBox>("batchSize")->setValue(64);
        child<QSpinBox>("evalEvery")->setValue(10);
        test::EventLoopProbe probe;
        trainWatchingTheEventLoop(probe, 120000);
        const RunRecord& run = m_window->runs()->at(m_window->runs()->count() - 1);
        QCOMPARE(run.status, RunStatus::Completed);
        TOWERLAB_CHECK_RESPONSIVE(probe);
        TrainingCharts* charts = m_window->trainView()->charts();
        charts->flushNow();
        const auto batches = static_cast<qsizetype>(run.history.batchLosses.size());
        const qsizetype drawn = charts->drawnBatchPoints(run.id);
        const int width = std::max(400, static_cast<int>(charts->width()));
        QVERIFY2(batches > 25000 && drawn > 0 && drawn <= 4 * width,
                 qPrintable(QString("%1 batches, %2 points drawn, chart %3 px wide")
                                .arg(batches)
                                .arg(drawn)
                                .arg(width)));
    }
};

QTEST_MAIN(TestMainWindow)
#include "test_main_window.moc"
