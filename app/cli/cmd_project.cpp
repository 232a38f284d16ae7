// towerlab-cli project: a 2-D map of the movie (candidate tower) or user (query tower)
// embeddings by PCA or t-SNE, written as a TSV of id, label, x, y, with how faithful the map
// is (trustworthiness@10) and how long it took.

#include "cli_error.hpp"
#include "cli_inputs.hpp"
#include "cli_options.hpp"
#include "commands.hpp"
#include "interrupt.hpp"

#include "data/dataset_summary.hpp"
#include "io/map_tsv.hpp"
#include "projection/pca.hpp"
#include "projection/trustworthiness.hpp"
#include "projection/tsne.hpp"
#include "projection/tsne_subsample.hpp"
#include "retrieval/user_queries.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <limits>

namespace towerlab::cli {

namespace {

const CommandInfo kInfo{
    "project", "Map movie or user embeddings to 2-D (PCA or t-SNE) and write id, label, x, y",
    "towerlab-cli project --model FILE (--movies | --users (--data PATH | --demo)) "
    "--method pca|tsne [--seed S] [--perplexity P] [--iterations N] [--tsne-points N|all] "
    "--out MAP.tsv",
    "  towerlab-cli project --model m.tlm --movies --method pca --out movies_pca.tsv\n"
    "  towerlab-cli project --model m.tlm --movies --method tsne --perplexity 30 --out "
    "movies_tsne.tsv\n"
    "  towerlab-cli project --model m.tlm --users --data ../shared/datasets/ml-100k "
    "--method tsne --out users.tsv\n"};

constexpr int kTrustworthinessK = 10;

// The points to map with an id and a readable label each.
struct MapInput {
    RowMatrix points;
    std::vector<std::int64_t> ids;
    std::vector<std::string> labels;
    std::vector<double> weights; // what a t-SNE subsample keeps first; empty: a random sample
    std::string noun, weightedBy;
};

MapInput movieInput(const TrainedModel& model) {
    MapInput in;
    in.points = model.candidateEmbeddings;
    in.ids = model.catalogue.movieIds;
    in.labels = model.catalogue.titles;
    if (model.catalogue.popularity.size() == model.catalogue.titles.size()) {
        in.weights.assign(model.catalogue.popularity.begin(), model.catalogue.popularity.end());
    }
    in.noun = "movies";
    in.weightedBy = "most-rated";
    return in;
}

// "25-34 · student · M", leaving out what the dataset does not know.
std::string userLabel(const User& user) {
    std::string label;
    auto add = [&label](const std::string& part) {
        label += label.empty() ? "" : " \u00b7 ";
        label += part;
    };
    if (user.ageBucket >= 0) {
        add(ageBucketLabel(user.ageBucket));
    }
    if (user.occupationLabel >= 0) {
        add(occupationLabels().at(static_cast<std::size_t>(user.occupationLabel)));
    }
    if (user.gender >= 0) {
        add(user.gender == 1 ? "M" : "F");
    }
    return label.empty() ? "user " + std::to_string(user.id) : label;
}

MapInput userInput(const TrainedModel& model, const Dataset& dataset, const Notes& note) {
    const std::vector<DatasetUserQuery> queries = datasetUserQueries(dataset);
    if (queries.size() < dataset.users.size()) {
        note("note: " + std::to_string(dataset.users.size() - queries.size()) +
             " users without ratings have no time and are left out");
    }
    MapInput in;
    in.points = userQueryEmbeddings(model, queries);
    for (const DatasetUserQuery& q : queries) {
        const User& user = dataset.users[static_cast<std::size_t>(q.user)];
        in.ids.push_back(user.id);
        in.labels.push_back(userLabel(user));
    }
    in.noun = "users";
    return in;
}

// t-SNE progress on stderr every 50 iterations (when the KL divergence is computed).
class TsneNotes : public TsneProgress {
public:
    explicit TsneNotes(const Notes& note) : m_note(note) {}
    void onIteration(const TsneIteration& it) override {
        if (!it.klDivergence) {
            return;
        }
        char line[160];
        std::snprintf(line, sizeof line, "t-SNE iteration %d/%d: KL divergence %.4f%s (%.1f s)",
                      it.iteration, it.iterations, *it.klDivergence,
                      it.exaggerated ? " (exaggerated)" : "", it.elapsedSeconds);
        m_note(line);
    }

private:
    const Notes& m_note;
};

std::string fixed(double value, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, value);
    return text;
}

} // namespace

int runProject(const Arguments& args) {
    po::options_description options = makeOptions();
    addModelOption(options);
    options.add_options()("movies", "map the catalogue's movie embeddings (candidate tower)")(
        "users", "map one query-tower embedding per user of --data / --demo: their attributes "
                 "at the median time of their ratings");
    addDatasetOptions(options, "whose users --users maps (must be the model's dataset)");
    options.add_options()("method", arg("METHOD"), "pca or tsne")(
        "seed", arg("S"),
        "t-SNE: start from random positions drawn with this seed (default: from the PCA map, "
        "which needs no seed)")("perplexity", arg("P"),
                                "t-SNE: the effective number of neighbours, > 0 and below the "
                                "number of points (default: 30)")(
        "iterations", arg("N"), "t-SNE: gradient steps, 250 of them exaggerated (default: 1000)")(
        "tsne-points", arg("N|all"),
        "t-SNE: above N points, map the N most-rated movies (a random N users) and place the "
        "rest at the median of their 10 nearest mapped points; all = every point, however long "
        "it takes (default: 30000, about a minute on 2 cores)")(
        "out", arg("FILE"), "the map to write: a TSV with a header and id, label, x, y per point");
    const auto vm = parseCommandLine(kInfo, options, args);
    if (!vm) {
        return kExitOk;
    }
    const std::string& cmd = kInfo.name;
    const Notes note(*vm);
    checkModelFlag(cmd, *vm);
    const bool movies = has(*vm, "movies");
    const bool users = has(*vm, "users");
    if (movies == users) {
        throw UsageError(cmd, "pass exactly one of --movies and --users");
    }
    if (users && !datasetGiven(*vm)) {
        throw UsageError(cmd, "--users needs --data FOLDER_OR_ZIP or --demo: the dataset the "
                              "model was trained on, whose users to map");
    }
    if (users) {
        checkDatasetFlags(cmd, *vm);
    }
    if (movies && datasetGiven(*vm)) {
        throw UsageError(cmd, "--data and --demo are only used with --users");
    }
    const std::string method = requiredString(cmd, *vm, "method", "pca or tsne");
    if (method != "pca" && method != "tsne") {
        throw UsageError(cmd, "--method: \"" + method + "\" is not pca or tsne");
    }
    TsneOptions tsneOptions;
    for (const char* flag : {"seed", "perplexity", "iterations", "tsne-points"}) {
        if (method == "pca" && has(*vm, flag)) {
            throw UsageError(cmd, std::string("--") + flag +
                                      " is a t-SNE setting; use it with "
                                      "--method tsne");
        }
    }
    if (const auto seed = optionalString(*vm, "seed")) {
        tsneOptions.seed = parseUnsigned(cmd, "--seed", *seed);
        tsneOptions.init = TsneInit::Random;
    }
    if (const auto perplexity = optionalString(*vm, "perplexity")) {
        tsneOptions.perplexity = parseNumber(cmd, "--perplexity", *perplexity);
        if (tsneOptions.perplexity <= 0.0) {
            throw UsageError(cmd, "--perplexity: must be above 0, got " + *perplexity);
        }
    }
    if (const auto iterations = optionalString(*vm, "iterations")) {
        tsneOptions.iterations =
            static_cast<int>(parseInteger(cmd, "--iterations", *iterations, 1, 1000000));
    }
    int pointLimit = kTsneFullRunLimit;
    if (const auto points = optionalString(*vm, "tsne-points")) {
        pointLimit =
            *points == "all"
                ? 0
                : static_cast<int>(parseInteger(cmd, "--tsne-points", *points, 100, 100000000));
    }
    const std::string out = requiredString(cmd, *vm, "out", "the map file to write");
    checkOutputFile(cmd, "--out", out);

    const auto started = std::chrono::steady_clock::now();
    const auto model = loadModelFlag(cmd, *vm);
    MapInput input;
    if (movies) {
        input = movieInput(*model);
    } else {
        const Dataset dataset = loadDatasetFlags(cmd, *vm);
        if (dataset.fingerprint() != model->datasetFingerprint) {
            throw std::runtime_error(
                "--users: \"" + dataset.name + "\" (fingerprint " + dataset.fingerprint() +
                ") is not the dataset the model was trained on (\"" + model->datasetName +
                "\", fingerprint " + model->datasetFingerprint +
                "); pass that dataset so the users are the model's own");
        }
        input = userInput(*model, dataset, note);
    }
    const char* what = movies ? "movie" : "user";
    if (input.points.rows() < 2) {
        throw std::runtime_error(std::string("a map needs at least 2 ") + what + "s, there are " +
                                 std::to_string(input.points.rows()));
    }

    const auto projectionStart = std::chrono::steady_clock::now();
    RowMatrix xy;
    std::string summary;
    if (method == "pca") {
        if (input.points.cols() < 2) {
            throw std::runtime_error("--method pca: the model's embeddings have " +
                                     std::to_string(input.points.cols()) +
                                     " dimension; a 2-D map needs at least 2");
        }
        const PcaResult fit = pca(input.points, 2);
        xy = fit.projected;
        summary = "PCA: the 2 components explain " +
                  fixed(100.0 * fit.explainedVarianceRatio.sum(), 1) + "% of the variance (" +
                  fixed(100.0 * fit.explainedVarianceRatio[0], 1) + "% + " +
                  fixed(100.0 * fit.explainedVarianceRatio[1], 1) + "%)";
    } else {
        if (input.points.cols() < 2) {
            tsneOptions.init = TsneInit::Random; // PCA initialisation needs 2 columns
        }
        const InterruptGuard interrupt;
        TsneNotes progress(note);
        const TsneSubsample subsample =
            tsneSubsample(input.points.rows(), input.weights, pointLimit);
        const RowMatrix mapped =
            subsample.used() ? embeddedRows(input.points, subsample) : RowMatrix();
        const TsneResult result = tsne(subsample.used() ? mapped : input.points, tsneOptions,
                                       &progress, &interrupt.flag());
        if (result.outcome == TsneOutcome::Cancelled) {
            std::cerr << "towerlab-cli: interrupted after " << result.iterations
                      << " t-SNE iterations; nothing written\n";
            return kExitCancelled;
        }
        xy = result.embedding;
        if (subsample.used()) {
            xy = placeSubsample(input.points, subsample, result.embedding, kTsnePlacementNeighbours,
                                tsneOptions.threads, &interrupt.flag());
            if (xy.rows() == 0) {
                std::cerr << "towerlab-cli: interrupted while placing the points t-SNE left "
                             "out; nothing written\n";
                return kExitCancelled;
            }
            note("note: " + tsneSubsampleNote(subsample, input.noun, input.weightedBy) +
                 " --tsne-points all maps every one.");
        }
        summary = std::string("t-SNE (") +
                  (result.method == TsneMethod::Exact ? "exact" : "Barnes-Hut") + ", perplexity " +
                  fixed(tsneOptions.perplexity, 1) + "): " + std::to_string(result.iterations) +
                  " iterations" + (result.outcome == TsneOutcome::Converged ? " (converged)" : "") +
                  (result.klDivergence ? ", KL divergence " + fixed(*result.klDivergence, 4)
                                       : std::string()) +
                  (subsample.used()
                       ? "; " + std::to_string(subsample.embedded.size()) + " of " +
                             std::to_string(subsample.total()) + " points mapped, the rest placed"
                       : std::string()) +
                  "; affinities " + fixed(result.affinitySeconds, 2) + " s";
    }
    const double projectionSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - projectionStart).count();
    writeMapTsv(out, movies ? "movie_id" : "user_id", movies ? "title" : "label", input.ids,
                input.labels, xy);

    std::cout << "wrote " << xy.rows() << " " << what << " positions to " << out << '\n'
              << summary << '\n';
    if (xy.rows() > 2 * kTrustworthinessK) {
        // Sampled beyond kTrustworthinessSampleRows points: the whole measure is O(N^2).
        const std::vector<int> rows = trustworthinessSample(xy.rows(), kTrustworthinessSampleRows);
        std::cout << "trustworthiness@" << kTrustworthinessK << ": "
                  << fixed(trustworthiness(input.points, xy, kTrustworthinessK, rows), 4);
        if (static_cast<Eigen::Index>(rows.size()) < xy.rows()) {
            std::cout << " (over " << rows.size() << " of " << xy.rows()
                      << " points, sampled with seed 1)";
        }
        std::cout << '\n';
    } else {
        std::cout << "trustworthiness@" << kTrustworthinessK << ": not defined for " << xy.rows()
                  << " points (needs more than " << 2 * kTrustworthinessK << ")\n";
    }
    const double totalSeconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "time: " << fixed(projectionSeconds, 2) << " s projecting, "
              << fixed(totalSeconds, 2) << " s in all\n";
    return kExitOk;
}

} // namespace towerlab::cli
