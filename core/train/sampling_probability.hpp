#pragma once
// The sampling probability p(j) of a candidate, for the logQ correction S[i][j] - log p(j) of
// TFRS's Retrieval task (layers.loss.SamplingProbablityCorrection).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace towerlab {

// TFRS's bounds on p before the log (tf.clip_by_value(p, 1e-6, 1.)): a movie never seen
// cannot make the correction infinite.
inline constexpr double kMinSamplingProbability = 1e-6;

// log(clip(p, 1e-6, 1)), rounded to float like the logits it is subtracted from.
float clippedLogProbability(double p);

// The default p: each movie's share of the training examples, counts[m] / examples, as the
// clipped log. `examples` > 0.
std::vector<float> frequencyLogProbabilities(std::span<const std::int32_t> counts,
                                             std::size_t examples);

// The streaming frequency estimate of Yi et al., "Sampling-Bias-Corrected Neural Modeling for
// Large Corpus Item Recommendations" (RecSys 2019), Algorithm 2, with one slot per movie
// instead of a hash: at training step t (1, 2, ... over the whole run) every movie j of the
// batch does
//     A[j] <- (1 - α) A[j] + α (t - B[j]),   B[j] <- t,
// and p(j) = 1 / A[j]: A estimates how many steps pass between two batches holding j, so p is
// the chance that a batch holds it. A movie counts once per batch (a second copy would add a
// gap of 0 steps). Initial values, which the paper leaves open: B = 0 and A = `initialGap`,
// TowerLab's batches per epoch, i.e. "seen about once an epoch" until the data says otherwise.
class StreamingFrequencyEstimate {
public:
    StreamingFrequencyEstimate() = default;
    StreamingFrequencyEstimate(std::size_t movies, double alpha, double initialGap);

    // One training step over the batch's movies (indices < movies).
    void observe(std::span<const std::int32_t> batchMovies);
    double probability(std::int32_t movie) const {
        return 1.0 / m_gap[static_cast<std::size_t>(movie)];
    }
    std::int64_t steps() const { return m_step; }

private:
    double m_alpha = 0.01;
    std::int64_t m_step = 0;
    std::vector<double> m_gap;            // A
    std::vector<std::int64_t> m_lastStep; // B
};

} // namespace towerlab
