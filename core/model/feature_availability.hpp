#pragma once
// Which features a dataset can feed: the one answer the CLI, the GUI form and the Trainer
// share, so they offer, default to and refuse the same features.

#include "data/dataset.hpp"
#include "model/model_config.hpp"

#include <array>
#include <string>
#include <vector>

namespace towerlab {

// A feature the dataset cannot feed, with why (for a message or a tooltip).
struct UnavailableFeature {
    std::string name;   // as in FeatureSet's lists: "age", "occupation", "gender", ...
    std::string reason; // "MovieLens latest (small) has no user demographics"
};

// Every feature the dataset can feed switched on (the offer of a form): each feature of the
// table whose unavailableBecause(dataset) is empty.
FeatureSet availableFeatures(const Dataset& dataset);

// The selection of `wanted` the dataset cannot feed, in FeatureSet's order; empty when all
// of it is available.
std::vector<UnavailableFeature> unavailableFeatures(const Dataset& dataset,
                                                    const FeatureSet& wanted);

// The same answers for every feature of one dataset, checked once. Some checks scan the users
// or the movies (whether any of MovieLens 25M's 162,000 users has a US zip code, about 1.5 ms),
// and a window asks from several places when a dataset opens: it has them checked once, on its
// loading thread. Immutable, so safe to share between threads.
class FeatureAvailability {
public:
    FeatureAvailability() = default; // nothing checked: every feature available
    explicit FeatureAvailability(const Dataset& dataset);

    // availableFeatures(dataset) and unavailableFeatures(dataset, wanted) of that dataset.
    FeatureSet available() const;
    std::vector<UnavailableFeature> unavailable(const FeatureSet& wanted) const;

private:
    std::array<std::string, kFeatureCount> m_reasons; // per FeatureId; empty: available
};

// Throws ConfigError (field "user-features" or "movie-features", the first unavailable
// feature's tower) naming each unavailable feature of `wanted` and its reason; does nothing
// when all are available.
void requireAvailableFeatures(const Dataset& dataset, const FeatureSet& wanted);

// The default selection for a dataset: the tutorial's features it can feed; when it cannot
// feed one of the tutorial's user features, the table's fallback features too. For a dataset
// without demographics that is user_id, timestamp_bucket and timestamp_norm with the
// tutorial's movie features (title_id, title_text).
FeatureSet defaultFeatures(const Dataset& dataset);

// `chosen` with its user-tower features replaced by those of defaultFeatures(dataset) and
// its movie features kept (for a caller whose user set no user features).
FeatureSet withDefaultUserFeatures(const Dataset& dataset, FeatureSet chosen);

} // namespace towerlab
