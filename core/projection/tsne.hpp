#pragma once
// t-distributed stochastic neighbour embedding (van der Maaten & Hinton 2008) into 2-D,
// following scikit-learn's TSNE (1.2) step for step: perplexity-calibrated Gaussian affinities
// (on the 3 * perplexity + 1 nearest neighbours for Barnes-Hut), symmetrised; PCA
// initialisation scaled to a first-coordinate standard deviation of 1e-4; early exaggeration
// with momentum 0.5, then momentum 0.8; delta-bar-delta gains; the KL divergence checked
// every 50 iterations. The gradient is exact (O(N^2) per iteration) or Barnes-Hut with a
// quadtree (O(N log N)), the repulsive forces computed in parallel with OpenMP.
//
// Determinism: every point's force is computed on its own and every sum runs in a fixed
// order, so a given input, options and build give bit-identical results for any thread count.
//
// Thread-safety: tsne() shares no state; `cancel` may be set from any thread and is read before
// every iteration and, while the affinities are computed, before every block of points; the
// progress sink is called on the calling thread.

#include "projection/projection_types.hpp"

#include <atomic>
#include <cstdint>
#include <optional>

namespace towerlab {

// Exact: O(N^2) time per iteration and O(N^2) memory for P (N x N doubles), for small sets.
// BarnesHut: O(N log N) per iteration and O(N * perplexity) memory, for thousands of points.
enum class TsneMethod { Auto, Exact, BarnesHut };
enum class TsneInit { Pca, Random };

// Auto picks Exact below this many points and Barnes-Hut from it on.
inline constexpr int kTsneExactBelow = 600;

struct TsneOptions {
    double perplexity = 30.0; // > 0 and < the number of points
    // Step size; unset is scikit-learn's 'auto': max(N / earlyExaggeration / 4, 50).
    std::optional<double> learningRate;
    int iterations = 1000;            // >= 1, exaggeration phase included
    double earlyExaggeration = 12.0;  // >= 1, multiplies the affinities early on
    int exaggerationIterations = 250; // >= 0, with momentum initialMomentum
    double initialMomentum = 0.5;     // in [0, 1)
    double finalMomentum = 0.8;       // in [0, 1), after the exaggeration phase
    std::uint64_t seed = 0;           // drives TsneInit::Random (PCA init is seed-free)
    TsneMethod method = TsneMethod::Auto;
    double theta = 0.5;            // Barnes-Hut opening angle, >= 0 (0 = exact forces)
    TsneInit init = TsneInit::Pca; // Pca needs points with at least 2 columns
    // Stopping rules, checked every 50 iterations as scikit-learn does: no improvement of the
    // KL divergence for this many iterations, or a gradient norm at most minGradNorm. Like
    // scikit-learn, they end the phase they fire in: during the exaggeration phase they end
    // the exaggeration early (common: the gradient of the 1e-4-sized initial map is tiny),
    // after it they end the run (TsneOutcome::Converged).
    int iterationsWithoutProgress = 300;
    double minGradNorm = 1e-7;
    int threads = 0; // OpenMP threads; 0 = OpenMP's default
};

// One report per iteration.
struct TsneIteration {
    int iteration = 0;  // 1-based, iterations done so far
    int iterations = 0; // planned in all
    // Set every 50 iterations and on the last one; during the exaggeration phase it is the
    // divergence from the exaggerated affinities (as scikit-learn reports it).
    std::optional<double> klDivergence;
    bool exaggerated = false;    // this iteration was in the early-exaggeration phase
    double elapsedSeconds = 0.0; // since tsne() was called
};

// Called on the thread running tsne(). Implementations must be quick (copy and return).
class TsneProgress {
public:
    virtual ~TsneProgress() = default;
    // Barnes-Hut only, before the first iteration: the points whose nearest neighbours are
    // found so far, of all of them (at 62,000 points this phase takes seconds). Not called
    // for every block of points, and not necessarily for the last one.
    virtual void onAffinities(long /*done*/, long /*total*/) {}
    virtual void onIteration(const TsneIteration&) {}
};

enum class TsneOutcome {
    Completed, // ran all iterations
    Converged, // stopped early: no progress or a vanishing gradient (see TsneOptions)
    Cancelled, // the cancel flag was set; the embedding is the one after the last iteration
               // (the initial one when it was set while the affinities were computed: the
               // neighbour search reads it before every block of 64 points)
};

struct TsneResult {
    RowMatrix embedding; // N x 2
    TsneOutcome outcome = TsneOutcome::Completed;
    int iterations = 0;                    // iterations run
    std::optional<double> klDivergence;    // the last one computed (none when cancelled early)
    TsneMethod method = TsneMethod::Exact; // the one used (Auto resolved)
    double learningRate = 0.0;             // the one used ('auto' resolved)
    // Wall-clock seconds of the input affinities (neighbours and perplexity calibration), the
    // part before the first iteration; the bench and the CLI report it apart from the descent.
    double affinitySeconds = 0.0;
};

// Embeds the points (one per row, at least 2) into 2-D. `progress` and `cancel` may be null.
// Throws ProjectionError for non-finite points and out-of-range options (the message names
// the option and its value).
TsneResult tsne(const RowMatrix& points, const TsneOptions& options, TsneProgress* progress,
                const std::atomic<bool>* cancel);

} // namespace towerlab
