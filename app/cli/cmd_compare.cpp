// towerlab-cli compare: is configuration B better than A? Reads two `train --seeds` JSON
// reports, pairs their runs by seed and gives a verdict on one metric (paired t-test over the
// shared seeds, 95% interval) in a sentence, and as JSON.

#include "cli_error.hpp"
#include "cli_inputs.hpp"
#include "cli_options.hpp"
#include "commands.hpp"
#include "json_output.hpp"

#include "train/seed_verdict.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>

namespace towerlab::cli {

namespace {

const CommandInfo kInfo{
    "compare", "Say whether configuration B beats A over the seeds both were trained with",
    "towerlab-cli compare --first A.json --second B.json [--metric NAME] [options]",
    "  towerlab-cli train --demo --seeds 1,2,3 --json a.json\n"
    "  towerlab-cli train --demo --seeds 1,2,3 --layers 64,32 --json b.json\n"
    "  towerlab-cli compare --first a.json --second b.json --metric top_100 --names "
    "\"[32],[64,32]\"\n"};

struct Report {
    std::string path;
    std::string fingerprint;
    std::map<std::uint64_t, double> bySeed; // the metric of each completed run
};

Report readReport(const std::string& path, const std::string& metric) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error(path + ": cannot be read");
    }
    Json json;
    try {
        json = Json::parse(in);
    } catch (const Json::parse_error& e) {
        throw std::runtime_error(path + ": not JSON (" + e.what() + ")");
    }
    if (!json.is_object() || json.value("command", "") != "train") {
        throw std::runtime_error(path + ": not a report of towerlab-cli train --json");
    }
    if (!json.contains("runs")) {
        throw std::runtime_error(
            path + ": a single run; train the configuration with --seeds (e.g. --seeds 1,2,3) "
                   "so the comparison can tell a real difference from a seed's luck");
    }
    Report report;
    report.path = path;
    for (const Json& run : json.at("runs")) {
        const std::string fingerprint = run.at("dataset").value("fingerprint", "");
        if (report.fingerprint.empty()) {
            report.fingerprint = fingerprint;
        }
        if (run.value("outcome", "") != "completed") {
            continue;
        }
        // Ranking metrics, then the metrics beyond accuracy (coverage_100, gini_10, ...).
        const Json* value = nullptr;
        for (const char* section : {"metrics", "beyond_accuracy"}) {
            if (run.contains(section) && run.at(section).is_object() &&
                run.at(section).contains(metric) && run.at(section).at(metric).is_number()) {
                value = &run.at(section).at(metric);
                break;
            }
        }
        if (value == nullptr) {
            throw std::runtime_error(path + ": metric '" + metric +
                                     "' is in neither 'metrics' nor 'beyond_accuracy' (metrics "
                                     "are named like top_100, ndcg_10, mrr, coverage_100, "
                                     "popularity_percentile_10, novelty_100)");
        }
        report.bySeed[run.at("config").at("seed").get<std::uint64_t>()] = value->get<double>();
    }
    return report;
}

std::pair<std::string, std::string> names(const po::variables_map& vm, const std::string& first,
                                          const std::string& second) {
    if (auto text = optionalString(vm, "names")) {
        const auto comma = text->find(',');
        if (comma == std::string::npos || comma == 0 || comma + 1 == text->size()) {
            throw UsageError(kInfo.name, "--names takes two names with a comma, e.g. \"A,B\"");
        }
        return {text->substr(0, comma), text->substr(comma + 1)};
    }
    return {std::filesystem::path(first).stem().string(),
            std::filesystem::path(second).stem().string()};
}

} // namespace

int runCompare(const Arguments& args) {
    po::options_description options = makeOptions();
    options.add_options()("first", arg("FILE"), "report A: JSON of train --seeds")(
        "second", arg("FILE"), "report B: JSON of train --seeds with the same seeds")(
        "metric", arg("NAME"), "the metric to compare, as named in the reports (default: top_100)")(
        "names", arg("A,B"), "what to call the two in the verdict (default: the file names)")(
        "json", arg("FILE"), "write the verdict as JSON to this file (- = stdout)");
    const auto vm = parseCommandLine(kInfo, options, args);
    if (!vm) {
        return kExitOk;
    }
    const std::string& cmd = kInfo.name;
    const auto firstPath = optionalString(*vm, "first");
    const auto secondPath = optionalString(*vm, "second");
    if (!firstPath || !secondPath) {
        throw UsageError(cmd, "--first and --second are required");
    }
    const std::string metric = optionalString(*vm, "metric").value_or("top_100");
    const auto [firstName, secondName] = names(*vm, *firstPath, *secondPath);
    const auto json = optionalString(*vm, "json");
    if (json && *json != "-") {
        checkOutputFile(cmd, "--json", *json);
    }

    const Report a = readReport(*firstPath, metric);
    const Report b = readReport(*secondPath, metric);
    if (a.fingerprint != b.fingerprint) {
        throw std::runtime_error("the two reports were trained on different data (" +
                                 a.fingerprint + " in " + a.path + ", " + b.fingerprint + " in " +
                                 b.path + "); a comparison needs the same dataset");
    }
    std::vector<std::uint64_t> seeds;
    std::vector<double> firstValues;
    std::vector<double> secondValues;
    for (const auto& [seed, value] : a.bySeed) {
        if (const auto other = b.bySeed.find(seed); other != b.bySeed.end()) {
            seeds.push_back(seed);
            firstValues.push_back(value);
            secondValues.push_back(other->second);
        }
    }
    if (seeds.size() < 2) {
        throw std::runtime_error("the reports share " + std::to_string(seeds.size()) +
                                 " completed seed(s); a verdict needs at least two (train both "
                                 "with the same --seeds)");
    }
    const DifferenceVerdict verdict = pairedSeedVerdict(firstValues, secondValues);
    const SeedSummary first = summarizeSeeds(firstValues);
    const SeedSummary second = summarizeSeeds(secondValues);
    const std::string sentence = verdictSentence(verdict, metric, firstName, secondName);

    if (!json || *json != "-") {
        char line[160];
        std::snprintf(line, sizeof line, "%s: %s %.4f ± %.4f over %d seeds\n", firstName.c_str(),
                      metric.c_str(), first.mean, first.sd, first.runs);
        std::cout << line;
        std::snprintf(line, sizeof line, "%s: %s %.4f ± %.4f over %d seeds\n", secondName.c_str(),
                      metric.c_str(), second.mean, second.sd, second.runs);
        std::cout << line << sentence << '\n';
    }
    if (json) {
        const char* kinds[] = {"second_better", "first_better", "no_detectable_difference"};
        Json out;
        out["command"] = "compare";
        out["metric"] = metric;
        out["seeds"] = seeds;
        out["first"] = Json{{"name", firstName},
                            {"file", *firstPath},
                            {"values", firstValues},
                            {"mean", first.mean},
                            {"sd", first.sd}};
        out["second"] = Json{{"name", secondName},
                             {"file", *secondPath},
                             {"values", secondValues},
                             {"mean", second.mean},
                             {"sd", second.sd}};
        out["verdict"] = Json{{"kind", kinds[static_cast<int>(verdict.kind)]},
                              {"method", "paired_t"},
                              {"difference", verdict.difference},
                              {"low", verdict.low},
                              {"high", verdict.high},
                              {"p_value", verdict.pValue},
                              {"sentence", sentence}};
        writeJson(out, *json);
    }
    return kExitOk;
}

} // namespace towerlab::cli
