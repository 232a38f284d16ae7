// The fused in-batch softmax against a plain double-precision computation, finite
// differences, and thread-count independence.

#include "train/in_batch_softmax_loss.hpp"
#include "util/random.hpp"

#include <QtTest>

#include <cmath>

using namespace towerlab;

namespace {

RowMatrix randomMatrix(Eigen::Index r, Eigen::Index c, Random& random, float scale) {
    RowMatrix m(r, c);
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        m.data()[i] = random.uniform(-scale, scale);
    }
    return m;
}

// Straight from the definition: sum_i [log sum_j exp(q_i . c_j) - q_i . c_i].
double referenceLoss(const RowMatrix& q, const RowMatrix& c, Eigen::MatrixXd* dQ = nullptr,
                     Eigen::MatrixXd* dC = nullptr) {
    const Eigen::MatrixXd Q = q.cast<double>();
    const Eigen::MatrixXd C = c.cast<double>();
    const Eigen::MatrixXd logits = Q * C.transpose();
    Eigen::MatrixXd grad(logits.rows(), logits.cols());
    double loss = 0.0;
    for (Eigen::Index i = 0; i < logits.rows(); ++i) {
        const double m = logits.row(i).maxCoeff();
        const Eigen::RowVectorXd e = (logits.row(i).array() - m).exp();
        const double sum = e.sum();
        loss += m + std::log(sum) - logits(i, i);
        grad.row(i) = e / sum;
        grad(i, i) -= 1.0;
    }
    if (dQ != nullptr) {
        *dQ = grad * C;
        *dC = grad.transpose() * Q;
    }
    return loss;
}

} // namespace

class TestInBatchSoftmaxLoss : public QObject {
    Q_OBJECT

private slots:
    void matchesReference_data() {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("dim");
        QTest::addColumn<float>("scale");
        QTest::newRow("one example") << 1 << 4 << 1.0f;      // loss 0, gradient 0
        QTest::newRow("3x5") << 3 << 5 << 1.0f;
        QTest::newRow("one block") << 64 << 8 << 0.5f;
        QTest::newRow("block + 1") << 65 << 8 << 0.5f;
        QTest::newRow("uneven chunks") << 300 << 16 << 0.3f;
        QTest::newRow("more chunks than blocks") << 130 << 3 << 2.0f;
        QTest::newRow("large logits") << 50 << 4 << 6.0f;    // needs the max shift
        QTest::newRow("tutorial batch") << 2048 << 32 << 0.2f;
    }

    void matchesReference() {
        QFETCH(int, batch);
        QFETCH(int, dim);
        QFETCH(float, scale);
        Random random(static_cast<std::uint64_t>(batch * 31 + dim));
        const RowMatrix q = randomMatrix(batch, dim, random, scale);
        const RowMatrix c = randomMatrix(batch, dim, random, scale);
        Eigen::MatrixXd refDq, refDc;
        const double expected = referenceLoss(q, c, &refDq, &refDc);
        InBatchSoftmaxLoss loss(2);
        RowMatrix dQ, dC;
        const double got = loss.forwardBackward(q, c, dQ, dC);
        QVERIFY2(std::abs(got - expected) <= 1e-5 * std::max(1.0, std::abs(expected)),
                 qPrintable(QString("loss %1 vs %2").arg(got, 0, 'g', 12).arg(expected, 0, 'g', 12)));
        QVERIFY((dQ.cast<double>() - refDq).cwiseAbs().maxCoeff() < 1e-5);
        QVERIFY((dC.cast<double>() - refDc).cwiseAbs().maxCoeff() < 1e-5);
        QCOMPARE(loss.forward(q, c), got);
        if (batch == 1) {
            QCOMPARE(got, 0.0);
        }
        if (batch == 2048 && scale < 0.01f) {
            QVERIFY(std::abs(got - 2048 * std::log(2048.0)) < 1.0);
        }
    }

    void uniformLogitsGiveBatchTimesLogBatch() {
        // The reference model's first-epoch loss is near 2048 ln 2048: all logits equal.
        const RowMatrix q = RowMatrix::Zero(2048, 32);
        InBatchSoftmaxLoss loss(1);
        QVERIFY(std::abs(loss.forward(q, q) - 2048 * std::log(2048.0)) < 1e-3);
    }

    void gradientMatchesFiniteDifferences() {
        Random random(5);
        RowMatrix q = randomMatrix(70, 6, random, 0.7f);
        RowMatrix c = randomMatrix(70, 6, random, 0.7f);
        InBatchSoftmaxLoss loss(2);
        RowMatrix dQ, dC;
        loss.forwardBackward(q, c, dQ, dC);
        for (RowMatrix* m : {&q, &c}) {
            const RowMatrix& analytic = m == &q ? dQ : dC;
            for (Eigen::Index i = 0; i < m->size(); i += 7) {
                float& p = m->data()[i];
                const float saved = p;
                const float h = 1e-2f;
                p = saved + h;
                const double up = referenceLoss(q, c);
                p = saved - h;
                const double down = referenceLoss(q, c);
                p = saved;
                const double numeric = (up - down) / (2.0 * h);
                QVERIFY2(std::abs(numeric - analytic.data()[i]) < 1e-3,
                         qPrintable(QString("%1 vs %2").arg(numeric).arg(analytic.data()[i])));
            }
        }
    }

    void sameBitsForAnyThreadCount() {
        Random random(9);
        const RowMatrix q = randomMatrix(1000, 32, random, 0.5f);
        const RowMatrix c = randomMatrix(1000, 32, random, 0.5f);
        RowMatrix dQ1, dC1, dQ2, dC2, dQ3, dC3;
        const double l1 = InBatchSoftmaxLoss(1).forwardBackward(q, c, dQ1, dC1);
        const double l2 = InBatchSoftmaxLoss(2).forwardBackward(q, c, dQ2, dC2);
        const double l3 = InBatchSoftmaxLoss(3).forwardBackward(q, c, dQ3, dC3);
        QCOMPARE(l1, l2);
        QCOMPARE(l1, l3);
        QVERIFY(dQ1 == dQ2 && dQ1 == dQ3);
        QVERIFY(dC1 == dC2 && dC1 == dC3);
    }

    void nonFiniteInputGivesNonFiniteLoss() {
        RowMatrix q = RowMatrix::Ones(4, 2);
        q(1, 1) = std::numeric_limits<float>::infinity();
        const RowMatrix c = RowMatrix::Ones(4, 2);
        QVERIFY(!std::isfinite(InBatchSoftmaxLoss(1).forward(q, c)));
    }
};

QTEST_APPLESS_MAIN(TestInBatchSoftmaxLoss)
#include "test_train_in_batch_softmax_loss.moc"
