// Row-wise L2 normalisation: tf.math.l2_normalize's values (epsilon 1e-12 included) and a
// gradient that passes finite differences, through a loss that weights every output.

#include "nn/l2_normalize.hpp"
#include "util/random.hpp"

#include <QtTest>

#include <cmath>

using namespace towerlab;

namespace {

// A loss that depends on every output differently: sum_ij w_ij y_ij.
double weightedSum(const RowMatrix& x, const Eigen::MatrixXd& w) {
    const Eigen::MatrixXd d = x.cast<double>();
    double loss = 0.0;
    for (Eigen::Index i = 0; i < d.rows(); ++i) {
        const double squared = d.row(i).squaredNorm();
        const double inverse = 1.0 / std::sqrt(std::max(squared, 1e-12));
        loss += (d.row(i) * inverse).dot(w.row(i));
    }
    return loss;
}

} // namespace

class TestL2Normalize : public QObject {
    Q_OBJECT

private slots:
    void rowsBecomeUnitLength() {
        RowMatrix x(3, 4);
        x << 3, 4, 0, 0,    //
            -1, -1, -1, -1, //
            1e-8f, 0, 0, 0; // |x|² = 1e-16 < ε: scaled by 1 / sqrt(ε) = 1e6, not divided
        L2NormalizeWorkspace ws;
        l2NormalizeRows(x, ws);
        QVERIFY(std::abs(ws.output(0, 0) - 0.6f) < 1e-7f);
        QVERIFY(std::abs(ws.output(0, 1) - 0.8f) < 1e-7f);
        QVERIFY(std::abs(ws.output.row(1).norm() - 1.0f) < 1e-6f);
        QVERIFY(std::abs(ws.output(2, 0) - 1e-2f) < 1e-8f);
        RowMatrix zero = RowMatrix::Zero(1, 4);
        l2NormalizeRows(zero, ws);
        QVERIFY(ws.output.isZero()); // tf.math.l2_normalize(0) = 0, not NaN
    }

    void gradientMatchesFiniteDifferences() {
        Random random(3);
        RowMatrix x(5, 6);
        for (Eigen::Index i = 0; i < x.size(); ++i) {
            x.data()[i] = random.uniform(-1.0f, 1.0f);
        }
        x.row(4) *= 1e-7f; // the clamped branch
        Eigen::MatrixXd w(5, 6);
        for (Eigen::Index i = 0; i < w.size(); ++i) {
            w.data()[i] = random.uniform(-1.0f, 1.0f);
        }
        L2NormalizeWorkspace ws;
        l2NormalizeRows(x, ws);
        RowMatrix grad = w.cast<float>();
        l2NormalizeRowsBackward(ws, grad);
        for (Eigen::Index i = 0; i < x.size(); ++i) {
            float& p = x.data()[i];
            const float saved = p;
            const float h = i >= 24 ? 1e-10f : 1e-3f;
            p = saved + h;
            const double up = weightedSum(x, w);
            p = saved - h;
            const double down = weightedSum(x, w);
            p = saved;
            const double numeric = (up - down) / (2.0 * static_cast<double>(h));
            QVERIFY2(std::abs(numeric - grad.data()[i]) < 1e-3 * std::max(1.0, std::abs(numeric)),
                     qPrintable(QString("%1: %2 vs %3").arg(i).arg(numeric).arg(grad.data()[i])));
        }
    }
};

QTEST_GUILESS_MAIN(TestL2Normalize)
#include "test_nn_l2_normalize.moc"
