// towerlab-cli embed: exports movie (candidate tower) or user (query tower) embeddings for the
// TensorFlow Embedding Projector (TSV) or NumPy (.npy).

#include "cli_error.hpp"
#include "cli_inputs.hpp"
#include "cli_options.hpp"
#include "commands.hpp"
#include "movie_text.hpp"

#include "io/npy_writer.hpp"
#include "io/projector_tsv.hpp"
#include "retrieval/user_queries.hpp"
#include "util/atomic_file.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace towerlab::cli {

namespace {

namespace fs = std::filesystem;

const CommandInfo kInfo{
    "embed", "Export movie or user embeddings as Projector TSV or NumPy .npy",
    "towerlab-cli embed --model FILE (--movies | --users (--data PATH | --demo)) "
    "[--format tsv|npy] --out PREFIX",
    "  towerlab-cli embed --model m.tlm --movies --format tsv --out movies   "
    "# movies/vectors.tsv + movies/metadata.tsv\n"
    "  towerlab-cli embed --model m.tlm --movies --format npy --out movies   "
    "# movies.npy + movies_metadata.tsv\n"
    "  towerlab-cli embed --model m.tlm --users --data ../shared/datasets/ml-100k --out users\n"};

struct Table {
    RowMatrix vectors;
    std::vector<std::string> columns;
    std::vector<std::vector<std::string>> rows;
};

Table movieTable(const TrainedModel& model) {
    Table t;
    t.vectors = model.candidateEmbeddings;
    t.columns = {"title", "movie_id", "year", "genres", "popularity"};
    const Catalogue& c = model.catalogue;
    t.rows.reserve(c.size());
    for (std::size_t m = 0; m < c.size(); ++m) {
        t.rows.push_back({c.titles[m], std::to_string(c.movieIds[m]),
                          c.years[m] > 0 ? std::to_string(c.years[m]) : std::string(),
                          genreText(model, static_cast<std::int32_t>(m)),
                          std::to_string(c.popularity[m])});
    }
    return t;
}

// One query per user who has ratings: their attributes at the median time of their ratings.
Table userTable(const TrainedModel& model, const Dataset& dataset, const Notes& note) {
    const std::vector<DatasetUserQuery> queries = datasetUserQueries(dataset);
    Table t;
    t.columns = {"user_id", "age_bucket", "occupation", "gender", "median_timestamp"};
    const auto& labels = occupationLabels();
    for (const DatasetUserQuery& q : queries) {
        const User& user = dataset.users[static_cast<std::size_t>(q.user)];
        t.rows.push_back(
            {std::to_string(user.id), user.ageBucket >= 0 ? std::to_string(user.ageBucket) : "",
             user.occupationLabel >= 0 ? labels.at(static_cast<std::size_t>(user.occupationLabel))
                                       : "",
             user.gender == 1 ? "M" : (user.gender == 0 ? "F" : ""),
             std::to_string(q.query.timestamp)});
    }
    if (const std::size_t skipped = dataset.users.size() - queries.size(); skipped > 0) {
        note("note: " + std::to_string(skipped) +
             " users without ratings have no time and are "
             "left out");
    }
    t.vectors = userQueryEmbeddings(model, queries);
    return t;
}

std::string tsvCell(const std::string& value) {
    std::string out = value;
    std::replace_if(
        out.begin(), out.end(), [](char c) { return c == '\t' || c == '\n' || c == '\r'; }, ' ');
    return out;
}

void writeMetadataTsv(const Table& t, const fs::path& path) {
    std::string text;
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
        text += c == 0 ? "" : "\t";
        text += t.columns[c];
    }
    text += '\n';
    for (const auto& row : t.rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
            text += c == 0 ? "" : "\t";
            text += tsvCell(row[c]);
        }
        text += '\n';
    }
    writeFileAtomically(path, text);
}

} // namespace

int runEmbed(const Arguments& args) {
    po::options_description options = makeOptions();
    addModelOption(options);
    options.add_options()("movies", "export the catalogue's movie embeddings (candidate tower)")(
        "users", "export one user embedding (query tower) per user of --data / --demo");
    addDatasetOptions(options, "whose users --users embeds");
    options.add_options()("format", arg("FORMAT"), "tsv or npy (default: tsv)")(
        "out", arg("PREFIX"),
        "output prefix: tsv writes PREFIX/vectors.tsv and PREFIX/metadata.tsv, npy writes "
        "PREFIX.npy and PREFIX_metadata.tsv");
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
        throw UsageError(cmd, "--users needs --data FOLDER_OR_ZIP or --demo (the users to embed)");
    }
    if (users) {
        checkDatasetFlags(cmd, *vm);
    }
    if (movies && datasetGiven(*vm)) {
        throw UsageError(cmd, "--data and --demo are only used with --users");
    }
    const std::string format = optionalString(*vm, "format").value_or("tsv");
    if (format != "tsv" && format != "npy") {
        throw UsageError(cmd, "--format: \"" + format + "\" is not tsv or npy");
    }
    std::string prefix = requiredString(cmd, *vm, "out", "the output prefix");
    if (prefix.empty()) {
        throw UsageError(cmd, "--out: the prefix is empty");
    }
    if (format == "npy" && prefix.size() > 4 && prefix.ends_with(".npy")) {
        prefix.resize(prefix.size() - 4); // "movies.npy" means the prefix "movies"
    }
    const fs::path npy = prefix + ".npy";
    const fs::path metadata = prefix + "_metadata.tsv";
    if (format == "npy") {
        checkOutputFile(cmd, "--out", npy);
    }
    const auto model = loadModelFlag(cmd, *vm);
    Table table;
    if (movies) {
        table = movieTable(*model);
    } else {
        const Dataset dataset = loadDatasetFlags(cmd, *vm);
        if (dataset.fingerprint() != model->datasetFingerprint) {
            note("note: \"" + dataset.name + "\" is not the dataset the model was trained on");
        }
        table = userTable(*model, dataset, note);
    }

    const char* what = movies ? "movie" : "user";
    const auto dims = table.vectors.cols();
    if (format == "tsv") {
        if (dims < 2) {
            throw std::runtime_error("--format tsv: the Embedding Projector needs at least 2 "
                                     "dimensions and this model's output has " +
                                     std::to_string(dims) + "; use --format npy");
        }
        writeProjectorTsv(table.vectors, table.columns, table.rows, prefix);
        std::cout << "wrote " << table.vectors.rows() << " " << what << " vectors (" << dims
                  << " dimensions) to " << (fs::path(prefix) / "vectors.tsv").string() << " and "
                  << (fs::path(prefix) / "metadata.tsv").string() << '\n';
    } else {
        writeNpy(table.vectors, npy);
        writeMetadataTsv(table, metadata);
        std::cout << "wrote " << table.vectors.rows() << " " << what << " vectors (" << dims
                  << " dimensions) to " << npy.string() << " and " << metadata.string() << '\n';
    }
    return kExitOk;
}

} // namespace towerlab::cli
