// Times TowerLab's PCA and t-SNE on one set of vectors and prints each projection's
// trustworthiness@10; bench/peer/tsne_sklearn.py does the same with scikit-learn on the same
// file, so the two can be compared run for run. Run by hand:
//   towerlab-cli embed --model m.tlm --movies --format tsv --out movies
//   bench_projection --tsv movies/vectors.tsv --json ours.json
//   /usr/bin/python3 bench/peer/tsne_sklearn.py --tsv movies/vectors.tsv --json peer.json
// Without --tsv it makes 1,682 random-cluster 32-D points (as many as MovieLens 100K has
// movies); --write-tsv saves them for the peer.
//
// --scale 10000,30000,62000 instead times t-SNE alone, with the settings the Embeddings tab
// uses (perplexity 30, 1,000 iterations, PCA start), on seeded clustered 32-D catalogues
// (retrieval/clustered_vectors.hpp) of each size: the affinities (neighbours and calibration),
// the median gradient iteration in and after early exaggeration, the total against the
// one-minute budget, the process's peak RSS so far and the load average; then, for sizes above
// kTsneFullRunLimit, the default subsample (t-SNE of that many, the rest placed), and how long
// a cancel 2 s into the largest size's affinities takes to return.

#include "projection/pca.hpp"
#include "projection/trustworthiness.hpp"
#include "projection/tsne.hpp"
#include "projection/tsne_subsample.hpp"
#include "retrieval/clustered_vectors.hpp"
#include "util/random.hpp"

#include <sys/resource.h>

#include <atomic>
#include <thread>

#include <omp.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace towerlab;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

// One vector per line, values separated by tabs (the Projector's vectors.tsv); a folder means
// its vectors.tsv.
RowMatrix readTsv(std::filesystem::path path) {
    if (std::filesystem::is_directory(path)) {
        path /= "vectors.tsv";
    }
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot open " + path.string());
    }
    std::vector<float> values;
    long columns = -1;
    long rows = 0;
    std::string line;
    for (long lineNo = 1; std::getline(in, line); ++lineNo) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (line.empty()) {
            continue;
        }
        long count = 0;
        const char* p = line.data();
        const char* end = p + line.size();
        while (true) {
            float v = 0.0f;
            const auto [next, ec] = std::from_chars(p, end, v);
            if (ec != std::errc() || (next != end && *next != '\t')) {
                throw std::runtime_error(path.string() + ":" + std::to_string(lineNo) + ": value " +
                                         std::to_string(count + 1) + " is not a number");
            }
            values.push_back(v);
            ++count;
            if (next == end) {
                break;
            }
            p = next + 1;
        }
        if (columns < 0) {
            columns = count;
        } else if (count != columns) {
            throw std::runtime_error(path.string() + ":" + std::to_string(lineNo) + ": " +
                                     std::to_string(count) + " values, but the first line has " +
                                     std::to_string(columns));
        }
        ++rows;
    }
    if (rows < 2) {
        throw std::runtime_error(path.string() + ": needs at least 2 vectors, found " +
                                 std::to_string(rows));
    }
    return Eigen::Map<const RowMatrix>(values.data(), rows, columns);
}

// Gaussian clusters of unequal sizes around random centres, overlapping a little.
RowMatrix syntheticClusters(int n, int dims, int clusters, std::uint64_t seed) {
    Random random(seed);
    RowMatrix centres(clusters, dims);
    for (Eigen::Index k = 0; k < centres.size(); ++k) {
        centres.data()[k] = static_cast<float>(random.normal());
    }
    RowMatrix points(n, dims);
    for (int i = 0; i < n; ++i) {
        // Squaring a uniform makes the low-numbered clusters the big ones.
        const double u = random.uniformDouble();
        const auto c = static_cast<int>(u * u * clusters);
        for (int d = 0; d < dims; ++d) {
            points(i, d) = centres(c, d) + static_cast<float>(0.45 * random.normal());
        }
    }
    return points;
}

void writeTsv(const RowMatrix& m, const std::string& path) {
    std::ofstream out(path);
    char buffer[32];
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        for (Eigen::Index c = 0; c < m.cols(); ++c) {
            const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, m(r, c));
            out.write(buffer, end - buffer);
            out.put(c + 1 < m.cols() ? '\t' : '\n');
        }
    }
    if (!out) {
        throw std::runtime_error("cannot write " + path);
    }
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

const char* methodName(TsneMethod m) {
    return m == TsneMethod::Exact ? "exact" : m == TsneMethod::BarnesHut ? "barnes-hut" : "auto";
}

// Every iteration's elapsed time, to split the run into its phases.
class IterationClock : public TsneProgress {
public:
    void onIteration(const TsneIteration& it) override {
        elapsed.push_back(it.elapsedSeconds);
        exaggerated.push_back(it.exaggerated);
    }
    std::vector<double> elapsed;
    std::vector<bool> exaggerated;
};

std::string loadAverage() {
    std::ifstream in("/proc/loadavg");
    double one = 0.0, five = 0.0, fifteen = 0.0;
    in >> one >> five >> fifteen;
    char text[64];
    std::snprintf(text, sizeof text, "%.2f %.2f %.2f", one, five, fifteen);
    return text;
}

double peakRssMb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0; // ru_maxrss is in KiB on Linux
}

std::vector<int> parseSizes(const std::string& list) {
    std::vector<int> sizes;
    std::size_t start = 0;
    while (start <= list.size()) {
        const std::size_t comma = std::min(list.find(',', start), list.size());
        sizes.push_back(std::stoi(list.substr(start, comma - start)));
        start = comma + 1;
    }
    return sizes;
}

// The --scale table: one t-SNE per size, each phase timed.
void runScale(const std::vector<int>& sizes, const TsneOptions& options) {
    constexpr double kBudgetSeconds = 60.0;
    const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
    std::printf("t-SNE at scale: clustered 32-D vectors, perplexity %.0f, %d iterations, "
                "%d threads, budget %.0f s\n",
                options.perplexity, options.iterations, threads, kBudgetSeconds);
    std::printf("| points | affinities | iteration, exaggerated (median) | iteration, after "
                "(median) | iterations | total | budget | peak RSS | load average before; after "
                "|\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (const int n : sizes) {
        ClusteredVectorsSpec spec;
        spec.rows = n;
        spec.dim = 32;
        spec.seed = options.seed;
        const RowMatrix points = clusteredCandidates(spec);
        const std::string loadBefore = loadAverage();
        IterationClock clock;
        const auto t = Clock::now();
        const TsneResult result = tsne(points, options, &clock, nullptr);
        const double total = since(t);
        std::vector<double> early, late;
        for (std::size_t i = 1; i < clock.elapsed.size(); ++i) {
            (clock.exaggerated[i] ? early : late)
                .push_back(clock.elapsed[i] - clock.elapsed[i - 1]);
        }
        std::printf("| %d | %.2f s | %.1f ms | %.1f ms | %d | %.1f s | %s | %.0f MB | %s; %s |\n",
                    n, result.affinitySeconds, early.empty() ? 0.0 : 1e3 * median(early),
                    late.empty() ? 0.0 : 1e3 * median(late), result.iterations, total,
                    total <= kBudgetSeconds ? "PASS" : "OVER", peakRssMb(), loadBefore.c_str(),
                    loadAverage().c_str());
        std::fflush(stdout);
    }
    // The default for catalogues above kTsneFullRunLimit: t-SNE of a subsample (here a seeded
    // random one: these vectors have no ratings) and the rest placed by their neighbours.
    std::printf("\nDefault subsample above %d points (t-SNE of %d, the rest placed at the median "
                "of their %d nearest mapped points):\n| points | t-SNE of the subsample | "
                "placing the rest | total | budget | load average after |\n"
                "| --- | --- | --- | --- | --- | --- |\n",
                kTsneFullRunLimit, kTsneFullRunLimit, kTsnePlacementNeighbours);
    for (const int n : sizes) {
        if (n <= kTsneFullRunLimit) {
            continue;
        }
        ClusteredVectorsSpec spec;
        spec.rows = n;
        spec.dim = 32;
        spec.seed = options.seed;
        const RowMatrix points = clusteredCandidates(spec);
        const auto t = Clock::now();
        const TsneSubsample subsample = tsneSubsample(n, {}, kTsneFullRunLimit);
        RowMatrix mapped(static_cast<Eigen::Index>(subsample.embedded.size()), points.cols());
        for (Eigen::Index r = 0; r < mapped.rows(); ++r) {
            mapped.row(r) = points.row(subsample.embedded[static_cast<std::size_t>(r)]);
        }
        const TsneResult result = tsne(mapped, options, nullptr, nullptr);
        const double tsneSeconds = since(t);
        const auto placing = Clock::now();
        const RowMatrix xy = placeSubsample(points, subsample, result.embedding,
                                            kTsnePlacementNeighbours, options.threads, nullptr);
        const double placeSeconds = since(placing);
        const double total = since(t);
        std::printf("| %d | %.1f s | %.2f s | %.1f s | %s | %s |\n", n, tsneSeconds, placeSeconds,
                    total, total <= kBudgetSeconds ? "PASS" : "OVER", loadAverage().c_str());
        std::fflush(stdout);
    }
    // Cancel during the affinities of the largest size: how long until tsne() returns.
    const int largest = *std::max_element(sizes.begin(), sizes.end());
    ClusteredVectorsSpec spec;
    spec.rows = largest;
    spec.dim = 32;
    spec.seed = options.seed;
    const RowMatrix points = clusteredCandidates(spec);
    std::atomic<bool> cancel{false};
    Clock::time_point cancelledAt;
    std::thread canceller([&cancel, &cancelledAt] {
        std::this_thread::sleep_for(std::chrono::seconds(2));
        cancelledAt = Clock::now();
        cancel.store(true);
    });
    const TsneResult stopped = tsne(points, options, nullptr, &cancel);
    const auto returned = Clock::now();
    canceller.join();
    std::printf("\nCancel 2 s into the affinities of %d points: tsne() returned %.0f ms later "
                "(%s, %d iterations); load average %s\n",
                largest, 1e3 * std::chrono::duration<double>(returned - cancelledAt).count(),
                stopped.outcome == TsneOutcome::Cancelled ? "cancelled" : "not cancelled",
                stopped.iterations, loadAverage().c_str());
}

int usage() {
    std::fprintf(stderr, "usage: bench_projection [--tsv FILE|DIR] [--write-tsv FILE] [--reps N] "
                         "[--seed S]\n"
                         "                        [--threads N] [--method auto|exact|barnes-hut] "
                         "[--embedding-out FILE] [--json FILE]\n"
                         "       bench_projection --scale N,N,... [--threads N] [--seed S]\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) try {
    std::string tsv, writeTo, json, embeddingOut, scale;
    int reps = 3;
    TsneOptions options;
    options.seed = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) {
            return usage();
        }
        const std::string v = argv[++i];
        if (a == "--tsv") {
            tsv = v;
        } else if (a == "--write-tsv") {
            writeTo = v;
        } else if (a == "--scale") {
            scale = v;
        } else if (a == "--json") {
            json = v;
        } else if (a == "--embedding-out") {
            embeddingOut = v;
        } else if (a == "--reps") {
            reps = std::max(1, std::stoi(v));
        } else if (a == "--seed") {
            options.seed = std::stoull(v);
        } else if (a == "--threads") {
            options.threads = std::stoi(v);
        } else if (a == "--method" && (v == "auto" || v == "exact" || v == "barnes-hut")) {
            options.method = v == "exact"        ? TsneMethod::Exact
                             : v == "barnes-hut" ? TsneMethod::BarnesHut
                                                 : TsneMethod::Auto;
        } else {
            return usage();
        }
    }

    if (!scale.empty()) {
        runScale(parseSizes(scale), options);
        return 0;
    }
    const RowMatrix points =
        tsv.empty() ? syntheticClusters(1682, 32, 19, options.seed) : readTsv(tsv);
    if (!writeTo.empty()) {
        writeTsv(points, writeTo);
    }
    const int threads = options.threads > 0 ? options.threads : omp_get_max_threads();
    std::printf("%ld points x %ld dims (%s), %d threads, median of %d runs\n",
                static_cast<long>(points.rows()), static_cast<long>(points.cols()),
                tsv.empty() ? "synthetic clusters" : tsv.c_str(), threads, reps);

    std::vector<double> pcaSeconds;
    PcaResult fit;
    for (int r = 0; r < reps; ++r) {
        const auto t = Clock::now();
        fit = pca(points, 2);
        pcaSeconds.push_back(since(t));
    }
    const double pcaTrust = trustworthiness(points, fit.projected, 10);
    std::printf("PCA    %8.4f s  trustworthiness@10 %.4f  (explained variance ratio %.3f + %.3f)\n",
                median(pcaSeconds), pcaTrust, fit.explainedVarianceRatio(0),
                fit.explainedVarianceRatio(1));

    std::vector<double> tsneSeconds;
    TsneResult result;
    for (int r = 0; r < reps; ++r) {
        const auto t = Clock::now();
        result = tsne(points, options, nullptr, nullptr);
        tsneSeconds.push_back(since(t));
    }
    const auto t = Clock::now();
    const double tsneTrust = trustworthiness(points, result.embedding, 10);
    const double trustSeconds = since(t);
    std::printf("t-SNE  %8.4f s  trustworthiness@10 %.4f  (%s, %d iterations, KL %.4f, "
                "learning rate %.1f; runs %.3f..%.3f s)\n",
                median(tsneSeconds), tsneTrust, methodName(result.method), result.iterations,
                result.klDivergence.value_or(-1.0), result.learningRate,
                *std::min_element(tsneSeconds.begin(), tsneSeconds.end()),
                *std::max_element(tsneSeconds.begin(), tsneSeconds.end()));
    std::printf("trustworthiness@10 itself took %.3f s\n", trustSeconds);
    if (!embeddingOut.empty()) {
        writeTsv(result.embedding, embeddingOut);
    }
    if (!json.empty()) {
        std::ofstream out(json);
        out << "{\"implementation\": \"towerlab\", \"points\": " << points.rows()
            << ", \"dims\": " << points.cols() << ", \"threads\": " << threads
            << ", \"pca_seconds\": " << median(pcaSeconds)
            << ", \"pca_trustworthiness_10\": " << pcaTrust
            << ", \"tsne_seconds\": " << median(tsneSeconds)
            << ", \"tsne_trustworthiness_10\": " << tsneTrust
            << ", \"tsne_kl\": " << result.klDivergence.value_or(-1.0)
            << ", \"tsne_iterations\": " << result.iterations << ", \"tsne_method\": \""
            << methodName(result.method) << "\"}\n";
        if (!out) {
            throw std::runtime_error("cannot write " + json);
        }
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "bench_projection: %s\n", e.what());
    return 1;
}
