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
#include "retrieval/hnsw_index.hpp"
#include "retrieval/retrieval.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <map>
#include <optional>

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
    "--age 25 --occupation writer --gender F --timestamp 1997-12-01\n"
    "  towerlab-cli recommend --model m.tlm --index hnsw --ef 50 --age 25 --occupation writer "
    "--gender F --timestamp 1997-12-01\n"};

constexpr std::int64_t kDefaultEf = 100;

// --index hnsw and its knobs, checked before the model is loaded where they can be.
struct IndexChoice {
    bool hnsw = false;
    std::optional<std::int64_t> ef; // --ef as given
    HnswParams params;
};

IndexChoice parseIndexChoice(const std::string& cmd, const po::variables_map& vm) {
    IndexChoice c;
    const std::string kind = optionalString(vm, "index").value_or("brute");
    if (kind == "hnsw") {
        c.hnsw = true;
    } else if (kind != "brute") {
        throw UsageError(cmd, "--index: must be brute (exact, every movie scored) or hnsw "
                              "(approximate), got \"" +
                                  kind + "\"");
    }
    for (const char* flag : {"ef", "hnsw-m", "threads"}) {
        if (!c.hnsw && has(vm, flag)) {
            throw UsageError(cmd, std::string("--") + flag + " is only used with --index hnsw");
        }
    }
    if (auto text = optionalString(vm, "ef")) {
        c.ef = parseInteger(cmd, "--ef", *text, 1, 1'000'000);
    }
    if (auto text = optionalString(vm, "hnsw-m")) {
        c.params.m = static_cast<int>(parseInteger(cmd, "--hnsw-m", *text, 2, 100));
    }
    c.params.threads = 0;
    if (auto text = optionalString(vm, "threads")) {
        c.params.threads = static_cast<int>(parseInteger(cmd, "--threads", *text, 0, 256));
    }
    return c;
}

double msSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
}

// What the approximate list cost and missed, against brute force for the same query.
struct IndexReport {
    double buildSeconds = 0.0;
    double hnswMs = 0.0;
    double bruteMs = 0.0;
    std::size_t found = 0; // of brute force's list, how many the index returned
    std::size_t ef = 0;
};

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
        "json", arg("FILE"), "write the results as JSON to this file (- = stdout)")(
        "index", arg("KIND"),
        "brute: score every movie (exact, the default); hnsw: search an HNSW graph built "
        "from the movie vectors (approximate; prints build and query time and the recall "
        "against brute force for this query)")(
        "ef", arg("N"),
        "HNSW search list length, at least k (default: 100, or k when larger); larger is "
        "slower and closer to exact")("hnsw-m", arg("M"),
                                      "HNSW links per movie, 2..100 (default: 16)")(
        "threads", arg("N"),
        "HNSW build threads, 0 = all cores (default: 0); 1 builds the same graph every run");
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
    const IndexChoice index = parseIndexChoice(cmd, *vm);
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
    std::vector<ScoredMovie> results;
    std::optional<IndexReport> report;
    if (!index.hnsw) {
        results = recommend(*model, query, k, excluded);
    } else {
        IndexReport r;
        r.ef = static_cast<std::size_t>(
            index.ef.value_or(std::max<std::int64_t>(kDefaultEf, static_cast<std::int64_t>(k))));
        if (r.ef < k) {
            throw UsageError(cmd, "--ef: must be at least k (" + std::to_string(k) + "), got " +
                                      std::to_string(r.ef));
        }
        const auto hnsw = HnswIndex::build(model->candidateEmbeddings, index.params);
        r.buildSeconds = hnsw->buildSeconds();
        const RowVector q = queryEmbedding(*model, query);
        auto start = std::chrono::steady_clock::now();
        results = hnsw->search(q, k, r.ef, excluded);
        r.hnswMs = msSince(start);
        start = std::chrono::steady_clock::now();
        const std::vector<ScoredMovie> exact = topKOfScores(scoreAll(*model, q), k, excluded);
        r.bruteMs = msSince(start);
        for (const ScoredMovie& e : exact) {
            r.found += static_cast<std::size_t>(
                std::count_if(results.begin(), results.end(),
                              [&e](const ScoredMovie& m) { return m.movie == e.movie; }));
        }
        report = r;
    }
    if (results.size() < k) {
        note("note: only " + std::to_string(results.size()) + " movies are left to recommend");
    }

    if (!json || *json != "-") {
        std::cout << "query: " << describeQuery(query, *model) << '\n';
        printMovieTable(std::cout, *model, results, MovieTableRank::Position);
        if (report) {
            char line[400];
            std::snprintf(line, sizeof line,
                          "index: HNSW (M %d, ef_construction %d, ef %zu) built in %.2f s over "
                          "%zu movies\n"
                          "query: HNSW %.3f ms, brute force %.3f ms; recall@%zu against brute "
                          "force %.2f (%zu of %zu)\n",
                          index.params.m, index.params.efConstruction, report->ef,
                          report->buildSeconds, model->catalogue.size(), report->hnswMs,
                          report->bruteMs, k,
                          results.empty() ? 1.0
                                          : static_cast<double>(report->found) /
                                                static_cast<double>(results.size()),
                          report->found, results.size());
            std::cout << line;
        }
    }
    if (json) {
        Json out;
        out["command"] = "recommend";
        out["model_file"] = (*vm)["model"].as<std::string>();
        out["query"] = queryJson(query, *model);
        out["k"] = k;
        out["excluded"] = excluded.size();
        Json indexJson;
        indexJson["kind"] = report ? "hnsw" : "brute";
        if (report) {
            indexJson["m"] = index.params.m;
            indexJson["ef_construction"] = index.params.efConstruction;
            indexJson["ef"] = report->ef;
            indexJson["build_seconds"] = report->buildSeconds;
            indexJson["query_ms"] = report->hnswMs;
            indexJson["brute_force_ms"] = report->bruteMs;
            indexJson["recall"] = results.empty() ? 1.0
                                                  : static_cast<double>(report->found) /
                                                        static_cast<double>(results.size());
        }
        out["index"] = std::move(indexJson);
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
