// Latency of one brute-force top-k query over a saved model's whole catalogue, as `recommend`
// and the Recommend tab ask it: the query tower for one user, the scores of every catalogue
// movie, the k best. Queries are the dataset's real users (their attributes at the median time
// of their ratings), a seeded sample of them, each timed on its own after a warm-up; prints
// the median, p99, mean and max in milliseconds. Used by bench/scale_budgets.sh (budget:
// top-50 over 62k movies <= 1 ms). Single-threaded, as one query of the GUI or the CLI is.
//
//   bench_query_latency --model FILE.tlm --data FOLDER [--queries N] [--k K] [--seed S]

#include "data/dataset_loader.hpp"
#include "io/model_file.hpp"
#include "retrieval/retrieval.hpp"
#include "retrieval/user_queries.hpp"
#include "util/random.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

using namespace towerlab;
using Clock = std::chrono::steady_clock;

namespace {

[[noreturn]] void usage(const char* why) {
    std::fprintf(stderr,
                 "bench_query_latency: %s\nusage: bench_query_latency --model FILE.tlm --data "
                 "FOLDER [--queries N (default 2000)] [--k K (default 50)] [--seed S]\n",
                 why);
    std::exit(2);
}

long positive(const char* flag, const char* text) {
    char* end = nullptr;
    const long v = std::strtol(text, &end, 10);
    if (end == text || *end != '\0' || v < 1) {
        usage((std::string(flag) + " needs a whole number >= 1").c_str());
    }
    return v;
}

} // namespace

int main(int argc, char** argv) {
    std::string modelPath, dataPath;
    long queries = 2000, k = 50;
    std::uint64_t seed = 1;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) {
            usage(("missing value after " + a).c_str());
        }
        const char* v = argv[++i];
        if (a == "--model") {
            modelPath = v;
        } else if (a == "--data") {
            dataPath = v;
        } else if (a == "--queries") {
            queries = positive("--queries", v);
        } else if (a == "--k") {
            k = positive("--k", v);
        } else if (a == "--seed") {
            seed = static_cast<std::uint64_t>(positive("--seed", v));
        } else {
            usage(("unknown option " + a).c_str());
        }
    }
    if (modelPath.empty() || dataPath.empty()) {
        usage("--model and --data are required");
    }
    try {
        const auto model = loadModel(modelPath);
        const std::vector<DatasetUserQuery> users = datasetUserQueries(loadDataset(dataPath));
        if (users.empty()) {
            usage("the dataset has no user with ratings");
        }
        Random random(seed);
        std::vector<UserQuery> picked;
        for (long q = 0; q < queries; ++q) {
            picked.push_back(users[random.below(users.size())].query);
        }
        const auto topK = static_cast<std::size_t>(k);
        std::size_t sink = 0; // keeps the results observable
        for (std::size_t q = 0; q < std::min<std::size_t>(picked.size(), 50); ++q) {
            sink += recommend(*model, picked[q], topK).front().movie; // warm-up
        }
        std::vector<double> ms;
        ms.reserve(picked.size());
        for (const UserQuery& query : picked) {
            const auto start = Clock::now();
            const auto top = recommend(*model, query, topK);
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
            sink += static_cast<std::size_t>(top.front().movie);
        }
        std::sort(ms.begin(), ms.end());
        double sum = 0.0;
        for (const double v : ms) {
            sum += v;
        }
        const auto at = [&](double p) {
            return ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * ms.size()))];
        };
        std::printf("catalogue %zu movies, k %ld, %zu queries (checksum %zu)\n",
                    model->catalogue.size(), k, ms.size(), sink);
        std::printf("median_ms %.4f p99_ms %.4f mean_ms %.4f max_ms %.4f\n", at(0.5), at(0.99),
                    sum / static_cast<double>(ms.size()), ms.back());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_query_latency: %s\n", e.what());
        return 1;
    }
    return 0;
}
