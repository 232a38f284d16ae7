// Metrics beyond accuracy, the distinct test queries, top-k lists and the seen-movie exclusion
// on tiny hand-made catalogues whose every value is worked out by hand in the comments.

#include "train/beyond_accuracy_metrics.hpp"
#include "train/ranking_evaluator.hpp"
#include "train/seen_movies.hpp"
#include "train/test_evaluator.hpp"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

using namespace towerlab;

namespace {

constexpr double kEps = 1e-12;

bool near(double a, double b) {
    return std::abs(a - b) < kEps;
}

// Six movies rated {0, 0, 3, 3, 3, 9} times in training (18 examples). Sorted counts
// 0 0 3 3 3 9, so the mid-rank percentiles are: movies 0, 1: (0 + 2/2) / 6 = 16.67;
// movies 2-4: (2 + 3/2) / 6 = 58.33; movie 5: (5 + 1/2) / 6 = 91.67.
// p = (count + 1) / (18 + 6): 1/24, 1/24, 4/24, 4/24, 4/24, 10/24.
// Genres: movie 5 {0, 1}; even movies {0}; odd movies 1, 3 {1}.
const std::vector<std::int32_t> kPopularity{0, 0, 3, 3, 3, 9};
const std::vector<std::vector<int>> kGenres{{0}, {1}, {0}, {1}, {0}, {0, 1}};

} // namespace

class TestBeyondAccuracy : public QObject {
    Q_OBJECT

private slots:
    void giniCoefficientByHand() {
        QVERIFY(near(giniCoefficient(std::vector<double>{1, 1, 1, 1}), 0.0));
        QVERIFY(near(giniCoefficient(std::vector<double>{0, 0, 0, 1}), 0.75)); // (n-1)/n
        // Sorted 1 2 3 4: (-3*1 - 1*2 + 1*3 + 3*4) / (4 * 10) = 0.25; order does not matter.
        QVERIFY(near(giniCoefficient(std::vector<double>{3, 1, 4, 2}), 0.25));
        QVERIFY(near(giniCoefficient(std::vector<double>{0, 0, 0}), 0.0));
    }

    void catalogueStatisticsByHand() {
        const CatalogueStatistics s = catalogueStatistics(kPopularity, kGenres, 2);
        const std::vector<double> percentile{100.0 / 6, 100.0 / 6, 350.0 / 6,
                                             350.0 / 6, 350.0 / 6, 550.0 / 6};
        const std::vector<double> bits{std::log2(24.0), std::log2(24.0), std::log2(6.0),
                                       std::log2(6.0),  std::log2(6.0),  std::log2(2.4)};
        for (std::size_t m = 0; m < 6; ++m) {
            QVERIFY2(near(s.popularityPercentile[m], percentile[m]),
                     qPrintable(QString::number(m)));
            QVERIFY2(near(s.selfInformation[m], bits[m]), qPrintable(QString::number(m)));
        }
        QCOMPARE(s.genreMasks, (std::vector<std::uint64_t>{1, 2, 1, 2, 1, 3}));
        // No genre names: no diversity.
        QVERIFY(catalogueStatistics(kPopularity, kGenres, 0).genreMasks.empty());
    }

    void oneListAtEveryCutoff() {
        // One query, list 5 4 3 2 1 0 (length min(100, 6) = 6); cut-offs 1, 5, then 6 for
        // k = 10, 50, 100.
        const CatalogueStatistics s = catalogueStatistics(kPopularity, kGenres, 2);
        const std::vector<std::int32_t> list{5, 4, 3, 2, 1, 0};
        QCOMPARE(beyondAccuracyListLength(6), std::size_t{6});
        const BeyondAccuracyMetrics m = beyondAccuracy(list, 6, s);
        QCOMPARE(m.queries, std::size_t{1});
        QVERIFY(m.hasDiversity);
        // Coverage 1/6, 5/6, 1.
        QVERIFY(near(m.coverage[0], 1.0 / 6));
        QVERIFY(near(m.coverage[1], 5.0 / 6));
        QVERIFY(near(m.coverage[2], 1.0));
        QVERIFY(near(m.coverage[4], 1.0));
        // Percentile: 91.67; (91.67 + 3 * 58.33 + 16.67) / 5 = 56.67; all six average 50.
        QVERIFY(near(m.popularityPercentile[0], 550.0 / 6));
        QVERIFY(near(m.popularityPercentile[1], 340.0 / 6));
        QVERIFY(near(m.popularityPercentile[2], 50.0));
        // Gini of counts: one 1 of six -> 5/6; five 1s -> (-3-1+1+3+5)/(6*5) = 1/6; all -> 0.
        QVERIFY(near(m.gini[0], 5.0 / 6));
        QVERIFY(near(m.gini[1], 1.0 / 6));
        QVERIFY(near(m.gini[2], 0.0));
        // Novelty: log2 2.4; (log2 2.4 + 3 log2 6 + log2 24) / 5; the six's mean.
        QVERIFY(near(m.novelty[0], std::log2(2.4)));
        QVERIFY(near(m.novelty[1], (std::log2(2.4) + 3 * std::log2(6.0) + std::log2(24.0)) / 5));
        QVERIFY(
            near(m.novelty[3], (std::log2(2.4) + 3 * std::log2(6.0) + 2 * std::log2(24.0)) / 6));
        // Diversity: top 5 = {0,1} {0} {1} {0} {1}: movie 5 is 0.5 from each of the four
        // others (2.0), the four make 4 pairs of distance 1 and 2 of 0: 6 / 10 pairs = 0.6.
        // Movie 0 {0} adds 0.5 + 0 + 1 + 0 + 1 = 2.5: 8.5 / 15.
        QVERIFY(std::isnan(m.diversity[0]));
        QVERIFY(near(m.diversity[1], 0.6));
        QVERIFY(near(m.diversity[2], 8.5 / 15));
        QVERIFY(near(m.diversity[4], 8.5 / 15));
    }

    void twoListsAndEmptyGenreSets() {
        // Four movies, counts {5, 1, 0, 1} (7 examples); genres {0}, {0,1}, {2}, {}.
        // Percentiles: sorted 0 1 1 5 -> 87.5, 50, 12.5, 50.
        const std::vector<std::int32_t> popularity{5, 1, 0, 1};
        const std::vector<std::vector<int>> genres{{0}, {0, 1}, {2}, {}};
        const CatalogueStatistics s = catalogueStatistics(popularity, genres, 3);
        const std::vector<std::int32_t> lists{0, 1, 2, 3, /**/ 1, 0, 3, 2};
        const BeyondAccuracyMetrics m = beyondAccuracy(lists, 4, s);
        QCOMPARE(m.queries, std::size_t{2});
        // k = 1: movies 0 and 1 once each.
        QVERIFY(near(m.coverage[0], 0.5));
        QVERIFY(near(m.popularityPercentile[0], (87.5 + 50.0) / 2));
        QVERIFY(near(m.gini[0], 0.5)); // sorted 0 0 1 1: (1 + 3) / (4 * 2)
        QVERIFY(near(m.novelty[0], (-std::log2(6.0 / 11) - std::log2(2.0 / 11)) / 2));
        // k >= 4: everything twice.
        QVERIFY(near(m.coverage[1], 1.0));
        QVERIFY(near(m.popularityPercentile[1], 50.0));
        QVERIFY(near(m.gini[1], 0.0));
        // Pairs: d(0,1) = 0.5, every other pair 1 (the genre-less movie 3 shares nothing with a
        // movie that has genres): 5.5 / 6 for both lists.
        QVERIFY(near(m.diversity[1], 5.5 / 6));
        QVERIFY(near(m.diversity[4], 5.5 / 6));
    }

    void resultDoesNotDependOnThreads() {
        // More lists than one chunk of work, so two threads really split them.
        const std::size_t movies = 300, length = 100, queries = 700;
        std::vector<std::int32_t> popularity(movies);
        std::vector<std::vector<int>> genres(movies);
        for (std::size_t m = 0; m < movies; ++m) {
            popularity[m] = static_cast<std::int32_t>((m * 37) % 101);
            genres[m] = {static_cast<int>(m % 7), static_cast<int>(7 + m % 5)};
        }
        const CatalogueStatistics s = catalogueStatistics(popularity, genres, 12);
        std::vector<std::int32_t> lists(queries * length);
        for (std::size_t q = 0; q < queries; ++q) {
            for (std::size_t p = 0; p < length; ++p) {
                lists[q * length + p] = static_cast<std::int32_t>((q * 13 + p * 3) % movies);
            }
        }
        const BeyondAccuracyMetrics one = beyondAccuracy(lists, length, s, 1);
        const BeyondAccuracyMetrics two = beyondAccuracy(lists, length, s, 2);
        QCOMPARE(one.queries, queries);
        // Bit for bit, NaN at k = 1 included.
        QCOMPARE(std::memcmp(&one.coverage, &two.coverage, sizeof one.coverage), 0);
        QCOMPARE(std::memcmp(&one.popularityPercentile, &two.popularityPercentile,
                             sizeof one.popularityPercentile),
                 0);
        QCOMPARE(std::memcmp(&one.gini, &two.gini, sizeof one.gini), 0);
        QCOMPARE(std::memcmp(&one.novelty, &two.novelty, sizeof one.novelty), 0);
        QCOMPARE(std::memcmp(&one.diversity, &two.diversity, sizeof one.diversity), 0);
    }

    void twoGenreLessMoviesAreAlike() {
        const std::vector<std::int32_t> popularity{1, 1};
        const std::vector<std::vector<int>> genres{{}, {}};
        const CatalogueStatistics s = catalogueStatistics(popularity, genres, 1);
        const std::vector<std::int32_t> list{0, 1};
        QVERIFY(near(beyondAccuracy(list, 2, s).diversity[1], 0.0));
    }

    void topIndicesBreakTiesByIndex() {
        const std::vector<float> scores{2, 5, 5, 1, 5};
        TopScratch scratch;
        std::vector<std::int32_t> out(4);
        topIndices(scores, 2, scratch, out.data());
        QCOMPARE(std::vector<std::int32_t>(out.begin(), out.begin() + 2),
                 (std::vector<std::int32_t>{1, 2}));
        topIndices(scores, 4, scratch, out.data());
        QCOMPARE(out, (std::vector<std::int32_t>{1, 2, 4, 0}));
        // -0 and +0 compare equal, so they tie (lower index first).
        const std::vector<float> zeros{-1.0f, 0.0f, -0.0f, -2.0f};
        std::vector<std::int32_t> two(2);
        topIndices(zeros, 2, scratch, two.data());
        QCOMPARE(two, (std::vector<std::int32_t>{1, 2}));
        const std::vector<float> zerosSwapped{-1.0f, -0.0f, 0.0f, -2.0f};
        topIndices(zerosSwapped, 2, scratch, two.data());
        QCOMPARE(two, (std::vector<std::int32_t>{1, 2}));
        std::vector<std::int32_t> all(5);
        topIndices(scores, 5, scratch, all.data());
        QCOMPARE(all, (std::vector<std::int32_t>{1, 2, 4, 0, 3}));
    }

    void topIndicesMatchAFullSort_data() {
        QTest::addColumn<int>("distinctValues");
        QTest::addColumn<int>("k");
        // Few distinct values: ties everywhere, and the sampled threshold often lets fewer
        // than k through (the fall-back path); many: the sampled path.
        for (const int values : {3, 40, 100000}) {
            for (const int k : {1, 5, 100, 400, 2000}) {
                QTest::addRow("values %d, k %d", values, k) << values << k;
            }
        }
    }

    void topIndicesMatchAFullSort() {
        QFETCH(int, distinctValues);
        QFETCH(int, k);
        std::vector<float> scores(2000);
        std::uint32_t state = 12345;
        for (float& s : scores) {
            state = state * 1664525u + 1013904223u;
            // Negative and positive scores, so the sign handling of the ordering is tested.
            s = static_cast<float>((state >> 8) % static_cast<std::uint32_t>(distinctValues)) -
                static_cast<float>(distinctValues / 2);
        }
        std::vector<std::int32_t> expected(scores.size());
        std::iota(expected.begin(), expected.end(), 0);
        std::stable_sort(expected.begin(), expected.end(), [&](std::int32_t a, std::int32_t b) {
            return scores[static_cast<std::size_t>(a)] > scores[static_cast<std::size_t>(b)];
        });
        expected.resize(static_cast<std::size_t>(k));
        TopScratch scratch;
        std::vector<std::int32_t> out(static_cast<std::size_t>(k));
        topIndices(scores, out.size(), scratch, out.data());
        QCOMPARE(out, expected);
        // By cut-off: every cut-off's prefix holds the same movies as the sorted list's.
        std::vector<std::int32_t> byCutoff(out.size());
        topIndicesByCutoff(scores, byCutoff.size(), scratch, byCutoff.data());
        for (const int cut : {1, 5, 10, 50, 100, k}) {
            if (cut > k) {
                continue;
            }
            std::vector<std::int32_t> a(expected.begin(), expected.begin() + cut);
            std::vector<std::int32_t> b(byCutoff.begin(), byCutoff.begin() + cut);
            std::sort(a.begin(), a.end());
            std::sort(b.begin(), b.end());
            QCOMPARE(b, a);
        }
    }

    void seenMoviesAreDistinctAndSorted() {
        const std::vector<std::int32_t> users{7, 7, 8, 7, 7, 9};
        const std::vector<std::int32_t> movies{4, 1, 2, 1, -1, 0};
        const SeenMovies seen(users, movies);
        QCOMPARE(std::vector<std::int32_t>(seen.of(7).begin(), seen.of(7).end()),
                 (std::vector<std::int32_t>{1, 4}));
        QCOMPARE(seen.of(8).size(), std::size_t{1});
        QVERIFY(seen.of(3).empty());
        QVERIFY(seen.of(10).empty());
    }

    void exclusionRanksAndListsFromOnePass() {
        // Scores = candidate values (queries are 1): 1 3 2 3 -1.
        RowMatrix candidates(5, 1);
        candidates << 1.0f, 3.0f, 2.0f, 3.0f, -1.0f;
        const RowMatrix queries = RowMatrix::Ones(3, 1);
        const std::vector<std::int32_t> positives{0, 2, 1};
        const std::vector<std::int32_t> users{7, 8, 7};
        // User 7 rated 1 (twice), 0 and 4 in training; user 8 nothing.
        const std::vector<std::int32_t> seenUsers{7, 7, 7, 7};
        const std::vector<std::int32_t> seenMovies{1, 1, 0, 4};
        const SeenMovies seen(seenUsers, seenMovies);
        const std::vector<std::int32_t> slotOf{0, -1, 1};
        ScoringRequest request;
        request.seen = &seen;
        request.users = users;
        request.listSlot = slotOf;
        request.listLength = 3;
        request.lists = 2;
        for (const int threads : {1, 2}) {
            const ScoringResult r = scoreQueries(queries, candidates, positives, request, threads);
            // Positive 0 (score 1): 1, 2, 3 score higher -> rank 4. Without user 7's movie 1
            // (counted once although rated twice; movie 0 is the positive itself and never
            // removed; movie 4 scores lower) -> 3.
            // Positive 2 (score 2): rank 3, user 8 has seen nothing -> 3.
            // Positive 1 (score 3, tied with 3): rank 1, and 1 stays 1 though user 7 rated it
            // in training.
            QCOMPARE(r.ranks, (std::vector<std::int32_t>{4, 3, 1}));
            QCOMPARE(r.ranksExcludingSeen, (std::vector<std::int32_t>{3, 3, 1}));
            // Top 3 of 1 3 2 3 -1: the tie 1, 3 by index, then 2; only for slotOf 0 and 1.
            QCOMPARE(r.topLists, (std::vector<std::int32_t>{1, 3, 2, 1, 3, 2}));
            QCOMPARE(rankPositives(queries, candidates, positives, threads), r.ranks);
        }
    }

    void fixedScoreExclusion() {
        const std::vector<double> scores{3, 4, 0, 4};
        const std::vector<std::int32_t> positives{0, 2};
        const std::vector<std::int32_t> users{0, 1};
        const auto ranks = rankByFixedScore(scores, positives);
        QCOMPARE(ranks, (std::vector<std::int32_t>{3, 4}));
        // User 0 rated 1 and 2; user 1 rated 2 (its own positive) and 0.
        const std::vector<std::int32_t> su{0, 0, 1, 1};
        const std::vector<std::int32_t> sm{1, 2, 2, 0};
        const SeenMovies seen(su, sm);
        QCOMPARE(excludeSeenFromFixedRanks(scores, positives, users, ranks, seen),
                 (std::vector<std::int32_t>{2, 3}));
    }

    void distinctQueriesCompareOnlyUsedFeatures() {
        EncodedQuery a;
        a.setId(FeatureId::Age, 2);
        a.setId(FeatureId::Occupation, 5);
        a.setValue(FeatureId::TimestampNorm, 0.25f);
        EncodedQuery b = a;
        b.setId(FeatureId::UserId, 9); // the tutorial's model does not read user ids
        EncodedQuery c = a;
        c.setValue(FeatureId::TimestampNorm, 0.5f);
        const std::vector<EncodedQuery> queries{a, b, c, a};
        std::vector<std::int32_t> slotOf;
        QCOMPARE(distinctQuerySlots(queries, FeatureSet{}, slotOf), std::size_t{2});
        QCOMPARE(slotOf, (std::vector<std::int32_t>{0, -1, 1, -1}));
        FeatureSet withUserId;
        withUserId.setUserFeatures("age,occupation,gender,timestamp_bucket,timestamp_norm,user_id");
        QCOMPARE(distinctQuerySlots(queries, withUserId, slotOf), std::size_t{3});
        QCOMPARE(slotOf, (std::vector<std::int32_t>{0, 1, 2, -1}));
    }

    void evaluatorBaselineByHand() {
        // Movies 1 and 3 share a title, so the baseline scores both 2 + 2 = 4: list 1 3 0 2.
        const std::vector<std::int32_t> titleIds{1, 2, 3, 2};
        const std::vector<std::int32_t> popularity{3, 2, 0, 2};
        const std::vector<std::vector<int>> genres{{0}, {1}, {0}, {0, 1}};
        const std::vector<std::int32_t> trainUsers{0, 0, 1};
        const std::vector<std::int32_t> trainMovies{1, 0, 3};
        TrainingSplitInfo info;
        info.titleIds = titleIds;
        info.popularity = popularity;
        info.genres = &genres;
        info.genreCount = 2;
        info.trainUsers = trainUsers;
        info.trainMovies = trainMovies;
        TestExamples test;
        EncodedQuery q;
        test.queries = {q, q};
        test.positives = {0, 2};
        test.users = {0, 1};
        const TestEvaluator evaluator(test, FeatureSet{}, info, true);
        QCOMPARE(evaluator.distinctQueries(), std::size_t{1});
        const TestEvaluation b = evaluator.evaluateBaseline();
        // Ranks 3 and 4; without seen movies: user 0 loses movie 1 -> 2 (movie 0 is its
        // positive), user 1 loses movie 3 -> 3.
        QVERIFY(near(b.ranking.mrr, (1.0 / 3 + 1.0 / 4) / 2));
        QVERIFY(b.excludingSeen.has_value());
        QVERIFY(near(b.excludingSeen->mrr, (1.0 / 2 + 1.0 / 3) / 2));
        // Beyond accuracy of the one list 1 3 0 2: coverage@1 1/4; percentile of movie 1
        // (sorted counts 0 2 2 3 -> (1 + 1) / 4 = 50).
        QCOMPARE(b.beyond.queries, std::size_t{1});
        QVERIFY(near(b.beyond.coverage[0], 0.25));
        QVERIFY(near(b.beyond.popularityPercentile[0], 50.0));
        QVERIFY(near(b.beyond.gini[0], 0.75));
        // The model: 1-D embeddings scoring 1 -1 2 0 -> list 2 0 3 1 for the one distinct
        // query; ranks of 0 and 2: 2 and 1; user 0 has seen nothing above 0 but movie 2 is not
        // theirs -> 2.
        RowMatrix candidates(4, 1);
        candidates << 1.0f, -1.0f, 2.0f, 0.0f;
        const RowMatrix queries = RowMatrix::Ones(2, 1);
        const TestEvaluation m = evaluator.evaluate(queries, candidates, 1);
        QCOMPARE(m.ranking.examples, std::size_t{2});
        QVERIFY(near(m.ranking.mrr, (1.0 / 2 + 1.0) / 2));
        QVERIFY(near(m.excludingSeen->mrr, (1.0 / 2 + 1.0) / 2));
        QVERIFY(near(m.beyond.coverage[0], 0.25));
        // Movie 2 has count 0: percentile (0 + 1/2) / 4 = 12.5.
        QVERIFY(near(m.beyond.popularityPercentile[0], 12.5));
        // Without asking, nothing is excluded.
        const TestEvaluator plain(test, FeatureSet{}, info, false);
        QVERIFY(!plain.evaluate(queries, candidates, 1).excludingSeen.has_value());
        QVERIFY(!plain.evaluateBaseline().excludingSeen.has_value());
    }
};

QTEST_APPLESS_MAIN(TestBeyondAccuracy)
#include "test_train_beyond_accuracy.moc"
