// towerlab-cli train: fits a model on --data or --demo, prints progress on stderr, saves the
// model (--out) and a JSON report (--json).

#include "cli_error.hpp"
#include "cli_inputs.hpp"
#include "cli_options.hpp"
#include "commands.hpp"
#include "interrupt.hpp"
#include "json_output.hpp"
#include "metrics_table.hpp"
#include "progress_printer.hpp"

#include "io/model_file.hpp"
#include "model/feature_availability.hpp"
#include "model/model_config.hpp"
#include "model/training_split.hpp"
#include "train/seed_verdict.hpp"
#include "train/trainer.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

namespace towerlab::cli {

namespace {

const CommandInfo kInfo{
    "train", "Train a two-tower retrieval model on a dataset and save it",
    "towerlab-cli train (--data FOLDER_OR_ZIP | --demo) [options]",
    "  towerlab-cli train --data ../shared/datasets/ml-100k --layers 32 --epochs 50 "
    "--out m.tlm --json run.json\n"
    "  towerlab-cli train --demo --epochs 5\n"
    "  towerlab-cli train --data ml-100k.zip --layers 64,32 --optimizer adam --out deep.tlm\n"
    "  towerlab-cli train --data ml-latest-small.zip --epochs 10   (no demographics: user id "
    "and time features)\n"};

struct TrainSettings {
    ModelConfig model;
    TrainConfig training;
    std::optional<std::string> out;
    std::optional<std::string> json;
    std::vector<std::uint64_t> seeds; // --seeds, in the order given; empty for one run
    bool userFeaturesGiven = false;   // else the dataset's defaults apply once it is loaded
};

// "a, b, c": the names of the feature table's features of one tower.
std::string featureNames(Tower tower) {
    std::string names;
    for (const FeatureDescriptor& f : kFeatureTable) {
        if (f.tower == tower) {
            names += names.empty() ? "" : ", ";
            names += f.name;
        }
    }
    return names;
}

void addTrainOptions(po::options_description& options) {
    addDatasetOptions(options, "to train on");
    Dataset noDemographics;
    noDemographics.name = "latest";
    noDemographics.hasDemographics = false;
    const std::string userHelp =
        "comma list of " + featureNames(Tower::Query) + " (default: the tutorial's, " +
        FeatureSet{}.userFeatureList() +
        "; for a dataset without demographics, such as MovieLens latest: " +
        defaultFeatures(noDemographics).userFeatureList() + ")";
    const std::string movieHelp = "comma list of " + featureNames(Tower::Candidate) +
                                  " (default: " + FeatureSet{}.movieFeatureList() + ")";
    options.add_options()("user-features", arg("LIST"),
                          userHelp.c_str())("movie-features", arg("LIST"), movieHelp.c_str())(
        "layers", arg("SIZES"), "dense layer sizes of each tower, e.g. 32 or 64,32 (default: 32)")(
        "embedding-dim", arg("N"), "width of every embedding (default: 32)")(
        "optimizer", arg("NAME"), "adagrad, adam or sgd (default: adagrad)")(
        "lr", arg("RATE"),
        "learning rate (default: the optimizer's: adagrad 0.1, adam 0.001, sgd 0.01)")(
        "batch", arg("N"), "examples per batch (default: 2048)")(
        "epochs", arg("N"), "passes over the training split (default: 50)")(
        "eval-every", arg("N"),
        "test metrics every N epochs and after the last; 0 = only after the last (default: 5)")(
        "eval-queries", arg("N|all"),
        "test queries each evaluation ranks against the whole catalogue: a fixed sample drawn "
        "with the seed, or all (default: 20000; a smaller test split is evaluated whole)")(
        "seed", arg("N"), "seed of the split, the initial weights and the shuffles (default: 42)")(
        "seeds", arg("LIST"),
        "run the same configuration once per seed, e.g. 1,2,3, one after another, and report "
        "each metric as mean ± sd (instead of --seed); with --out, run N is saved as "
        "FILE-seedN.tlm")("train-fraction", arg("F"),
                          "share of the ratings in the training split (default: 0.8)")(
        "split", arg("KIND"),
        "which ratings test: random (a seeded shuffle, the tutorial's: the model learns from "
        "ratings made after some it is tested on) or time (the latest 1 - F of the ratings by "
        "timestamp test: can it predict what comes next?) (default: random)")(
        "threads", arg("N"), "worker threads, 0 = all cores (default: 0)")(
        "logits", arg("PRECISION"),
        "fp32, or bf16: the batch logits from bf16-rounded towers' outputs, on AMX tiles with "
        "both backward products too where the CPU has AMX, else with AVX-512 BF16 dot "
        "products (logits only); slightly less exact; on a CPU with neither training uses "
        "fp32 and says so (default: fp32)")(
        "exclude-seen",
        "also measure with each user's training movies removed from the candidates (TFRS "
        "query_with_exclusions); both results are reported")(
        "temperature", arg("T"),
        "Retrieval task: divide the batch logits by T; below 1 sharpens the softmax "
        "(default: 1 = off)")(
        "logq", arg("MODE"),
        "sampling-bias correction, logit - log p(movie): off, frequency (p = the movie's "
        "share of the training examples) or streaming (Yi et al. 2019 estimate) (default: off)")(
        "logq-alpha", arg("A"),
        "step of the streaming estimate, in (0, 1] (default: 0.01; only with --logq streaming)")(
        "remove-accidental-hits",
        "leave out of each row the other columns holding the row's own movie")(
        "hard-negatives", arg("N"),
        "keep only each row's positive and its N highest-scoring negatives, 1 to batch - 1 "
        "(default: all)")(
        "l2-normalize",
        "L2-normalise both towers' outputs so scores are cosines (part of the model; pair it "
        "with e.g. --temperature 0.1)")(
        "out", arg("FILE"),
        "model file to write (.tlm); an existing file is replaced only once training ends")(
        "json", arg("FILE"), "write the run report as JSON to this file (- = stdout)");
}

std::vector<std::uint64_t> parseSeedList(const std::string& cmd, const std::string& text) {
    std::vector<std::uint64_t> seeds;
    std::size_t begin = 0;
    while (begin <= text.size()) {
        const std::size_t end = std::min(text.find(',', begin), text.size());
        const std::uint64_t seed = parseUnsigned(cmd, "--seeds", text.substr(begin, end - begin));
        if (std::find(seeds.begin(), seeds.end(), seed) != seeds.end()) {
            throw UsageError(cmd, "--seeds: seed " + std::to_string(seed) + " is listed twice");
        }
        seeds.push_back(seed);
        begin = end + 1;
    }
    if (seeds.size() < 2) {
        throw UsageError(cmd, "--seeds needs at least two seeds, e.g. 1,2,3 (for one run use "
                              "--seed)");
    }
    if (seeds.size() > 100) {
        throw UsageError(cmd, "--seeds: at most 100 seeds, got " + std::to_string(seeds.size()));
    }
    return seeds;
}

// "m.tlm" -> "m-seed3.tlm" (the seed before the extension, if any).
std::string perSeedPath(const std::string& path, std::uint64_t seed) {
    const std::filesystem::path p(path);
    std::filesystem::path out = p.parent_path() / (p.stem().string() + "-seed" +
                                                   std::to_string(seed) + p.extension().string());
    return out.string();
}

// A ConfigError about a flag's value is a usage error: the user typed it.
[[noreturn]] void rethrowAsUsage(const ConfigError& e) {
    throw UsageError(kInfo.name, "--" + std::string(e.what()));
}

void parseRetrievalOptions(const po::variables_map& vm, TrainSettings& s) {
    const std::string& cmd = kInfo.name;
    RetrievalOptions& r = s.training.retrieval;
    if (auto v = optionalString(vm, "temperature")) {
        r.temperature = parseNumber(cmd, "--temperature", *v);
    }
    if (auto v = optionalString(vm, "logq")) {
        try {
            r.logQ = parseLogQ(*v);
        } catch (const ConfigError& e) {
            rethrowAsUsage(e);
        }
    }
    if (auto v = optionalString(vm, "logq-alpha")) {
        if (r.logQ != LogQCorrection::Streaming) {
            throw UsageError(cmd, "--logq-alpha applies only to --logq streaming");
        }
        r.streamingAlpha = parseNumber(cmd, "--logq-alpha", *v);
    }
    r.removeAccidentalHits = has(vm, "remove-accidental-hits");
    if (auto v = optionalString(vm, "hard-negatives")) {
        r.hardNegatives =
            static_cast<int>(parseInteger(cmd, "--hard-negatives", *v, INT_MIN, INT_MAX));
        if (r.hardNegatives == 0) {
            throw UsageError(cmd, "--hard-negatives: must be at least 1 (leave the flag out to "
                                  "keep every negative)");
        }
    }
    s.model.l2Normalize = has(vm, "l2-normalize");
}

TrainSettings parseSettings(const po::variables_map& vm) {
    const std::string& cmd = kInfo.name;
    TrainSettings s;
    try {
        if (auto v = optionalString(vm, "user-features")) {
            s.model.features.setUserFeatures(*v);
            s.userFeaturesGiven = true;
        }
        if (auto v = optionalString(vm, "movie-features")) {
            s.model.features.setMovieFeatures(*v);
        }
        if (auto v = optionalString(vm, "optimizer")) {
            s.training.optimizer = parseOptimizer(*v);
        }
    } catch (const ConfigError& e) {
        rethrowAsUsage(e);
    }
    if (auto v = optionalString(vm, "layers")) {
        s.model.layers = parseIntegerList(cmd, "--layers", *v, INT_MIN, INT_MAX);
    }
    if (auto v = optionalString(vm, "embedding-dim")) {
        s.model.embeddingDim =
            static_cast<int>(parseInteger(cmd, "--embedding-dim", *v, INT_MIN, INT_MAX));
    }
    s.training.learningRate = defaultLearningRate(s.training.optimizer);
    if (auto v = optionalString(vm, "lr")) {
        s.training.learningRate = parseNumber(cmd, "--lr", *v);
    }
    if (auto v = optionalString(vm, "batch")) {
        s.training.batchSize = static_cast<int>(parseInteger(cmd, "--batch", *v, INT_MIN, INT_MAX));
    }
    if (auto v = optionalString(vm, "epochs")) {
        s.training.epochs = static_cast<int>(parseInteger(cmd, "--epochs", *v, INT_MIN, INT_MAX));
    }
    if (auto v = optionalString(vm, "eval-every")) {
        s.training.evalEvery =
            static_cast<int>(parseInteger(cmd, "--eval-every", *v, INT_MIN, INT_MAX));
    }
    if (auto v = optionalString(vm, "eval-queries")) {
        s.training.evalQueries = parseEvalQueries(cmd, *v);
    }
    if (auto v = optionalString(vm, "seed")) {
        s.training.seed = parseUnsigned(cmd, "--seed", *v);
    }
    if (auto v = optionalString(vm, "seeds")) {
        if (vm.count("seed") != 0) {
            throw UsageError(cmd, "--seed and --seeds cannot be used together");
        }
        s.seeds = parseSeedList(cmd, *v);
    }
    if (auto v = optionalString(vm, "train-fraction")) {
        s.training.trainFraction = parseNumber(cmd, "--train-fraction", *v);
    }
    if (auto v = optionalString(vm, "split")) {
        try {
            s.training.split = parseSplitKind(*v);
        } catch (const ConfigError& e) {
            rethrowAsUsage(e);
        }
    }
    if (auto v = optionalString(vm, "threads")) {
        s.training.threads = static_cast<int>(parseInteger(cmd, "--threads", *v, INT_MIN, INT_MAX));
    }
    if (auto v = optionalString(vm, "logits")) {
        try {
            s.training.logits = parseLogitsPrecision(*v);
        } catch (const ConfigError& e) {
            rethrowAsUsage(e);
        }
    }
    s.training.excludeSeen = vm.count("exclude-seen") > 0;
    parseRetrievalOptions(vm, s);
    try {
        s.model.validate();
        s.training.validate();
    } catch (const ConfigError& e) {
        rethrowAsUsage(e);
    }
    s.out = optionalString(vm, "out");
    s.json = optionalString(vm, "json");
    return s;
}

std::string layersText(const std::vector<int>& layers) {
    std::string text;
    for (const int l : layers) {
        text += text.empty() ? "" : ",";
        text += std::to_string(l);
    }
    return "[" + text + "]";
}

std::string seconds(double s) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f s", s);
    return text;
}

int exitCodeOf(TrainOutcome outcome) {
    switch (outcome) {
    case TrainOutcome::Completed:
        return kExitOk;
    case TrainOutcome::Cancelled:
        return kExitCancelled;
    case TrainOutcome::Diverged:
        return kExitDiverged;
    }
    return kExitRuntimeError;
}

} // namespace

namespace {

// One training run of the settings with one seed, reported as the single-run JSON report.
struct SeedRun {
    TrainOutcome outcome = TrainOutcome::Completed;
    RankingMetrics metrics;
    std::optional<RankingMetrics> baseline;
    Json json;
};

SeedRun trainOneSeed(const TrainSettings& settings, const Dataset& dataset,
                     const std::optional<std::string>& out, const Notes& note, bool printTable) {
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    Trainer trainer(dataset, settings.model, settings.training);
    const TrainConfig& t = settings.training;
    note(dataset.name + ": " + std::to_string(dataset.users.size()) + " users, " +
         std::to_string(dataset.movies.size()) + " movies, " +
         std::to_string(dataset.ratings.size()) + " ratings (" +
         std::to_string(trainer.trainExamples()) + " train, " +
         std::to_string(trainer.testExamples()) + " test)");
    if (trainer.evaluatedTestExamples() < trainer.testExamples()) {
        note("evaluation: " + std::to_string(trainer.evaluatedTestExamples()) +
             " sampled test queries (seeded by the seed; --eval-queries all ranks every one)");
    }
    char lr[32];
    std::snprintf(lr, sizeof lr, "%g", t.learningRate);
    note("model: layers " + layersText(settings.model.layers) + ", embeddings " +
         std::to_string(settings.model.embeddingDim) + ", user features " +
         settings.model.features.userFeatureList() + ", movie features " +
         settings.model.features.movieFeatureList());
    note("training: " + optimizerName(t.optimizer) + " lr " + lr + ", batch " +
         std::to_string(t.batchSize) + ", " + std::to_string(t.epochs) + " epochs, seed " +
         std::to_string(t.seed));
    note("split: " + describeSplit(t));
    note("retrieval task: " + describeRetrievalTask(settings.model.l2Normalize, t.retrieval));
    if (!trainer.logitsNotice().empty()) {
        // Shown even with --quiet: the run is not the one asked for.
        std::cerr << "towerlab-cli train: --logits bf16 unavailable (" << trainer.logitsNotice()
                  << "); training with fp32 logits\n";
    } else if (trainer.logitsPrecision() == LogitsPrecision::Bf16) {
        note("logits: bf16 operands, " + trainer.bf16Engine());
    }
    if (trainer.history().baseline) {
        note("most-popular baseline: " + formatTopK(*trainer.history().baseline));
    }

    TrainReport report;
    ProgressPrinter progress(t.epochs, note.quiet());
    {
        const InterruptGuard interrupt;
        report = trainer.fit(progress, InterruptGuard::flag());
        if (report.outcome == TrainOutcome::Cancelled && trainer.evaluationPending()) {
            // Stopped while ranking the test examples of the weights it saves: that ranking is
            // the report's, so it is finished rather than begun again below.
            progress.clearLine();
            note("finishing the evaluation of epoch " + std::to_string(trainer.epochsDone() + 1) +
                 " for the report (Ctrl-C again ends at once, saving nothing)");
            const std::atomic<bool> never{false};
            trainer.runEpoch(progress, never);
            report.model = trainer.snapshot();
        }
    }
    // A completed run ends with an evaluation of exactly the saved weights; a stopped one
    // may have moved on since its last evaluation, so it is measured again.
    EpochRecord finalRecord;
    const auto& epochs = trainer.history().epochs;
    if (report.outcome == TrainOutcome::Completed && !epochs.empty() && epochs.back().test) {
        finalRecord = epochs.back();
    } else {
        finalRecord = trainer.evaluateNow(&progress);
        progress.clearLine();
    }
    const RankingMetrics& finalMetrics = *finalRecord.test;
    if (report.outcome != TrainOutcome::Completed) {
        note(outcomeName(report.outcome) + ": " + report.message);
    }
    if (out) {
        saveModel(*report.model, *out);
    }
    const double totalSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    const TrainingHistory& history = trainer.history();

    if (printTable) {
        std::cout << "outcome: " << outcomeName(report.outcome) << " after " << trainer.epochsDone()
                  << " of " << t.epochs << " epochs (training " << seconds(history.trainSeconds)
                  << ", evaluation " << seconds(history.evalSeconds) << ", total "
                  << seconds(totalSeconds) << ")\n";
        if (!report.message.empty()) {
            std::cout << "reason: " << report.message << '\n';
        }
        printMetricsTable(std::cout, finalMetrics, history.baseline, finalRecord.testExcludingSeen,
                          history.baselineExcludingSeen, trainer.testExamples());
        if (finalRecord.beyond) {
            printBeyondAccuracyTable(std::cout, *finalRecord.beyond, history.baselineBeyond);
        }
        if (out) {
            std::cout << "model saved to " << *out << '\n';
        }
    }
    Json json;
    json["command"] = "train";
    json["outcome"] = outcomeName(report.outcome);
    json["message"] = report.message;
    json["epochs_trained"] = trainer.epochsDone();
    json["config"] = configJson(settings.model, t);
    json["logits_in_use"] = logitsPrecisionName(trainer.logitsPrecision());
    Json data = datasetJson(dataset);
    data["train_examples"] = trainer.trainExamples();
    data["test_examples"] = trainer.testExamples();
    // The metrics' "examples": these many of test_examples, a seeded sample when fewer.
    data["evaluated_test_examples"] = trainer.evaluatedTestExamples();
    data["test_examples_sampled"] = trainer.evaluatedTestExamples() < trainer.testExamples();
    json["dataset"] = std::move(data);
    json["metrics"] = metricsJson(finalMetrics);
    json["metrics_excluding_seen"] =
        finalRecord.testExcludingSeen ? metricsJson(*finalRecord.testExcludingSeen) : Json();
    json["beyond_accuracy"] = finalRecord.beyond ? beyondAccuracyJson(*finalRecord.beyond) : Json();
    json["baseline"] = history.baseline ? metricsJson(*history.baseline) : Json();
    json["baseline_excluding_seen"] =
        history.baselineExcludingSeen ? metricsJson(*history.baselineExcludingSeen) : Json();
    json["baseline_beyond_accuracy"] =
        history.baselineBeyond ? beyondAccuracyJson(*history.baselineBeyond) : Json();
    json["history"] = historyJson(history);
    json["train_seconds"] = history.trainSeconds;
    json["eval_seconds"] = history.evalSeconds;
    json["total_seconds"] = totalSeconds;
    json["model_file"] = out ? Json(*out) : Json();
    return {report.outcome, finalMetrics, history.baseline, std::move(json)};
}

// Each metric of the runs' final evaluations as {mean, sd, runs}, keyed as in the runs'
// objects ("metrics", "beyond_accuracy"). A metric some run lacks (a genre diversity of a
// dataset without genres is null) is left out.
Json seedSummaryJson(const std::vector<Json>& metricsOfRuns) {
    Json summary = Json::object();
    if (metricsOfRuns.empty() || !metricsOfRuns.front().is_object()) {
        return summary;
    }
    for (const auto& [key, first] : metricsOfRuns.front().items()) {
        if (!first.is_number() || key == "examples" || key == "queries") {
            continue;
        }
        std::vector<double> values;
        for (const Json& m : metricsOfRuns) {
            if (!m.is_object() || !m.contains(key) || !m.at(key).is_number()) {
                values.clear();
                break;
            }
            values.push_back(m.at(key).get<double>());
        }
        if (values.empty()) {
            continue;
        }
        const SeedSummary s = summarizeSeeds(values);
        summary[key] = Json{{"mean", s.mean}, {"sd", s.sd}, {"runs", s.runs}};
    }
    return summary;
}

void printSeedSummary(std::ostream& out, const Json& model, const Json& baseline) {
    out << "metric over seeds (mean ± sd)    model                most popular\n";
    for (const auto& [key, value] : model.items()) {
        char line[160];
        const Json& b = baseline.contains(key) ? baseline.at(key) : Json();
        std::snprintf(line, sizeof line, "%-32s %.4f ± %.4f", key.c_str(),
                      value.at("mean").get<double>(), value.at("sd").get<double>());
        out << line;
        if (b.is_object()) {
            std::snprintf(line, sizeof line, "      %.4f ± %.4f", b.at("mean").get<double>(),
                          b.at("sd").get<double>());
            out << line;
        }
        out << '\n';
    }
}

} // namespace

int runTrain(const Arguments& args) {
    po::options_description options = makeOptions();
    addTrainOptions(options);
    const auto vm = parseCommandLine(kInfo, options, args);
    if (!vm) {
        return kExitOk;
    }
    TrainSettings settings = parseSettings(*vm);
    const Notes note(*vm);
    checkDatasetFlags(kInfo.name, *vm);
    if (settings.out) {
        checkOutputFile(kInfo.name, "--out", *settings.out);
        for (const std::uint64_t seed : settings.seeds) {
            checkOutputFile(kInfo.name, "--out", perSeedPath(*settings.out, seed));
        }
    }
    if (settings.json && *settings.json != "-") {
        checkOutputFile(kInfo.name, "--json", *settings.json);
    }

    const Dataset dataset = loadDatasetFlags(kInfo.name, *vm);
    if (!settings.userFeaturesGiven) {
        settings.model.features = withDefaultUserFeatures(dataset, settings.model.features);
    }
    // Not a usage error: the flag is well-formed, the dataset lacks what it names.
    requireAvailableFeatures(dataset, settings.model.features);
    const bool jsonOnStdout = settings.json && *settings.json == "-";

    if (settings.seeds.empty()) {
        SeedRun run = trainOneSeed(settings, dataset, settings.out, note, !jsonOnStdout);
        if (settings.json) {
            writeJson(run.json, *settings.json);
        }
        return exitCodeOf(run.outcome);
    }

    // Several seeds: the same configuration, one run after another (each run already uses
    // both cores). A run that does not complete stops the series: its mean would mix
    // unfinished models in.
    Json runs = Json::array();
    std::vector<Json> modelMetrics;
    std::vector<Json> baselineMetrics;
    std::vector<Json> modelBeyond;
    std::vector<Json> baselineBeyond;
    for (const std::uint64_t seed : settings.seeds) {
        TrainSettings one = settings;
        one.training.seed = seed;
        const std::optional<std::string> out =
            settings.out ? std::optional<std::string>(perSeedPath(*settings.out, seed))
                         : std::nullopt;
        SeedRun run = trainOneSeed(one, dataset, out, note, false);
        if (!jsonOnStdout) {
            std::cout << "seed " << seed << ": " << outcomeName(run.outcome) << ", "
                      << formatTopK(run.metrics)
                      << (out ? ", model saved to " + *out : std::string()) << '\n';
        }
        modelMetrics.push_back(run.json["metrics"]);
        modelBeyond.push_back(run.json["beyond_accuracy"]);
        baselineBeyond.push_back(run.json["baseline_beyond_accuracy"]);
        if (run.baseline) {
            baselineMetrics.push_back(run.json["baseline"]);
        }
        runs.push_back(std::move(run.json));
        if (run.outcome != TrainOutcome::Completed) {
            note("stopped after seed " + std::to_string(seed) + "; no summary over the seeds");
            if (settings.json) {
                writeJson(Json{{"command", "train"}, {"seeds", settings.seeds}, {"runs", runs}},
                          *settings.json);
            }
            return exitCodeOf(run.outcome);
        }
    }
    Json summary = seedSummaryJson(modelMetrics);
    Json baselineSummary =
        baselineMetrics.size() == modelMetrics.size() ? seedSummaryJson(baselineMetrics) : Json();
    if (!jsonOnStdout) {
        printSeedSummary(std::cout, summary, baselineSummary);
    }
    if (settings.json) {
        Json json;
        json["command"] = "train";
        json["seeds"] = settings.seeds;
        json["runs"] = std::move(runs);
        json["summary"] = Json{{"metrics", summary},
                               {"baseline", baselineSummary},
                               {"beyond_accuracy", seedSummaryJson(modelBeyond)},
                               {"baseline_beyond_accuracy", seedSummaryJson(baselineBeyond)}};
        writeJson(json, *settings.json);
    }
    return kExitOk;
}

} // namespace towerlab::cli
