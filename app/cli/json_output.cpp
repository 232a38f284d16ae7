#include "json_output.hpp"

#include "query_options.hpp"

#include "data/dataset.hpp"
#include "model/beyond_accuracy.hpp"
#include "model/ranking_metrics.hpp"
#include "model/trained_model.hpp"
#include "model/training_history.hpp"
#include "util/atomic_file.hpp"

#include <cmath>
#include <iostream>
#include <sstream>

namespace towerlab::cli {

namespace {

Json splitList(const std::string& commaList) {
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

} // namespace

Json metricsJson(const RankingMetrics& m) {
    Json json;
    const auto& k = RankingMetrics::kCutoffs;
    for (std::size_t i = 0; i < k.size(); ++i) {
        json["top_" + std::to_string(k[i])] = m.topK[i];
    }
    for (std::size_t i = 0; i < k.size(); ++i) {
        json["recall_" + std::to_string(k[i])] = m.recall[i];
    }
    for (std::size_t i = 0; i < k.size(); ++i) {
        json["ndcg_" + std::to_string(k[i])] = m.ndcg[i];
    }
    json["mrr"] = m.mrr;
    json["examples"] = m.examples;
    return json;
}

Json beyondAccuracyJson(const BeyondAccuracyMetrics& m) {
    Json json;
    json["queries"] = m.queries;
    const auto& k = RankingMetrics::kCutoffs;
    const auto row = [&](const char* name, const std::array<double, 5>& values) {
        for (std::size_t i = 0; i < k.size(); ++i) {
            const double v = values[i];
            json[name + std::to_string(k[i])] = std::isfinite(v) ? Json(v) : Json();
        }
    };
    row("coverage_", m.coverage);
    row("popularity_percentile_", m.popularityPercentile);
    row("gini_", m.gini);
    row("novelty_", m.novelty);
    row("genre_diversity_", m.diversity);
    return json;
}

Json epochJson(const EpochRecord& record) {
    Json json;
    json["epoch"] = record.epoch;
    json["mean_loss"] = record.meanLoss;
    json["last_batch_loss"] = record.lastBatchLoss;
    json["seconds"] = record.seconds;
    json["examples_per_second"] = record.examplesPerSecond;
    if (record.test) {
        json["test"] = metricsJson(*record.test);
    }
    if (record.testExcludingSeen) {
        json["test_excluding_seen"] = metricsJson(*record.testExcludingSeen);
    }
    if (record.beyond) {
        json["beyond_accuracy"] = beyondAccuracyJson(*record.beyond);
    }
    return json;
}

Json historyJson(const TrainingHistory& history) {
    Json epochs = Json::array();
    for (const EpochRecord& record : history.epochs) {
        epochs.push_back(epochJson(record));
    }
    return epochs;
}

Json configJson(const ModelConfig& model, const TrainConfig& training) {
    Json json;
    json["user_features"] = splitList(model.features.userFeatureList());
    json["movie_features"] = splitList(model.features.movieFeatureList());
    json["embedding_dim"] = model.embeddingDim;
    json["layers"] = model.layers;
    json["optimizer"] = optimizerName(training.optimizer);
    json["learning_rate"] = training.learningRate;
    json["batch_size"] = training.batchSize;
    json["epochs"] = training.epochs;
    json["eval_every"] = training.evalEvery;
    json["exclude_seen"] = training.excludeSeen;
    json["seed"] = training.seed;
    json["train_fraction"] = training.trainFraction;
    json["split"] = splitKindName(training.split);
    json["threads"] = training.threads;
    const RetrievalOptions& r = training.retrieval;
    json["l2_normalize"] = model.l2Normalize;
    json["temperature"] = r.temperature;
    json["logq"] = logQName(r.logQ);
    json["logq_alpha"] = r.streamingAlpha;
    json["remove_accidental_hits"] = r.removeAccidentalHits;
    json["hard_negatives"] = r.hardNegatives;
    return json;
}

Json datasetJson(const Dataset& dataset) {
    Json json;
    json["name"] = dataset.name;
    json["source"] = dataset.source;
    json["fingerprint"] = dataset.fingerprint();
    json["users"] = dataset.users.size();
    json["movies"] = dataset.movies.size();
    json["ratings"] = dataset.ratings.size();
    return json;
}

Json queryJson(const UserQuery& query, const TrainedModel& model) {
    const FeatureSet& f = model.config.features;
    Json json;
    json["age_bucket"] = f.has(FeatureId::Age) ? Json(query.ageBucket) : Json();
    if (f.has(FeatureId::Occupation)) {
        json["occupation"] = query.occupationLabel;
        json["occupation_name"] =
            occupationLabels().at(static_cast<std::size_t>(query.occupationLabel));
    } else {
        json["occupation"] = nullptr;
        json["occupation_name"] = nullptr;
    }
    json["gender"] = f.has(FeatureId::Gender) ? Json(query.gender == 1 ? "M" : "F") : Json();
    if (f.has(FeatureId::TimestampBucket) || f.has(FeatureId::TimestampNorm)) {
        json["timestamp"] = query.timestamp;
        json["timestamp_utc"] = formatTimestamp(query.timestamp);
    } else {
        json["timestamp"] = nullptr;
        json["timestamp_utc"] = nullptr;
    }
    json["user_id"] = query.userId >= 0 ? Json(query.userId) : Json();
    // The user features without a field of their own, by their table name.
    for (const FeatureDescriptor& d : kFeatureTable) {
        if (d.tower == Tower::Query && d.ofQuery == nullptr) {
            const RawValue v = f.has(d.id) ? queryValue(d, query) : std::nullopt;
            json[std::string(d.name)] = v ? Json(*v) : Json();
        }
    }
    return json;
}

Json movieJson(const TrainedModel& model, std::int32_t movie) {
    const Catalogue& c = model.catalogue;
    const auto m = static_cast<std::size_t>(movie);
    Json genres = Json::array();
    for (const int g : c.genres[m]) {
        genres.push_back(c.genreNames.at(static_cast<std::size_t>(g)));
    }
    Json json;
    json["title"] = c.titles[m];
    json["movie_id"] = c.movieIds[m];
    json["year"] = c.years[m] > 0 ? Json(c.years[m]) : Json();
    json["genres"] = std::move(genres);
    json["popularity"] = c.popularity[m];
    return json;
}

void writeJson(const Json& json, const std::string& path) {
    // Titles are decoded to UTF-8 by the readers; "replace" keeps a stray invalid byte from
    // turning a finished run into an exception at the very end.
    const std::string text = json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
    if (path == "-") {
        std::cout << text << std::flush;
        return;
    }
    writeFileAtomically(path, text);
}

} // namespace towerlab::cli
