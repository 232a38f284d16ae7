// The "done when" on the real MovieLens 100K (skipped with a message when it is not
// there): open it from its folder and from a zip, train the tutorial's [32] model while the
// event loop stays responsive, save the model, open it in a fresh window and see the same
// curves. Epochs are kept few so the suite stays fast; TOWERLAB_GUI_EPOCHS=50 runs the
// tutorial's full 50 (about a minute).

#include "charts/training_charts.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/model_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/training_controller.hpp"
#include "event_loop_probe.hpp"
#include "main_window.hpp"
#include "test_support.hpp"
#include "ui_test_support.hpp"
#include "views/train_view.hpp"

#include <QEventLoop>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace towerlab;
using State = TrainingController::State;

class TestMainWindowRealData : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    QTemporaryDir m_files;

    static void openAndCheck(MainWindow& window, const QString& path) {
        QSignalSpy changed(window.datasets(), &DatasetController::datasetChanged);
        QSignalSpy errors(&window, &MainWindow::errorShown);
        window.openDataset(path);
        QTRY_COMPARE_WITH_TIMEOUT(changed.count() + errors.count(), 1, 20000);
        QVERIFY2(errors.isEmpty(),
                 errors.isEmpty() ? "" : qPrintable(errors.at(0).at(1).toString()));
        const auto data = window.datasets()->dataset();
        QCOMPARE(QString::fromStdString(data->name), QStringLiteral("MovieLens 100K"));
        QCOMPARE(data->users.size(), std::size_t{943});
        QCOMPARE(data->movies.size(), std::size_t{1682});
        QCOMPARE(data->ratings.size(), std::size_t{100000});
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid() && m_files.isValid());
        test::isolateSettings(m_settings);
    }

    void opensTheZip() {
        TOWERLAB_REQUIRE_ML100K(folder);
        // A zip laid out like GroupLens's, made in a temporary folder (never kept).
        QList<QPair<QString, QByteArray>> entries;
        for (const char* name : {"u.data", "u.item", "u.user", "u.genre"}) {
            QFile f(QString::fromStdString((folder / name).string()));
            QVERIFY(f.open(QIODevice::ReadOnly));
            entries.append({QStringLiteral("ml-100k/") + QString::fromLatin1(name), f.readAll()});
        }
        const QString zip = m_files.filePath(QStringLiteral("ml-100k.zip"));
        QFile out(zip);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(test::storedZip(entries));
        out.close();
        MainWindow window;
        QTRY_VERIFY_WITH_TIMEOUT(window.datasets()->dataset() != nullptr, 10000);
        openAndCheck(window, zip);
    }

    void trainsSavesAndReopens() {
        TOWERLAB_REQUIRE_ML100K(folder);
        auto window = std::make_unique<MainWindow>();
        window->resize(1280, 800);
        window->show();
        QVERIFY(QTest::qWaitForWindowExposed(window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(window->datasets()->dataset() != nullptr, 10000);
        openAndCheck(*window, QString::fromStdString(folder.string()));

        bool custom = false;
        const int epochs = qEnvironmentVariableIntValue("TOWERLAB_GUI_EPOCHS", &custom);
        const int n = custom && epochs >= 2 ? epochs : 4;
        window->findChild<QSpinBox*>(QStringLiteral("epochs"))->setValue(n);
        window->findChild<QSpinBox*>(QStringLiteral("evalEvery"))->setValue(custom ? 5 : 2);
        QEventLoop loop;
        test::EventLoopProbe probe;
        connect(window->training(), &TrainingController::stateChanged, &loop, [&](State s) {
            if (s == State::Idle) {
                loop.quit();
            }
        });
        QTimer::singleShot(n * 30000, &loop, &QEventLoop::quit);
        QTest::mouseClick(window->findChild<QPushButton*>(QStringLiteral("trainButton")),
                          Qt::LeftButton);
        probe.start();
        loop.exec();
        probe.stop();
        const RunRecord trained = window->runs()->at(0);
        QCOMPARE(trained.status, RunStatus::Completed);
        TOWERLAB_CHECK_RESPONSIVE(probe);
        // 80,000 training ratings in batches of 2,048: 40 batches, the last one smaller.
        QCOMPARE(trained.trainExamples, std::size_t{80000});
        QCOMPARE(trained.batchesPerEpoch, 40);
        QVERIFY(trained.finalMetrics()->topK[4] > 0.02);
        qDebug("after %d epochs: top-100 %.3f (most popular %.3f), %.2f s per epoch", n,
               trained.finalMetrics()->topK[4], trained.history.baseline->topK[4],
               trained.history.trainSeconds / n);

        const QString path = m_files.filePath(QStringLiteral("ml100k.tlm"));
        QSignalSpy saved(window->models(), &ModelController::saved);
        QVERIFY(window->saveModel(path));
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 20000);
        window = std::make_unique<MainWindow>();
        QSignalSpy opened(window->models(), &ModelController::opened);
        window->openModel(path);
        QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, 20000);
        const RunRecord& reopened = window->runs()->at(0);
        QCOMPARE(reopened.history.batchLosses, trained.history.batchLosses);
        QCOMPARE(reopened.trainExamples, trained.trainExamples);
        window->trainView()->charts()->flushNow();
        QCOMPARE(window->trainView()->charts()->batchPointCount(reopened.id), n * 39);
        const auto evaluations =
            std::count_if(trained.history.epochs.begin(), trained.history.epochs.end(),
                          [](const EpochRecord& e) { return e.test.has_value(); });
        QCOMPARE(window->trainView()->charts()->accuracyPointCount(reopened.id, 4),
                 static_cast<int>(evaluations));
    }
};

TOWERLAB_REALDATA_MAIN(TestMainWindowRealData)
#include "test_main_window_realdata.moc"
