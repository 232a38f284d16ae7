#include "projection/tsne.hpp"

#include "projection/input_checks.hpp"
#include "projection/pca.hpp"
#include "projection/quadtree.hpp"
#include "projection/tsne_affinities.hpp"
#include "projection/tsne_gradient.hpp"
#include "util/random.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <string>

namespace towerlab {

namespace {

using detail::Embedding;
using Clock = std::chrono::steady_clock;

// scikit-learn's constants: the KL divergence and the stopping rules are checked this often,
// the gains never fall below kMinGain.
constexpr int kCheckEvery = 50;
constexpr double kMinGain = 0.01;

void validate(const RowMatrix& points, const TsneOptions& o) {
    detail::requireFinitePoints(points, "tsne", "points", 2);
    const auto n = static_cast<double>(points.rows());
    const auto check = [](bool ok, const std::string& message) {
        detail::require(ok, "tsne", message);
    };
    check(o.perplexity > 0.0 && o.perplexity < n,
          "perplexity must be > 0 and less than the number of points (" +
              std::to_string(points.rows()) + "), got " + std::to_string(o.perplexity));
    check(!o.learningRate || (std::isfinite(*o.learningRate) && *o.learningRate > 0.0),
          "learning rate must be positive, got " + std::to_string(o.learningRate.value_or(0.0)));
    check(o.iterations >= 1, "iterations must be at least 1, got " + std::to_string(o.iterations));
    check(std::isfinite(o.earlyExaggeration) && o.earlyExaggeration >= 1.0,
          "early exaggeration must be at least 1, got " + std::to_string(o.earlyExaggeration));
    check(o.exaggerationIterations >= 0,
          "exaggeration iterations must be >= 0, got " + std::to_string(o.exaggerationIterations));
    check(o.initialMomentum >= 0.0 && o.initialMomentum < 1.0,
          "initial momentum must be in [0, 1), got " + std::to_string(o.initialMomentum));
    check(o.finalMomentum >= 0.0 && o.finalMomentum < 1.0,
          "final momentum must be in [0, 1), got " + std::to_string(o.finalMomentum));
    check(std::isfinite(o.theta) && o.theta >= 0.0,
          "theta must be >= 0, got " + std::to_string(o.theta));
    check(o.iterationsWithoutProgress >= 1, "iterations without progress must be at least 1, got " +
                                                std::to_string(o.iterationsWithoutProgress));
    check(o.minGradNorm >= 0.0,
          "min gradient norm must be >= 0, got " + std::to_string(o.minGradNorm));
    check(o.threads >= 0, "threads must be >= 0, got " + std::to_string(o.threads));
    check(o.init != TsneInit::Pca || points.cols() >= 2,
          "PCA initialisation needs points with at least 2 columns, got " +
              std::to_string(points.cols()) + " (use TsneInit::Random)");
}

// scikit-learn's init='pca': the first two principal coordinates, scaled so the first has
// standard deviation 1e-4 (the scale of its random initialisation).
Embedding pcaInit(const RowMatrix& points) {
    const PcaResult fit = pca(points, 2);
    Embedding y = fit.projected.cast<double>();
    const double mean = y.col(0).mean();
    const double sd = std::sqrt((y.col(0).array() - mean).square().mean());
    if (sd > 0.0) {
        y *= 1e-4 / sd;
    }
    return y;
}

Embedding randomInit(Eigen::Index n, std::uint64_t seed) {
    Random random(seed);
    Embedding y(n, 2);
    for (Eigen::Index i = 0; i < n; ++i) {
        y(i, 0) = 1e-4 * random.normal();
        y(i, 1) = 1e-4 * random.normal();
    }
    return y;
}

// The gradient descent, scikit-learn's _gradient_descent run twice (exaggeration phase, then
// the rest). Runs on one thread; the gradient spreads its work over the team as tasks.
class Optimiser {
public:
    Optimiser(const TsneOptions& options, TsneProgress* progress, const std::atomic<bool>* cancel,
              Clock::time_point started)
        : m_options(options), m_progress(progress), m_cancel(cancel), m_started(started) {}

    // Runs the iterations on y with the gradient given by `gradientOf(exaggeration, computeKl,
    // gradient)`; fills the outcome, iteration count and divergence of `result`.
    template <typename GradientOf>
    void run(Embedding& y, const GradientOf& gradientOf, TsneResult& result) const {
        const TsneOptions& o = m_options;
        const Eigen::Index n = y.rows();
        Embedding gradient(n, 2);
        Embedding update = Embedding::Zero(n, 2);
        Embedding gains = Embedding::Ones(n, 2);
        double bestError = std::numeric_limits<double>::infinity();
        int bestIteration = 0;
        // scikit-learn's stopping rules end the phase they fire in: during the exaggeration
        // phase they end the exaggeration early (with the 1e-4-sized start, a vanishing
        // gradient often stops it at the first check), after it they end the run.
        int exaggerationEnd = o.exaggerationIterations;
        result.outcome = TsneOutcome::Completed;
        for (int it = 0; it < o.iterations; ++it) {
            if (m_cancel != nullptr && m_cancel->load(std::memory_order_relaxed)) {
                result.outcome = TsneOutcome::Cancelled;
                return;
            }
            const bool exploring = it < exaggerationEnd;
            if (it == exaggerationEnd && it > 0) {
                // The two phases are two fresh optimisations: the velocity, the gains and the
                // best error start over.
                update.setZero();
                gains.setOnes();
                bestError = std::numeric_limits<double>::infinity();
                bestIteration = it;
            }
            const double exaggeration = exploring ? o.earlyExaggeration : 1.0;
            const double momentum = exploring ? o.initialMomentum : o.finalMomentum;
            const bool checkpoint = (it + 1) % kCheckEvery == 0;
            const std::optional<double> kl =
                gradientOf(exaggeration, checkpoint || it + 1 == o.iterations, gradient);
            // Delta-bar-delta: a coordinate still moving the way the gradient points speeds
            // up, one that overshot slows down.
            for (Eigen::Index k = 0; k < gains.size(); ++k) {
                double& gain = gains.data()[k];
                gain = update.data()[k] * gradient.data()[k] < 0.0 ? gain + 0.2 : gain * 0.8;
                gain = std::max(gain, kMinGain);
            }
            gradient.array() *= gains.array();
            update = momentum * update - result.learningRate * gradient;
            y += update;
            result.iterations = it + 1;
            if (kl) {
                result.klDivergence = kl;
            }
            if (m_progress != nullptr) {
                TsneIteration report;
                report.iteration = it + 1;
                report.iterations = o.iterations;
                report.klDivergence = kl;
                report.exaggerated = exploring;
                report.elapsedSeconds =
                    std::chrono::duration<double>(Clock::now() - m_started).count();
                m_progress->onIteration(report);
            }
            if (checkpoint) {
                bool stop = false;
                if (*kl < bestError) {
                    bestError = *kl;
                    bestIteration = it;
                } else {
                    const int patience =
                        exploring ? o.exaggerationIterations : o.iterationsWithoutProgress;
                    stop = it - bestIteration > patience;
                }
                stop = stop || gradient.norm() <= o.minGradNorm;
                if (stop && exploring) {
                    exaggerationEnd = it + 1;
                } else if (stop) {
                    result.outcome = TsneOutcome::Converged;
                    return;
                }
            }
        }
    }

private:
    const TsneOptions& m_options;
    TsneProgress* m_progress;
    const std::atomic<bool>* m_cancel;
    Clock::time_point m_started;
};

} // namespace

TsneResult tsne(const RowMatrix& points, const TsneOptions& options, TsneProgress* progress,
                const std::atomic<bool>* cancel) {
    const auto started = Clock::now();
    validate(points, options);
    const Eigen::Index n = points.rows();
    const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();

    TsneResult result;
    result.method = options.method;
    if (result.method == TsneMethod::Auto) {
        result.method = n < kTsneExactBelow ? TsneMethod::Exact : TsneMethod::BarnesHut;
    }
    const bool exact = result.method == TsneMethod::Exact;
    result.learningRate = options.learningRate.value_or(
        std::max(static_cast<double>(n) / options.earlyExaggeration / 4.0, 50.0));

    const auto affinitiesStarted = Clock::now();
    const detail::RowMatrixD x = points.cast<double>();
    Eigen::MatrixXd denseP;
    detail::SparseAffinities sparseP;
    if (exact) {
        denseP = detail::denseAffinities(x, options.perplexity, threads);
    } else {
        const double neighbours =
            std::min(static_cast<double>(n - 1), std::floor(3.0 * options.perplexity + 1.0));
        detail::RowMonitor monitor;
        monitor.cancel = cancel;
        if (progress != nullptr) {
            monitor.progress = [progress](Eigen::Index done, Eigen::Index total) {
                progress->onAffinities(static_cast<long>(done), static_cast<long>(total));
            };
        }
        sparseP = detail::sparseAffinities(x, options.perplexity, static_cast<int>(neighbours),
                                           threads, monitor);
    }
    result.affinitySeconds =
        std::chrono::duration<double>(Clock::now() - affinitiesStarted).count();

    Embedding y = options.init == TsneInit::Pca ? pcaInit(points) : randomInit(n, options.seed);
    if (cancel != nullptr && cancel->load(std::memory_order_relaxed)) {
        // Set during the affinities (whose result is then incomplete) or just after.
        result.outcome = TsneOutcome::Cancelled;
        result.embedding = y.cast<float>();
        return result;
    }
    detail::GradientScratch scratch;
    int longestRow = 0;
    for (Eigen::Index i = 0; !exact && i < n; ++i) {
        longestRow = std::max(longestRow, sparseP.rowStart[i + 1] - sparseP.rowStart[i]);
    }
    scratch.prepare(n, threads, exact, longestRow);
    detail::QuadTree tree;
    const Optimiser optimiser(options, progress, cancel, started);
    const auto exactGradient = [&](double exaggeration, bool computeKl, Embedding& gradient) {
        return detail::exactGradient(denseP, exaggeration, y, computeKl, scratch, gradient);
    };
    const auto barnesHutGradient = [&](double exaggeration, bool computeKl, Embedding& gradient) {
        return detail::barnesHutGradient(sparseP, exaggeration, y, options.theta, computeKl, tree,
                                         scratch, gradient);
    };

    // The calling thread runs the iterations (so the progress sink is called on it) and the
    // rest of the team waits at the end of the region, running the gradient's tasks.
    std::exception_ptr failure;
#pragma omp parallel num_threads(threads)
    {
#pragma omp master
        {
            try {
                if (exact) {
                    optimiser.run(y, exactGradient, result);
                } else {
                    optimiser.run(y, barnesHutGradient, result);
                }
            } catch (...) {
                failure = std::current_exception(); // e.g. from the progress sink
            }
        }
    }
    if (failure) {
        std::rethrow_exception(failure);
    }
    result.embedding = y.cast<float>();
    return result;
}

} // namespace towerlab
