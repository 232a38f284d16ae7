#pragma once
// The JSON shapes of the CLI's --json outputs (documented in docs/cli.md). Keys keep the
// order they are inserted in so files read well and diff cleanly.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace towerlab {
struct BeyondAccuracyMetrics;
struct Dataset;
struct EpochRecord;
struct ModelConfig;
struct RankingMetrics;
struct TrainConfig;
struct TrainedModel;
struct TrainingHistory;
struct UserQuery;
} // namespace towerlab

namespace towerlab::cli {

using Json = nlohmann::ordered_json;

// {"top_1".."top_100", "recall_1".."recall_100", "ndcg_1".."ndcg_100", "mrr", "examples"}
Json metricsJson(const RankingMetrics& metrics);
// {"queries", "coverage_1".."coverage_100", "popularity_percentile_1".., "gini_1"..,
//  "novelty_1".., "genre_diversity_1".."genre_diversity_100"} (diversity null at k = 1 and
// for a catalogue without genres).
Json beyondAccuracyJson(const BeyondAccuracyMetrics& metrics);
// {"epoch", "mean_loss", "last_batch_loss", "seconds", "examples_per_second"[, "test"]
//  [, "test_excluding_seen"][, "beyond_accuracy"]}
Json epochJson(const EpochRecord& record);
Json historyJson(const TrainingHistory& history);
// {"user_features": [...], "movie_features": [...], "embedding_dim", "layers", "optimizer",
//  "learning_rate", "batch_size", "epochs", "eval_every", "exclude_seen", "seed",
//  "train_fraction", "threads"}
Json configJson(const ModelConfig& model, const TrainConfig& training);
// {"name", "source", "fingerprint", "users", "movies", "ratings"}
Json datasetJson(const Dataset& dataset);
// {"age_bucket", "occupation", "occupation_name", "gender", "timestamp", "timestamp_utc",
//  "user_id"} for the features the model uses (others null).
Json queryJson(const UserQuery& query, const TrainedModel& model);
// {"title", "movie_id", "year", "genres": [...], "popularity"} of one catalogue movie.
Json movieJson(const TrainedModel& model, std::int32_t movie);

// Writes json (indented, trailing newline) to path atomically, or to stdout for "-".
void writeJson(const Json& json, const std::string& path);

} // namespace towerlab::cli
