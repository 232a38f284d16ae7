#pragma once
// The train/test split the Train form describes, on the current dataset, for the Data tab.
// Building it sorts or shuffles every rating (a tenth of a second on MovieLens 1M, more on
// larger data), so it runs on the thread pool; a newer request replaces one in progress,
// whose result is then dropped. Lives on the GUI thread.

#include "data/dataset.hpp"
#include "model/model_config.hpp"
#include "model/training_split.hpp"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace towerlab {

struct SplitPreviewResult {
    std::shared_ptr<const Dataset> dataset;
    TrainConfig settings; // the split kind, seed and fraction it was built with
    std::optional<SplitOverview> overview;
    QString error; // set instead of overview (e.g. fewer than 2 ratings)
};

class SplitPreview : public QObject {
    Q_OBJECT

public:
    explicit SplitPreview(QObject* parent = nullptr);
    ~SplitPreview() override;

    // Recomputes when the dataset or the split settings (kind, fraction; seed for the random
    // split) differ from the last request; other fields of `settings` are ignored.
    void request(std::shared_ptr<const Dataset> dataset, const TrainConfig& settings);
    bool isPending() const { return m_watcher.isRunning(); }
    const std::optional<SplitPreviewResult>& current() const { return m_current; }

signals:
    void ready(const towerlab::SplitPreviewResult& result);

private:
    QFutureWatcher<SplitPreviewResult> m_watcher;
    std::shared_ptr<const Dataset> m_requestedDataset;
    std::optional<TrainConfig> m_requestedSettings;
    std::optional<SplitPreviewResult> m_current;
};

} // namespace towerlab
