#include "model/model_config.hpp"

#include <cmath>
#include <optional>
#include <sstream>
#include <utility>

namespace towerlab {

namespace {

const char* listField(Tower tower) {
    return tower == Tower::Query ? "user-features" : "movie-features";
}

} // namespace

FeatureSet::FeatureSet() {
    for (const FeatureDescriptor& f : kFeatureTable) {
        set(f.id, f.tutorial);
    }
}

FeatureSet FeatureSet::none() {
    FeatureSet f;
    f.m_bits = 0;
    return f;
}

FeatureSet FeatureSet::all() {
    FeatureSet f;
    for (const FeatureDescriptor& d : kFeatureTable) {
        f.set(d.id);
    }
    return f;
}

void FeatureSet::set(FeatureId id, bool on) {
    const std::uint32_t bit = 1u << static_cast<unsigned>(id);
    m_bits = on ? (m_bits | bit) : (m_bits & ~bit);
}

std::vector<FeatureId> FeatureSet::enabled(Tower tower) const {
    std::vector<FeatureId> out;
    for (const FeatureDescriptor& f : kFeatureTable) {
        if (f.tower == tower && has(f.id)) {
            out.push_back(f.id);
        }
    }
    return out;
}

bool FeatureSet::any(Tower tower) const {
    for (const FeatureDescriptor& f : kFeatureTable) {
        if (f.tower == tower && has(f.id)) {
            return true;
        }
    }
    return false;
}

std::string FeatureSet::list(Tower tower) const {
    std::string out;
    for (const FeatureId id : enabled(tower)) {
        out += out.empty() ? "" : ",";
        out += describe(id).name;
    }
    return out;
}

void FeatureSet::setList(Tower tower, const std::string& commaList) {
    FeatureSet updated = *this;
    for (const FeatureDescriptor& f : kFeatureTable) {
        if (f.tower == tower) {
            updated.set(f.id, false);
        }
    }
    std::stringstream in(commaList);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto b = item.find_first_not_of(" \t");
        const auto e = item.find_last_not_of(" \t");
        if (b == std::string::npos) {
            continue;
        }
        item = item.substr(b, e - b + 1);
        const FeatureDescriptor* f = findFeature(item);
        if (f == nullptr || f->tower != tower) {
            std::string known;
            for (const FeatureDescriptor& k : kFeatureTable) {
                if (k.tower == tower) {
                    known += known.empty() ? "" : ", ";
                    known += k.name;
                }
            }
            throw ConfigError(listField(tower),
                              "unknown feature \"" + item + "\" (known: " + known + ")");
        }
        updated.set(f->id);
    }
    *this = updated;
}

ConfigError::ConfigError(std::string field, const std::string& reason)
    : std::runtime_error(field + ": " + reason), m_field(std::move(field)) {}

void ModelConfig::validate() const {
    if (!features.anyUserFeature()) {
        throw ConfigError("user-features", "the query tower needs at least one user feature");
    }
    if (!features.anyMovieFeature()) {
        throw ConfigError("movie-features", "the candidate tower needs at least one movie feature");
    }
    if (embeddingDim < 1 || embeddingDim > 1024) {
        throw ConfigError("embedding-dim",
                          "must be between 1 and 1024, got " + std::to_string(embeddingDim));
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

SplitKind parseSplitKind(const std::string& name) {
    if (const std::optional<SplitKind> kind = splitKindFromName(name)) {
        return *kind;
    }
    throw ConfigError("split", "unknown split \"" + name +
                                   "\" (random: a seeded shuffle, as the tutorial; time: the "
                                   "latest ratings test)");
}

std::string logitsPrecisionName(LogitsPrecision precision) {
    return precision == LogitsPrecision::Bf16 ? "bf16" : "fp32";
}

LogitsPrecision parseLogitsPrecision(const std::string& name) {
    if (name == "fp32") {
        return LogitsPrecision::Fp32;
    }
    if (name == "bf16") {
        return LogitsPrecision::Bf16;
    }
    throw ConfigError("logits",
                      "unknown precision \"" + name +
                          "\" (fp32: the default; bf16: bfloat16 operands, AMX tiles or AVX-512 "
                          "BF16 dot products)");
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
        throw ConfigError("eval-every",
                          "must be 0 (only at the end) or more, got " + std::to_string(evalEvery));
    }
    if (evalQueries < 0) {
        throw ConfigError("eval-queries", "must be a number of test queries ≥ 1 or all, got " +
                                              std::to_string(evalQueries));
    }
    if (!(trainFraction > 0.0 && trainFraction < 1.0)) {
        throw ConfigError("train-fraction", "must be strictly between 0 and 1");
    }
    if (split != SplitKind::Random && split != SplitKind::Time) {
        throw ConfigError("split", "unknown split kind " + std::to_string(static_cast<int>(split)));
    }
    if (threads < 0 || threads > 256) {
        throw ConfigError("threads",
                          "must be 0 (all cores) to 256, got " + std::to_string(threads));
    }
    retrieval.validate(batchSize);
}

} // namespace towerlab
