#pragma once

#include "data/data_error.hpp"
#include "data/dataset.hpp"

#include <cstdint>

namespace towerlab {

struct DemoDatasetOptions {
    int users = 1200;
    int movies = 400;
    int ratingsPerUser = 50;       // average; each user gets 20..(2*avg-20)
    std::uint64_t seed = 20240601; // the shipped demo is always this seed
};

// The built-in MovieLens-shaped demo dataset with planted structure: genre tastes depend on
// age, occupation, gender and on time; title words carry genre. Deterministic for a seed.
// See datasets/README.md for how it is made.
Dataset makeDemoDataset(const DemoDatasetOptions& options = {});

} // namespace towerlab
