#include "features/timestamp_buckets.hpp"

#include "features/feature_error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace towerlab {

TimestampBuckets::TimestampBuckets(std::vector<float> boundaries)
    : m_boundaries(std::move(boundaries)) {
    if (m_boundaries.size() >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        throw FeatureError("TimestampBuckets",
                           "too many boundaries (" + std::to_string(m_boundaries.size()) + ")");
    }
    for (std::size_t i = 0; i < m_boundaries.size(); ++i) {
        if (!std::isfinite(m_boundaries[i])) {
            throw FeatureError("TimestampBuckets",
                               "boundary " + std::to_string(i) + " is not finite");
        }
        if (i > 0 && m_boundaries[i] < m_boundaries[i - 1]) {
            throw FeatureError("TimestampBuckets",
                               "boundaries not ascending at " + std::to_string(i) + " (" +
                                   std::to_string(m_boundaries[i - 1]) + " then " +
                                   std::to_string(m_boundaries[i]) + ")");
        }
    }
}

TimestampBuckets TimestampBuckets::fit(std::int64_t minTimestamp, std::int64_t maxTimestamp,
                                       int count) {
    if (count < 1) {
        throw FeatureError("TimestampBuckets",
                           "bucket count must be at least 1, got " + std::to_string(count));
    }
    if (minTimestamp > maxTimestamp) {
        throw FeatureError("TimestampBuckets", "min timestamp " + std::to_string(minTimestamp) +
                                                   " exceeds max " + std::to_string(maxTimestamp));
    }
    // The same operations in the same order as numpy.linspace, so each boundary is the
    // identical double before the float32 rounding TensorFlow applies.
    const auto start = static_cast<double>(minTimestamp);
    const auto stop = static_cast<double>(maxTimestamp);
    std::vector<float> boundaries(static_cast<std::size_t>(count));
    if (count == 1) {
        boundaries[0] = static_cast<float>(start);
        return TimestampBuckets(std::move(boundaries));
    }
    const double div = count - 1;
    const double delta = stop - start;
    const double step = delta / div;
    for (int i = 0; i < count; ++i) {
        // numpy takes the y / div * delta path when the step is 0; both give start exactly.
        const double y = step == 0.0 ? i / div * delta : i * step;
        boundaries[static_cast<std::size_t>(i)] = static_cast<float>(y + start);
    }
    boundaries.back() = static_cast<float>(stop);
    return TimestampBuckets(std::move(boundaries));
}

std::int32_t TimestampBuckets::bucket(std::int64_t timestamp) const {
    const auto x = static_cast<float>(timestamp);
    const auto it = std::upper_bound(m_boundaries.begin(), m_boundaries.end(), x);
    return static_cast<std::int32_t>(it - m_boundaries.begin());
}

Normalizer::Normalizer(double mean, double variance) : m_mean(mean), m_variance(variance) {
    if (!std::isfinite(mean)) {
        throw FeatureError("Normalizer", "mean is not finite");
    }
    if (!std::isfinite(variance) || variance < 0.0) {
        throw FeatureError("Normalizer",
                           "variance must be finite and >= 0, got " + std::to_string(variance));
    }
}

Normalizer Normalizer::fit(const std::vector<std::int64_t>& values) {
    if (values.empty()) {
        throw FeatureError("Normalizer", "cannot fit on no values");
    }
    const auto n = static_cast<double>(values.size());
    double sum = 0.0;
    for (const std::int64_t v : values) {
        sum += static_cast<double>(v);
    }
    const double mean = sum / n;
    // Second pass on deviations: Unix timestamps are ~1e9, so the one-pass E[x^2] - E[x]^2
    // would cancel away most of the variance's digits.
    double squares = 0.0;
    for (const std::int64_t v : values) {
        const double d = static_cast<double>(v) - mean;
        squares += d * d;
    }
    return Normalizer(mean, squares / n);
}

float Normalizer::apply(std::int64_t value) const {
    if (m_variance == 0.0) {
        return 0.0f;
    }
    return static_cast<float>((static_cast<double>(value) - m_mean) / std::sqrt(m_variance));
}

} // namespace towerlab
