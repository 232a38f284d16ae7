// MainWindow's dataset flows: downloading MovieLens, reacting to a newly opened dataset, and
// reopening (or asking for) the dataset a loaded model was trained on.

#include "controllers/dataset_controller.hpp"
#include "controllers/dataset_downloader.hpp"
#include "controllers/movielens_downloads.hpp"
#include "main_window.hpp"
#include "model/trained_model.hpp"
#include "views/license_dialog.hpp"
#include "views/train_form.hpp"
#include "views/train_view.hpp"
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QStatusBar>

namespace towerlab {

void MainWindow::downloadMovieLens(const QString& key) {
    if (m_downloader->stage() != DatasetDownloader::Stage::Idle) {
        statusBar()->showMessage(tr("A download is already running."), kStatusTimeoutMs);
        return;
    }
    const QList<MovieLensDownload>& downloads = m_options.downloads;
    const QString& folder = m_options.datasetsFolder;
    LicenseDialog license(downloads, key, LicenseDialog::Purpose::Download, folder, this);
    license.setObjectName(QStringLiteral("licenseDialog"));
    if (license.exec() != QDialog::Accepted) {
        return;
    }
    const MovieLensDownload* chosen = findMovieLensDownload(downloads, license.selectedKey());
    if (chosen == nullptr) {
        return;
    }
    const DownloadSpec spec = downloadSpecFor(*chosen, folder);
    // A complete earlier copy (the core recognises its format) can be opened instead.
    bool installed = false;
    try {
        installed = QFileInfo(spec.targetFolder).isDir() &&
                    detectDatasetFormat(spec.targetFolder.toStdString()) == chosen->check.format;
    } catch (const std::exception&) {
        installed = false; // not a dataset folder: download over it
    }
    if (installed) {
        QMessageBox ask(QMessageBox::Question, chosen->name,
                        tr("%1 is already in %2.")
                            .arg(chosen->name, QDir::toNativeSeparators(spec.targetFolder)),
                        QMessageBox::NoButton, this);
        ask.setObjectName(QStringLiteral("alreadyInstalled"));
        QPushButton* open = ask.addButton(tr("Open it"), QMessageBox::AcceptRole);
        QPushButton* again = ask.addButton(tr("Download again"), QMessageBox::ActionRole);
        ask.addButton(QMessageBox::Cancel);
        ask.exec();
        if (ask.clickedButton() == open) {
            openDataset(spec.targetFolder);
            return;
        }
        if (ask.clickedButton() != again) {
            return; // Cancel, Escape or the window closed
        }
    }
    const QString name = chosen->name;
    auto* progress = new QProgressDialog(tr("Downloading %1…").arg(name), tr("Cancel"), 0, 0, this);
    progress->setObjectName(QStringLiteral("downloadProgress"));
    progress->setWindowTitle(tr("Download %1").arg(name));
    progress->setAttribute(Qt::WA_DeleteOnClose);
    progress->setMinimumDuration(0);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    connect(progress, &QProgressDialog::canceled, m_downloader, &DatasetDownloader::cancel);
    connect(m_downloader, &DatasetDownloader::progress, progress,
            [progress, name](qint64 received, qint64 total) {
                if (total > 0) {
                    progress->setMaximum(static_cast<int>(total / 1024));
                    progress->setValue(static_cast<int>(received / 1024));
                }
                progress->setLabelText(
                    tr("Downloading %1… %2 of %3")
                        .arg(name, QLocale().formattedDataSize(received),
                             total > 0 ? QLocale().formattedDataSize(total) : tr("unknown size")));
            });
    connect(m_downloader, &DatasetDownloader::stageChanged, progress,
            [progress](DatasetDownloader::Stage stage) {
                if (stage == DatasetDownloader::Stage::Installing) {
                    progress->setLabelText(tr("Checking and unpacking…"));
                    progress->setRange(0, 0);
                } else if (stage == DatasetDownloader::Stage::Idle) {
                    progress->close();
                }
            });
    progress->show();
    m_downloader->start(spec);
}

void MainWindow::onDatasetChanged() {
    const auto dataset = m_data->dataset();
    if (!dataset) {
        m_datasetStatus->setText(tr("No dataset"));
        return;
    }
    const QLocale l;
    m_datasetStatus->setText(
        tr("Data: %1 · %2 users · %3 movies · %4 ratings")
            .arg(QString::fromStdString(dataset->name))
            .arg(l.toString(static_cast<qulonglong>(dataset->users.size())))
            .arg(l.toString(static_cast<qulonglong>(dataset->movies.size())))
            .arg(l.toString(static_cast<qulonglong>(dataset->ratings.size()))));
    m_trainView->form()->setDataset(*dataset, m_data->features().get());
    if (!m_expectedFingerprint.empty()) {
        const bool same = m_data->fingerprint() == m_expectedFingerprint;
        const QString name = m_expectedDatasetName;
        m_expectedFingerprint.clear();
        m_expectedDatasetName.clear();
        if (!same) {
            showError(tr("Not the model's data any more"),
                      tr("%1 at %2 has changed since the model was trained on it (its "
                         "fingerprint differs), so its users and ratings are not the model's: "
                         "real users, their ratings and the user map stay off for this model.")
                          .arg(name, QDir::toNativeSeparators(m_data->path())));
        }
    }
    if (!m_pendingDatasetPath.isEmpty() && m_data->path() == m_pendingDatasetPath) {
        m_recentDatasets.add(m_pendingDatasetPath);
        m_pendingDatasetPath.clear();
        statusBar()->showMessage(tr("Opened %1").arg(QString::fromStdString(dataset->name)),
                                 kStatusTimeoutMs);
    }
}

void MainWindow::reopenModelDataset(const TrainedModel& model) {
    if (m_data->dataset() && m_data->fingerprint() == model.datasetFingerprint) {
        return;
    }
    const QString name = QString::fromStdString(model.datasetName);
    const QString source = QString::fromStdString(model.datasetSource);
    if (source == QLatin1String("built-in") || (!source.isEmpty() && QFileInfo::exists(source))) {
        m_expectedFingerprint = model.datasetFingerprint;
        m_expectedDatasetName = name;
        if (source == QLatin1String("built-in")) {
            m_data->loadDemo();
        } else {
            openDataset(source);
        }
        return;
    }
    showDatasetNeeded(name, source);
}

void MainWindow::showDatasetNeeded(const QString& name, const QString& source) {
    const QString where =
        source.isEmpty()
            ? tr("The model file does not say where that data was (it was saved by an older "
                 "TowerLab).")
            : tr("It was read from %1, which is not there any more.")
                  .arg(QDir::toNativeSeparators(source));
    const QString message =
        tr("This model was trained on %1. %2 Open that dataset to see its real users, their "
           "ratings and the user map; until then the model answers queries on its own.")
            .arg(name, where);
    statusBar()->showMessage(tr("The model needs %1").arg(name), 30000);
    // Not blocking: the model is already open and usable.
    auto* box = new QMessageBox(QMessageBox::Information, tr("Open the model's dataset?"), message,
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("datasetNeededBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton* folder = box->addButton(tr("Open dataset folder…"), QMessageBox::AcceptRole);
    QPushButton* zip = box->addButton(tr("Open dataset zip…"), QMessageBox::AcceptRole);
    box->addButton(tr("Not now"), QMessageBox::RejectRole);
    connect(folder, &QPushButton::clicked, this, &MainWindow::chooseDatasetFolder);
    connect(zip, &QPushButton::clicked, this, &MainWindow::chooseDatasetZip);
    box->open();
}

} // namespace towerlab
