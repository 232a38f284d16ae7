#include "controllers/embeddings_importer.hpp"

#include "data/dataset.hpp"

#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <filesystem>

namespace towerlab {

EmbeddingsImporter::EmbeddingsImporter(QObject* parent) : QObject(parent) {
    qRegisterMetaType<ExternalEmbeddingsPtr>();
    qRegisterMetaType<ExternalUsersPtr>();
    connect(&m_watcher, &QFutureWatcher<Outcome>::finished, this, &EmbeddingsImporter::onFinished);
}

EmbeddingsImporter::~EmbeddingsImporter() {
    cancel();
    m_watcher.waitForFinished();
}

bool EmbeddingsImporter::open(const EmbeddingImportRequest& request,
                              std::shared_ptr<const Dataset> dataset) {
    if (m_watcher.isRunning()) {
        return false;
    }
    m_forMovies.reset();
    return start([request, dataset](Outcome& out, const ReadControl& control) {
        out.embeddings = std::make_shared<const ExternalEmbeddings>(
            importEmbeddings(request, dataset.get(), control));
    });
}

bool EmbeddingsImporter::openUsers(const QString& vectors, const QString& metadata,
                                   ExternalEmbeddingsPtr movies) {
    if (m_watcher.isRunning() || !movies) {
        return false;
    }
    m_forMovies = movies;
    const std::filesystem::path vectorsPath = vectors.toStdString();
    const std::filesystem::path metadataPath = metadata.toStdString();
    return start([vectorsPath, metadataPath, movies](Outcome& out, const ReadControl& control) {
        out.users = std::make_shared<const ExternalUsers>(
            importUserVectors(vectorsPath, metadataPath, *movies, control));
    });
}

bool EmbeddingsImporter::openQuery(const QString& file, ExternalEmbeddingsPtr movies) {
    if (m_watcher.isRunning() || !movies) {
        return false;
    }
    m_forMovies = movies;
    m_queryFile = file;
    const std::filesystem::path path = file.toStdString();
    return start([path, movies](Outcome& out, const ReadControl& control) {
        out.query = importQueryVector(path, *movies, control);
    });
}

bool EmbeddingsImporter::start(std::function<void(Outcome&, const ReadControl&)> read) {
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    // Progress crosses to the GUI thread as a queued call; QPointer drops it if this object is
    // gone (the destructor waits, so that is belt and braces).
    QPointer<EmbeddingsImporter> self(this);
    auto report = [self](double fraction) {
        QMetaObject::invokeMethod(
            self.data(),
            [self, percent = static_cast<int>(fraction * 100.0)] {
                if (self) {
                    emit self->progress(percent);
                }
            },
            Qt::QueuedConnection);
    };
    m_watcher.setFuture(QtConcurrent::run([read = std::move(read), cancel = m_cancel, report] {
        Outcome out;
        ReadControl control;
        control.cancel = cancel.get();
        control.progress = report;
        try {
            read(out, control);
        } catch (const EmbeddingReadCancelled&) {
            out.cancelled = true;
        } catch (const std::exception& e) {
            out.error = QString::fromStdString(e.what());
        }
        return out;
    }));
    return true;
}

void EmbeddingsImporter::cancel() {
    if (m_cancel) {
        m_cancel->store(true);
    }
}

void EmbeddingsImporter::onFinished() {
    const Outcome out = m_watcher.result();
    if (out.cancelled) {
        emit cancelled();
    } else if (out.embeddings) {
        emit opened(out.embeddings);
    } else if (out.users) {
        emit usersOpened(out.users, m_forMovies);
    } else if (out.query) {
        emit queryOpened(*out.query, m_queryFile, m_forMovies);
    } else {
        emit failed(out.error);
    }
}

} // namespace towerlab
