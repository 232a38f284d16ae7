#pragma once
// A portable random source: the standard distributions are implementation-defined, so runs
// would differ between standard libraries. These are fixed algorithms, so a seed means the
// same numbers everywhere.

#include <cstddef>
#include <cstdint>
#include <utility>

namespace towerlab {

// SplitMix64 seeding + xoshiro256** generator.
class Random {
public:
    explicit Random(std::uint64_t seed);

    std::uint64_t next();
    // Uniform in [0, 1) with 24 bits (float) or 53 bits (double).
    float uniformFloat();
    double uniformDouble();
    // Uniform in [lo, hi).
    float uniform(float lo, float hi) { return lo + (hi - lo) * uniformFloat(); }
    // Unbiased integer in [0, n), n > 0 (Lemire's method).
    std::uint64_t below(std::uint64_t n);
    // Standard normal (Box-Muller, no cached second value).
    double normal();

    // Fisher-Yates shuffle of a random-access range.
    template <typename It> void shuffle(It first, It last) {
        const auto n = static_cast<std::uint64_t>(last - first);
        for (std::uint64_t i = n; i > 1; --i) {
            const auto j = below(i);
            using std::swap;
            swap(first[i - 1], first[j]);
        }
    }

private:
    std::uint64_t m_s[4];
};

} // namespace towerlab
