#pragma once
// TowerLab's main window: the Data, Train, Recommend, Scores and Embeddings tabs, the menus
// and shortcuts, the status bar, and the window state kept in QSettings. It owns the
// controllers and wires them to the views; it does no computation of its own.

#include "controllers/movielens_downloads.hpp"
#include "controllers/recent_files.hpp"
#include "controllers/training_types.hpp"

#include <QMainWindow>

class QAction;
class QDockWidget;
class QKeySequence;
class QLabel;
class QMenu;
class QProgressDialog;
class QTabWidget;

namespace towerlab {

class BatchView;
class DataView;
class DatasetController;
class DatasetDownloader;
class EmbeddingsImporter;
class EmbeddingsView;
struct ExternalEmbeddings;
using ExternalEmbeddingsPtr = std::shared_ptr<const ExternalEmbeddings>;
class LessonPanel;
class LessonPlayer;
class ModelController;
class QueryController;
class RecommendView;
class RunCollection;
class ScoresView;
class TrainView;
class TrainingController;
class WindowLessonStage;

struct MainWindowOptions {
    bool loadDemo = true; // start on the built-in demo dataset
    // The MovieLens downloads offered and where they are installed; empty = GroupLens's
    // (movieLensDownloads()) and the user's data folder. Tests use a local server and a
    // temporary folder.
    QList<MovieLensDownload> downloads;
    QString datasetsFolder;
};

class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(const MainWindowOptions& options = {}, QWidget* parent = nullptr);
    ~MainWindow() override;

    enum Tab { DataTab, TrainTab, BatchTab, RecommendTab, ScoresTab, EmbeddingsTab };

    // The same operations as the menus, without the file dialogs. They return at once; the
    // result arrives through the controllers' signals (errors also in a message box and the
    // status bar, see errorShown()).
    // `alreadyRead`: the folder's dataset as an install just read it (not read again).
    void openDataset(const QString& folderOrZip, std::shared_ptr<Dataset> alreadyRead = {});
    void openModel(const QString& path);
    // Vectors made by another program (main_window_embeddings.cpp): read off the GUI thread
    // with a progress dialog, matched to the open dataset's titles, then shown in the
    // Embeddings tab; errors in a message box (errorShown()). metadata empty: the one beside
    // the vectors (see metadataBeside). False when a read is already in progress.
    bool openEmbeddings(const QString& vectors, const QString& metadata = {});
    // For the vectors from elsewhere on show: user vectors (metadata empty: numbered labels),
    // whose first user becomes the query when there is none, or a query vector file. Read off
    // the GUI thread the same way; shown in the Recommend tab. False (with a status line) when
    // no such vectors are open or a read is in progress.
    bool openUserVectors(const QString& vectors, const QString& metadata = {});
    bool openQueryVector(const QString& file);
    EmbeddingsImporter* embeddingsImporter() const { return m_importer; }
    bool saveModel(const QString& path);
    bool exportCharts(const QString& path);
    bool exportHistory(const QString& path);

    // Lessons (main_window_lessons.cpp). Opening reads the file (an error is shown and false
    // returned when it is not a lesson), shows the lesson panel and sets up the lesson's start;
    // saving writes the window's current state with the open lesson's steps (a modified copy),
    // or a one-step lesson when none is open.
    bool openLesson(const QString& path);
    bool saveLesson(const QString& path, const QString& title = {});
    void closeLesson();
    // Presenter mode, for a class: full screen, larger text, the lesson's step in large type
    // across the top, and keyboard-only stepping (Page Down / Page Up, Esc leaves). Leaving
    // restores the text size and the window as they were.
    void setPresenterMode(bool on);
    bool presenterMode() const { return m_presenting; }
    // The built-in lessons (resource paths, ":/lessons/..."), in their menu order.
    static QStringList builtInLessons();

    // Scales every font of the application (1.0 = the system size), for projectors.
    // Pages scroll, so the window stays within its screen at every scale.
    void setFontScale(double scale);
    double fontScale() const { return m_fontScale; }

    QTabWidget* tabs() const { return m_tabs; }
    DataView* dataView() const { return m_dataView; }
    TrainView* trainView() const { return m_trainView; }
    RunCollection* runs() const { return m_runs; }
    DatasetController* datasets() const { return m_data; }
    TrainingController* training() const { return m_training; }
    ModelController* models() const { return m_models; }
    DatasetDownloader* downloader() const { return m_downloader; }
    QueryController* query() const { return m_query; }
    EmbeddingsView* embeddingsView() const { return m_embeddingsView; }
    BatchView* batchView() const { return m_batchView; }
    ScoresView* scoresView() const { return m_scoresView; }
    RecommendView* recommendView() const { return m_recommendView; }
    LessonPlayer* lessonPlayer() const { return m_lessonPlayer; }
    LessonPanel* lessonPanel() const { return m_lessonPanel; }
    WindowLessonStage* lessonStage() const { return m_lessonStage; }

signals:
    // An error was shown to the user (message box and status bar).
    void errorShown(const QString& title, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    static constexpr int kStatusTimeoutMs = 12000;     // how long a status-bar message stays
    static constexpr double kPresenterFontScale = 1.5; // at least this in presenter mode
    // main_window_actions.cpp: the actions (created before the tabs, which show some of them
    // as buttons), what they do (connected once the tabs exist) and the menus.
    void createActions();
    // An action of the window (its shortcut works in full screen too) with a status tip.
    QAction* makeAction(const QString& text, const QKeySequence& key, const QString& tip);
    void connectActions();
    void updateTrainActions();
    void createMenus();
    void restoreSettings();
    void saveSettings() const;
    void showError(const QString& title, const QString& message);
    // Shrinks the window to its screen's available area when it no longer fits.
    void keepOnScreen();
    void showAbout();
    void chooseDatasetFolder();
    void chooseDatasetZip();
    void chooseModelToOpen();
    void createEmbeddingsImport();
    void chooseEmbeddingsToOpen();
    void onEmbeddingsOpened(const ExternalEmbeddingsPtr& embeddings);
    void chooseUserVectorsToOpen();
    void chooseQueryVectorToOpen();
    // The read's label in the progress dialog.
    void showReading(const QString& file);
    void chooseModelToSave();
    void chooseExport(const QString& filter, const QString& suffix, bool history);
    void downloadMovieLens(const QString& key); // empty key: the user chooses in the dialog
    void onDatasetChanged();
    void onModelOpened(const TrainedModelPtr& model, const QString& path);
    // Opens the dataset a just-opened model was trained on when it is not the open one and is
    // still where the model file says; otherwise says which dataset the model needs.
    void reopenModelDataset(const TrainedModel& model);
    void showDatasetNeeded(const QString& name, const QString& source);
    void onCurrentModelChanged(const TrainedModelPtr& model, int runId);
    void fillRecentMenu(QMenu* menu, RecentFiles& recent, bool datasets);
    // main_window_lessons.cpp
    void createLessons();
    void createLessonMenu();
    void updateLessonActions();
    void chooseLessonToOpen();
    void chooseLessonToSave();
    void updatePresenterBanner();
    void fitLessonDock();

    RunCollection* m_runs;
    DatasetController* m_data;
    TrainingController* m_training;
    ModelController* m_models;
    DatasetDownloader* m_downloader;
    QueryController* m_query;
    QTabWidget* m_tabs;
    DataView* m_dataView;
    TrainView* m_trainView;
    RecommendView* m_recommendView;
    ScoresView* m_scoresView;
    EmbeddingsView* m_embeddingsView;
    BatchView* m_batchView = nullptr;
    QLabel* m_datasetStatus;
    QLabel* m_modelStatus;
    RecentFiles m_recentDatasets;
    RecentFiles m_recentModels;
    QString m_pendingDatasetPath; // remembered as recent once it loads
    // Set while the dataset of an opened model loads: the fingerprint it must have, and the
    // model's dataset name, to say so when it has changed since.
    std::string m_expectedFingerprint;
    QString m_expectedDatasetName;
    MainWindowOptions m_options;
    double m_fontScale = 1.0;
    double m_baseFontSize = 0.0;
    QSize m_normalTextSize; // the window's size before text was made larger, restored after

    LessonPlayer* m_lessonPlayer = nullptr;
    WindowLessonStage* m_lessonStage = nullptr;
    LessonPanel* m_lessonPanel = nullptr;
    QDockWidget* m_lessonDock = nullptr;
    QAction* m_openLesson = nullptr;
    QAction* m_saveLesson = nullptr;
    QAction* m_closeLesson = nullptr;
    QAction* m_nextStep = nullptr;
    QAction* m_previousStep = nullptr;
    QAction* m_presenter = nullptr;
    QDockWidget* m_presenterDock = nullptr;
    QLabel* m_presenterBanner = nullptr;
    bool m_presenting = false;
    double m_scaleBeforePresenting = 1.0;
    bool m_fullScreenBeforePresenting = false;

    QAction* m_useDemo = nullptr;
    QAction* m_openFolder = nullptr;
    QAction* m_openZip = nullptr;
    QAction* m_download = nullptr;
    QAction* m_openModel = nullptr;
    QAction* m_openEmbeddings = nullptr;
    QAction* m_openUserVectors = nullptr; // enabled while vectors from elsewhere are shown
    QAction* m_openQueryVector = nullptr;
    EmbeddingsImporter* m_importer = nullptr;
    QProgressDialog* m_importProgress = nullptr;
    QAction* m_saveModel = nullptr;
    QAction* m_exportPng = nullptr;
    QAction* m_exportSvg = nullptr;
    QAction* m_exportCsv = nullptr;
    QAction* m_quit = nullptr;
    QAction* m_train = nullptr;
    QAction* m_pauseResume = nullptr;
    QAction* m_step = nullptr;
    QAction* m_stepBatch = nullptr;
    QAction* m_stop = nullptr;
    QAction* m_ablation = nullptr;
    QAction* m_zoomIn = nullptr;
    QAction* m_zoomOut = nullptr;
    QAction* m_zoomReset = nullptr;
    QAction* m_fullScreen = nullptr;
    QAction* m_about = nullptr;
    QAction* m_license = nullptr;
    QAction* m_aboutQt = nullptr;
};

} // namespace towerlab
