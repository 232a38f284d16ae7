#pragma once
// What a model is made of (features, widths, layers) and how it is trained. Plain values
// with validation that names the offending field.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace towerlab {

// Which inputs each tower sees. The defaults are the tutorial's: five user features and
// two movie features.
struct FeatureSet {
    bool age = true;             // bucketized_user_age embedding
    bool occupation = true;      // user_occupation_label embedding
    bool gender = true;          // user_gender embedding
    bool timestampBucket = true; // 1,000-bucket timestamp embedding
    bool timestampNorm = true;   // normalized timestamp, one raw value
    bool userId = false;         // user id embedding (beyond the tutorial)
    bool titleId = true;         // movie title lookup embedding
    bool titleText = true;       // mean of title token embeddings
    bool genres = false;         // mean of genre embeddings (beyond the tutorial)

    bool anyUserFeature() const;
    bool anyMovieFeature() const;
    // Comma lists of the names below, e.g. "age,occupation,gender,timestamp_bucket,timestamp_norm".
    std::string userFeatureList() const;
    std::string movieFeatureList() const;
    // Throw ConfigError naming the unknown entry. Names: age, occupation, gender,
    // timestamp_bucket, timestamp_norm, user_id / title_id, title_text, genres.
    void setUserFeatures(const std::string& commaList);
    void setMovieFeatures(const std::string& commaList);

    bool operator==(const FeatureSet&) const = default;
};

struct ModelConfig {
    FeatureSet features;
    int embeddingDim = 32;
    std::vector<int> layers{32}; // dense stack of each tower; ReLU on all but the last

    // Throws ConfigError for an empty feature set of a tower, a width or layer size < 1
    // or absurdly large.
    void validate() const;
    int outputDim() const { return layers.back(); }
    bool operator==(const ModelConfig&) const = default;
};

enum class OptimizerKind { Adagrad, Adam, Sgd };
std::string optimizerName(OptimizerKind kind);        // "adagrad", "adam", "sgd"
OptimizerKind parseOptimizer(const std::string& name); // throws ConfigError
double defaultLearningRate(OptimizerKind kind);        // Keras defaults as TFRS uses them: 0.1, 0.001, 0.01

struct TrainConfig {
    OptimizerKind optimizer = OptimizerKind::Adagrad;
    double learningRate = 0.1;
    int batchSize = 2048;
    int epochs = 50;
    int evalEvery = 5;           // test metrics every N epochs (and after the last); 0 = only at the end
    std::uint64_t seed = 42;     // split, initial weights and shuffles all derive from it
    double trainFraction = 0.8;
    int threads = 0;             // 0 = all cores

    void validate() const;       // throws ConfigError naming the field
    bool operator==(const TrainConfig&) const = default;
};

class ConfigError : public std::runtime_error {
public:
    ConfigError(std::string field, const std::string& reason);
    const std::string& field() const { return m_field; }

private:
    std::string m_field;
};

} // namespace towerlab
