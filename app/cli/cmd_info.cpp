// towerlab-cli info: what a model file holds — configuration, features, dataset, training
// history and final metrics.

#include "cli_error.hpp"
#include "cli_inputs.hpp"
#include "cli_options.hpp"
#include "commands.hpp"
#include "json_output.hpp"
#include "metrics_table.hpp"

#include "model/training_split.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace towerlab::cli {

namespace {

const CommandInfo kInfo{"info", "Show a model file's configuration, dataset, history and metrics",
                        "towerlab-cli info --model FILE [--json FILE]",
                        "  towerlab-cli info --model m.tlm\n"};

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

} // namespace

int runInfo(const Arguments& args) {
    po::options_description options = makeOptions();
    addModelOption(options);
    options.add_options()("json", arg("FILE"),
                          "write the summary as JSON to this file (- = stdout)");
    const auto vm = parseCommandLine(kInfo, options, args);
    if (!vm) {
        return kExitOk;
    }
    const std::string& cmd = kInfo.name;
    const auto json = optionalString(*vm, "json");
    checkModelFlag(cmd, *vm);
    if (json && *json != "-") {
        checkOutputFile(cmd, "--json", *json);
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
                  << ", eval every " << t.evalEvery << '\n'
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
                              h.baselineExcludingSeen);
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
