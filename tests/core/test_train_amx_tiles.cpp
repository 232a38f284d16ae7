// The AMX tile path of the bf16 loss (amx_tiles.hpp, InBatchSoftmaxLoss with Bf16 logits).
//
// TDPBF16PS does not round like a sequence of fp32 additions in any order we could find
// (sequential, odd-first, pairwise, tree, per-chunk sums: each matched 73-94% of 51,200 random
// outputs on this CPU, none all), but every output of one instruction was within 1.3 * 2^-24 of
// the exact sum of its 32 products and accumulator, relative to the sum of their magnitudes.
// So the kernels are checked two ways: on random bf16-rounded operands, within 2^-22 * (tile
// products) * Σ|terms| of the exact sum (a bound unrounded operands break by far); and on
// hand-made operands whose every partial sum is exact in fp32, where no order can matter, bit
// for bit equal to the exact sum and to the AVX-512 BF16 kernel (which rounds the operands
// with the same toBf16). Then the packings against toBf16, and the whole loss
// against fp32 within a bf16 tolerance, against finite differences and across thread counts.
// Everything but the width check skips, saying why, where AMX is not usable.

#include "train/amx_tiles.hpp"
#include "train/bf16_logits.hpp"
#include "train/in_batch_softmax_loss.hpp"
#include "train/softmax_block_kernels.hpp"
#include "util/random.hpp"

#include <QtTest>

#include <cmath>
#include <cstdint>
#include <vector>

using namespace towerlab;
namespace amx = towerlab::amx_tiles;
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

// The exact sum acc + Σ_k a[k] b[k] of the bf16-rounded operands, the sum of the terms'
// magnitudes, and the number of tile products (32 terms each) it takes.
struct ExactDot {
    double sum = 0.0;
    double magnitude = 0.0;
    // Within the bound measured for TDPBF16PS (file comment), with room.
    bool near(float got, std::ptrdiff_t tileProducts) const {
        return std::abs(static_cast<double>(got) - sum) <=
               std::ldexp(1.0, -22) * static_cast<double>(tileProducts) * magnitude;
    }
};

ExactDot exactDot(float acc, const std::vector<float>& a, const std::vector<float>& b) {
    ExactDot d{acc, std::abs(static_cast<double>(acc))};
    for (std::size_t k = 0; k < a.size(); ++k) {
        const double p = static_cast<double>(rounded(a[k])) * rounded(b[k]);
        d.sum += p;
        d.magnitude += std::abs(p);
    }
    return d;
}

// Values whose products and sums (up to 64 terms) are exact in fp32 once rounded to bf16,
// while rounding matters: ties both ways and just above a tie (from test_train_bf16_logits).
// Rounded: 1, 1 + 2^-6, 1 + 2^-7, -2, 0.5 + 2^-8, 1.5, -(1.25 + 2^-7), 0.
float handMade(int i) {
    const float u = std::ldexp(1.0f, -8);
    const float values[] = {1.0f + u,
                            1.0f + 3 * u,
                            1.0f + u + std::ldexp(1.0f, -16),
                            -(2.0f + std::ldexp(1.0f, -7)),
                            0.5f + std::ldexp(1.0f, -9) + std::ldexp(1.0f, -15),
                            1.5f - std::ldexp(1.0f, -9),
                            -(1.25f + 3 * std::ldexp(1.0f, -9)),
                            0.0f};
    return values[i % 8];
}

std::ptrdiff_t paddedOf(std::ptrdiff_t batch) {
    return amx::roundUp(batch, 64); // as the loss pads (softmax_kernels::kColumnTile)
}

#define SKIP_WITHOUT_AMX(dim)                                                                      \
    do {                                                                                           \
        if (!amx::available(dim)) {                                                                \
            QSKIP(qPrintable("AMX tiles unusable here: " +                                         \
                             QString::fromStdString(amx::unavailableReason(dim))));                \
        }                                                                                          \
    } while (false)

QString bitsMessage(const char* what, int i, int j, float got, float expected) {
    return QString("%1 %2,%3: %4 vs %5")
        .arg(what)
        .arg(i)
        .arg(j)
        .arg(static_cast<double>(got), 0, 'g', 12)
        .arg(static_cast<double>(expected), 0, 'g', 12);
}

void addShapes() {
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("batch");
    QTest::addColumn<int>("dim");
    QTest::addColumn<bool>("exactValues");
    for (const bool exact : {false, true}) {
        const char* kind = exact ? "exact" : "random";
        QTest::addRow("%s r32 b64 d32", kind) << 32 << 64 << 32 << exact;
        QTest::addRow("%s r7 b70 d32", kind) << 7 << 70 << 32 << exact;
        QTest::addRow("%s r64 b60 d64", kind) << 64 << 60 << 64 << exact;
        QTest::addRow("%s r33 b50 d48 (odd K tile, odd column tile)", kind)
            << 33 << 50 << 48 << exact;
        QTest::addRow("%s r1 b1 d16", kind) << 1 << 1 << 16 << exact;
    }
    QTest::addRow("random r64 b2048 d32 (the tutorial's batch)") << 64 << 2048 << 32 << false;
}

} // namespace

class TestAmxTiles : public QObject {
    Q_OBJECT

private slots:
    // The logits Q Cᵀ (zeros in Cᵀ's padding) on random operands near the exact sum of the
    // rounded ones, on hand-made ones exact and equal to the AVX-512 BF16 kernel's.
    void logitsMatchTileSemantics_data() { addShapes(); }
    void logitsMatchTileSemantics() {
        QFETCH(int, rows);
        QFETCH(int, batch);
        QFETCH(int, dim);
        QFETCH(bool, exactValues);
        SKIP_WITHOUT_AMX(dim);
        Random random(static_cast<std::uint64_t>(rows * 7 + batch * 3 + dim));
        const Eigen::Index n = std::max(rows, batch);
        RowMatrix q = randomMatrix(n, dim, random, 1.0f);
        RowMatrix c = randomMatrix(n, dim, random, 1.0f);
        if (exactValues) {
            for (Eigen::Index i = 0; i < n; ++i) {
                for (int k = 0; k < dim; ++k) {
                    q(i, k) = handMade(static_cast<int>(i * 5 + k * 3));
                    c(i, k) = handMade(static_cast<int>(i * 7 + k + 1));
                }
            }
        }
        const std::ptrdiff_t padded = paddedOf(n);
        amx::BatchOperands packed;
        packed.pack(q, c, padded);
        const std::ptrdiff_t tileRows = amx::roundUp(rows, amx::kRowGroup);
        std::vector<float> logits(static_cast<std::size_t>(tileRows * padded), -7.0f);
        amx::blockLogits(packed.queries(), tileRows, packed.kPairs(), packed.candidatesT(), padded,
                         logits.data());
        std::vector<float> avx512(static_cast<std::size_t>(rows * padded), -7.0f);
        if (exactValues) {
            bf::PackedOperands pairs;
            pairs.pack(q, c, padded);
            bf::blockLogits(pairs.queryRow(0), rows, dim, pairs.candidatesT(), padded,
                            avx512.data());
        }
        const std::ptrdiff_t tileProducts = packed.kPairs() / amx::kPairsPerTile;
        double worstUnrounded = 0.0;
        for (int r = 0; r < rows; ++r) {
            for (int j = 0; j < padded; ++j) {
                const float got = logits[static_cast<std::size_t>(r * padded + j)];
                if (j >= n) {
                    QCOMPARE(got, 0.0f);
                    continue;
                }
                const std::vector<float> a(q.row(r).data(), q.row(r).data() + dim);
                const std::vector<float> b(c.row(j).data(), c.row(j).data() + dim);
                const ExactDot expected = exactDot(0.0f, a, b);
                if (exactValues) {
                    const float other = avx512[static_cast<std::size_t>(r * padded + j)];
                    QVERIFY2(static_cast<double>(got) == expected.sum && got == other,
                             qPrintable(bitsMessage("logit", r, j, got, other)));
                } else {
                    QVERIFY2(expected.near(got, tileProducts),
                             qPrintable(bitsMessage("logit", r, j, got,
                                                    static_cast<float>(expected.sum))));
                }
                const double unrounded = q.row(r).cast<double>().dot(c.row(j).cast<double>());
                worstUnrounded = std::max(
                    worstUnrounded, std::abs(unrounded - expected.sum) /
                                        (std::ldexp(1.0, -22) * static_cast<double>(tileProducts) *
                                         std::max(expected.magnitude, 1e-30)));
            }
        }
        QVERIFY2(worstUnrounded > 1.0, "unrounded operands would pass: the test cannot tell");
    }

    // A gradient row: exp(row - shift) rounded as toBf16, zeros past n, and the same sum as
    // the fp32 path's expShiftedSum, bit for bit (so the loss does not change with the path).
    void expToBf16MatchesFp32Path() {
        SKIP_WITHOUT_AMX(32);
        Random random(3);
        for (const std::ptrdiff_t n : {1, 15, 16, 100, 2048}) {
            const std::ptrdiff_t padded = paddedOf(n);
            RowMatrix row = randomMatrix(1, padded, random, 4.0f);
            const float shift = row.row(0).head(n).maxCoeff();
            std::vector<std::uint16_t> out(static_cast<std::size_t>(padded), 0xFFFF);
            const float sum = amx::expToBf16(row.data(), n, padded, shift, out.data());
            RowMatrix fp32 = row;
            QCOMPARE(sum, softmax_kernels::expShiftedSum(fp32.data(), n, shift));
            for (std::ptrdiff_t j = 0; j < padded; ++j) {
                const std::uint16_t expected = j < n ? bf::toBf16(fp32(0, j)) : 0;
                QCOMPARE(out[static_cast<std::size_t>(j)], expected);
            }
        }
    }

    // Rows of bf16 into the pair layout: word [p][j] = (row 2p, row 2p + 1) at column j.
    void pairRowsLayout() {
        SKIP_WITHOUT_AMX(32);
        const std::ptrdiff_t rowsPadded = 64, padded = 128;
        std::vector<std::uint16_t> rows(static_cast<std::size_t>(rowsPadded * padded));
        for (std::size_t i = 0; i < rows.size(); ++i) {
            rows[i] = static_cast<std::uint16_t>(i * 2654435761U >> 7);
        }
        std::vector<std::uint32_t> pairs(static_cast<std::size_t>(rowsPadded / 2 * padded));
        amx::pairRows(rows.data(), rowsPadded, padded, pairs.data());
        for (std::ptrdiff_t p = 0; p < rowsPadded / 2; ++p) {
            for (std::ptrdiff_t j = 0; j < padded; ++j) {
                const std::uint32_t word = pairs[static_cast<std::size_t>(p * padded + j)];
                QCOMPARE(static_cast<std::uint16_t>(word & 0xFFFFU),
                         rows[static_cast<std::size_t>(2 * p * padded + j)]);
                QCOMPARE(static_cast<std::uint16_t>(word >> 16),
                         rows[static_cast<std::size_t>((2 * p + 1) * padded + j)]);
            }
        }
    }

    // Q and C packed for the tiles: each value as toBf16, in its place, zero padding.
    void batchOperandsLayout() {
        SKIP_WITHOUT_AMX(48);
        Random random(4);
        const std::ptrdiff_t batch = 37, dim = 48, padded = 64;
        const RowMatrix q = randomMatrix(batch, dim, random, 2.0f);
        const RowMatrix c = randomMatrix(batch, dim, random, 2.0f);
        amx::BatchOperands packed;
        packed.pack(q, c, padded);
        QCOMPARE(packed.kPairs(), std::ptrdiff_t{32});
        const auto half = [](std::uint32_t word, std::ptrdiff_t k) {
            return static_cast<std::uint16_t>(k % 2 == 0 ? word & 0xFFFFU : word >> 16);
        };
        for (std::ptrdiff_t i = 0; i < amx::roundUp(batch, amx::kRowGroup); ++i) {
            for (std::ptrdiff_t k = 0; k < 2 * packed.kPairs(); ++k) {
                const std::uint16_t expected = i < batch && k < dim ? bf::toBf16(q(i, k)) : 0;
                QCOMPARE(half(packed.queries()[i * packed.kPairs() + k / 2], k), expected);
            }
        }
        for (std::ptrdiff_t k = 0; k < 2 * packed.kPairs(); ++k) {
            for (std::ptrdiff_t j = 0; j < padded; ++j) {
                const std::uint16_t expected = j < batch && k < dim ? bf::toBf16(c(j, k)) : 0;
                QCOMPARE(half(packed.candidatesT()[k / 2 * padded + j], k), expected);
            }
        }
        for (std::ptrdiff_t j = 0; j < padded; ++j) {
            for (std::ptrdiff_t d = 0; d < dim; ++d) {
                const std::uint16_t expected = j < batch ? bf::toBf16(c(j, d)) : 0;
                QCOMPARE(half(packed.candidatePairs()[j / 2 * dim + d], j), expected);
            }
        }
    }

    // dQ = G C and dCᵀ += (Q')ᵀ G on AMX (dCᵀ from the values already there, as the loss
    // accumulates a chunk's blocks), as the logits: near the exact sums, or exact.
    void gradientProductsMatchTileSemantics_data() { addShapes(); }
    void gradientProductsMatchTileSemantics() {
        QFETCH(int, rows);
        QFETCH(int, batch);
        QFETCH(int, dim);
        QFETCH(bool, exactValues);
        SKIP_WITHOUT_AMX(dim);
        Random random(static_cast<std::uint64_t>(rows * 11 + batch * 5 + dim));
        const std::ptrdiff_t padded = paddedOf(batch);
        const std::ptrdiff_t rowsPadded = amx::roundUp(rows, amx::kRowGroup);
        RowMatrix g = randomMatrix(rows, padded, random, 1.0f);
        RowMatrix q = randomMatrix(rows, dim, random, 1.0f); // the block's scaled queries
        RowMatrix c = randomMatrix(batch, dim, random, 1.0f);
        RowMatrix before = randomMatrix(dim, padded, random, 1.0f);
        if (exactValues) {
            g = g.unaryExpr([](float) { return 0.0f; });
            for (int r = 0; r < rows; ++r) {
                for (int j = 0; j < batch; ++j) {
                    g(r, j) = handMade(r * 3 + j * 5);
                }
                for (int d = 0; d < dim; ++d) {
                    q(r, d) = handMade(r + d * 7);
                }
            }
            for (int j = 0; j < batch; ++j) {
                for (int d = 0; d < dim; ++d) {
                    c(j, d) = handMade(j * 3 + d + 2);
                }
            }
            before.setConstant(0.25f);
        }
        amx::BatchOperands packed;
        packed.pack(c, c, padded); // only candidatePairs() is used
        std::vector<std::uint16_t> gRows(static_cast<std::size_t>(rowsPadded * padded), 0);
        for (int r = 0; r < rows; ++r) {
            for (int j = 0; j < batch; ++j) {
                gRows[static_cast<std::size_t>(r * padded + j)] = bf::toBf16(g(r, j));
            }
        }
        std::vector<std::uint32_t> gPairs(static_cast<std::size_t>(rowsPadded / 2 * padded));
        amx::pairRows(gRows.data(), rowsPadded, padded, gPairs.data());

        std::vector<float> dq(static_cast<std::size_t>(rowsPadded * dim), -7.0f);
        amx::blockGradQueries(gRows.data(), rowsPadded, padded, packed.candidatePairs(), dim,
                              dq.data());
        for (int r = 0; r < rows; ++r) {
            for (int d = 0; d < dim; ++d) {
                std::vector<float> a, b;
                for (int j = 0; j < batch; ++j) {
                    a.push_back(g(r, j));
                    b.push_back(c(j, d));
                }
                const ExactDot expected = exactDot(0.0f, a, b);
                const float got = dq[static_cast<std::size_t>(r * dim + d)];
                QVERIFY2(
                    exactValues ? static_cast<double>(got) == expected.sum
                                : expected.near(got, padded / 32),
                    qPrintable(bitsMessage("dQ", r, d, got, static_cast<float>(expected.sum))));
            }
        }

        std::vector<std::uint16_t> qt(static_cast<std::size_t>(dim * rowsPadded), 0);
        for (int r = 0; r < rows; ++r) {
            for (int d = 0; d < dim; ++d) {
                qt[static_cast<std::size_t>(d * rowsPadded + r)] = bf::toBf16(q(r, d));
            }
        }
        RowMatrix dct = before;
        amx::blockGradCandidatesT(qt.data(), rowsPadded, dim, gPairs.data(), padded, dct.data());
        for (int d = 0; d < dim; ++d) {
            for (int j = 0; j < padded; ++j) {
                std::vector<float> a, b;
                for (int r = 0; r < rows; ++r) {
                    a.push_back(q(r, d));
                    b.push_back(j < batch ? g(r, j) : 0.0f);
                }
                const ExactDot expected = exactDot(before(d, j), a, b);
                const float got = dct(d, j);
                QVERIFY2(
                    exactValues ? static_cast<double>(got) == expected.sum
                                : expected.near(got, rowsPadded / 32),
                    qPrintable(bitsMessage("dC^T", d, j, got, static_cast<float>(expected.sum))));
            }
        }
    }

    // The whole loss on AMX against fp32: the value within bf16's relative error, the
    // gradients within a bf16-sized absolute tolerance; and not equal to the AVX-512 BF16
    // path's gradients, whose backward is fp32 (so the tiles were used for it). The loss is
    // at most 4e-3 off (bf16 logits: ~2^-9 relative each) while it differs from fp32 at all.
    void lossNearFp32() {
        SKIP_WITHOUT_AMX(32);
        Random random(11);
        const RowMatrix q = randomMatrix(300, 32, random, 0.7f);
        const RowMatrix c = randomMatrix(300, 32, random, 0.7f);
        InBatchSoftmaxLoss fp32(2);
        InBatchSoftmaxLoss tiles(2, InBatchSoftmaxLoss::Kernels::Auto, LogitsPrecision::Bf16);
        InBatchSoftmaxLoss avx512(2, InBatchSoftmaxLoss::Kernels::Auto, LogitsPrecision::Bf16,
                                  InBatchSoftmaxLoss::Bf16Kernels::Avx512);
        RowMatrix dQ32, dC32, dQ, dC, dQavx, dCavx;
        const double expected = fp32.forwardBackward(q, c, dQ32, dC32);
        const double got = tiles.forwardBackward(q, c, dQ, dC);
        avx512.forwardBackward(q, c, dQavx, dCavx);
        QVERIFY2(
            std::abs(got - expected) <= 4e-3 * std::abs(expected),
            qPrintable(QString("loss %1 vs %2").arg(got, 0, 'g', 12).arg(expected, 0, 'g', 12)));
        QVERIFY(got != expected);
        const double dqError = (dQ - dQ32).cwiseAbs().maxCoeff();
        const double dcError = (dC - dC32).cwiseAbs().maxCoeff();
        // Gradient elements are O(1) sums of softmax-weighted rows: bf16's 2^-9 relative
        // rounding, a few times over, is ~1e-2 at worst; unrounded gradients are ~1e-6 off.
        QVERIFY2(dqError < 2e-2 && dcError < 2e-2,
                 qPrintable(QString("dQ %1, dC %2").arg(dqError).arg(dcError)));
        QVERIFY(dQ != dQavx);
        QVERIFY(dC != dCavx);
        // The loss only (no gradients) is the same value: same logits product.
        QCOMPARE(tiles.forward(q, c), got);
        // The logits alone on tiles (bench_loss's middle step): the same loss, fp32 backward.
        InBatchSoftmaxLoss logitsOnly(2, InBatchSoftmaxLoss::Kernels::Auto, LogitsPrecision::Bf16,
                                      InBatchSoftmaxLoss::Bf16Kernels::AmxLogitsOnly);
        RowMatrix dQlogits, dClogits;
        QCOMPARE(logitsOnly.forwardBackward(q, c, dQlogits, dClogits), got);
        QVERIFY((dQlogits - dQ32).cwiseAbs().maxCoeff() < 2e-2);
        QVERIFY((dClogits - dC32).cwiseAbs().maxCoeff() < 2e-2);
        QVERIFY(dQlogits != dQ);
    }

    // The AMX gradients are the exact loss's up to bf16 rounding: central differences agree
    // within the tolerance the AVX-512 BF16 path is held to.
    void gradientMatchesFiniteDifferences() {
        SKIP_WITHOUT_AMX(32);
        Random random(5);
        RowMatrix q = randomMatrix(70, 32, random, 0.3f);
        RowMatrix c = randomMatrix(70, 32, random, 0.3f);
        InBatchSoftmaxLoss loss(2, InBatchSoftmaxLoss::Kernels::Auto, LogitsPrecision::Bf16);
        RowMatrix dQ, dC;
        loss.forwardBackward(q, c, dQ, dC);
        const auto exactLoss = [&]() {
            const Eigen::MatrixXd logits = q.cast<double>() * c.cast<double>().transpose();
            double total = 0.0;
            for (Eigen::Index i = 0; i < logits.rows(); ++i) {
                const double m = logits.row(i).maxCoeff();
                total += m + std::log((logits.row(i).array() - m).exp().sum()) - logits(i, i);
            }
            return total;
        };
        int checked = 0;
        for (RowMatrix* m : {&q, &c}) {
            const RowMatrix& analytic = m == &q ? dQ : dC;
            for (Eigen::Index i = 0; i < m->size(); i += 13) {
                float& p = m->data()[i];
                const float saved = p;
                const float h = 1e-2f;
                p = saved + h;
                const double up = exactLoss();
                p = saved - h;
                const double down = exactLoss();
                p = saved;
                const double numeric = (up - down) / (2.0 * h);
                const double a = analytic.data()[i];
                QVERIFY2(std::abs(numeric - a) < 1e-2 + 1e-2 * std::abs(numeric),
                         qPrintable(QString("element %1: %2 vs %3").arg(i).arg(numeric).arg(a)));
                ++checked;
            }
        }
        QVERIFY(checked > 300);
    }

    // Same bits for 1, 2 and 3 threads, with a last block of fewer rows than a tile pair.
    void sameBitsForAnyThreadCount() {
        SKIP_WITHOUT_AMX(32);
        Random random(9);
        const RowMatrix q = randomMatrix(1000, 32, random, 0.5f);
        const RowMatrix c = randomMatrix(1000, 32, random, 0.5f);
        RowMatrix dQ1, dC1;
        InBatchSoftmaxLoss one(1, InBatchSoftmaxLoss::Kernels::Auto, LogitsPrecision::Bf16);
        const double loss1 = one.forwardBackward(q, c, dQ1, dC1);
        for (const int threads : {2, 3}) {
            InBatchSoftmaxLoss many(threads, InBatchSoftmaxLoss::Kernels::Auto,
                                    LogitsPrecision::Bf16);
            RowMatrix dQ, dC;
            QCOMPARE(many.forwardBackward(q, c, dQ, dC), loss1);
            QVERIFY(dQ == dQ1);
            QVERIFY(dC == dC1);
        }
    }

    // A width the kernels cannot take is refused with the reason, whatever the CPU.
    void unsuitableWidthIsExplained() {
        QVERIFY(!amx::unavailableReason(8).empty());
        QVERIFY(!amx::available(8));
    }
};

QTEST_APPLESS_MAIN(TestAmxTiles)
#include "test_train_amx_tiles.moc"
