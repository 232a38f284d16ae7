// towerlab-cli info: what a model file holds — configuration, features, dataset, training
// history and final metrics — or, with --data/--demo, a dataset's size and what loading it
// costs (time and the ratings' memory).

#include "cli_error.hpp"
#include "cli_inputs.hpp"
#include "cli_options.hpp"
#include "commands.hpp"
#include "json_output.hpp"
#include "metrics_table.hpp"
#include "query_options.hpp"

#include "model/training_split.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

namespace towerlab::cli {

namespace {

const CommandInfo kInfo{
    "info", "Show a model file's configuration, dataset, history and metrics, or a dataset's size",
    "towerlab-cli info (--model FILE | --data FOLDER_OR_ZIP | --demo) [--json FILE]",
    "  towerlab-cli info --model m.tlm\n"
    "  towerlab-cli info --data ml-25m   # counts, time range, load time and memory\n"};

std::string layersText(const std::vector<int>& layers) {
    std::string text;
    for (const int l : layers) {
        text += text.empty() ? "" : ",";
        text += std::to_string(l);
    }
    return text;
}

// The last epoch with test metrics, if any.
const EpochRecord* lastEvaluated(const TrainingHistory& history) {
    for (auto it = history.epochs.rbegin(); it != history.epochs.rend(); ++it) {
        if (it->test) {
            return &*it;
        }
    }
    return nullptr;
}

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// info --data / --demo: what loading the dataset gives and costs.
int datasetInfo(const po::variables_map& vm, const std::optional<std::string>& json) {
    const auto start = std::chrono::steady_clock::now();
    const Dataset data = loadDatasetFlags(kInfo.name, vm);
    const double loadSeconds = secondsSince(start);
    const auto hashStart = std::chrono::steady_clock::now();
    const std::string fingerprint = data.fingerprint();
    const double hashSeconds = secondsSince(hashStart);
    std::int64_t first = 0;
    std::int64_t last = 0;
    if (!data.ratings.empty()) {
        const auto [lo, hi] = std::minmax_element(
            data.ratings.begin(), data.ratings.end(),
            [](const Rating& a, const Rating& b) { return a.timestamp < b.timestamp; });
        first = lo->timestamp;
        last = hi->timestamp;
    }
    const std::uint64_t ratingBytes = data.ratings.size() * sizeof(Rating);
    if (!json || *json != "-") {
        char line[200];
        std::cout << "dataset: " << data.name << " (" << data.source << ")\n"
                  << "users " << data.users.size() << ", movies " << data.movies.size()
                  << ", ratings " << data.ratings.size() << ", genres " << data.genreNames.size()
                  << (data.hasDemographics ? ", with demographics\n" : ", no demographics\n");
        if (!data.ratings.empty()) {
            std::cout << "ratings from " << formatTimestamp(first) << " to "
                      << formatTimestamp(last) << '\n';
        }
        std::snprintf(line, sizeof line,
                      "loaded in %.2f s; the ratings take %.1f MB (%zu bytes each); "
                      "fingerprint %s (%.2f s)\n",
                      loadSeconds, static_cast<double>(ratingBytes) / 1e6, sizeof(Rating),
                      fingerprint.c_str(), hashSeconds);
        std::cout << line;
    }
    if (json) {
        Json out;
        out["command"] = "info";
        Json d;
        d["name"] = data.name;
        d["source"] = data.source;
        d["fingerprint"] = fingerprint;
        d["users"] = data.users.size();
        d["movies"] = data.movies.size();
        d["ratings"] = data.ratings.size();
        d["genres"] = data.genreNames.size();
        d["has_demographics"] = data.hasDemographics;
        d["first_timestamp"] = data.ratings.empty() ? Json() : Json(first);
        d["last_timestamp"] = data.ratings.empty() ? Json() : Json(last);
        d["rating_bytes"] = ratingBytes;
        out["dataset"] = std::move(d);
        out["load_seconds"] = loadSeconds;
        out["fingerprint_seconds"] = hashSeconds;
        writeJson(out, *json);
    }
    return kExitOk;
}

} // namespace

int runInfo(const Arguments& args) {
    po::options_description options = makeOptions();
    addModelOption(options);
    addDatasetOptions(options, "to describe (instead of --model)");
    options.add_options()("json", arg("FILE"),
                          "write the summary as JSON to this file (- = stdout)");
    const auto vm = parseCommandLine(kInfo, options, args);
    if (!vm) {
        return kExitOk;
    }
    const std::string& cmd = kInfo.name;
    const auto json = optionalString(*vm, "json");
    if (datasetGiven(*vm)) {
        if (has(*vm, "model")) {
            throw UsageError(cmd, "--model and --data/--demo exclude each other; pass one");
        }
        checkDatasetFlags(cmd, *vm);
    } else {
        checkModelFlag(cmd, *vm);
    }
    if (json && *json != "-") {
        checkOutputFile(cmd, "--json", *json);
    }
    if (datasetGiven(*vm)) {
        return datasetInfo(*vm, json);
    }
    const auto model = loadModelFlag(cmd, *vm);
    const TrainingHistory& h = model->history;
    const EpochRecord* final = lastEvaluated(h);
    const ModelConfig& c = model->config;
    const TrainConfig& t = model->training;

    if (!json || *json != "-") {
        char lr[32];
        std::snprintf(lr, sizeof lr, "%g", t.learningRate);
        std::cout << "model file: " << (*vm)["model"].as<std::string>() << '\n'
                  << "dataset: " << model->datasetName << " (fingerprint "
                  << model->datasetFingerprint << "), catalogue of " << model->catalogue.size()
                  << " movies\n"
                  << "dataset source: "
                  << (model->datasetSource.empty() ? std::string("(not recorded in this file)")
                                                   : model->datasetSource)
                  << '\n'
                  << "user features: " << c.features.userFeatureList() << '\n'
                  << "movie features: " << c.features.movieFeatureList() << '\n'
                  << "layers: " << layersText(c.layers) << ", embedding dim " << c.embeddingDim
                  << ", output dim " << c.outputDim() << '\n'
                  << "training: " << optimizerName(t.optimizer) << " lr " << lr << ", batch "
                  << t.batchSize << ", seed " << t.seed << ", train fraction " << t.trainFraction
                  << ", eval every " << t.evalEvery << ", eval queries "
                  << (t.evalQueries == TrainConfig::kAllTestQueries ? std::string("all")
                                                                    : std::to_string(t.evalQueries))
                  << '\n'
                  << "split: " << describeSplit(t) << '\n'
                  << "retrieval task: " << describeRetrievalTask(c.l2Normalize, t.retrieval) << '\n'
                  << "epochs trained: " << model->epochsTrained << " of " << t.epochs << '\n';
        if (!h.epochs.empty()) {
            char line[200];
            std::snprintf(line, sizeof line,
                          "history: mean loss %.2f (epoch 1) -> %.2f (epoch %d); training %.1f "
                          "s, evaluation %.1f s\n",
                          h.epochs.front().meanLoss, h.epochs.back().meanLoss,
                          h.epochs.back().epoch, h.trainSeconds, h.evalSeconds);
            std::cout << line;
        }
        if (final != nullptr) {
            std::cout << "test metrics after epoch " << final->epoch << ":\n";
            printMetricsTable(std::cout, *final->test, h.baseline, final->testExcludingSeen,
                              h.baselineExcludingSeen, h.testExamples);
            if (final->beyond) {
                printBeyondAccuracyTable(std::cout, *final->beyond, h.baselineBeyond);
            }
        } else {
            std::cout << "no test metrics recorded\n";
        }
    }
    if (json) {
        Json out;
        out["command"] = "info";
        out["model_file"] = (*vm)["model"].as<std::string>();
        out["config"] = configJson(c, t);
        Json data;
        data["name"] = model->datasetName;
        data["fingerprint"] = model->datasetFingerprint;
        data["source"] = model->datasetSource.empty() ? Json() : Json(model->datasetSource);
        data["catalogue_size"] = model->catalogue.size();
        out["dataset"] = std::move(data);
        out["epochs_trained"] = model->epochsTrained;
        out["metrics_epoch"] = final != nullptr ? Json(final->epoch) : Json();
        out["metrics"] = final != nullptr ? metricsJson(*final->test) : Json();
        out["baseline"] = h.baseline ? metricsJson(*h.baseline) : Json();
        out["history"] = historyJson(h);
        out["train_seconds"] = h.trainSeconds;
        out["eval_seconds"] = h.evalSeconds;
        writeJson(out, *json);
    }
    return kExitOk;
}

} // namespace towerlab::cli
