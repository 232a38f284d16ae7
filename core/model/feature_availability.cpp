#include "model/feature_availability.hpp"

namespace towerlab {

namespace {

std::string noDemographicsReason(const Dataset& dataset) {
    return "the dataset \"" + dataset.name +
           "\" has no user demographics (age, occupation and gender are unknown)";
}

} // namespace

FeatureSet availableFeatures(const Dataset& dataset) {
    FeatureSet f;
    f.userId = true;
    f.genres = true;
    if (!dataset.hasDemographics) {
        f.age = false;
        f.occupation = false;
        f.gender = false;
    }
    return f;
}

std::vector<UnavailableFeature> unavailableFeatures(const Dataset& dataset,
                                                    const FeatureSet& wanted) {
    std::vector<UnavailableFeature> missing;
    if (!dataset.hasDemographics) {
        const std::string reason = noDemographicsReason(dataset);
        if (wanted.age) {
            missing.push_back({"age", reason});
        }
        if (wanted.occupation) {
            missing.push_back({"occupation", reason});
        }
        if (wanted.gender) {
            missing.push_back({"gender", reason});
        }
    }
    return missing;
}

void requireAvailableFeatures(const Dataset& dataset, const FeatureSet& wanted) {
    const auto missing = unavailableFeatures(dataset, wanted);
    if (missing.empty()) {
        return;
    }
    std::string names;
    for (const auto& m : missing) {
        names += names.empty() ? "" : ", ";
        names += m.name;
    }
    // Every current reason is the same (no demographics); the message says it once.
    throw ConfigError("user-features", names + (missing.size() == 1 ? " is" : " are") +
                                           " not available: " + missing.front().reason +
                                           "; available user features: " +
                                           availableFeatures(dataset).userFeatureList());
}

FeatureSet defaultFeatures(const Dataset& dataset) {
    FeatureSet f;
    if (!dataset.hasDemographics) {
        f.age = false;
        f.occupation = false;
        f.gender = false;
        f.userId = true;
    }
    return f;
}

FeatureSet withDefaultUserFeatures(const Dataset& dataset, FeatureSet chosen) {
    const FeatureSet d = defaultFeatures(dataset);
    chosen.age = d.age;
    chosen.occupation = d.occupation;
    chosen.gender = d.gender;
    chosen.timestampBucket = d.timestampBucket;
    chosen.timestampNorm = d.timestampNorm;
    chosen.userId = d.userId;
    return chosen;
}

} // namespace towerlab
