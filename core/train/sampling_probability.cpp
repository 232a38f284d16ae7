#include "train/sampling_probability.hpp"

#include <algorithm>
#include <cmath>

namespace towerlab {

float clippedLogProbability(double p) {
    return static_cast<float>(std::log(std::clamp(p, kMinSamplingProbability, 1.0)));
}

std::vector<float> frequencyLogProbabilities(std::span<const std::int32_t> counts,
                                             std::size_t examples) {
    std::vector<float> out(counts.size());
    const double total = static_cast<double>(examples);
    for (std::size_t m = 0; m < counts.size(); ++m) {
        out[m] = clippedLogProbability(static_cast<double>(counts[m]) / total);
    }
    return out;
}

StreamingFrequencyEstimate::StreamingFrequencyEstimate(std::size_t movies, double alpha,
                                                       double initialGap)
    : m_alpha(alpha), m_gap(movies, initialGap), m_lastStep(movies, 0) {}

void StreamingFrequencyEstimate::observe(std::span<const std::int32_t> batchMovies) {
    ++m_step;
    for (const std::int32_t movie : batchMovies) {
        const auto m = static_cast<std::size_t>(movie);
        if (m_lastStep[m] == m_step) {
            continue; // already counted in this batch
        }
        const auto gap = static_cast<double>(m_step - m_lastStep[m]);
        m_gap[m] = (1.0 - m_alpha) * m_gap[m] + m_alpha * gap;
        m_lastStep[m] = m_step;
    }
}

} // namespace towerlab
