#include "io/config_json.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace towerlab {
namespace {

using Json = nlohmann::json;

Json featureList(const std::string& commaList) {
    Json items = Json::array();
    std::stringstream in(commaList);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (!item.empty()) {
            items.push_back(item);
        }
    }
    return items;
}

// A ConfigError's reason without its "<field>: " prefix (the JSON path replaces the flag name).
std::string reasonOf(const ConfigError& e) {
    const std::string what = e.what();
    const std::string prefix = e.field() + ": ";
    return what.rfind(prefix, 0) == 0 ? what.substr(prefix.size()) : what;
}

// The JSON key of a ConfigError's field (the CLI flag's name).
std::string keyOfConfigField(const std::string& field) {
    if (field == "lr") {
        return "learning_rate";
    }
    if (field == "batch") {
        return "batch_size";
    }
    std::string key = field;
    std::replace(key.begin(), key.end(), '-', '_');
    return key;
}

int wholeNumber(const Json& v, const std::string& field) {
    if (!v.is_number_integer() || v.get<std::int64_t>() < std::numeric_limits<int>::min() ||
        v.get<std::int64_t>() > std::numeric_limits<int>::max()) {
        throw JsonFieldError(field, "must be a whole number, got " + v.dump());
    }
    return v.get<int>();
}

double number(const Json& v, const std::string& field) {
    if (!v.is_number()) {
        throw JsonFieldError(field, "must be a number, got " + v.dump());
    }
    const double x = v.get<double>();
    if (!std::isfinite(x)) {
        throw JsonFieldError(field, "must be finite");
    }
    return x;
}

bool flag(const Json& v, const std::string& field) {
    if (!v.is_boolean()) {
        throw JsonFieldError(field, "must be true or false, got " + v.dump());
    }
    return v.get<bool>();
}

std::string text(const Json& v, const std::string& field) {
    if (!v.is_string()) {
        throw JsonFieldError(field, "must be a string, got " + v.dump());
    }
    return v.get<std::string>();
}

// A list of names, or one comma-separated string, as a comma list.
std::string commaList(const Json& v, const std::string& field) {
    if (v.is_string()) {
        return v.get<std::string>();
    }
    if (!v.is_array()) {
        throw JsonFieldError(field, "must be a list of feature names, got " + v.dump());
    }
    std::string list;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) {
            list += ',';
        }
        list += text(v[i], field + "[" + std::to_string(i) + "]");
    }
    return list;
}

std::vector<int> widths(const Json& v, const std::string& field) {
    if (!v.is_array()) {
        throw JsonFieldError(field,
                             "must be a list of layer widths, e.g. [64, 32], got " + v.dump());
    }
    std::vector<int> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        out.push_back(wholeNumber(v[i], field + "[" + std::to_string(i) + "]"));
    }
    return out;
}

void setOne(const std::string& key, const Json& v, const std::string& field, ModelConfig& m,
            TrainConfig& t) {
    RetrievalOptions& r = t.retrieval;
    if (key == "user_features") {
        m.features.setUserFeatures(commaList(v, field));
    } else if (key == "movie_features") {
        m.features.setMovieFeatures(commaList(v, field));
    } else if (key == "embedding_dim") {
        m.embeddingDim = wholeNumber(v, field);
    } else if (key == "layers") {
        m.layers = widths(v, field);
    } else if (key == "l2_normalize") {
        m.l2Normalize = flag(v, field);
    } else if (key == "optimizer") {
        t.optimizer = parseOptimizer(text(v, field));
    } else if (key == "learning_rate") {
        t.learningRate = number(v, field);
    } else if (key == "batch_size") {
        t.batchSize = wholeNumber(v, field);
    } else if (key == "epochs") {
        t.epochs = wholeNumber(v, field);
    } else if (key == "eval_every") {
        t.evalEvery = wholeNumber(v, field);
    } else if (key == "eval_queries") {
        if (v.is_string() && v.get<std::string>() == "all") {
            t.evalQueries = TrainConfig::kAllTestQueries;
        } else if (v.is_number_integer() && v.get<std::int64_t>() >= 1 &&
                   v.get<std::int64_t>() <= std::numeric_limits<int>::max()) {
            t.evalQueries = v.get<int>();
        } else {
            throw JsonFieldError(field, "must be a number of test queries ≥ 1 or \"all\", got " +
                                            v.dump());
        }
    } else if (key == "exclude_seen") {
        t.excludeSeen = flag(v, field);
    } else if (key == "seed") {
        if (!v.is_number_unsigned()) {
            throw JsonFieldError(field, "must be a whole number ≥ 0, got " + v.dump());
        }
        t.seed = v.get<std::uint64_t>();
    } else if (key == "train_fraction") {
        t.trainFraction = number(v, field);
    } else if (key == "split") {
        t.split = parseSplitKind(text(v, field));
    } else if (key == "threads") {
        t.threads = wholeNumber(v, field);
    } else if (key == "logits") {
        t.logits = parseLogitsPrecision(text(v, field));
    } else if (key == "temperature") {
        r.temperature = number(v, field);
    } else if (key == "logq") {
        r.logQ = parseLogQ(text(v, field));
    } else if (key == "logq_alpha") {
        r.streamingAlpha = number(v, field);
    } else if (key == "remove_accidental_hits") {
        r.removeAccidentalHits = flag(v, field);
    } else if (key == "hard_negatives") {
        r.hardNegatives = wholeNumber(v, field);
    } else {
        const Json known = configToJson(ModelConfig{}, TrainConfig{});
        std::string names;
        for (const auto& [name, value] : known.items()) {
            names += (names.empty() ? "" : ", ") + name;
        }
        throw JsonFieldError(field, "is not a setting (known: " + names + ")");
    }
}

} // namespace

nlohmann::ordered_json configToJson(const ModelConfig& model, const TrainConfig& training) {
    nlohmann::ordered_json json;
    json["user_features"] = featureList(model.features.userFeatureList());
    json["movie_features"] = featureList(model.features.movieFeatureList());
    json["embedding_dim"] = model.embeddingDim;
    json["layers"] = model.layers;
    json["optimizer"] = optimizerName(training.optimizer);
    json["learning_rate"] = training.learningRate;
    json["batch_size"] = training.batchSize;
    json["epochs"] = training.epochs;
    json["eval_every"] = training.evalEvery;
    if (training.evalQueries == TrainConfig::kAllTestQueries) {
        json["eval_queries"] = "all";
    } else {
        json["eval_queries"] = training.evalQueries;
    }
    json["exclude_seen"] = training.excludeSeen;
    json["seed"] = training.seed;
    json["train_fraction"] = training.trainFraction;
    json["split"] = splitKindName(training.split);
    json["threads"] = training.threads;
    json["logits"] = logitsPrecisionName(training.logits);
    const RetrievalOptions& r = training.retrieval;
    json["l2_normalize"] = model.l2Normalize;
    json["temperature"] = r.temperature;
    json["logq"] = logQName(r.logQ);
    json["logq_alpha"] = r.streamingAlpha;
    json["remove_accidental_hits"] = r.removeAccidentalHits;
    json["hard_negatives"] = r.hardNegatives;
    return json;
}

ConfigPatch parseConfigPatch(const nlohmann::json& object, const std::string& where) {
    if (!object.is_object()) {
        throw JsonFieldError(where, "must be an object of settings, got " + object.dump());
    }
    ConfigPatch patch;
    for (const auto& [key, value] : object.items()) {
        patch.entries.emplace_back(key, value.dump());
    }
    // Checked now, on the tutorial's settings, so a bad file is refused when it is opened
    // rather than halfway through a lesson.
    ModelConfig model;
    TrainConfig training;
    applyConfigPatch(patch, model, training, where);
    return patch;
}

nlohmann::ordered_json configPatchToJson(const ConfigPatch& patch) {
    nlohmann::ordered_json json = nlohmann::ordered_json::object();
    for (const auto& [key, value] : patch.entries) {
        json[key] = nlohmann::ordered_json::parse(value);
    }
    return json;
}

void applyConfigPatch(const ConfigPatch& patch, ModelConfig& model, TrainConfig& training,
                      const std::string& where) {
    ModelConfig m = model;
    TrainConfig t = training;
    bool learningRateGiven = false;
    for (const auto& [key, value] : patch.entries) {
        learningRateGiven = learningRateGiven || key == "learning_rate";
    }
    for (const auto& [key, value] : patch.entries) {
        const std::string field = where + "." + key;
        const Json v = Json::parse(value, nullptr, false);
        if (v.is_discarded()) {
            throw JsonFieldError(field, "is not JSON: " + value);
        }
        try {
            setOne(key, v, field, m, t);
        } catch (const ConfigError& e) {
            throw JsonFieldError(field, reasonOf(e));
        }
        if (key == "optimizer" && !learningRateGiven) {
            t.learningRate = defaultLearningRate(t.optimizer);
        }
    }
    try {
        m.validate();
        t.validate();
    } catch (const ConfigError& e) {
        throw JsonFieldError(where + "." + keyOfConfigField(e.field()), reasonOf(e));
    }
    model = std::move(m);
    training = std::move(t);
}

} // namespace towerlab
