#include "io/embedding_import.hpp"

#include "data/dataset.hpp"

#include <algorithm>
#include <charconv>
#include <unordered_map>

namespace towerlab {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c + 32);
        }
    }
    return out;
}

std::string trimmed(std::string_view s) {
    const std::size_t first = s.find_first_not_of(" \t\r");
    if (first == std::string_view::npos) {
        return {};
    }
    const std::size_t last = s.find_last_not_of(" \t\r");
    return std::string(s.substr(first, last - first + 1));
}

// Index of the first column whose lower-cased name is one of names, or -1.
int findColumn(const MetadataTable& table, std::initializer_list<std::string_view> names) {
    for (const std::string_view name : names) {
        for (std::size_t c = 0; c < table.columns.size(); ++c) {
            if (lower(trimmed(table.columns[c])) == name) {
                return static_cast<int>(c);
            }
        }
    }
    return -1;
}

// A whole number in a metadata cell; empty means unknown (nullopt).
std::optional<std::int64_t> wholeNumber(const std::string& cell, const std::string& file,
                                        std::size_t row, const std::string& column) {
    const std::string text = trimmed(cell);
    if (text.empty()) {
        return std::nullopt;
    }
    std::int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 0) {
        // The metadata's header is line 1, so row r is on line r + 2.
        throw EmbeddingFileError(file, row + 2, "column '" + column + "'",
                                 "'" + text + "' is not a non-negative whole number");
    }
    return value;
}

void fillFromMetadata(ExternalEmbeddings& out, const MetadataTable& table, const Dataset* dataset,
                      const std::string& file) {
    const std::size_t n = table.rows.size();
    const int titleColumn =
        table.hasHeader ? std::max(0, findColumn(table, {"title", "name", "label"})) : 0;
    const int genresColumn = table.hasHeader ? findColumn(table, {"genres", "genre"}) : -1;
    const int yearColumn = table.hasHeader ? findColumn(table, {"year"}) : -1;
    const int popularityColumn = table.hasHeader ? findColumn(table, {"popularity"}) : -1;
    out.popularityFromMetadata = popularityColumn >= 0;

    Catalogue& c = out.catalogue;
    c.titles.reserve(n);
    for (const auto& row : table.rows) {
        c.titles.push_back(row[static_cast<std::size_t>(titleColumn)]);
    }
    c.movieIds.assign(n, -1);
    c.genres.assign(n, {});
    c.years.assign(n, 0);
    c.popularity.assign(n, 0);
    out.datasetMovies.assign(n, -1);

    // Titles to dataset movies: exact first, then folded (first of duplicates either way).
    std::vector<std::int32_t> ratingsPerMovie;
    if (dataset != nullptr) {
        out.matches.againstDataset = true;
        std::unordered_map<std::string_view, std::int32_t> exact;
        std::unordered_map<std::string, std::int32_t> folded;
        for (std::size_t m = 0; m < dataset->movies.size(); ++m) {
            exact.emplace(dataset->movies[m].title, static_cast<std::int32_t>(m));
            folded.emplace(foldForSearch(dataset->movies[m].title), static_cast<std::int32_t>(m));
        }
        ratingsPerMovie.assign(dataset->movies.size(), 0);
        for (const Rating& r : dataset->ratings) {
            ++ratingsPerMovie[static_cast<std::size_t>(r.movie)];
        }
        for (std::size_t i = 0; i < n; ++i) {
            if (const auto e = exact.find(c.titles[i]); e != exact.end()) {
                out.datasetMovies[i] = e->second;
                ++out.matches.exact;
            } else if (const auto f = folded.find(foldForSearch(trimmed(c.titles[i])));
                       f != folded.end()) {
                out.datasetMovies[i] = f->second;
                ++out.matches.folded;
            } else {
                ++out.matches.unmatched;
            }
        }
        c.genreNames = dataset->genreNames;
    } else {
        out.matches.unmatched = n;
    }

    // Genre names from the metadata join the dataset's list (or make one without a dataset).
    std::unordered_map<std::string, int> genreIndex;
    for (std::size_t g = 0; g < c.genreNames.size(); ++g) {
        genreIndex.emplace(lower(c.genreNames[g]), static_cast<int>(g));
    }
    for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t m = out.datasetMovies[i];
        if (m >= 0) {
            const Movie& movie = dataset->movies[static_cast<std::size_t>(m)];
            c.movieIds[i] = movie.id;
            c.genres[i] = movie.genres;
            c.years[i] = movie.year;
            c.popularity[i] = ratingsPerMovie[static_cast<std::size_t>(m)];
        }
        const auto& row = table.rows[i];
        if (genresColumn >= 0) {
            std::vector<int> genres;
            std::string_view cell = row[static_cast<std::size_t>(genresColumn)];
            while (!cell.empty()) {
                const std::size_t cut = cell.find_first_of("|,");
                const std::string name = trimmed(cell.substr(0, cut));
                cell = cut == std::string_view::npos ? std::string_view() : cell.substr(cut + 1);
                // Our own export writes "no genre" for none; MovieLens writes "(no genres listed)".
                if (name.empty() || name == "no genre" || name == "(no genres listed)") {
                    continue;
                }
                auto [it, added] =
                    genreIndex.emplace(lower(name), static_cast<int>(c.genreNames.size()));
                if (added) {
                    c.genreNames.push_back(name);
                }
                genres.push_back(it->second);
            }
            std::sort(genres.begin(), genres.end());
            genres.erase(std::unique(genres.begin(), genres.end()), genres.end());
            c.genres[i] = std::move(genres);
        }
        if (yearColumn >= 0) {
            if (const auto year =
                    wholeNumber(row[static_cast<std::size_t>(yearColumn)], file, i,
                                table.columns[static_cast<std::size_t>(yearColumn)])) {
                c.years[i] = static_cast<int>(std::min<std::int64_t>(*year, 9999));
            }
        }
        if (popularityColumn >= 0) {
            if (const auto count =
                    wholeNumber(row[static_cast<std::size_t>(popularityColumn)], file, i,
                                table.columns[static_cast<std::size_t>(popularityColumn)])) {
                c.popularity[i] = static_cast<std::int32_t>(
                    std::min<std::int64_t>(*count, std::numeric_limits<std::int32_t>::max()));
            }
        }
    }
}

void checkRows(const MetadataTable& table, const RowMatrix& vectors, const std::string& metadata,
               const std::string& vectorsFile) {
    if (table.rows.size() != static_cast<std::size_t>(vectors.rows())) {
        throw EmbeddingFileError(metadata, 0, {},
                                 std::to_string(table.rows.size()) + " label rows" +
                                     (table.hasHeader ? " (after its header line)" : "") +
                                     ", but " + vectorsFile + " has " +
                                     std::to_string(vectors.rows()) +
                                     " vectors; each vector needs exactly one label row");
    }
}

void checkDimensions(const RowMatrix& m, Eigen::Index dims, const std::string& file,
                     const std::string& movieFile) {
    if (m.cols() != dims) {
        throw EmbeddingFileError(file, 0, {},
                                 "its vectors have " + std::to_string(m.cols()) +
                                     " dimensions, the movie vectors (" + movieFile + ") " +
                                     std::to_string(dims));
    }
}

} // namespace

std::filesystem::path metadataBeside(const std::filesystem::path& vectors) {
    // `towerlab-cli embed --format npy --out movies` writes movies.npy + movies_metadata.tsv.
    if (vectors.extension() == ".npy") {
        std::error_code error;
        const auto own = vectors.parent_path() / (vectors.stem().string() + "_metadata.tsv");
        if (std::filesystem::exists(own, error)) {
            return own;
        }
    }
    return vectors.parent_path() / "metadata.tsv";
}

std::filesystem::path userMetadataBeside(const std::filesystem::path& vectors) {
    std::error_code error;
    const auto own = vectors.parent_path() / (vectors.stem().string() + "_metadata.tsv");
    if (std::filesystem::exists(own, error)) {
        return own;
    }
    // The Projector's pair: metadata.tsv labels the vectors.tsv beside it, whatever they are.
    if (vectors.filename() == "vectors.tsv") {
        const auto pair = vectors.parent_path() / "metadata.tsv";
        if (std::filesystem::exists(pair, error)) {
            return pair;
        }
    }
    return {};
}

ExternalEmbeddings importEmbeddings(const EmbeddingImportRequest& request, const Dataset* dataset,
                                    const ReadControl& control) {
    ExternalEmbeddings out;
    out.source = request.vectors.string();
    const std::filesystem::path metadata =
        request.metadata.empty() ? metadataBeside(request.vectors) : request.metadata;
    out.metadata = metadata.string();
    std::error_code error;
    if (request.metadata.empty() && !std::filesystem::exists(metadata, error)) {
        throw EmbeddingFileError(out.source, 0, {},
                                 "no labels: there is no metadata file beside it (" +
                                     metadata.string() + "); name the metadata file");
    }
    out.movieVectors = readVectorFile(request.vectors, control);
    if (out.movieVectors.rows() < 2) {
        throw EmbeddingFileError(out.source, 0, {},
                                 "has " + std::to_string(out.movieVectors.rows()) +
                                     " vector; a map and neighbours need at least 2");
    }
    const MetadataTable table = readMetadataFile(metadata);
    checkRows(table, out.movieVectors, out.metadata, out.source);
    fillFromMetadata(out, table, dataset, out.metadata);

    if (!request.userVectors.empty()) {
        ExternalUsers users =
            importUserVectors(request.userVectors, request.userMetadata, out, control);
        out.userVectors = std::move(users.vectors);
        out.userLabels = std::move(users.labels);
        out.userSource = std::move(users.source);
    } else if (!request.userMetadata.empty()) {
        throw EmbeddingFileError(request.userMetadata.string(), 0, {},
                                 "user labels without a user vectors file");
    }
    if (!request.queryVector.empty()) {
        out.querySource = request.queryVector.string();
        out.queryVector = importQueryVector(request.queryVector, out, control);
    }
    return out;
}

ExternalUsers importUserVectors(const std::filesystem::path& vectors,
                                const std::filesystem::path& metadata,
                                const ExternalEmbeddings& movies, const ReadControl& control) {
    ExternalUsers out;
    out.source = vectors.string();
    out.metadata = metadata.string();
    out.vectors = readVectorFile(vectors, control);
    checkDimensions(out.vectors, movies.dimensions(), out.source, movies.source);
    if (!metadata.empty()) {
        const MetadataTable users = readMetadataFile(metadata);
        checkRows(users, out.vectors, out.metadata, out.source);
        const int column =
            users.hasHeader
                ? std::max(0,
                           findColumn(users, {"user_id", "userid", "user", "id", "label", "name"}))
                : 0;
        out.labels.reserve(users.rows.size());
        for (const auto& row : users.rows) {
            out.labels.push_back(row[static_cast<std::size_t>(column)]);
        }
    } else {
        out.labels.reserve(static_cast<std::size_t>(out.vectors.rows()));
        for (Eigen::Index u = 0; u < out.vectors.rows(); ++u) {
            out.labels.push_back("user " + std::to_string(u + 1));
        }
    }
    return out;
}

RowVector importQueryVector(const std::filesystem::path& file, const ExternalEmbeddings& movies,
                            const ReadControl& control) {
    const std::string source = file.string();
    const RowMatrix q = readVectorFile(file, control);
    checkDimensions(q, movies.dimensions(), source, movies.source);
    if (q.rows() != 1) {
        throw EmbeddingFileError(source, 0, {},
                                 "has " + std::to_string(q.rows()) +
                                     " vectors; a query file holds exactly one");
    }
    return q.row(0);
}

} // namespace towerlab
