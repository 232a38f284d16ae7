#pragma once
// Opens embeddings made by another program (File → Open embeddings…) off the GUI thread: the
// files are read and matched to the open dataset's titles on the thread pool, with progress
// and cancel; the result or the reader's message (naming file, line and field) comes back as
// a signal. The same for user vectors or a query vector opened later for those movie vectors.
// One read at a time. Lives on the GUI thread.

#include "io/embedding_import.hpp"

#include <QFutureWatcher>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

namespace towerlab {

struct Dataset;
using ExternalEmbeddingsPtr = std::shared_ptr<const ExternalEmbeddings>;
using ExternalUsersPtr = std::shared_ptr<const ExternalUsers>;

class EmbeddingsImporter : public QObject {
    Q_OBJECT

public:
    explicit EmbeddingsImporter(QObject* parent = nullptr);
    ~EmbeddingsImporter() override; // cancels and waits for a read in progress

    // Starts reading; false (nothing started) while another read runs. dataset may be null
    // (labels are then not matched); it is kept alive until the read ends.
    bool open(const EmbeddingImportRequest& request, std::shared_ptr<const Dataset> dataset);
    // User vectors (metadata empty: labelled "user 1", ...) or a file of one query vector for
    // these movie vectors (kept alive until the read ends). False while another read runs.
    bool openUsers(const QString& vectors, const QString& metadata, ExternalEmbeddingsPtr movies);
    bool openQuery(const QString& file, ExternalEmbeddingsPtr movies);
    void cancel();
    bool isRunning() const { return m_watcher.isRunning(); }

signals:
    // percent 0..100 of the vectors file's bytes read.
    void progress(int percent);
    void opened(const towerlab::ExternalEmbeddingsPtr& embeddings);
    // movies: the vectors they were read for (the window may have moved on since).
    void usersOpened(const towerlab::ExternalUsersPtr& users,
                     const towerlab::ExternalEmbeddingsPtr& movies);
    void queryOpened(const towerlab::RowVector& vector, const QString& file,
                     const towerlab::ExternalEmbeddingsPtr& movies);
    void failed(const QString& message);
    void cancelled();

private:
    struct Outcome {
        ExternalEmbeddingsPtr embeddings;
        ExternalUsersPtr users;
        std::optional<RowVector> query;
        QString error;
        bool cancelled = false;
    };
    // Runs read on the thread pool with progress and cancel; false while a read runs.
    bool start(std::function<void(Outcome&, const ReadControl&)> read);
    void onFinished();

    // What the read in progress is for (emitted with its result).
    ExternalEmbeddingsPtr m_forMovies;
    QString m_queryFile;
    QFutureWatcher<Outcome> m_watcher;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

} // namespace towerlab

Q_DECLARE_METATYPE(towerlab::ExternalEmbeddingsPtr)
Q_DECLARE_METATYPE(towerlab::ExternalUsersPtr)
