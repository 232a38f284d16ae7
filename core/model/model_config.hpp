#pragma once
// What a model is made of (features, widths, layers) and how it is trained. Plain values
// with validation that names the offending field.

#include "data/split.hpp"
#include "features/feature_table.hpp"
#include "model/retrieval_options.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace towerlab {

// Which inputs each tower sees: a set of the feature table's features. The default is the
// tutorial's (the table's `tutorial` column): five user features and two movie features.
class FeatureSet {
public:
    FeatureSet();             // the tutorial's features
    static FeatureSet none(); // no feature at all
    static FeatureSet all();  // every feature of the table

    bool has(FeatureId id) const { return (m_bits >> static_cast<unsigned>(id)) & 1u; }
    void set(FeatureId id, bool on = true);
    // The features on, in table (= tower input) order.
    std::vector<FeatureId> enabled(Tower tower) const;
    bool any(Tower tower) const;
    bool anyUserFeature() const { return any(Tower::Query); }
    bool anyMovieFeature() const { return any(Tower::Candidate); }
    // Comma lists of the table's names, e.g.
    // "age,occupation,gender,timestamp_bucket,timestamp_norm".
    std::string list(Tower tower) const;
    std::string userFeatureList() const { return list(Tower::Query); }
    std::string movieFeatureList() const { return list(Tower::Candidate); }
    // Replaces the tower's features with the comma list's; throws ConfigError (field
    // "user-features" / "movie-features") naming an entry that is not one of the tower's
    // features in the table.
    void setList(Tower tower, const std::string& commaList);
    void setUserFeatures(const std::string& commaList) { setList(Tower::Query, commaList); }
    void setMovieFeatures(const std::string& commaList) { setList(Tower::Candidate, commaList); }

    bool operator==(const FeatureSet&) const = default;

private:
    std::uint32_t m_bits = 0;
};

struct ModelConfig {
    FeatureSet features;
    int embeddingDim = 32;
    std::vector<int> layers{32}; // dense stack of each tower; ReLU on all but the last
    // Each tower's output divided by its L2 norm (tf.math.l2_normalize, epsilon 1e-12), so
    // scores are cosines. Part of the model: training, queries and saved files all use it.
    bool l2Normalize = false;

    // Throws ConfigError for an empty feature set of a tower, a width or layer size < 1
    // or absurdly large.
    void validate() const;
    int outputDim() const { return layers.back(); }
    bool operator==(const ModelConfig&) const = default;
};

enum class OptimizerKind { Adagrad, Adam, Sgd };
std::string optimizerName(OptimizerKind kind);         // "adagrad", "adam", "sgd"
OptimizerKind parseOptimizer(const std::string& name); // throws ConfigError
double
defaultLearningRate(OptimizerKind kind); // Keras defaults as TFRS uses them: 0.1, 0.001, 0.01
SplitKind parseSplitKind(const std::string& name); // "random" or "time"; else ConfigError "split"

// How the training batch's B x B products are multiplied: Fp32 (the default), or Bf16 — the
// operands rounded to bfloat16 and summed in fp32. Where the CPU has AMX, all three products
// of the tutorial's loss run on AMX tiles, the softmax gradient rounded to bf16 for the two
// backward ones (train/amx_tiles.hpp); else only the logits, with AVX-512 BF16 dot products
// (train/bf16_logits.hpp); with neither the trainer falls back to Fp32 and says so. The
// softmax itself stays fp32. Not kept in model files.
enum class LogitsPrecision { Fp32, Bf16 };
std::string logitsPrecisionName(LogitsPrecision precision);    // "fp32", "bf16"
LogitsPrecision parseLogitsPrecision(const std::string& name); // throws ConfigError "logits"

struct TrainConfig {
    OptimizerKind optimizer = OptimizerKind::Adagrad;
    double learningRate = 0.1;
    int batchSize = 2048;
    int epochs = 50;
    int evalEvery = 5; // test metrics every N epochs (and after the last); 0 = only at the end
    // Evaluations also rank with each user's training movies removed from the candidates
    // (TFRS query_with_exclusions). Only changes what is measured, never the weights; not
    // kept in model files (the history says whether a run had it).
    bool excludeSeen = false;
    // How many test queries each evaluation ranks: a fixed sample of the test split drawn
    // with the seed (train/test_sample.hpp), so evaluating a 25M-sized split stays cheap;
    // kAllTestQueries = the whole split. A split no larger than this is evaluated whole.
    static constexpr int kAllTestQueries = 0;
    static constexpr int kDefaultEvalQueries = 20000;
    int evalQueries = kDefaultEvalQueries;
    std::uint64_t seed = 42; // split, initial weights and shuffles all derive from it
    double trainFraction = 0.8;
    // Which ratings test (data/split.hpp): Random (the tutorial's seeded shuffle) or Time (the
    // latest 1 - trainFraction of the ratings by timestamp). Build the split with
    // splitForTraining() (model/training_split.hpp), never by hand.
    SplitKind split = SplitKind::Random;
    int threads = 0;            // 0 = all cores
    RetrievalOptions retrieval; // how the batch's logits become the loss
    LogitsPrecision logits = LogitsPrecision::Fp32;

    void validate() const; // throws ConfigError naming the field
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
