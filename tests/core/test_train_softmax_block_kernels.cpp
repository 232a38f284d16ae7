// The AVX-512 block kernels of the fused softmax against plain loops, on sizes that hit every
// tile tail, and the fused loss against the Eigen path it replaces.

#include "train/in_batch_softmax_loss.hpp"
#include "train/softmax_block_kernels.hpp"
#include "util/random.hpp"

#include <QtTest>

#include <cmath>
#include <vector>

using namespace towerlab;
namespace sk = towerlab::softmax_kernels;

namespace {

std::vector<float> randomValues(std::size_t n, Random& random) {
    std::vector<float> v(n);
    for (float& x : v) {
        x = random.uniform(-1.0f, 1.0f);
    }
    return v;
}

RowMatrix randomMatrix(Eigen::Index r, Eigen::Index c, Random& random, float scale) {
    RowMatrix m(r, c);
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        m.data()[i] = random.uniform(-scale, scale);
    }
    return m;
}

} // namespace

class TestSoftmaxBlockKernels : public QObject {
    Q_OBJECT

private slots:
    void shapes_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("dim");
        // Rows not a multiple of 6 or 8, batches not a multiple of 8 or 64, and dimensions
        // with a 16-wide last slice.
        for (const int rows : {1, 5, 7, 13, 64}) {
            for (const int batch : {1, 9, 70, 130}) {
                for (const int dim : {16, 32, 48, 64}) {
                    QTest::addRow("r%d b%d d%d", rows, batch, dim) << rows << batch << dim;
                }
            }
        }
    }

    void shapes() {
        QFETCH(int, rows);
        QFETCH(int, batch);
        QFETCH(int, dim);
        Random random(static_cast<std::uint64_t>(rows * 1000 + batch * 10 + dim));
        const std::ptrdiff_t padded =
            (batch + sk::kColumnTile - 1) / sk::kColumnTile * sk::kColumnTile;
        const std::vector<float> q = randomValues(static_cast<std::size_t>(rows * dim), random);
        const std::vector<float> c = randomValues(static_cast<std::size_t>(batch * dim), random);
        std::vector<float> ct(static_cast<std::size_t>(dim * padded), 0.0f);
        for (int j = 0; j < batch; ++j) {
            for (int k = 0; k < dim; ++k) {
                ct[static_cast<std::size_t>(k * padded + j)] =
                    c[static_cast<std::size_t>(j * dim + k)];
            }
        }
        auto at = [](const std::vector<float>& v, std::ptrdiff_t i) {
            return static_cast<double>(v[static_cast<std::size_t>(i)]);
        };

        std::vector<float> logits(static_cast<std::size_t>(rows * padded), -7.0f);
        sk::blockLogits(q.data(), rows, dim, ct.data(), padded, logits.data());
        for (int r = 0; r < rows; ++r) {
            for (int j = 0; j < padded; ++j) {
                double expected = 0.0;
                for (int k = 0; k < dim && j < batch; ++k) {
                    expected += at(q, r * dim + k) * at(c, j * dim + k);
                }
                QVERIFY2(std::abs(at(logits, r * padded + j) - expected) < 1e-4,
                         qPrintable(QString("logit %1,%2").arg(r).arg(j)));
            }
        }

        // g: any values (the logits buffer), read only in its first `batch` columns.
        std::vector<float> dq(static_cast<std::size_t>(rows * dim), 99.0f);
        sk::blockGradQueries(logits.data(), rows, padded, batch, c.data(), dim, dq.data());
        std::vector<float> dc = randomValues(static_cast<std::size_t>(batch * dim), random);
        const std::vector<float> dcBefore = dc;
        sk::blockGradCandidates(logits.data(), rows, padded, batch, q.data(), dim, dc.data());
        for (int r = 0; r < rows; ++r) {
            for (int k = 0; k < dim; ++k) {
                double expected = 0.0;
                for (int j = 0; j < batch; ++j) {
                    expected += at(logits, r * padded + j) * at(c, j * dim + k);
                }
                QVERIFY2(std::abs(at(dq, r * dim + k) - expected) <
                             1e-3 * std::max(1.0, std::abs(expected)),
                         qPrintable(QString("dq %1,%2").arg(r).arg(k)));
            }
        }
        for (int j = 0; j < batch; ++j) {
            for (int k = 0; k < dim; ++k) {
                double expected = at(dcBefore, j * dim + k);
                for (int r = 0; r < rows; ++r) {
                    expected += at(logits, r * padded + j) * at(q, r * dim + k);
                }
                QVERIFY2(std::abs(at(dc, j * dim + k) - expected) <
                             1e-3 * std::max(1.0, std::abs(expected)),
                         qPrintable(QString("dc %1,%2").arg(j).arg(k)));
            }
        }
    }

    void expShiftedSum() {
        Random random(3);
        for (const int n : {1, 15, 16, 17, 100}) {
            std::vector<float> row = randomValues(static_cast<std::size_t>(n), random);
            const std::vector<float> before = row;
            const float sum = sk::expShiftedSum(row.data(), n, 0.5f);
            double expected = 0.0;
            for (int j = 0; j < n; ++j) {
                const double e =
                    std::exp(static_cast<double>(before[static_cast<std::size_t>(j)]) - 0.5);
                QVERIFY(std::abs(row[static_cast<std::size_t>(j)] - e) < 1e-6 * std::max(1.0, e));
                expected += e;
            }
            QVERIFY(std::abs(sum - expected) < 1e-5 * expected);
        }
    }

    // The loss with the kernels equals the loss through Eigen's GEMM (same maths, different
    // rounding), for every dimension the kernels take and one they do not.
    void fusedMatchesEigenPath_data() {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("dim");
        QTest::newRow("tutorial") << 2048 << 32;
        QTest::newRow("uneven batch") << 1000 << 32;
        QTest::newRow("dim 48") << 333 << 48;
        QTest::newRow("dim 16, tiny") << 3 << 16;
        QTest::newRow("dim 20 (Eigen only)") << 200 << 20;
    }

    void fusedMatchesEigenPath() {
        QFETCH(int, batch);
        QFETCH(int, dim);
        Random random(static_cast<std::uint64_t>(batch + dim));
        const RowMatrix q = randomMatrix(batch, dim, random, 0.4f);
        const RowMatrix c = randomMatrix(batch, dim, random, 0.4f);
        RowMatrix dQa, dCa, dQb, dCb;
        const double a = InBatchSoftmaxLoss(2).forwardBackward(q, c, dQa, dCa);
        const double b = InBatchSoftmaxLoss(2, InBatchSoftmaxLoss::Kernels::EigenOnly)
                             .forwardBackward(q, c, dQb, dCb);
        QVERIFY2(std::abs(a - b) <= 1e-6 * std::abs(b),
                 qPrintable(QString("%1 vs %2").arg(a).arg(b)));
        QVERIFY((dQa - dQb).cwiseAbs().maxCoeff() < 1e-5f);
        QVERIFY((dCa - dCb).cwiseAbs().maxCoeff() < 1e-5f);
        if (dim % 16 != 0) {
            QVERIFY(!sk::available(dim));
        }
    }
};

QTEST_APPLESS_MAIN(TestSoftmaxBlockKernels)
#include "test_train_softmax_block_kernels.moc"
