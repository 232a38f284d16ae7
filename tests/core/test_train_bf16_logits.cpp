// The bf16 logits (TrainConfig::logits = Bf16): the rounding to bf16, the AVX-512 BF16 block
// kernel against a scalar reference that rounds the same way, and both losses on that path
// against a double-precision reference of what it computes. Tests of the kernel skip, saying
// why, on a CPU without AVX-512 BF16. The losses are asked for the AVX-512 BF16 logits by name
// (Bf16Kernels::Avx512): where the CPU has AMX the default is the tile path, whose backward is
// bf16 too (test_train_amx_tiles).

#include "train/bf16_logits.hpp"
#include "train/in_batch_softmax_loss.hpp"
#include "train/retrieval_task_loss.hpp"
#include "train/softmax_block_kernels.hpp"
#include "util/random.hpp"

#include <QtTest>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

using namespace towerlab;
namespace bf = towerlab::bf16_logits;

namespace {

float rounded(float x) {
    return bf::fromBf16(bf::toBf16(x));
}

RowMatrix randomMatrix(Eigen::Index r, Eigen::Index c, Random& random, float scale) {
    RowMatrix m(r, c);
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        m.data()[i] = random.uniform(-scale, scale);
    }
    return m;
}

RowMatrix roundedMatrix(const RowMatrix& m) {
    RowMatrix out = m;
    for (Eigen::Index i = 0; i < out.size(); ++i) {
        out.data()[i] = rounded(out.data()[i]);
    }
    return out;
}

// The loss and gradients the bf16 path computes, in double: logits from the bf16-rounded Q
// and C, the softmax gradient from those logits, times the unrounded C and Q.
double bf16Reference(const RowMatrix& q, const RowMatrix& c, Eigen::MatrixXd& dQ,
                     Eigen::MatrixXd& dC) {
    const Eigen::MatrixXd logits =
        roundedMatrix(q).cast<double>() * roundedMatrix(c).cast<double>().transpose();
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
    dQ = grad * c.cast<double>();
    dC = grad.transpose() * q.cast<double>();
    return loss;
}

// The loss of exact (unrounded) logits, for finite differences.
double exactLoss(const RowMatrix& q, const RowMatrix& c) {
    const Eigen::MatrixXd logits = q.cast<double>() * c.cast<double>().transpose();
    double loss = 0.0;
    for (Eigen::Index i = 0; i < logits.rows(); ++i) {
        const double m = logits.row(i).maxCoeff();
        loss += m + std::log((logits.row(i).array() - m).exp().sum()) - logits(i, i);
    }
    return loss;
}

std::uint32_t bitsOf(float x) {
    std::uint32_t b = 0;
    std::memcpy(&b, &x, sizeof b);
    return b;
}

// Runs the block kernel on row-major q (rows x dim) and c (batch x dim); returns the logits,
// rows x paddedBatch.
std::vector<float> kernelLogits(const RowMatrix& q, const RowMatrix& c, std::ptrdiff_t padded) {
    bf::PackedOperands packed;
    RowMatrix candidates = c;
    // pack() takes two B x dim matrices; the rows of q are used, so pad the shorter one.
    const Eigen::Index batch = std::max(q.rows(), c.rows());
    RowMatrix queries = RowMatrix::Zero(batch, q.cols());
    queries.topRows(q.rows()) = q;
    candidates = RowMatrix::Zero(batch, c.cols());
    candidates.topRows(c.rows()) = c;
    packed.pack(queries, candidates, padded);
    std::vector<float> logits(static_cast<std::size_t>(q.rows() * padded), -7.0f);
    bf::blockLogits(packed.queryRow(0), q.rows(), q.cols(), packed.candidatesT(), padded,
                    logits.data());
    return logits;
}

std::ptrdiff_t paddedOf(std::ptrdiff_t batch) {
    const std::ptrdiff_t tile = softmax_kernels::kColumnTile;
    return (batch + tile - 1) / tile * tile;
}

} // namespace

class TestBf16Logits : public QObject {
    Q_OBJECT

private slots:
    void roundsToNearestEven_data() {
        QTest::addColumn<float>("input");
        QTest::addColumn<uint>("bits");
        const float u = std::ldexp(1.0f, -8); // half a bf16 step at 1
        QTest::newRow("one") << 1.0f << 0x3F80U;
        QTest::newRow("tie, even below") << 1.0f + u << 0x3F80U;
        QTest::newRow("tie, odd below: up") << 1.0f + 3 * u << 0x3F82U;
        QTest::newRow("above the tie") << 1.0f + u + std::ldexp(1.0f, -20) << 0x3F81U;
        QTest::newRow("below the tie") << 1.0f + u - std::ldexp(1.0f, -20) << 0x3F80U;
        QTest::newRow("negative tie up") << -(1.0f + 3 * u) << 0xBF82U;
        QTest::newRow("zero") << 0.0f << 0x0000U;
        QTest::newRow("negative zero") << -0.0f << 0x8000U;
        QTest::newRow("largest float overflows") << std::numeric_limits<float>::max() << 0x7F80U;
        QTest::newRow("infinity") << std::numeric_limits<float>::infinity() << 0x7F80U;
        QTest::newRow("carry into the exponent") << std::nextafter(2.0f, 0.0f) << 0x4000U;
    }

    void roundsToNearestEven() {
        QFETCH(float, input);
        QFETCH(uint, bits);
        QCOMPARE(static_cast<uint>(bf::toBf16(input)), bits);
        QCOMPARE(bitsOf(bf::fromBf16(static_cast<std::uint16_t>(bits))), bits << 16);
    }

    void nanStaysNan() {
        QVERIFY(std::isnan(rounded(std::numeric_limits<float>::quiet_NaN())));
        // A signalling NaN whose payload is all in the low half must not become infinity.
        float snan = 0;
        const std::uint32_t b = 0x7F800001U;
        std::memcpy(&snan, &b, sizeof snan);
        QVERIFY(std::isnan(rounded(snan)));
    }

    // Values chosen so that rounding matters (ties both ways, just above a tie) while every
    // product and sum of the rounded values is exact in fp32: the kernel must equal the
    // reference bit for bit, and would not with truncation or without rounding.
    void handMadeInputsExact_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("dim");
        QTest::newRow("r7 b70 d32") << 7 << 70 << 32;
        QTest::newRow("r6 b64 d16") << 6 << 64 << 16;
        QTest::newRow("r13 b130 d48") << 13 << 130 << 48;
        QTest::newRow("r1 b1 d16") << 1 << 1 << 16;
    }

    void handMadeInputsExact() {
        QFETCH(int, rows);
        QFETCH(int, batch);
        QFETCH(int, dim);
        if (!bf::available(dim)) {
            QSKIP(qPrintable("bf16 logits unavailable here: " +
                             QString::fromStdString(bf::unavailableReason(dim))));
        }
        const float u = std::ldexp(1.0f, -8);
        // Rounded: 1, 1 + 2^-6, 1 + 2^-7, -2, 0.5 + 2^-8, 1.5, -(1.25 + 2^-7), 0.
        const float values[] = {1.0f + u,
                                1.0f + 3 * u,
                                1.0f + u + std::ldexp(1.0f, -16),
                                -(2.0f + std::ldexp(1.0f, -7)),
                                0.5f + std::ldexp(1.0f, -9) + std::ldexp(1.0f, -15),
                                1.5f - std::ldexp(1.0f, -9),
                                -(1.25f + 3 * std::ldexp(1.0f, -9)),
                                0.0f};
        RowMatrix q(rows, dim);
        RowMatrix c(batch, dim);
        for (int r = 0; r < rows; ++r) {
            for (int k = 0; k < dim; ++k) {
                q(r, k) = values[(r * 5 + k * 3) % 8];
            }
        }
        for (int j = 0; j < batch; ++j) {
            for (int k = 0; k < dim; ++k) {
                c(j, k) = values[(j * 7 + k + 1) % 8];
            }
        }
        const std::ptrdiff_t padded = paddedOf(batch);
        const std::vector<float> logits = kernelLogits(q, c, padded);
        int differsFromUnrounded = 0;
        int differsFromTruncated = 0;
        for (int r = 0; r < rows; ++r) {
            for (int j = 0; j < padded; ++j) {
                const float got = logits[static_cast<std::size_t>(r * padded + j)];
                if (j >= batch) {
                    QCOMPARE(got, 0.0f); // Cᵀ's zero padding
                    continue;
                }
                double expected = 0.0;
                double unrounded = 0.0;
                double truncated = 0.0;
                for (int k = 0; k < dim; ++k) {
                    expected += static_cast<double>(rounded(q(r, k))) * rounded(c(j, k));
                    unrounded += static_cast<double>(q(r, k)) * c(j, k);
                    const auto cut = [](float x) {
                        return std::bit_cast<float>(bitsOf(x) & 0xFFFF0000U);
                    };
                    truncated += static_cast<double>(cut(q(r, k))) * cut(c(j, k));
                }
                QVERIFY2(static_cast<double>(got) == expected,
                         qPrintable(QString("logit %1,%2: %3 vs %4")
                                        .arg(r)
                                        .arg(j)
                                        .arg(got, 0, 'g', 12)
                                        .arg(expected, 0, 'g', 12)));
                differsFromUnrounded += static_cast<float>(unrounded) != got ? 1 : 0;
                differsFromTruncated += static_cast<float>(truncated) != got ? 1 : 0;
            }
        }
        // The inputs are not bf16 values and round differently from truncation: the test
        // would fail for a kernel that skipped the rounding or truncated.
        QVERIFY(differsFromUnrounded > 0);
        QVERIFY(differsFromTruncated > 0);
    }

    // Random inputs: the kernel against the rounded operands summed in double, within the
    // fp32 accumulation error; bf16 rounding errors are far larger than that tolerance, so
    // unrounded operands would fail.
    void randomInputsMatchReference_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("dim");
        for (const int rows : {1, 5, 6, 13, 64}) {
            for (const int batch : {1, 70, 130}) {
                for (const int dim : {16, 32, 64}) {
                    QTest::addRow("r%d b%d d%d", rows, batch, dim) << rows << batch << dim;
                }
            }
        }
    }

    void randomInputsMatchReference() {
        QFETCH(int, rows);
        QFETCH(int, batch);
        QFETCH(int, dim);
        if (!bf::available(dim)) {
            QSKIP(qPrintable("bf16 logits unavailable here: " +
                             QString::fromStdString(bf::unavailableReason(dim))));
        }
        Random random(static_cast<std::uint64_t>(rows * 1000 + batch * 10 + dim));
        const RowMatrix q = randomMatrix(rows, dim, random, 1.0f);
        const RowMatrix c = randomMatrix(batch, dim, random, 1.0f);
        const std::ptrdiff_t padded = paddedOf(batch);
        const std::vector<float> logits = kernelLogits(q, c, padded);
        double worstUnrounded = 0.0;
        for (int r = 0; r < rows; ++r) {
            for (int j = 0; j < batch; ++j) {
                double expected = 0.0;
                double magnitude = 0.0;
                double unrounded = 0.0;
                for (int k = 0; k < dim; ++k) {
                    const double p = static_cast<double>(rounded(q(r, k))) * rounded(c(j, k));
                    expected += p;
                    magnitude += std::abs(p);
                    unrounded += static_cast<double>(q(r, k)) * c(j, k);
                }
                const double got = logits[static_cast<std::size_t>(r * padded + j)];
                const double tolerance = 4e-6 * magnitude;
                QVERIFY2(std::abs(got - expected) <= tolerance,
                         qPrintable(QString("logit %1,%2: %3 vs %4")
                                        .arg(r)
                                        .arg(j)
                                        .arg(got, 0, 'g', 12)
                                        .arg(expected, 0, 'g', 12)));
                worstUnrounded = std::max(worstUnrounded, std::abs(unrounded - expected) /
                                                              std::max(tolerance, 1e-30));
            }
        }
        QVERIFY2(worstUnrounded > 1.0, "unrounded operands would pass: the test cannot tell");
    }

    void lossMatchesReference() {
        if (!bf::available(32)) {
            QSKIP(qPrintable("bf16 logits unavailable here: " +
                             QString::fromStdString(bf::unavailableReason(32))));
        }
        Random random(11);
        const RowMatrix q = randomMatrix(130, 32, random, 0.7f);
        const RowMatrix c = randomMatrix(130, 32, random, 0.7f);
        Eigen::MatrixXd refDq, refDc;
        const double expected = bf16Reference(q, c, refDq, refDc);
        InBatchSoftmaxLoss loss(2, InBatchSoftmaxLoss::Kernels::Auto, LogitsPrecision::Bf16,
                                InBatchSoftmaxLoss::Bf16Kernels::Avx512);
        RowMatrix dQ, dC;
        const double got = loss.forwardBackward(q, c, dQ, dC);
        QVERIFY2(
            std::abs(got - expected) <= 1e-5 * std::abs(expected),
            qPrintable(QString("loss %1 vs %2").arg(got, 0, 'g', 12).arg(expected, 0, 'g', 12)));
        QVERIFY((dQ.cast<double>() - refDq).cwiseAbs().maxCoeff() < 1e-4);
        QVERIFY((dC.cast<double>() - refDc).cwiseAbs().maxCoeff() < 1e-4);

        // The fp32 loss of the same batch differs: the option is in effect.
        InBatchSoftmaxLoss fp32(2);
        QVERIFY(fp32.forward(q, c) != got);

        // The options path (RetrievalTaskLoss) computes the same with every option off.
        RetrievalTaskLoss task({}, 2, RetrievalTaskLoss::Kernels::Auto, LogitsPrecision::Bf16);
        RowMatrix taskDq, taskDc;
        const std::vector<std::int32_t> ids(130, 0);
        const std::vector<float> logP(130, 0.0f);
        const double taskLoss = task.forwardBackward(q, c, ids, logP, taskDq, taskDc);
        QVERIFY(std::abs(taskLoss - expected) <= 1e-5 * std::abs(expected));
        QVERIFY((taskDq.cast<double>() - refDq).cwiseAbs().maxCoeff() < 1e-4);
        QVERIFY((taskDc.cast<double>() - refDc).cwiseAbs().maxCoeff() < 1e-4);
    }

    // The gradient of the bf16 path is the exact loss's gradient up to bf16's rounding of the
    // logits: central differences of the exact loss agree within a bf16-sized tolerance (the
    // fp32 path's own test holds 1e-3).
    void gradientMatchesFiniteDifferences() {
        if (!bf::available(32)) {
            QSKIP(qPrintable("bf16 logits unavailable here: " +
                             QString::fromStdString(bf::unavailableReason(32))));
        }
        Random random(5);
        RowMatrix q = randomMatrix(70, 32, random, 0.3f);
        RowMatrix c = randomMatrix(70, 32, random, 0.3f);
        InBatchSoftmaxLoss loss(2, InBatchSoftmaxLoss::Kernels::Auto, LogitsPrecision::Bf16,
                                InBatchSoftmaxLoss::Bf16Kernels::Avx512);
        RowMatrix dQ, dC;
        loss.forwardBackward(q, c, dQ, dC);
        for (RowMatrix* m : {&q, &c}) {
            const RowMatrix& analytic = m == &q ? dQ : dC;
            for (Eigen::Index i = 0; i < m->size(); i += 13) {
                float& p = m->data()[i];
                const float saved = p;
                const float h = 1e-2f;
                p = saved + h;
                const double up = exactLoss(q, c);
                p = saved - h;
                const double down = exactLoss(q, c);
                p = saved;
                const double numeric = (up - down) / (2.0 * h);
                const double a = analytic.data()[i];
                QVERIFY2(std::abs(numeric - a) < 1e-2 + 1e-2 * std::abs(numeric),
                         qPrintable(QString("%1 vs %2").arg(numeric).arg(a)));
            }
        }
    }

    void sameBitsForAnyThreadCount() {
        if (!bf::available(32)) {
            QSKIP(qPrintable("bf16 logits unavailable here: " +
                             QString::fromStdString(bf::unavailableReason(32))));
        }
        Random random(9);
        const RowMatrix q = randomMatrix(1000, 32, random, 0.5f);
        const RowMatrix c = randomMatrix(1000, 32, random, 0.5f);
        RowMatrix dQ1, dC1, dQ2, dC2;
        InBatchSoftmaxLoss one(1, InBatchSoftmaxLoss::Kernels::Auto, LogitsPrecision::Bf16,
                               InBatchSoftmaxLoss::Bf16Kernels::Avx512);
        InBatchSoftmaxLoss two(2, InBatchSoftmaxLoss::Kernels::Auto, LogitsPrecision::Bf16,
                               InBatchSoftmaxLoss::Bf16Kernels::Avx512);
        QCOMPARE(one.forwardBackward(q, c, dQ1, dC1), two.forwardBackward(q, c, dQ2, dC2));
        QVERIFY(dQ1 == dQ2);
        QVERIFY(dC1 == dC2);
    }

    // A width the kernels cannot take is refused with the reason, whatever the CPU.
    void unsuitableWidthIsExplained() {
        const std::string reason = bf::unavailableReason(8);
        QVERIFY(!reason.empty());
        QVERIFY(!bf::available(8));
    }
};

QTEST_APPLESS_MAIN(TestBf16Logits)
#include "test_train_bf16_logits.moc"
