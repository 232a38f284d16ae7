#pragma once
// How well a projection keeps neighbourhoods: penalises points that are among a point's k
// nearest neighbours in the projection but not in the original space.

#include "projection/projection_types.hpp"

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

} // namespace towerlab
