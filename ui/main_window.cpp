#include "main_window.hpp"

#include "charts/training_charts.hpp"
#include "controllers/batch_inspection_controller.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/dataset_downloader.hpp"
#include "controllers/model_controller.hpp"
#include "controllers/movielens_downloads.hpp"
#include "controllers/query_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/train_tab_controller.hpp"
#include "controllers/training_controller.hpp"
#include "data/dataset_loader.hpp"
#include "io/history_csv.hpp"
#include "model/trained_model.hpp"
#include "models/count_text.hpp"
#include "views/batch_view.hpp"
#include "views/data_view.hpp"
#include "views/embeddings_view.hpp"
#include "views/file_dialogs.hpp"
#include "views/heading_label.hpp"
#include "views/license_dialog.hpp"
#include "views/recommend_view.hpp"
#include "views/scores_view.hpp"
#include "views/show_error.hpp"
#include "views/train_form.hpp"
#include "views/train_view.hpp"
#include "window_lesson_stage.hpp"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

#include <numeric>

namespace towerlab {

namespace {

constexpr double kMinFontScale = 0.8;
constexpr double kMaxFontScale = 2.5;

// A run for a model read from a file: its config and history, so its curves come back.
RunRecord runFromModel(const TrainedModel& model, const QString& path) {
    RunRecord run;
    run.status = RunStatus::Loaded;
    run.model = model.config;
    run.training = model.training;
    run.history = model.history;
    run.datasetName = QString::fromStdString(model.datasetName);
    run.filePath = path;
    run.name = QFileInfo(path).fileName() + QStringLiteral(" · ") +
               describeConfig(model.config, model.training);
    // Every training-split rating counts once in the catalogue's popularity, so their sum is
    // the number of training examples, which fixes the batches per epoch.
    run.trainExamples = static_cast<std::size_t>(std::accumulate(
        model.catalogue.popularity.begin(), model.catalogue.popularity.end(), std::int64_t{0}));
    const auto batch = static_cast<std::size_t>(std::max(1, model.training.batchSize));
    run.batchesPerEpoch = static_cast<int>((run.trainExamples + batch - 1) / batch);
    return run;
}

MainWindowOptions withDownloadDefaults(MainWindowOptions options) {
    if (options.downloads.isEmpty()) {
        options.downloads = movieLensDownloads();
    }
    if (options.datasetsFolder.isEmpty()) {
        options.datasetsFolder = defaultDatasetsFolder();
    }
    return options;
}

// A tab's page scrolls rather than growing the window: with View → Larger text on a projector
// the pages' minimum sizes grow, and the window used to grow past the screen with them.
QScrollArea* scrollable(QWidget* page) {
    auto* area = new QScrollArea;
    area->setObjectName(page->objectName() + QStringLiteral("Scroll"));
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setWidget(page);
    return area;
}

} // namespace

MainWindow::MainWindow(const MainWindowOptions& options, QWidget* parent)
    : QMainWindow(parent), m_runs(new RunCollection(this)), m_data(new DatasetController(this)),
      m_training(new TrainingController(m_runs, this)), m_models(new ModelController(this)),
      m_downloader(new DatasetDownloader(this)), m_query(new QueryController(this)),
      m_recentDatasets(QStringLiteral("recent/datasets")),
      m_recentModels(QStringLiteral("recent/models")), m_options(withDownloadDefaults(options)) {
    setWindowTitle(QStringLiteral("TowerLab"));
    m_baseFontSize = QApplication::font().pointSizeF();
    createActions();

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("mainTabs"));
    m_tabs->setDocumentMode(true);
    m_dataView = new DataView(m_data, {m_useDemo, m_openFolder, m_openZip, m_download});
    m_trainView = new TrainView(m_runs, m_training, m_data, m_models);
    m_recommendView = new RecommendView(m_query);
    m_scoresView = new ScoresView(m_query);
    m_embeddingsView = new EmbeddingsView(m_query, m_training);
    m_batchView = new BatchView(new BatchInspectionController(m_training, this));
    m_tabs->addTab(scrollable(m_dataView), tr("&Data"));
    m_tabs->addTab(scrollable(m_trainView), tr("&Train"));
    m_tabs->addTab(scrollable(m_batchView), tr("&Batch"));
    m_tabs->addTab(scrollable(m_recommendView), tr("&Recommend"));
    m_tabs->addTab(scrollable(m_scoresView), tr("&Scores"));
    m_tabs->addTab(scrollable(m_embeddingsView), tr("&Embeddings"));
    m_tabs->setTabToolTip(DataTab, tr("The dataset: summary, distributions and movies (Ctrl+1)"));
    m_tabs->setTabToolTip(TrainTab, tr("Settings, training controls and live charts (Ctrl+2)"));
    m_tabs->setTabToolTip(BatchTab, tr("Inside one batch: its logits, one row's softmax before "
                                       "and after the step (Ctrl+3)"));
    m_tabs->setTabToolTip(RecommendTab,
                          tr("Top movies for a user, real users' hits, comparisons and "
                             "explanations (Ctrl+4)"));
    m_tabs->setTabToolTip(ScoresTab, tr("Which of a few chosen titles a user would like best: "
                                        "scores, ranks, movie-to-movie similarity and nearest "
                                        "movies (Ctrl+5)"));
    m_tabs->setTabToolTip(EmbeddingsTab, tr("A 2-D map of the movie or user vectors, nearest "
                                            "neighbours and Projector export (Ctrl+6)"));
    setCentralWidget(m_tabs);

    m_datasetStatus = new QLabel;
    m_datasetStatus->setObjectName(QStringLiteral("datasetStatus"));
    m_modelStatus = new QLabel(tr("No model yet"));
    m_modelStatus->setObjectName(QStringLiteral("modelStatus"));
    statusBar()->addPermanentWidget(m_datasetStatus);
    statusBar()->addPermanentWidget(m_modelStatus);
    createLessons();
    createEmbeddingsImport();
    createMenus();
    connectActions();

    connect(m_data, &DatasetController::datasetChanged, this, &MainWindow::onDatasetChanged);
    connect(m_data, &DatasetController::loadingStarted, this,
            [this](const QString& what) { m_datasetStatus->setText(tr("Loading %1…").arg(what)); });
    connect(m_data, &DatasetController::loadFailed, this,
            [this](const QString& what, const QString& message) {
                if (!m_pendingDatasetPath.isEmpty()) {
                    m_pendingDatasetPath.clear();
                }
                onDatasetChanged(); // the previous dataset stays
                showError(tr("Could not open %1").arg(what), message);
            });
    connect(
        m_training, &TrainingController::modelReady, this,
        [this](int runId, const TrainedModelPtr& model) { m_models->setCurrent(model, runId); });
    // The Train menu's actions follow the same state as the Train tab's buttons.
    connect(m_trainView->controller(), &TrainTabController::changed, this,
            &MainWindow::updateTrainActions);
    connect(m_trainView, &TrainView::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, kStatusTimeoutMs); });
    connect(m_embeddingsView, &EmbeddingsView::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, kStatusTimeoutMs); });
    connect(m_scoresView, &ScoresView::message, this,
            [this](const QString& text) { statusBar()->showMessage(text, kStatusTimeoutMs); });
    connect(m_models, &ModelController::currentChanged, this, &MainWindow::onCurrentModelChanged);
    connect(m_models, &ModelController::currentChanged, m_query,
            [this](const TrainedModelPtr& model, int) { m_query->setModel(model); });
    connect(m_data, &DatasetController::datasetChanged, m_query,
            [this](const std::shared_ptr<const Dataset>& dataset) {
                // All made on the loading thread.
                m_query->setDataset(dataset, m_data->fingerprint(), m_data->ratingsByUser(),
                                    m_data->userLookup());
            });
    connect(m_query, &QueryController::showInScoresRequested, this,
            [this] { m_tabs->setCurrentIndex(ScoresTab); });
    connect(m_models, &ModelController::opened, this, &MainWindow::onModelOpened);
    connect(m_models, &ModelController::saved, this, [this](const QString& path) {
        m_recentModels.add(path);
        if (m_models->currentRun() != 0) {
            m_runs->setFilePath(m_models->currentRun(), path);
        }
        statusBar()->showMessage(tr("Model saved to %1").arg(QDir::toNativeSeparators(path)),
                                 kStatusTimeoutMs);
    });
    connect(m_models, &ModelController::failed, this,
            [this](const QString& action, const QString& message) {
                showError(tr("%1 failed").arg(action), message);
            });
    connect(m_models, &ModelController::busyChanged, this, [this](bool busy) {
        m_saveModel->setEnabled(!busy && m_models->current());
        m_openModel->setEnabled(!busy);
    });

    connect(m_downloader, &DatasetDownloader::finished, this,
            [this](const QString& folder, const QString& name) {
                statusBar()->showMessage(
                    tr("%1 is installed in %2").arg(name, QDir::toNativeSeparators(folder)),
                    kStatusTimeoutMs);
                // The install has just read the folder: open that copy, not the files again.
                openDataset(folder, m_downloader->takeInstalledDataset());
            });
    connect(m_downloader, &DatasetDownloader::failed, this,
            [this](const QString& message) { showError(tr("Download failed"), message); });
    connect(m_downloader, &DatasetDownloader::cancelled, this,
            [this] { statusBar()->showMessage(tr("Download cancelled"), kStatusTimeoutMs); });

    // The Data tab shows the split the Train form describes.
    connect(m_trainView->form(), &TrainForm::edited, this,
            [this] { m_dataView->setSplitSettings(m_trainView->form()->splitSettings()); });
    m_dataView->setSplitSettings(m_trainView->form()->splitSettings());

    restoreSettings();
    if (options.loadDemo) {
        m_data->loadDemo();
    }
}

MainWindow::~MainWindow() {
    // A lesson waiting for a run or a map must not hear of it once the views are gone.
    m_lessonStage->cancel();
    // Views first (they observe the runs and controllers), then the training thread (it feeds
    // the runs); the remaining children go in any order.
    delete m_tabs;
    delete m_training;
}

void MainWindow::openDataset(const QString& folderOrZip, std::shared_ptr<Dataset> alreadyRead) {
    m_pendingDatasetPath = QFileInfo(folderOrZip).absoluteFilePath();
    m_data->open(folderOrZip, std::move(alreadyRead));
}

void MainWindow::openModel(const QString& path) {
    if (!m_models->open(path)) {
        statusBar()->showMessage(tr("A model file is being read or written; try again in a "
                                    "moment."),
                                 kStatusTimeoutMs);
    }
}

bool MainWindow::saveModel(const QString& path) {
    if (!m_models->current()) {
        showError(tr("Nothing to save"), tr("There is no model yet: train one first."));
        return false;
    }
    if (!m_models->save(path)) {
        statusBar()->showMessage(tr("A model file is being read or written; try again in a "
                                    "moment."),
                                 kStatusTimeoutMs);
        return false;
    }
    statusBar()->showMessage(tr("Saving the model to %1…").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool MainWindow::exportCharts(const QString& path) {
    QString error;
    m_trainView->charts()->flushNow();
    if (!m_trainView->charts()->exportImage(path, &error)) {
        showError(tr("Export failed"), error);
        return false;
    }
    statusBar()->showMessage(tr("Charts saved to %1").arg(QDir::toNativeSeparators(path)),
                             kStatusTimeoutMs);
    return true;
}

bool MainWindow::exportHistory(const QString& path) {
    const RunRecord* run = m_runs->find(m_trainView->selectedRun());
    if (run == nullptr) {
        showError(tr("Nothing to export"), tr("There is no run yet: train one first."));
        return false;
    }
    try {
        writeHistoryCsv(run->history, path.toStdString());
    } catch (const std::exception& error) {
        showError(tr("Export failed"), QString::fromStdString(error.what()));
        return false;
    }
    statusBar()->showMessage(
        tr("History of run #%1 saved to %2").arg(run->id).arg(QDir::toNativeSeparators(path)),
        kStatusTimeoutMs);
    return true;
}

void MainWindow::setFontScale(double scale) {
    const double before = m_fontScale;
    m_fontScale = std::clamp(scale, kMinFontScale, kMaxFontScale);
    if (m_baseFontSize <= 0) {
        return; // a pixel-sized font: leave it alone
    }
    if (before == 1.0 && m_fontScale != 1.0) {
        m_normalTextSize = size();
    }
    QFont font = QApplication::font();
    font.setPointSizeF(m_baseFontSize * m_fontScale);
    QApplication::setFont(font);
    updateHeadingFonts();
    fitLessonDock();
    // Pages scroll instead of growing the window (scrollable()); back at the normal size the
    // window gets the size it had before, so the layout is as it was.
    if (m_fontScale == 1.0 && m_normalTextSize.isValid()) {
        resize(m_normalTextSize);
        m_normalTextSize = {};
    }
    keepOnScreen();
    statusBar()->showMessage(tr("Text size %1%").arg(std::lround(m_fontScale * 100)), 3000);
}

void MainWindow::keepOnScreen() {
    const QScreen* shown = screen();
    if (shown == nullptr || isFullScreen() || isMaximized()) {
        return;
    }
    const QRect available = shown->availableGeometry();
    const QSize frame = frameGeometry().size() - size();
    const QSize fits(std::min(width(), available.width() - frame.width()),
                     std::min(height(), available.height() - frame.height()));
    if (fits != size()) {
        resize(fits);
    }
}

void MainWindow::showError(const QString& title, const QString& message) {
    towerlab::showError(this, title, message);
    emit errorShown(title, message);
}

void MainWindow::chooseDatasetFolder() {
    const QString folder = chooseFolder(this, tr("Open a MovieLens folder (100K, 1M or latest)"),
                                        QStringLiteral("data"));
    if (!folder.isEmpty()) {
        openDataset(folder);
    }
}

void MainWindow::chooseDatasetZip() {
    const QString path = chooseOpenFile(this, tr("Open a MovieLens zip"), QStringLiteral("data"),
                                        tr("Zip archives (*.zip);;All files (*)"));
    if (!path.isEmpty()) {
        openDataset(path);
    }
}

void MainWindow::chooseModelToOpen() {
    const QString path = chooseOpenFile(this, tr("Open a model"), QStringLiteral("models"),
                                        tr("TowerLab models (*.tlm);;All files (*)"));
    if (!path.isEmpty()) {
        openModel(path);
    }
}

void MainWindow::chooseModelToSave() {
    const QString path =
        chooseSaveFile(this, tr("Save the model"), QStringLiteral("models"),
                       QStringLiteral("towerlab-run%1.tlm").arg(m_models->currentRun()),
                       tr("TowerLab models (*.tlm)"), QStringLiteral("tlm"));
    if (!path.isEmpty()) {
        saveModel(path);
    }
}

void MainWindow::chooseExport(const QString& filter, const QString& suffix, bool history) {
    const QString path = chooseSaveFile(
        this, tr("Export"), QStringLiteral("exports"),
        QStringLiteral("towerlab-%1.%2")
            .arg(history ? QStringLiteral("history") : QStringLiteral("charts"), suffix),
        filter, suffix);
    if (path.isEmpty()) {
        return;
    }
    history ? exportHistory(path) : exportCharts(path);
}

void MainWindow::onModelOpened(const TrainedModelPtr& model, const QString& path) {
    m_recentModels.add(path);
    const int id = m_runs->add(runFromModel(*model, path));
    m_runs->setTrainedModel(id, model);
    m_models->setCurrent(model, id);
    m_tabs->setCurrentIndex(TrainTab);
    statusBar()->showMessage(tr("Opened %1: %2 on %3")
                                 .arg(QDir::toNativeSeparators(path))
                                 .arg(epochsText(model->epochsTrained))
                                 .arg(QString::fromStdString(model->datasetName)),
                             kStatusTimeoutMs);
    reopenModelDataset(*model);
}

void MainWindow::onCurrentModelChanged(const TrainedModelPtr& model, int runId) {
    m_saveModel->setEnabled(model != nullptr && !m_models->isBusy());
    if (const RunRecord* run = m_runs->find(runId)) {
        const RankingMetrics* m = run->finalMetrics();
        m_modelStatus->setText(
            m != nullptr ? tr("Model: run #%1 · top-100 %2").arg(runId).arg(m->topK[4], 0, 'f', 3)
                         : tr("Model: run #%1").arg(runId));
    } else {
        m_modelStatus->setText(model ? tr("Model loaded") : tr("No model yet"));
    }
}

void MainWindow::restoreSettings() {
    QSettings s;
    if (!restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray())) {
        // First start: a comfortable size that fits the screen (1280x800 where possible).
        const QRect screen = this->screen() != nullptr ? this->screen()->availableGeometry()
                                                       : QRect(0, 0, 1280, 800);
        resize(std::min(1280, screen.width()), std::min(800, screen.height()));
    }
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    m_tabs->setCurrentIndex(s.value(QStringLiteral("window/tab"), int{TrainTab}).toInt());
    m_dataView->loadSettings(s);
    m_trainView->loadSettings(s);
    const double scale = s.value(QStringLiteral("view/fontScale"), 1.0).toDouble();
    if (scale != 1.0) {
        setFontScale(scale);
    }
}

void MainWindow::saveSettings() const {
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    s.setValue(QStringLiteral("window/tab"), m_tabs->currentIndex());
    s.setValue(QStringLiteral("view/fontScale"), m_fontScale);
    m_dataView->saveSettings(s);
    m_trainView->saveSettings(s);
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveSettings();
    m_training->stop();
    QMainWindow::closeEvent(event);
}

} // namespace towerlab
