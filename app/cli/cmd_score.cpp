// towerlab-cli score: a model's scores (and catalogue ranks) of chosen titles for a query.

#include "cli_error.hpp"
#include "cli_inputs.hpp"
#include "cli_options.hpp"
#include "commands.hpp"
#include "json_output.hpp"
#include "movie_text.hpp"
#include "query_options.hpp"
#include "title_suggestions.hpp"

#include "retrieval/retrieval.hpp"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace towerlab::cli {

namespace {

const CommandInfo kInfo{"score", "Score chosen titles for a user query (dot product) and rank them",
                        "towerlab-cli score --model FILE --age YEARS --occupation OCC --gender M|F "
                        "--timestamp TIME --title TITLE [--title TITLE ...] [options]",
                        "  towerlab-cli score --model m.tlm --age 25 --occupation 17 --gender M "
                        "--timestamp 879024327 \\\n"
                        "      --title \"Red Rock West (1992)\" --title \"Palookaville (1996)\" "
                        "--title \"Beautiful Thing (1996)\"\n"};

// "[x1, x2, ...]" with every float written so that it reads back to the same value.
std::string vectorText(const float* values, Eigen::Index size) {
    std::ostringstream out;
    out << std::setprecision(9) << '[';
    for (Eigen::Index i = 0; i < size; ++i) {
        out << (i == 0 ? "" : ", ") << values[i];
    }
    out << ']';
    return out.str();
}

Json vectorJson(const float* values, Eigen::Index size) {
    Json out = Json::array();
    for (Eigen::Index i = 0; i < size; ++i) {
        out.push_back(values[i]);
    }
    return out;
}

std::int32_t resolveTitle(const TrainedModel& model, const std::string& title) {
    if (const auto found = findTitle(model, title)) {
        return *found;
    }
    std::string message = "--title: no movie titled \"" + title + "\" in the model's catalogue (" +
                          std::to_string(model.catalogue.size()) + " movies)";
    const auto suggestions = suggestTitles(model, title);
    if (suggestions.empty()) {
        message += "; nothing similar found (titles include the year, e.g. \"Title (1995)\")";
    } else {
        message += "; did you mean ";
        for (std::size_t i = 0; i < suggestions.size(); ++i) {
            message += i == 0 ? "\"" : ", \"";
            message += model.catalogue.titles[static_cast<std::size_t>(suggestions[i])];
            message += "\"";
        }
        message += "?";
    }
    throw std::runtime_error(message);
}

} // namespace

int runScore(const Arguments& args) {
    po::options_description options = makeOptions();
    addModelOption(options);
    addQueryOptions(options);
    options.add_options()("title", po::value<std::vector<std::string>>()->value_name("TITLE"),
                          "a catalogue title, exactly (with its year); repeat for more")(
        "vectors", "also print the query vector and each title's vector (the tutorial's step 5)")(
        "json", arg("FILE"), "write the scores as JSON to this file (- = stdout)");
    const auto vm = parseCommandLine(kInfo, options, args);
    if (!vm) {
        return kExitOk;
    }
    const std::string& cmd = kInfo.name;
    const Notes note(*vm);
    checkModelFlag(cmd, *vm);
    const QueryArguments queryArgs = parseQueryArguments(cmd, *vm);
    if (!has(*vm, "title")) {
        throw UsageError(cmd, "--title is required (the titles to score; repeat the flag)");
    }
    const auto titles = (*vm)["title"].as<std::vector<std::string>>();
    const auto json = optionalString(*vm, "json");
    if (json && *json != "-") {
        checkOutputFile(cmd, "--json", *json);
    }
    const auto model = loadModelFlag(cmd, *vm);
    bool unknownUser = false;
    const UserQuery query = makeUserQuery(cmd, queryArgs, *model, unknownUser);
    if (unknownUser) {
        note("note: the model uses user ids and no --user-id was given; the query is an "
             "unknown user");
    }
    std::vector<std::int32_t> movies;
    movies.reserve(titles.size());
    for (const auto& title : titles) {
        movies.push_back(resolveTitle(*model, title));
    }
    const std::vector<ScoredMovie> scores = scoreMovies(*model, query, movies);
    const auto best = std::max_element(
        scores.begin(), scores.end(),
        [](const ScoredMovie& a, const ScoredMovie& b) { return a.score < b.score; });
    const std::string& bestTitle = model->catalogue.titles[static_cast<std::size_t>(best->movie)];
    const bool vectors = has(*vm, "vectors");
    const RowVector queryVector = vectors ? queryEmbedding(*model, query) : RowVector();
    const auto movieVector = [&](std::int32_t movie) {
        return model->candidateEmbeddings.row(movie).data();
    };
    const Eigen::Index dim = model->candidateEmbeddings.cols();

    if (!json || *json != "-") {
        std::cout << "query: " << describeQuery(query, *model) << '\n';
        printMovieTable(std::cout, *model, scores, MovieTableRank::CatalogueRank);
        std::cout << "highest: " << bestTitle << '\n';
        if (vectors) {
            std::cout << "query vector: " << vectorText(queryVector.data(), queryVector.size())
                      << '\n';
            for (const ScoredMovie& s : scores) {
                std::cout << "vector of "
                          << model->catalogue.titles[static_cast<std::size_t>(s.movie)] << ": "
                          << vectorText(movieVector(s.movie), dim) << '\n';
            }
        }
    }
    if (json) {
        Json out;
        out["command"] = "score";
        out["model_file"] = (*vm)["model"].as<std::string>();
        out["query"] = queryJson(query, *model);
        Json rows = Json::array();
        for (const ScoredMovie& s : scores) {
            Json movie = movieJson(*model, s.movie);
            Json row;
            row["title"] = std::move(movie["title"]);
            row["score"] = s.score;
            row["rank"] = s.rank;
            movie.erase("title");
            row.update(movie);
            if (vectors) {
                row["vector"] = vectorJson(movieVector(s.movie), dim);
            }
            rows.push_back(std::move(row));
        }
        out["results"] = std::move(rows);
        out["best"] = bestTitle;
        if (vectors) {
            out["query_vector"] = vectorJson(queryVector.data(), queryVector.size());
        }
        writeJson(out, *json);
    }
    return kExitOk;
}

} // namespace towerlab::cli
