#include "controllers/embeddings_importer.hpp"

#include "data/dataset.hpp"

#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace towerlab {

EmbeddingsImporter::EmbeddingsImporter(QObject* parent) : QObject(parent) {
    qRegisterMetaType<ExternalEmbeddingsPtr>();
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
    m_watcher.setFuture(QtConcurrent::run([request, dataset, cancel = m_cancel, report] {
        Outcome out;
        ReadControl control;
        control.cancel = cancel.get();
        control.progress = report;
        try {
            out.embeddings = std::make_shared<const ExternalEmbeddings>(
                importEmbeddings(request, dataset.get(), control));
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
    } else {
        emit failed(out.error);
    }
}

} // namespace towerlab
