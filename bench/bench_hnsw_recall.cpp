// What approximate retrieval costs and buys: for seeded, clustered catalogues of movie vectors
// (retrieval/clustered_vectors.hpp: taste clusters, popularity-skewed lengths, dim 32) of
// growing size, builds the HNSW index and measures, for several ef, recall@10 and recall@100
// against brute force and the per-query latency of both (single-threaded; brute force is
// recommend's path: the product with every candidate and the top-k selection). Prints a table
// and the crossover: the smallest catalogue where HNSW at recall@10 >= 0.95 answers faster
// than brute force (median per-query time). Run by hand, niced; the 1M case builds for minutes:
//   nice -n 10 build/bench/bench_hnsw_recall --sizes 1k,3k,10k,30k,100k,300k,1m --json out.json

#include "retrieval/clustered_vectors.hpp"
#include "retrieval/hnsw_index.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using namespace towerlab;

namespace {

struct Options {
    std::vector<int> sizes{1'000, 3'000, 10'000, 30'000, 100'000, 300'000, 1'000'000};
    std::vector<int> efs{10, 50, 100, 200};
    int queries = 1000;
    int dim = 32;
    HnswParams params{16, 200, 100, 0};
    std::string json;
};

int parseSize(const std::string& text) {
    std::size_t used = 0;
    const long value = std::stol(text, &used);
    const std::string suffix = text.substr(used);
    long scale = 1;
    if (suffix == "k") {
        scale = 1000;
    } else if (suffix == "m") {
        scale = 1'000'000;
    } else if (!suffix.empty()) {
        throw std::invalid_argument("bad size \"" + text + "\" (e.g. 10k, 1m)");
    }
    if (value < 1 || value * scale > 50'000'000) {
        throw std::invalid_argument("size \"" + text + "\" out of range");
    }
    return static_cast<int>(value * scale);
}

std::vector<int> parseList(const std::string& text, bool sizes) {
    std::vector<int> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t comma = text.find(',', start);
        const std::string item = text.substr(start, comma - start);
        out.push_back(sizes ? parseSize(item) : std::stoi(item));
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    return out;
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                throw std::invalid_argument(a + " needs a value");
            }
            return argv[++i];
        };
        if (a == "--sizes") {
            o.sizes = parseList(value(), true);
        } else if (a == "--ef") {
            o.efs = parseList(value(), false);
        } else if (a == "--queries") {
            o.queries = std::stoi(value());
        } else if (a == "--dim") {
            o.dim = std::stoi(value());
        } else if (a == "--m") {
            o.params.m = std::stoi(value());
        } else if (a == "--ef-construction") {
            o.params.efConstruction = std::stoi(value());
        } else if (a == "--threads") {
            o.params.threads = std::stoi(value());
        } else if (a == "--json") {
            o.json = value();
        } else {
            throw std::invalid_argument(
                "usage: bench_hnsw_recall [--sizes 1k,10k,1m] [--ef 10,50,100,200] "
                "[--queries N] [--dim D] [--m M] [--ef-construction N] [--threads N (build)] "
                "[--json FILE]");
        }
    }
    return o;
}

struct Row {
    int size = 0;
    std::size_t bands = 0;
    double buildSeconds = 0.0;
    double indexMb = 0.0;
    double vectorsMb = 0.0;
    int ef = 0;
    HnswMeasurement at10;
    std::optional<HnswMeasurement> at100; // ef >= 100 only
};

std::string jsonRow(const Row& r) {
    char buf[1024];
    std::snprintf(buf, sizeof buf,
                  "{\"movies\": %d, \"bands\": %zu, \"build_s\": %.3f, \"index_mb\": %.1f, "
                  "\"vectors_mb\": %.1f, "
                  "\"ef\": %d, \"recall_at_10\": %.4f, \"recall_at_100\": %s, "
                  "\"brute_mean_ms\": %.4f, \"brute_p50_ms\": %.4f, \"brute_p99_ms\": %.4f, "
                  "\"hnsw_mean_ms\": %.4f, \"hnsw_p50_ms\": %.4f, \"hnsw_p99_ms\": %.4f}",
                  r.size, r.bands, r.buildSeconds, r.indexMb, r.vectorsMb, r.ef, r.at10.recall,
                  r.at100 ? std::to_string(r.at100->recall).c_str() : "null", r.at10.bruteMeanMs,
                  r.at10.bruteP50Ms, r.at10.bruteP99Ms, r.at10.hnswMeanMs, r.at10.hnswP50Ms,
                  r.at10.hnswP99Ms);
    return buf;
}

} // namespace

int main(int argc, char** argv) {
    try {
        const Options o = parse(argc, argv);
        std::printf("HNSW vs brute force: dim %d, M %d, ef_construction %d, %d queries, "
                    "latency single-threaded (ms per query, k = 10)\n\n",
                    o.dim, o.params.m, o.params.efConstruction, o.queries);
        std::printf("%9s %5s %8s %9s %9s %5s %8s %8s %9s %9s %9s %9s\n", "movies", "bands",
                    "build s", "index MB", "vecs MB", "ef", "R@10", "R@100", "brute p50",
                    "brute mean", "hnsw p50", "hnsw mean");
        std::vector<Row> rows;
        std::optional<int> crossover;
        for (const int size : o.sizes) {
            ClusteredVectorsSpec spec;
            spec.rows = size;
            spec.dim = o.dim;
            spec.seed = 2024;
            const RowMatrix candidates = clusteredCandidates(spec);
            const RowMatrix queries = clusteredQueries(spec, o.queries, 4048);
            const auto index = HnswIndex::build(candidates, o.params);
            bool pays = false;
            for (const int ef : o.efs) {
                Row r;
                r.size = size;
                r.bands = index->bands();
                r.buildSeconds = index->buildSeconds();
                r.indexMb = static_cast<double>(index->memoryBytes()) / 1e6;
                r.vectorsMb = static_cast<double>(candidates.size()) * sizeof(float) / 1e6;
                r.ef = ef;
                const auto e = static_cast<std::size_t>(ef);
                r.at10 = measureHnsw(*index, candidates, queries, 10, e);
                if (ef >= 100 && size >= 100) {
                    r.at100 = measureHnsw(*index, candidates, queries, 100, e);
                }
                std::printf(
                    "%9d %5zu %8.2f %9.1f %9.1f %5d %8.4f %8s %9.4f %9.4f %9.4f %9.4f\n", r.size,
                    r.bands, r.buildSeconds, r.indexMb, r.vectorsMb, ef, r.at10.recall,
                    r.at100 ? std::to_string(r.at100->recall).substr(0, 6).c_str() : "-",
                    r.at10.bruteP50Ms, r.at10.bruteMeanMs, r.at10.hnswP50Ms, r.at10.hnswMeanMs);
                std::fflush(stdout);
                // Medians: on a shared machine one descheduled query moves a mean by more than
                // the difference between the two paths at small sizes.
                pays = pays || (r.at10.recall >= 0.95 && r.at10.hnswP50Ms < r.at10.bruteP50Ms);
                rows.push_back(r);
            }
            if (pays && !crossover) {
                crossover = size;
            }
        }
        if (crossover) {
            std::printf("\ncrossover: %d movies, the smallest size measured where HNSW at "
                        "recall@10 >= 0.95 answers faster (median) than brute force\n",
                        *crossover);
        } else {
            std::printf("\ncrossover: none of the sizes measured; brute force stays faster at "
                        "recall@10 >= 0.95\n");
        }
        if (!o.json.empty()) {
            std::ofstream out(o.json);
            out << "{\"dim\": " << o.dim << ", \"m\": " << o.params.m
                << ", \"ef_construction\": " << o.params.efConstruction
                << ", \"queries\": " << o.queries
                << ", \"crossover_movies\": " << (crossover ? std::to_string(*crossover) : "null")
                << ", \"rows\": [\n";
            for (std::size_t i = 0; i < rows.size(); ++i) {
                out << "  " << jsonRow(rows[i]) << (i + 1 < rows.size() ? ",\n" : "\n");
            }
            out << "]}\n";
            if (!out) {
                throw std::runtime_error("cannot write " + o.json);
            }
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_hnsw_recall: %s\n", e.what());
        return 1;
    }
}
