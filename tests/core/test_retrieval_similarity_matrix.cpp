// similarityMatrix: every cell is the candidate-space dot product or cosine of two movies,
// and row i agrees to the bit with movie i's nearest-movies scores.

#include "retrieval/similarity_matrix.hpp"

#include <QtTest>

#include <random>

using namespace towerlab;

namespace {

// Only the candidate vectors and the catalogue size matter here, so no training is needed.
TrainedModel handMadeModel(int movies, int dims) {
    TrainedModel model;
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    model.candidateEmbeddings.resize(movies, dims);
    for (Eigen::Index r = 0; r < movies; ++r) {
        for (Eigen::Index c = 0; c < dims; ++c) {
            model.candidateEmbeddings(r, c) = normal(rng);
        }
    }
    for (int i = 0; i < movies; ++i) {
        model.catalogue.titles.push_back("Movie " + std::to_string(i));
    }
    return model;
}

} // namespace

class TestSimilarityMatrix : public QObject {
    Q_OBJECT

private slots:
    void cellsAreDotProductsAndCosines() {
        const TrainedModel model = handMadeModel(50, 32);
        const std::vector<std::int32_t> movies{7, 3, 41, 3};
        const RowMatrix dot = similarityMatrix(model, movies, Similarity::Dot);
        const RowMatrix cosine = similarityMatrix(model, movies, Similarity::Cosine);
        QCOMPARE(dot.rows(), Eigen::Index(4));
        QCOMPARE(dot.cols(), Eigen::Index(4));
        const RowMatrix& c = model.candidateEmbeddings;
        for (std::size_t i = 0; i < movies.size(); ++i) {
            for (std::size_t j = 0; j < movies.size(); ++j) {
                const auto a = c.row(movies[i]);
                const auto b = c.row(movies[j]);
                const double d = a.cast<double>().dot(b.cast<double>());
                const auto ii = static_cast<Eigen::Index>(i);
                const auto jj = static_cast<Eigen::Index>(j);
                QVERIFY(std::abs(dot(ii, jj) - d) < 1e-4 * (1.0 + std::abs(d)));
                const double cos = d / (a.cast<double>().norm() * b.cast<double>().norm());
                QVERIFY(std::abs(cosine(ii, jj) - cos) < 1e-5);
            }
        }
        // The same movie twice gives identical rows; a movie with itself has cosine 1.
        QCOMPARE(dot.row(1), dot.row(3));
        QVERIFY(std::abs(cosine(0, 0) - 1.0f) < 1e-6f);
    }

    void rowsAgreeExactlyWithNearestMovies() {
        const TrainedModel model = handMadeModel(60, 16);
        const std::vector<std::int32_t> movies{0, 12, 59, 30, 31};
        for (const Similarity s : {Similarity::Dot, Similarity::Cosine}) {
            const RowMatrix m = similarityMatrix(model, movies, s);
            for (std::size_t i = 0; i < movies.size(); ++i) {
                const auto all = nearestMovies(model, movies[i], 59, s);
                for (std::size_t j = 0; j < movies.size(); ++j) {
                    if (i == j) {
                        continue;
                    }
                    const auto hit =
                        std::find_if(all.begin(), all.end(),
                                     [&](const ScoredMovie& x) { return x.movie == movies[j]; });
                    QVERIFY(hit != all.end());
                    QCOMPARE(m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)),
                             hit->score);
                }
            }
        }
    }

    void zeroVectorHasCosineZero() {
        TrainedModel model = handMadeModel(5, 4);
        model.candidateEmbeddings.row(2).setZero();
        const std::vector<std::int32_t> movies{2, 4};
        const RowMatrix m = similarityMatrix(model, movies, Similarity::Cosine);
        QCOMPARE(m(0, 0), 0.0f);
        QCOMPARE(m(0, 1), 0.0f);
        QCOMPARE(m(1, 0), 0.0f);
    }

    void emptyAndBadInput() {
        const TrainedModel model = handMadeModel(5, 4);
        QCOMPARE(similarityMatrix(model, {}, Similarity::Dot).size(), Eigen::Index(0));
        const std::vector<std::int32_t> outside{1, 5};
        QVERIFY_THROWS_EXCEPTION(std::out_of_range,
                                 similarityMatrix(model, outside, Similarity::Dot));
        const std::vector<std::int32_t> negative{-1};
        QVERIFY_THROWS_EXCEPTION(std::out_of_range,
                                 similarityMatrix(model, negative, Similarity::Cosine));
    }
};

QTEST_APPLESS_MAIN(TestSimilarityMatrix)
#include "test_retrieval_similarity_matrix.moc"
