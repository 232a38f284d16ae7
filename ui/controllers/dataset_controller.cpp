#include "controllers/dataset_controller.hpp"

#include "data/dataset_loader.hpp"
#include "data/demo_dataset.hpp"
#include "models/movie_table_model.hpp"

#include <QDir>
#include <QFileInfo>
#include <QtConcurrent/QtConcurrentRun>

#include <exception>
#include <filesystem>

namespace towerlab {

namespace {

// Runs on a pool thread: nothing here may touch widgets.
// `alreadyRead`, when set, is the dataset of `path` as an install just read it.
LoadedDataset loadAndSummarize(const QString& path, std::shared_ptr<Dataset> alreadyRead) {
    LoadedDataset result;
    result.path = path;
    try {
        auto dataset = std::move(alreadyRead);
        if (dataset) {
            dataset->source = path.toStdString(); // as loadDataset(path) would record it
        } else {
            dataset = std::make_shared<Dataset>(
                path.isEmpty() ? makeDemoDataset()
                               : loadDataset(std::filesystem::path(path.toStdString())));
        }
        result.summary = std::make_shared<const DatasetSummary>(summarizeDataset(*dataset));
        result.movieTexts = std::make_shared<const MovieTexts>(movieTextsOf(*dataset));
        result.movieOrder = std::make_shared<const MovieOrder>(
            sortMovies(*dataset, result.summary.get(), *result.movieTexts,
                       MovieTableModel::kDefaultSortColumn, MovieTableModel::kDefaultSortOrder));
        result.ratingsByUser = std::make_shared<const RatingsByUser>(*dataset);
        result.features = std::make_shared<const FeatureAvailability>(*dataset);
        result.fingerprint = dataset->fingerprint();
        result.dataset = std::move(dataset);
        result.userLookup = UserLookup::shared(result.dataset);
    } catch (const std::exception& error) {
        result.error = QString::fromStdString(error.what());
    }
    return result;
}

} // namespace

DatasetController::DatasetController(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcher<LoadedDataset>::finished, this,
            &DatasetController::onFinished);
}

DatasetController::~DatasetController() {
    m_watcher.waitForFinished();
}

void DatasetController::loadDemo() {
    startLoad(tr("the built-in demo dataset"), QString());
}

void DatasetController::open(const QString& folderOrZip, std::shared_ptr<Dataset> alreadyRead) {
    startLoad(QDir::toNativeSeparators(folderOrZip), QFileInfo(folderOrZip).absoluteFilePath(),
              std::move(alreadyRead));
}

void DatasetController::startLoad(const QString& what, const QString& path,
                                  std::shared_ptr<Dataset> alreadyRead) {
    if (m_watcher.isRunning()) {
        // A reader cannot be interrupted; the newest request runs as soon as it returns.
        m_pending = true;
        m_pendingPath = path;
        m_pendingDataset = std::move(alreadyRead);
        m_loadingWhat = what;
        emit loadingStarted(what);
        return;
    }
    m_loadingWhat = what;
    emit loadingStarted(what);
    m_watcher.setFuture(QtConcurrent::run(loadAndSummarize, path, std::move(alreadyRead)));
}

void DatasetController::onFinished() {
    if (m_pending) {
        m_pending = false;
        m_watcher.setFuture(
            QtConcurrent::run(loadAndSummarize, m_pendingPath, std::move(m_pendingDataset)));
        return;
    }
    LoadedDataset result = m_watcher.result();
    if (!result.error.isEmpty()) {
        emit loadFailed(m_loadingWhat, result.error);
        emit loadingFinished();
        return;
    }
    m_current = std::move(result);
    emit datasetChanged(m_current.dataset);
    emit loadingFinished();
}

} // namespace towerlab
