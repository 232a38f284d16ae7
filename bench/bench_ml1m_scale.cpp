// Scale check for MovieLens 1M without the real files (not redistributable): writes a
// synthetic folder of the same shape (6,040 users, 3,706 movies, 1,000,209 ratings, "::"
// separated, ISO-8859-1 titles, CRLF-free like the original) and times loadDataset,
// FeatureSpace::fit and one training epoch of [32], against one epoch of the real 100K in the
// same run. Prints peak RSS (VmHWM) after each stage.
//
//   bench_ml1m_scale [--ml100k DIR] [--out DIR] [--threads N]

#include "data/dataset_loader.hpp"
#include "features/feature_space.hpp"
#include "model/feature_availability.hpp"
#include "train/trainer.hpp"
#include "util/random.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace towerlab;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kUsers = 6040;
constexpr int kMovies = 3706;
constexpr int kMaxMovieId = 3952;
constexpr long kRatings = 1000209;

double since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

long peakRssKb() {
    std::ifstream status("/proc/self/status");
    std::string key;
    while (status >> key) {
        if (key == "VmHWM:") {
            long kb = 0;
            status >> kb;
            return kb;
        }
        status.ignore(1 << 16, '\n');
    }
    return -1;
}

// A small deterministic generator so the bench does not depend on util/random's API.
struct SplitMix {
    std::uint64_t s;
    std::uint64_t next() {
        std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
    double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
};

void writeSynthetic(const fs::path& folder) {
    fs::create_directories(folder);
    SplitMix rng{20260101};
    {
        std::ofstream out(folder / "users.dat", std::ios::binary);
        const int ages[] = {1, 18, 25, 35, 45, 50, 56};
        for (int u = 1; u <= kUsers; ++u) {
            out << u << "::" << (rng.below(4) == 0 ? 'F' : 'M') << "::" << ages[rng.below(7)]
                << "::" << rng.below(21) << "::" << 10000 + rng.below(89999) << '\n';
        }
    }
    // 3,706 of the ids 1..3952, as in the original (some ids are unused).
    std::vector<int> ids(kMaxMovieId);
    for (int i = 0; i < kMaxMovieId; ++i) {
        ids[static_cast<std::size_t>(i)] = i + 1;
    }
    for (int i = kMaxMovieId - 1; i > 0; --i) {
        std::swap(ids[static_cast<std::size_t>(i)],
                  ids[static_cast<std::size_t>(rng.below(i + 1))]);
    }
    ids.resize(kMovies);
    std::sort(ids.begin(), ids.end());
    {
        static const char* genres[] = {
            "Action",      "Adventure", "Animation", "Children's", "Comedy", "Crime",
            "Documentary", "Drama",     "Fantasy",   "Film-Noir",  "Horror", "Musical",
            "Mystery",     "Romance",   "Sci-Fi",    "Thriller",   "War",    "Western"};
        static const char* words[] = {"Silent", "River", "Caf\xE9",  "Night",  "Garden", "Empire",
                                      "Lost",   "Blue",  "Se\xF1or", "Winter", "Storm",  "City"};
        std::ofstream out(folder / "movies.dat", std::ios::binary);
        for (const int id : ids) {
            out << id << "::" << words[rng.below(12)] << ' ' << words[rng.below(12)] << ' ' << id
                << " (" << 1919 + rng.below(82) << ")::" << genres[rng.below(18)];
            if (rng.below(2) == 0) {
                out << '|' << genres[rng.below(18)];
            }
            out << '\n';
        }
    }
    {
        // Every user rates at least 20 movies, like the original; popularity is skewed.
        std::vector<long> perUser(kUsers, 20);
        long left = kRatings - 20L * kUsers;
        while (left > 0) {
            const double x = rng.unit();
            perUser[static_cast<std::size_t>(static_cast<int>(x * x * kUsers))] += 1;
            --left;
        }
        std::ofstream out(folder / "ratings.dat", std::ios::binary);
        std::string line;
        for (int u = 0; u < kUsers; ++u) {
            std::int64_t ts = 956703932 + rng.below(80000000);
            for (long k = 0; k < perUser[static_cast<std::size_t>(u)]; ++k) {
                const double x = rng.unit();
                const int m = ids[static_cast<std::size_t>(static_cast<int>(x * x * x * kMovies))];
                ts += rng.below(600);
                line = std::to_string(u + 1) + "::" + std::to_string(m) +
                       "::" + std::to_string(1 + rng.below(5)) + "::" + std::to_string(ts) + '\n';
                out << line;
            }
        }
    }
}

struct EpochResult {
    double constructSeconds = 0.0;
    double epochSeconds = 0.0;
    double examplesPerSecond = 0.0;
};

EpochResult oneEpoch(const Dataset& data, int threads) {
    ModelConfig model;
    model.features = defaultFeatures(data);
    TrainConfig training;
    training.epochs = 2; // epoch 1 is not an evaluation epoch, so it times training alone
    training.threads = threads;
    EpochResult r;
    const auto start = Clock::now();
    Trainer trainer(data, model, training);
    r.constructSeconds = since(start);
    ProgressSink sink;
    std::atomic<bool> cancel{false};
    trainer.runEpoch(sink, cancel);
    const EpochRecord& e = trainer.history().epochs.front();
    r.epochSeconds = e.seconds;
    r.examplesPerSecond = e.examplesPerSecond;
    return r;
}

} // namespace

int main(int argc, char** argv) {
    fs::path ml100k = "../shared/datasets/ml-100k";
    fs::path out = "/tmp/towerlab-ml1m-synthetic";
    int threads = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const std::string v = i + 1 < argc ? argv[i + 1] : "";
        if (a == "--ml100k" && !v.empty()) {
            ml100k = v;
            ++i;
        } else if (a == "--out" && !v.empty()) {
            out = v;
            ++i;
        } else if (a == "--threads" && !v.empty()) {
            threads = std::atoi(v.c_str());
            ++i;
        } else {
            std::fprintf(stderr, "usage: bench_ml1m_scale [--ml100k DIR] [--out DIR] "
                                 "[--threads N]\n");
            return 2;
        }
    }
    std::printf("threads: %d\n", threads > 0 ? threads : omp_get_num_procs());

    EpochResult small;
    {
        const auto start = Clock::now();
        const Dataset data = loadDataset(ml100k);
        const double load = since(start);
        small = oneEpoch(data, threads);
        std::printf("100K: load %.3f s, trainer setup %.3f s, epoch %.3f s, %.0f examples/s, "
                    "VmHWM %ld MB\n",
                    load, small.constructSeconds, small.epochSeconds, small.examplesPerSecond,
                    peakRssKb() / 1024);
    }

    auto start = Clock::now();
    writeSynthetic(out);
    std::printf("synthetic 1M written to %s in %.2f s\n", out.c_str(), since(start));

    start = Clock::now();
    const Dataset data = loadDataset(out);
    const double load = since(start);
    std::printf("1M: %zu users, %zu movies, %zu ratings; loadDataset %.3f s (limit 3 s), "
                "VmHWM %ld MB\n",
                data.users.size(), data.movies.size(), data.ratings.size(), load,
                peakRssKb() / 1024);
    start = Clock::now();
    const FeatureSpace space = FeatureSpace::fit(data);
    std::printf("1M: FeatureSpace::fit %.3f s\n", since(start));
    const EpochResult big = oneEpoch(data, threads);
    std::printf("1M: trainer setup %.3f s, epoch %.3f s, %.0f examples/s, VmHWM %ld MB\n",
                big.constructSeconds, big.epochSeconds, big.examplesPerSecond, peakRssKb() / 1024);
    const double ratio = big.examplesPerSecond / small.examplesPerSecond;
    std::printf("throughput 1M / 100K = %.2f (goal: at least 0.70)\n", ratio);
    return load < 3.0 && ratio >= 0.7 ? 0 : 1;
}
