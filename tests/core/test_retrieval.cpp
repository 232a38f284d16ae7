// Queries against a trained model agree with the model's own dot products.

#include "data/demo_dataset.hpp"
#include "model/towers.hpp"
#include "retrieval/retrieval.hpp"
#include "train/trainer.hpp"

#include <QtTest>

#include <algorithm>
#include <set>

using namespace towerlab;

namespace {

std::shared_ptr<const TrainedModel> demoModel() {
    static const std::shared_ptr<const TrainedModel> model = [] {
        const Dataset d = makeDemoDataset();
        TrainConfig t;
        t.epochs = 2;
        t.batchSize = 256;
        Trainer trainer(d, ModelConfig{}, t);
        ProgressSink sink;
        std::atomic<bool> cancel{false};
        return trainer.fit(sink, cancel).model;
    }();
    return model;
}

} // namespace

class TestRetrieval : public QObject {
    Q_OBJECT

private slots:
    void recommendReturnsTheBestKInOrder() {
        const auto model = demoModel();
        const UserQuery query{35, 12, 0, model->features.minTimestamp + 1000, -1, {}};
        const auto top = recommend(*model, query, 50);
        QCOMPARE(top.size(), std::size_t(50));
        const Eigen::VectorXf all = scoreAll(*model, queryEmbedding(*model, query));
        std::vector<float> sorted(all.data(), all.data() + all.size());
        std::sort(sorted.begin(), sorted.end(), std::greater<>());
        std::set<std::int32_t> seen;
        for (std::size_t i = 0; i < top.size(); ++i) {
            QCOMPARE(top[i].score, sorted[i]);
            QCOMPARE(top[i].score, all[top[i].movie]);
            QVERIFY(seen.insert(top[i].movie).second);
            QVERIFY(top[i].rank <= static_cast<std::int32_t>(i) + 1);
        }
        QCOMPARE(top[0].rank, 1);
        // k beyond the catalogue returns the whole catalogue.
        QCOMPARE(recommend(*model, query, 1000000).size(), model->catalogue.size());
    }

    // Every result's rank is 1 + the catalogue movies scoring strictly higher, excluded ones
    // included, and the list is the k best in (score, index) order, with ties and repeated
    // exclusions: checked against a pass over every score.
    void ranksCountTheWholeCatalogue() {
        const auto model = demoModel();
        const UserQuery query{35, 12, 0, model->features.minTimestamp + 1000, -1, {}};
        const Eigen::VectorXf all = scoreAll(*model, queryEmbedding(*model, query));
        const auto best = recommend(*model, query, 10);
        const std::vector<std::int32_t> excluded{best[1].movie, best[4].movie, best[1].movie,
                                                 best[7].movie};
        const auto checkList = [](const std::vector<ScoredMovie>& list, const Eigen::VectorXf& s,
                                  const std::set<std::int32_t>& skipped, std::size_t k) {
            std::vector<std::int32_t> expected;
            for (Eigen::Index i = 0; i < s.size(); ++i) {
                if (skipped.count(static_cast<std::int32_t>(i)) == 0) {
                    expected.push_back(static_cast<std::int32_t>(i));
                }
            }
            std::stable_sort(expected.begin(), expected.end(),
                             [&](std::int32_t a, std::int32_t b) { return s[a] > s[b]; });
            QCOMPARE(list.size(), std::min(k, expected.size()));
            for (std::size_t i = 0; i < list.size(); ++i) {
                QCOMPARE(list[i].movie, expected[i]);
                QCOMPARE(list[i].rank,
                         1 + static_cast<std::int32_t>((s.array() > s[list[i].movie]).count()));
            }
        };
        checkList(recommend(*model, query, 60, excluded), all, {excluded.begin(), excluded.end()},
                  60);
        // Ties: a catalogue whose dot products take few values.
        TrainedModel tied = *model;
        for (Eigen::Index r = 0; r < tied.candidateEmbeddings.rows(); ++r) {
            tied.candidateEmbeddings.row(r).setConstant(static_cast<float>(r % 7) * 0.5f);
        }
        tied.candidateEmbeddings.row(3).setConstant(3.0f); // the movie asked about
        const Eigen::VectorXf dots =
            tied.candidateEmbeddings * tied.candidateEmbeddings.row(3).transpose();
        checkList(nearestMovies(tied, 3, 40, Similarity::Dot), dots, {3}, 40);
        checkList(nearestMovies(tied, 3, 1000000, Similarity::Dot), dots, {3}, 1000000);
    }

    void excludedMoviesAreSkipped() {
        const auto model = demoModel();
        const UserQuery query;
        const auto top = recommend(*model, query, 5);
        const std::vector<std::int32_t> excluded{top[0].movie, top[2].movie};
        const auto rest = recommend(*model, query, 3, excluded);
        QCOMPARE(rest[0].movie, top[1].movie);
        QCOMPARE(rest[1].movie, top[3].movie);
        QCOMPARE(rest[2].movie, top[4].movie);
    }

    void ranksCountEveryHigherScoreIncludingExcludedOnes() {
        // Ranks are catalogue ranks: ties share one, and an excluded movie still outranks.
        Eigen::VectorXf scores(6);
        scores << 3.0f, 5.0f, 5.0f, 1.0f, 4.0f, 4.0f;
        const std::vector<std::int32_t> excluded{1};
        const auto top = topKOfScores(scores, 4, excluded);
        QCOMPARE(top.size(), std::size_t{4});
        const std::vector<std::pair<std::int32_t, std::int32_t>> want{
            {2, 1}, {4, 3}, {5, 3}, {0, 5}};
        for (std::size_t i = 0; i < top.size(); ++i) {
            QCOMPARE(top[i].movie, want[i].first);
            QCOMPARE(top[i].rank, want[i].second);
            QCOMPARE(top[i].score, scores[want[i].first]);
        }
    }

    void queryEmbeddingMatchesTheTower() {
        const auto model = demoModel();
        const UserQuery query{18, 17, 1, model->features.maxTimestamp, -1, {}};
        const EncodedQuery e = model->features.encode(query);
        const RowMatrix direct = embedQueries(model->config, model->weights, std::span(&e, 1));
        QVERIFY(queryEmbedding(*model, query) == direct.row(0));
    }

    void scoresAreDotProductsWithRanks() {
        const auto model = demoModel();
        const UserQuery query;
        const RowVector q = queryEmbedding(*model, query);
        const std::vector<std::int32_t> movies{3, 1, 4};
        const auto scored = scoreMovies(*model, query, movies);
        const Eigen::VectorXf all = scoreAll(*model, q);
        for (std::size_t i = 0; i < movies.size(); ++i) {
            QCOMPARE(scored[i].movie, movies[i]);
            // Relative: the engine may sum the 32 products in another order (AVX-512 build).
            QVERIFY(std::abs(scored[i].score - q.dot(model->candidateEmbeddings.row(movies[i]))) <
                    1e-5f * std::max(1.0f, std::abs(scored[i].score)));
            QCOMPARE(scored[i].rank,
                     1 + static_cast<std::int32_t>((all.array() > scored[i].score).count()));
        }
        const std::vector<std::int32_t> bad{static_cast<std::int32_t>(model->catalogue.size())};
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, scoreMovies(*model, query, bad));
    }

    void nearestMoviesExcludeItself() {
        const auto model = demoModel();
        const auto near = nearestMovies(*model, 0, 10, Similarity::Cosine);
        QCOMPARE(near.size(), std::size_t(10));
        for (const auto& n : near) {
            QVERIFY(n.movie != 0);
            QVERIFY(n.score <= 1.0001f && n.score >= -1.0001f);
        }
        QVERIFY(near[0].score >= near[9].score);
        const auto dot = nearestMovies(*model, 0, 3, Similarity::Dot);
        QCOMPARE(dot.size(), std::size_t(3));
    }

    void titleSearchIgnoresCaseAndAccents_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("accented title") << "Misérables, Les (1995)"
                                        << "miserables, les (1995)";
        QTest::newRow("upper accented") << "MISÉRABLES"
                                        << "miserables";
        QTest::newRow("ligature") << "Æon"
                                  << "aeon";
        QTest::newRow("eszett") << "Straße"
                                << "strasse";
        QTest::newRow("other scripts untouched") << "Ωmega"
                                                 << "Ωmega";
    }

    void titleSearchIgnoresCaseAndAccents() {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(foldForSearch(text.toStdString())), expected);
    }

    void findAndSearchTitles() {
        const auto model = demoModel();
        const std::string& title = model->catalogue.titles[7];
        QCOMPARE(findTitle(*model, title).value(), 7);
        QVERIFY(!findTitle(*model, "No Such Film (1900)").has_value());
        const auto hits = searchTitles(*model, title.substr(0, 6), 100);
        QVERIFY(std::find(hits.begin(), hits.end(), 7) != hits.end());
        QVERIFY(searchTitles(*model, "zzzzqqq").empty());
    }
};

QTEST_APPLESS_MAIN(TestRetrieval)
#include "test_retrieval.moc"
