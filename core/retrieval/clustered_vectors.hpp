#pragma once
// Seeded catalogues of candidate vectors shaped like a trained two-tower model's, for the HNSW
// bench and tests where a real catalogue of that size does not exist: directions gathered
// around a few taste clusters, lengths growing with a Zipf-like popularity (a trained model
// gives popular movies longer vectors), and queries drawn around the same clusters.

#include "nn/tensor.hpp"

#include <cstdint>

namespace towerlab {

struct ClusteredVectorsSpec {
    int rows = 10'000;
    int dim = 32;
    int clusters = 64;   // taste directions, sizes skewed (cluster c has weight 1/(c+1))
    double spread = 0.6; // noise around a cluster direction, per coordinate, relative to it
    std::uint64_t seed = 1;
};

// Candidate vectors: row i = length_i * unit(center_c + spread * noise / sqrt(dim)), with
// length_i = 1 + 0.25 * log(1 + 1000 / r_i), r_i the movie's popularity rank (a random
// permutation of 1..rows). Throws std::invalid_argument for rows, dim or clusters < 1.
RowMatrix clusteredCandidates(const ClusteredVectorsSpec& spec);
// Unit-length queries around the same cluster directions (the same seed gives the same
// centres as clusteredCandidates), drawn with their own stream of `querySeed`.
RowMatrix clusteredQueries(const ClusteredVectorsSpec& spec, int count, std::uint64_t querySeed);

} // namespace towerlab
