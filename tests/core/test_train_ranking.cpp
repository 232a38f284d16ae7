// Ranking metrics on hand-made inputs: the FactorizedTopK tie rule, NDCG, MRR, per-user recall.

#include "train/ranking_evaluator.hpp"

#include <QtTest>

#include <cmath>

using namespace towerlab;

class TestRanking : public QObject {
    Q_OBJECT

private slots:
    void ranksCountStrictlyHigherScores() {
        // One-dimensional embeddings: score = query * candidate.
        RowMatrix candidates(5, 1);
        candidates << 1.0f, 3.0f, 2.0f, 3.0f, -1.0f;
        RowMatrix queries(4, 1);
        queries << 1.0f, 1.0f, 1.0f, -1.0f;
        const std::vector<std::int32_t> positives{1, 3, 0, 4};
        const auto ranks = rankPositives(queries, candidates, positives, 1);
        // Candidates 1 and 3 tie at the top: both are rank 1 (ties favour the positive).
        QCOMPARE(ranks, (std::vector<std::int32_t>{1, 1, 4, 1}));
        QCOMPARE(rankPositives(queries, candidates, positives, 2), ranks);
    }

    void ranksOfManyQueriesAcrossBlocks() {
        // More queries than one evaluation block, every query ranking a different positive.
        const int n = 700;
        RowMatrix candidates(n, 1);
        for (int i = 0; i < n; ++i) {
            candidates(i, 0) = static_cast<float>(i);
        }
        RowMatrix queries = RowMatrix::Ones(n, 1);
        std::vector<std::int32_t> positives(n);
        for (int i = 0; i < n; ++i) {
            positives[static_cast<std::size_t>(i)] = i;
        }
        const auto ranks = rankPositives(queries, candidates, positives, 2);
        for (int i = 0; i < n; ++i) {
            QCOMPARE(ranks[static_cast<std::size_t>(i)], n - i);
        }
    }

    void fixedScoreRanks() {
        const std::vector<double> popularity{5, 9, 9, 1};
        const std::vector<std::int32_t> positives{0, 1, 2, 3};
        QCOMPARE(rankByFixedScore(popularity, positives), (std::vector<std::int32_t>{3, 1, 1, 4}));
    }

    void metricsFromHandMadeRanks() {
        const std::vector<std::int32_t> ranks{1, 3, 60, 200};
        const std::vector<std::int32_t> users{7, 7, 8, 9};
        const RankingMetrics m = metricsFromRanks(ranks, users);
        QCOMPARE(m.examples, std::size_t(4));
        QCOMPARE(m.topK[0], 0.25); // k=1: rank 1
        QCOMPARE(m.topK[1], 0.5);  // k=5: ranks 1, 3
        QCOMPARE(m.topK[2], 0.5);
        QCOMPARE(m.topK[3], 0.5);  // 60 > 50
        QCOMPARE(m.topK[4], 0.75);
        QCOMPARE(m.mrr, (1.0 + 1.0 / 3 + 1.0 / 60 + 1.0 / 200) / 4);
        QVERIFY(std::abs(m.ndcg[1] - (1.0 + 1.0 / std::log2(4.0)) / 4) < 1e-12);
        QVERIFY(std::abs(m.ndcg[4] - (1.0 + 0.5 + 1.0 / std::log2(61.0)) / 4) < 1e-12);
        // Per-user recall@5: user 7 hits 2/2, user 8 0/1, user 9 0/1 -> 1/3.
        QVERIFY(std::abs(m.recall[1] - 1.0 / 3) < 1e-12);
        // recall@100: 1, 1, 0 -> 2/3 (differs from top-100 accuracy 0.75).
        QVERIFY(std::abs(m.recall[4] - 2.0 / 3) < 1e-12);
    }

    void emptyInputGivesZeros() {
        const RankingMetrics m = metricsFromRanks({}, {});
        QCOMPARE(m.examples, std::size_t(0));
        QCOMPARE(m.topK[4], 0.0);
    }
};

QTEST_APPLESS_MAIN(TestRanking)
#include "test_train_ranking.moc"
