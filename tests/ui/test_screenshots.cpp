// Grabs every tab of the window at 1280x800 and 1920x1080, empty and after training, and
// checks that each grab has content (not one flat colour). With TOWERLAB_SCREENSHOT_DIR set
// the PNGs are written there, to look at them.

#include "charts/embedding_map.hpp"
#include "charts/training_charts.hpp"
#include "controllers/batch_inspection_controller.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/lesson_player.hpp"
#include "controllers/query_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/training_controller.hpp"
#include "main_window.hpp"
#include "models/nearest_movies_model.hpp"
#include "ui_test_support.hpp"
#include "views/batch_view.hpp"
#include "views/embeddings_view.hpp"
#include "views/score_derivation_dialog.hpp"
#include "views/train_view.hpp"
#include "views/verdict_panel.hpp"

#include <QApplication>
#include <QDir>
#include <QIcon>
#include <QImage>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSet>
#include <QSpinBox>
#include <QTabWidget>
#include <QtTest>

#include <memory>

using namespace towerlab;

class TestScreenshots : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;

    // Distinct colours on a coarse grid: a blank or single-colour grab has one or two.
    static int colourCount(const QImage& image) {
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7) {
            for (int x = 0; x < image.width(); x += 7) {
                colours.insert(image.pixel(x, y));
            }
        }
        return static_cast<int>(colours.size());
    }

    static void grab(QWidget* window, const QString& name) {
        QCoreApplication::processEvents();
        const QImage image = window->grab().toImage();
        QVERIFY(!image.isNull());
        QVERIFY2(colourCount(image) > 20, qPrintable(name + QStringLiteral(" looks empty")));
        const QByteArray dir = qgetenv("TOWERLAB_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QDir().mkpath(QString::fromLocal8Bit(dir));
            QVERIFY(image.save(QDir(QString::fromLocal8Bit(dir)).filePath(name + ".png")));
        }
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        test::isolateSettings(m_settings);
    }

    void iconRendersFromTheResources() {
        const QIcon icon(QStringLiteral(":/icons/towerlab.svg"));
        QVERIFY(!icon.isNull());
        const QImage image = icon.pixmap(QSize(256, 256)).toImage();
        QCOMPARE(image.size(), QSize(256, 256));
        QVERIFY(colourCount(image) > 5);
        const QByteArray dir = qgetenv("TOWERLAB_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QDir().mkpath(QString::fromLocal8Bit(dir));
            QVERIFY(image.save(QDir(QString::fromLocal8Bit(dir)).filePath("icon.png")));
        }
    }

    void everyTabAtTwoSizes() {
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.datasets()->dataset() != nullptr, 10000);
        const QList<QSize> sizes{QSize(1280, 800), QSize(1920, 1080)};
        window.tabs()->setCurrentIndex(MainWindow::TrainTab);
        for (const QSize& size : sizes) {
            window.resize(size);
            QTRY_COMPARE(window.size(), size);
            grab(&window, QStringLiteral("%1x%2-train-empty").arg(size.width()).arg(size.height()));
        }

        // Two runs overlaid: the tutorial's model for its 50 epochs (the demo curve that
        // datasets/README.md shows), and a deeper one paused after 5.
        window.findChild<QSpinBox*>(QStringLiteral("epochs"))->setValue(50);
        window.findChild<QSpinBox*>(QStringLiteral("evalEvery"))->setValue(5);
        QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("trainButton")),
                          Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(window.training()->state(), TrainingController::State::Idle,
                                  180000);
        {
            // The picture shows a model that keeps learning (test_train_demo_story checks
            // the curve itself).
            const auto& epochs = window.runs()->at(0).history.epochs;
            QCOMPARE(epochs.size(), std::size_t{50});
            QVERIFY(epochs[29].test.has_value() && epochs[4].test.has_value());
            QVERIFY(epochs[29].test->topK[4] > epochs[4].test->topK[4]);
        }
        window.findChild<QLineEdit*>(QStringLiteral("layers"))->setText(QStringLiteral("64,32"));
        QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("trainButton")),
                          Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(window.runs()->at(1).history.epochs.size() >= 5, 60000);
        window.training()->pause();
        QTRY_COMPARE_WITH_TIMEOUT(window.training()->state(), TrainingController::State::Paused,
                                  5000);
        window.trainView()->charts()->flushNow();
        // One batch more, stepped, for the Batch tab; its row 8 chosen.
        QSignalSpy stepped(window.training(), &TrainingController::batchInspected);
        window.trainView()->stepBatch();
        QVERIFY(stepped.wait(20000));
        QTRY_COMPARE_WITH_TIMEOUT(window.training()->state(), TrainingController::State::Paused,
                                  5000);
        window.batchView()->controller()->setRow(7);

        const QStringList names{"data", "train-runs", "batch", "recommend", "scores", "embeddings"};
        for (const QSize& size : sizes) {
            window.resize(size);
            QTRY_COMPARE(window.size(), size);
            const QString tag = QStringLiteral("%1x%2").arg(size.width()).arg(size.height());
            for (int tab = 0; tab < names.size(); ++tab) {
                window.tabs()->setCurrentIndex(tab);
                if (tab == MainWindow::EmbeddingsTab) { // its map is computed when first shown
                    EmbeddingsView* embeddings = window.embeddingsView();
                    QTRY_VERIFY_WITH_TIMEOUT(
                        !embeddings->isProjecting() && !embeddings->map()->isSettling(), 20000);
                    // A selected movie, so the shot shows its highlighted neighbours and list.
                    window.query()->selectMovie(0);
                    QCOMPARE(embeddings->neighbourModel()->rowCount(), EmbeddingsView::kNeighbours);
                }
                grab(&window, QStringLiteral("%1-%2").arg(tag, names[tab]));
            }
            // The whole summary, also the charts below the fold.
            window.tabs()->setCurrentIndex(MainWindow::DataTab);
            auto* summary = window.findChild<QScrollArea*>(QStringLiteral("summaryScroll"));
            QVERIFY(summary != nullptr);
            grab(summary->widget(), QStringLiteral("%1-data-summary").arg(tag));
        }
        // The chart switch: what the runs recommend instead of whether they hit.
        window.resize(1280, 800);
        QTRY_COMPARE(window.size(), QSize(1280, 800));
        window.tabs()->setCurrentIndex(MainWindow::TrainTab);
        for (const auto& [metric, name] :
             {std::pair{TrainingCharts::Metric::Coverage, "coverage"},
              std::pair{TrainingCharts::Metric::Popularity, "popularity"},
              std::pair{TrainingCharts::Metric::VectorLength, "vector-lengths"}}) {
            window.trainView()->charts()->setMetric(metric);
            window.trainView()->charts()->flushNow();
            grab(&window, QStringLiteral("1280x800-train-%1").arg(QLatin1String(name)));
        }
        window.trainView()->charts()->setMetric(TrainingCharts::Metric::Accuracy);
        // A dark desktop palette reaches the charts too.
        const QPalette light = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        dark.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        dark.setColor(QPalette::ButtonText, QColor(0xe0, 0xe0, 0xe0));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xd0));
        dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
        QApplication::setPalette(dark);
        window.resize(1280, 800);
        QTRY_COMPARE(window.size(), QSize(1280, 800));
        window.tabs()->setCurrentIndex(MainWindow::TrainTab);
        window.trainView()->charts()->flushNow();
        grab(&window, QStringLiteral("1280x800-train-dark"));
        QApplication::setPalette(light);

        window.training()->stop();
        QTRY_COMPARE_WITH_TIMEOUT(window.training()->state(), TrainingController::State::Idle,
                                  5000);
    }

    // "Is the difference real?": two configurations, three seeds each, drawn as mean and band,
    // tabled as mean ± sd, and the verdict under the table.
    void seedGroupsAndTheirVerdict() {
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.datasets()->dataset() != nullptr, 10000);
        window.tabs()->setCurrentIndex(MainWindow::TrainTab);
        window.findChild<QSpinBox*>(QStringLiteral("epochs"))->setValue(12);
        window.findChild<QSpinBox*>(QStringLiteral("evalEvery"))->setValue(2);
        window.findChild<QSpinBox*>(QStringLiteral("seedRepeats"))->setValue(3);
        for (const QString& layers : {QStringLiteral("32"), QStringLiteral("64,32")}) {
            window.findChild<QLineEdit*>(QStringLiteral("layers"))->setText(layers);
            QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("trainButton")),
                              Qt::LeftButton);
            QTRY_COMPARE_WITH_TIMEOUT(window.training()->state(), TrainingController::State::Idle,
                                      180000);
        }
        QCOMPARE(window.runs()->count(), 6);
        window.trainView()->verdictPanel()->refreshNow();
        QVERIFY(!window.trainView()->verdictPanel()->verdictText().isEmpty());
        window.trainView()->charts()->flushNow();
        grab(&window, QStringLiteral("1280x800-train-seeds"));
    }

    // A lesson in its side panel at 1280x800, the same lesson in presenter mode at 1920x1080
    // (larger text, the step across the top), and a score worked out at both sizes.
    void aLessonAndAScoreWorkedOut() {
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.datasets()->dataset() != nullptr, 10000);
        QVERIFY(window.openLesson(QStringLiteral(":/lessons/5-reading-a-map.tllesson")));
        LessonPlayer* player = window.lessonPlayer();
        QTRY_VERIFY_WITH_TIMEOUT(player->phase() == LessonPlayer::Phase::Revealed, 180000);
        player->next();
        QTRY_VERIFY_WITH_TIMEOUT(player->phase() == LessonPlayer::Phase::Revealed, 60000);
        player->next(); // t-SNE at perplexity 5: its question waits for an answer
        QCOMPARE(player->phase(), LessonPlayer::Phase::Asking);
        grab(&window, QStringLiteral("1280x800-lesson"));

        window.setPresenterMode(true);
        window.showNormal(); // offscreen "full screen" is the virtual screen's size
        window.resize(1920, 1080);
        QTRY_COMPARE(window.size(), QSize(1920, 1080));
        grab(&window, QStringLiteral("1920x1080-lesson-presenter"));
        window.setPresenterMode(false);

        const TrainedModelPtr model = window.runs()->at(0).trainedModel;
        QVERIFY(model != nullptr);
        for (const double scale : {1.0, 1.5}) {
            window.setFontScale(scale);
            auto* dialog =
                ScoreDerivationDialog::open(model, UserQuery{35, 4, 0, 1690000000, -1, {}}, 7,
                                            QStringLiteral("35-44, doctor, female"), &window);
            QVERIFY(dialog != nullptr);
            dialog->resize(scale == 1.0 ? QSize(1000, 760) : QSize(1500, 1000));
            QVERIFY(QTest::qWaitForWindowExposed(dialog));
            grab(dialog, scale == 1.0 ? QStringLiteral("1280x800-score-worked-out")
                                      : QStringLiteral("1920x1080-score-worked-out-larger-text"));
            delete dialog;
        }
        window.setFontScale(1.0);
    }
};

QTEST_MAIN(TestScreenshots)
#include "test_screenshots.moc"
