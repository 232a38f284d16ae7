#include "controllers/split_preview.hpp"

#include <QtConcurrent/QtConcurrentRun>

#include <exception>

namespace towerlab {

namespace {

bool sameSplit(const TrainConfig& a, const TrainConfig& b) {
    return a.split == b.split && a.trainFraction == b.trainFraction &&
           (a.split == SplitKind::Time || a.seed == b.seed);
}

} // namespace

SplitPreview::SplitPreview(QObject* parent) : QObject(parent) {
    connect(&m_watcher, &QFutureWatcher<SplitPreviewResult>::finished, this, [this] {
        m_current = m_watcher.result();
        emit ready(*m_current);
    });
}

SplitPreview::~SplitPreview() {
    m_watcher.waitForFinished();
}

void SplitPreview::request(std::shared_ptr<const Dataset> dataset, const TrainConfig& settings) {
    if (!dataset) {
        return;
    }
    if (dataset == m_requestedDataset && m_requestedSettings &&
        sameSplit(*m_requestedSettings, settings)) {
        return;
    }
    m_requestedDataset = dataset;
    m_requestedSettings = settings;
    m_watcher.setFuture(QtConcurrent::run([dataset, settings] {
        SplitPreviewResult result;
        result.dataset = dataset;
        result.settings = settings;
        try {
            result.overview = overviewOfSplit(*dataset, settings);
        } catch (const std::exception& e) {
            result.error = QString::fromUtf8(e.what());
        }
        return result;
    }));
}

} // namespace towerlab
