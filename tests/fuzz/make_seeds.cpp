// Writes the seed corpus of every fuzz target into <out>/<target>/, from the invented
// fixtures in tests/fixtures/{ml100k,ml1m,ml-latest}/valid: the fixture files and hand-made
// variants of them, zips of each fixture, small .tlm models trained on the 100K one and small
// .npy matrices. Nothing here comes from the real MovieLens data.
//
// usage: towerlab_fuzz_seeds <out-folder> <fixtures-folder (tests/fixtures)>

#include "data/movielens_100k.hpp"
#include "io/model_file.hpp"
#include "io/npy_writer.hpp"
#include "train/trainer.hpp"

#include <zip.h>

#include <atomic>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace towerlab;

void writeSeed(const fs::path& folder, const std::string& name, const std::string& bytes) {
    fs::create_directories(folder);
    std::ofstream out(folder / name, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
        throw std::runtime_error("cannot write " + (folder / name).string());
    }
}

std::string withCrlf(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '\n') {
            out += '\r';
        }
        out += c;
    }
    return out;
}

std::string withoutLastNewline(std::string text) {
    while (!text.empty() && text.back() == '\n') {
        text.pop_back();
    }
    return text;
}

struct Entry {
    std::string name;
    std::string bytes; // ignored for a folder entry (name ending in '/')
};

std::string zipOf(const std::vector<Entry>& entries, bool store, const fs::path& scratch) {
    int error = 0;
    zip_t* archive = zip_open(scratch.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (archive == nullptr) {
        throw std::runtime_error("zip_open failed for " + scratch.string());
    }
    for (const Entry& entry : entries) {
        if (entry.name.ends_with('/')) {
            zip_dir_add(archive, entry.name.c_str(), ZIP_FL_ENC_UTF_8);
            continue;
        }
        zip_source_t* source =
            zip_source_buffer(archive, entry.bytes.data(), entry.bytes.size(), 0);
        const zip_int64_t index =
            zip_file_add(archive, entry.name.c_str(), source, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(source);
            throw std::runtime_error(zip_strerror(archive));
        }
        zip_set_file_compression(archive, static_cast<zip_uint64_t>(index),
                                 store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0);
    }
    if (zip_close(archive) != 0) {
        throw std::runtime_error("zip_close failed for " + scratch.string());
    }
    std::ifstream in(scratch, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    fs::remove(scratch);
    return bytes;
}

std::string trainedModelBytes(const Dataset& data, const ModelConfig& model, TrainConfig training,
                              bool fit) {
    training.batchSize = 4;
    training.epochs = 1;
    training.threads = 1;
    Trainer trainer(data, model, training);
    if (fit) {
        ProgressSink quiet;
        const std::atomic<bool> cancel{false};
        trainer.fit(quiet, cancel);
    }
    return encodeModel(*trainer.snapshot(), "seed.tlm");
}

RowMatrix counting(Eigen::Index rows, Eigen::Index cols) {
    RowMatrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        m.data()[i] = 0.5f * static_cast<float>(i) - 1.0f;
    }
    return m;
}

// A hand-written header of version `major`, padded as numpy pads it.
std::string npyWithHeader(int major, const std::string& dict, const std::string& data) {
    const std::size_t lengthBytes = major == 1 ? 2 : 4;
    std::string header = dict;
    const std::size_t unpadded = 6 + 2 + lengthBytes + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header.push_back('\n');
    std::string out("\x93NUMPY", 6);
    out.push_back(static_cast<char>(major));
    out.push_back('\0');
    for (std::size_t i = 0; i < lengthBytes; ++i) {
        out.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xff));
    }
    return out + header + data;
}

// The fixture's files as seeds of their own targets, and as zips (top level, deflated and
// stored; under one top folder) for the zip target.
void textSeeds(const fs::path& out, const fs::path& folder,
               const std::vector<std::pair<std::string, std::string>>& fileTargets,
               const std::string& zipPrefix) {
    const SourceArchive source(folder);
    std::vector<Entry> top;
    std::vector<Entry> nested = {{zipPrefix + "/", ""}};
    for (const auto& [name, target] : fileTargets) {
        const std::string bytes = source.read(name).bytes;
        writeSeed(out / target, zipPrefix + "-fixture", bytes);
        writeSeed(out / target, zipPrefix + "-fixture-crlf", withCrlf(bytes));
        writeSeed(out / target, zipPrefix + "-fixture-no-final-newline", withoutLastNewline(bytes));
        top.push_back({name, bytes});
        nested.push_back({zipPrefix + "/" + name, bytes});
    }
    nested.push_back({zipPrefix + "/README", "invented fixture\n"});
    const fs::path zips = out / "fuzz_dataset_zip";
    const fs::path scratch = out / "scratch.zip";
    writeSeed(zips, zipPrefix + "-top-level-deflated.zip", zipOf(top, false, scratch));
    writeSeed(zips, zipPrefix + "-top-level-stored.zip", zipOf(top, true, scratch));
    writeSeed(zips, zipPrefix + "-one-top-folder.zip", zipOf(nested, false, scratch));
    top.pop_back();
    writeSeed(zips, zipPrefix + "-one-file-missing.zip", zipOf(top, true, scratch));
}

// `text` with its line `line` (1-based) replaced by `replacement`.
std::string withLine(const std::string& text, std::size_t line, const std::string& replacement) {
    std::string out;
    std::size_t number = 1;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        const std::size_t stop = end == std::string::npos ? text.size() : end;
        out += number == line ? replacement : text.substr(start, stop - start);
        out += '\n';
        start = stop + 1;
        ++number;
    }
    return out;
}

// One seed a domain rule of the readers (a value each file's README rules out), so the fuzzers
// start next to every check rather than having to find it.
void domainRuleSeeds(const fs::path& out, const fs::path& fixtures) {
    const auto file = [&](const char* set, const char* name) {
        return SourceArchive(fixtures / set / "valid").read(name).bytes;
    };
    const std::string u100k = file("ml100k", "u.data");
    writeSeed(out / "fuzz_ml100k_data", "rule-negative-timestamp",
              withLine(u100k, 12, "20\t12\t1\t-1"));
    writeSeed(out / "fuzz_ml100k_data", "rule-timestamp-after-2100",
              withLine(u100k, 12, "20\t12\t1\t4102444801"));
    const std::string users = file("ml100k", "u.user");
    writeSeed(out / "fuzz_ml100k_user", "rule-occupation-not-listed",
              withLine(users, 6, "20|18|F|astronaut|98105"));
    writeSeed(out / "fuzz_ml100k_user", "rule-user-id-zero",
              withLine(users, 1, "0|34|F|healthcare|02139"));
    const std::string items = file("ml100k", "u.item");
    writeSeed(out / "fuzz_ml100k_item", "rule-release-date",
              withLine(items, 2,
                       "11|Quiet Harbor (1988) |1988-05-05||http://example.org/11|0|0|0|0|0|0|0|0|"
                       "1|0|0|0|0|0|0|0|0|0|0"));
    const std::string ratings1m = file("ml1m", "ratings.dat");
    writeSeed(out / "fuzz_ml1m_ratings", "rule-negative-timestamp",
              withLine(ratings1m, 1, "1::8::5::-978300603"));
    writeSeed(out / "fuzz_ml1m_users", "rule-user-id-zero",
              withLine(file("ml1m", "users.dat"), 1, "0::F::1::10::48067"));
    const std::string ratingsLatest = file("ml-latest", "ratings.csv");
    writeSeed(out / "fuzz_mllatest_ratings", "rule-negative-timestamp",
              withLine(ratingsLatest, 2, "1,2,1.0,-1500008801"));
    writeSeed(out / "fuzz_mllatest_ratings", "rule-user-id-zero",
              withLine(ratingsLatest, 2, "0,2,1.0,1500008801"));
}

void makeSeeds(const fs::path& out, const fs::path& fixtures) {
    domainRuleSeeds(out, fixtures);
    textSeeds(out, fixtures / "ml100k" / "valid",
              {{"u.genre", "fuzz_ml100k_genre"},
               {"u.user", "fuzz_ml100k_user"},
               {"u.item", "fuzz_ml100k_item"},
               {"u.data", "fuzz_ml100k_data"}},
              "ml-100k");
    textSeeds(out, fixtures / "ml1m" / "valid",
              {{"users.dat", "fuzz_ml1m_users"},
               {"movies.dat", "fuzz_ml1m_movies"},
               {"ratings.dat", "fuzz_ml1m_ratings"}},
              "ml-1m");
    textSeeds(out, fixtures / "ml-latest" / "valid",
              {{"movies.csv", "fuzz_mllatest_movies"}, {"ratings.csv", "fuzz_mllatest_ratings"}},
              "ml-latest-small");

    const SourceArchive source(fixtures / "ml100k" / "valid");
    const MovieLens100kFiles files{source.read("u.genre"), source.read("u.user"),
                                   source.read("u.item"), source.read("u.data"),
                                   source.read("u.occupation")};
    const Dataset data = parseMovieLens100k(files, "fixture");
    ModelConfig tiny;
    tiny.embeddingDim = 2;
    tiny.layers = {2};
    tiny.features.setUserFeatures("age,gender");
    tiny.features.setMovieFeatures("title_id");
    TrainConfig training;
    training.seed = 3;
    ModelConfig all = tiny;
    all.features.setUserFeatures("age,occupation,gender,timestamp_bucket,timestamp_norm,user_id");
    all.features.setMovieFeatures("title_id,title_text,genres");
    all.embeddingDim = 1;
    all.layers = {3, 2};
    ModelConfig text = tiny;
    text.features.setUserFeatures("occupation,timestamp_norm");
    text.features.setMovieFeatures("title_text,genres");
    TrainConfig adam = training;
    adam.optimizer = OptimizerKind::Adam;
    adam.learningRate = 0.01;
    for (const char* target : {"fuzz_model_file", "fuzz_model_file_nocrc"}) {
        writeSeed(out / target, "tiny-untrained.tlm",
                  trainedModelBytes(data, tiny, training, false));
        writeSeed(out / target, "tiny-trained.tlm", trainedModelBytes(data, tiny, training, true));
        writeSeed(out / target, "text-genres.tlm", trainedModelBytes(data, text, adam, true));
        writeSeed(out / target, "all-features.tlm", trainedModelBytes(data, all, adam, true));
    }

    const fs::path npys = out / "fuzz_npy";
    writeSeed(npys, "empty.npy", encodeNpy(RowMatrix(0, 0)));
    writeSeed(npys, "1x1.npy", encodeNpy(counting(1, 1)));
    writeSeed(npys, "2x3.npy", encodeNpy(counting(2, 3)));
    writeSeed(npys, "4x1.npy", encodeNpy(counting(4, 1)));
    const std::string twoByThree = encodeNpy(counting(2, 3));
    const std::size_t dataAt = 10 + static_cast<unsigned char>(twoByThree[8]) +
                               256 * static_cast<unsigned char>(twoByThree[9]);
    const std::string six = twoByThree.substr(dataAt);
    writeSeed(npys, "fortran-2x3.npy",
              npyWithHeader(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", six));
    writeSeed(npys, "v2-3x2.npy",
              npyWithHeader(2, "{'shape': (3L, 2L), 'fortran_order': False, 'descr': '<f4'}", six));
    writeSeed(
        npys, "v3-6x1.npy",
        npyWithHeader(3, "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (6, 1)}", six));

    // Embeddings: the hand-written Projector fixtures, and what writeProjectorTsv writes.
    for (const char* folder : {"projector", "one_column"}) {
        const SourceArchive files(fixtures / "embeddings" / folder);
        writeSeed(out / "fuzz_embedding_vectors", std::string(folder) + "-vectors.tsv",
                  files.read("vectors.tsv").bytes);
        writeSeed(out / "fuzz_embedding_metadata", std::string(folder) + "-metadata.tsv",
                  files.read("metadata.tsv").bytes);
    }
    // Titles of the 100K fixture (exact, then only after folding) and one unknown.
    writeSeed(out / "fuzz_embedding_metadata", "fixture-titles.tsv",
              "title\tgenres\tyear\tpopularity\nQuiet Harbor (1988) \tAnimation|Comedy\t1988\t3\n"
              "galaxy pickle, the (1997)\t\t\t\nnot a title\tNew Genre\t2001\t0\n");

    // A lesson with every part and every action, and the smallest one.
    const fs::path lessons = out / "fuzz_lesson";
    writeSeed(lessons, "minimal.tllesson",
              R"({"towerlab_lesson": 1, "title": "T", "steps": [{"text": "x"}]})");
    writeSeed(lessons, "every-part.tllesson", R"json({
  "towerlab_lesson": 1, "title": "Every part", "summary": "s",
  "start": {"dataset": "ml-100k", "settings": {"layers": [64, 32], "logq": "frequency",
            "user_features": ["age", "user_id"], "temperature": 0.1}, "seeds": 3,
            "query": {"age_bucket": 35, "occupation": 4, "gender": "F", "timestamp": 880000000,
                      "user_id": 42, "attributes": {"zip_region": 9}},
            "titles": ["Star Wars (1977)"], "map": {"points": "users", "method": "tsne",
            "perplexity": 15, "iterations": 500}, "tabs": ["train", "scores"],
            "hidden": ["retrievalTask"]},
  "steps": [
    {"text": "a", "action": {"do": "open_tab", "tab": "train"}},
    {"text": "b", "action": {"do": "set", "settings": {"optimizer": "adam"}}},
    {"text": "c", "question": {"prompt": "?", "choices": ["yes", "no"]},
     "action": {"do": "train", "epochs": 7, "seeds": 2}, "reveal": {"text": "r", "point_at": "x.y"}},
    {"text": "d", "question": {"prompt": "free"}, "action": {"do": "query", "query": {"gender": "M"}}},
    {"text": "e", "action": {"do": "add_titles", "titles": ["Fargo (1996)"]}},
    {"text": "f", "action": {"do": "map", "map": {"method": "pca"}}},
    {"text": "g", "action": {"do": "clear_titles"}},
    {"text": "h", "action": {"do": "save_model"}},
    {"text": "i", "action": {"do": "reload_model"}}
  ]
}
)json");
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s <out-folder> <fixtures-folder>\n", argv[0]);
        return 2;
    }
    try {
        makeSeeds(argv[1], argv[2]);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "towerlab_fuzz_seeds: %s\n", e.what());
        return 1;
    }
    return 0;
}
