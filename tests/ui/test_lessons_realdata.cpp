// The built-in lessons that name MovieLens 100K, run start to finish in the window on the real
// data, each with the observation its reveals state checked: what a teacher tells the class
// must be what the screen shows.

#include "controllers/dataset_controller.hpp"
#include "controllers/lesson_player.hpp"
#include "controllers/model_controller.hpp"
#include "controllers/query_controller.hpp"
#include "controllers/run_collection.hpp"
#include "main_window.hpp"
#include "ui_test_support.hpp"
#include "views/scores_view.hpp"

#include "test_support.hpp"

#include <QDir>
#include <QFile>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace towerlab;
using Phase = LessonPlayer::Phase;

class TestLessonsRealdata : public QObject {
    Q_OBJECT

    QTemporaryDir m_settings;
    QTemporaryDir m_datasets; // holds "ml-100k", a link to the real data, as a download would
    std::unique_ptr<MainWindow> m_window;

    void openWindow() {
        MainWindowOptions options;
        options.datasetsFolder = m_datasets.path();
        m_window = std::make_unique<MainWindow>(options);
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->datasets()->dataset() != nullptr, 10000);
    }

    // Runs the current step to its end, answering its question with the first choice.
    void runStep(int timeoutMs) {
        LessonPlayer* player = m_window->lessonPlayer();
        if (player->phase() == Phase::Asking) {
            const LessonStep* step = player->currentStep();
            QVERIFY(player->submitAnswer(QString::fromStdString(
                step->question->choices.empty() ? "a guess" : step->question->choices.front())));
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            player->phase() == Phase::Revealed || player->phase() == Phase::Failed, timeoutMs);
        QVERIFY2(player->phase() == Phase::Revealed, qPrintable(player->error()));
    }

    void openLesson(const char* resource) {
        QVERIFY(m_window->openLesson(QString::fromLatin1(resource)));
        LessonPlayer* player = m_window->lessonPlayer();
        QTRY_VERIFY_WITH_TIMEOUT(player->phase() != Phase::Preparing, 30000);
        QVERIFY2(player->phase() != Phase::Failed, qPrintable(player->error()));
        QCOMPARE(QString::fromStdString(m_window->datasets()->dataset()->name),
                 QStringLiteral("MovieLens 100K"));
    }

    const RankingMetrics& finalOf(int row) const {
        return *m_window->runs()->at(row).finalMetrics();
    }
    const RankingMetrics& baselineOf(int row) const {
        return *m_window->runs()->at(row).history.baseline;
    }
    static double top(const RankingMetrics& m, int k) {
        const auto& cut = RankingMetrics::kCutoffs;
        const auto i = static_cast<std::size_t>(std::find(cut.begin(), cut.end(), k) - cut.begin());
        return m.topK[i];
    }

    QStringList scoreColumn() const {
        auto* table = m_window->findChild<QTableView*>(QStringLiteral("scoreTable"));
        QStringList cells;
        for (int r = 0; r < table->model()->rowCount(); ++r) {
            for (int c = 0; c < table->model()->columnCount(); ++c) {
                cells << table->model()->index(r, c).data().toString();
            }
        }
        return cells;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid() && m_datasets.isValid());
        test::isolateSettings(m_settings);
        const std::filesystem::path real = test::ml100kFolder();
        QVERIFY(QFile::link(QString::fromStdString(std::filesystem::absolute(real).string()),
                            QDir(m_datasets.path()).filePath(QStringLiteral("ml-100k"))));
    }

    void cleanup() { m_window.reset(); }

    void theTutorialEndToEnd() {
        openWindow();
        openLesson(":/lessons/1-tutorial.tllesson");
        LessonPlayer* player = m_window->lessonPlayer();
        QCOMPARE(player->stepIndex(), 0); // the Data tab: nothing to wait for
        player->next();
        runStep(300000);
        // "Top-100 accuracy ends near 0.16 ... Chance would be 0.06."
        QCOMPARE(m_window->runs()->count(), 1);
        QCOMPARE(m_window->runs()->at(0).training.epochs, 50);
        const double top100 = top(finalOf(0), 100);
        QVERIFY2(top100 > 0.14 && top100 < 0.18, qPrintable(QString::number(top100)));
        player->next();
        runStep(10000);
        QCOMPARE(m_window->query()->query().occupationLabel, 17);
        auto* list = m_window->findChild<QTableView*>(QStringLiteral("recommendTableA"));
        QTRY_COMPARE_WITH_TIMEOUT(list->model()->rowCount(), 50, 10000);
        player->next();
        runStep(10000);
        QCOMPARE(m_window->scoresView()->chosenTitles().size(), std::size_t(3));
        const QStringList before = scoreColumn();
        QVERIFY(!before.isEmpty());
        player->next();
        runStep(30000); // save
        QSignalSpy opened(m_window->models(), &ModelController::opened);
        player->next();
        runStep(30000); // reload
        QCOMPARE(opened.count(), 1);
        // "Exactly the same."
        QTRY_COMPARE_WITH_TIMEOUT(scoreColumn(), before, 10000);
    }

    void mostPopularWinsAndTheUserIdHelps() {
        openWindow();
        openLesson(":/lessons/2-most-popular.tllesson");
        LessonPlayer* player = m_window->lessonPlayer();
        runStep(300000);
        // "The list wins: about 0.30 against about 0.16."
        QVERIFY(top(finalOf(0), 100) < top(baselineOf(0), 100) - 0.1);
        player->next();
        runStep(10000);
        player->next();
        runStep(300000);
        QCOMPARE(m_window->runs()->count(), 2);
        QVERIFY(m_window->runs()->at(1).model.features.has(FeatureId::UserId));
        // "Top-100 rises from about 0.16 to about 0.26 ... still under most popular (0.30)."
        const double withId = top(finalOf(1), 100);
        QVERIFY2(withId > top(finalOf(0), 100) + 0.06, qPrintable(QString::number(withId)));
        QVERIFY(withId < top(baselineOf(1), 100));
        QVERIFY(top(finalOf(1), 10) < top(baselineOf(1), 10) / 3);
    }

    void logQCorrectionBeatsMostPopular() {
        openWindow();
        openLesson(":/lessons/4-popularity-bias.tllesson");
        LessonPlayer* player = m_window->lessonPlayer();
        runStep(300000);
        QVERIFY(top(finalOf(0), 100) < top(baselineOf(0), 100));
        player->next();
        runStep(10000);
        player->next();
        runStep(300000);
        QCOMPARE(m_window->runs()->count(), 2);
        QVERIFY(m_window->runs()->at(1).training.retrieval.logQ == LogQCorrection::Frequency);
        // "Top-100 roughly doubles and passes most popular, and top-10 rises even more."
        QVERIFY(top(finalOf(1), 100) > 1.7 * top(finalOf(0), 100));
        QVERIFY(top(finalOf(1), 100) > top(baselineOf(1), 100));
        QVERIFY(top(finalOf(1), 10) / top(finalOf(0), 10) >
                top(finalOf(1), 100) / top(finalOf(0), 100));
    }
};

TOWERLAB_REALDATA_MAIN(TestLessonsRealdata)
#include "test_lessons_realdata.moc"
