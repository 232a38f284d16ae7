#include "controllers/projection_runner.hpp"

#include "projection/alignment.hpp"
#include "projection/pca.hpp"
#include "projection/trustworthiness.hpp"
#include "projection/tsne.hpp"
#include "projection/tsne_subsample.hpp"

#include <QElapsedTimer>
#include <QPointer>
#include <QtConcurrent>

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <stdexcept>

namespace towerlab {

namespace {

constexpr int kTrustworthinessK = 10;
// Progress events at most this often, so a fast t-SNE cannot flood the GUI thread.
constexpr qint64 kProgressIntervalMs = 50;

} // namespace

// One projection: its request, its cancel flag and the watcher of its future. Shared between
// the runner and the pool thread, so a superseded run can finish after the runner moved on.
struct ProjectionRunner::Run {
    ProjectionRequest request;
    std::atomic<bool> cancel{false};
    QFutureWatcher<void> watcher;
    ProjectionResult result;
    QString error;
    bool cancelled = false;
};

// Forwards t-SNE iterations to the runner on the GUI thread, throttled; the runner drops
// those of a superseded run.
class ProjectionRunner::Forwarder : public TsneProgress {
public:
    Forwarder(QPointer<ProjectionRunner> runner, const Run* run)
        : m_runner(std::move(runner)), m_run(run) {
        m_clock.start();
    }
    // The neighbour search before the first iteration (seconds at 62,000 points) fills the
    // bar too, counted in points, so the bar moves and Cancel visibly works from the start.
    void onAffinities(long done, long total) override {
        if (m_clock.elapsed() < kProgressIntervalMs) {
            return;
        }
        m_clock.restart();
        post(static_cast<int>(done), static_cast<int>(total),
             ProjectionRunner::tr("t-SNE: nearest neighbours of %L1 of %L2 points")
                 .arg(done)
                 .arg(total));
    }
    void onIteration(const TsneIteration& it) override {
        if (m_clock.elapsed() < kProgressIntervalMs && it.iteration != it.iterations) {
            return;
        }
        m_clock.restart();
        const QString text =
            it.exaggerated ? ProjectionRunner::tr("t-SNE iteration %1 of %2 (early exaggeration)")
                                 .arg(it.iteration)
                                 .arg(it.iterations)
                           : ProjectionRunner::tr("t-SNE iteration %1 of %2")
                                 .arg(it.iteration)
                                 .arg(it.iterations);
        post(it.iteration, it.iterations, text);
    }
    void post(int done, int total, const QString& text) {
        QPointer<ProjectionRunner> runner = m_runner;
        QMetaObject::invokeMethod(
            runner.data(),
            [runner, run = m_run, done, total, text] {
                if (runner) {
                    runner->onProgress(run, done, total, text);
                }
            },
            Qt::QueuedConnection);
    }

private:
    QPointer<ProjectionRunner> m_runner;
    const Run* m_run;
    QElapsedTimer m_clock;
};

namespace {

// The work itself, on a pool thread. Throws what the core throws.
// `notify` posts a progress line (done, total, text) to the runner.
ProjectionResult project(ProjectionRequest& request, TsneProgress& progress,
                         const std::function<void(int, int, const QString&)>& notify,
                         const std::atomic<bool>& cancel, bool& cancelled) {
    QElapsedTimer clock;
    clock.start();
    if (request.computePoints) {
        request.points = request.computePoints();
    }
    if (request.points.rows() < 2) {
        throw std::runtime_error(
            ProjectionRunner::tr("There are fewer than two points to map.").toStdString());
    }
    ProjectionResult out;
    out.method = request.method;
    if (request.method == ProjectionMethod::Pca) {
        const PcaResult fit = pca(request.points, 2);
        out.xy = fit.projected;
        if (request.companions.rows() > 0) {
            RowMatrix companions = request.companions;
            if (request.companionsAtPointScale) {
                const float meanNorm = request.points.rowwise().norm().mean();
                for (Eigen::Index r = 0; r < companions.rows(); ++r) {
                    const float norm = companions.row(r).norm();
                    if (norm > 0.0f) {
                        companions.row(r) *= meanNorm / norm;
                    }
                }
            }
            out.companions = pcaTransform(fit, companions);
        }
        out.summary = ProjectionRunner::tr("PCA: the two components explain %1% of the variance "
                                           "(%2% + %3%)")
                          .arg(100.0 * fit.explainedVarianceRatio.sum(), 0, 'f', 1)
                          .arg(100.0 * fit.explainedVarianceRatio[0], 0, 'f', 1)
                          .arg(100.0 * fit.explainedVarianceRatio[1], 0, 'f', 1);
    } else {
        TsneOptions options;
        options.perplexity = request.perplexity;
        options.iterations = request.iterations;
        options.threads = request.threads;
        if (request.tsneSeed) {
            options.init = TsneInit::Random;
            options.seed = *request.tsneSeed;
        }
        if (request.points.cols() < 2) {
            options.init = TsneInit::Random; // PCA initialisation needs 2 columns
        }
        // Weights that are all zero (vectors from elsewhere whose ratings nobody knows) rank
        // nothing: a random sample then, rather than the first rows called "most-rated".
        const bool weighted =
            static_cast<Eigen::Index>(request.tsneWeights.size()) == request.points.rows() &&
            std::any_of(request.tsneWeights.begin(), request.tsneWeights.end(),
                        [](double w) { return w != 0.0; });
        const TsneSubsample subsample = tsneSubsample(
            request.points.rows(), weighted ? request.tsneWeights : std::vector<double>{},
            request.tsnePointLimit);
        const RowMatrix mapped =
            subsample.used() ? embeddedRows(request.points, subsample) : RowMatrix();
        const TsneResult result =
            tsne(subsample.used() ? mapped : request.points, options, &progress, &cancel);
        if (result.outcome == TsneOutcome::Cancelled) {
            cancelled = true;
            return out;
        }
        out.xy = result.embedding;
        if (subsample.used()) {
            notify(0, 0,
                   ProjectionRunner::tr("t-SNE: placing the other %L1 points")
                       .arg(subsample.placed.size()));
            out.xy = placeSubsample(request.points, subsample, result.embedding,
                                    kTsnePlacementNeighbours, request.threads, &cancel);
            if (cancel.load()) {
                cancelled = true;
                return out;
            }
            out.subsampleNote = QString::fromStdString(tsneSubsampleNote(
                subsample, request.pointsNoun.toStdString(), request.weightedBy.toStdString()));
        }
        out.summary =
            ProjectionRunner::tr("t-SNE (%1, perplexity %2%5): %3 iterations%4")
                .arg(result.method == TsneMethod::Exact ? ProjectionRunner::tr("exact")
                                                        : ProjectionRunner::tr("Barnes-Hut"))
                .arg(request.perplexity)
                .arg(result.iterations)
                .arg(result.outcome == TsneOutcome::Converged ? ProjectionRunner::tr(", converged")
                                                              : QString())
                .arg(request.tsneSeed
                         ? ProjectionRunner::tr(", random start %1").arg(*request.tsneSeed)
                         : QString());
        if (!out.subsampleNote.isEmpty()) {
            out.summary += QStringLiteral(". ") + out.subsampleNote;
        }
    }
    if (request.alignWith && request.alignWith->rows() == out.xy.rows() &&
        request.alignWith->cols() == out.xy.cols()) {
        if (out.companions.rows() == 0) {
            out.companions.resize(0, out.xy.cols());
        }
        alignTo(*request.alignWith, out.xy, out.companions);
        out.aligned = true;
    }
    if (request.measureTrustworthiness && out.xy.rows() > 2 * kTrustworthinessK) {
        // Sampled beyond kTrustworthinessSampleRows points: the whole measure is O(N^2).
        const std::vector<int> rows =
            trustworthinessSample(out.xy.rows(), kTrustworthinessSampleRows);
        out.trustworthiness = trustworthiness(request.points, out.xy, kTrustworthinessK, rows);
        out.trustworthinessRows = static_cast<int>(rows.size());
    }
    out.seconds = static_cast<double>(clock.nsecsElapsed()) / 1e9;
    return out;
}

} // namespace

ProjectionRunner::ProjectionRunner(QObject* parent) : QObject(parent) {
    qRegisterMetaType<ProjectionResult>();
}

ProjectionRunner::~ProjectionRunner() {
    // Pool threads may still be inside tsne(): stop them and wait, so no run outlives the
    // runner (their progress forwarders point at it).
    for (auto& run : m_retired) {
        run->cancel.store(true);
    }
    if (m_run) {
        m_run->cancel.store(true);
        m_run->watcher.waitForFinished();
    }
    for (auto& run : m_retired) {
        run->watcher.waitForFinished();
    }
}

void ProjectionRunner::start(ProjectionRequest request) {
    if (m_run) {
        // The superseded run stops at its next iteration and reports nothing; it is freed
        // once its watcher has signalled (or now, when it already has).
        m_run->cancel.store(true);
        Run* old = m_run.get();
        const bool done = old->watcher.isFinished();
        m_retired.push_back(std::move(m_run));
        if (done) {
            QMetaObject::invokeMethod(
                this,
                [this, old] {
                    std::erase_if(m_retired, [old](const auto& r) { return r.get() == old; });
                },
                Qt::QueuedConnection);
        }
    }
    m_run = std::make_unique<Run>();
    Run* run = m_run.get();
    run->request = std::move(request);
    m_running = true;
    const bool tsne = run->request.method == ProjectionMethod::Tsne;
    emit progress(0, tsne ? run->request.iterations : 0,
                  tsne ? tr("t-SNE: computing affinities…") : tr("PCA…"));
    connect(&run->watcher, &QFutureWatcherBase::finished, this,
            [this, run] { onRunFinished(run); });
    QPointer<ProjectionRunner> self(this);
    run->watcher.setFuture(QtConcurrent::run([run, self] {
        Forwarder forwarder(self, run);
        try {
            const auto notify = [&forwarder](int done, int total, const QString& text) {
                forwarder.post(done, total, text);
            };
            run->result = project(run->request, forwarder, notify, run->cancel, run->cancelled);
        } catch (const std::exception& error) {
            run->error = QString::fromStdString(error.what());
        }
    }));
}

void ProjectionRunner::cancel() {
    if (m_run && m_running) {
        m_run->cancel.store(true);
    }
}

void ProjectionRunner::onProgress(const Run* run, int done, int total, const QString& text) {
    if (run == m_run.get() && m_running) {
        emit progress(done, total, text);
    }
}

void ProjectionRunner::onRunFinished(Run* run) {
    if (run != m_run.get()) {
        // A superseded run has stopped: free it once its watcher has finished signalling.
        QMetaObject::invokeMethod(
            this,
            [this, run] {
                std::erase_if(m_retired, [run](const auto& r) { return r.get() == run; });
            },
            Qt::QueuedConnection);
        return;
    }
    m_running = false;
    if (run->cancelled || run->cancel.load()) {
        emit cancelled(); // a PCA cannot stop halfway; a cancel during it drops the result
    } else if (!run->error.isEmpty()) {
        emit failed(run->error);
    } else {
        emit finished(run->result);
    }
}

} // namespace towerlab
