// The engine's own benchmark: the machine's FP32 GEMM peak with Eigen (the library the engine
// uses), the FLOPs of one training epoch, and timed training/evaluation/query runs on the real
// MovieLens 100K. Run by hand (see bench/README.md); prints a table and, with --json, a file
// bench/run_benchmark.sh reads.

#include "data/movielens_100k.hpp"
#include "model/tower_layout.hpp"
#include "retrieval/retrieval.hpp"
#include "train/trainer.hpp"

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

using namespace towerlab;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Peak FP32 GEMM throughput: large square products, one per thread on its own operands
// (the engine runs its GEMMs on blocks per thread too), best of several runs.
double gemmPeakGflops(int threads) {
    constexpr int n = 1024;
    double best = 0.0;
    std::vector<RowMatrix> a(threads, RowMatrix::Random(n, n)), b(threads, RowMatrix::Random(n, n)),
        c(threads, RowMatrix::Zero(n, n));
    for (int rep = 0; rep < 5; ++rep) {
        const auto t = Clock::now();
#pragma omp parallel for num_threads(threads)
        for (int i = 0; i < threads; ++i) {
            c[i].noalias() = a[i] * b[i];
        }
        const double s = since(t);
        best = std::max(best, 2.0 * n * n * n * threads / s / 1e9);
    }
    return best;
}

double epochGflop(const ModelConfig& config, std::size_t trainExamples, int batch) {
    const TowerLayout layout = TowerLayout::of(config);
    double flop = 0.0;
    const int d = config.outputDim();
    for (std::size_t begin = 0; begin < trainExamples; begin += batch) {
        const double b = static_cast<double>(std::min<std::size_t>(batch, trainExamples - begin));
        flop += 6.0 * b * b * d; // logits, dQ, dC
        for (int width : {layout.queryWidth, layout.candidateWidth}) {
            int in = width;
            for (int out : config.layers) {
                flop += 6.0 * b * in * out; // forward, dW, dX
                in = out;
            }
        }
    }
    return flop / 1e9;
}

struct Sink final : ProgressSink {
    void onEpoch(const EpochRecord& r) override {
        if (r.test) {
            std::fprintf(stderr, "epoch %3d loss %.1f  %.3f s  top100 %.4f\n", r.epoch, r.meanLoss,
                         r.seconds, r.test->topK[4]);
        }
    }
};

} // namespace

int run(int argc, char** argv) {
    std::string data = "../shared/datasets/ml-100k";
    if (const char* env = std::getenv("TOWERLAB_ML100K")) {
        data = env;
    }
    std::string json;
    ModelConfig config;
    TrainConfig training;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
        if (a == "--data") {
            data = next();
        } else if (a == "--json") {
            json = next();
        } else if (a == "--epochs") {
            training.epochs = std::stoi(next());
        } else if (a == "--threads") {
            training.threads = std::stoi(next());
        } else if (a == "--seed") {
            training.seed = std::stoull(next());
        } else if (a == "--layers") {
            config.layers.clear();
            const std::string s = next();
            for (std::size_t p = 0; p < s.size();) {
                const auto q = s.find(',', p);
                config.layers.push_back(std::stoi(s.substr(p, q - p)));
                p = q == std::string::npos ? s.size() : q + 1;
            }
        } else {
            std::fprintf(stderr,
                         "usage: bench_engine [--data DIR] [--epochs N] [--layers 32|64,32] "
                         "[--threads N] [--seed S] [--json FILE]\n");
            return 2;
        }
    }
    const int threads = training.threads > 0 ? training.threads : omp_get_num_procs();
    // Data first: a wrong --data fails at once instead of after the GEMM peak run.
    const auto loadStart = Clock::now();
    const Dataset dataset = loadMovieLens100k(data);
    const double loadSeconds = since(loadStart);
    const double peak = gemmPeakGflops(threads);
    std::printf("GEMM peak (Eigen, %d threads): %.1f GFLOP/s\n", threads, peak);
    Trainer trainer(dataset, config, training);
    const double flop = epochGflop(config, trainer.trainExamples(), training.batchSize);
    std::printf("load %.3f s; one epoch = %.2f GFLOP -> GEMM-bound epoch %.4f s\n", loadSeconds,
                flop, flop / peak);

    Sink sink;
    std::atomic<bool> cancel{false};
    const auto trainStart = Clock::now();
    const TrainReport report = trainer.fit(sink, cancel);
    const double total = since(trainStart);
    const TrainingHistory& h = report.model->history;
    std::vector<double> epochSeconds;
    for (const auto& e : h.epochs) {
        epochSeconds.push_back(e.seconds);
    }
    std::vector<double> sorted = epochSeconds;
    std::sort(sorted.begin(), sorted.end());
    const double medianEpoch = sorted[sorted.size() / 2];
    const int evals = static_cast<int>(std::count_if(h.epochs.begin(), h.epochs.end(),
                                                     [](const EpochRecord& e) { return e.test.has_value(); }));
    const RankingMetrics& m = *h.epochs.back().test;

    // Query latencies, best of many.
    UserQuery q;
    double top50 = 1e9, score3 = 1e9;
    const std::vector<std::int32_t> three{0, 1, 2};
    for (int rep = 0; rep < 200; ++rep) {
        auto t = Clock::now();
        auto r = recommend(*report.model, q, 50);
        top50 = std::min(top50, since(t));
        t = Clock::now();
        auto s = scoreMovies(*report.model, q, three);
        score3 = std::min(score3, since(t));
    }

    std::printf("total %.2f s (train %.2f s, %d evaluations %.3f s = %.4f s each)\n", total,
                h.trainSeconds, evals, h.evalSeconds, h.evalSeconds / std::max(evals, 1));
    std::printf("median epoch %.4f s = %.0f examples/s; GEMM-bound fraction %.2f\n", medianEpoch,
                trainer.trainExamples() / medianEpoch, flop / peak / medianEpoch);
    std::printf("top-1/5/10/50/100 %.4f %.4f %.4f %.4f %.4f  baseline top-100 %.4f\n",
                m.topK[0], m.topK[1], m.topK[2], m.topK[3], m.topK[4], h.baseline->topK[4]);
    std::printf("loss first epoch %.1f last %.1f\n", h.epochs.front().meanLoss,
                h.epochs.back().meanLoss);
    std::printf("top-50 query %.3f ms; score 3 titles %.4f ms\n", top50 * 1e3, score3 * 1e3);
    if (!json.empty()) {
        std::ofstream out(json);
        out << "{\"gemm_gflops\": " << peak << ", \"epoch_gflop\": " << flop
            << ", \"median_epoch_seconds\": " << medianEpoch << ", \"total_seconds\": " << total
            << ", \"eval_seconds_each\": " << h.evalSeconds / std::max(evals, 1)
            << ", \"top50_query_ms\": " << top50 * 1e3 << ", \"score3_ms\": " << score3 * 1e3
            << ", \"top_100\": " << m.topK[4] << ", \"threads\": " << threads << "}\n";
    }
    return 0;
}

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_engine: %s\n", e.what());
        return 1;
    }
}
