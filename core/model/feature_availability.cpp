#include "model/feature_availability.hpp"

namespace towerlab {

FeatureSet availableFeatures(const Dataset& dataset) {
    FeatureSet f = FeatureSet::none();
    for (const FeatureDescriptor& d : kFeatureTable) {
        f.set(d.id, d.unavailableBecause(dataset).empty());
    }
    return f;
}

std::vector<UnavailableFeature> unavailableFeatures(const Dataset& dataset,
                                                    const FeatureSet& wanted) {
    std::vector<UnavailableFeature> missing;
    for (const FeatureDescriptor& d : kFeatureTable) {
        if (wanted.has(d.id)) {
            if (std::string reason = d.unavailableBecause(dataset); !reason.empty()) {
                missing.push_back({std::string(d.name), std::move(reason)});
            }
        }
    }
    return missing;
}

FeatureAvailability::FeatureAvailability(const Dataset& dataset) {
    for (const FeatureDescriptor& d : kFeatureTable) {
        m_reasons[static_cast<std::size_t>(d.id)] = d.unavailableBecause(dataset);
    }
}

FeatureSet FeatureAvailability::available() const {
    FeatureSet f = FeatureSet::none();
    for (const FeatureDescriptor& d : kFeatureTable) {
        f.set(d.id, m_reasons[static_cast<std::size_t>(d.id)].empty());
    }
    return f;
}

std::vector<UnavailableFeature> FeatureAvailability::unavailable(const FeatureSet& wanted) const {
    std::vector<UnavailableFeature> missing;
    for (const FeatureDescriptor& d : kFeatureTable) {
        const std::string& reason = m_reasons[static_cast<std::size_t>(d.id)];
        if (wanted.has(d.id) && !reason.empty()) {
            missing.push_back({std::string(d.name), reason});
        }
    }
    return missing;
}

void requireAvailableFeatures(const Dataset& dataset, const FeatureSet& wanted) {
    const auto missing = unavailableFeatures(dataset, wanted);
    if (missing.empty()) {
        return;
    }
    // Features missing for the same reason (all the demographics) are named together and the
    // reason said once.
    std::string message;
    for (std::size_t i = 0; i < missing.size();) {
        std::size_t j = i;
        std::string names;
        while (j < missing.size() && missing[j].reason == missing[i].reason) {
            names += names.empty() ? "" : ", ";
            names += missing[j].name;
            ++j;
        }
        message += message.empty() ? "" : "; ";
        message += names + (j - i == 1 ? " is" : " are") + " not available: " + missing[i].reason;
        i = j;
    }
    const FeatureSet available = availableFeatures(dataset);
    const Tower tower = findFeature(missing.front().name)->tower;
    throw ConfigError(tower == Tower::Query ? "user-features" : "movie-features",
                      message + "; available " + (tower == Tower::Query ? "user" : "movie") +
                          " features: " + available.list(tower));
}

FeatureSet defaultFeatures(const Dataset& dataset) {
    const FeatureSet available = availableFeatures(dataset);
    FeatureSet f = FeatureSet::none();
    bool userFallback = false;
    for (const FeatureDescriptor& d : kFeatureTable) {
        if (d.tutorial) {
            f.set(d.id, available.has(d.id));
            userFallback = userFallback || (d.tower == Tower::Query && !available.has(d.id));
        }
    }
    for (const FeatureDescriptor& d : kFeatureTable) {
        if (d.fallback && userFallback && d.tower == Tower::Query && available.has(d.id)) {
            f.set(d.id);
        }
    }
    return f;
}

FeatureSet withDefaultUserFeatures(const Dataset& dataset, FeatureSet chosen) {
    const FeatureSet d = defaultFeatures(dataset);
    for (const FeatureDescriptor& f : kFeatureTable) {
        if (f.tower == Tower::Query) {
            chosen.set(f.id, d.has(f.id));
        }
    }
    return chosen;
}

} // namespace towerlab
