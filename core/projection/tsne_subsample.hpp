#pragma once
// t-SNE of a large catalogue on a documented subsample: above kTsneFullRunLimit points a full
// Barnes-Hut run takes over a minute on a 2-core machine (62,000 movies: about 70-80 s), so by
// default the map embeds the kTsneFullRunLimit points that weigh most (the most-rated movies)
// and places every other point at the median position of its nearest embedded points in the
// original space, the way openTSNE starts new points before optimising them. The caller says
// so beside the map (tsneSubsampleNote) and offers the full run.

#include "projection/projection_types.hpp"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace towerlab {

// The most points t-SNE embeds by default, chosen by measurement (README, "t-SNE at scale"):
// 30,000 clustered 32-D points took 41 s on the 2-core development machine at a load of 4.
inline constexpr int kTsneFullRunLimit = 30'000;
// Each point left out is placed at the per-coordinate median of this many nearest embedded
// points.
inline constexpr int kTsnePlacementNeighbours = 10;

struct TsneSubsample {
    std::vector<int> embedded; // the rows t-SNE maps, ascending
    std::vector<int> placed;   // the other rows, ascending
    bool weighted = false;     // chosen by weight (else a seeded random sample)
    long total() const { return static_cast<long>(embedded.size() + placed.size()); }
    bool used() const { return !placed.empty(); }
};

// The rule. n <= limit (or limit <= 0, the full run): every row. Otherwise the `limit` rows of
// largest weight, ties to the lower row, when `weights` has n entries; with no weights (an
// empty vector), `limit` rows drawn with Random(seed). Throws ProjectionError when weights has
// another size than n or a weight is not finite.
TsneSubsample tsneSubsample(long n, const std::vector<double>& weights, int limit,
                            std::uint64_t seed = 1);

// The rows of `points` that t-SNE maps (subsample.embedded, in order).
RowMatrix embeddedRows(const RowMatrix& points, const TsneSubsample& subsample);

// The full N x 2 map: the rows of `embeddedMap` (one per subsample.embedded, in order) at
// their rows, every placed row at the per-coordinate median of its `neighbours` nearest
// embedded rows of `points` (exact Euclidean search, ties to the lower row). Runs on `threads`
// OpenMP threads (0 = the default); reads `cancel` (may be null) before every block of 64
// placed rows and returns an empty matrix when it was set.
RowMatrix placeSubsample(const RowMatrix& points, const TsneSubsample& subsample,
                         const RowMatrix& embeddedMap, int neighbours, int threads,
                         const std::atomic<bool>* cancel);

// One sentence for the map's status and the CLI: how many points were embedded, of how many,
// chosen how and why, and where the rest went (the caller adds how to ask for the full run);
// empty when no subsample was used. `noun` names
// the points ("movies", "users"), `weightedBy` the weight ("most-rated").
std::string tsneSubsampleNote(const TsneSubsample& subsample, const std::string& noun,
                              const std::string& weightedBy);

} // namespace towerlab
