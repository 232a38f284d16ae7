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

// What one chunk of lists adds up to.
struct ChunkSums {
    std::array<double, kCuts> percentile{}, novelty{}, diversity{};
};

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

BeyondAccuracyMetrics beyondAccuracy(std::span<const std::int32_t> lists, std::size_t listLength,
                                     const CatalogueStatistics& stats, int threads) {
    const std::size_t movies = stats.popularityPercentile.size();
    BeyondAccuracyMetrics out;
    out.hasDiversity = !stats.genreMasks.empty();
    if (!out.hasDiversity) {
        out.diversity.fill(std::numeric_limits<double>::quiet_NaN());
    }
    if (listLength == 0 || lists.empty()) {
        return out;
    }
    assert(lists.size() % listLength == 0 && "beyondAccuracy: lists must be whole rows");
    const std::size_t queries = lists.size() / listLength;
    out.queries = queries;

    // Lists are nested (top 1 within top 5 ...), so each position belongs to the segment of
    // the first cut-off that includes it; per-cut-off values are prefix sums of segments.
    std::array<std::size_t, kCuts> length{};
    std::vector<std::uint8_t> segmentOf(listLength);
    for (std::size_t c = 0; c < kCuts; ++c) {
        length[c] = std::min(listLength, static_cast<std::size_t>(RankingMetrics::kCutoffs[c]));
    }
    for (std::size_t p = 0, c = 0; p < listLength; ++p) {
        while (p >= length[c]) {
            ++c;
        }
        segmentOf[p] = static_cast<std::uint8_t>(c);
    }
    const std::size_t chunks = (queries + kChunk - 1) / kChunk;
    std::vector<ChunkSums> sums(chunks);
    // Counts are integers, so per-thread tables summed in any order give the same result.
    std::vector<std::int64_t> segmentCounts(kCuts * movies, 0);
    const std::size_t sets = stats.genreSets;
    const int useThreads = threads > 0 ? threads : omp_get_num_procs();
#pragma omp parallel num_threads(useThreads)
    {
        std::vector<std::int64_t> counts(kCuts * movies, 0);
        // Per list: the distinct genre sets so far with their counts. At a cut-off the pair
        // sum is sum over two sets of count * count * distance: a top 100 holds far fewer
        // distinct sets than movies. slotOf[set] = the set's place in seenSets, or -1.
        std::vector<std::pair<std::size_t, double>> seenSets;
        std::vector<std::int32_t> slotOf(sets, -1);
#pragma omp for schedule(static)
        for (std::size_t chunk = 0; chunk < chunks; ++chunk) {
            ChunkSums& sum = sums[chunk];
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
                    if (!out.hasDiversity) {
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
#pragma omp critical
        for (std::size_t i = 0; i < counts.size(); ++i) {
            segmentCounts[i] += counts[i];
        }
    }

    ChunkSums total;
    for (const ChunkSums& sum : sums) {
        for (std::size_t c = 0; c < kCuts; ++c) {
            total.percentile[c] += sum.percentile[c];
            total.novelty[c] += sum.novelty[c];
            total.diversity[c] += sum.diversity[c];
        }
    }
    std::vector<double> counts(movies, 0.0);
    double percentile = 0.0, novelty = 0.0;
    const auto nq = static_cast<double>(queries);
    for (std::size_t c = 0; c < kCuts; ++c) {
        std::size_t covered = 0;
        for (std::size_t m = 0; m < movies; ++m) {
            counts[m] += static_cast<double>(segmentCounts[c * movies + m]);
            covered += counts[m] > 0.0 ? 1 : 0;
        }
        percentile += total.percentile[c];
        novelty += total.novelty[c];
        const double items = nq * static_cast<double>(length[c]);
        out.coverage[c] = static_cast<double>(covered) / static_cast<double>(movies);
        out.popularityPercentile[c] = percentile / items;
        out.novelty[c] = novelty / items;
        out.gini[c] = giniCoefficient(counts);
        if (out.hasDiversity) {
            out.diversity[c] =
                length[c] > 1 ? total.diversity[c] / nq : std::numeric_limits<double>::quiet_NaN();
        }
    }
    return out;
}

} // namespace towerlab
