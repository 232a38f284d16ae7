// The window on generated MovieLens-shaped data of a larger size, with the GUI thread's event
// loop watched through every phase a user goes through: opening the data, looking at each
// tab, training an epoch, picking a real user, drawing the movie map, typing into the title
// searches. The default is 1M ratings (6,040 users, 3,706 movies, as MovieLens 1M);
// TOWERLAB_SCALE_MOVIES / TOWERLAB_SCALE_USERS change the catalogue alone (ctest's
// ui_test_gui_at_scale_catalogue: MovieLens 25M's 62,000 movies and 162,000 users) and
// TOWERLAB_SCALE_RATINGS=25000000 gives the whole 25M shape for a run by hand. Each phase
// prints its longest stall; the `_timing` entries hold every phase, opening included, to 50 ms
// of GUI-thread work between two ticks.

#include "charts/embedding_map.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/training_controller.hpp"
#include "data/synthetic_movielens.hpp"
#include "event_loop_probe.hpp"
#include "main_window.hpp"
#include "test_support.hpp"
#include "ui_test_support.hpp"
#include "views/embeddings_view.hpp"
#include "views/real_user_picker.hpp"
#include "views/recommend_view.hpp"
#include "views/train_form.hpp"
#include "views/train_view.hpp"

#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

#include <array>
#include <functional>
#include <memory>

using namespace towerlab;
using State = TrainingController::State;

class TestGuiAtScale : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    QTemporaryDir m_data;
    std::unique_ptr<MainWindow> m_window;
    QString m_folder;
    // Watched while initTestCase opens the data (every phase needs it open), held to the
    // budget by openingTheData.
    std::unique_ptr<test::EventLoopProbe> m_openProbe;

    // Runs `phase` with the event loop watched by `probe` until `done` holds (or timeoutMs
    // passes). The slots hold the probe to 50 ms (TOWERLAB_CHECK_RESPONSIVE, in the slot so
    // the `_timing` entry finds it); phases still over budget at 25M-shaped data (issue 18,
    // part 4) only report theirs, so the work has a number to beat.
    void watch(test::EventLoopProbe& probe, const char* name, const std::function<void()>& phase,
               const std::function<bool()>& done, int timeoutMs) {
        QElapsedTimer clock;
        clock.start();
        probe.start();
        phase();
        // A real event loop, polled: processEvents() in a loop would spin on the GUI thread
        // and count as its work.
        QEventLoop loop;
        QTimer poll;
        connect(&poll, &QTimer::timeout, &loop, [&] {
            if (done() || clock.elapsed() > timeoutMs) {
                loop.quit();
            }
        });
        poll.start(25);
        loop.exec();
        probe.stop();
        QVERIFY2(done(), name);
        qDebug("%s: %lld ms; largest gap %.1f ms, most GUI-thread CPU between two ticks %.1f ms",
               name, static_cast<long long>(clock.elapsed()), probe.maxGapMs(), probe.maxBusyMs());
    }

    // With TOWERLAB_SCREENSHOT_DIR set, the window as it is now (to look at by hand).
    void saveScreenshot(const QString& name) {
        const QByteArray dir = qgetenv("TOWERLAB_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QDir().mkpath(QString::fromLocal8Bit(dir));
            QVERIFY(m_window->grab().save(
                QDir(QString::fromLocal8Bit(dir)).filePath(name + QStringLiteral(".png"))));
        }
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid() && m_data.isValid());
        test::isolateSettings(m_settings);
        const qint64 ratings = qEnvironmentVariableIsSet("TOWERLAB_SCALE_RATINGS")
                                   ? qEnvironmentVariable("TOWERLAB_SCALE_RATINGS").toLongLong()
                                   : 1000000;
        // MovieLens 25M's catalogue (62,000 movies, 162,000 users) can be had with fewer
        // ratings: TOWERLAB_SCALE_MOVIES and TOWERLAB_SCALE_USERS set them on their own.
        SyntheticOptions options;
        options.ratings = ratings;
        options.users = ratings >= 20000000 ? 162000 : 6040;
        options.movies = ratings >= 20000000 ? 62000 : 3706;
        if (qEnvironmentVariableIsSet("TOWERLAB_SCALE_MOVIES")) {
            options.movies = qEnvironmentVariableIntValue("TOWERLAB_SCALE_MOVIES");
        }
        if (qEnvironmentVariableIsSet("TOWERLAB_SCALE_USERS")) {
            options.users = qEnvironmentVariableIntValue("TOWERLAB_SCALE_USERS");
        }
        m_folder = m_data.filePath(QStringLiteral("generated"));
        writeSyntheticMovieLens(options, m_folder.toStdString());
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->datasets()->dataset() != nullptr, 10000);

        // Opening, on the Data tab: held to the budget in openingTheData.
        m_window->tabs()->setCurrentIndex(MainWindow::DataTab);
        const std::shared_ptr<const Dataset> demo = m_window->datasets()->dataset();
        m_openProbe = std::make_unique<test::EventLoopProbe>();
        watch(
            *m_openProbe, "open", [this] { m_window->openDataset(m_folder); },
            [this, demo] {
                return m_window->datasets()->dataset() != demo &&
                       !m_window->datasets()->isLoading();
            },
            300000);
        QVERIFY(m_window->datasets()->dataset()->ratings.size() >= 1000000);
    }

    void cleanupTestCase() {
        if (m_window) {
            m_window->training()->stop();
            QTRY_COMPARE_WITH_TIMEOUT(m_window->training()->state(), State::Idle, 20000);
        }
        m_window.reset();
    }

    // Opening the data (in initTestCase): the summary, the charts and the movie table arrive
    // on the GUI thread at once; the movie table's order by title comes sorted from the
    // loading thread.
    void openingTheData() { TOWERLAB_CHECK_RESPONSIVE(*m_openProbe); }

    void everyTab() {
        for (int tab = 0; tab < m_window->tabs()->count(); ++tab) {
            QElapsedTimer shown;
            test::EventLoopProbe probe;
            watch(
                probe, qPrintable(QStringLiteral("tab %1").arg(m_window->tabs()->tabText(tab))),
                [this, tab, &shown] {
                    m_window->tabs()->setCurrentIndex(tab);
                    shown.start();
                },
                [&shown] { return shown.elapsed() > 500; }, 5000);
            TOWERLAB_CHECK_RESPONSIVE(probe);
            saveScreenshot(QStringLiteral("scale-tab%1").arg(tab));
        }
    }

    void trainingAnEpoch() {
        m_window->tabs()->setCurrentIndex(MainWindow::TrainTab);
        m_window->trainView()->form()->resetToDefaults();
        m_window->findChild<QSpinBox*>(QStringLiteral("epochs"))->setValue(1);
        test::EventLoopProbe probe;
        watch(
            probe, "train one epoch", [this] { m_window->trainView()->startTraining(); },
            [this] {
                return m_window->training()->state() == State::Idle &&
                       m_window->runs()->count() == 1;
            },
            1800000);
        QCOMPARE(m_window->runs()->at(0).status, RunStatus::Completed);
        TOWERLAB_CHECK_RESPONSIVE(probe);
    }

    void pickingARealUser() {
        m_window->tabs()->setCurrentIndex(MainWindow::RecommendTab);
        RealUserPicker* picker = m_window->recommendView()->userPicker();
        const std::int64_t id = m_window->datasets()->dataset()->users.back().id;
        bool picked = false;
        QElapsedTimer since;
        test::EventLoopProbe probe;
        watch(
            probe, "pick the last user",
            [&] {
                picked = picker->pickUser(id);
                since.start();
            },
            [&] { return picked && since.elapsed() > 500; }, 10000);
        QVERIFY(picker->userIndex() >= 0);
        TOWERLAB_CHECK_RESPONSIVE(probe);
    }

    void drawingTheMovieMap() {
        // The points are one picture drawn off the GUI thread (PointRaster): Qt Charts' own
        // scatter series cost 55 ms in one slice at 3,706 points.
        test::EventLoopProbe probe;
        watch(
            probe, "movie map",
            [this] { m_window->tabs()->setCurrentIndex(MainWindow::EmbeddingsTab); },
            [this] {
                // Every movie drawn, too: once, under load, the rest held while the picture on
                // show had fewer points than the catalogue (three reruns passed).
                EmbeddingsView* view = m_window->embeddingsView();
                return !view->isProjecting() && !view->map()->isSettling() &&
                       view->controller()->positions().has_value() &&
                       view->map()->drawnPointCount() ==
                           static_cast<int>(m_window->datasets()->dataset()->movies.size());
            },
            600000);
        QCOMPARE(m_window->embeddingsView()->map()->drawnPointCount(),
                 static_cast<int>(m_window->datasets()->dataset()->movies.size()));
        TOWERLAB_CHECK_RESPONSIVE(probe);
        saveScreenshot(QStringLiteral("scale-movie-map"));
    }

    // Typing into every title search, one key per event-loop turn as a person types: the
    // Data tab's filter (re-filters every movie), the Scores tab's picker (searches the
    // model's catalogue) and the Embeddings tab's search (rings every match on the map).
    void typingTitles() {
        const std::array<std::pair<int, const char*>, 3> fields = {
            std::pair{static_cast<int>(MainWindow::DataTab), "movieFilter"},
            std::pair{static_cast<int>(MainWindow::ScoresTab), "titleSearch"},
            std::pair{static_cast<int>(MainWindow::EmbeddingsTab), "embeddingSearch"}};
        const QString text = QStringLiteral("e lov");
        for (const auto& [tab, name] : fields) {
            m_window->tabs()->setCurrentIndex(tab);
            auto* edit = m_window->tabs()->widget(tab)->findChild<QLineEdit*>(QLatin1String(name));
            QVERIFY2(edit != nullptr, name);
            QVERIFY2(edit->isEnabled(), name);
            edit->setFocus();
            edit->clear();
            int typed = 0;
            QTimer keys;
            keys.setInterval(80);
            connect(&keys, &QTimer::timeout, edit, [&] {
                if (typed < text.size()) {
                    QTest::keyClick(edit, text.at(typed).toLatin1());
                    ++typed;
                } else if (typed < 2 * text.size()) {
                    QTest::keyClick(edit, Qt::Key_Backspace);
                    ++typed;
                }
            });
            QElapsedTimer since;
            test::EventLoopProbe probe;
            watch(
                probe, name,
                [&] {
                    keys.start();
                    since.start();
                },
                [&] {
                    return typed == 2 * text.size() && since.elapsed() > 200 * text.size() &&
                           !m_window->embeddingsView()->map()->isSettling();
                },
                60000);
            keys.stop();
            QVERIFY(edit->text().isEmpty());
            TOWERLAB_CHECK_RESPONSIVE(probe);
        }
    }

    // With TOWERLAB_SCREENSHOT_DIR set: every tab once more, now with a trained model, a real
    // user and a map (the pictures the README shows of the window at scale).
    void screenshotsWithAModel() {
        if (qEnvironmentVariableIsEmpty("TOWERLAB_SCREENSHOT_DIR")) {
            QSKIP("TOWERLAB_SCREENSHOT_DIR is not set: no screenshots to take");
        }
        for (int tab = 0; tab < m_window->tabs()->count(); ++tab) {
            m_window->tabs()->setCurrentIndex(tab);
            QTest::qWait(300);
            QTRY_VERIFY(!m_window->embeddingsView()->map()->isSettling());
            saveScreenshot(QStringLiteral("scale-model-tab%1").arg(tab));
        }
    }
};

QTEST_MAIN(TestGuiAtScale)
#include "test_gui_at_scale.moc"
