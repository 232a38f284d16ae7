// File → Open embeddings…: vectors made by another program, read off the GUI thread with a
// progress dialog and shown in the Embeddings, Recommend and Scores tabs (the window's other
// parts are in main_window*.cpp). A query.tsv beside the vectors is read as their query
// vector; File → Open user vectors… and Open query vector… (or the Recommend tab's buttons)
// read more queries for them.

#include "main_window.hpp"

#include "controllers/embeddings_controller.hpp"
#include "controllers/embeddings_importer.hpp"
#include "controllers/query_controller.hpp"
#include "data/dataset.hpp"
#include "views/embeddings_view.hpp"
#include "views/file_dialogs.hpp"
#include "views/recommend_view.hpp"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QProgressDialog>
#include <QStatusBar>
#include <QTabWidget>

namespace towerlab {

void MainWindow::createEmbeddingsImport() {
    m_importer = new EmbeddingsImporter(this);
    m_importProgress = new QProgressDialog(this);
    m_importProgress->setWindowTitle(tr("Open embeddings"));
    m_importProgress->setRange(0, 100);
    m_importProgress->setAutoReset(false);
    m_importProgress->setAutoClose(false);
    m_importProgress->setMinimumDuration(400); // a small file opens without a flash
    m_importProgress->setWindowModality(Qt::WindowModal);
    m_importProgress->reset(); // a QProgressDialog shows itself after minimumDuration unless reset
    connect(m_importProgress, &QProgressDialog::canceled, m_importer, &EmbeddingsImporter::cancel);
    connect(m_importer, &EmbeddingsImporter::progress, m_importProgress,
            &QProgressDialog::setValue);
    connect(m_importer, &EmbeddingsImporter::opened, this, &MainWindow::onEmbeddingsOpened);
    connect(m_importer, &EmbeddingsImporter::usersOpened, this,
            [this](const ExternalUsersPtr& users, const ExternalEmbeddingsPtr& movies) {
                m_importProgress->reset();
                if (movies != m_query->external()) {
                    return; // read for vectors that are no longer shown
                }
                m_query->setExternalUsers(users);
                if (!m_query->externalQuery() && users->vectors.rows() > 0) {
                    m_recommendView->controller()->pickExternalUser(0);
                }
                m_tabs->setCurrentIndex(RecommendTab);
                statusBar()->showMessage(
                    tr("%1 user vectors from %2%3")
                        .arg(users->vectors.rows())
                        .arg(QDir::toNativeSeparators(QString::fromStdString(users->source)))
                        .arg(users->metadata.empty()
                                 ? tr(" (no labels: numbered user 1, user 2, …)")
                                 : QString()),
                    kStatusTimeoutMs);
            });
    connect(
        m_importer, &EmbeddingsImporter::queryOpened, this,
        [this](const RowVector& vector, const QString& file, const ExternalEmbeddingsPtr& movies) {
            m_importProgress->reset();
            if (movies != m_query->external()) {
                return;
            }
            m_query->setExternalQuery(ExternalQuery{
                vector, tr("the query vector of %1").arg(QFileInfo(file).fileName()), -1});
            m_tabs->setCurrentIndex(RecommendTab);
        });
    m_openUserVectors = new QAction(tr("Open &user vectors…"), this);
    m_openUserVectors->setObjectName(QStringLiteral("openUserVectors"));
    m_openUserVectors->setStatusTip(tr("User vectors of the model whose movie vectors are open "
                                       "(Embedding Projector TSV or .npy, with their labels): "
                                       "pick a user on the Recommend tab to list their top k"));
    m_openQueryVector = new QAction(tr("Open &query vector…"), this);
    m_openQueryVector->setObjectName(QStringLiteral("openQueryVector"));
    m_openQueryVector->setStatusTip(tr("A file of one vector of the open movie vectors' "
                                       "dimensions: its top k on the Recommend tab"));
    auto follow = [this] {
        const bool external = m_query->external() != nullptr;
        m_openUserVectors->setEnabled(external);
        m_openQueryVector->setEnabled(external);
    };
    follow();
    connect(m_query, &QueryController::externalChanged, this, follow);
    connect(m_openUserVectors, &QAction::triggered, this, &MainWindow::chooseUserVectorsToOpen);
    connect(m_openQueryVector, &QAction::triggered, this, &MainWindow::chooseQueryVectorToOpen);
    connect(m_recommendView, &RecommendView::openUserVectorsRequested, this,
            &MainWindow::chooseUserVectorsToOpen);
    connect(m_recommendView, &RecommendView::openQueryVectorRequested, this,
            &MainWindow::chooseQueryVectorToOpen);
    connect(m_importer, &EmbeddingsImporter::failed, this, [this](const QString& message) {
        m_importProgress->reset();
        showError(tr("Cannot open the embeddings"), message);
    });
    connect(m_importer, &EmbeddingsImporter::cancelled, this, [this] {
        m_importProgress->reset();
        statusBar()->showMessage(tr("Opening the embeddings was cancelled."), kStatusTimeoutMs);
    });
}

bool MainWindow::openEmbeddings(const QString& vectors, const QString& metadata) {
    EmbeddingImportRequest request;
    request.vectors = vectors.toStdString();
    request.metadata = metadata.toStdString();
    // A query vector beside the movie vectors (as the PyTorch peer's --export writes it) puts
    // its top list on the map.
    const QString query = QFileInfo(vectors).dir().filePath(QStringLiteral("query.tsv"));
    if (QFileInfo::exists(query) && QFileInfo(query) != QFileInfo(vectors)) {
        request.queryVector = query.toStdString();
    }
    if (!m_importer->open(request, m_query->dataset())) {
        statusBar()->showMessage(tr("Embeddings are being read; try again in a moment."),
                                 kStatusTimeoutMs);
        return false;
    }
    showReading(vectors);
    return true;
}

void MainWindow::showReading(const QString& file) {
    m_importProgress->setLabelText(
        tr("Reading %1…").arg(QDir::toNativeSeparators(QFileInfo(file).fileName())));
    m_importProgress->setValue(0);
}

bool MainWindow::openUserVectors(const QString& vectors, const QString& metadata) {
    if (!m_query->external()) {
        statusBar()->showMessage(tr("Open movie vectors first (File → Open embeddings…)."),
                                 kStatusTimeoutMs);
        return false;
    }
    if (!m_importer->openUsers(vectors, metadata, m_query->external())) {
        statusBar()->showMessage(tr("Embeddings are being read; try again in a moment."),
                                 kStatusTimeoutMs);
        return false;
    }
    showReading(vectors);
    return true;
}

bool MainWindow::openQueryVector(const QString& file) {
    if (!m_query->external()) {
        statusBar()->showMessage(tr("Open movie vectors first (File → Open embeddings…)."),
                                 kStatusTimeoutMs);
        return false;
    }
    if (!m_importer->openQuery(file, m_query->external())) {
        statusBar()->showMessage(tr("Embeddings are being read; try again in a moment."),
                                 kStatusTimeoutMs);
        return false;
    }
    showReading(file);
    return true;
}

void MainWindow::chooseUserVectorsToOpen() {
    const QString vectors =
        chooseOpenFile(this, tr("Open user vectors"), QStringLiteral("embeddings"),
                       tr("Embedding vectors (*.tsv *.npy);;All files (*)"));
    if (vectors.isEmpty()) {
        return;
    }
    // users.tsv comes with users_metadata.tsv from the peer, users/vectors.tsv with
    // users/metadata.tsv from `towerlab-cli embed --users`; else ask, and Cancel numbers them.
    QString metadata = QString::fromStdString(userMetadataBeside(vectors.toStdString()).string());
    if (metadata.isEmpty()) {
        metadata = chooseOpenFile(this, tr("Their labels (metadata TSV; Cancel numbers the users)"),
                                  QStringLiteral("embeddings"),
                                  tr("Metadata (*.tsv *.txt);;All files (*)"));
    }
    openUserVectors(vectors, metadata);
}

void MainWindow::chooseQueryVectorToOpen() {
    const QString file =
        chooseOpenFile(this, tr("Open a query vector"), QStringLiteral("embeddings"),
                       tr("One vector (*.tsv *.npy);;All files (*)"));
    if (!file.isEmpty()) {
        openQueryVector(file);
    }
}

void MainWindow::chooseEmbeddingsToOpen() {
    const QString vectors =
        chooseOpenFile(this, tr("Open embeddings: the vectors"), QStringLiteral("embeddings"),
                       tr("Embedding vectors (*.tsv *.npy);;All files (*)"));
    if (vectors.isEmpty()) {
        return;
    }
    // The Projector's pair sits in one folder: ask for the labels only when they are not there.
    QString metadata;
    const auto beside = metadataBeside(vectors.toStdString());
    if (!QFileInfo::exists(QString::fromStdString(beside.string()))) {
        metadata = chooseOpenFile(this, tr("Open embeddings: their labels (metadata TSV)"),
                                  QStringLiteral("embeddings"),
                                  tr("Metadata (*.tsv *.txt);;All files (*)"));
        if (metadata.isEmpty()) {
            return;
        }
    }
    openEmbeddings(vectors, metadata);
}

void MainWindow::onEmbeddingsOpened(const ExternalEmbeddingsPtr& embeddings) {
    m_importProgress->reset();
    m_embeddingsView->controller()->showExternal(embeddings); // shared by every tab
    if (embeddings->queryVector && m_query->external() == embeddings) {
        m_query->setExternalQuery(ExternalQuery{
            *embeddings->queryVector,
            tr("the query vector of %1")
                .arg(QFileInfo(QString::fromStdString(embeddings->querySource)).fileName()),
            -1});
    }
    m_tabs->setCurrentIndex(EmbeddingsTab);
    const TitleMatches& m = embeddings->matches;
    const QString vectors =
        tr("%1 vectors of %2 dimensions from %3")
            .arg(embeddings->movieVectors.rows())
            .arg(embeddings->dimensions())
            .arg(QDir::toNativeSeparators(QString::fromStdString(embeddings->source)));
    const auto dataset = m_query->dataset();
    statusBar()->showMessage(
        m.againstDataset && dataset
            ? tr("%1: %2 titles of %3 matched (%4 only ignoring case and accents), %5 not")
                  .arg(vectors)
                  .arg(m.exact + m.folded)
                  .arg(QString::fromStdString(dataset->name))
                  .arg(m.folded)
                  .arg(m.unmatched)
            : tr("%1 (no dataset open: labels not matched)").arg(vectors),
        kStatusTimeoutMs);
}

} // namespace towerlab
