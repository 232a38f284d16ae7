#pragma once

#include "features/feature_error.hpp"

#include <cstdint>
#include <vector>

namespace towerlab {

// Keras Discretization over linspace(min, max, count) boundaries. TensorFlow compares in
// float32, so boundaries and timestamps are rounded to float32 first. bucket(x) = number of
// boundaries <= x, 0..count; an embedding over it has count + 1 rows.
class TimestampBuckets {
public:
    TimestampBuckets() = default;
    // Boundaries must be finite and non-decreasing (float32 rounding of a narrow linspace can
    // repeat a value); throws FeatureError otherwise. Empty = every bucket is 0.
    explicit TimestampBuckets(std::vector<float> boundaries);
    // numpy.linspace(min, max, count) in double (start + i * step, the last exactly max), then
    // rounded to float32. Throws FeatureError for count < 1 or min > max.
    static TimestampBuckets fit(std::int64_t minTimestamp, std::int64_t maxTimestamp,
                                int count = 1000);

    // Number of boundaries <= float32(timestamp): 0 below the first, count at or above the
    // last. Thread-safe, no allocation.
    std::int32_t bucket(std::int64_t timestamp) const;
    std::size_t tableRows() const { return m_boundaries.size() + 1; }
    const std::vector<float>& boundaries() const { return m_boundaries; }

private:
    std::vector<float> m_boundaries;
};

// Keras Normalization: (x - mean) / sqrt(variance), statistics over all ratings' timestamps
// (population variance). A zero variance maps every value to 0.
class Normalizer {
public:
    Normalizer() = default;
    // Throws FeatureError for a non-finite mean or a negative or non-finite variance.
    Normalizer(double mean, double variance);
    // Mean and population variance computed in double (two passes); throws
    // FeatureError for no values.
    static Normalizer fit(const std::vector<std::int64_t>& values);

    // float((value - mean) / sqrt(variance)), 0 when the variance is 0.
    float apply(std::int64_t value) const;
    double mean() const { return m_mean; }
    double variance() const { return m_variance; }

private:
    double m_mean = 0.0;
    double m_variance = 1.0;
};

} // namespace towerlab
