#include "controllers/dataset_downloader.hpp"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTemporaryFile>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <filesystem>

namespace towerlab {

DatasetDownloader::DatasetDownloader(QObject* parent)
    : QObject(parent), m_network(new QNetworkAccessManager(this)) {
    connect(&m_install, &QFutureWatcher<InstallResult>::finished, this,
            &DatasetDownloader::onInstalled);
}

DatasetDownloader::~DatasetDownloader() {
    if (m_reply) {
        m_reply->abort();
    }
    if (m_cancelInstall) {
        m_cancelInstall->store(true);
    }
    m_install.waitForFinished();
}

bool DatasetDownloader::start(const DownloadSpec& spec) {
    if (m_stage != Stage::Idle) {
        return false;
    }
    m_spec = spec;
    m_cancelRequested = false;
    m_tooLarge = false;
    const QString parent = QFileInfo(spec.targetFolder).absolutePath();
    if (!QDir().mkpath(parent)) {
        emit failed(tr("Cannot create the folder %1.").arg(QDir::toNativeSeparators(parent)));
        return true;
    }
    // The archive goes next to the target so the final move stays on one file system; the
    // temporary file removes itself however the download ends.
    m_file = std::make_unique<QTemporaryFile>(
        QDir(parent).filePath(QStringLiteral("download-XXXXXX.zip")));
    if (!m_file->open()) {
        const QString why = m_file->errorString();
        m_file.reset();
        emit failed(tr("Cannot create a temporary file in %1: %2")
                        .arg(QDir::toNativeSeparators(parent), why));
        return true;
    }
    QNetworkRequest request(spec.url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setTransferTimeout(30000);
    m_reply = m_network->get(request);
    connect(m_reply, &QNetworkReply::readyRead, this, &DatasetDownloader::onReadyRead);
    connect(m_reply, &QNetworkReply::downloadProgress, this, &DatasetDownloader::progress);
    connect(m_reply, &QNetworkReply::finished, this, &DatasetDownloader::onReplyFinished);
    setStage(Stage::Downloading);
    return true;
}

void DatasetDownloader::cancel() {
    if (m_stage == Stage::Idle) {
        return;
    }
    m_cancelRequested = true;
    if (m_reply) {
        m_reply->abort(); // finished() follows with OperationCanceledError
    }
    // The install checks the flag between its steps (reading 1M takes a moment) and stops
    // before the final rename; once that rename happened the new copy is complete and kept.
    if (m_cancelInstall) {
        m_cancelInstall->store(true);
    }
}

void DatasetDownloader::setStage(Stage stage) {
    if (m_stage != stage) {
        m_stage = stage;
        emit stageChanged(stage);
    }
}

void DatasetDownloader::onReadyRead() {
    if (!m_reply || !m_file) {
        return;
    }
    const QByteArray chunk = m_reply->readAll();
    if (m_file->size() + chunk.size() > m_spec.maxBytes) {
        m_tooLarge = true;
        m_reply->abort();
        return;
    }
    if (m_file->write(chunk) != chunk.size()) {
        m_reply->abort();
    }
}

void DatasetDownloader::onReplyFinished() {
    QNetworkReply* reply = m_reply;
    m_reply = nullptr;
    reply->deleteLater();
    if (m_cancelRequested) {
        m_file.reset();
        setStage(Stage::Idle);
        emit cancelled();
        return;
    }
    if (m_tooLarge) {
        fail(tr("The server sent more than %1; this is not the expected archive.")
                 .arg(QLocale().formattedDataSize(m_spec.maxBytes)));
        return;
    }
    if (reply->error() != QNetworkReply::NoError) {
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        QString message =
            tr("Downloading %1 failed: %2").arg(m_spec.url.toString(), reply->errorString());
        if (status != 0) {
            message += tr(" (HTTP status %1)").arg(status);
        }
        fail(message);
        return;
    }
    onReadyRead(); // anything left in the buffer
    if (!m_file->flush()) {
        fail(tr("Cannot write the download to %1: %2")
                 .arg(QDir::toNativeSeparators(m_file->fileName()), m_file->errorString()));
        return;
    }
    setStage(Stage::Installing);
    const std::filesystem::path archive = m_file->fileName().toStdString();
    const std::filesystem::path target = m_spec.targetFolder.toStdString();
    const InstallCheck check = m_spec.check;
    m_cancelInstall = std::make_shared<std::atomic<bool>>(false);
    m_install.setFuture(QtConcurrent::run([archive, target, check, cancel = m_cancelInstall] {
        InstallResult result;
        try {
            auto dataset = std::make_shared<Dataset>();
            result.name = QString::fromStdString(
                installDataset(archive, target, check, cancel.get(), dataset.get()));
            result.dataset = std::move(dataset);
        } catch (const InstallCancelled&) {
            result.cancelled = true;
        } catch (const std::exception& error) {
            result.error = QString::fromStdString(error.what());
        }
        return result;
    }));
}

void DatasetDownloader::onInstalled() {
    const InstallResult result = m_install.result();
    m_file.reset();
    m_cancelInstall.reset();
    setStage(Stage::Idle);
    if (result.cancelled) {
        emit cancelled();
        return;
    }
    if (!result.error.isEmpty()) {
        emit failed(tr("The download from %1 could not be installed: %2")
                        .arg(m_spec.url.toString(), result.error));
        return;
    }
    // A cancel that came after the final rename: the verified copy is in place and stays;
    // it is reported as installed so the folder on disk and the message agree.
    m_installed = result.dataset;
    emit finished(m_spec.targetFolder, result.name);
}

void DatasetDownloader::fail(const QString& message) {
    m_file.reset();
    setStage(Stage::Idle);
    emit failed(message);
}

} // namespace towerlab
