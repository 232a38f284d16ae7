#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace towerlab {

struct TrainTestSplit {
    std::vector<std::int32_t> train; // indices into Dataset::ratings
    std::vector<std::int32_t> test;
};

// Shuffles 0..n-1 with the seed, then the first round(n * trainFraction) are train and the
// rest test (TFRS: shuffle(seed), take(80_000), skip(80_000)). Deterministic everywhere.
// Both parts are kept non-empty (the train size is clamped to 1..n-1). Throws
// std::invalid_argument when trainFraction is not inside (0, 1) or n < 2.
TrainTestSplit splitRatings(std::size_t n, std::uint64_t seed, double trainFraction = 0.8);

} // namespace towerlab
