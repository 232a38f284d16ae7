// Candidate-vector lengths against training popularity on a hand-made catalogue.

#include "retrieval/vector_lengths.hpp"

#include <QtTest>

#include <cmath>

using namespace towerlab;

class TestVectorLengths : public QObject {
    Q_OBJECT

private slots:
    void lengthsAndCorrelationByHand() {
        TrainedModel model;
        model.candidateEmbeddings.resize(3, 2);
        model.candidateEmbeddings << 3.0f, 4.0f, 0.0f, -2.0f, 6.0f, 8.0f;
        // log(1 + ratings) = 0, 1, 2 exactly when ratings = 0, e - 1, e^2 - 1; integers
        // instead: 0, 1, 3 give log 1, log 2, log 4 = 0, a, 2a, which lie on a line.
        model.catalogue.popularity = {0, 1, 3};
        const VectorLengths v = candidateVectorLengths(model);
        QCOMPARE(v.length, (std::vector<double>{5.0, 2.0, 10.0}));
        QCOMPARE(v.ratings, (std::vector<std::int32_t>{0, 1, 3}));
        // x = 0, a, 2a (mean a); y = 5, 2, 10 (mean 17/3): sxy = a * (-a... ) worked out:
        // dx = -a, 0, a; dy = -2/3, -11/3, 13/3; sxy = a(2/3 + 13/3) = 5a;
        // sxx = 2a^2; syy = (4 + 121 + 169)/9 = 294/9. r = 5a / sqrt(2a^2 * 294/9) = 15/sqrt(588).
        QVERIFY(std::abs(v.logPopularityCorrelation - 15.0 / std::sqrt(588.0)) < 1e-12);
    }

    void constantPopularityHasNoCorrelation() {
        TrainedModel model;
        model.candidateEmbeddings.resize(2, 1);
        model.candidateEmbeddings << 1.0f, 2.0f;
        model.catalogue.popularity = {4, 4};
        QVERIFY(std::isnan(candidateVectorLengths(model).logPopularityCorrelation));
    }
};

QTEST_APPLESS_MAIN(TestVectorLengths)
#include "test_retrieval_vector_lengths.moc"
