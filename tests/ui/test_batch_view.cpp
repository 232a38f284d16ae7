// The Batch tab on the demo data, driven as a student would: Step one batch (button and
// Ctrl+F10), click a row of the heat map, move with the keys, step again, switch to the logits
// after the step. Its numbers are checked against the loss computed here from the logits alone
// (log-sum-exp of each row minus its diagonal), and the GUI thread's work per step is measured.

#include "charts/batch_heat_map.hpp"
#include "charts/softmax_bars.hpp"
#include "controllers/batch_inspection_controller.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/training_controller.hpp"
#include "event_loop_probe.hpp"
#include "main_window.hpp"
#include "models/batch_row_model.hpp"
#include "test_support.hpp"
#include "ui_test_support.hpp"
#include "views/batch_view.hpp"
#include "views/train_form.hpp"
#include "views/train_view.hpp"

#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QSet>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace towerlab;
using State = TrainingController::State;

namespace {

// Row i's loss from the raw logits only, for the plain loss: log Σ_j exp(S_ij) − S_ii.
double rowLoss(const RowMatrix& s, Eigen::Index i) {
    double top = -INFINITY;
    for (Eigen::Index j = 0; j < s.cols(); ++j) {
        top = std::max(top, double(s(i, j)));
    }
    double sum = 0;
    for (Eigen::Index j = 0; j < s.cols(); ++j) {
        sum += std::exp(double(s(i, j)) - top);
    }
    return top + std::log(sum) - double(s(i, i));
}

} // namespace

class TestBatchView : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<MainWindow> m_window;
    QTemporaryDir m_settings;

    BatchView* view() const { return m_window->batchView(); }
    BatchInspectionController* controller() const { return view()->controller(); }

    template <typename T> T* child(const char* name) const {
        T* w = m_window->findChild<T*>(QString::fromLatin1(name));
        if (w == nullptr) {
            qFatal("no child widget named %s", name);
        }
        return w;
    }

    // Clicks Step one batch and waits for the batch and the pause after it.
    void stepByButton() {
        QSignalSpy inspected(m_window->training(), &TrainingController::batchInspected);
        QVERIFY(view()->stepButton()->isEnabled());
        QTest::mouseClick(view()->stepButton(), Qt::LeftButton);
        QVERIFY(inspected.wait(30000));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->training()->state(), State::Paused, 10000);
    }

    // The table line of a batch column.
    int tableLineOf(int column) const {
        auto* model = static_cast<BatchRowModel*>(view()->rowTable()->model());
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->batchColumnAt(r) == column) {
                return r;
            }
        }
        return -1;
    }

    QVariant tableValue(int line, int column) const {
        auto* model = view()->rowTable()->model();
        return model->data(model->index(line, column), Qt::UserRole);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        test::isolateSettings(m_settings);
    }

    void init() {
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->datasets()->dataset() != nullptr, 10000);
        m_window->trainView()->form()->resetToDefaults();
        m_window->tabs()->setCurrentIndex(MainWindow::BatchTab);
    }

    void cleanup() {
        m_window->training()->stop();
        QTRY_COMPARE_WITH_TIMEOUT(m_window->training()->state(), State::Idle, 10000);
        m_window.reset();
    }

    void emptyUntilABatchIsStepped() {
        QVERIFY(!controller()->hasBatch());
        QVERIFY(view()->summary()->text().contains(QStringLiteral("Step one batch")));
        QCOMPARE(view()->rowTable()->model()->rowCount(), 0);
        QVERIFY(view()->bars()->bars().empty());
        QVERIFY(!view()->rowSpin()->isEnabled());
    }

    void steppingOneBatchShowsItsLogitsAndTheLoss() {
        stepByButton();
        QVERIFY(controller()->hasBatch());
        const BatchInspection& b = controller()->inspection();
        QCOMPARE(b.epoch, 1);
        QCOMPARE(b.batch, 1);
        QCOMPARE(b.size(), std::size_t(2048)); // the tutorial's batch
        QCOMPARE(m_window->runs()->count(), 1);
        QCOMPARE(m_window->training()->state(), State::Paused);

        // The trainer's loss equals the rows' losses computed here from the logits alone.
        double sum = 0;
        for (Eigen::Index i = 0; i < b.logitsBefore.rows(); ++i) {
            sum += rowLoss(b.logitsBefore, i);
        }
        QVERIFY2(std::abs(sum - b.loss) < 1e-4 * b.loss,
                 qPrintable(QString("here %1, trainer %2").arg(sum).arg(b.loss)));
        // An untrained model starts at about 2048 ln 2048, and the summary says so.
        const double uniform = 2048 * std::log(2048.0);
        QVERIFY(std::abs(b.loss - uniform) < 0.01 * uniform);
        QCOMPARE(controller()->batch().overview.uniform, uniform);
        const QString summary = view()->summary()->text();
        QVERIFY2(summary.contains(QStringLiteral("batch 1 of")), qPrintable(summary));
        QVERIFY(summary.contains(QStringLiteral("ln 2048")) ||
                summary.contains(QStringLiteral("ln 2,048")));
        QVERIFY(summary.contains(QStringLiteral("rose in")));

        // Row 1 (index 0): the table's and the text's probability are exp(−row loss).
        QCOMPARE(controller()->row(), 0);
        const double p = std::exp(-rowLoss(b.logitsBefore, 0));
        const int line = tableLineOf(0);
        QVERIFY(line >= 0);
        QVERIFY(std::abs(tableValue(line, BatchRowModel::Before).toDouble() - p) < 1e-9 * (1 + p));
        const double pAfter = std::exp(-rowLoss(b.logitsAfter, 0));
        QVERIFY(std::abs(tableValue(line, BatchRowModel::After).toDouble() - pAfter) <
                1e-9 * (1 + pAfter));
        QCOMPARE(view()->rowTable()->model()->rowCount(), 2048);
        QVERIFY(view()->rowText()->text().contains(pAfter > p ? QStringLiteral("up")
                                                              : QStringLiteral("down")));

        // The bars: most probable first, the positive among them and highlighted.
        const auto& bars = view()->bars()->bars();
        QVERIFY(bars.size() >= 8);
        for (std::size_t k = 1; k < 8; ++k) {
            QVERIFY(bars[k - 1].before >= bars[k].before);
        }
        int positives = 0;
        for (const SoftmaxBar& bar : bars) {
            if (bar.positive) {
                ++positives;
                QVERIFY(std::abs(bar.before - p) < 1e-9 * (1 + p));
            }
        }
        QCOMPARE(positives, 1);

        // The heat map: a 64 x 64 window with scroll bars for the rest, colours by sign.
        BatchHeatMap* map = view()->heatMap();
        QVERIFY(map->visibleRows() > 0 && map->visibleRows() <= BatchHeatMap::kWindow);
        QVERIFY(map->visibleColumns() > 0 && map->visibleColumns() <= BatchHeatMap::kWindow);
        QVERIFY(map->verticalScrollBar()->maximum() >= 2048 - BatchHeatMap::kWindow);
        QVERIFY(map->colourOf(1.0).red() > map->colourOf(1.0).blue());
        QVERIFY(map->colourOf(-1.0).blue() > map->colourOf(-1.0).red());
    }

    void choosingRowsAndSteppingAgain() {
        stepByButton();
        BatchHeatMap* map = view()->heatMap();
        QTest::mouseClick(map->viewport(), Qt::LeftButton, {}, map->cellRect(5, 3).center());
        QCOMPARE(controller()->row(), 5);
        QCOMPARE(view()->rowSpin()->value(), 6);
        QVERIFY(view()->rowText()->text().contains(QStringLiteral("Row 6")));
        const int line = tableLineOf(5);
        QVERIFY(tableValue(line, BatchRowModel::Note)
                    .toString()
                    .startsWith(QStringLiteral("the positive")));
        map->setFocus();
        QTest::keyClick(map, Qt::Key_Down);
        QCOMPARE(controller()->row(), 6);
        view()->rowSpin()->setValue(300);
        QCOMPARE(controller()->row(), 299);
        QVERIFY(map->firstRow() <= 299 && 299 < map->firstRow() + map->visibleRows());

        const double lossBefore = controller()->inspection().loss;
        stepByButton();
        QCOMPARE(controller()->inspection().batch, 2);
        QCOMPARE(controller()->row(), 299); // the same row, followed through the steps
        QVERIFY(controller()->inspection().loss != lossBefore);

        auto* when = view()->whenChoice();
        when->setCurrentIndex(1);
        QVERIFY(controller()->showsAfter());
    }

    // Ctrl+F10 from another tab: the Batch tab comes up with the batch; F10 then finishes the
    // epoch of the same run, and the next batch is epoch 2's first.
    void shortcutStepsAndEpochsContinueTheRun() {
        m_window->trainView()
            ->form()
            ->findChild<QSpinBox*>(QStringLiteral("batchSize"))
            ->setValue(4096);
        m_window->tabs()->setCurrentIndex(MainWindow::TrainTab);
        QSignalSpy inspected(m_window->training(), &TrainingController::batchInspected);
        QTest::keyClick(m_window.get(), Qt::Key_F10, Qt::ControlModifier);
        QCOMPARE(m_window->tabs()->currentIndex(), int(MainWindow::BatchTab));
        QVERIFY(inspected.wait(30000));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->training()->state(), State::Paused, 10000);
        QCOMPARE(controller()->inspection().size(), std::size_t(4096));
        const int batches = controller()->inspection().batchesPerEpoch;
        QTest::keyClick(m_window.get(), Qt::Key_F10);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->runs()->at(0).history.epochs.size(), std::size_t(1),
                                  60000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->training()->state(), State::Paused, 10000);
        stepByButton();
        QCOMPARE(controller()->inspection().epoch, 2);
        QCOMPARE(controller()->inspection().batch, 1);
        QCOMPARE(controller()->inspection().batchesPerEpoch, batches);
    }

    // With hard negatives the table tells which columns left the row's softmax.
    void hardNegativesLeaveColumnsOut() {
        child<QSpinBox>("hardNegatives")->setValue(10);
        stepByButton();
        const BatchRowSoftmax& row = controller()->rowBefore();
        QCOMPARE(row.columns.size(), std::size_t(11));
        QCOMPARE(row.leftOut.size(), std::size_t(2048 - 11));
        const int last = view()->rowTable()->model()->rowCount() - 1;
        QVERIFY(view()
                    ->rowTable()
                    ->model()
                    ->data(view()->rowTable()->model()->index(last, BatchRowModel::Note))
                    .toString()
                    .contains(QStringLiteral("hardest negatives")));
        QVERIFY(view()->summary()->text().contains(QStringLiteral("hard negatives")));
    }

    // The tab at 1280x800, and at 1920x1080 with larger text, as a projector shows it. With
    // TOWERLAB_SCREENSHOT_DIR set the PNGs are written there, to look at them.
    void screenshotsAtTwoSizes() {
        // A model one epoch in, whose logits have something to show.
        QTest::keyClick(m_window.get(), Qt::Key_F10);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->runs()->count(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->runs()->at(0).history.epochs.size(), std::size_t(1),
                                  60000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->training()->state(), State::Paused, 10000);
        stepByButton();
        controller()->setRow(7);
        const QByteArray dir = qgetenv("TOWERLAB_SCREENSHOT_DIR");
        for (const auto& [size, scale] :
             {std::pair{QSize(1280, 800), 1.0}, std::pair{QSize(1920, 1080), 1.5}}) {
            m_window->setFontScale(scale);
            m_window->resize(size);
            QTRY_COMPARE(m_window->size(), size);
            QCoreApplication::processEvents();
            const QImage image = m_window->grab().toImage();
            QSet<QRgb> colours;
            for (int y = 0; y < image.height(); y += 5) {
                for (int x = 0; x < image.width(); x += 5) {
                    colours.insert(image.pixel(x, y));
                }
            }
            QVERIFY(colours.size() > 40); // the heat map alone has many
            // The heat map keeps a usable size at both.
            QVERIFY(view()->heatMap()->visibleRows() >= 24);
            if (!dir.isEmpty()) {
                QDir().mkpath(QString::fromLocal8Bit(dir));
                QVERIFY(image.save(QDir(QString::fromLocal8Bit(dir))
                                       .filePath(QStringLiteral("batch-%1x%2.png")
                                                     .arg(size.width())
                                                     .arg(size.height()))));
            }
        }
        m_window->setFontScale(1.0);
    }

    // Stepping and drawing a batch of 2,048 keeps the GUI thread's work per step under 50 ms.
    void steppingStaysResponsive() {
        TOWERLAB_TIMING_ONLY();
        stepByButton(); // the run exists and is paused
        test::EventLoopProbe probe;
        probe.start();
        for (int i = 0; i < 4; ++i) {
            QEventLoop loop;
            connect(m_window->training(), &TrainingController::stateChanged, &loop, [&](State s) {
                if (s == State::Paused) {
                    loop.quit();
                }
            });
            QTimer::singleShot(30000, &loop, &QEventLoop::quit);
            view()->stepButton()->click();
            loop.exec();
            view()->heatMap()->viewport()->repaint();
        }
        probe.stop();
        QCOMPARE(controller()->inspection().batch, 5);
        TOWERLAB_CHECK_RESPONSIVE(probe);
    }
};

QTEST_MAIN(TestBatchView)
#include "test_batch_view.moc"
