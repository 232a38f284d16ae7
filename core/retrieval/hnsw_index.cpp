#include "retrieval/hnsw_index.hpp"

// hnswlib 0.6 defines non-inline functions and globals in its headers, so it may be included in
// one translation unit only: this one. Its own warnings are not ours (it is included as a
// system header through the towerlab_hnswlib target).
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>
#include <thread>

namespace towerlab {

namespace {

using Clock = std::chrono::steady_clock;
using Graph = hnswlib::HierarchicalNSW<float>;

constexpr int kMaxM = 100;
constexpr int kMaxEfConstruction = 10'000;
constexpr std::size_t kInsertChunk = 256; // inserts between two looks at cancel and progress

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void checkParams(const RowMatrix& vectors, const HnswParams& p) {
    if (vectors.rows() == 0) {
        throw HnswError("HNSW index: the catalogue is empty (no movie vectors to index)");
    }
    if (vectors.cols() == 0) {
        throw HnswError("HNSW index: the movie vectors have dimension 0");
    }
    if (vectors.rows() > std::numeric_limits<std::int32_t>::max()) {
        throw HnswError("HNSW index: " + std::to_string(vectors.rows()) +
                        " movies are more than a catalogue index can hold");
    }
    if (p.m < 2 || p.m > kMaxM) {
        throw HnswError("HNSW M: must be between 2 and " + std::to_string(kMaxM) + ", got " +
                        std::to_string(p.m));
    }
    if (p.efConstruction < p.m || p.efConstruction > kMaxEfConstruction) {
        throw HnswError("HNSW ef_construction: must be between M (" + std::to_string(p.m) +
                        ") and " + std::to_string(kMaxEfConstruction) + ", got " +
                        std::to_string(p.efConstruction));
    }
    if (p.threads < 0 || p.threads > 256) {
        throw HnswError("HNSW threads: must be between 0 (all cores) and 256, got " +
                        std::to_string(p.threads));
    }
    if (!vectors.allFinite()) {
        for (Eigen::Index r = 0; r < vectors.rows(); ++r) {
            if (!vectors.row(r).allFinite()) {
                throw HnswError("HNSW index: movie vector " + std::to_string(r) +
                                " has a NaN or infinite value");
            }
        }
    }
}

double percentile(std::vector<double> values, double q) {
    std::sort(values.begin(), values.end());
    // Nearest rank: the smallest value with at least q of the values at or below it.
    const auto n = values.size();
    auto index = static_cast<std::size_t>(std::ceil(q * static_cast<double>(n)));
    index = std::clamp<std::size_t>(index, 1, n) - 1;
    return values[index];
}

double mean(const std::vector<double>& values) {
    return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

} // namespace

struct HnswIndex::Impl {
    HnswParams params;
    int dim = 0;         // of the model's vectors; the graph holds dim + 1 (see augmented)
    float maxNormSq = 0; // the largest squared length among the movie vectors
    double buildSeconds = 0.0;
    std::unique_ptr<hnswlib::InnerProductSpace> space;
    std::unique_ptr<Graph> graph;
    // Catalogue index -> hnswlib's internal id (they differ after a parallel insert), to
    // recompute a result's score from the vector hnswlib holds instead of keeping a copy.
    std::vector<std::uint32_t> internalOf;

    float dot(std::int32_t movie, const RowVector& query) const {
        const auto* data = reinterpret_cast<const float*>(
            graph->getDataByInternalId(internalOf[static_cast<std::size_t>(movie)]));
        return Eigen::Map<const RowVector>(data, dim).dot(query);
    }

    // Every movie, scored exactly: the last resort when the graph cannot reach enough movies.
    std::vector<std::int32_t> allMovies() const {
        std::vector<std::int32_t> all(internalOf.size());
        std::iota(all.begin(), all.end(), 0);
        return all;
    }

    // Maximum inner product search is not a nearest-neighbour problem: built on raw dot
    // products, the graph links every movie to the longest (most popular) vectors and cannot
    // reach the shorter ones a query wants (recall@100 was 0.58 on 10k clustered movies at
    // ef = 100). So each movie x is stored as [x, sqrt(max|x|^2 - |x|^2)] (all of one length)
    // and a query q as [q, 0]: the dot product is unchanged and the graph is built on a true
    // metric (Bachrach et al., RecSys 2014).
    void augmentMovie(const float* x, std::vector<float>& out) const {
        const Eigen::Map<const RowVector> v(x, dim);
        out.assign(x, x + dim);
        out.push_back(std::sqrt(std::max(0.0f, maxNormSq - v.squaredNorm())));
    }

    std::vector<std::int32_t> candidates(const RowVector& query, std::size_t wanted) const {
        std::vector<float> q(query.data(), query.data() + dim);
        q.push_back(0.0f);
        // searchKnn uses max(ef_, wanted) as its list length; ef_ stays at 1, so the list
        // length is chosen per call and concurrent searches never write shared state.
        auto heap = graph->searchKnn(q.data(), wanted);
        std::vector<std::int32_t> out;
        out.reserve(heap.size());
        while (!heap.empty()) {
            out.push_back(static_cast<std::int32_t>(heap.top().second));
            heap.pop();
        }
        return out;
    }
};

HnswIndex::HnswIndex(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
HnswIndex::~HnswIndex() = default;

std::unique_ptr<HnswIndex> HnswIndex::build(const RowMatrix& vectors, const HnswParams& params,
                                            const HnswProgress& progress,
                                            const std::atomic<bool>* cancel) {
    checkParams(vectors, params);
    const auto start = Clock::now();
    auto impl = std::make_unique<Impl>();
    impl->params = params;
    impl->dim = static_cast<int>(vectors.cols());
    const auto n = static_cast<std::size_t>(vectors.rows());
    impl->maxNormSq = vectors.rowwise().squaredNorm().maxCoeff();
    impl->space =
        std::make_unique<hnswlib::InnerProductSpace>(static_cast<std::size_t>(impl->dim) + 1);
    impl->graph = std::make_unique<Graph>(impl->space.get(), n, static_cast<std::size_t>(params.m),
                                          static_cast<std::size_t>(params.efConstruction),
                                          static_cast<std::size_t>(params.seed));
    impl->graph->setEf(1);

    auto cancelled = [cancel] { return cancel != nullptr && cancel->load(); };
    // The first node becomes the entry point; hnswlib needs it in place before parallel inserts.
    std::vector<float> first;
    impl->augmentMovie(vectors.row(0).data(), first);
    impl->graph->addPoint(first.data(), 0);
    std::atomic<std::size_t> next{1};
    std::atomic<std::size_t> done{1};
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    std::mutex failureMutex;
    // Each thread takes chunks of rows until none are left. Only the calling thread reports
    // progress, so the callback never runs on a thread the caller does not know.
    auto work = [&](bool reports) {
        try {
            std::vector<float> row;
            while (!stop.load()) {
                const std::size_t begin = next.fetch_add(kInsertChunk);
                if (begin >= n) {
                    return;
                }
                const std::size_t end = std::min(n, begin + kInsertChunk);
                for (std::size_t i = begin; i < end; ++i) {
                    impl->augmentMovie(vectors.row(static_cast<Eigen::Index>(i)).data(), row);
                    impl->graph->addPoint(row.data(), i);
                }
                const std::size_t total = done.fetch_add(end - begin) + (end - begin);
                if (cancelled()) {
                    stop = true;
                } else if (reports && progress) {
                    progress(std::min(total, n), n);
                }
            }
        } catch (...) {
            const std::lock_guard lock(failureMutex);
            failure = std::current_exception();
            stop = true;
        }
    };
    const unsigned threads = params.threads == 0 ? std::max(1u, std::thread::hardware_concurrency())
                                                 : static_cast<unsigned>(params.threads);
    if (progress) {
        progress(1, n);
    }
    {
        std::vector<std::jthread> helpers;
        for (unsigned t = 1; t < threads; ++t) {
            helpers.emplace_back(work, false);
        }
        work(true);
    } // the helpers join here
    if (failure) {
        std::rethrow_exception(failure);
    }
    if (cancelled() || stop.load()) {
        return nullptr;
    }
    if (progress) {
        progress(n, n);
    }
    impl->internalOf.assign(n, 0);
    for (const auto& [label, internal] : impl->graph->label_lookup_) {
        impl->internalOf[label] = internal;
    }
    impl->buildSeconds = msSince(start) / 1000.0;
    return std::unique_ptr<HnswIndex>(new HnswIndex(std::move(impl)));
}

std::vector<ScoredMovie> HnswIndex::search(const RowVector& query, std::size_t k, std::size_t ef,
                                           std::span<const std::int32_t> excluded) const {
    if (k == 0) {
        throw HnswError("HNSW k: must be at least 1");
    }
    if (ef < k) {
        throw HnswError("HNSW ef: must be at least k (" + std::to_string(k) + "), got " +
                        std::to_string(ef));
    }
    if (query.size() != m_impl->dim) {
        throw HnswError("HNSW query: has dimension " + std::to_string(query.size()) +
                        ", the index's movie vectors have " + std::to_string(m_impl->dim));
    }
    const std::size_t n = size();
    std::vector<char> skip(n, 0);
    std::size_t skipped = 0;
    for (const std::int32_t e : excluded) {
        if (e >= 0 && static_cast<std::size_t>(e) < n && skip[static_cast<std::size_t>(e)] == 0) {
            skip[static_cast<std::size_t>(e)] = 1;
            ++skipped;
        }
    }
    const std::size_t reachable = std::min(k, n - skipped); // what brute force would return
    std::size_t wanted = std::max(ef, k + skipped);
    std::vector<ScoredMovie> out;
    for (;;) {
        const bool fullScan = wanted > n;
        const std::vector<std::int32_t> found =
            fullScan ? m_impl->allMovies() : m_impl->candidates(query, wanted);
        out.clear();
        for (const std::int32_t movie : found) {
            if (skip[static_cast<std::size_t>(movie)] == 0) {
                out.push_back({movie, m_impl->dot(movie, query), 0});
            }
        }
        if (out.size() >= reachable || fullScan) {
            break;
        }
        // The graph returned fewer movies than asked for (some not reachable from the entry
        // point with this list): ask again with a longer list, then scan everything.
        wanted = wanted >= n ? n + 1 : std::min(n, wanted * 2);
    }
    const auto keep = std::min(reachable, out.size());
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(keep), out.end(),
                      [](const ScoredMovie& a, const ScoredMovie& b) {
                          return a.score > b.score || (a.score == b.score && a.movie < b.movie);
                      });
    out.resize(keep);
    for (std::size_t i = 0; i < out.size(); ++i) {
        out[i].rank = static_cast<std::int32_t>(i + 1);
    }
    return out;
}

std::size_t HnswIndex::size() const {
    return m_impl->internalOf.size();
}

int HnswIndex::dimension() const {
    return m_impl->dim;
}

const HnswParams& HnswIndex::params() const {
    return m_impl->params;
}

double HnswIndex::buildSeconds() const {
    return m_impl->buildSeconds;
}

std::size_t HnswIndex::memoryBytes() const {
    const Graph& g = *m_impl->graph;
    std::size_t bytes = g.max_elements_ * g.size_data_per_element_;
    for (std::size_t i = 0; i < g.cur_element_count; ++i) {
        if (g.element_levels_[i] > 0) {
            bytes += g.size_links_per_element_ * static_cast<std::size_t>(g.element_levels_[i]);
        }
    }
    return bytes;
}

HnswMeasurement measureHnsw(const HnswIndex& index, const RowMatrix& candidates,
                            const RowMatrix& queries, std::size_t k, std::size_t ef,
                            const std::atomic<bool>* cancel) {
    if (static_cast<std::size_t>(candidates.rows()) != index.size() ||
        candidates.cols() != index.dimension()) {
        throw HnswError(
            "HNSW measurement: the candidates (" + std::to_string(candidates.rows()) + " x " +
            std::to_string(candidates.cols()) + ") are not the ones the index was built from (" +
            std::to_string(index.size()) + " x " + std::to_string(index.dimension()) + ")");
    }
    if (queries.rows() == 0) {
        throw HnswError("HNSW measurement: no queries");
    }
    if (queries.cols() != index.dimension()) {
        throw HnswError("HNSW query: has dimension " + std::to_string(queries.cols()) +
                        ", the index's movie vectors have " + std::to_string(index.dimension()));
    }
    if (k == 0 || ef < k) {
        index.search(queries.row(0), k, ef); // throws the same message as search
    }
    HnswMeasurement m;
    m.k = k;
    m.ef = ef;
    std::vector<double> brute;
    std::vector<double> approx;
    double recallSum = 0.0;
    for (Eigen::Index q = 0; q < queries.rows(); ++q) {
        if (cancel != nullptr && cancel->load()) {
            return HnswMeasurement{};
        }
        const RowVector query = queries.row(q);
        auto start = Clock::now();
        const Eigen::VectorXf scores = candidates * query.transpose();
        const std::vector<ScoredMovie> exact = topKOfScores(scores, k);
        brute.push_back(msSince(start));
        start = Clock::now();
        const std::vector<ScoredMovie> found = index.search(query, k, ef);
        approx.push_back(msSince(start));
        std::vector<std::int32_t> a;
        std::vector<std::int32_t> b;
        for (const ScoredMovie& s : exact) {
            a.push_back(s.movie);
        }
        for (const ScoredMovie& s : found) {
            b.push_back(s.movie);
        }
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        std::vector<std::int32_t> common;
        std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
        recallSum += static_cast<double>(common.size()) / static_cast<double>(exact.size());
    }
    m.queries = static_cast<std::size_t>(queries.rows());
    m.recall = recallSum / static_cast<double>(m.queries);
    m.bruteMeanMs = mean(brute);
    m.bruteP50Ms = percentile(brute, 0.5);
    m.bruteP99Ms = percentile(brute, 0.99);
    m.hnswMeanMs = mean(approx);
    m.hnswP50Ms = percentile(approx, 0.5);
    m.hnswP99Ms = percentile(approx, 0.99);
    return m;
}

} // namespace towerlab
