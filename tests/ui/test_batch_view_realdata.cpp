// Inside one batch on the real MovieLens 100K (skipped with a message when it is not there):
// the tutorial's first batch starts at about 2048 · ln 2048, its loss is the sum of the rows'
// losses computed here from the logits, and stepping and drawing a batch keeps the GUI thread's
// work under 50 ms.

#include "charts/batch_heat_map.hpp"
#include "controllers/batch_inspection_controller.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/training_controller.hpp"
#include "event_loop_probe.hpp"
#include "main_window.hpp"
#include "test_support.hpp"
#include "ui_test_support.hpp"
#include "views/batch_view.hpp"

#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

#include <cmath>

using namespace towerlab;
using State = TrainingController::State;

class TestBatchViewRealData : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        test::isolateSettings(m_settings);
    }

    void tutorialBatchesOnMl100k() {
        TOWERLAB_REQUIRE_ML100K(folder);
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.datasets()->dataset() != nullptr, 10000);
        QSignalSpy changed(window.datasets(), &DatasetController::datasetChanged);
        window.openDataset(QString::fromStdString(folder.string()));
        QVERIFY(changed.wait(20000));
        QCOMPARE(window.datasets()->dataset()->ratings.size(), std::size_t{100000});
        window.tabs()->setCurrentIndex(MainWindow::BatchTab);
        BatchView* view = window.batchView();

        QSignalSpy inspected(window.training(), &TrainingController::batchInspected);
        view->stepButton()->click();
        QVERIFY(inspected.wait(30000));
        QTRY_COMPARE_WITH_TIMEOUT(window.training()->state(), State::Paused, 10000);
        const BatchInspection& first = view->controller()->inspection();
        QCOMPARE(first.size(), std::size_t(2048));
        QCOMPARE(first.batchesPerEpoch, 40); // 80,000 training ratings
        const double uniform = 2048 * std::log(2048.0);
        QVERIFY2(
            std::abs(first.loss - uniform) < 0.005 * uniform,
            qPrintable(QString("first batch %1, 2048 ln 2048 = %2").arg(first.loss).arg(uniform)));
        double byRows = 0;
        for (Eigen::Index i = 0; i < first.logitsBefore.rows(); ++i) {
            const auto row = first.logitsBefore.row(i).cast<double>();
            const double top = row.maxCoeff();
            byRows += top + std::log((row.array() - top).exp().sum()) - row(i);
        }
        QVERIFY(std::abs(byRows - first.loss) < 1e-4 * first.loss);

        // Four more steps, each drawn, with the event loop watched.
        test::EventLoopProbe probe;
        probe.start();
        for (int i = 0; i < 4; ++i) {
            QEventLoop loop;
            connect(window.training(), &TrainingController::stateChanged, &loop, [&](State s) {
                if (s == State::Paused) {
                    loop.quit();
                }
            });
            QTimer::singleShot(30000, &loop, &QEventLoop::quit);
            view->controller()->setRow(100 * i);
            view->stepButton()->click();
            loop.exec();
            view->heatMap()->viewport()->repaint();
        }
        probe.stop();
        QCOMPARE(view->controller()->inspection().batch, 5);
        // Adagrad's first steps at the tutorial's 0.1 are large: early batches may overshoot,
        // and the summary then says so.
        const BatchOverview& o = view->controller()->batch().overview;
        qDebug("epoch 1, batch 5: loss %.1f -> %.1f, positives up in %d of 2048 rows", o.lossBefore,
               o.lossAfter, o.rowsUp);
        QCOMPARE(view->summary()->text().contains(QStringLiteral("overshot")),
                 o.lossAfter > o.lossBefore);
        TOWERLAB_CHECK_RESPONSIVE(probe);

        // The rest of epoch 1, then epoch 2's first batch: a model with something to show.
        window.training()->step();
        QTRY_COMPARE_WITH_TIMEOUT(window.runs()->at(0).history.epochs.size(), std::size_t(1),
                                  60000);
        QTRY_COMPARE_WITH_TIMEOUT(window.training()->state(), State::Paused, 10000);
        view->stepButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(view->controller()->inspection().epoch, 2, 30000);
        QTRY_COMPARE_WITH_TIMEOUT(window.training()->state(), State::Paused, 10000);
        view->controller()->setRow(5);
        // One epoch in, a step helps most rows of its batch.
        const BatchOverview& later = view->controller()->batch().overview;
        qDebug("epoch 2, batch 1: loss %.1f -> %.1f, positives up in %d of 2048 rows",
               later.lossBefore, later.lossAfter, later.rowsUp);
        QVERIFY(later.lossAfter < later.lossBefore);
        QVERIFY(later.rowsUp > 1024);
        const QByteArray dir = qgetenv("TOWERLAB_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QCoreApplication::processEvents();
            QDir().mkpath(QString::fromLocal8Bit(dir));
            QVERIFY(window.grab().save(
                QDir(QString::fromLocal8Bit(dir)).filePath(QStringLiteral("batch-ml100k.png"))));
        }
        window.training()->stop();
        QTRY_COMPARE_WITH_TIMEOUT(window.training()->state(), State::Idle, 10000);
    }
};

TOWERLAB_REALDATA_MAIN(TestBatchViewRealData)
#include "test_batch_view_realdata.moc"
