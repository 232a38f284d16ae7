// towerlab-cli evaluate: a saved model's test metrics on a dataset, next to the most-popular
// baseline. On the dataset the model was trained on this reproduces its training metrics.

#include "cli_error.hpp"
#include "cli_inputs.hpp"
#include "cli_options.hpp"
#include "commands.hpp"
#include "json_output.hpp"
#include "metrics_table.hpp"
#include "progress_printer.hpp"

#include "model/training_split.hpp"
#include "train/model_evaluation.hpp"

#include <chrono>
#include <climits>
#include <iostream>

namespace towerlab::cli {

namespace {

const CommandInfo kInfo{
    "evaluate", "Measure a model's test metrics on a dataset against the most-popular baseline",
    "towerlab-cli evaluate --model FILE (--data FOLDER_OR_ZIP | --demo) [options]",
    "  towerlab-cli evaluate --model m.tlm --data ../shared/datasets/ml-100k\n"
    "  towerlab-cli evaluate --model demo.tlm --demo --json eval.json\n"};

} // namespace

int runEvaluate(const Arguments& args) {
    po::options_description options = makeOptions();
    addModelOption(options);
    addDatasetOptions(options, "to evaluate on");
    options.add_options()("threads", arg("N"), "worker threads, 0 = all cores (default: 0)")(
        "eval-queries", arg("N|all"),
        "test queries to rank: the seeded sample training used (the model's seed), or all "
        "(default: 20000; a smaller test split is evaluated whole)")(
        "exclude-seen",
        "also measure with each user's training movies removed from the candidates (TFRS "
        "query_with_exclusions); both results are reported")(
        "json", arg("FILE"), "write the metrics as JSON to this file (- = stdout)");
    const auto vm = parseCommandLine(kInfo, options, args);
    if (!vm) {
        return kExitOk;
    }
    const std::string& cmd = kInfo.name;
    const Notes note(*vm);
    int threads = 0;
    if (auto text = optionalString(*vm, "threads")) {
        threads = static_cast<int>(parseInteger(cmd, "--threads", *text, 0, 256));
    }
    int evalQueries = TrainConfig::kDefaultEvalQueries;
    if (auto text = optionalString(*vm, "eval-queries")) {
        evalQueries = parseEvalQueries(cmd, *text);
    }
    checkModelFlag(cmd, *vm);
    checkDatasetFlags(cmd, *vm);
    const auto json = optionalString(*vm, "json");
    if (json && *json != "-") {
        checkOutputFile(cmd, "--json", *json);
    }
    const auto model = loadModelFlag(cmd, *vm);
    const Dataset dataset = loadDatasetFlags(cmd, *vm);
    const auto start = std::chrono::steady_clock::now();
    const bool excludeSeen = vm->count("exclude-seen") > 0;
    Evaluation evaluation;
    {
        ProgressPrinter progress(0, note.quiet());
        evaluation = evaluateModel(*model, dataset, threads, excludeSeen, evalQueries,
                                   [&](const EvaluationProgress& p) { progress.onEvaluation(p); });
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!evaluation.sameDataset) {
        note("note: \"" + dataset.name + "\" is not the dataset the model was trained on (\"" +
             model->datasetName +
             "\"); its split differs and test ratings of movies missing "
             "from the model's catalogue are skipped");
    }
    if (evaluation.testExamples == 0) {
        throw std::runtime_error("no test rating of \"" + dataset.name +
                                 "\" is of a movie in the model's catalogue; nothing to evaluate");
    }

    if (!json || *json != "-") {
        std::cout << "model: " << (*vm)["model"].as<std::string>() << " (trained on "
                  << model->datasetName << ", " << model->epochsTrained << " epochs)\n"
                  << "dataset: " << dataset.name << " (" << dataset.source << ")"
                  << (evaluation.sameDataset ? ", the one the model was trained on" : "") << "\n"
                  << "split: " << describeSplit(model->training) << ", "
                  << evaluation.testSplitExamples << " test ratings\n";
        printMetricsTable(std::cout, evaluation.model, evaluation.baseline,
                          evaluation.modelExcludingSeen, evaluation.baselineExcludingSeen,
                          evaluation.testSplitExamples);
        printBeyondAccuracyTable(std::cout, evaluation.modelBeyond, evaluation.baselineBeyond);
    }
    if (json) {
        Json out;
        out["command"] = "evaluate";
        out["model_file"] = (*vm)["model"].as<std::string>();
        out["dataset"] = datasetJson(dataset);
        out["same_dataset"] = evaluation.sameDataset;
        out["split"] = splitKindName(model->training.split);
        out["test_examples"] = evaluation.testSplitExamples;
        // The metrics' "examples": these many of test_examples, a seeded sample when fewer.
        out["evaluated_test_examples"] = evaluation.testExamples;
        out["test_examples_sampled"] = evaluation.testExamples < evaluation.testSplitExamples;
        out["eval_queries"] =
            evalQueries == TrainConfig::kAllTestQueries ? Json("all") : Json(evalQueries);
        out["exclude_seen"] = excludeSeen;
        out["metrics"] = metricsJson(evaluation.model);
        out["metrics_excluding_seen"] =
            evaluation.modelExcludingSeen ? metricsJson(*evaluation.modelExcludingSeen) : Json();
        out["beyond_accuracy"] = beyondAccuracyJson(evaluation.modelBeyond);
        out["baseline"] = metricsJson(evaluation.baseline);
        out["baseline_excluding_seen"] = evaluation.baselineExcludingSeen
                                             ? metricsJson(*evaluation.baselineExcludingSeen)
                                             : Json();
        out["baseline_beyond_accuracy"] = beyondAccuracyJson(evaluation.baselineBeyond);
        out["seconds"] = seconds;
        writeJson(out, *json);
    }
    return kExitOk;
}

} // namespace towerlab::cli
