#include "train/test_sample.hpp"

#include "util/random.hpp"

#include <algorithm>
#include <numeric>

namespace towerlab {

std::vector<std::int32_t> sampleTestExamples(std::span<const std::int32_t> examples,
                                             std::size_t wanted, std::uint64_t seed) {
    const std::size_t n = examples.size();
    if (wanted == 0 || wanted >= n) {
        return {examples.begin(), examples.end()};
    }
    // Partial Fisher-Yates over positions: the first `wanted` swaps choose a uniform subset.
    // Positions, not values, are shuffled so repeated values in `examples` stay distinct.
    Random random(seed ^ 0x7E575A3D1E5EEDULL);
    std::vector<std::size_t> positions(n);
    std::iota(positions.begin(), positions.end(), std::size_t{0});
    for (std::size_t i = 0; i < wanted; ++i) {
        const auto j = i + static_cast<std::size_t>(random.below(n - i));
        std::swap(positions[i], positions[j]);
    }
    positions.resize(wanted);
    std::sort(positions.begin(), positions.end()); // the examples' own order
    std::vector<std::int32_t> out(wanted);
    for (std::size_t i = 0; i < wanted; ++i) {
        out[i] = examples[positions[i]];
    }
    return out;
}

} // namespace towerlab
