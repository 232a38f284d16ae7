#include "fuzz_entry_points.hpp"

#include "data/byte_stream.hpp"
#include "data/data_error.hpp"
#include "data/dataset_loader.hpp"
#include "data/dataset_summary.hpp"
#include "data/movielens_100k.hpp"
#include "data/movielens_1m.hpp"
#include "data/movielens_latest.hpp"
#include "features/feature_space.hpp"
#include "io/embedding_import.hpp"
#include "io/lesson_file.hpp"
#include "io/model_file.hpp"
#include "io/npy_writer.hpp"
#include "retrieval/movie_space.hpp"
#include "retrieval/retrieval.hpp"

#include <unistd.h>

#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace towerlab::fuzz {

namespace {

namespace fs = std::filesystem;

SourceArchive::File fixtureFile(const std::string& root, const std::string& folder,
                                const std::string& name) {
    return SourceArchive(fs::path(root) / folder / "valid").read(name);
}

// What the application does with a dataset right after loading it: the dataset page's
// summary and fingerprint, then fitting and encoding every row for training.
void useDataset(const Dataset& data) {
    (void)data.fingerprint();
    (void)summarizeDataset(data);
    FeatureSpace space;
    try {
        space = FeatureSpace::fit(data);
    } catch (const FeatureError&) {
        return; // documented refusal (e.g. no ratings), shown to the user as a message
    }
    (void)space.encodeCatalogue(data);
    for (const Rating& rating : data.ratings) {
        (void)space.encodeRating(data, rating);
    }
}

// Each text target replaces one file of a valid fixture with the input, so the fuzzer's
// bytes meet a reader whose other files are consistent.
void runMovieLens100k(Target target, std::string_view bytes, const std::string& root) {
    // With u.occupation, so fuzzed users also meet the "listed in u.occupation" rule.
    static const MovieLens100kFiles fixture{
        fixtureFile(root, "ml100k", "u.genre"), fixtureFile(root, "ml100k", "u.user"),
        fixtureFile(root, "ml100k", "u.item"), fixtureFile(root, "ml100k", "u.data"),
        fixtureFile(root, "ml100k", "u.occupation")};
    MovieLens100kFiles files = fixture;
    SourceArchive::File& fuzzed = target == Target::Ml100kGenre  ? files.genre
                                  : target == Target::Ml100kUser ? files.user
                                  : target == Target::Ml100kItem ? files.item
                                                                 : files.data;
    fuzzed.bytes.assign(bytes);
    Dataset data;
    try {
        data = parseMovieLens100k(files, "fuzz");
    } catch (const DataError&) {
        return;
    }
    useDataset(data);
}

void runMovieLens1m(Target target, std::string_view bytes, const std::string& root) {
    static const MovieLens1mFiles fixture{fixtureFile(root, "ml1m", "users.dat"),
                                          fixtureFile(root, "ml1m", "movies.dat"),
                                          fixtureFile(root, "ml1m", "ratings.dat")};
    MovieLens1mFiles files = fixture;
    SourceArchive::File& fuzzed = target == Target::Ml1mUsers    ? files.users
                                  : target == Target::Ml1mMovies ? files.movies
                                                                 : files.ratings;
    fuzzed.bytes.assign(bytes);
    Dataset data;
    try {
        data = parseMovieLens1m(files, "fuzz");
    } catch (const DataError&) {
        return;
    }
    useDataset(data);
}

void runMovieLensLatest(Target target, std::string_view bytes, const std::string& root) {
    static const MovieLensLatestFiles fixture{fixtureFile(root, "ml-latest", "movies.csv"),
                                              fixtureFile(root, "ml-latest", "ratings.csv")};
    MovieLensLatestFiles files = fixture;
    SourceArchive::File& fuzzed = target == Target::MlLatestMovies ? files.movies : files.ratings;
    fuzzed.bytes.assign(bytes);
    Dataset data;
    std::string error;
    try {
        data = parseMovieLensLatest(files, "fuzz", "MovieLens latest format (fuzz)");
    } catch (const DataError& e) {
        error = e.what();
    }
    // The reader streams: the same bytes arriving 7 at a time (chunk boundaries inside
    // fields, quotes and line ends) must give the same dataset, or the same error.
    MemoryByteStream movies(files.movies.bytes, files.movies.displayName, 7);
    MemoryByteStream ratings(files.ratings.bytes, files.ratings.displayName, 7);
    Dataset again;
    std::string againError;
    try {
        again = parseMovieLensLatest(movies, ratings, "fuzz", "MovieLens latest format (fuzz)");
    } catch (const DataError& e) {
        againError = e.what();
    }
    if (againError != error || (error.empty() && again.fingerprint() != data.fingerprint())) {
        throw std::logic_error("reading in small chunks gave another result: \"" + againError +
                               "\" against \"" + error + "\"");
    }
    if (error.empty()) {
        useDataset(data);
    }
}

// One scratch file per process, removed at exit; in /dev/shm when there is one, so the
// fuzzer's millions of writes stay in memory.
class ScratchFile {
public:
    explicit ScratchFile(const std::string& suffix = ".zip") {
        std::error_code ec;
        const fs::path folder =
            fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
        m_path = folder / ("towerlab-fuzz-" + std::to_string(::getpid()) + suffix);
    }
    ~ScratchFile() {
        std::error_code ec;
        fs::remove(m_path, ec);
    }
    ScratchFile(const ScratchFile&) = delete;
    ScratchFile& operator=(const ScratchFile&) = delete;

    const fs::path& write(std::string_view bytes) const {
        std::ofstream out(m_path, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) {
            throw std::runtime_error("cannot write the fuzz scratch file " + m_path.string());
        }
        return m_path;
    }

private:
    fs::path m_path;
};

void runDatasetZip(std::string_view bytes) {
    static const ScratchFile scratch;
    Dataset data;
    try {
        data = loadDataset(scratch.write(bytes));
    } catch (const DataError&) {
        return;
    }
    useDataset(data);
}

// What opening a model leads to: finalize() (as loadModel), a recommendation, neighbours,
// a title search, and saving it again.
void useModel(TrainedModel& model) {
    // The decoder promises to validate everything finalize() relies on, so any exception
    // here is a disagreement between the two: it escapes and the fuzzer reports it.
    model.finalize();
    (void)recommend(model, UserQuery{}, 10);
    if (model.catalogue.size() > 0) {
        (void)nearestMovies(model, 0, 5);
        const std::string& title = model.catalogue.titles.front();
        (void)searchTitles(model, std::string_view(title).substr(0, 3));
    }
    // A model the reader accepted can be written back, and reads back to the same bytes.
    const std::string again = encodeModel(model, "fuzz.tlm");
    const auto back = decodeModel(again, "fuzz.tlm (re-encoded)");
    if (encodeModel(*back, "fuzz.tlm (re-encoded)") != again) {
        throw std::logic_error("a decoded model does not re-encode to the same bytes");
    }
}

void runModelFile(std::string_view bytes, ChecksumPolicy checksums) {
    std::unique_ptr<TrainedModel> model;
    try {
        model = decodeModel(bytes, "fuzz.tlm", checksums);
    } catch (const ModelFileError&) {
        return;
    }
    useModel(*model);
}

void runNpy(std::string_view bytes) {
    RowMatrix matrix;
    try {
        matrix = decodeNpy(bytes, "fuzz.npy");
    } catch (const NpyError&) {
        return;
    }
    const RowMatrix back = decodeNpy(encodeNpy(matrix), "fuzz.npy (re-encoded)");
    const auto values = static_cast<std::size_t>(matrix.size());
    if (back.rows() != matrix.rows() || back.cols() != matrix.cols() ||
        (values > 0 && std::memcmp(back.data(), matrix.data(), values * sizeof(float)) != 0)) {
        throw std::logic_error("a decoded .npy matrix does not survive encode and decode");
    }
}

// vectors.tsv: what is accepted is finite and rectangular, survives the writer's shortest
// float text to the bit, and answers neighbours and vector lengths as the app asks them.
void runEmbeddingVectors(std::string_view bytes) {
    RowMatrix m;
    try {
        m = parseVectorsTsv(bytes, "fuzz/vectors.tsv");
    } catch (const EmbeddingFileError&) {
        return;
    }
    if (m.rows() < 1 || m.cols() < 1 || !m.allFinite()) {
        throw std::logic_error("accepted vectors are empty or not finite");
    }
    std::string text;
    char buffer[32];
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        for (Eigen::Index c = 0; c < m.cols(); ++c) {
            text += c > 0 ? "\t" : "";
            text.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, m(r, c)).ptr);
        }
        text += '\n';
    }
    const RowMatrix back = parseVectorsTsv(text, "fuzz/vectors.tsv (re-encoded)");
    if (back.rows() != m.rows() || back.cols() != m.cols() ||
        std::memcmp(back.data(), m.data(), sizeof(float) * static_cast<std::size_t>(m.size())) !=
            0) {
        throw std::logic_error("accepted vectors do not survive the shortest float text");
    }
    Catalogue catalogue;
    catalogue.titles.assign(static_cast<std::size_t>(m.rows()), "x");
    const MovieSpace space{catalogue, m};
    (void)nearestMovies(space, 0, 5, Similarity::Cosine);
    (void)nearestMovies(space, static_cast<std::int32_t>(m.rows() - 1), 5, Similarity::Dot);
    (void)candidateVectorLengths(space);
    (void)recommendForVector(space, m.row(0), 5);
}

// metadata.tsv: every accepted row has one value per column; then the whole import (files in
// scratch space, one vector per label) matches the labels to the 100K fixture's titles.
void runEmbeddingMetadata(std::string_view bytes, const std::string& root) {
    MetadataTable table;
    try {
        table = parseMetadataTsv(bytes, "fuzz/metadata.tsv");
    } catch (const EmbeddingFileError&) {
        return;
    }
    for (const auto& row : table.rows) {
        if (row.size() != table.columns.size()) {
            throw std::logic_error("an accepted metadata row is ragged");
        }
    }
    static const Dataset dataset = parseMovieLens100k(
        {fixtureFile(root, "ml100k", "u.genre"), fixtureFile(root, "ml100k", "u.user"),
         fixtureFile(root, "ml100k", "u.item"), fixtureFile(root, "ml100k", "u.data"),
         fixtureFile(root, "ml100k", "u.occupation")},
        "fuzz");
    static const ScratchFile vectorsFile("-vectors.tsv");
    static const ScratchFile metadataFile("-metadata.tsv");
    std::string vectors;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        vectors += std::to_string(r) + "\t1\n";
    }
    EmbeddingImportRequest request;
    request.vectors = vectorsFile.write(vectors);
    request.metadata = metadataFile.write(bytes);
    ExternalEmbeddings e;
    try {
        e = importEmbeddings(request, &dataset);
    } catch (const EmbeddingFileError&) {
        return; // e.g. a year that is not a number, or fewer than two labels
    }
    const Catalogue& c = e.catalogue;
    if (c.size() != table.rows.size() || c.genres.size() != c.size() ||
        c.years.size() != c.size() || c.popularity.size() != c.size() ||
        e.matches.exact + e.matches.folded + e.matches.unmatched != c.size()) {
        throw std::logic_error("the imported catalogue does not have one entry per label");
    }
    for (const auto& genres : c.genres) {
        for (const int g : genres) {
            if (g < 0 || static_cast<std::size_t>(g) >= c.genreNames.size()) {
                throw std::logic_error("an imported genre index is outside the genre names");
            }
        }
    }
    (void)searchTitles(c, "a", 10);
}

void runLesson(std::string_view bytes) {
    Lesson lesson;
    try {
        lesson = parseLesson(bytes, "fuzz.tllesson");
    } catch (const LessonFileError&) {
        return;
    }
    // What was accepted must be written and read back as the same lesson.
    if (!(parseLesson(encodeLesson(lesson), "fuzz.tllesson (re-encoded)") == lesson)) {
        throw std::logic_error("an accepted lesson does not survive encode and parse");
    }
}

} // namespace

const std::vector<TargetInfo>& allTargets() {
    static const std::vector<TargetInfo> targets = {
        {Target::Ml100kGenre, "fuzz_ml100k_genre"},
        {Target::Ml100kUser, "fuzz_ml100k_user"},
        {Target::Ml100kItem, "fuzz_ml100k_item"},
        {Target::Ml100kData, "fuzz_ml100k_data"},
        {Target::Ml1mUsers, "fuzz_ml1m_users"},
        {Target::Ml1mMovies, "fuzz_ml1m_movies"},
        {Target::Ml1mRatings, "fuzz_ml1m_ratings"},
        {Target::MlLatestMovies, "fuzz_mllatest_movies"},
        {Target::MlLatestRatings, "fuzz_mllatest_ratings"},
        {Target::DatasetZip, "fuzz_dataset_zip"},
        {Target::ModelFile, "fuzz_model_file"},
        {Target::ModelFileNoChecksums, "fuzz_model_file_nocrc"},
        {Target::Npy, "fuzz_npy"},
        {Target::Lesson, "fuzz_lesson"},
        {Target::EmbeddingVectors, "fuzz_embedding_vectors"},
        {Target::EmbeddingMetadata, "fuzz_embedding_metadata"},
    };
    return targets;
}

void runInput(Target target, std::string_view bytes, const std::string& fixturesRoot) {
    switch (target) {
    case Target::Ml100kGenre:
    case Target::Ml100kUser:
    case Target::Ml100kItem:
    case Target::Ml100kData:
        runMovieLens100k(target, bytes, fixturesRoot);
        return;
    case Target::Ml1mUsers:
    case Target::Ml1mMovies:
    case Target::Ml1mRatings:
        runMovieLens1m(target, bytes, fixturesRoot);
        return;
    case Target::MlLatestMovies:
    case Target::MlLatestRatings:
        runMovieLensLatest(target, bytes, fixturesRoot);
        return;
    case Target::DatasetZip:
        runDatasetZip(bytes);
        return;
    case Target::ModelFile:
        runModelFile(bytes, ChecksumPolicy::Verify);
        return;
    case Target::ModelFileNoChecksums:
        runModelFile(bytes, ChecksumPolicy::Ignore);
        return;
    case Target::Npy:
        runNpy(bytes);
        return;
    case Target::Lesson:
        runLesson(bytes);
        return;
    case Target::EmbeddingVectors:
        runEmbeddingVectors(bytes);
        return;
    case Target::EmbeddingMetadata:
        runEmbeddingMetadata(bytes, fixturesRoot);
        return;
    }
    throw std::logic_error("unknown fuzz target");
}

} // namespace towerlab::fuzz
