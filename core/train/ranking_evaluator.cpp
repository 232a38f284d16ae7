#include "train/ranking_evaluator.hpp"

#include <omp.h>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cmath>
#include <functional>
#include <map>
#include <numeric>

namespace towerlab {

std::vector<std::int32_t> rankPositives(const RowMatrix& queries, const RowMatrix& candidates,
                                        std::span<const std::int32_t> positives, int threads) {
    return scoreQueries(queries, candidates, positives, ScoringRequest{}, threads).ranks;
}

namespace {

// A key whose unsigned order is the ranking order: higher score first, then lower index.
// Float bits are mapped to an order-preserving unsigned integer (-0 folded into +0 so the two
// tie as they compare equal).
std::uint64_t rankingKey(float score, std::int32_t index) {
    const auto bits = std::bit_cast<std::uint32_t>(score + 0.0f);
    const std::uint32_t ordered = (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
    return (static_cast<std::uint64_t>(ordered) << 32) |
           (0xFFFFFFFFu - static_cast<std::uint32_t>(index));
}

} // namespace

namespace {

// Fills scratch.keys[0, returned) with the ranking keys of a set of candidates that holds the
// k best. Only candidates scoring at least a threshold t are gathered: the r-th best of a
// strided sample of 64 scores, r chosen so that about 2k scores pass. When at least k pass,
// the k best are among them (the k-th best score is >= t); otherwise everything is gathered.
// This keeps a top 100 of 1,682 to one branch-free pass over the scores and a selection among
// ~200 keys.
std::size_t gatherCandidates(std::span<const float> scores, std::size_t k,
                             TopScratch& scratchSpace) {
    constexpr std::size_t kSample = 64;
    const std::size_t n = scores.size();
    std::vector<std::uint64_t>& keys = scratchSpace.keys;
    keys.resize(n);
    scratchSpace.indices.resize(n);
    std::int32_t* indices = scratchSpace.indices.data();
    std::size_t gathered = 0;
    if (n >= 8 * kSample && 4 * k < n) {
        std::array<float, kSample> sample{};
        const std::size_t stride = n / kSample;
        for (std::size_t j = 0; j < kSample; ++j) {
            sample[j] = scores[j * stride];
        }
        const std::size_t r = (2 * k * kSample + n - 1) / n; // 1 <= r < kSample / 2
        std::nth_element(sample.begin(), sample.begin() + static_cast<std::ptrdiff_t>(r - 1),
                         sample.end(), std::greater<>());
        const float threshold = sample[r - 1];
        std::size_t i = 0;
#if defined(__AVX512F__)
        // 16 scores per step: compare, then store the passing indices side by side.
        const __m512 t = _mm512_set1_ps(threshold);
        __m512i index = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        const __m512i step = _mm512_set1_epi32(16);
        for (; i + 16 <= n; i += 16) {
            const __mmask16 pass =
                _mm512_cmp_ps_mask(_mm512_loadu_ps(scores.data() + i), t, _CMP_GE_OQ);
            _mm512_mask_compressstoreu_epi32(indices + gathered, pass, index);
            gathered += static_cast<std::size_t>(std::popcount(static_cast<unsigned>(pass)));
            index = _mm512_add_epi32(index, step);
        }
#endif
        for (; i < n; ++i) {
            indices[gathered] = static_cast<std::int32_t>(i); // kept only when it passes
            gathered += scores[i] >= threshold ? 1 : 0;
        }
        for (std::size_t j = 0; j < gathered; ++j) {
            const std::int32_t m = indices[j];
            keys[j] = rankingKey(scores[static_cast<std::size_t>(m)], m);
        }
    }
    if (gathered < k) {
        for (std::size_t i = 0; i < n; ++i) {
            keys[i] = rankingKey(scores[i], static_cast<std::int32_t>(i));
        }
        gathered = n;
    }
    // The k best first.
    const auto begin = keys.begin();
    const auto kth = begin + static_cast<std::ptrdiff_t>(k);
    const auto end = begin + static_cast<std::ptrdiff_t>(gathered);
    if (kth != end) {
        std::nth_element(begin, kth - 1, end, std::greater<>());
    }
    return gathered;
}

std::int32_t indexOfKey(std::uint64_t key) {
    return static_cast<std::int32_t>(0xFFFFFFFFu - static_cast<std::uint32_t>(key));
}

} // namespace

void topIndices(std::span<const float> scores, std::size_t k, TopScratch& scratch,
                std::int32_t* out) {
    assert(k <= scores.size() && "topIndices: k is larger than the candidates");
    if (k == 0) {
        return;
    }
    gatherCandidates(scores, k, scratch);
    const auto begin = scratch.keys.begin();
    std::sort(begin, begin + static_cast<std::ptrdiff_t>(k), std::greater<>());
    for (std::size_t j = 0; j < k; ++j) {
        out[j] = indexOfKey(scratch.keys[j]);
    }
}

void topIndicesByCutoff(std::span<const float> scores, std::size_t k, TopScratch& scratch,
                        std::int32_t* out) {
    assert(k <= scores.size() && "topIndicesByCutoff: k is larger than the candidates");
    if (k == 0) {
        return;
    }
    gatherCandidates(scores, k, scratch);
    // Each smaller cut-off's best to the front of the larger one's: cheaper than sorting,
    // and all that set-based metrics need.
    const auto begin = scratch.keys.begin();
    std::size_t upper = k;
    for (std::size_t c = RankingMetrics::kCutoffs.size(); c-- > 0;) {
        const auto cut = static_cast<std::size_t>(RankingMetrics::kCutoffs[c]);
        if (cut < upper) {
            std::nth_element(begin, begin + static_cast<std::ptrdiff_t>(cut - 1),
                             begin + static_cast<std::ptrdiff_t>(upper), std::greater<>());
            upper = cut;
        }
    }
    for (std::size_t j = 0; j < k; ++j) {
        out[j] = indexOfKey(scratch.keys[j]);
    }
}

ScoringResult scoreQueries(const RowMatrix& queries, const RowMatrix& candidates,
                           std::span<const std::int32_t> positives, const ScoringRequest& request,
                           int threads) {
    assert(static_cast<std::size_t>(queries.rows()) == positives.size() &&
           "scoreQueries: one positive per query is needed");
    assert(queries.cols() == candidates.cols() &&
           "scoreQueries: query and candidate widths differ");
    assert((request.seen == nullptr || request.users.size() == positives.size()) &&
           "scoreQueries: one user per query is needed to exclude seen movies");
    assert((request.listSlot.empty() || request.listSlot.size() == positives.size()) &&
           "scoreQueries: one list slot per query is needed");
    assert(request.listLength <= static_cast<std::size_t>(candidates.rows()) &&
           "scoreQueries: lists longer than the catalogue");
    constexpr Eigen::Index kBlock = 256;
    const Eigen::Index n = queries.rows();
    const Eigen::Index blocks = (n + kBlock - 1) / kBlock;
    ScoringResult result;
    result.ranks.resize(static_cast<std::size_t>(n));
    if (request.seen != nullptr) {
        result.ranksExcludingSeen.resize(static_cast<std::size_t>(n));
    }
    const bool wantLists = !request.listSlot.empty() && request.listLength > 0;
    if (wantLists) {
        result.topLists.resize(request.lists * request.listLength);
    }
    const int useThreads = threads > 0 ? threads : omp_get_num_procs();
#pragma omp parallel num_threads(useThreads)
    {
        RowMatrix scores;
        TopScratch scratch;
#pragma omp for schedule(dynamic, 4)
        for (Eigen::Index b = 0; b < blocks; ++b) {
            const Eigen::Index r0 = b * kBlock;
            const Eigen::Index rows = std::min(kBlock, n - r0);
            scores.resize(rows, candidates.rows());
            scores.noalias() = queries.middleRows(r0, rows) * candidates.transpose();
            for (Eigen::Index i = 0; i < rows; ++i) {
                const auto row = scores.row(i).array();
                const auto example = static_cast<std::size_t>(r0 + i);
                const std::int32_t positiveIndex = positives[example];
                const float positive = row(positiveIndex);
                const auto rank = 1 + static_cast<std::int32_t>((row > positive).count());
                result.ranks[example] = rank;
                if (request.seen != nullptr) {
                    std::int32_t removed = 0;
                    for (const std::int32_t m : request.seen->of(request.users[example])) {
                        removed += m != positiveIndex && row(m) > positive ? 1 : 0;
                    }
                    result.ranksExcludingSeen[example] = rank - removed;
                }
                if (wantLists && request.listSlot[example] >= 0) {
                    const std::span<const float> all(&scores(i, 0),
                                                     static_cast<std::size_t>(scores.cols()));
                    topIndicesByCutoff(all, request.listLength, scratch,
                                       result.topLists.data() +
                                           static_cast<std::size_t>(request.listSlot[example]) *
                                               request.listLength);
                }
            }
        }
    }
    return result;
}

std::vector<std::int32_t> rankByFixedScore(std::span<const double> scores,
                                           std::span<const std::int32_t> positives) {
    std::vector<double> sorted(scores.begin(), scores.end());
    std::sort(sorted.begin(), sorted.end());
    std::vector<std::int32_t> ranks(positives.size());
    for (std::size_t i = 0; i < positives.size(); ++i) {
        const double s = scores[static_cast<std::size_t>(positives[i])];
        const auto greater = sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), s);
        ranks[i] = 1 + static_cast<std::int32_t>(greater);
    }
    return ranks;
}

std::vector<std::int32_t> excludeSeenFromFixedRanks(std::span<const double> scores,
                                                    std::span<const std::int32_t> positives,
                                                    std::span<const std::int32_t> users,
                                                    std::span<const std::int32_t> ranks,
                                                    const SeenMovies& seen) {
    assert(positives.size() == users.size() && positives.size() == ranks.size() &&
           "excludeSeenFromFixedRanks: one user and rank per positive is needed");
    std::vector<std::int32_t> out(ranks.begin(), ranks.end());
    for (std::size_t i = 0; i < positives.size(); ++i) {
        const double positive = scores[static_cast<std::size_t>(positives[i])];
        for (const std::int32_t m : seen.of(users[i])) {
            out[i] -= m != positives[i] && scores[static_cast<std::size_t>(m)] > positive ? 1 : 0;
        }
    }
    return out;
}

RankingMetrics metricsFromRanks(std::span<const std::int32_t> ranks,
                                std::span<const std::int32_t> users) {
    assert(ranks.size() == users.size() && "metricsFromRanks: one user per rank is needed");
    RankingMetrics m;
    m.examples = ranks.size();
    if (ranks.empty()) {
        return m;
    }
    constexpr std::size_t K = RankingMetrics::kCutoffs.size();
    struct PerUser {
        std::size_t examples = 0;
        std::array<std::size_t, K> hits{};
    };
    std::map<std::int32_t, PerUser> perUser; // ordered: the recall sum is the same everywhere
    std::array<std::size_t, K> hits{};
    for (std::size_t i = 0; i < ranks.size(); ++i) {
        const std::int32_t r = ranks[i];
        PerUser& u = perUser[users[i]];
        ++u.examples;
        const double gain = 1.0 / std::log2(1.0 + static_cast<double>(r));
        for (std::size_t k = 0; k < K; ++k) {
            if (r <= RankingMetrics::kCutoffs[k]) {
                ++hits[k];
                ++u.hits[k];
                m.ndcg[k] += gain;
            }
        }
        m.mrr += 1.0 / static_cast<double>(r);
    }
    const auto n = static_cast<double>(ranks.size());
    for (std::size_t k = 0; k < K; ++k) {
        m.topK[k] = static_cast<double>(hits[k]) / n;
        m.ndcg[k] /= n;
        double recall = 0.0;
        for (const auto& [user, u] : perUser) {
            recall += static_cast<double>(u.hits[k]) / static_cast<double>(u.examples);
        }
        m.recall[k] = recall / static_cast<double>(perUser.size());
    }
    m.mrr /= n;
    return m;
}

} // namespace towerlab
