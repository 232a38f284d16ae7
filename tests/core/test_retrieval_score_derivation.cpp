// A score worked out: each tower's inputs, layers and output, and the score as the sum of
// the per-dimension products, on a hand-made model (every number checked by hand) and on a
// random deep model (the same numbers as the ones the model ranks with).

#include "hand_model.hpp"
#include "model/tower_layout.hpp"
#include "retrieval/retrieval.hpp"
#include "retrieval/score_derivation.hpp"

#include <QtTest>

#include <cmath>

using namespace towerlab;

namespace {

using test::handModel;
using test::tinyDataset;

const UserQuery kQuery{25, 17, 1, 350, -1, {}}; // q = 1.0 + 3.0 + 2 * 1.5 + 0.5 = 7.5

TrainedModel deepModel(bool l2Normalize) {
    const Dataset d = tinyDataset();
    TrainedModel m;
    m.config.features = FeatureSet::all();
    m.config.features.set(FeatureId::ZipRegion, false);
    m.config.embeddingDim = 4;
    m.config.layers = {8, 3};
    m.config.l2Normalize = l2Normalize;
    m.features = FeatureSpace::fit(d);
    m.weights = TwoTowerWeights::initialized(m.config, m.features, 7);
    test::fillCatalogue(m, d);
    m.finalize();
    return m;
}

} // namespace

class TestScoreDerivation : public QObject {
    Q_OBJECT

private slots:
    void theHandModelByHand() {
        const TrainedModel m = handModel();
        const ScoreDerivation d = deriveScore(m, kQuery, 0);
        QCOMPARE(d.query.inputs.size(), std::size_t(3));
        QCOMPARE(d.query.inputs[0].label, std::string("Age group"));
        QCOMPARE(d.query.inputs[0].numbers, std::vector<float>{1.0f});
        QCOMPARE(d.query.inputs[1].numbers, std::vector<float>{3.0f}); // gender M
        QCOMPARE(d.query.inputs[2].numbers, std::vector<float>{1.5f}); // (350 - 200) / 100
        QCOMPARE(d.query.layers, std::vector<std::vector<float>>{{7.5f}});
        QCOMPARE(d.query.output, std::vector<float>{7.5f});
        QCOMPARE(d.candidate.inputs.size(), std::size_t(1));
        QCOMPARE(d.candidate.inputs[0].value, std::string("A (1990)"));
        QCOMPARE(d.candidate.inputs[0].numbers, std::vector<float>{1.5f});
        QCOMPARE(d.candidate.output, std::vector<float>{3.0f});
        QCOMPARE(d.products, std::vector<float>{22.5f});
        QCOMPARE(d.score, 22.5);
        QCOMPARE(deriveScore(m, kQuery, 1).score, 7.5 * -4.0);
    }

    void aDeepModelGivesTheScoresItRanksWith() {
        for (const bool cosine : {false, true}) {
            const TrainedModel m = deepModel(cosine);
            const std::vector<std::int32_t> movies{0, 1};
            const std::vector<ScoredMovie> ranked = scoreMovies(m, kQuery, movies);
            const RowVector q = queryEmbedding(m, kQuery);
            for (const std::int32_t movie : movies) {
                const ScoreDerivation d = deriveScore(m, kQuery, movie);
                QCOMPARE(d.query.layers.size(), std::size_t(2));
                QCOMPARE(d.query.layers[0].size(), std::size_t(8));
                QCOMPARE(d.query.output.size(), std::size_t(3));
                for (const float hidden : d.query.layers[0]) {
                    QVERIFY(hidden >= 0.0f); // ReLU
                }
                for (std::size_t i = 0; i < 3; ++i) {
                    QCOMPARE(d.query.output[i], q(static_cast<Eigen::Index>(i)));
                    QCOMPARE(d.candidate.output[i],
                             m.candidateEmbeddings(movie, static_cast<Eigen::Index>(i)));
                }
                QVERIFY(std::abs(d.score - ranked[static_cast<std::size_t>(movie)].score) < 1e-5);
                QCOMPARE(d.query.normalized, cosine);
                if (cosine) {
                    double norm = 0;
                    for (const float x : d.candidate.output) {
                        norm += double(x) * x;
                    }
                    QVERIFY(std::abs(norm - 1.0) < 1e-5);
                }
                // Inputs: every enabled feature, its width, in layout order.
                const TowerLayout layout = TowerLayout::of(m.config);
                int width = 0;
                for (const TowerInputPart& part : d.candidate.inputs) {
                    QCOMPARE(layout.offset(part.feature), width);
                    width += static_cast<int>(part.numbers.size());
                }
                QCOMPARE(width, layout.candidateWidth);
            }
        }
    }

    void aMovieOutsideTheCatalogueIsRefused() {
        const TrainedModel m = handModel();
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, deriveScore(m, kQuery, 2));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, deriveScore(m, kQuery, -1));
    }
};

QTEST_APPLESS_MAIN(TestScoreDerivation)
#include "test_retrieval_score_derivation.moc"
