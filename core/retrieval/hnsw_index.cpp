#include "retrieval/hnsw_index.hpp"

// hnswlib 0.6 defines non-inline functions and globals in its headers, so it may be included in
// one translation unit only: this one. Its own warnings are not ours (it is included as a
// system header through the towerlab_hnswlib target).
// hnswlib 0.6's SSE path reads one link past a full neighbour list to compute a prefetch
// address (hnswalg.h, searchBaseLayer): harmless on real hardware, a heap-buffer-overflow to
// AddressSanitizer. Sanitizer builds therefore use its plain C++ path; others keep the SIMD.
#if defined(__SANITIZE_ADDRESS__)
#define TOWERLAB_HNSW_PLAIN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TOWERLAB_HNSW_PLAIN 1
#endif
#endif
#if defined(TOWERLAB_HNSW_PLAIN) && !defined(NO_MANUAL_VECTORIZATION)
#define NO_MANUAL_VECTORIZATION
#endif
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

// Maximum inner product search is not a nearest-neighbour problem. Built on raw dot products
// the graph links every movie to the longest (most popular) vectors and cannot reach the
// shorter ones a query also wants (recall@100 0.59 at ef = 400 on 100k clustered movies).
// The classic reduction (Bachrach et al., RecSys 2014) stores x as [x, sqrt(R^2 - |x|^2)],
// R the largest length, and a query as [q, 0]: dot products are unchanged and every stored
// vector has length R, so the graph is built on a metric; but when most vectors are much
// shorter than R the extra coordinate swamps their directions (recall@10 0.76 at ef = 400).
// So the movies are split into bands of similar length (each at most kBandRatio times its
// shortest, as in norm-ranging LSH, Yan et al., NeurIPS 2018), one graph per band with its
// own R; a query searches every band and the candidates are merged by their true scores
// (recall@10 1.00, recall@100 0.997 at ef = 200 on the same movies).
constexpr float kBandRatio = 1.1f;
constexpr int kMaxBands = 32;             // wider bands when the lengths span more than that
constexpr float kShortestCounted = 1e-3f; // lengths below this share of the longest: band 0

struct Band {
    std::vector<std::int32_t> movies; // catalogue indices, by hnswlib label (0..size-1)
    float maxNormSq = 0.0f;
    std::unique_ptr<hnswlib::InnerProductSpace> space;
    std::unique_ptr<Graph> graph;
};

// The bands for these lengths: sorted by length, a new band whenever a length exceeds the
// current band's shortest by more than the ratio.
std::vector<std::vector<std::int32_t>> bandsByLength(const Eigen::VectorXf& norms) {
    std::vector<std::int32_t> order(static_cast<std::size_t>(norms.size()));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&norms](std::int32_t a, std::int32_t b) { return norms[a] < norms[b]; });
    const float longest = norms.maxCoeff();
    const float floor = std::max(norms[order.front()], longest * kShortestCounted);
    float ratio = kBandRatio;
    if (floor > 0.0f) {
        ratio = std::max(ratio, std::pow(longest / floor, 1.0f / static_cast<float>(kMaxBands)));
    }
    std::vector<std::vector<std::int32_t>> bands(1);
    float bandStart = floor;
    for (const std::int32_t m : order) {
        if (norms[m] > bandStart * ratio && !bands.back().empty()) {
            bands.emplace_back();
            bandStart = norms[m];
        }
        bands.back().push_back(m);
    }
    return bands;
}

} // namespace

struct HnswIndex::Impl {
    HnswParams params;
    int dim = 0; // of the model's vectors; the graphs hold dim + 1
    double buildSeconds = 0.0;
    std::vector<Band> bands;
    // Catalogue index -> (band, hnswlib's internal id), to recompute a result's score from the
    // vector hnswlib holds instead of keeping a second copy of the catalogue.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> where;

    float dot(std::int32_t movie, const RowVector& query) const {
        const auto [band, internal] = where[static_cast<std::size_t>(movie)];
        const auto* data =
            reinterpret_cast<const float*>(bands[band].graph->getDataByInternalId(internal));
        return Eigen::Map<const RowVector>(data, dim).dot(query);
    }

    static void augment(const float* x, int dim, float maxNormSq, std::vector<float>& out) {
        const Eigen::Map<const RowVector> v(x, dim);
        out.assign(x, x + dim);
        out.push_back(std::sqrt(std::max(0.0f, maxNormSq - v.squaredNorm())));
    }

    // The movies each band's graph finds with a list of `wanted`; a band no larger than that
    // gives all its movies (the graph would visit them all anyway), as does every band when
    // `wanted` exceeds the catalogue: the last resort when the graphs cannot reach enough.
    std::vector<std::int32_t> candidates(const RowVector& query, std::size_t wanted) const {
        std::vector<float> q(query.data(), query.data() + dim);
        q.push_back(0.0f);
        std::vector<std::int32_t> out;
        for (const Band& band : bands) {
            if (band.movies.size() <= wanted) {
                out.insert(out.end(), band.movies.begin(), band.movies.end());
                continue;
            }
            // searchKnn uses max(ef_, wanted) as its list length; ef_ stays at 1, so the list
            // length is chosen per call and concurrent searches never write shared state.
            auto heap = band.graph->searchKnn(q.data(), wanted);
            while (!heap.empty()) {
                out.push_back(band.movies[heap.top().second]);
                heap.pop();
            }
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
    const int dim = impl->dim;
    const auto n = static_cast<std::size_t>(vectors.rows());
    const Eigen::VectorXf norms = vectors.rowwise().norm();
    impl->where.assign(n, {0, 0});

    auto cancelled = [cancel] { return cancel != nullptr && cancel->load(); };
    const unsigned threads = params.threads == 0 ? std::max(1u, std::thread::hardware_concurrency())
                                                 : static_cast<unsigned>(params.threads);
    std::atomic<std::size_t> done{0};
    if (progress) {
        progress(0, n);
    }
    for (std::vector<std::int32_t>& members : bandsByLength(norms)) {
        Band band;
        band.movies = std::move(members);
        for (const std::int32_t m : band.movies) {
            band.maxNormSq = std::max(band.maxNormSq, norms[m] * norms[m]);
        }
        const std::size_t size = band.movies.size();
        band.space =
            std::make_unique<hnswlib::InnerProductSpace>(static_cast<std::size_t>(dim) + 1);
        band.graph = std::make_unique<Graph>(
            band.space.get(), size, static_cast<std::size_t>(params.m),
            static_cast<std::size_t>(params.efConstruction), static_cast<std::size_t>(params.seed));
        band.graph->setEf(1);
        Graph& graph = *band.graph;
        const float maxNormSq = band.maxNormSq;
        const std::vector<std::int32_t>& movies = band.movies;
        auto insert = [&](std::size_t label, std::vector<float>& row) {
            Impl::augment(vectors.row(movies[label]).data(), dim, maxNormSq, row);
            graph.addPoint(row.data(), label);
        };
        // The first node becomes the entry point; hnswlib needs it in place before parallel
        // inserts.
        std::vector<float> first;
        insert(0, first);
        done.fetch_add(1);
        std::atomic<std::size_t> next{1};
        std::atomic<bool> stop{false};
        std::exception_ptr failure;
        std::mutex failureMutex;
        // Each thread takes chunks of the band until none are left. Only the calling thread
        // reports progress, so the callback never runs on a thread the caller does not know.
        auto work = [&](bool reports) {
            try {
                std::vector<float> row;
                while (!stop.load()) {
                    const std::size_t begin = next.fetch_add(kInsertChunk);
                    if (begin >= size) {
                        return;
                    }
                    const std::size_t end = std::min(size, begin + kInsertChunk);
                    for (std::size_t i = begin; i < end; ++i) {
                        insert(i, row);
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
        {
            std::vector<std::jthread> helpers;
            // Small bands are not worth a thread.
            for (unsigned t = 1; t < threads && size > t * kInsertChunk; ++t) {
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
        const auto bandIndex = static_cast<std::uint32_t>(impl->bands.size());
        for (const auto& entry : graph.label_lookup_) {
            impl->where[static_cast<std::size_t>(movies[entry.first])] = {bandIndex, entry.second};
        }
        impl->bands.push_back(std::move(band));
    }
    if (progress) {
        progress(n, n);
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
    // A sorted list, not a flag per movie: a query should not cost a pass over the catalogue.
    std::vector<std::int32_t> skip;
    for (const std::int32_t e : excluded) {
        if (e >= 0 && static_cast<std::size_t>(e) < n) {
            skip.push_back(e);
        }
    }
    std::sort(skip.begin(), skip.end());
    skip.erase(std::unique(skip.begin(), skip.end()), skip.end());
    const std::size_t skipped = skip.size();
    const std::size_t reachable = std::min(k, n - skipped); // what brute force would return
    std::size_t wanted = std::max(ef, k + skipped);
    std::vector<ScoredMovie> out;
    for (;;) {
        const bool fullScan = wanted >= n;
        const std::vector<std::int32_t> found = m_impl->candidates(query, wanted);
        out.clear();
        for (const std::int32_t movie : found) {
            if (!std::binary_search(skip.begin(), skip.end(), movie)) {
                out.push_back({movie, m_impl->dot(movie, query), 0});
            }
        }
        if (out.size() >= reachable || fullScan) {
            break;
        }
        // The graph returned fewer movies than asked for (some not reachable from the entry
        // point with this list): ask again with a longer list, then scan everything.
        wanted = std::min(n, wanted * 2);
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
    return m_impl->where.size();
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
    std::size_t bytes = m_impl->where.size() * sizeof(m_impl->where[0]);
    for (const Band& band : m_impl->bands) {
        const Graph& g = *band.graph;
        bytes += band.movies.size() * sizeof(std::int32_t);
        bytes += g.max_elements_ * g.size_data_per_element_;
        for (std::size_t i = 0; i < g.cur_element_count; ++i) {
            if (g.element_levels_[i] > 0) {
                bytes += g.size_links_per_element_ * static_cast<std::size_t>(g.element_levels_[i]);
            }
        }
    }
    return bytes;
}

std::size_t HnswIndex::bands() const {
    return m_impl->bands.size();
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
