// Closing the main window while a run trains, at any moment of it (building the trainer, in
// the middle of an epoch, during an evaluation, while pausing or paused, with an ablation's
// runs still queued, while a model file is being written): the window goes away within a few
// seconds, nothing crashes, and the training thread no longer exists afterwards. The thread
// is found by its name in /proc/self/task, so the test sees the operating system's view and
// not only what the controller believes.
//
// A watchdog aborts the whole process with a message if one close takes longer than
// kHangSeconds, so a deadlock shows up as a named failure rather than a ctest timeout.

#include "controllers/dataset_controller.hpp"
#include "controllers/model_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/training_controller.hpp"
#include "io/model_file.hpp"
#include "main_window.hpp"
#include "test_support.hpp"
#include "ui_test_support.hpp"
#include "util/random.hpp"
#include "views/train_form.hpp"
#include "views/train_view.hpp"

#include <QCheckBox>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

using namespace towerlab;
using State = TrainingController::State;

namespace {

// Closing must end well within this (a batch of the demo data takes milliseconds); the
// watchdog's limit for a hang is far longer, so a slow machine is not mistaken for one.
constexpr qint64 kCloseLimitMs = 3000;
constexpr int kHangSeconds = 60;

// Threads of this process whose name starts like the training thread's ("TowerLab training",
// cut to the kernel's 15 characters), including the OpenMP workers it starts, which inherit
// its name.
int trainingThreads() {
    int count = 0;
    std::error_code ec;
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task", ec)) {
        QFile comm(QString::fromStdString((task.path() / "comm").string()));
        if (comm.open(QIODevice::ReadOnly) && comm.readAll().startsWith("TowerLab train")) {
            ++count;
        }
    }
    return count;
}

// Aborts the process if disarm() is not called within kHangSeconds.
class HangWatchdog {
public:
    explicit HangWatchdog(const char* what) : m_what(what) {
        m_thread = std::thread([this] {
            std::unique_lock lock(m_mutex);
            if (!m_done.wait_for(lock, std::chrono::seconds(kHangSeconds),
                                 [this] { return m_disarmed; })) {
                std::fprintf(stderr, "HANG: %s did not return within %d s\n", m_what, kHangSeconds);
                std::abort();
            }
        });
    }
    ~HangWatchdog() {
        {
            const std::lock_guard lock(m_mutex);
            m_disarmed = true;
        }
        m_done.notify_all();
        m_thread.join();
    }
    HangWatchdog(const HangWatchdog&) = delete;
    HangWatchdog& operator=(const HangWatchdog&) = delete;

private:
    const char* m_what;
    std::mutex m_mutex;
    std::condition_variable m_done;
    bool m_disarmed = false;
    std::thread m_thread;
};

} // namespace

class TestWindowCloseMidtraining : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    QTemporaryDir m_files;
    std::unique_ptr<MainWindow> m_window;

    template <typename T> T* child(const char* name) const {
        T* w = m_window->findChild<T*>(QString::fromLatin1(name));
        if (w == nullptr) {
            qFatal("no child widget named %s", name);
        }
        return w;
    }

    // A window on the demo data, its training thread running.
    void openWindow() {
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->datasets()->dataset() != nullptr, 10000);
        // The probe must see the thread, or the checks after closing would prove nothing. The
        // thread names itself once it runs, which under load can come after the window is up.
        QTRY_COMPARE_WITH_TIMEOUT(trainingThreads(), 1, 5000);
    }

    // A run far longer than the test (hundreds of epochs), evaluated after every epoch so a
    // close can also land in an evaluation.
    void startLongRun(int batchSize) {
        m_window->trainView()->form()->resetToDefaults();
        child<QSpinBox>("epochs")->setValue(500);
        child<QSpinBox>("evalEvery")->setValue(1);
        child<QSpinBox>("batchSize")->setValue(batchSize);
        auto* train = child<QPushButton>("trainButton");
        QVERIFY(train->isEnabled());
        QTest::mouseClick(train, Qt::LeftButton);
        QVERIFY(m_window->training()->state() != State::Idle);
    }

    // Closes the window as the user does (close event, then the application deletes it) and
    // checks that the training thread is gone. Returns the milliseconds it took, which callers
    // bound by kCloseLimitMs as a timing check.
    qint64 closeAndCheck(const QString& where) {
        QElapsedTimer clock;
        clock.start();
        {
            const HangWatchdog watchdog("closing the window mid-training");
            m_window->close();
            m_window.reset();
        }
        const qint64 ms = clock.elapsed();
        qDebug("%s: closing took %lld ms", qPrintable(where), static_cast<long long>(ms));
        [&] {
            // QThread::wait() returns once the run function is done; the OS thread, and the
            // OpenMP workers it started (they inherit its name), exit a moment later.
            QTRY_COMPARE_WITH_TIMEOUT(trainingThreads(), 0, 2000);
        }();
        return ms;
    }

    static QString tookTooLong(const QString& where, qint64 ms) {
        return QString("%1: closing took %2 ms (limit %3 ms)")
            .arg(where)
            .arg(ms)
            .arg(kCloseLimitMs);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid() && m_files.isValid());
        test::isolateSettings(m_settings);
        QCOMPARE(trainingThreads(), 0);
    }

    void cleanup() {
        if (m_window) {
            m_window->close();
            m_window.reset();
        }
    }

    // Closes at random moments (fixed seed) from the click on Train to a second and a half
    // into the run: the trainer being built, batches, the evaluations after each epoch.
    void closingAtRandomMomentsEndsTheRun() {
        Random random(20261128);
        constexpr int kTrials = 10;
        qint64 slowest = 0;
        for (int trial = 0; trial < kTrials; ++trial) {
            openWindow();
            // Small batches make many short steps; the default 2048 makes few long ones.
            const int batchSize = trial % 2 == 0 ? 2048 : 128;
            startLongRun(batchSize);
            const int delayMs = trial == 0 ? 0 : static_cast<int>(random.next() % 1500);
            if (delayMs > 0) {
                QTest::qWait(delayMs);
            }
            const State state = m_window->training()->state();
            const int batches =
                static_cast<int>(m_window->runs()->at(0).history.batchLosses.size());
            const QString where = QString("trial %1 (batch %2, closed after %3 ms in state %4, %5 "
                                          "batches done)")
                                      .arg(trial)
                                      .arg(batchSize)
                                      .arg(delayMs)
                                      .arg(static_cast<int>(state))
                                      .arg(batches);
            QVERIFY2(state != State::Idle, qPrintable(where + ": the run ended by itself"));
            qDebug("%s", qPrintable(where));
            const qint64 ms = closeAndCheck(where);
            slowest = std::max(slowest, ms);
            if (QTest::currentTestFailed()) {
                return;
            }
            TOWERLAB_TIMING_CHECK(QVERIFY2(ms < kCloseLimitMs, qPrintable(tookTooLong(where, ms))));
        }
        qInfo("%d closes mid-training; the slowest took %lld ms", kTrials,
              static_cast<long long>(slowest));
    }

    void closingWhilePausingOrPaused_data() {
        QTest::addColumn<bool>("waitForPaused");
        QTest::newRow("pausing") << false;
        QTest::newRow("paused") << true;
    }

    void closingWhilePausingOrPaused() {
        QFETCH(bool, waitForPaused);
        openWindow();
        startLongRun(2048);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->runs()->at(0).history.batchLosses.empty(), 20000);
        QTest::mouseClick(child<QPushButton>("pauseButton"), Qt::LeftButton);
        if (waitForPaused) {
            QTRY_COMPARE_WITH_TIMEOUT(m_window->training()->state(), State::Paused, 5000);
        } else {
            QCOMPARE(m_window->training()->state(), State::Pausing);
        }
        const qint64 ms = closeAndCheck(QTest::currentDataTag());
        TOWERLAB_TIMING_CHECK(
            QVERIFY2(ms < kCloseLimitMs, qPrintable(tookTooLong(QTest::currentDataTag(), ms))));
    }

    // An ablation queues one run per feature; closing during the first drops the others
    // without starting them.
    void closingDuringAnAblationDropsTheQueue() {
        openWindow();
        m_window->trainView()->form()->resetToDefaults();
        child<QSpinBox>("epochs")->setValue(500);
        QTest::mouseClick(child<QPushButton>("ablationButton"), Qt::LeftButton);
        QVERIFY(m_window->training()->queuedRuns() > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->runs()->at(0).history.batchLosses.empty(), 20000);
        const qint64 ms = closeAndCheck("ablation");
        TOWERLAB_TIMING_CHECK(
            QVERIFY2(ms < kCloseLimitMs, qPrintable(tookTooLong("ablation", ms))));
    }

    // A save still being written when the window closes either completes or leaves no file:
    // what is at the path afterwards always loads.
    void closingWhileAModelIsBeingSaved() {
        openWindow();
        startLongRun(2048);
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->runs()->at(0).history.batchLosses.empty(), 20000);
        QTest::mouseClick(child<QPushButton>("pauseButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->training()->state(), State::Paused, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->models()->current() != nullptr, 5000);
        const QString path = m_files.filePath(QStringLiteral("closing.tlm"));
        QVERIFY(m_window->saveModel(path));
        const qint64 ms = closeAndCheck("saving");
        TOWERLAB_TIMING_CHECK(QVERIFY2(ms < kCloseLimitMs, qPrintable(tookTooLong("saving", ms))));
        if (QFileInfo::exists(path)) {
            try {
                const auto model = loadModel(path.toStdString());
                QVERIFY(model->epochsTrained >= 0);
            } catch (const std::exception& e) {
                QFAIL(e.what());
            }
        }
        // Only the model itself may be left in the folder, never a temporary file.
        const QStringList left = QDir(m_files.path()).entryList(QDir::Files);
        QVERIFY2(left.isEmpty() || left == QStringList{QStringLiteral("closing.tlm")},
                 qPrintable(left.join(QStringLiteral(", "))));
    }
};

QTEST_MAIN(TestWindowCloseMidtraining)
#include "test_window_close_midtraining.moc"
