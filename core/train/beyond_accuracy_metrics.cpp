#include "train/beyond_accuracy_metrics.hpp"

#include <omp.h>

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <limits>

namespace towerlab {

namespace {

constexpr std::size_t kCuts = RankingMetrics::kCutoffs.size();
constexpr std::size_t kChunk = 256; // lists per unit of parallel work and of summation

} // namespace

// Two movies without genres count as alike (distance 0), since nothing says they differ.
double genreDistance(std::uint64_t a, std::uint64_t b) {
    const int unionSize = std::popcount(a | b);
    if (unionSize == 0) {
        return 0.0;
    }
    return 1.0 - static_cast<double>(std::popcount(a & b)) / static_cast<double>(unionSize);
}

std::size_t beyondAccuracyListLength(std::size_t movies) {
    return std::min(movies, static_cast<std::size_t>(RankingMetrics::kCutoffs.back()));
}

CatalogueStatistics catalogueStatistics(std::span<const std::int32_t> popularity,
                                        const std::vector<std::vector<int>>& genres,
                                        std::size_t genreCount) {
    assert((genres.empty() || genres.size() == popularity.size()) &&
           "catalogueStatistics: one genre list per movie is needed");
    const std::size_t n = popularity.size();
    CatalogueStatistics s;
    s.popularityPercentile.resize(n);
    s.selfInformation.resize(n);
    std::vector<std::int32_t> sorted(popularity.begin(), popularity.end());
    std::sort(sorted.begin(), sorted.end());
    double examples = 0.0;
    for (const std::int32_t c : popularity) {
        examples += c;
    }
    for (std::size_t m = 0; m < n; ++m) {
        const auto below = std::lower_bound(sorted.begin(), sorted.end(), popularity[m]);
        const auto upTo = std::upper_bound(sorted.begin(), sorted.end(), popularity[m]);
        const auto less = static_cast<double>(below - sorted.begin());
        const auto same = static_cast<double>(upTo - below);
        s.popularityPercentile[m] = 100.0 * (less + 0.5 * same) / static_cast<double>(n);
        s.selfInformation[m] =
            -std::log2((popularity[m] + 1.0) / (examples + static_cast<double>(n)));
    }
    if (genreCount > 0 && genreCount <= 64 && !genres.empty()) {
        s.genreMasks.resize(n, 0);
        for (std::size_t m = 0; m < n; ++m) {
            for (const int g : genres[m]) {
                assert(g >= 0 && static_cast<std::size_t>(g) < genreCount);
                s.genreMasks[m] |= std::uint64_t{1} << g;
            }
        }
        std::vector<std::uint64_t> sets(s.genreMasks);
        std::sort(sets.begin(), sets.end());
        sets.erase(std::unique(sets.begin(), sets.end()), sets.end());
        s.genreSets = sets.size();
        s.genreSet.resize(n);
        for (std::size_t m = 0; m < n; ++m) {
            s.genreSet[m] = static_cast<std::int32_t>(
                std::lower_bound(sets.begin(), sets.end(), s.genreMasks[m]) - sets.begin());
        }
        s.setDistance.resize(sets.size() * sets.size());
        for (std::size_t a = 0; a < sets.size(); ++a) {
            for (std::size_t b = 0; b < sets.size(); ++b) {
                s.setDistance[a * sets.size() + b] = genreDistance(sets[a], sets[b]);
            }
        }
    }
    return s;
}

double giniCoefficient(std::span<const double> counts) {
    std::vector<double> x(counts.begin(), counts.end());
    std::sort(x.begin(), x.end());
    const auto n = static_cast<double>(x.size());
    double total = 0.0;
    double weighted = 0.0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        total += x[i];
        weighted += (2.0 * static_cast<double>(i + 1) - n - 1.0) * x[i];
    }
    return total > 0.0 ? weighted / (n * total) : 0.0;
}

BeyondAccuracyAccumulator::BeyondAccuracyAccumulator(std::size_t listLength,
                                                     const CatalogueStatistics& stats, int threads)
    : m_listLength(listLength), m_stats(&stats),
      m_threads(threads > 0 ? threads : omp_get_num_procs()),
      m_threadCounts(static_cast<std::size_t>(m_threads)) {
    // Lists are nested (top 1 within top 5 ...), so each position belongs to the segment of
    // the first cut-off that includes it; per-cut-off values are prefix sums of segments.
    for (std::size_t c = 0; c < kCuts; ++c) {
        m_length[c] = std::min(listLength, static_cast<std::size_t>(RankingMetrics::kCutoffs[c]));
    }
    m_segmentOf.resize(listLength);
    for (std::size_t p = 0, c = 0; p < listLength; ++p) {
        while (p >= m_length[c]) {
            ++c;
        }
        m_segmentOf[p] = static_cast<std::uint8_t>(c);
    }
}

void BeyondAccuracyAccumulator::add(std::span<const std::int32_t> lists) {
    if (m_listLength == 0 || lists.empty()) {
        return;
    }
    assert(lists.size() % m_listLength == 0 && "beyondAccuracy: lists must be whole rows");
    m_queries += lists.size() / m_listLength;
    const std::size_t chunkSize = kChunk * m_listLength;
    // Whole chunks are summed as they come; a partial one waits for the next lists, so the
    // chunks (and the order of their sums) are those of all the lists at once.
    if (!m_pending.empty()) {
        const std::size_t take = std::min(chunkSize - m_pending.size(), lists.size());
        m_pending.insert(m_pending.end(), lists.begin(),
                         lists.begin() + static_cast<std::ptrdiff_t>(take));
        lists = lists.subspan(take);
        if (m_pending.size() < chunkSize) {
            return;
        }
        sumChunks(m_pending);
        m_pending.clear();
    }
    const std::size_t whole = lists.size() / chunkSize * chunkSize;
    sumChunks(lists.first(whole));
    m_pending.assign(lists.begin() + static_cast<std::ptrdiff_t>(whole), lists.end());
}

void BeyondAccuracyAccumulator::sumChunks(std::span<const std::int32_t> lists) {
    const std::size_t queries = lists.size() / m_listLength;
    if (queries == 0) {
        return;
    }
    const CatalogueStatistics& stats = *m_stats;
    const std::size_t movies = stats.popularityPercentile.size();
    const std::size_t listLength = m_listLength;
    const bool hasDiversity = !stats.genreMasks.empty();
    const auto& length = m_length;
    const auto& segmentOf = m_segmentOf;
    const std::size_t chunks = (queries + kChunk - 1) / kChunk;
    std::vector<Sums> sums(chunks);
    const std::size_t sets = stats.genreSets;
#pragma omp parallel num_threads(m_threads)
    {
        // Each thread's table lives as long as the accumulator: an evaluation adds lists a
        // chunk at a time, and a fresh table per chunk was 13% of its time in memset at 62,000
        // movies.
        std::vector<std::int64_t>& counts =
            m_threadCounts[static_cast<std::size_t>(omp_get_thread_num())];
        if (counts.empty()) {
            counts.assign(kCuts * movies, 0);
        }
        // Per list: the distinct genre sets so far with their counts. At a cut-off the pair
        // sum is sum over two sets of count * count * distance: a top 100 holds far fewer
        // distinct sets than movies. slotOf[set] = the set's place in seenSets, or -1.
        std::vector<std::pair<std::size_t, double>> seenSets;
        std::vector<std::int32_t> slotOf(sets, -1);
#pragma omp for schedule(static)
        for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
            Sums& sum = sums[chunk];
            const std::size_t end = std::min(queries, (chunk + 1) * kChunk);
            for (std::size_t q = chunk * kChunk; q < end; ++q) {
                const std::int32_t* list = lists.data() + q * listLength;
                for (const auto& [set, count] : seenSets) {
                    slotOf[set] = -1;
                }
                seenSets.clear();
                for (std::size_t p = 0; p < listLength; ++p) {
                    const std::size_t segment = segmentOf[p];
                    const auto m = static_cast<std::size_t>(list[p]);
                    assert(m < movies && "beyondAccuracy: movie index out of range");
                    ++counts[segment * movies + m];
                    sum.percentile[segment] += stats.popularityPercentile[m];
                    sum.novelty[segment] += stats.selfInformation[m];
                    if (!hasDiversity) {
                        continue;
                    }
                    const auto set = static_cast<std::size_t>(stats.genreSet[m]);
                    if (slotOf[set] < 0) {
                        slotOf[set] = static_cast<std::int32_t>(seenSets.size());
                        seenSets.emplace_back(set, 0.0);
                    }
                    seenSets[static_cast<std::size_t>(slotOf[set])].second += 1.0;
                    if (p + 1 != length[segment] || p == 0) {
                        continue;
                    }
                    // Same-set pairs have distance 0 (the table's diagonal), so only pairs of
                    // two different sets count.
                    double pairSum = 0.0;
                    for (std::size_t a = 0; a < seenSets.size(); ++a) {
                        const double* row = stats.setDistance.data() + seenSets[a].first * sets;
                        double toLater = 0.0;
                        for (std::size_t b = a + 1; b < seenSets.size(); ++b) {
                            toLater += seenSets[b].second * row[seenSets[b].first];
                        }
                        pairSum += seenSets[a].second * toLater;
                    }
                    const auto k = static_cast<double>(p + 1);
                    for (std::size_t c = segment; c < kCuts && length[c] == p + 1; ++c) {
                        sum.diversity[c] += pairSum / (k * (k - 1.0) / 2.0);
                    }
                }
            }
        }
    }
    for (const Sums& sum : sums) {
        for (std::size_t c = 0; c < kCuts; ++c) {
            m_total.percentile[c] += sum.percentile[c];
            m_total.novelty[c] += sum.novelty[c];
            m_total.diversity[c] += sum.diversity[c];
        }
    }
}

BeyondAccuracyMetrics BeyondAccuracyAccumulator::finish() {
    sumChunks(m_pending);
    m_pending.clear();
    const CatalogueStatistics& stats = *m_stats;
    const std::size_t movies = stats.popularityPercentile.size();
    // Counts are integers, so per-thread tables summed in any order give the same result.
    std::vector<std::int64_t> segmentCounts(kCuts * movies, 0);
    for (const std::vector<std::int64_t>& counts : m_threadCounts) {
        for (std::size_t i = 0; i < counts.size(); ++i) {
            segmentCounts[i] += counts[i];
        }
    }
    BeyondAccuracyMetrics out;
    out.hasDiversity = !stats.genreMasks.empty();
    if (!out.hasDiversity) {
        out.diversity.fill(std::numeric_limits<double>::quiet_NaN());
    }
    if (m_queries == 0) {
        return out;
    }
    out.queries = m_queries;
    std::vector<double> counts(movies, 0.0);
    double percentile = 0.0, novelty = 0.0;
    const auto nq = static_cast<double>(m_queries);
    for (std::size_t c = 0; c < kCuts; ++c) {
        std::size_t covered = 0;
        for (std::size_t m = 0; m < movies; ++m) {
            counts[m] += static_cast<double>(segmentCounts[c * movies + m]);
            covered += counts[m] > 0.0 ? 1 : 0;
        }
        percentile += m_total.percentile[c];
        novelty += m_total.novelty[c];
        const double items = nq * static_cast<double>(m_length[c]);
        out.coverage[c] = static_cast<double>(covered) / static_cast<double>(movies);
        out.popularityPercentile[c] = percentile / items;
        out.novelty[c] = novelty / items;
        out.gini[c] = giniCoefficient(counts);
        if (out.hasDiversity) {
            out.diversity[c] = m_length[c] > 1 ? m_total.diversity[c] / nq
                                               : std::numeric_limits<double>::quiet_NaN();
        }
    }
    return out;
}

BeyondAccuracyMetrics beyondAccuracy(std::span<const std::int32_t> lists, std::size_t listLength,
                                     const CatalogueStatistics& stats, int threads) {
    BeyondAccuracyAccumulator sum(listLength, stats, threads);
    sum.add(lists);
    return sum.finish();
}

} // namespace towerlab
