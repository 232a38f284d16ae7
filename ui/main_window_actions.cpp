// MainWindow's actions and menus: what each menu entry and shortcut is, what it does, and
// the menus they sit in. (main_window.cpp has the window itself.)

#include "main_window.hpp"

#include "controllers/dataset_controller.hpp"
#include "controllers/train_tab_controller.hpp"
#include "controllers/training_controller.hpp"
#include "util/engine_build.hpp"
#include "views/batch_view.hpp"
#include "views/license_dialog.hpp"
#include "views/train_view.hpp"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>

namespace towerlab {

QAction* MainWindow::makeAction(const QString& text, const QKeySequence& key, const QString& tip) {
    auto* action = new QAction(text, this);
    if (!key.isEmpty()) {
        action->setShortcut(key);
    }
    action->setStatusTip(tip);
    action->setToolTip(tip);
    addAction(action); // shortcuts work in full screen without the menu bar too
    return action;
}

void MainWindow::createActions() {
    auto make = [this](const QString& text, const QKeySequence& key, const QString& tip) {
        return makeAction(text, key, tip);
    };
    m_useDemo = make(tr("Use the &demo dataset"), {},
                     tr("The built-in dataset with planted tastes: loads instantly"));
    m_openFolder = make(tr("Open dataset &folder…"), QKeySequence::Open,
                        tr("Open an unpacked MovieLens 100K, 1M or latest folder (the format "
                           "is recognised from its files)"));
    m_openZip = make(tr("Open dataset &zip…"), QKeySequence(tr("Ctrl+Alt+O")),
                     tr("Open the original ml-100k.zip, ml-1m.zip or ml-latest-small.zip "
                        "without unpacking it"));
    m_download = make(tr("Download &MovieLens…"), {},
                      tr("Fetch MovieLens 100K, 1M, latest-small, 20M or 25M from GroupLens after "
                         "showing its license"));
    // The File menu shows the datasets as a submenu; the Data tab's button opens the dialog
    // on a click and the same list from its arrow.
    auto* downloadMenu = new QMenu(tr("Download &MovieLens"), this);
    downloadMenu->setObjectName(QStringLiteral("downloadMenu"));
    for (const MovieLensDownload& d : m_options.downloads) {
        QAction* one = downloadMenu->addAction(
            tr("%1 (%2, about %3)…")
                .arg(d.name, d.fileName(),
                     QLocale().formattedDataSize(d.archiveBytes, 0, QLocale::DataSizeSIFormat)));
        one->setObjectName(QStringLiteral("download_") + d.key);
        one->setStatusTip(d.contents);
        one->setToolTip(d.contents);
        connect(one, &QAction::triggered, this, [this, key = d.key] { downloadMovieLens(key); });
    }
    m_download->setMenu(downloadMenu);
    m_openModel = make(tr("Open &model…"), QKeySequence(tr("Ctrl+Shift+O")),
                       tr("Open a saved .tlm model and see its settings and curves again"));
    m_openEmbeddings =
        make(tr("Open &embeddings…"), {},
             tr("Open movie vectors another program trained (Embedding Projector TSV or NumPy "
                ".npy, with a metadata TSV) in the Embeddings tab"));
    m_saveModel =
        make(tr("&Save model…"), QKeySequence::Save, tr("Save the current model to a .tlm file"));
    m_saveModel->setEnabled(false);
    m_exportPng = make(tr("Charts as &PNG…"), QKeySequence(tr("Ctrl+E")),
                       tr("Save the training charts as a PNG image"));
    m_exportSvg = make(tr("Charts as &SVG…"), {}, tr("Save the training charts as an SVG image"));
    m_exportCsv = make(tr("History as &CSV…"), {},
                       tr("Save the selected run's loss and accuracy per epoch as CSV"));
    m_quit = make(tr("&Quit"), QKeySequence::Quit, tr("Close TowerLab"));
    m_train = make(tr("&Train"), QKeySequence(Qt::Key_F5),
                   tr("Train a new model with the form's settings"));
    m_pauseResume = make(tr("&Pause"), QKeySequence(Qt::Key_F6), tr("Pause or resume training"));
    m_step =
        make(tr("Step one &epoch"), QKeySequence(Qt::Key_F10), tr("Train one epoch, then pause"));
    m_stepBatch = make(tr("Step one &batch"), QKeySequence(Qt::CTRL | Qt::Key_F10),
                       tr("Train one batch, then pause, and look inside it in the Batch tab"));
    m_stop = make(tr("&Stop"), QKeySequence(Qt::SHIFT | Qt::Key_F5),
                  tr("Stop training and keep the model so far"));
    m_ablation =
        make(tr("Feature &ablation"), {}, tr("Train once per feature with that feature removed"));
    m_zoomIn = make(tr("&Larger text"), QKeySequence::ZoomIn,
                    tr("Make all text larger, e.g. for a projector"));
    m_zoomOut = make(tr("&Smaller text"), QKeySequence::ZoomOut, tr("Make all text smaller"));
    m_zoomReset = make(tr("&Normal text size"), QKeySequence(tr("Ctrl+0")),
                       tr("Back to the system's text size"));
    m_fullScreen = make(tr("&Full screen"), QKeySequence::FullScreen, tr("Use the whole screen"));
    m_fullScreen->setCheckable(true);
    m_about = make(tr("&About TowerLab"), {}, tr("Version, credits and the MovieLens notice"));
    m_license = make(tr("MovieLens &licenses"), {},
                     tr("The terms of the MovieLens 100K, 1M, latest-small, 20M and 25M data"));
    m_aboutQt = make(tr("About &Qt"), {}, tr("The Qt toolkit TowerLab is built with"));

    m_pauseResume->setEnabled(false);
    m_stop->setEnabled(false);
}

// What each action does. Called once the tabs exist: the training actions use the Train tab's
// own operations, so the menu and the buttons cannot drift apart.
void MainWindow::connectActions() {
    connect(m_useDemo, &QAction::triggered, this, [this] {
        m_pendingDatasetPath.clear();
        m_data->loadDemo();
    });
    connect(m_openFolder, &QAction::triggered, this, &MainWindow::chooseDatasetFolder);
    connect(m_openZip, &QAction::triggered, this, &MainWindow::chooseDatasetZip);
    connect(m_download, &QAction::triggered, this, [this] { downloadMovieLens(QString()); });
    connect(m_openModel, &QAction::triggered, this, &MainWindow::chooseModelToOpen);
    connect(m_openEmbeddings, &QAction::triggered, this, &MainWindow::chooseEmbeddingsToOpen);
    connect(m_saveModel, &QAction::triggered, this, &MainWindow::chooseModelToSave);
    connect(m_exportPng, &QAction::triggered, this,
            [this] { chooseExport(tr("PNG image (*.png)"), QStringLiteral("png"), false); });
    connect(m_exportSvg, &QAction::triggered, this,
            [this] { chooseExport(tr("SVG image (*.svg)"), QStringLiteral("svg"), false); });
    connect(m_exportCsv, &QAction::triggered, this,
            [this] { chooseExport(tr("CSV table (*.csv)"), QStringLiteral("csv"), true); });
    connect(m_quit, &QAction::triggered, this, &QWidget::close);
    connect(m_train, &QAction::triggered, this, [this] {
        m_tabs->setCurrentIndex(TrainTab);
        m_trainView->startTraining();
    });
    connect(m_pauseResume, &QAction::triggered, this, [this] {
        if (m_training->state() == TrainingController::State::Paused) {
            m_training->resume();
        } else {
            m_training->pause();
        }
    });
    connect(m_step, &QAction::triggered, m_trainView, &TrainView::stepEpoch);
    connect(m_stepBatch, &QAction::triggered, this, [this] {
        m_tabs->setCurrentIndex(BatchTab);
        m_trainView->stepBatch();
    });
    connect(m_batchView, &BatchView::stepRequested, m_trainView, &TrainView::stepBatch);
    connect(m_stop, &QAction::triggered, m_training, &TrainingController::stop);
    connect(m_ablation, &QAction::triggered, this, [this] {
        m_tabs->setCurrentIndex(TrainTab);
        m_trainView->startAblation();
    });
    connect(m_zoomIn, &QAction::triggered, this, [this] { setFontScale(m_fontScale * 1.15); });
    connect(m_zoomOut, &QAction::triggered, this, [this] { setFontScale(m_fontScale / 1.15); });
    connect(m_zoomReset, &QAction::triggered, this, [this] { setFontScale(1.0); });
    connect(m_fullScreen, &QAction::toggled, this,
            [this](bool on) { on ? showFullScreen() : showNormal(); });
    connect(m_about, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_license, &QAction::triggered, this, [this] {
        LicenseDialog licenses(m_options.downloads, QString(), LicenseDialog::Purpose::ReadOnly,
                               m_options.datasetsFolder, this);
        licenses.exec();
    });
    connect(m_aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::updateTrainActions() {
    const TrainTabController::Actions can = m_trainView->controller()->actions();
    m_train->setEnabled(can.train);
    m_ablation->setEnabled(can.ablation);
    m_stop->setEnabled(can.stop);
    m_pauseResume->setEnabled(can.pause || can.resume);
    m_pauseResume->setText(can.resume ? tr("&Resume") : tr("&Pause"));
    m_step->setEnabled(can.step);
    m_stepBatch->setEnabled(can.step);
    m_batchView->stepButton()->setEnabled(can.step);
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_useDemo);
    file->addAction(m_openFolder);
    file->addAction(m_openZip);
    file->addMenu(m_download->menu()); // one entry per dataset
    QMenu* recentData = file->addMenu(tr("Recent &datasets"));
    connect(recentData, &QMenu::aboutToShow, this,
            [this, recentData] { fillRecentMenu(recentData, m_recentDatasets, true); });
    file->addSeparator();
    file->addAction(m_openModel);
    file->addAction(m_openEmbeddings);
    file->addAction(m_saveModel);
    QMenu* recentModels = file->addMenu(tr("Recent m&odels"));
    connect(recentModels, &QMenu::aboutToShow, this,
            [this, recentModels] { fillRecentMenu(recentModels, m_recentModels, false); });
    file->addSeparator();
    QMenu* exportMenu = file->addMenu(tr("&Export"));
    exportMenu->addAction(m_exportPng);
    exportMenu->addAction(m_exportSvg);
    exportMenu->addAction(m_exportCsv);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu* train = menuBar()->addMenu(tr("&Train"));
    train->addAction(m_train);
    train->addAction(m_pauseResume);
    train->addAction(m_step);
    train->addAction(m_stepBatch);
    train->addAction(m_stop);
    train->addSeparator();
    train->addAction(m_ablation);

    createLessonMenu();

    QMenu* view = menuBar()->addMenu(tr("&View"));
    const QStringList names{tr("Data"),      tr("Train"),  tr("Batch"),
                            tr("Recommend"), tr("Scores"), tr("Embeddings")};
    for (int i = 0; i < names.size(); ++i) {
        QAction* go = view->addAction(names[i], this, [this, i] { m_tabs->setCurrentIndex(i); });
        go->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
        addAction(go);
    }
    view->addSeparator();
    view->addAction(m_zoomIn);
    view->addAction(m_zoomOut);
    view->addAction(m_zoomReset);
    view->addSeparator();
    view->addAction(m_fullScreen);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_about);
    help->addAction(m_license);
    help->addAction(m_aboutQt);
}

void MainWindow::fillRecentMenu(QMenu* menu, RecentFiles& recent, bool datasets) {
    menu->clear();
    const QStringList paths = recent.paths();
    for (const QString& path : paths) {
        menu->addAction(QDir::toNativeSeparators(path), this,
                        [this, path, datasets] { datasets ? openDataset(path) : openModel(path); });
    }
    if (paths.isEmpty()) {
        menu->addAction(tr("(none yet)"))->setEnabled(false);
        return;
    }
    menu->addSeparator();
    menu->addAction(tr("Clear the list"), this, [&recent] { recent.clear(); });
}

void MainWindow::showAbout() {
    QMessageBox::about(
        this, tr("About TowerLab"),
        tr("<h3>TowerLab %1</h3>"
           "<p>Engine built for %2.</p>"
           "<p>A desktop lab for two-tower neural retrieval models: it trains the TensorFlow "
           "Recommenders model \"deep retrieval with user and movie features\" and shows it "
           "learning.</p>"
           "<h4>MovieLens</h4>"
           "<p>This application can use the MovieLens 100K, 1M and latest datasets, collected "
           "by the GroupLens Research Project at the University of Minnesota. TowerLab does not "
           "ship them; each is downloaded on request after its license is shown. Neither the "
           "University of Minnesota nor GroupLens endorses TowerLab.</p>"
           "<p>F. Maxwell Harper and Joseph A. Konstan. 2015. The MovieLens Datasets: History "
           "and Context. ACM Transactions on Interactive Intelligent Systems (TiiS) 5, 4, "
           "Article 19. <a href='https://doi.org/10.1145/2827872'>doi:10.1145/2827872</a></p>"
           "<p>The built-in demo dataset is invented by TowerLab: its users, titles and ratings "
           "are made up.</p>")
            .arg(QApplication::applicationVersion(),
                 QString::fromLatin1(engineInstructionSet().data(),
                                     qsizetype(engineInstructionSet().size()))));
}

} // namespace towerlab
