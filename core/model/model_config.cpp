#include "model/model_config.hpp"

#include <cmath>
#include <sstream>
#include <utility>

namespace towerlab {

namespace {

struct FlagName {
    const char* name;
    bool FeatureSet::* flag;
};
constexpr FlagName kUserFlags[] = {
    {"age", &FeatureSet::age},
    {"occupation", &FeatureSet::occupation},
    {"gender", &FeatureSet::gender},
    {"timestamp_bucket", &FeatureSet::timestampBucket},
    {"timestamp_norm", &FeatureSet::timestampNorm},
    {"user_id", &FeatureSet::userId},
};
constexpr FlagName kMovieFlags[] = {
    {"title_id", &FeatureSet::titleId},
    {"title_text", &FeatureSet::titleText},
    {"genres", &FeatureSet::genres},
};

template <std::size_t N>
std::string listOf(const FeatureSet& set, const FlagName (&flags)[N]) {
    std::string out;
    for (const auto& f : flags) {
        if (set.*(f.flag)) {
            out += out.empty() ? "" : ",";
            out += f.name;
        }
    }
    return out;
}

template <std::size_t N>
void setFrom(FeatureSet& set, const FlagName (&flags)[N], const std::string& list,
             const char* field) {
    FeatureSet updated = set;
    for (const auto& f : flags) {
        updated.*(f.flag) = false;
    }
    std::stringstream in(list);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto b = item.find_first_not_of(" \t");
        const auto e = item.find_last_not_of(" \t");
        if (b == std::string::npos) {
            continue;
        }
        item = item.substr(b, e - b + 1);
        bool found = false;
        for (const auto& f : flags) {
            if (item == f.name) {
                updated.*(f.flag) = true;
                found = true;
            }
        }
        if (!found) {
            std::string known;
            for (const auto& f : flags) {
                known += known.empty() ? "" : ", ";
                known += f.name;
            }
            throw ConfigError(field, "unknown feature \"" + item + "\" (known: " + known + ")");
        }
    }
    set = updated;
}

} // namespace

ConfigError::ConfigError(std::string field, const std::string& reason)
    : std::runtime_error(field + ": " + reason), m_field(std::move(field)) {}

bool FeatureSet::anyUserFeature() const {
    return age || occupation || gender || timestampBucket || timestampNorm || userId;
}
bool FeatureSet::anyMovieFeature() const { return titleId || titleText || genres; }
std::string FeatureSet::userFeatureList() const { return listOf(*this, kUserFlags); }
std::string FeatureSet::movieFeatureList() const { return listOf(*this, kMovieFlags); }
void FeatureSet::setUserFeatures(const std::string& commaList) {
    setFrom(*this, kUserFlags, commaList, "user-features");
}
void FeatureSet::setMovieFeatures(const std::string& commaList) {
    setFrom(*this, kMovieFlags, commaList, "movie-features");
}

void ModelConfig::validate() const {
    if (!features.anyUserFeature()) {
        throw ConfigError("user-features", "the query tower needs at least one user feature");
    }
    if (!features.anyMovieFeature()) {
        throw ConfigError("movie-features",
                          "the candidate tower needs at least one movie feature");
    }
    if (embeddingDim < 1 || embeddingDim > 1024) {
        throw ConfigError("embedding-dim", "must be between 1 and 1024, got " +
                                               std::to_string(embeddingDim));
    }
    if (layers.empty()) {
        throw ConfigError("layers", "needs at least one layer size, e.g. 32 or 64,32");
    }
    if (layers.size() > 8) {
        throw ConfigError("layers", "at most 8 layers, got " + std::to_string(layers.size()));
    }
    for (const int size : layers) {
        if (size < 1 || size > 4096) {
            throw ConfigError("layers", "each layer size must be between 1 and 4096, got " +
                                            std::to_string(size));
        }
    }
}

std::string optimizerName(OptimizerKind kind) {
    switch (kind) {
    case OptimizerKind::Adagrad:
        return "adagrad";
    case OptimizerKind::Adam:
        return "adam";
    case OptimizerKind::Sgd:
        return "sgd";
    }
    return "adagrad";
}

OptimizerKind parseOptimizer(const std::string& name) {
    if (name == "adagrad") {
        return OptimizerKind::Adagrad;
    }
    if (name == "adam") {
        return OptimizerKind::Adam;
    }
    if (name == "sgd") {
        return OptimizerKind::Sgd;
    }
    throw ConfigError("optimizer", "unknown optimizer \"" + name + "\" (adagrad, adam or sgd)");
}

double defaultLearningRate(OptimizerKind kind) {
    switch (kind) {
    case OptimizerKind::Adagrad:
        return 0.1;
    case OptimizerKind::Adam:
        return 0.001;
    case OptimizerKind::Sgd:
        return 0.01;
    }
    return 0.1;
}

void TrainConfig::validate() const {
    if (!std::isfinite(learningRate) || learningRate <= 0.0 || learningRate > 1e6) {
        std::ostringstream s;
        s << "must be a positive number up to 1e6, got " << learningRate;
        throw ConfigError("lr", s.str());
    }
    if (batchSize < 1 || batchSize > 65536) {
        throw ConfigError("batch", "must be between 1 and 65536, got " + std::to_string(batchSize));
    }
    if (epochs < 1 || epochs > 100000) {
        throw ConfigError("epochs", "must be between 1 and 100000, got " + std::to_string(epochs));
    }
    if (evalEvery < 0) {
        throw ConfigError("eval-every", "must be 0 (only at the end) or more, got " +
                                            std::to_string(evalEvery));
    }
    if (!(trainFraction > 0.0 && trainFraction < 1.0)) {
        throw ConfigError("train-fraction", "must be strictly between 0 and 1");
    }
    if (threads < 0 || threads > 256) {
        throw ConfigError("threads", "must be 0 (all cores) to 256, got " + std::to_string(threads));
    }
}

} // namespace towerlab
