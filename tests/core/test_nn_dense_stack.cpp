// Finite-difference checks of the dense stack's backward pass, and Keras initializer ranges.

#include "nn/dense_stack.hpp"
#include "util/random.hpp"

#include <QtTest>

#include <cmath>

using namespace towerlab;

namespace {

RowMatrix randomMatrix(Eigen::Index r, Eigen::Index c, Random& random, float scale = 1.0f) {
    RowMatrix m(r, c);
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        m.data()[i] = random.uniform(-scale, scale);
    }
    return m;
}

// L = sum(output .* weights): dL/doutput = weights.
double lossOf(const std::vector<DenseWeights>& layers, const RowMatrix& input,
              const RowMatrix& outWeights) {
    DenseStackWorkspace ws;
    ws.activations = {input};
    denseStackForward(layers, ws);
    return (ws.activations.back().cast<double>().array() * outWeights.cast<double>().array()).sum();
}

// Central difference in double around a float parameter.
template <typename Eval> double numericGradient(float& p, Eval eval) {
    const float saved = p;
    // Small enough that no ReLU input of the test crosses zero, large enough for float.
    const float h = 1e-3f * std::max(1.0f, std::abs(saved));
    p = saved + h;
    const double up = eval();
    p = saved - h;
    const double down = eval();
    p = saved;
    return (up - down) / (2.0 * static_cast<double>(h));
}

} // namespace

class TestDenseStack : public QObject {
    Q_OBJECT

private slots:
    void gradientsMatchFiniteDifferences_data() {
        QTest::addColumn<QVector<int>>("sizes");
        QTest::newRow("one layer [5->3]") << QVector<int>{5, 3};
        QTest::newRow("two layers [6->4->3]") << QVector<int>{6, 4, 3};
        QTest::newRow("three layers [7->8->5->2]") << QVector<int>{7, 8, 5, 2};
    }

    void gradientsMatchFiniteDifferences() {
        QFETCH(QVector<int>, sizes);
        Random random(7);
        std::vector<DenseWeights> layers;
        for (int i = 0; i + 1 < sizes.size(); ++i) {
            layers.push_back(glorotUniformDense(sizes[i], sizes[i + 1], random));
            layers.back().bias = randomMatrix(1, sizes[i + 1], random, 0.3f);
        }
        const RowMatrix input = randomMatrix(9, sizes.front(), random);
        const RowMatrix outWeights = randomMatrix(9, sizes.back(), random);

        DenseStackWorkspace ws;
        ws.activations = {input};
        denseStackForward(layers, ws);
        std::vector<DenseWeights> grads;
        RowMatrix dInput;
        denseStackBackward(layers, ws, outWeights, grads, &dInput);

        auto eval = [&] { return lossOf(layers, input, outWeights); };
        for (std::size_t l = 0; l < layers.size(); ++l) {
            for (Eigen::Index i = 0; i < layers[l].kernel.size(); ++i) {
                const double numeric = numericGradient(layers[l].kernel.data()[i], eval);
                QVERIFY2(std::abs(numeric - grads[l].kernel.data()[i]) < 2e-3,
                         qPrintable(QString("kernel %1[%2]: numeric %3 analytic %4")
                                        .arg(l).arg(i).arg(numeric)
                                        .arg(grads[l].kernel.data()[i])));
            }
            for (Eigen::Index i = 0; i < layers[l].bias.size(); ++i) {
                const double numeric = numericGradient(layers[l].bias.data()[i], eval);
                QVERIFY2(std::abs(numeric - grads[l].bias.data()[i]) < 2e-3,
                         qPrintable(QString("bias %1[%2]: numeric %3 analytic %4")
                                        .arg(l).arg(i).arg(numeric)
                                        .arg(grads[l].bias.data()[i])));
            }
        }
        RowMatrix x = input;
        auto evalInput = [&] { return lossOf(layers, x, outWeights); };
        for (Eigen::Index i = 0; i < x.size(); ++i) {
            const double numeric = numericGradient(x.data()[i], evalInput);
            QVERIFY(std::abs(numeric - dInput.data()[i]) < 2e-3);
        }
    }

    void reluOnHiddenLayersOnly() {
        Random random(1);
        std::vector<DenseWeights> layers{glorotUniformDense(3, 4, random),
                                         glorotUniformDense(4, 2, random)};
        layers[1].bias = RowVector::Constant(2, -10.0f); // the last layer may go negative
        DenseStackWorkspace ws;
        ws.activations = {randomMatrix(5, 3, random)};
        denseStackForward(layers, ws);
        QVERIFY(ws.activations[1].minCoeff() >= 0.0f);
        QVERIFY(ws.activations[2].maxCoeff() < 0.0f);
    }

    void initializersUseKerasRanges() {
        Random random(3);
        const DenseWeights w = glorotUniformDense(129, 32, random);
        const float limit = std::sqrt(6.0f / (129 + 32));
        QVERIFY(w.kernel.cwiseAbs().maxCoeff() <= limit);
        QVERIFY(w.kernel.cwiseAbs().maxCoeff() > 0.9f * limit); // spread over the whole range
        QCOMPARE(w.bias.cwiseAbs().maxCoeff(), 0.0f);
        const RowMatrix e = uniformEmbedding(1000, 32, random);
        QVERIFY(e.cwiseAbs().maxCoeff() <= 0.05f);
        QVERIFY(std::abs(e.mean()) < 0.002f);
    }

    void initializationIsDeterministicPerSeed() {
        Random a(11), b(11), c(12);
        QCOMPARE(uniformEmbedding(4, 4, a), uniformEmbedding(4, 4, b));
        Random a2(11);
        QVERIFY(uniformEmbedding(4, 4, a2) != uniformEmbedding(4, 4, c));
    }
};

QTEST_APPLESS_MAIN(TestDenseStack)
#include "test_nn_dense_stack.moc"
