// File → Open embeddings…: vectors made by another program, read off the GUI thread with a
// progress dialog and shown in the Embeddings tab (the window's other parts are in
// main_window*.cpp). A query.tsv beside the vectors is read as their query vector.

#include "main_window.hpp"

#include "controllers/embeddings_controller.hpp"
#include "controllers/embeddings_importer.hpp"
#include "controllers/query_controller.hpp"
#include "data/dataset.hpp"
#include "views/embeddings_view.hpp"
#include "views/file_dialogs.hpp"

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
    m_importProgress->setLabelText(
        tr("Reading %1…").arg(QDir::toNativeSeparators(QFileInfo(vectors).fileName())));
    m_importProgress->setValue(0);
    return true;
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
    m_embeddingsView->controller()->showExternal(embeddings);
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
