#pragma once
// Runs one 2-D projection (core PCA or t-SNE) at a time on the thread pool, with progress and
// cancellation, so the Embeddings map never blocks the GUI thread. A new start() cancels the
// run in progress and its result is dropped; destroying the runner cancels and waits.
//
// All public functions are called on the GUI thread; signals arrive there.

#include "projection/projection_types.hpp"
#include "projection/tsne_subsample.hpp"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace towerlab {

enum class ProjectionMethod { Pca, Tsne };

struct ProjectionRequest {
    ProjectionMethod method = ProjectionMethod::Pca;
    RowMatrix points; // one row per point (movies or users)
    // When set, called first on the pool thread; its rows replace `points`. For points that
    // cost too much to compute on the GUI thread, e.g. the query tower over every user of a
    // large dataset. May throw; the run then fails with the exception's message.
    std::function<RowMatrix()> computePoints;
    // Extra points mapped with a PCA (pcaTransform), e.g. the query; ignored by t-SNE, whose
    // map has no transform for new points.
    RowMatrix companions;
    // Rescale each companion to the points' mean length before mapping it. A query vector is
    // often many times longer than the movie vectors, and its length does not change which
    // movies it ranks first, only how far off the map it would land.
    bool companionsAtPointScale = false;
    double perplexity = 30.0;
    int iterations = 1000;
    // t-SNE starts from random positions drawn with this seed; without one it starts from the
    // PCA map, which gives the same map every time.
    std::optional<std::uint64_t> tsneSeed;
    // t-SNE above this many points maps a subsample (projection/tsne_subsample.hpp) and places
    // the rest; 0 = the full run whatever the size.
    int tsnePointLimit = kTsneFullRunLimit;
    // One weight per point choosing the subsample (the heaviest are mapped), e.g. training
    // ratings per movie; empty = a seeded random sample, as are weights that are all zero or
    // do not have a row per point.
    std::vector<double> tsneWeights;
    // For the subsample's sentence: what the points are ("movies") and what the weight ranks
    // ("most-rated").
    QString pointsNoun = QStringLiteral("points");
    QString weightedBy = QStringLiteral("heaviest");
    // OpenMP threads for t-SNE; 1 for live maps, where training keeps the other cores busy
    // and OpenMP's busy-waiting workers would fight it. 0 = OpenMP's default.
    int threads = 0;
    // When set (same shape as the result), the result is rotated, mirrored, scaled and moved
    // onto it (Procrustes), companions included, so successive maps do not spin or flip.
    std::optional<RowMatrix> alignWith;
    // trustworthiness@10 costs O(N^2), or O(N) over a sample of kTrustworthinessSampleRows
    // points beyond that many; live maps skip it.
    bool measureTrustworthiness = true;
};

struct ProjectionResult {
    ProjectionMethod method = ProjectionMethod::Pca;
    RowMatrix xy;         // N x 2
    RowMatrix companions; // PCA: the request's companions mapped (and aligned); else empty
    QString summary;      // "PCA: 2 components explain 41% of the variance", ...
    // t-SNE of a subsample: the sentence saying how many points were mapped, of how many, and
    // why (also at the end of summary); empty when every point was mapped.
    QString subsampleNote;
    std::optional<double> trustworthiness; // @10, when measured and defined
    int trustworthinessRows = 0; // the points it was measured on (fewer than all: sampled)
    double seconds = 0.0;
    bool aligned = false;
};

class ProjectionRunner : public QObject {
    Q_OBJECT

public:
    explicit ProjectionRunner(QObject* parent = nullptr);
    ~ProjectionRunner() override;

    // Starts a projection; a run in progress is cancelled and its result never delivered.
    void start(ProjectionRequest request);
    // Cancels the run in progress (cancelled() follows when it has stopped).
    void cancel();
    bool isRunning() const { return m_running; }

signals:
    // t-SNE iterations done of planned (PCA: 0 of 0, an indeterminate bar), and a line to show.
    void progress(int done, int total, const QString& text);
    void finished(const towerlab::ProjectionResult& result);
    void failed(const QString& message);
    void cancelled();

private:
    struct Run;
    class Forwarder;
    void onRunFinished(Run* run);
    void onProgress(const Run* run, int done, int total, const QString& text);

    std::unique_ptr<Run> m_run;                  // the one whose result counts
    std::vector<std::unique_ptr<Run>> m_retired; // superseded, still stopping
    bool m_running = false;
};

} // namespace towerlab

Q_DECLARE_METATYPE(towerlab::ProjectionResult)
