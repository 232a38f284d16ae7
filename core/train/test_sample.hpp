#pragma once
// Which test examples an evaluation ranks. Ranking every test query against a 62k catalogue
// costs minutes at 25M ratings, so evaluations rank a fixed sample instead: the same examples
// at every evaluation epoch, in a saved model's `evaluate` and in every run with the same
// seed, so sampled metrics stay comparable between epochs and runs.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace towerlab {

// The sample of `wanted` of `examples` (e.g. a split's test rating indices) for `seed`: a
// subset without repeats, in the examples' own order. wanted = 0 (TrainConfig::kAllTestQueries)
// or wanted >= examples.size() gives every example, unchanged. Deterministic for (examples,
// wanted, seed) on every platform (util/random.hpp); the seed is mixed with a constant of its
// own so the sample does not correlate with the split or the shuffles drawn from the same seed.
std::vector<std::int32_t> sampleTestExamples(std::span<const std::int32_t> examples,
                                             std::size_t wanted, std::uint64_t seed);

} // namespace towerlab
