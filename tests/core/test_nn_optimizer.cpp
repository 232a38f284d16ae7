// Optimizer steps against hand-computed values (Keras formulas), including sparse rows with
// repeated indices.

#include "nn/optimizer.hpp"

#include <QtTest>

#include <cmath>

using namespace towerlab;

class TestOptimizer : public QObject {
    Q_OBJECT

private slots:
    void adagradDenseStep() {
        Adagrad opt(0.1f);
        const int slot = opt.addSlot(1, 2);
        float w[2] = {1.0f, -2.0f};
        const float g[2] = {0.5f, -3.0f};
        opt.beginStep();
        opt.applyDense(w, g, 2, slot);
        // acc = 0.1 + g^2; w -= 0.1 g / (sqrt(acc) + 1e-7)
        QCOMPARE(w[0], float(1.0 - 0.1 * 0.5 / (std::sqrt(0.35) + 1e-7)));
        QCOMPARE(w[1], float(-2.0 + 0.1 * 3.0 / (std::sqrt(9.1) + 1e-7)));
        opt.applyDense(w, g, 2, slot);
        const double acc0 = 0.1 + 2 * 0.25;
        const double w0 = 1.0 - 0.1 * 0.5 / (std::sqrt(0.35) + 1e-7);
        QVERIFY(std::abs(w[0] - (w0 - 0.1 * 0.5 / (std::sqrt(acc0) + 1e-7))) < 1e-6);
        QVERIFY(std::abs(opt.stateOf(slot)[0](0, 0) - acc0) < 1e-6);
    }

    void adagradSparseSumsRepeatsAndLeavesOtherRowsAlone() {
        Adagrad opt(0.1f);
        RowMatrix table = RowMatrix::Constant(4, 2, 1.0f);
        const int slot = opt.addSlot(4, 2);
        SparseRowGradient grad(4, 2);
        // Row 2 appears twice in the batch: its gradients are summed before one update.
        Eigen::Map<Eigen::RowVector2f>(grad.row(2)) += Eigen::RowVector2f(0.25f, 0.5f);
        Eigen::Map<Eigen::RowVector2f>(grad.row(0)) += Eigen::RowVector2f(1.0f, 0.0f);
        Eigen::Map<Eigen::RowVector2f>(grad.row(2)) += Eigen::RowVector2f(0.25f, -1.0f);
        QCOMPARE(grad.touchedCount(), std::size_t(2));
        opt.beginStep();
        opt.applySparse(table, grad, slot);
        auto expected = [](double g) { return float(1.0 - 0.1 * g / (std::sqrt(0.1 + g * g) + 1e-7)); };
        QCOMPARE(table(2, 0), expected(0.5));
        QCOMPARE(table(2, 1), expected(-0.5));
        QCOMPARE(table(0, 0), expected(1.0));
        QCOMPARE(table(0, 1), 1.0f); // zero gradient: no change
        QCOMPARE(table(1, 0), 1.0f);
        QCOMPARE(table(3, 1), 1.0f);
        const RowMatrix acc = opt.stateOf(slot)[0];
        QCOMPARE(acc(1, 0), 0.1f); // untouched rows keep their accumulator
        QVERIFY(std::abs(acc(2, 0) - 0.35f) < 1e-7);
        grad.clear();
        QCOMPARE(grad.touchedCount(), std::size_t(0));
        QCOMPARE(grad.row(2)[0], 0.0f); // cleared rows start from zero again
    }

    void adamMatchesKerasFormula() {
        Adam opt(0.001f);
        const int slot = opt.addSlot(1, 1);
        float w = 0.5f;
        const float g1 = 0.2f, g2 = -0.1f;
        opt.beginStep();
        opt.applyDense(&w, &g1, 1, slot);
        double m = 0.1 * 0.2, v = 0.001 * 0.04;
        double lr = 0.001 * std::sqrt(1 - 0.999) / (1 - 0.9);
        double expected = 0.5 - lr * m / (std::sqrt(v) + 1e-7);
        QVERIFY(std::abs(w - expected) < 1e-7);
        opt.beginStep();
        opt.applyDense(&w, &g2, 1, slot);
        m = 0.9 * m + 0.1 * -0.1;
        v = 0.999 * v + 0.001 * 0.01;
        lr = 0.001 * std::sqrt(1 - 0.999 * 0.999) / (1 - 0.9 * 0.9);
        expected -= lr * m / (std::sqrt(v) + 1e-7);
        QVERIFY(std::abs(w - expected) < 1e-7);
    }

    void adamSparseMovesUntouchedRowsLikeKeras() {
        // Keras applies Adam's sparse update densely: after one step with a gradient on row 0,
        // a second step without gradients still moves row 0 by its decayed momentum.
        Adam sparseOpt(0.01f), denseOpt(0.01f);
        RowMatrix table = RowMatrix::Constant(2, 1, 1.0f);
        RowMatrix dense = table;
        const int s = sparseOpt.addSlot(2, 1);
        const int d = denseOpt.addSlot(2, 1);
        SparseRowGradient grad(2, 1);
        for (int step = 0; step < 3; ++step) {
            grad.clear();
            float g[2] = {0.0f, 0.0f};
            if (step == 0) {
                grad.row(0)[0] = 0.5f;
                g[0] = 0.5f;
            }
            sparseOpt.beginStep();
            sparseOpt.applySparse(table, grad, s);
            denseOpt.beginStep();
            denseOpt.applyDense(dense.data(), g, 2, d);
            QCOMPARE(table(0, 0), dense(0, 0));
            QCOMPARE(table(1, 0), dense(1, 0));
        }
        QVERIFY(table(0, 0) < 0.99f);
        QCOMPARE(table(1, 0), 1.0f);
    }

    void sgdStep() {
        Sgd opt(0.01f);
        const int slot = opt.addSlot(1, 1);
        float w = 1.0f;
        const float g = 2.0f;
        opt.applyDense(&w, &g, 1, slot);
        QCOMPARE(w, 0.98f);
        RowMatrix table = RowMatrix::Ones(3, 1);
        SparseRowGradient grad(3, 1);
        grad.row(1)[0] += 1.0f;
        grad.row(1)[0] += 1.0f;
        opt.applySparse(table, grad, slot);
        QCOMPARE(table(1, 0), 0.98f);
        QCOMPARE(table(0, 0), 1.0f);
    }
};

QTEST_APPLESS_MAIN(TestOptimizer)
#include "test_nn_optimizer.moc"
