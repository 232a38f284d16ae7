#pragma once
// A model's and its training's settings as JSON, under the names the CLI's flags use
// ("embedding_dim", "learning_rate", "logq", ...): what `train --json` prints and what a lesson
// file sets. Reading takes a partial object — a patch over settings the reader already has —
// so a lesson names only what differs from the tutorial.

#include "model/model_config.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace towerlab {

// Every setting, in a fixed order.
nlohmann::ordered_json configToJson(const ModelConfig& model, const TrainConfig& training);

// A value of the JSON that cannot become a setting. field() is the path inside the document
// ("settings.layers[1]", "steps[2].action.epochs"); what() is "<field>: <reason>".
class JsonFieldError : public std::runtime_error {
public:
    JsonFieldError(std::string field, const std::string& reason)
        : std::runtime_error(field + ": " + reason), m_field(std::move(field)) {}
    const std::string& field() const { return m_field; }

private:
    std::string m_field;
};

// Some settings, each by its JSON name with its value as compact JSON text, in the order
// given. Kept as text so a file's patch is written back exactly as it was read.
struct ConfigPatch {
    std::vector<std::pair<std::string, std::string>> entries;

    bool empty() const { return entries.empty(); }
    bool operator==(const ConfigPatch&) const = default;
};

// Reads a patch from a JSON object. Every key must be one configToJson writes and every value
// must be accepted by applyConfigPatch on the tutorial's settings; otherwise JsonFieldError
// naming `where` + "." + key. `where` is the object's own path, e.g. "settings".
ConfigPatch parseConfigPatch(const nlohmann::json& object, const std::string& where);

// The patch as a JSON object (keys in the patch's order).
nlohmann::ordered_json configPatchToJson(const ConfigPatch& patch);

// Sets each named setting. "user_features"/"movie_features" take a list of feature names (or
// one comma-separated string), "layers" a list of widths. Setting "optimizer" without
// "learning_rate" in the same patch also sets that optimizer's default learning rate, as the
// CLI does. The result is validated (ModelConfig::validate, TrainConfig::validate); a problem
// throws JsonFieldError naming `where` + "." + the key, and leaves both configs unchanged.
void applyConfigPatch(const ConfigPatch& patch, ModelConfig& model, TrainConfig& training,
                      const std::string& where);

} // namespace towerlab
