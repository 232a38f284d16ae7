#pragma once
// How a dataset's ratings are divided into a training and a test part. Two kinds:
//
// - random (the tutorial's): a seeded shuffle, then the first part trains and the rest
//   tests, as TFRS's shuffle(seed) + take/skip. Test ratings come from every month, so the
//   model learns from ratings made after the ones it is tested on ("it sees the future").
// - time: the ratings ordered by timestamp; the earliest part trains, the latest tests. The
//   question becomes "can the model predict what comes next?".
//
// Both use the same sizes: round(n * trainFraction) train ratings (halves away from zero),
// clamped to 1 .. n - 1 so neither part is empty.
//
// Which split a model uses is part of its TrainConfig; everything that rebuilds a model's
// split (the trainer, evaluation, the seen-movie exclusions, the CLI, the GUI's real users)
// goes through splitForTraining() in model/training_split.hpp, which calls these.

#include "data/data_error.hpp"
#include "data/dataset.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace towerlab {

struct TrainTestSplit {
    std::vector<std::int32_t> train; // indices into Dataset::ratings
    std::vector<std::int32_t> test;
};

enum class SplitKind { Random, Time };
std::string splitKindName(SplitKind kind); // "random", "time"
// The kind of a name splitKindName() gives; nullopt for any other text.
std::optional<SplitKind> splitKindFromName(std::string_view name);

// The number of training ratings out of n: round(n * trainFraction), clamped to 1 .. n - 1.
// Precondition: n >= 2 and trainFraction inside (0, 1).
std::size_t trainSizeOf(std::size_t n, double trainFraction);

// The random split. Shuffles 0..n-1 with the seed, then the first trainSizeOf(n) are train
// and the rest test (TFRS: shuffle(seed), take(80_000), skip(80_000)). Deterministic
// everywhere. Throws DatasetError when n < 2 (or n needs more than 32-bit indices).
// Precondition: trainFraction is inside (0, 1), as TrainConfig::validate() ensures.
TrainTestSplit splitRatings(std::size_t n, std::uint64_t seed, double trainFraction = 0.8);

// The time split of ratings with these timestamps (timestamps[i] is rating i's). The ratings
// are put in order of timestamp, ties in source order (a stable sort by timestamp, i.e. by
// the pair (timestamp, index)); the first trainSizeOf(n) of that order are train, the rest
// test. So every train timestamp is <= every test timestamp: nothing after the cut is
// learned from. Ratings that share the cut's timestamp may fall on both sides; among them the
// earlier in source order train. Both parts list indices in that time order. No seed: the
// same ratings always give the same split. Throws DatasetError as splitRatings does.
TrainTestSplit splitRatingsByTime(std::span<const std::int64_t> timestamps,
                                  double trainFraction = 0.8);

// The split of kind `kind` of the dataset's ratings (the seed matters only for Random).
TrainTestSplit splitDatasetRatings(const Dataset& dataset, SplitKind kind, std::uint64_t seed,
                                   double trainFraction);

} // namespace towerlab
