// The Retrieval task's options (temperature, logQ correction, removal of accidental hits,
// hard-negative mining) against a plain double-precision computation written from TFRS's
// definitions, finite differences of the gradient, their combinations, and the guarantee
// that all-off is exactly the tutorial's loss.

#include "train/in_batch_softmax_loss.hpp"
#include "train/retrieval_task_loss.hpp"
#include "util/random.hpp"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace towerlab;

Q_DECLARE_METATYPE(towerlab::RetrievalOptions)

namespace {

RowMatrix randomMatrix(Eigen::Index r, Eigen::Index c, Random& random, float scale) {
    RowMatrix m(r, c);
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        m.data()[i] = random.uniform(-scale, scale);
    }
    return m;
}

// TFRS's Retrieval.call in doubles, step by step: the logits matrix is modified in TFRS's
// order and each row's softmax runs over the columns that survive. Accidental hits are left
// out of the row, which is what adding float32_min / 100 amounts to (exp underflows to 0);
// hard-negative mining keeps the label and the N largest other logits (ties: lower column).
// `kept`, when given, records each row's surviving columns (empty) or imposes them (filled):
// finite differences hold the selection fixed, since mining is only piecewise smooth.
using Selection = std::vector<std::vector<Eigen::Index>>;
double referenceLoss(const RowMatrix& q, const RowMatrix& c, const RetrievalOptions& o,
                     const std::vector<std::int32_t>& ids, const std::vector<double>& logP,
                     Eigen::MatrixXd* dQ = nullptr, Eigen::MatrixXd* dC = nullptr,
                     Selection* kept = nullptr) {
    const bool impose = kept != nullptr && !kept->empty();
    const Eigen::MatrixXd Q = q.cast<double>();
    const Eigen::MatrixXd C = c.cast<double>();
    const Eigen::Index n = Q.rows();
    Eigen::MatrixXd s = Q * C.transpose() / o.temperature;
    if (o.logQ != LogQCorrection::Off) {
        for (Eigen::Index j = 0; j < n; ++j) {
            s.col(j).array() -= logP[static_cast<std::size_t>(j)];
        }
    }
    Eigen::MatrixXd grad = Eigen::MatrixXd::Zero(n, n);
    double loss = 0.0;
    for (Eigen::Index i = 0; i < n; ++i) {
        std::vector<Eigen::Index> negatives;
        for (Eigen::Index j = 0; j < n; ++j) {
            const bool hit = o.removeAccidentalHits &&
                             ids[static_cast<std::size_t>(j)] == ids[static_cast<std::size_t>(i)];
            if (j != i && !hit) {
                negatives.push_back(j);
            }
        }
        std::stable_sort(negatives.begin(), negatives.end(),
                         [&](Eigen::Index a, Eigen::Index b) { return s(i, a) > s(i, b); });
        // Masked columns are only picked by TFRS when fewer unmasked ones exist, and then
        // contribute 0, so dropping them first changes nothing.
        if (o.hardNegatives > 0 && static_cast<int>(negatives.size()) > o.hardNegatives) {
            negatives.resize(static_cast<std::size_t>(o.hardNegatives));
        }
        negatives.push_back(i);
        if (impose) {
            negatives = (*kept)[static_cast<std::size_t>(i)];
        } else if (kept != nullptr) {
            kept->push_back(negatives);
        }
        double m = -1e300;
        for (const Eigen::Index j : negatives) {
            m = std::max(m, s(i, j));
        }
        double sum = 0.0;
        for (const Eigen::Index j : negatives) {
            sum += std::exp(s(i, j) - m);
        }
        loss += m + std::log(sum) - s(i, i);
        for (const Eigen::Index j : negatives) {
            grad(i, j) = std::exp(s(i, j) - m) / sum / o.temperature;
        }
        grad(i, i) -= 1.0 / o.temperature;
    }
    if (dQ != nullptr) {
        *dQ = grad * C;
        *dC = grad.transpose() * Q;
    }
    return loss;
}

struct Case {
    RowMatrix q, c;
    std::vector<std::int32_t> ids;
    std::vector<double> logP;
    std::vector<float> logPf;
};

// Batch rows drawn from `movies` distinct movies, so rows repeat movies (accidental hits),
// and each column's log p from a made-up popularity.
Case makeCase(int batch, int dim, int movies, float scale, std::uint64_t seed,
              bool tieCandidates = true) {
    Random random(seed);
    Case k;
    k.q = randomMatrix(batch, dim, random, scale);
    k.c = randomMatrix(batch, dim, random, scale);
    for (int i = 0; i < batch; ++i) {
        k.ids.push_back(static_cast<std::int32_t>(random.uniform(0.0f, 1.0f) * movies) % movies);
    }
    // A movie's rows share its candidate vector, as the candidate tower gives them.
    for (int i = 0; i < batch && tieCandidates; ++i) {
        for (int j = 0; j < i; ++j) {
            if (k.ids[static_cast<std::size_t>(j)] == k.ids[static_cast<std::size_t>(i)]) {
                k.c.row(i) = k.c.row(j);
                break;
            }
        }
    }
    for (int i = 0; i < batch; ++i) {
        const double p = 1.0 / (2.0 + k.ids[static_cast<std::size_t>(i)]);
        k.logPf.push_back(static_cast<float>(std::log(p)));
        k.logP.push_back(static_cast<double>(k.logPf.back()));
    }
    return k;
}

Eigen::MatrixXd perMovie(const Eigen::MatrixXd& rows, const std::vector<std::int32_t>& ids,
                         int movies) {
    Eigen::MatrixXd out = Eigen::MatrixXd::Zero(movies, rows.cols());
    for (Eigen::Index i = 0; i < rows.rows(); ++i) {
        out.row(ids[static_cast<std::size_t>(i)]) += rows.row(i);
    }
    return out;
}

RetrievalOptions options(double t, LogQCorrection logQ, bool hits, int hard) {
    RetrievalOptions o;
    o.temperature = t;
    o.logQ = logQ;
    o.removeAccidentalHits = hits;
    o.hardNegatives = hard;
    return o;
}

} // namespace

class TestRetrievalTaskLoss : public QObject {
    Q_OBJECT

private slots:
    void matchesReference_data() {
        QTest::addColumn<RetrievalOptions>("opts");
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("movies");
        const auto off = LogQCorrection::Off;
        const auto freq = LogQCorrection::Frequency;
        QTest::newRow("all off") << options(1.0, off, false, 0) << 130 << 40;
        QTest::newRow("temperature 0.1") << options(0.1, off, false, 0) << 130 << 40;
        QTest::newRow("temperature 3") << options(3.0, off, false, 0) << 70 << 40;
        QTest::newRow("logq") << options(1.0, freq, false, 0) << 130 << 40;
        QTest::newRow("accidental hits") << options(1.0, off, true, 0) << 130 << 20;
        QTest::newRow("accidental hits, every row the same movie")
            << options(1.0, off, true, 0) << 9 << 1;
        QTest::newRow("hard negatives 10") << options(1.0, off, false, 10) << 130 << 40;
        QTest::newRow("hard negatives 1") << options(1.0, off, false, 1) << 65 << 40;
        QTest::newRow("hard negatives 40 (selection by threshold)")
            << options(1.0, off, false, 40) << 130 << 40;
        QTest::newRow("hits + hard negatives 60") << options(1.0, off, true, 60) << 130 << 10;
        QTest::newRow("hard negatives = batch - 1") << options(1.0, off, false, 64) << 65 << 40;
        QTest::newRow("hard negatives over a small last batch")
            << options(1.0, off, false, 50) << 12 << 40;
        QTest::newRow("temperature + logq") << options(0.2, freq, false, 0) << 130 << 40;
        QTest::newRow("hits + hard negatives") << options(1.0, off, true, 5) << 130 << 10;
        QTest::newRow("hard negatives beyond the unmasked ones")
            << options(1.0, off, true, 20) << 30 << 3;
        QTest::newRow("everything") << options(0.5, freq, true, 7) << 300 << 25;
    }

    void matchesReference() {
        QFETCH(RetrievalOptions, opts);
        QFETCH(int, batch);
        QFETCH(int, movies);
        const Case k = makeCase(batch, 8, movies, 0.6f, static_cast<std::uint64_t>(batch + movies));
        Eigen::MatrixXd refDq, refDc;
        const double expected = referenceLoss(k.q, k.c, opts, k.ids, k.logP, &refDq, &refDc);
        RetrievalTaskLoss loss(opts, 2);
        RowMatrix dQ, dC;
        const double got = loss.forwardBackward(k.q, k.c, k.ids, k.logPf, dQ, dC);
        QVERIFY2(
            std::abs(got - expected) <= 2e-5 * std::max(1.0, std::abs(expected)),
            qPrintable(QString("loss %1 vs %2").arg(got, 0, 'g', 12).arg(expected, 0, 'g', 12)));
        const double scale = 1.0 / opts.temperature;
        QVERIFY((dQ.cast<double>() - refDq).cwiseAbs().maxCoeff() < 2e-5 * scale);
        // Two columns of one movie tie exactly in doubles but may differ in the last bit in
        // floats, so mining may keep the other copy; the movie's gradient (what reaches its
        // tower) is the same either way. Compare dC per movie then.
        Eigen::MatrixXd gotDc = dC.cast<double>();
        Eigen::MatrixXd want = refDc;
        if (opts.hardNegatives > 0) {
            gotDc = perMovie(gotDc, k.ids, movies);
            want = perMovie(want, k.ids, movies);
        }
        QVERIFY((gotDc - want).cwiseAbs().maxCoeff() < 2e-5 * scale);
        QCOMPARE(loss.forward(k.q, k.c, k.ids, k.logPf), got);
    }

    // Each option changes the loss on a batch where it has something to do, so a test of it
    // cannot pass by the option doing nothing.
    void everyOptionChangesTheLoss() {
        const Case k = makeCase(130, 8, 20, 0.6f, 3);
        const double plain = RetrievalTaskLoss({}, 1).forward(k.q, k.c, k.ids, k.logPf);
        for (const RetrievalOptions& o : {options(0.5, LogQCorrection::Off, false, 0),
                                          options(1.0, LogQCorrection::Frequency, false, 0),
                                          options(1.0, LogQCorrection::Off, true, 0),
                                          options(1.0, LogQCorrection::Off, false, 10)}) {
            QVERIFY(std::abs(RetrievalTaskLoss(o, 1).forward(k.q, k.c, k.ids, k.logPf) - plain) >
                    1e-3);
        }
    }

    // A masked column takes no part: moving its candidate changes neither loss nor the row.
    void accidentalHitsLeaveTheRowExactly() {
        const Case k = makeCase(6, 4, 100, 0.6f, 11);
        std::vector<std::int32_t> ids{1, 2, 3, 1, 4, 5}; // row 0 and row 3: the same movie
        RowMatrix c = k.c;
        c.row(3) = c.row(0);
        const RetrievalOptions o = options(1.0, LogQCorrection::Off, true, 0);
        RowMatrix dQ, dC;
        RetrievalTaskLoss(o, 1).forwardBackward(k.q, c, ids, {}, dQ, dC);
        // Row 0 without column 3, by hand.
        const Eigen::RowVectorXd s = (k.q.row(0).cast<double>() * c.cast<double>().transpose());
        double sum = 0.0;
        for (int j : {0, 1, 2, 4, 5}) {
            sum += std::exp(s(j));
        }
        Eigen::RowVectorXd expectedDq = Eigen::RowVectorXd::Zero(4);
        for (int j : {0, 1, 2, 4, 5}) {
            expectedDq += std::exp(s(j)) / sum * c.row(j).cast<double>();
        }
        expectedDq -= c.row(0).cast<double>();
        QVERIFY((dQ.row(0).cast<double>() - expectedDq).cwiseAbs().maxCoeff() < 1e-6);
    }

    void allOffIsTheTutorialLoss() {
        const Case k = makeCase(300, 32, 50, 0.4f, 9);
        InBatchSoftmaxLoss plain(2, InBatchSoftmaxLoss::Kernels::EigenOnly);
        RowMatrix dQ1, dC1, dQ2, dC2;
        const double a = plain.forwardBackward(k.q, k.c, dQ1, dC1);
        const double b = RetrievalTaskLoss({}, 2).forwardBackward(k.q, k.c, k.ids, {}, dQ2, dC2);
        QVERIFY(std::abs(a - b) < 1e-6 * std::abs(a));
        QVERIFY((dQ1 - dQ2).cwiseAbs().maxCoeff() < 1e-6f);
        QVERIFY((dC1 - dC2).cwiseAbs().maxCoeff() < 1e-6f);
    }

    void gradientMatchesFiniteDifferences_data() {
        QTest::addColumn<RetrievalOptions>("opts");
        const auto freq = LogQCorrection::Frequency;
        QTest::newRow("temperature") << options(0.3, LogQCorrection::Off, false, 0);
        QTest::newRow("logq") << options(1.0, freq, false, 0);
        QTest::newRow("hits") << options(1.0, LogQCorrection::Off, true, 0);
        QTest::newRow("hard negatives") << options(1.0, LogQCorrection::Off, false, 6);
        QTest::newRow("all four") << options(0.5, freq, true, 6);
        QTest::newRow("all four, 40 hard negatives") << options(0.5, freq, true, 40);
    }

    void gradientMatchesFiniteDifferences() {
        QFETCH(RetrievalOptions, opts);
        // Untied candidate vectors: at an exact tie mining is not differentiable.
        Case k = makeCase(70, 6, 25, 0.7f, 5, false);
        RetrievalTaskLoss loss(opts, 2);
        RowMatrix dQ, dC;
        loss.forwardBackward(k.q, k.c, k.ids, k.logPf, dQ, dC);
        Selection kept;
        referenceLoss(k.q, k.c, opts, k.ids, k.logP, nullptr, nullptr, &kept);
        // The candidate vectors of one movie are tied in the model but free here; each entry
        // of C is its own parameter, which is what dC holds per column.
        for (RowMatrix* m : {&k.q, &k.c}) {
            const RowMatrix& analytic = m == &k.q ? dQ : dC;
            for (Eigen::Index i = 0; i < m->size(); i += 5) {
                float& p = m->data()[i];
                const float saved = p;
                const float h = 1e-3f;
                p = saved + h;
                const double up =
                    referenceLoss(k.q, k.c, opts, k.ids, k.logP, nullptr, nullptr, &kept);
                p = saved - h;
                const double down =
                    referenceLoss(k.q, k.c, opts, k.ids, k.logP, nullptr, nullptr, &kept);
                p = saved;
                const double numeric = (up - down) / (2.0 * h);
                QVERIFY2(std::abs(numeric - analytic.data()[i]) <
                             2e-3 * std::max(1.0, std::abs(numeric)),
                         qPrintable(QString("%1 vs %2").arg(numeric).arg(analytic.data()[i])));
            }
        }
    }

    // Width 32 takes the AVX-512 block products where the build has them: same values as the
    // Eigen path and as the reference, every option on.
    void kernelsMatchEigenAndTheReference() {
        const Case k = makeCase(300, 32, 40, 0.3f, 17, false);
        const RetrievalOptions o = options(0.2, LogQCorrection::Frequency, true, 9);
        RowMatrix dQ1, dC1, dQ2, dC2;
        const double a =
            RetrievalTaskLoss(o, 2).forwardBackward(k.q, k.c, k.ids, k.logPf, dQ1, dC1);
        const double b = RetrievalTaskLoss(o, 2, RetrievalTaskLoss::Kernels::EigenOnly)
                             .forwardBackward(k.q, k.c, k.ids, k.logPf, dQ2, dC2);
        QVERIFY(std::abs(a - b) < 1e-6 * std::abs(a));
        QVERIFY((dQ1 - dQ2).cwiseAbs().maxCoeff() < 1e-5f);
        QVERIFY((dC1 - dC2).cwiseAbs().maxCoeff() < 1e-5f);
        Eigen::MatrixXd refDq, refDc;
        const double expected = referenceLoss(k.q, k.c, o, k.ids, k.logP, &refDq, &refDc);
        QVERIFY(std::abs(a - expected) < 2e-5 * std::abs(expected));
        QVERIFY((dQ1.cast<double>() - refDq).cwiseAbs().maxCoeff() < 1e-4);
        QVERIFY((dC1.cast<double>() - refDc).cwiseAbs().maxCoeff() < 1e-4);
    }

    // Every 8th column (the sample the threshold selection starts from) scores high and the
    // rest tie low: the sample's bound then leaves fewer than N columns, and the selection
    // must fall back to the whole row, still keeping the lowest of the tied columns.
    void hardNegativesWhenTheSampleMisleads() {
        const int rows = 130;
        RowMatrix q = RowMatrix::Zero(rows, 2);
        RowMatrix c = RowMatrix::Zero(rows, 2);
        std::vector<std::int32_t> ids(rows);
        for (int i = 0; i < rows; ++i) {
            ids[static_cast<std::size_t>(i)] = i;
            q(i, 0) = 1.0f;
            q(i, 1) = 0.01f * static_cast<float>(i % 7);
            c(i, 0) = i % 8 == 0 ? 3.0f : 0.0f;
        }
        const RetrievalOptions o = options(1.0, LogQCorrection::Off, false, 40);
        Eigen::MatrixXd refDq, refDc;
        const std::vector<double> noLogP(rows, 0.0);
        const double expected = referenceLoss(q, c, o, ids, noLogP, &refDq, &refDc);
        RowMatrix dQ, dC;
        const double got = RetrievalTaskLoss(o, 1).forwardBackward(q, c, ids, {}, dQ, dC);
        QVERIFY(std::abs(got - expected) < 1e-5 * std::abs(expected));
        QVERIFY((dQ.cast<double>() - refDq).cwiseAbs().maxCoeff() < 1e-5);
        QVERIFY((dC.cast<double>() - refDc).cwiseAbs().maxCoeff() < 1e-5);
    }

    void resultsDoNotDependOnThreads() {
        const Case k = makeCase(700, 16, 60, 0.5f, 21);
        const RetrievalOptions o = options(0.2, LogQCorrection::Frequency, true, 9);
        RowMatrix dQ1, dC1, dQ2, dC2;
        const double a =
            RetrievalTaskLoss(o, 1).forwardBackward(k.q, k.c, k.ids, k.logPf, dQ1, dC1);
        const double b =
            RetrievalTaskLoss(o, 2).forwardBackward(k.q, k.c, k.ids, k.logPf, dQ2, dC2);
        QCOMPARE(a, b);
        QVERIFY(dQ1 == dQ2);
        QVERIFY(dC1 == dC2);
    }

    // Equal logits: tf.nn.top_k keeps the lower columns, through either selection (heap for
    // few, threshold for many). With all q = c = 1 every kept column has softmax 1/(N + 1),
    // so column j's dC is (rows keeping it) / (N + 1) - 1 for its own label.
    void hardNegativeTiesGoToLowerColumns_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("hard");
        QTest::newRow("heap") << 6 << 2;
        QTest::newRow("threshold") << 50 << 40;
    }

    void hardNegativeTiesGoToLowerColumns() {
        QFETCH(int, rows);
        QFETCH(int, hard);
        const RowMatrix q = RowMatrix::Ones(rows, 4);
        const RowMatrix c = RowMatrix::Ones(rows, 4);
        std::vector<std::int32_t> ids(static_cast<std::size_t>(rows));
        std::iota(ids.begin(), ids.end(), 0);
        RowMatrix dQ, dC;
        RetrievalTaskLoss loss(options(1.0, LogQCorrection::Off, false, hard), 1);
        const double value = loss.forwardBackward(q, c, ids, {}, dQ, dC);
        QVERIFY(std::abs(value - rows * std::log(hard + 1.0)) < 1e-4);
        std::vector<double> expected(static_cast<std::size_t>(rows), 0.0);
        for (int i = 0; i < rows; ++i) {
            int taken = 0;
            for (int j = 0; j < rows && taken < hard; ++j) {
                if (j != i) {
                    expected[static_cast<std::size_t>(j)] += 1.0 / (hard + 1);
                    ++taken;
                }
            }
            expected[static_cast<std::size_t>(i)] += 1.0 / (hard + 1) - 1.0;
        }
        for (int j = 0; j < rows; ++j) {
            QVERIFY2(std::abs(dC(j, 0) - expected[static_cast<std::size_t>(j)]) < 1e-5,
                     qPrintable(QString("column %1: %2").arg(j).arg(dC(j, 0))));
        }
    }
};

QTEST_GUILESS_MAIN(TestRetrievalTaskLoss)
#include "test_train_retrieval_task_loss.moc"
