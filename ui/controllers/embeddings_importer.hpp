#pragma once
// Opens embeddings made by another program (File → Open embeddings…) off the GUI thread: the
// files are read and matched to the open dataset's titles on the thread pool, with progress
// and cancel; the result or the reader's message (naming file, line and field) comes back as
// a signal. Lives on the GUI thread.

#include "io/embedding_import.hpp"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace towerlab {

struct Dataset;
using ExternalEmbeddingsPtr = std::shared_ptr<const ExternalEmbeddings>;

class EmbeddingsImporter : public QObject {
    Q_OBJECT

public:
    explicit EmbeddingsImporter(QObject* parent = nullptr);
    ~EmbeddingsImporter() override; // cancels and waits for a read in progress

    // Starts reading; false (nothing started) while another read runs. dataset may be null
    // (labels are then not matched); it is kept alive until the read ends.
    bool open(const EmbeddingImportRequest& request, std::shared_ptr<const Dataset> dataset);
    void cancel();
    bool isRunning() const { return m_watcher.isRunning(); }

signals:
    // percent 0..100 of the vectors file's bytes read.
    void progress(int percent);
    void opened(const towerlab::ExternalEmbeddingsPtr& embeddings);
    void failed(const QString& message);
    void cancelled();

private:
    struct Outcome {
        ExternalEmbeddingsPtr embeddings;
        QString error;
        bool cancelled = false;
    };
    void onFinished();

    QFutureWatcher<Outcome> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace towerlab

Q_DECLARE_METATYPE(towerlab::ExternalEmbeddingsPtr)
