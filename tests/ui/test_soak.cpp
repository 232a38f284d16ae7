// Long use in one application instance: 20 training runs one after another, then 100 times
// opening a model file and closing it again (removing its run from the list, as the run
// table's "Remove from the list" does). After the user has removed the runs, the window must
// hold exactly as many objects as before (no series, model or view left behind) and the
// resident memory must be back within a small bound of where it started; while runs are
// kept, each may cost only what its own model and history need.
//
// Resident memory is read from /proc/self/statm after malloc_trim(), so memory the allocator
// has freed but kept does not count as growth. The first runs and opens happen before the
// baseline is taken: fonts, chart themes, thread pools and Qt's caches start up once.
//
// TOWERLAB_SOAK_RUNS and TOWERLAB_SOAK_OPENS change the counts (e.g. 200 and 1000 for a
// longer soak by hand); TOWERLAB_SOAK_DATA and TOWERLAB_SOAK_EPOCHS train on another dataset.

#include "controllers/dataset_controller.hpp"
#include "controllers/model_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/training_controller.hpp"
#include "main_window.hpp"
#include "ui_test_support.hpp"
#include "views/train_form.hpp"
#include "views/train_view.hpp"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QThreadPool>
#include <QtTest>

#include <malloc.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>

using namespace towerlab;
using State = TrainingController::State;

namespace {

double residentMegabytes() {
    ::malloc_trim(0);
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly)) {
        return -1;
    }
    const QList<QByteArray> fields = statm.readAll().simplified().split(' ');
    const double pages = fields.size() > 1 ? fields[1].toDouble() : -1;
    return pages * static_cast<double>(::sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// The heap in use (every arena's allocated chunks plus mmapped blocks), after the same trim.
// Unlike the resident size it leaves out the free memory malloc keeps in its arenas, which
// grows with how much work ran on how many threads, not with what is still alive.
double liveHeapMegabytes() {
    ::malloc_trim(0);
    const struct mallinfo2 info = ::mallinfo2();
    return static_cast<double>(info.uordblks + info.hblkhd) / (1024.0 * 1024.0);
}

double peakResidentMegabytes() {
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly)) {
        return -1;
    }
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmHWM:")) {
            return line.mid(6).simplified().split(' ').value(0).toDouble() / 1024.0;
        }
    }
    return -1;
}

int countFromEnvironment(const char* name, int fallback) {
    const QByteArray value = qgetenv(name);
    bool ok = false;
    const int n = value.toInt(&ok);
    return ok && n > 0 ? n : fallback;
}

} // namespace

class TestSoak : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    QTemporaryDir m_files;
    std::unique_ptr<MainWindow> m_window;
    QString m_modelPath;

    template <typename T> T* child(const char* name) const {
        T* w = m_window->findChild<T*>(QString::fromLatin1(name));
        if (w == nullptr) {
            qFatal("no child widget named %s", name);
        }
        return w;
    }

    // Every QObject the window owns plus every widget of the application (dialogs and
    // menus are top-level widgets outside the window's tree).
    int liveObjects() const {
        // Objects already handed to deleteLater() are not live.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        return static_cast<int>(m_window->findChildren<QObject*>().size() +
                                QApplication::allWidgets().size());
    }

    // One short run on the demo data, to the end.
    void trainOnce() {
        auto* train = child<QPushButton>("trainButton");
        QVERIFY(train->isEnabled());
        QTest::mouseClick(train, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->training()->state(), State::Idle, 60000);
        const RunRecord& run = m_window->runs()->at(m_window->runs()->count() - 1);
        QCOMPARE(run.status, RunStatus::Completed);
    }

    // Opens the saved model (a new "loaded" run becomes the current model) and closes it.
    void openAndClose() {
        QSignalSpy opened(m_window->models(), &ModelController::opened);
        const int before = m_window->runs()->count();
        m_window->openModel(m_modelPath);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 10000);
        QCOMPARE(m_window->runs()->count(), before + 1);
        const RunRecord& run = m_window->runs()->at(before);
        QCOMPARE(run.status, RunStatus::Loaded);
        m_window->runs()->remove(run.id);
        QCoreApplication::processEvents(); // deferred deletes of the run's rows and series
    }

    void removeAllRuns() {
        m_window->runs()->clear();
        // Work still in flight holds models (the verdict panel compares the two newest runs on
        // the pool threads after each run): let it end and deliver, then delete what it left.
        for (int i = 0; i < 3; ++i) {
            QThreadPool::globalInstance()->waitForDone();
            QCoreApplication::processEvents();
            // Deferred deletions (deleteLater) happen in the event loop.
            QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        }
        QCOMPARE(m_window->runs()->count(), 0);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid() && m_files.isValid());
        test::isolateSettings(m_settings);
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->datasets()->dataset() != nullptr, 10000);
        // The demo data, one epoch, evaluated at its end: a run takes well under a second.
        // By hand, TOWERLAB_SOAK_DATA=/path/to/ml-100k and TOWERLAB_SOAK_EPOCHS=N measure the
        // cost of a run on real data.
        const QString data = qEnvironmentVariable("TOWERLAB_SOAK_DATA");
        if (!data.isEmpty()) {
            QSignalSpy changed(m_window->datasets(), &DatasetController::datasetChanged);
            m_window->openDataset(data);
            QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 30000);
        }
        m_window->trainView()->form()->resetToDefaults();
        child<QSpinBox>("epochs")->setValue(countFromEnvironment("TOWERLAB_SOAK_EPOCHS", 1));
        m_modelPath = m_files.filePath(QStringLiteral("soak.tlm"));
    }

    void cleanupTestCase() { m_window.reset(); }

    void manyRunsAndModelFilesDoNotGrowMemory() {
        const int runs = countFromEnvironment("TOWERLAB_SOAK_RUNS", 20);
        const int opens = countFromEnvironment("TOWERLAB_SOAK_OPENS", 100);
        QElapsedTimer clock;
        clock.start();

        // Warm-up: a run, a save, a few opens; then the baseline with the run list empty.
        trainOnce();
        QSignalSpy saved(m_window->models(), &ModelController::saved);
        QVERIFY(m_window->saveModel(m_modelPath));
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 10000);
        for (int i = 0; i < 3; ++i) {
            openAndClose();
        }
        removeAllRuns();
        const int objectsBefore = liveObjects();
        const double heapBefore = liveHeapMegabytes();
        const double before = residentMegabytes();
        QVERIFY(before > 0);

        // Runs kept in the list, as a class comparing settings keeps them.
        for (int i = 0; i < runs; ++i) {
            trainOnce();
            if (QTest::currentTestFailed()) {
                return;
            }
        }
        QCOMPARE(m_window->runs()->count(), runs);
        const double withRuns = residentMegabytes();
        const double perRun = (withRuns - before) / runs;
        removeAllRuns();
        const int objectsAfterRuns = liveObjects();
        const double heapAfterRuns = liveHeapMegabytes();
        const double afterRuns = residentMegabytes();

        for (int i = 0; i < opens; ++i) {
            openAndClose();
            if (QTest::currentTestFailed()) {
                return;
            }
        }
        removeAllRuns();
        const int objectsAfter = liveObjects();
        const double heapAfter = liveHeapMegabytes();
        const double after = residentMegabytes();

        qInfo("%d runs and %d model opens in %.1f s", runs, opens,
              static_cast<double>(clock.elapsed()) / 1000.0);
        qInfo("resident memory: %.1f MB at the start, %.1f MB with %d runs kept (%.2f MB a run), "
              "%.1f MB after removing them, %.1f MB after %d opens; peak %.1f MB",
              before, withRuns, runs, perRun, afterRuns, after, opens, peakResidentMegabytes());
        qInfo("live objects: %d at the start, %d after the runs, %d at the end", objectsBefore,
              objectsAfterRuns, objectsAfter);
        qInfo("heap in use: %.1f MB at the start, %.1f MB after removing the runs, %.1f MB at "
              "the end",
              heapBefore, heapAfterRuns, heapAfter);

        // Every run's charts, table rows and models are gone with it.
        // A leak here grows with the count (20 runs, 100 opens); a few objects of slack allow
        // for work still settling when the count is taken (a clean CI run once saw +1 at the
        // end, after the opens, never after the runs).
        constexpr int kSlack = 3;
        QVERIFY2(std::abs(objectsAfterRuns - objectsBefore) <= kSlack,
                 qPrintable(QString("%1 -> %2 objects").arg(objectsBefore).arg(objectsAfterRuns)));
        QVERIFY2(std::abs(objectsAfter - objectsBefore) <= kSlack,
                 qPrintable(QString("%1 -> %2 objects").arg(objectsBefore).arg(objectsAfter)));
        // A demo model with its history is a few MB at most; a leaked model per run or per
        // open would show as tens of MB here.
        QVERIFY2(perRun < 4.0, qPrintable(QString("%1 MB per kept run").arg(perRun)));
        // What is still allocated once the runs are gone: a leaked demo model per run would
        // add about 20 MB over 20 runs. Measured: +0.4 to +1.4 MB after 20 runs and after 40
        // alike, the same after the opens.
        QVERIFY2(heapAfterRuns - heapBefore < 4.0,
                 qPrintable(QString("%1 MB more heap in use after removing the runs")
                                .arg(heapAfterRuns - heapBefore)));
        QVERIFY2(
            heapAfter - heapBefore < 4.0,
            qPrintable(
                QString("%1 MB more heap in use after the opens").arg(heapAfter - heapBefore)));
        // The resident size also holds the free memory malloc keeps in its per-thread arenas,
        // which grows with the work done: since each finished run also evaluates two models for
        // the verdict panel (on the pool threads), 20 or 40 runs leave 6 to 16 MB of it with the
        // heap in use unchanged (a clean CI run measured 12.0). This bound only catches runaway
        // growth; the heap bounds above catch leaks.
        QVERIFY2(afterRuns - before < 24.0,
                 qPrintable(QString("%1 MB more after removing the runs").arg(afterRuns - before)));
        QVERIFY2(after - before < 24.0,
                 qPrintable(QString("%1 MB more after the opens").arg(after - before)));
        // A model file of the demo is about 0.3 MB: leaking what one open reads would add
        // tens of MB over the opens.
        QVERIFY2(after - afterRuns < 8.0,
                 qPrintable(QString("%1 MB more over the opens").arg(after - afterRuns)));
    }
};

QTEST_MAIN(TestSoak)
#include "test_soak.moc"
