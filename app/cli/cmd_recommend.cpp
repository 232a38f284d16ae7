// towerlab-cli recommend: the top-k movies of a trained model for a user query.

#include "cli_error.hpp"
#include "cli_inputs.hpp"
#include "cli_options.hpp"
#include "commands.hpp"
#include "json_output.hpp"
#include "movie_text.hpp"
#include "query_options.hpp"

#include "data/split.hpp"
#include "model/training_split.hpp"
#include "retrieval/retrieval.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <map>

namespace towerlab::cli {

namespace {

const CommandInfo kInfo{
    "recommend", "Recommend the top-k movies of a model for a user query",
    "towerlab-cli recommend --model FILE --age YEARS --occupation OCC --gender M|F "
    "--timestamp TIME [options]",
    "  towerlab-cli recommend --model m.tlm --age 25 --occupation student --gender M "
    "--timestamp 879024327 -k 50\n"
    "  towerlab-cli recommend --model m.tlm --age 40 --occupation 6 --gender F "
    "--timestamp 1998-01-15 --json top.json\n"
    "  towerlab-cli recommend --model m.tlm --data ml-100k --user-id 42 --exclude-rated "
    "--age 25 --occupation writer --gender F --timestamp 1997-12-01\n"};

// Catalogue indices of the movies `userId` rated in the training split of `dataset`, split
// as the model's own TrainConfig says (kind, seed, fraction: on the training data it is the
// training split).
std::vector<std::int32_t> ratedInTraining(const TrainedModel& model, const Dataset& dataset,
                                          std::int64_t userId) {
    std::int32_t user = -1;
    for (std::size_t u = 0; u < dataset.users.size(); ++u) {
        if (dataset.users[u].id == userId) {
            user = static_cast<std::int32_t>(u);
            break;
        }
    }
    if (user < 0) {
        throw std::runtime_error("--user-id: user " + std::to_string(userId) +
                                 " is not in the dataset \"" + dataset.name + "\" (" +
                                 dataset.source + ")");
    }
    const bool sameDataset = dataset.fingerprint() == model.datasetFingerprint;
    std::map<std::string, std::int32_t, std::less<>> byTitle;
    if (!sameDataset) {
        for (std::size_t i = 0; i < model.catalogue.size(); ++i) {
            byTitle.emplace(model.catalogue.titles[i], static_cast<std::int32_t>(i));
        }
    }
    const TrainTestSplit split = splitForTraining(dataset, model.training);
    std::vector<std::int32_t> rated;
    for (const std::int32_t e : split.train) {
        const Rating& r = dataset.ratings[static_cast<std::size_t>(e)];
        if (r.user != user) {
            continue;
        }
        if (sameDataset) {
            rated.push_back(r.movie);
        } else if (auto it = byTitle.find(dataset.movies[static_cast<std::size_t>(r.movie)].title);
                   it != byTitle.end()) {
            rated.push_back(it->second);
        }
    }
    std::sort(rated.begin(), rated.end());
    rated.erase(std::unique(rated.begin(), rated.end()), rated.end());
    return rated;
}

} // namespace

int runRecommend(const Arguments& args) {
    po::options_description options = makeOptions();
    addModelOption(options);
    addQueryOptions(options);
    options.add_options()("k,k", arg("K"), "how many movies, 1..catalogue size (default: 10)");
    addDatasetOptions(options, "for --exclude-rated");
    options.add_options()("exclude-rated",
                          "skip the movies --user-id rated in the model's training split of "
                          "--data (needs --user-id and --data or --demo)")(
        "json", arg("FILE"), "write the results as JSON to this file (- = stdout)");
    const auto vm = parseCommandLine(kInfo, options, args);
    if (!vm) {
        return kExitOk;
    }
    const std::string& cmd = kInfo.name;
    const Notes note(*vm);
    checkModelFlag(cmd, *vm);
    const QueryArguments queryArgs = parseQueryArguments(cmd, *vm);
    const bool excludeRated = has(*vm, "exclude-rated");
    if (excludeRated && !queryArgs.userId) {
        throw UsageError(cmd, "--exclude-rated needs --user-id (whose ratings to skip)");
    }
    if (excludeRated && !datasetGiven(*vm)) {
        throw UsageError(cmd, "--exclude-rated needs --data FOLDER_OR_ZIP or --demo (the "
                              "dataset holding the user's ratings)");
    }
    if (excludeRated) {
        checkDatasetFlags(cmd, *vm);
    }
    if (!excludeRated && datasetGiven(*vm)) {
        throw UsageError(cmd, "--data and --demo are only used with --exclude-rated");
    }
    const auto json = optionalString(*vm, "json");
    if (json && *json != "-") {
        checkOutputFile(cmd, "--json", *json);
    }
    const auto model = loadModelFlag(cmd, *vm);
    const auto catalogueSize = static_cast<std::int64_t>(model->catalogue.size());
    std::size_t k = 10;
    if (auto text = optionalString(*vm, "k")) {
        const std::int64_t wanted = parseInteger(cmd, "-k", *text, INT64_MIN, INT64_MAX);
        if (wanted < 1 || wanted > catalogueSize) {
            throw UsageError(cmd, "-k: must be between 1 and " + std::to_string(catalogueSize) +
                                      " (the model's catalogue size), got " + *text);
        }
        k = static_cast<std::size_t>(wanted);
    } else if (catalogueSize < 10) {
        k = static_cast<std::size_t>(catalogueSize);
    }
    bool unknownUser = false;
    const UserQuery query = makeUserQuery(cmd, queryArgs, *model, unknownUser);
    if (unknownUser) {
        note("note: the model uses user ids and no --user-id was given; the query is an "
             "unknown user");
    }
    std::vector<std::int32_t> excluded;
    if (excludeRated) {
        const Dataset dataset = loadDatasetFlags(cmd, *vm);
        if (dataset.fingerprint() != model->datasetFingerprint) {
            note("note: \"" + dataset.name +
                 "\" is not the dataset the model was trained on; "
                 "its split is not the model's training split");
        }
        excluded = ratedInTraining(*model, dataset, *queryArgs.userId);
        note("excluding " + std::to_string(excluded.size()) + " movies user " +
             std::to_string(*queryArgs.userId) + " rated in the training split");
    }
    const std::vector<ScoredMovie> results = recommend(*model, query, k, excluded);
    if (results.size() < k) {
        note("note: only " + std::to_string(results.size()) + " movies are left to recommend");
    }

    if (!json || *json != "-") {
        std::cout << "query: " << describeQuery(query, *model) << '\n';
        printMovieTable(std::cout, *model, results, MovieTableRank::Position);
    }
    if (json) {
        Json out;
        out["command"] = "recommend";
        out["model_file"] = (*vm)["model"].as<std::string>();
        out["query"] = queryJson(query, *model);
        out["k"] = k;
        out["excluded"] = excluded.size();
        Json rows = Json::array();
        for (std::size_t i = 0; i < results.size(); ++i) {
            Json movie = movieJson(*model, results[i].movie);
            Json row;
            row["rank"] = i + 1;
            row["title"] = std::move(movie["title"]);
            row["score"] = results[i].score;
            movie.erase("title");
            row.update(movie);
            rows.push_back(std::move(row));
        }
        out["results"] = std::move(rows);
        writeJson(out, *json);
    }
    return kExitOk;
}

} // namespace towerlab::cli
