// The in-batch softmax loss alone (forward + backward of one B x D batch), with the AVX-512
// block kernels, with the same kernels but bf16 logits (where the CPU has AVX-512 BF16), with
// bf16 logits on AMX tiles (backward fp32), with all three products on AMX tiles (where the
// CPU has AMX) and with Eigen's GEMM, alternated in the same run so machine load affects all alike.
// Prints milliseconds per batch (median and fastest of 5 rounds), GFLOP/s of the three B x B x D
// products, and the ratios. usage: bench_loss [--batch B] [--dim D] [--threads T] [--reps N]

#include "train/amx_tiles.hpp"
#include "train/bf16_logits.hpp"
#include "train/in_batch_softmax_loss.hpp"
#include "train/softmax_block_kernels.hpp"
#include "util/random.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace towerlab;

namespace {

double secondsPerBatch(InBatchSoftmaxLoss& loss, const RowMatrix& q, const RowMatrix& c, int reps) {
    RowMatrix dQ, dC;
    loss.forwardBackward(q, c, dQ, dC); // warm-up: buffers, caches
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < reps; ++i) {
        loss.forwardBackward(q, c, dQ, dC);
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / reps;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
    int batch = 2048, dim = 32, threads = 0, reps = 20;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (i + 1 < argc &&
            (arg == "--batch" || arg == "--dim" || arg == "--threads" || arg == "--reps")) {
            const int value = std::atoi(argv[++i]);
            (arg == "--batch"     ? batch
             : arg == "--dim"     ? dim
             : arg == "--threads" ? threads
                                  : reps) = value;
        } else {
            std::fprintf(stderr,
                         "usage: bench_loss [--batch B] [--dim D] [--threads T] [--reps N]\n");
            return 2;
        }
    }
    if (batch < 1 || dim < 1 || reps < 1 || threads < 0) {
        std::fprintf(stderr, "bench_loss: batch, dim and reps must be >= 1, threads >= 0\n");
        return 2;
    }
    Random random(1);
    RowMatrix q(batch, dim), c(batch, dim);
    for (Eigen::Index i = 0; i < q.size(); ++i) {
        q.data()[i] = random.uniform(-0.5f, 0.5f);
        c.data()[i] = random.uniform(-0.5f, 0.5f);
    }
    InBatchSoftmaxLoss fused(threads);
    using Bf16Kernels = InBatchSoftmaxLoss::Bf16Kernels;
    InBatchSoftmaxLoss bf16(threads, InBatchSoftmaxLoss::Kernels::Auto, LogitsPrecision::Bf16,
                            Bf16Kernels::Avx512);
    InBatchSoftmaxLoss amxLogits(threads, InBatchSoftmaxLoss::Kernels::Auto, LogitsPrecision::Bf16,
                                 Bf16Kernels::AmxLogitsOnly);
    InBatchSoftmaxLoss amxAll(threads, InBatchSoftmaxLoss::Kernels::Auto, LogitsPrecision::Bf16,
                              Bf16Kernels::Amx);
    InBatchSoftmaxLoss eigen(threads, InBatchSoftmaxLoss::Kernels::EigenOnly);
    const bool haveBf16 = bf16_logits::available(dim);
    const bool haveAmx = haveBf16 && amx_tiles::available(dim);
    std::vector<double> a, h, x, y, b;
    for (int round = 0; round < 5; ++round) {
        a.push_back(secondsPerBatch(fused, q, c, reps));
        if (haveBf16) {
            h.push_back(secondsPerBatch(bf16, q, c, reps));
        }
        if (haveAmx) {
            x.push_back(secondsPerBatch(amxLogits, q, c, reps));
            y.push_back(secondsPerBatch(amxAll, q, c, reps));
        }
        b.push_back(secondsPerBatch(eigen, q, c, reps));
    }
    const double flops = 3.0 * 2.0 * batch * static_cast<double>(batch) * dim;
    const auto report = [&](const char* name, const std::vector<double>& t) {
        const double med = median(t);
        const double best = *std::min_element(t.begin(), t.end());
        std::printf("%s %.3f ms per batch (fastest %.3f), %.1f GFLOP/s\n", name, med * 1e3,
                    best * 1e3, flops / med / 1e9);
    };
    std::printf("batch %d, dim %d, %s kernels\n", batch, dim,
                softmax_kernels::available(dim) ? "AVX-512 block" : "no (Eigen fallback for both)");
    report("block kernels:", a);
    if (haveBf16) {
        report("bf16 logits:  ", h);
    } else {
        std::printf("bf16 logits:   unavailable (%s)\n",
                    bf16_logits::unavailableReason(dim).c_str());
    }
    if (haveAmx) {
        report("AMX logits:   ", x);
        report("AMX all three:", y);
    } else {
        std::printf("AMX tiles:     unavailable (%s)\n", amx_tiles::unavailableReason(dim).c_str());
    }
    report("Eigen GEMM:   ", b);
    std::printf("speed-up of the block kernels over Eigen %.2fx\n", median(b) / median(a));
    if (haveBf16) {
        std::printf(
            "speed-up of bf16 logits over fp32 block kernels %.2fx (fastest rounds %.2fx)\n",
            median(a) / median(h),
            *std::min_element(a.begin(), a.end()) / *std::min_element(h.begin(), h.end()));
    }
    if (haveAmx) {
        const auto ratio = [&](const std::vector<double>& t) {
            return std::make_pair(median(a) / median(t), *std::min_element(a.begin(), a.end()) /
                                                             *std::min_element(t.begin(), t.end()));
        };
        const auto [logitsMedian, logitsFastest] = ratio(x);
        const auto [allMedian, allFastest] = ratio(y);
        std::printf("speed-up of AMX logits over fp32 block kernels %.2fx (fastest rounds %.2fx)\n",
                    logitsMedian, logitsFastest);
        std::printf("speed-up of AMX, all three products, over fp32 %.2fx (fastest rounds %.2fx)\n",
                    allMedian, allFastest);
    }
    return 0;
}
