#pragma once
// How well a projection keeps neighbourhoods: penalises points that are among a point's k
// nearest neighbours in the projection but not in the original space.

#include "projection/projection_types.hpp"

#include <cstdint>
#include <vector>

namespace towerlab {

// scikit-learn's sklearn.manifold.trustworthiness with the Euclidean metric:
//   T(k) = 1 - 2 / (n k (2n - 3k - 1)) * sum_i sum_{j in N_k(i)} max(0, r(i, j) - k)
// where N_k(i) are i's k nearest neighbours in `low` and r(i, j) is j's rank (1 = nearest)
// among i's neighbours in `high`. In [0, 1] in practice; 1 means every projected neighbour
// is a true one. Ties in distance go to the lower index (scikit-learn leaves them to its sort).
// Distances are computed in double straight from the coordinate differences. O(N^2 (D + log k))
// time, O(N) memory per thread; rows run on OpenMP's default thread count, and the result
// does not depend on it.
// Throws ProjectionError when the row counts differ, a value is not finite, or k is not in
// [1, n / 2) (scikit-learn's limit).
double trustworthiness(const RowMatrix& high, const RowMatrix& low, int k);

// The same over a sample of the points: the sum runs over `rows` only (each still ranked
// against all n points) and is normalised by their count instead of n, an unbiased estimate
// of T(k) in O(m N (D + log k)) for m rows. With every row it is trustworthiness() exactly.
// Throws ProjectionError as above, and for an empty list or a row out of [0, n).
double trustworthiness(const RowMatrix& high, const RowMatrix& low, int k,
                       const std::vector<int>& rows);

// How many points a map's trustworthiness is measured on at most (the GUI and the CLI): the
// whole measure is O(N^2), minutes at 62,000 points; 2,000 sampled rows cost 2,000 / N of it.
inline constexpr int kTrustworthinessSampleRows = 2000;

// The rows to measure: every row when n <= limit, else `limit` distinct rows drawn with
// Random(seed) (a partial Fisher-Yates shuffle), ascending.
std::vector<int> trustworthinessSample(long n, int limit, std::uint64_t seed = 1);

} // namespace towerlab
