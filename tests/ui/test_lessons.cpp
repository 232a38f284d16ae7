// Lessons in the window: the player's order (question before action, reveal after), Back and
// Next, failures that say why and let the class go on; a lesson run start to finish on the
// demo through the real window; Save as lesson; and the built-in lessons' own checks.

#include "controllers/batch_inspection_controller.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/embeddings_controller.hpp"
#include "controllers/lesson_player.hpp"
#include "controllers/model_controller.hpp"
#include "controllers/query_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/training_controller.hpp"
#include "main_window.hpp"
#include "ui_test_support.hpp"
#include "views/batch_view.hpp"
#include "views/embeddings_view.hpp"
#include "views/lesson_panel.hpp"
#include "views/scores_view.hpp"
#include "views/train_form.hpp"
#include "views/train_view.hpp"
#include "window_lesson_stage.hpp"

#include "data/dataset.hpp"
#include "io/lesson_file.hpp"

#include <QDockWidget>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace towerlab;
using Phase = LessonPlayer::Phase;

namespace {

// A stage that records what it is asked and finishes each call when the test says so.
class ScriptedStage : public LessonStage {
public:
    QStringList calls;
    Done pending;
    QString failNext; // the next perform() fails with this
    bool finishAtOnce = true;
    int restored = 0;
    int cancelled = 0;

    void prepare(const LessonState& start, Done done) override {
        calls << QStringLiteral("prepare ") + QString::fromStdString(start.dataset);
        finishOrKeep(std::move(done));
    }
    void perform(const LessonAction& action, Done done) override {
        calls << QString::fromStdString(lessonActionName(action.kind));
        finishOrKeep(std::move(done));
    }
    void cancel() override {
        ++cancelled;
        pending = nullptr;
    }
    bool pointAt(const QString& name) override {
        calls << QStringLiteral("point ") + name;
        return true;
    }
    void restore() override { ++restored; }
    LessonState currentState() const override {
        LessonState s;
        s.titles = {"Now"};
        return s;
    }
    void finish(const QString& error = {}) {
        Done done = std::move(pending);
        pending = nullptr;
        done(error);
    }

private:
    void finishOrKeep(Done done) {
        const QString error = std::exchange(failNext, QString());
        if (finishAtOnce) {
            done(error);
        } else {
            pending = std::move(done);
        }
    }
};

QString fixture(const char* name) {
    return QStringLiteral(TOWERLAB_FIXTURES "/lessons/") + QString::fromLatin1(name);
}

Lesson threeSteps() {
    return readLesson(fixture("three-steps.tllesson").toStdString());
}

} // namespace

class TestLessons : public QObject {
    Q_OBJECT

    QTemporaryDir m_settings;
    QTemporaryDir m_files;
    std::unique_ptr<MainWindow> m_window;

    template <typename T> T* child(const char* name) const {
        auto* widget = m_window->findChild<T*>(QString::fromLatin1(name));
        if (widget == nullptr) {
            qFatal("no child named %s", name);
        }
        return widget;
    }

    void makeWindow() {
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->datasets()->dataset() != nullptr, 10000);
    }

    QString writeLessonFile(const char* name, const std::string& json) {
        const QString path = m_files.filePath(QString::fromLatin1(name));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly)) {
            qFatal("cannot write %s", qPrintable(path));
        }
        file.write(QByteArray::fromStdString(json));
        return path;
    }

    void waitForStepToEnd(int timeoutMs) {
        LessonPlayer* player = m_window->lessonPlayer();
        QTRY_VERIFY_WITH_TIMEOUT(player->phase() == Phase::Revealed ||
                                     player->phase() == Phase::Failed ||
                                     player->phase() == Phase::Asking,
                                 timeoutMs);
        QVERIFY2(player->phase() != Phase::Failed, qPrintable(player->error()));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid() && m_files.isValid());
        test::isolateSettings(m_settings);
    }

    void cleanup() { m_window.reset(); }

    // --- The player alone, on a scripted stage. ---

    void questionComesBeforeTheActionAndRevealAfter() {
        ScriptedStage stage;
        LessonPlayer player(&stage);
        player.open(threeSteps(), QStringLiteral("three"));
        QCOMPARE(stage.calls, (QStringList{"prepare demo", "open_tab"}));
        QCOMPARE(player.phase(), Phase::Revealed);
        QVERIFY(player.canNext());
        QVERIFY(!player.canBack());

        player.next();
        QCOMPARE(player.stepIndex(), 1);
        QCOMPARE(player.phase(), Phase::Asking);
        QCOMPARE(stage.calls.size(), 2); // nothing runs before the answer
        QVERIFY(!player.canNext());
        QVERIFY(!player.submitAnswer(QStringLiteral("  "))); // committing is the point
        QCOMPARE(player.phase(), Phase::Asking);

        stage.finishAtOnce = false;
        QVERIFY(player.submitAnswer(QStringLiteral("up")));
        QCOMPARE(player.phase(), Phase::Performing);
        QCOMPARE(stage.calls.last(), QStringLiteral("train"));
        QVERIFY(!player.canBack()); // not while it runs
        stage.finish();
        QCOMPARE(player.phase(), Phase::Revealed);
        QCOMPARE(stage.calls.last(), QStringLiteral("point runTable"));
        QCOMPARE(player.answer(1), QStringLiteral("up"));
    }

    void backShowsAStepAsItEndedWithoutRunningItAgain() {
        ScriptedStage stage;
        LessonPlayer player(&stage);
        player.open(threeSteps(), QStringLiteral("three"));
        player.next();
        player.submitAnswer(QStringLiteral("down"));
        player.next();
        QCOMPARE(player.stepIndex(), 2);
        const int calls = stage.calls.size();
        player.back();
        QCOMPARE(player.stepIndex(), 1);
        QCOMPARE(player.phase(), Phase::Revealed);
        QCOMPARE(player.answer(1), QStringLiteral("down"));
        player.back();
        player.next();
        player.next();
        QCOMPARE(stage.calls.size(), calls);
        QVERIFY(!player.canNext()); // the last step
    }

    void aFailedActionSaysWhyAndTheLessonGoesOn() {
        ScriptedStage stage;
        stage.failNext = QStringLiteral("the dataset is missing");
        LessonPlayer player(&stage);
        player.open(threeSteps(), QStringLiteral("three"));
        QCOMPARE(player.phase(), Phase::Failed);
        QVERIFY(player.error().contains(QStringLiteral("the dataset is missing")));
        QVERIFY(player.canNext());
        player.next();
        QCOMPARE(player.phase(), Phase::Asking);
        QVERIFY(player.error().isEmpty());
        stage.failNext = QStringLiteral("training diverged");
        player.submitAnswer(QStringLiteral("up"));
        QCOMPARE(player.phase(), Phase::Failed);
        QCOMPARE(player.error(), QStringLiteral("training diverged"));
        QVERIFY(!stage.calls.contains(QStringLiteral("point runTable"))); // nothing to reveal
    }

    void closingCancelsAndALateAnswerFromTheStageIsIgnored() {
        ScriptedStage stage;
        LessonPlayer player(&stage);
        QSignalSpy closed(&player, &LessonPlayer::closed);
        stage.finishAtOnce = false;
        player.open(threeSteps(), QStringLiteral("three"));
        QCOMPARE(player.phase(), Phase::Preparing);
        LessonStage::Done late = stage.pending;
        player.close();
        QCOMPARE(closed.count(), 1);
        QCOMPARE(player.phase(), Phase::Closed);
        QCOMPARE(stage.restored, 1);
        QVERIFY(stage.cancelled >= 1);
        late({}); // the stage finishing after all
        QCOMPARE(player.phase(), Phase::Closed);
    }

    void snapshotKeepsTheStepsWithTheCurrentState() {
        ScriptedStage stage;
        LessonPlayer player(&stage);
        const Lesson none = player.snapshot(QStringLiteral("Mine"));
        QCOMPARE(none.title, std::string("Mine"));
        QCOMPARE(none.steps.size(), std::size_t(1));
        QCOMPARE(none.start.titles, std::vector<std::string>{"Now"});
        player.open(threeSteps(), QStringLiteral("three"));
        const Lesson copy = player.snapshot({});
        QCOMPARE(copy.title, std::string("Three"));
        QVERIFY(copy.steps == threeSteps().steps);
        QCOMPARE(copy.start.titles, std::vector<std::string>{"Now"});
    }

    // --- Through the real window, on the demo data. ---

    void aLessonRunsStartToFinishOnTheDemo() {
        makeWindow();
        const Dataset& demo = *m_window->datasets()->dataset();
        const std::string title = demo.movies.at(3).title;
        QFile walk(fixture("demo-walk.tllesson"));
        QVERIFY(walk.open(QIODevice::ReadOnly));
        const std::string lesson =
            QString::fromUtf8(walk.readAll())
                .replace(QStringLiteral("%DEMO_TITLE%"), QString::fromStdString(title))
                .toStdString();
        QVERIFY(m_window->openLesson(writeLessonFile("walk.tllesson", lesson)));
        LessonPlayer* player = m_window->lessonPlayer();
        LessonPanel* panel = m_window->lessonPanel();
        QVERIFY(m_window->findChild<QDockWidget*>(QStringLiteral("lessonDock"))->isVisible());

        // The start state: settings, hidden Data tab and Retrieval box.
        QTRY_COMPARE_WITH_TIMEOUT(player->phase(), Phase::Asking, 10000);
        QCOMPARE(child<QSpinBox>("epochs")->value(), 2);
        QVERIFY(!m_window->tabs()->isTabVisible(MainWindow::DataTab));
        QVERIFY(!child<QWidget>("retrievalTaskBox")->isVisible());
        QCOMPARE(panel->stepText()->text(), QStringLiteral("Train."));
        QVERIFY(!panel->nextButton()->isEnabled());

        // Answering through the panel, as a student would.
        // A radio button takes clicks on its circle and label, not on the whole row.
        auto* choice = child<QRadioButton>("lessonChoice1");
        QTest::mouseClick(choice, Qt::LeftButton, {}, QPoint(8, choice->height() / 2));
        QTest::mouseClick(child<QPushButton>("lessonAnswer"), Qt::LeftButton);
        QCOMPARE(player->answer(0), QStringLiteral("b"));
        waitForStepToEnd(60000);
        QCOMPARE(m_window->runs()->count(), 1);
        QCOMPARE(m_window->runs()->at(0).status, RunStatus::Completed);
        QCOMPARE(m_window->runs()->at(0).training.epochs, 2);
        QCOMPARE(panel->revealText()->text(), QStringLiteral("Done."));
        QVERIFY(panel->revealText()->isVisible());
        QVERIFY(m_window->lessonStage()->pointer()->isVisible());
        QCOMPARE(m_window->tabs()->currentIndex(), int(MainWindow::TrainTab));

        QTest::keyClick(m_window.get(), Qt::Key_PageDown); // a clicker's "next"
        waitForStepToEnd(5000);
        QCOMPARE(m_window->query()->query().ageBucket, 35);
        QCOMPARE(m_window->query()->query().gender, 0);
        QCOMPARE(m_window->tabs()->currentIndex(), int(MainWindow::RecommendTab));

        player->next();
        waitForStepToEnd(5000);
        QCOMPARE(m_window->scoresView()->chosenTitles(), std::vector<std::string>{title});

        player->next();
        waitForStepToEnd(30000);
        QVERIFY(m_window->embeddingsView()->controller()->positions().has_value());

        player->next();
        waitForStepToEnd(10000);
        QSignalSpy opened(m_window->models(), &ModelController::opened);
        player->next();
        waitForStepToEnd(10000);
        QCOMPARE(opened.count(), 1);

        player->next();
        waitForStepToEnd(5000);
        const std::optional<FormValues> values = m_window->trainView()->form()->values();
        QVERIFY(values.has_value());
        QCOMPARE(values->model.layers, (std::vector<int>{64, 32}));
        QCOMPARE(values->training.epochs, 2); // the start's, kept
        QVERIFY(!player->canNext());

        // Closing shows everything again.
        m_window->closeLesson();
        QVERIFY(m_window->tabs()->isTabVisible(MainWindow::DataTab));
        QVERIFY(child<QWidget>("retrievalTaskBox")->isVisible());
        QVERIFY(!m_window->findChild<QDockWidget*>(QStringLiteral("lessonDock"))->isVisible());
    }

    void presenterModeIsFullScreenLargeAndKeyboardDriven() {
        makeWindow();
        const double scale = m_window->fontScale();
        QVERIFY(m_window->openLesson(fixture("three-steps.tllesson")));
        LessonPlayer* player = m_window->lessonPlayer();
        QTRY_COMPARE_WITH_TIMEOUT(player->phase(), Phase::Revealed, 10000);
        QTest::keyClick(m_window.get(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(m_window->presenterMode());
        QTRY_VERIFY(m_window->isFullScreen());
        QVERIFY(m_window->fontScale() >= 1.5);
        auto* banner = child<QLabel>("presenterBanner");
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->text(), QStringLiteral("One."));
        QTest::keyClick(m_window.get(), Qt::Key_PageDown);
        QCOMPARE(player->phase(), Phase::Asking);
        QCOMPARE(banner->text(), QStringLiteral("Up or down?")); // the question, large
        // Page Down with nothing picked does not skip the prediction.
        QTest::keyClick(m_window.get(), Qt::Key_PageDown);
        QCOMPARE(player->phase(), Phase::Asking);
        QTest::keyClick(m_window.get(), Qt::Key_PageUp);
        QCOMPARE(player->stepIndex(), 0);
        QCOMPARE(banner->text(), QStringLiteral("One."));
        QTest::keyClick(m_window.get(), Qt::Key_Escape);
        QVERIFY(!m_window->presenterMode());
        QCOMPARE(m_window->fontScale(), scale);
        QTRY_VERIFY(!m_window->isFullScreen());
        QVERIFY(!banner->isVisible());
    }

    void aStepThatCannotBeDoneSaysWhy() {
        makeWindow();
        QVERIFY(m_window->openLesson(fixture("steps-that-fail.tllesson")));
        LessonPlayer* player = m_window->lessonPlayer();
        QTRY_COMPARE_WITH_TIMEOUT(player->phase(), Phase::Failed, 10000);
        QCOMPARE(player->error(),
                 QStringLiteral("the catalogue has no movie titled No Such Film (1901)"));
        player->next();
        QCOMPARE(player->phase(), Phase::Failed);
        QVERIFY2(player->error().startsWith(QStringLiteral("settings.hard_negatives: ")),
                 qPrintable(player->error()));
        QCOMPARE(child<QSpinBox>("batchSize")->value(), 64); // unchanged
        player->next();
        QCOMPARE(player->phase(), Phase::Failed);
        QCOMPARE(player->error(),
                 QStringLiteral("there is no saved model to open: an earlier step saves it"));
        QVERIFY(child<QLabel>("lessonStatus")->isVisible());
    }

    void aFileThatIsNotALessonIsRefusedAndNothingChanges() {
        makeWindow();
        QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
        const QString path = fixture("newer-version.tllesson");
        QVERIFY(!m_window->openLesson(path));
        QVERIFY(!m_window->lessonPlayer()->isOpen());
        QVERIFY(!m_window->findChild<QDockWidget*>(QStringLiteral("lessonDock"))->isVisible());
        QCOMPARE(errors.count(), 1);
        QVERIFY(errors.at(0).at(1).toString().contains(QStringLiteral("newer TowerLab")));
    }

    void aLessonNamingAMissingDatasetSaysWhichAndHowToGetIt() {
        makeWindow();
        const QString path = fixture("missing-dataset.tllesson");
        QVERIFY(m_window->openLesson(path));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->lessonPlayer()->phase(), Phase::Failed, 5000);
        QVERIFY2(m_window->lessonPlayer()->error().contains(
                     QStringLiteral("needs the MovieLens dataset \"ml-99z\", which is not "
                                    "installed here")),
                 qPrintable(m_window->lessonPlayer()->error()));
    }

    void saveAsLessonWritesTheWindowsState() {
        makeWindow();
        // A copy: the window (and its dataset) is replaced below.
        const std::string fifth = m_window->datasets()->dataset()->movies.at(5).title;
        child<QSpinBox>("epochs")->setValue(1);
        QVERIFY(m_window->trainView()->startTraining() != 0);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->models()->current() != nullptr, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->training()->state(), TrainingController::State::Idle,
                                  20000);
        child<QSpinBox>("epochs")->setValue(7);
        QVERIFY(m_window->scoresView()->addMovie(5));
        m_window->tabs()->setTabVisible(MainWindow::ScoresTab, false);
        const QString path = m_files.filePath(QStringLiteral("mine.tllesson"));
        QVERIFY(m_window->saveLesson(path, QStringLiteral("My lesson")));
        const Lesson saved = readLesson(path.toStdString());
        QCOMPARE(saved.title, std::string("My lesson"));
        QCOMPARE(saved.start.dataset, std::string("demo"));
        QCOMPARE(saved.start.titles, std::vector<std::string>{fifth});
        QCOMPARE(saved.start.tabs.size(), std::size_t(5));
        QCOMPARE(saved.start.settings.entries.size(), std::size_t(1));
        QCOMPARE(saved.start.settings.entries[0].first, std::string("epochs"));
        QCOMPARE(saved.start.settings.entries[0].second, std::string("7"));

        // And it opens in a fresh window in the same state.
        makeWindow();
        QVERIFY(m_window->openLesson(path));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->lessonPlayer()->phase(), Phase::Revealed, 10000);
        QCOMPARE(child<QSpinBox>("epochs")->value(), 7);
        QVERIFY(!m_window->tabs()->isTabVisible(MainWindow::ScoresTab));
        // The title waits for a model, then the Scores tab shows it.
        const std::vector<std::string> title{fifth};
        QCOMPARE(m_window->lessonStage()->currentState().titles, title);
        QVERIFY(m_window->scoresView()->chosenTitles().empty());
        QVERIFY(m_window->trainView()->startTraining() != 0);
        QTRY_COMPARE_WITH_TIMEOUT(m_window->scoresView()->chosenTitles(), title, 30000);
    }

    // --- The built-in lessons. ---

    void everyBuiltInLessonOpensAndNamesRealControls() {
        makeWindow();
        const QStringList lessons = MainWindow::builtInLessons();
        QVERIFY2(lessons.size() >= 4, qPrintable(lessons.join(", ")));
        for (const QString& resource : lessons) {
            QFile file(resource);
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            Lesson lesson;
            try {
                lesson = parseLesson(bytes.toStdString(), resource.toStdString());
            } catch (const LessonFileError& e) {
                QFAIL(e.what());
            }
            for (const std::string& name : lesson.start.hidden) {
                QVERIFY2(m_window->findChild<QWidget*>(QString::fromStdString(name)) != nullptr,
                         qPrintable(resource + ": hidden " + QString::fromStdString(name)));
            }
            for (const LessonStep& step : lesson.steps) {
                if (step.reveal && !step.reveal->pointAt.empty()) {
                    const QString name = QString::fromStdString(step.reveal->pointAt);
                    QVERIFY2(m_window->findChild<QWidget*>(name) != nullptr,
                             qPrintable(resource + ": point_at " + name));
                }
                for (const std::string& title : step.action.titles) {
                    QVERIFY2(lesson.start.dataset != "demo",
                             qPrintable(resource + ": a demo lesson names a title"));
                    Q_UNUSED(title);
                }
            }
        }
    }

    void theLayersLessonGivesAVerdictAcrossSeeds() {
        makeWindow();
        QVERIFY(m_window->openLesson(QStringLiteral(":/lessons/3-one-layer-or-two.tllesson")));
        LessonPlayer* player = m_window->lessonPlayer();
        QTRY_VERIFY_WITH_TIMEOUT(player->phase() != Phase::Preparing, 10000);
        QCOMPARE(child<QSpinBox>("seedRepeats")->value(), 3);
        waitForStepToEnd(240000);
        QCOMPARE(m_window->runs()->count(), 3);
        player->next();
        QVERIFY(player->submitAnswer(QStringLiteral("no difference we can detect")));
        waitForStepToEnd(5000);
        player->next();
        waitForStepToEnd(240000);
        // Two seed sets of three, the second with two layers, seeds paired.
        const RunCollection* runs = m_window->runs();
        QCOMPARE(runs->count(), 6);
        for (int row = 0; row < 6; ++row) {
            const RunRecord& run = runs->at(row);
            QCOMPARE(run.status, RunStatus::Completed);
            QCOMPARE(run.training.seed, std::uint64_t(42 + row % 3));
            const std::vector<int> layers =
                row < 3 ? std::vector<int>{32} : std::vector<int>{64, 32};
            QCOMPARE(run.model.layers, layers);
            QVERIFY(!run.seedSet.isEmpty());
        }
        QVERIFY(runs->at(0).seedSet != runs->at(3).seedSet);
        // The verdict the reveal points at is on screen and is a verdict over three seeds.
        auto* verdict = child<QLabel>("verdictText");
        QVERIFY(verdict->isVisible());
        QTRY_VERIFY2_WITH_TIMEOUT(verdict->text().contains(QStringLiteral("over 3 seeds")),
                                  qPrintable(verdict->text()), 5000);
    }

    void theBatchLessonStepsThroughAnEpoch() {
        makeWindow();
        QVERIFY(m_window->openLesson(QStringLiteral(":/lessons/6-inside-one-batch.tllesson")));
        LessonPlayer* player = m_window->lessonPlayer();
        QTRY_VERIFY_WITH_TIMEOUT(player->phase() != Phase::Preparing, 10000);
        waitForStepToEnd(5000);
        QCOMPARE(m_window->tabs()->currentIndex(), int(MainWindow::BatchTab));
        BatchInspectionController* batch = m_window->batchView()->controller();
        // Step 2: the first batch, near 2048 ln 2048 as its reveal says.
        player->next();
        QVERIFY(player->submitAnswer(QStringLiteral("about 2,048 × ln 2,048 ≈ 15,615")));
        waitForStepToEnd(60000);
        QVERIFY(batch->hasBatch());
        QCOMPARE(batch->inspection().batch, 1);
        const double uniform = 2048 * std::log(2048.0);
        QVERIFY(std::abs(batch->inspection().loss - uniform) < 0.01 * uniform);
        // Step 3: the rest of epoch 1, one batch at a time.
        player->next();
        waitForStepToEnd(120000);
        QCOMPARE(m_window->runs()->count(), 1);
        QCOMPARE(m_window->runs()->at(0).history.epochs.size(), std::size_t(1));
        QCOMPARE(batch->inspection().batch, batch->inspection().batchesPerEpoch);
        QVERIFY(batch->inspection().loss < 0.95 * uniform);
        // Step 4: epoch 2's first batch at row 8, where most rows' positives gain.
        player->next();
        QVERIFY(player->submitAnswer(QStringLiteral("more than half")));
        waitForStepToEnd(60000);
        QCOMPARE(batch->inspection().epoch, 2);
        QCOMPARE(batch->inspection().batch, 1);
        QCOMPARE(batch->row(), 7);
        QVERIFY2(batch->batch().overview.rowsUp > 1024,
                 qPrintable(QString::number(batch->batch().overview.rowsUp)));
        QVERIFY(child<QLabel>("batchRowText")->text().contains(QStringLiteral("Row 8")));
        QCOMPARE(m_window->training()->state(), TrainingController::State::Paused);
    }

    void theMapLessonRunsOnTheDemo() {
        makeWindow();
        QVERIFY(m_window->openLesson(QStringLiteral(":/lessons/5-reading-a-map.tllesson")));
        LessonPlayer* player = m_window->lessonPlayer();
        waitForStepToEnd(120000);
        QCOMPARE(m_window->runs()->count(), 1);
        QCOMPARE(m_window->runs()->at(0).training.epochs, 10);
        const RankingMetrics* metrics = m_window->runs()->at(0).finalMetrics();
        QVERIFY(metrics != nullptr);
        QVERIFY(!m_window->tabs()->isTabVisible(MainWindow::ScoresTab));
        EmbeddingsController* map = m_window->embeddingsView()->controller();
        std::vector<RowMatrix> maps;
        for (int step = 1; step < player->stepCount(); ++step) {
            player->next();
            if (player->phase() == Phase::Asking) {
                QVERIFY(player->submitAnswer(QStringLiteral("the same neighbours, different "
                                                            "shapes")));
            }
            waitForStepToEnd(60000);
            QVERIFY(map->positions().has_value());
            maps.push_back(*map->positions());
        }
        // Two random starts give two different pictures of the same vectors.
        QCOMPARE(maps.size(), std::size_t(6));
        QVERIFY(!maps[4].isApprox(maps[5], 1e-3f));
        // The last map is t-SNE at perplexity 30 of the trained movies from random start 2.
        QCOMPARE(map->shownMethod(), ProjectionMethod::Tsne);
        QCOMPARE(map->perplexity(), 30.0);
        QCOMPARE(map->tsneSeed(), std::optional<std::uint64_t>(2));
        QCOMPARE(map->positions()->rows(),
                 Eigen::Index(m_window->datasets()->dataset()->movies.size()));
    }
};

QTEST_MAIN(TestLessons)
#include "test_lessons.moc"
