#pragma once
// The Recommend tab's HNSW index and what it costs: built from the current model's movie
// vectors off the GUI thread when first asked for (progress, cancel), dropped when the model
// changes, and measured against brute force (recall@k and per-query time of both) over a
// sample of queries: up to kSampleQueries users of the open dataset, seeded, or the current
// query alone without a dataset.
//
// Lives on the GUI thread: every public function is called there and every signal arrives
// there. Destroying it cancels a build and waits for the thread-pool job.

#include "controllers/training_types.hpp"
#include "retrieval/hnsw_index.hpp"

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>

namespace towerlab {

struct Dataset;

class ApproximateIndex : public QObject {
    Q_OBJECT

public:
    static constexpr int kSampleQueries = 200;

    explicit ApproximateIndex(QObject* parent = nullptr);
    ~ApproximateIndex() override;

    // A new model or dataset: the index (or the build in progress) is dropped.
    void setModel(TrainedModelPtr model, std::shared_ptr<const Dataset> dataset);
    // Starts building for the current model unless built or building.
    void build();
    // Stops a build in progress; building() turns false and nothing is kept.
    void cancel();
    // Measures `ef` at k against brute force over the sample (off the GUI thread); a request
    // while measuring replaces the pending one. `current` is the query used without a dataset.
    void measure(std::size_t k, std::size_t ef, const RowVector& current);

    std::shared_ptr<const HnswIndex> index() const { return m_index; }
    bool building() const { return m_building; }
    double progress() const { return m_progress; } // 0..1 while building
    // The last measurement for the current index, with how many queries and where from.
    const std::optional<HnswMeasurement>& measurement() const { return m_measurement; }
    const QString& sampleSource() const { return m_sampleSource; }
    bool measuring() const { return m_measuring; }
    // Why the last build failed (empty when it did not).
    const QString& error() const { return m_error; }

signals:
    // Building started, progressed, finished, failed or was cancelled; or a measurement
    // started or arrived.
    void stateChanged();
    // A new index is ready (index() is set).
    void ready();

private:
    struct BuildResult {
        std::shared_ptr<const HnswIndex> index;
        RowMatrix sample; // query vectors for measurements
        QString sampleSource;
        QString error;
    };
    struct MeasureResult {
        int generation = 0; // of the index measured
        std::optional<HnswMeasurement> measurement;
        QString error;
    };
    struct MeasureRequest {
        std::size_t k = 0;
        std::size_t ef = 0;
        RowVector current;
    };

    void onBuilt();
    void onMeasured();
    void startMeasure();

    TrainedModelPtr m_model;
    std::shared_ptr<const Dataset> m_dataset;
    std::shared_ptr<const HnswIndex> m_index;
    RowMatrix m_sample;
    QString m_sampleSource;
    std::optional<HnswMeasurement> m_measurement;
    std::optional<MeasureRequest> m_pending;
    QFutureWatcher<BuildResult> m_buildWatcher;
    QFutureWatcher<MeasureResult> m_measureWatcher;
    // Shared with the job, which may outlive a dropped request by a few inserts.
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::shared_ptr<std::atomic<double>> m_buildProgress;
    QTimer m_progressTimer;
    int m_generation = 0; // counts the indexes, so a late measurement of a dropped one is ignored
    bool m_building = false;
    bool m_measuring = false;
    double m_progress = 0.0;
    QString m_error;
};

} // namespace towerlab
