#include "window_lesson_stage.hpp"

#include "controllers/batch_inspection_controller.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/embeddings_controller.hpp"
#include "controllers/model_controller.hpp"
#include "controllers/query_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/train_tab_controller.hpp"
#include "controllers/training_controller.hpp"
#include "main_window.hpp"
#include "views/batch_view.hpp"
#include "views/embeddings_view.hpp"
#include "views/scores_view.hpp"
#include "views/train_form.hpp"
#include "views/train_view.hpp"

#include "data/dataset.hpp"

#include <QEvent>
#include <QFileInfo>
#include <QFrame>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTimer>

namespace towerlab {
namespace {

constexpr int kPointerMs = 4000; // how long the ring stays around what a reveal points at

int tabIndex(LessonTab tab) {
    switch (tab) {
    case LessonTab::Data:
        return MainWindow::DataTab;
    case LessonTab::Train:
        return MainWindow::TrainTab;
    case LessonTab::Batch:
        return MainWindow::BatchTab;
    case LessonTab::Recommend:
        return MainWindow::RecommendTab;
    case LessonTab::Scores:
        return MainWindow::ScoresTab;
    case LessonTab::Embeddings:
        return MainWindow::EmbeddingsTab;
    }
    return MainWindow::TrainTab;
}

// The tab whose page holds the widget, or -1.
int tabHolding(QTabWidget* tabs, const QWidget* widget) {
    for (int i = 0; i < tabs->count(); ++i) {
        const QWidget* page = tabs->widget(i);
        if (page == widget || page->isAncestorOf(widget)) {
            return i;
        }
    }
    return -1;
}

} // namespace

WindowLessonStage::WindowLessonStage(MainWindow* window, FindDataset find, OfferDownload offer)
    : QObject(window), m_window(window), m_find(std::move(find)), m_offer(std::move(offer)) {
    m_window->installEventFilter(this);
    // Queued: the Scores tab takes the new model first.
    connect(m_window->models(), &ModelController::currentChanged, this,
            &WindowLessonStage::addPendingTitles, Qt::QueuedConnection);
}

WindowLessonStage::~WindowLessonStage() {
    for (const auto& c : m_pending) {
        disconnect(c);
    }
}

QWidget* WindowLessonStage::pointer() const {
    return m_pointer;
}

void WindowLessonStage::settle(const QString& error) {
    for (const auto& c : m_pending) {
        disconnect(c);
    }
    m_pending.clear();
    m_trainingRun = 0;
    Done done = std::move(m_done);
    m_done = nullptr;
    if (done) {
        done(error);
    }
}

void WindowLessonStage::cancel() {
    for (const auto& c : m_pending) {
        disconnect(c);
    }
    m_pending.clear();
    m_done = nullptr;
    if (m_trainingRun != 0) {
        m_window->training()->stop();
        m_trainingRun = 0;
    }
}

void WindowLessonStage::prepare(const LessonState& start, Done done) {
    cancel();
    hidePointer();
    m_done = std::move(done);
    // Whatever trains now belongs to another experiment; the lesson starts from its own state.
    if (m_window->training()->state() != TrainingController::State::Idle) {
        m_window->training()->stop();
    }
    useDataset(start.dataset, [this, start](const QString& error) {
        settle(error.isEmpty() ? applyState(start) : error);
    });
}

void WindowLessonStage::useDataset(const std::string& key, Done next) {
    DatasetController* data = m_window->datasets();
    QString path;
    if (key != "demo") {
        const QString k = QString::fromStdString(key);
        path = m_find(k);
        if (path.isEmpty()) {
            m_offer(k);
            next(tr("this lesson needs the MovieLens dataset \"%1\", which is not installed here. "
                    "Download it (File → Download MovieLens), then open the lesson again.")
                     .arg(k));
            return;
        }
        path = QFileInfo(path).absoluteFilePath();
    }
    if (data->dataset() && !data->isLoading() && data->path() == path) {
        next({});
        return;
    }
    listen(connect(data, &DatasetController::datasetChanged, this, [next] { next({}); }));
    listen(connect(data, &DatasetController::loadFailed, this,
                   [next](const QString& what, const QString& message) {
                       next(tr("%1 could not be opened: %2").arg(what, message));
                   }));
    if (path.isEmpty()) {
        data->loadDemo();
    } else {
        m_window->openDataset(path);
    }
}

QString WindowLessonStage::applyState(const LessonState& start) {
    QStringList problems;
    // Settings: the tutorial's, then the lesson's.
    const FormValues defaults = TrainForm::defaults();
    ModelConfig model = defaults.model;
    TrainConfig training = defaults.training;
    try {
        applyConfigPatch(start.settings, model, training, "start.settings");
        m_window->trainView()->form()->setValues(model, training);
        setSeedRepeats(start.seeds);
    } catch (const JsonFieldError& e) {
        problems << QString::fromStdString(e.what());
    }
    if (start.query) {
        m_window->query()->setQuery(*start.query);
    }
    m_window->scoresView()->clearTitles();
    m_pendingTitles.clear();
    if (const QString problem = addTitles(start.titles); !problem.isEmpty()) {
        problems << problem;
    }
    if (start.map) {
        EmbeddingsView* view = m_window->embeddingsView();
        view->setPoints(start.map->points == LessonMap::Points::Movies
                            ? EmbeddingsController::Points::Movies
                            : EmbeddingsController::Points::Users);
        view->setMethod(start.map->method == LessonMap::Method::Pca ? ProjectionMethod::Pca
                                                                    : ProjectionMethod::Tsne);
        view->setTsneSettings(start.map->perplexity, start.map->iterations, start.map->seed);
    }
    // Tabs and controls: first everything back, then the lesson's choice.
    restore();
    QTabWidget* tabs = m_window->tabs();
    for (LessonTab tab : allLessonTabs()) {
        const bool shown = std::find(start.tabs.begin(), start.tabs.end(), tab) != start.tabs.end();
        tabs->setTabVisible(tabIndex(tab), shown);
    }
    if (!tabs->isTabVisible(tabs->currentIndex()) && !start.tabs.empty()) {
        tabs->setCurrentIndex(tabIndex(start.tabs.front()));
    }
    for (const std::string& name : start.hidden) {
        QWidget* widget = m_window->findChild<QWidget*>(QString::fromStdString(name));
        if (widget == nullptr) {
            problems << tr("there is no panel or control named \"%1\" to hide")
                            .arg(QString::fromStdString(name));
            continue;
        }
        widget->hide();
        m_hidden.emplace_back(widget);
    }
    return problems.join(QStringLiteral("; "));
}

void WindowLessonStage::restore() {
    QTabWidget* tabs = m_window->tabs();
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setTabVisible(i, true);
    }
    for (const QPointer<QWidget>& widget : m_hidden) {
        if (widget) {
            widget->show();
        }
    }
    m_hidden.clear();
    if (m_pointer) {
        m_pointer->hide();
    }
}

QString WindowLessonStage::applySettings(const ConfigPatch& patch) {
    TrainForm* form = m_window->trainView()->form();
    QString message;
    const std::optional<FormValues> values = form->values(&message);
    if (!values) {
        return tr("the Train form has a problem to fix first: %1").arg(message);
    }
    ModelConfig model = values->model;
    TrainConfig training = values->training;
    try {
        applyConfigPatch(patch, model, training, "settings");
    } catch (const JsonFieldError& e) {
        return QString::fromStdString(e.what());
    }
    form->setValues(model, training);
    return {};
}

QString WindowLessonStage::addTitles(const std::vector<std::string>& titles) {
    const std::shared_ptr<const Dataset> dataset = m_window->query()->dataset();
    const bool scoring = m_window->models()->current() != nullptr;
    QStringList missing;
    for (const std::string& title : titles) {
        int found = -1;
        if (dataset) {
            for (std::size_t i = 0; i < dataset->movies.size(); ++i) {
                if (dataset->movies[i].title == title) {
                    found = static_cast<int>(i);
                    break;
                }
            }
        }
        if (found < 0) {
            missing << QString::fromStdString(title);
        } else if (!scoring) {
            // Scores need a model: the title waits for the first one (a lesson's start
            // usually comes before any training).
            if (std::find(m_pendingTitles.begin(), m_pendingTitles.end(), title) ==
                m_pendingTitles.end()) {
                m_pendingTitles.push_back(title);
            }
        } else if (!m_window->scoresView()->addMovie(found)) {
            missing << QString::fromStdString(title);
        }
    }
    if (missing.isEmpty()) {
        return {};
    }
    return tr("the catalogue has no movie titled %1").arg(missing.join(QStringLiteral(", ")));
}

void WindowLessonStage::addPendingTitles() {
    if (m_pendingTitles.empty() || !m_window->models()->current()) {
        return;
    }
    const std::vector<std::string> titles = std::exchange(m_pendingTitles, {});
    if (const QString problem = addTitles(titles); !problem.isEmpty()) {
        m_window->statusBar()->showMessage(problem, 12000);
    }
}

void WindowLessonStage::perform(const LessonAction& action, Done done) {
    cancel();
    hidePointer();
    m_done = std::move(done);
    QTabWidget* tabs = m_window->tabs();
    auto show = [tabs](int index) {
        if (tabs->isTabVisible(index)) {
            tabs->setCurrentIndex(index);
        }
    };
    switch (action.kind) {
    case LessonAction::Kind::None:
        settle({});
        return;
    case LessonAction::Kind::OpenTab:
        if (!tabs->isTabVisible(tabIndex(action.tab))) {
            settle(tr("the lesson hides the %1 tab")
                       .arg(QString::fromStdString(lessonTabName(action.tab))));
            return;
        }
        tabs->setCurrentIndex(tabIndex(action.tab));
        settle({});
        return;
    case LessonAction::Kind::Set:
        show(MainWindow::TrainTab);
        settle(applySettings(action.settings));
        return;
    case LessonAction::Kind::Train:
        train(action);
        return;
    case LessonAction::Kind::StepBatch:
        stepBatches(action);
        return;
    case LessonAction::Kind::Query:
        m_window->query()->setQuery(action.query);
        show(MainWindow::RecommendTab);
        settle({});
        return;
    case LessonAction::Kind::AddTitles:
        show(MainWindow::ScoresTab);
        settle(addTitles(action.titles));
        return;
    case LessonAction::Kind::ClearTitles:
        m_window->scoresView()->clearTitles();
        m_pendingTitles.clear();
        settle({});
        return;
    case LessonAction::Kind::Map:
        showMap(action.map);
        return;
    case LessonAction::Kind::SaveModel:
    case LessonAction::Kind::ReloadModel:
        waitForModelFile(action.kind == LessonAction::Kind::SaveModel);
        return;
    }
}

void WindowLessonStage::train(const LessonAction& action) {
    if (action.epochs > 0) {
        ConfigPatch epochs;
        epochs.entries.emplace_back("epochs", std::to_string(action.epochs));
        if (const QString problem = applySettings(epochs); !problem.isEmpty()) {
            settle(problem);
            return;
        }
    }
    setSeedRepeats(action.seeds);
    TrainingController* training = m_window->training();
    if (training->state() != TrainingController::State::Idle) {
        settle(tr("a run is already training; stop it or let it finish, then try again"));
        return;
    }
    m_window->tabs()->setCurrentIndex(MainWindow::TrainTab);
    // One run, or a seed set queued one after another: done when the queue has drained.
    listen(connect(training, &TrainingController::stateChanged, this,
                   [this, training](TrainingController::State state) {
                       if (state != TrainingController::State::Idle || m_trainingRun == 0 ||
                           training->queuedRuns() > 0) {
                           return;
                       }
                       const RunCollection* runs = m_window->runs();
                       for (int row = 0; row < runs->count(); ++row) {
                           const RunRecord& run = runs->at(row);
                           if (run.id >= m_trainingRun && run.status != RunStatus::Completed) {
                               settle(tr("training stopped before the end: %1")
                                          .arg(run.message.isEmpty() ? runStatusText(run.status)
                                                                     : run.message));
                               return;
                           }
                       }
                       settle({});
                   }));
    m_trainingRun = m_window->trainView()->startTraining();
    if (m_trainingRun == 0) {
        settle(tr("training could not start: %1")
                   .arg(m_window->trainView()->controller()->progressText()));
    }
}

void WindowLessonStage::stepBatches(const LessonAction& action) {
    using State = TrainingController::State;
    TrainingController* training = m_window->training();
    if (training->state() != State::Idle && training->state() != State::Paused) {
        settle(tr("a run is training; pause or stop it, then try again"));
        return;
    }
    m_window->tabs()->setTabVisible(MainWindow::BatchTab, true);
    m_window->tabs()->setCurrentIndex(MainWindow::BatchTab);
    // Each step ends in a pause (or, at the run's last batch, its end): then the next one.
    auto left = std::make_shared<int>(action.batches);
    const int row = action.row;
    listen(
        connect(training, &TrainingController::stateChanged, this, [this, left, row](State state) {
            if (state != State::Paused && state != State::Idle) {
                return;
            }
            --*left;
            if (*left > 0 && state == State::Paused) {
                m_window->trainView()->stepBatch();
                return;
            }
            if (*left > 0) {
                settle(tr("the run ended with %1 batches left to step").arg(*left));
                return;
            }
            if (row > 0) {
                m_window->batchView()->controller()->setRow(row - 1);
            }
            settle({});
        }));
    m_window->trainView()->stepBatch();
    if (training->state() == State::Idle) {
        settle(tr("training could not start: %1")
                   .arg(m_window->trainView()->controller()->progressText()));
    }
}

void WindowLessonStage::setSeedRepeats(int seeds) {
    if (auto* repeats = m_window->findChild<QSpinBox*>(QStringLiteral("seedRepeats"))) {
        repeats->setValue(seeds);
    }
}

void WindowLessonStage::showMap(const LessonMap& map) {
    EmbeddingsView* view = m_window->embeddingsView();
    EmbeddingsController* controller = view->controller();
    if (!controller->shownModel() && !m_window->models()->current()) {
        settle(tr("there is no model to map yet: train one first"));
        return;
    }
    listen(
        connect(controller, &EmbeddingsController::projectionShown, this, [this] { settle({}); }));
    listen(connect(controller, &EmbeddingsController::projectionFailed, this,
                   [this](const QString& message) { settle(message); }));
    view->setPoints(map.points == LessonMap::Points::Movies ? EmbeddingsController::Points::Movies
                                                            : EmbeddingsController::Points::Users);
    view->setMethod(map.method == LessonMap::Method::Pca ? ProjectionMethod::Pca
                                                         : ProjectionMethod::Tsne);
    view->setTsneSettings(map.perplexity, map.iterations, map.seed);
    m_window->tabs()->setTabVisible(MainWindow::EmbeddingsTab, true);
    m_window->tabs()->setCurrentIndex(MainWindow::EmbeddingsTab);
    // Nothing re-projects when the map on screen already has these settings.
    QTimer::singleShot(0, this, [this, controller, map] {
        if (!m_done || controller->isProjecting() || !controller->positions()) {
            return;
        }
        const bool samePoints =
            (controller->shownPoints() == EmbeddingsController::Points::Movies) ==
            (map.points == LessonMap::Points::Movies);
        const bool sameMethod = (controller->shownMethod() == ProjectionMethod::Pca) ==
                                (map.method == LessonMap::Method::Pca);
        if (samePoints && sameMethod) {
            settle({});
        }
    });
}

void WindowLessonStage::waitForModelFile(bool save) {
    ModelController* models = m_window->models();
    if (save) {
        if (!models->current()) {
            settle(tr("there is no model to save yet: train one first"));
            return;
        }
        m_modelFolder = std::make_unique<QTemporaryDir>();
        if (!m_modelFolder->isValid()) {
            settle(tr("no temporary folder for the model: %1").arg(m_modelFolder->errorString()));
            return;
        }
    } else if (!m_modelFolder || !QFileInfo::exists(m_modelFolder->filePath("lesson.tlm"))) {
        settle(tr("there is no saved model to open: an earlier step saves it"));
        return;
    }
    const QString path = m_modelFolder->filePath(QStringLiteral("lesson.tlm"));
    listen(connect(models, &ModelController::failed, this,
                   [this](const QString& what, const QString& message) {
                       settle(tr("%1 failed: %2").arg(what, message));
                   }));
    if (save) {
        listen(connect(models, &ModelController::saved, this, [this] { settle({}); }));
        if (!m_window->saveModel(path)) {
            settle(tr("the model could not be saved now (another file operation is running)"));
        }
    } else {
        listen(connect(models, &ModelController::opened, this, [this] { settle({}); }));
        m_window->openModel(path);
    }
}

void WindowLessonStage::hidePointer() {
    if (m_pointer) {
        m_pointer->hide();
    }
}

bool WindowLessonStage::eventFilter(QObject* watched, QEvent* event) {
    // The ring is drawn over the window at the target's place then; after a resize it is not.
    if (watched == m_window && event->type() == QEvent::Resize) {
        hidePointer();
    }
    return QObject::eventFilter(watched, event);
}

bool WindowLessonStage::pointAt(const QString& name) {
    QWidget* target = m_window->findChild<QWidget*>(name);
    if (target == nullptr) {
        return false;
    }
    QTabWidget* tabs = m_window->tabs();
    if (const int tab = tabHolding(tabs, target); tab >= 0 && tabs->isTabVisible(tab)) {
        tabs->setCurrentIndex(tab);
    }
    if (m_pointer == nullptr) {
        m_pointer = new QFrame(m_window);
        m_pointer->setObjectName(QStringLiteral("lessonPointer"));
        m_pointer->setAttribute(Qt::WA_TransparentForMouseEvents);
        m_pointer->setStyleSheet(
            QStringLiteral("#lessonPointer { border: 4px solid #e8590c; border-radius: 8px; "
                           "background: transparent; }"));
    }
    const QRect area(target->mapTo(m_window, QPoint(0, 0)), target->size());
    m_pointer->setGeometry(area.adjusted(-6, -6, 6, 6));
    m_pointer->show();
    m_pointer->raise();
    QTimer::singleShot(kPointerMs, m_pointer, &QWidget::hide);
    return true;
}

LessonState WindowLessonStage::currentState() const {
    LessonState state;
    const QString path = m_window->datasets()->path();
    if (!path.isEmpty()) {
        const QString stem = QFileInfo(path).completeBaseName();
        state.dataset = stem.toStdString();
    }
    TrainForm* form = m_window->trainView()->form();
    if (const std::optional<FormValues> values = form->values()) {
        const FormValues defaults = TrainForm::defaults();
        const auto now = configToJson(values->model, values->training);
        const auto before = configToJson(defaults.model, defaults.training);
        for (const auto& [key, value] : now.items()) {
            // The number of threads belongs to the machine, not to the lesson.
            if (key != "threads" && value != before[key]) {
                state.settings.entries.emplace_back(key, value.dump());
            }
        }
    }
    if (const std::optional<FormValues> values = form->values()) {
        state.seeds = values->seedRepeats;
    }
    if (m_window->query()->query() != UserQuery{}) {
        state.query = m_window->query()->query();
    }
    state.titles = m_window->scoresView()->chosenTitles();
    state.titles.insert(state.titles.end(), m_pendingTitles.begin(), m_pendingTitles.end());
    const EmbeddingsController* map = m_window->embeddingsView()->controller();
    if (map->positions()) {
        LessonMap m;
        m.points = map->points() == EmbeddingsController::Points::Movies ? LessonMap::Points::Movies
                                                                         : LessonMap::Points::Users;
        m.method = map->method() == ProjectionMethod::Pca ? LessonMap::Method::Pca
                                                          : LessonMap::Method::Tsne;
        m.perplexity = map->perplexity();
        m.iterations = map->iterations();
        m.seed = map->tsneSeed();
        state.map = m;
    }
    state.tabs.clear();
    for (LessonTab tab : allLessonTabs()) {
        if (m_window->tabs()->isTabVisible(tabIndex(tab))) {
            state.tabs.push_back(tab);
        }
    }
    for (const QPointer<QWidget>& widget : m_hidden) {
        if (widget) {
            state.hidden.push_back(widget->objectName().toStdString());
        }
    }
    return state;
}

} // namespace towerlab
