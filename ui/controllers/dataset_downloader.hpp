#pragma once
// Downloads a MovieLens archive and installs it (see data/dataset_install.hpp) into the user's
// data folder. The transfer runs on Qt's network thread and reports progress; verifying and
// unpacking run on a pool thread. Cancel works in every stage before the final rename.
// Lives on the GUI thread. Which archives exist and where they go: movielens_downloads.hpp.

#include "data/dataset_install.hpp"

#include <QFutureWatcher>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QUrl>

#include <atomic>
#include <memory>

class QNetworkAccessManager;
class QNetworkReply;
class QTemporaryFile;

namespace towerlab {

struct DownloadSpec {
    QUrl url;
    QString targetFolder;                 // becomes the dataset folder
    InstallCheck check;                   // format and counts the archive must have
    qint64 maxBytes = 64LL * 1024 * 1024; // refuse anything larger (ml-1m.zip is ~6 MB)
};

class DatasetDownloader : public QObject {
    Q_OBJECT

public:
    enum class Stage { Idle, Downloading, Installing };
    Q_ENUM(Stage)

    explicit DatasetDownloader(QObject* parent = nullptr);
    ~DatasetDownloader() override;

    // Returns false (and does nothing) when a download is already running.
    bool start(const DownloadSpec& spec);
    void cancel();
    Stage stage() const { return m_stage; }
    // The dataset the last successful install read from its folder (valid from finished()
    // on), so it can be opened without reading it again; empty once taken.
    std::shared_ptr<Dataset> takeInstalledDataset() { return std::move(m_installed); }

signals:
    void progress(qint64 received, qint64 total); // total is -1 when the server did not say
    void stageChanged(towerlab::DatasetDownloader::Stage stage);
    void finished(const QString& folder, const QString& datasetName);
    void failed(const QString& message);
    void cancelled();

private:
    struct InstallResult {
        QString name;
        std::shared_ptr<Dataset> dataset;
        QString error;
        bool cancelled = false;
    };
    void setStage(Stage stage);
    void onReadyRead();
    void onReplyFinished();
    void onInstalled();
    void fail(const QString& message);

    QNetworkAccessManager* m_network;
    QPointer<QNetworkReply> m_reply;
    std::unique_ptr<QTemporaryFile> m_file;
    QFutureWatcher<InstallResult> m_install;
    DownloadSpec m_spec;
    Stage m_stage = Stage::Idle;
    bool m_cancelRequested = false;
    // Read by the install on the pool thread; shared so it outlives a destroyed downloader.
    std::shared_ptr<std::atomic<bool>> m_cancelInstall;
    bool m_tooLarge = false;
    std::shared_ptr<Dataset> m_installed;
};

} // namespace towerlab
