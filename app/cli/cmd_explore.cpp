// towerlab-cli explore: vectors made by another program (Embedding Projector TSV or .npy with
// a metadata TSV), matched to a dataset's titles, asked what a TowerLab model is asked without
// its towers: nearest movies, the top k for a query or user vector, the movie-to-movie matrix
// and vector length against popularity.

#include "cli_error.hpp"
#include "cli_inputs.hpp"
#include "cli_options.hpp"
#include "commands.hpp"
#include "json_output.hpp"

#include "io/embedding_import.hpp"
#include "retrieval/movie_space.hpp"
#include "retrieval/similarity_matrix.hpp"
#include "retrieval/vector_lengths.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <numeric>
#include <sstream>

namespace towerlab::cli {

namespace {

const CommandInfo kInfo{
    "explore", "Nearest movies, top-k, similarity and vector lengths of embeddings made elsewhere",
    "towerlab-cli explore --embeddings FILE [--metadata FILE] [--data PATH | --demo] [options]",
    "  towerlab-cli explore --embeddings peer/vectors.tsv --data ml-100k\n"
    "  towerlab-cli explore --embeddings peer/vectors.tsv --data ml-100k --neighbours "
    "\"Star Wars (1977)\"\n"
    "  towerlab-cli explore --embeddings movies.npy --metadata labels.tsv --query-vector q.tsv "
    "-k 20\n"
    "  towerlab-cli explore --embeddings peer/vectors.tsv --user-vectors peer/users.tsv "
    "--user-metadata peer/users_metadata.tsv --user 42\n"
    "  towerlab-cli explore --embeddings peer/vectors.tsv --title \"A (1995)\" --title \"B "
    "(1996)\" --lengths\n"
    "  towerlab-cli explore --embeddings peer/vectors.tsv --data ml-100k --neighbours "
    "\"Fargo (1996)\" --json -\n"};

// A catalogue index for a title: exact, else the only entry containing it (case and accents
// ignored). UsageError listing candidates otherwise.
std::int32_t findMovie(const std::string& cmd, const std::string& flag, const ExternalEmbeddings& e,
                       const std::string& title) {
    if (auto exact = std::find(e.catalogue.titles.begin(), e.catalogue.titles.end(), title);
        exact != e.catalogue.titles.end()) {
        return static_cast<std::int32_t>(exact - e.catalogue.titles.begin());
    }
    const auto found = searchTitles(e.catalogue, title, 6);
    if (found.size() == 1) {
        return found.front();
    }
    std::string message = flag + ": no label is \"" + title + "\"";
    if (found.empty()) {
        message += " and none contains it";
    } else {
        message += "; labels containing it:";
        for (std::size_t i = 0; i < found.size() && i < 5; ++i) {
            message += (i == 0 ? " \"" : ", \"") +
                       e.catalogue.titles[static_cast<std::size_t>(found[i])] + "\"";
        }
        message += found.size() > 5 ? ", ..." : "";
    }
    throw UsageError(cmd, message);
}

std::string genres(const Catalogue& c, std::size_t movie) {
    std::string text;
    for (const int g : c.genres[movie]) {
        text += text.empty() ? "" : "|";
        text += c.genreNames.at(static_cast<std::size_t>(g));
    }
    return text.empty() ? "-" : text;
}

// The rows of a list as JSON: {"rank", "title", "score", "movie_id", "year", "genres",
// "popularity"}; movie_id is null for a label that matched no dataset movie, year for none.
Json moviesJson(const ExternalEmbeddings& e, const std::vector<ScoredMovie>& movies) {
    const Catalogue& c = e.catalogue;
    Json rows = Json::array();
    for (std::size_t i = 0; i < movies.size(); ++i) {
        const auto m = static_cast<std::size_t>(movies[i].movie);
        Json genres = Json::array();
        for (const int g : c.genres[m]) {
            genres.push_back(c.genreNames.at(static_cast<std::size_t>(g)));
        }
        Json row;
        row["rank"] = i + 1;
        row["title"] = c.titles[m];
        row["score"] = movies[i].score;
        row["movie_id"] = c.movieIds[m] >= 0 ? Json(c.movieIds[m]) : Json();
        row["year"] = c.years[m] > 0 ? Json(c.years[m]) : Json();
        row["genres"] = std::move(genres);
        row["popularity"] = c.popularity[m];
        rows.push_back(std::move(row));
    }
    return rows;
}

void printMovies(std::ostream& out, const ExternalEmbeddings& e,
                 const std::vector<ScoredMovie>& movies) {
    out << "rank     score  label  [year; genres]\n";
    char cell[64];
    for (std::size_t i = 0; i < movies.size(); ++i) {
        const auto m = static_cast<std::size_t>(movies[i].movie);
        std::snprintf(cell, sizeof cell, "%4zu  %8.4f  ", i + 1,
                      static_cast<double>(movies[i].score));
        const int year = e.catalogue.years[m];
        out << cell << e.catalogue.titles[m] << "  ["
            << (year > 0 ? std::to_string(year) : std::string("-")) << "; "
            << genres(e.catalogue, m) << "]\n";
    }
}

// The row of --user: a 1-based row number, else a label of --user-metadata.
Eigen::Index userRow(const std::string& cmd, const ExternalEmbeddings& e, const std::string& user) {
    for (std::size_t u = 0; u < e.userLabels.size(); ++u) {
        if (e.userLabels[u] == user) {
            return static_cast<Eigen::Index>(u);
        }
    }
    const std::int64_t row = parseInteger(cmd, "--user", user, 1, e.userVectors.rows());
    return static_cast<Eigen::Index>(row - 1);
}

} // namespace

int runExplore(const Arguments& args) {
    po::options_description options = makeOptions();
    options.add_options()("embeddings", arg("FILE"),
                          "movie vectors: Embedding Projector TSV (vectors.tsv) or NumPy .npy "
                          "(float32 or float64, rows x dimensions)")(
        "metadata", arg("FILE"),
        "their labels, one row per vector (default: X_metadata.tsv beside X.npy, else "
        "metadata.tsv beside the vectors)");
    addDatasetOptions(options, "whose titles the labels are matched to (genres, years, "
                               "popularity)");
    options.add_options()("neighbours", arg("TITLE"), "the k nearest movies of this label")(
        "similarity", arg("cosine|dot"), "for --neighbours and --title (default: cosine)")(
        "query-vector", arg("FILE"), "a file of one vector: the top k by dot product")(
        "user-vectors", arg("FILE"), "user vectors (same dimensions) for --user")(
        "user-metadata", arg("FILE"), "labels of the user vectors (default: user 1, 2, ...)")(
        "user", arg("ROW|LABEL"), "the top k for this user's vector (1-based row or label)")(
        "title", po::value<std::vector<std::string>>()->value_name("TITLE"),
        "two or more: their movie-to-movie similarity matrix")(
        "lengths", "vector length against popularity: the correlation and the longest vectors")(
        "k,k", arg("K"), "how many movies, 1..number of vectors (default: 10)")(
        "json", arg("FILE"),
        "write the results as JSON to this file (- = stdout, instead of the text)");
    const auto vm = parseCommandLine(kInfo, options, args);
    if (!vm) {
        return kExitOk;
    }
    const std::string& cmd = kInfo.name;
    const Notes note(*vm);
    EmbeddingImportRequest request;
    request.vectors = requiredString(cmd, *vm, "embeddings", "the movie vectors to open");
    request.metadata = optionalString(*vm, "metadata").value_or("");
    request.queryVector = optionalString(*vm, "query-vector").value_or("");
    request.userVectors = optionalString(*vm, "user-vectors").value_or("");
    request.userMetadata = optionalString(*vm, "user-metadata").value_or("");
    const auto user = optionalString(*vm, "user");
    if (user && request.userVectors.empty()) {
        throw UsageError(cmd, "--user needs --user-vectors FILE");
    }
    if (!request.userVectors.empty() && !user) {
        throw UsageError(cmd, "--user-vectors is used with --user ROW|LABEL");
    }
    if (user && !request.queryVector.empty()) {
        throw UsageError(cmd, "give --query-vector or --user, not both");
    }
    Similarity similarity = Similarity::Cosine;
    if (auto s = optionalString(*vm, "similarity")) {
        if (*s != "cosine" && *s != "dot") {
            throw UsageError(cmd, "--similarity: \"" + *s + "\" is not cosine or dot");
        }
        similarity = *s == "dot" ? Similarity::Dot : Similarity::Cosine;
    }
    const std::vector<std::string> titles = has(*vm, "title")
                                                ? (*vm)["title"].as<std::vector<std::string>>()
                                                : std::vector<std::string>{};
    if (titles.size() == 1) {
        throw UsageError(cmd, "--title: a similarity matrix needs two or more titles");
    }
    const auto json = optionalString(*vm, "json");
    if (json && *json != "-") {
        checkOutputFile(cmd, "--json", *json);
    }
    // With --json - the JSON is stdout; the text goes nowhere.
    const bool printText = !json || *json != "-";
    std::ostringstream discarded;
    std::ostream& out = printText ? std::cout : discarded;
    Json result;
    result["command"] = "explore";

    std::optional<Dataset> dataset;
    if (datasetGiven(*vm)) {
        checkDatasetFlags(cmd, *vm);
        dataset = loadDatasetFlags(cmd, *vm);
    }

    const auto start = std::chrono::steady_clock::now();
    const ExternalEmbeddings e = importEmbeddings(request, dataset ? &*dataset : nullptr);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char took[32];
    std::snprintf(took, sizeof took, "%.2f", seconds);
    out << "vectors: " << e.movieVectors.rows() << " x " << e.dimensions() << " from " << e.source
        << " (labels: " << e.metadata << "; read in " << took << " s)\n";
    if (e.matches.againstDataset) {
        out << "matched to \"" << dataset->name << "\": " << e.matches.exact << " exactly, "
            << e.matches.folded << " ignoring case and accents, " << e.matches.unmatched
            << " unmatched (kept with their own labels)\n";
    } else {
        note("note: no --data or --demo: labels are not matched to a dataset, so genres, years "
             "and popularity come only from the metadata's columns");
    }
    result["embeddings"] = e.source;
    result["metadata"] = e.metadata;
    result["vectors"] = e.movieVectors.rows();
    result["dimensions"] = e.dimensions();
    result["read_seconds"] = seconds;
    if (e.matches.againstDataset) {
        Json matches;
        matches["dataset"] = dataset->name;
        matches["exact"] = e.matches.exact;
        matches["folded"] = e.matches.folded;
        matches["unmatched"] = e.matches.unmatched;
        result["matches"] = std::move(matches);
    } else {
        result["matches"] = nullptr;
    }
    const char* similarityName = similarity == Similarity::Cosine ? "cosine" : "dot";

    const auto count = static_cast<std::int64_t>(e.catalogue.size());
    std::size_t k = static_cast<std::size_t>(std::min<std::int64_t>(10, count));
    if (auto text = optionalString(*vm, "k")) {
        k = static_cast<std::size_t>(parseInteger(cmd, "-k", *text, 1, count));
    }
    if (auto title = optionalString(*vm, "neighbours")) {
        const std::int32_t movie = findMovie(cmd, "--neighbours", e, *title);
        out << "\nnearest to " << e.catalogue.titles[static_cast<std::size_t>(movie)] << " ("
            << (similarity == Similarity::Cosine ? "cosine" : "dot product") << "):\n";
        const auto near = nearestMovies(
            e.movies(), movie, std::min<std::size_t>(k, e.catalogue.size() - 1), similarity);
        printMovies(out, e, near);
        Json section;
        section["title"] = e.catalogue.titles[static_cast<std::size_t>(movie)];
        section["similarity"] = similarityName;
        section["results"] = moviesJson(e, near);
        result["neighbours"] = std::move(section);
    }
    if (e.queryVector) {
        out << "\ntop " << k << " for the query vector of " << e.querySource << " (dot product):\n";
        const auto top = recommendForVector(e.movies(), *e.queryVector, k);
        printMovies(out, e, top);
        Json section;
        section["source"] = e.querySource;
        section["results"] = moviesJson(e, top);
        result["query_vector"] = std::move(section);
    }
    if (user) {
        const Eigen::Index row = userRow(cmd, e, *user);
        out << "\ntop " << k << " for " << e.userLabels[static_cast<std::size_t>(row)] << " (row "
            << row + 1 << " of " << e.userSource << ", dot product):\n";
        const auto top = recommendForVector(e.movies(), e.userVectors.row(row), k);
        printMovies(out, e, top);
        Json section;
        section["label"] = e.userLabels[static_cast<std::size_t>(row)];
        section["row"] = row + 1;
        section["source"] = e.userSource;
        section["results"] = moviesJson(e, top);
        result["user"] = std::move(section);
    }
    if (!titles.empty()) {
        std::vector<std::int32_t> movies;
        for (const std::string& t : titles) {
            movies.push_back(findMovie(cmd, "--title", e, t));
        }
        const RowMatrix m = similarityMatrix(e.movies(), movies, similarity);
        out << "\n"
            << (similarity == Similarity::Cosine ? "cosine" : "dot product")
            << " similarity (row i, column j):\n";
        char cell[32];
        for (Eigen::Index i = 0; i < m.rows(); ++i) {
            out << "  " << i + 1 << ".";
            for (Eigen::Index j = 0; j < m.cols(); ++j) {
                std::snprintf(cell, sizeof cell, " %8.4f", static_cast<double>(m(i, j)));
                out << cell;
            }
            out << "  "
                << e.catalogue.titles[static_cast<std::size_t>(movies[static_cast<std::size_t>(i)])]
                << '\n';
        }
        Json section;
        section["similarity"] = similarityName;
        Json names = Json::array();
        for (const std::int32_t movie : movies) {
            names.push_back(e.catalogue.titles[static_cast<std::size_t>(movie)]);
        }
        Json values = Json::array();
        for (Eigen::Index i = 0; i < m.rows(); ++i) {
            Json row = Json::array();
            for (Eigen::Index j = 0; j < m.cols(); ++j) {
                row.push_back(m(i, j));
            }
            values.push_back(std::move(row));
        }
        section["titles"] = std::move(names);
        section["values"] = std::move(values);
        result["similarity_matrix"] = std::move(section);
    }
    if (has(*vm, "lengths")) {
        const VectorLengths lengths = candidateVectorLengths(e.movies());
        char cell[64];
        out << "\nvector length against popularity ("
            << (e.popularityFromMetadata   ? "the metadata's popularity column"
                : e.matches.againstDataset ? "the dataset's ratings of each matched movie"
                                           : "none: no --data and no popularity column, so 0")
            << "):\n";
        std::snprintf(cell, sizeof cell, "%.3f", lengths.logPopularityCorrelation);
        out << "  correlation of length with log(1 + ratings): "
            << (std::isnan(lengths.logPopularityCorrelation) ? std::string("undefined "
                                                                           "(constant)")
                                                             : std::string(cell))
            << '\n';
        std::vector<std::size_t> order(lengths.length.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        const std::size_t shown = std::min(k, order.size());
        std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(shown),
                          order.end(), [&lengths](std::size_t a, std::size_t b) {
                              return lengths.length[a] > lengths.length[b] ||
                                     (lengths.length[a] == lengths.length[b] && a < b);
                          });
        out << "  longest   length  ratings  label\n";
        Json longest = Json::array();
        for (std::size_t i = 0; i < shown; ++i) {
            std::snprintf(cell, sizeof cell, "  %7zu  %7.4f  %7d  ", i + 1,
                          lengths.length[order[i]], lengths.ratings[order[i]]);
            out << cell << e.catalogue.titles[order[i]] << '\n';
            Json row;
            row["rank"] = i + 1;
            row["title"] = e.catalogue.titles[order[i]];
            row["length"] = lengths.length[order[i]];
            row["ratings"] = lengths.ratings[order[i]];
            longest.push_back(std::move(row));
        }
        Json section;
        section["popularity"] = e.popularityFromMetadata   ? "metadata"
                                : e.matches.againstDataset ? "dataset"
                                                           : "none";
        section["log_popularity_correlation"] = std::isnan(lengths.logPopularityCorrelation)
                                                    ? Json()
                                                    : Json(lengths.logPopularityCorrelation);
        section["longest"] = std::move(longest);
        result["lengths"] = std::move(section);
    }
    if (json) {
        writeJson(result, *json);
    }
    return kExitOk;
}

} // namespace towerlab::cli
