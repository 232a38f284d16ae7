// t-SNE end to end: well-separated clusters stay separated (exact and Barnes-Hut), runs are
// reproducible for a seed and any thread count, progress and cancellation behave.

#include "projection/trustworthiness.hpp"
#include "projection/tsne.hpp"

#include "util/random.hpp"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <vector>

using namespace towerlab;

namespace {

// Three Gaussian clusters (unit variance) in 10-D with centres 10 apart along three axes.
struct Clusters {
    RowMatrix points;
    std::vector<int> label;
};

Clusters threeClusters(int perCluster, std::uint64_t seed) {
    Random random(seed);
    Clusters c;
    c.points.resize(3 * perCluster, 10);
    for (int i = 0; i < 3 * perCluster; ++i) {
        const int k = i % 3;
        c.label.push_back(k);
        for (int d = 0; d < 10; ++d) {
            c.points(i, d) = static_cast<float>(random.normal() + (d == k ? 10.0 : 0.0));
        }
    }
    return c;
}

// Every point is nearer its own cluster's centroid in the map than any other centroid.
bool separated(const RowMatrix& map, const std::vector<int>& label) {
    Eigen::Matrix<double, 3, 2> centroid = Eigen::Matrix<double, 3, 2>::Zero();
    Eigen::Vector3d count = Eigen::Vector3d::Zero();
    for (Eigen::Index i = 0; i < map.rows(); ++i) {
        centroid.row(label[i]) += map.row(i).cast<double>();
        count(label[i]) += 1.0;
    }
    centroid.array().colwise() /= count.array();
    for (Eigen::Index i = 0; i < map.rows(); ++i) {
        Eigen::Index nearest = 0;
        (centroid.rowwise() - map.row(i).cast<double>()).rowwise().squaredNorm().minCoeff(&nearest);
        if (nearest != label[i]) {
            return false;
        }
    }
    return true;
}

bool identical(const RowMatrix& a, const RowMatrix& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0;
}

struct Recorder final : TsneProgress {
    std::vector<TsneIteration> reports;
    std::atomic<bool>* cancel = nullptr;
    int cancelAt = -1;
    void onIteration(const TsneIteration& r) override {
        reports.push_back(r);
        if (r.iteration == cancelAt) {
            cancel->store(true);
        }
    }
};

// Sets the cancel flag at the first report of the neighbour search.
struct AffinityCanceller final : TsneProgress {
    std::atomic<bool>* cancel = nullptr;
    int affinityReports = 0;
    int iterations = 0;
    void onAffinities(long done, long total) override {
        QVERIFY(done > 0 && done <= total);
        ++affinityReports;
        cancel->store(true);
    }
    void onIteration(const TsneIteration&) override { ++iterations; }
};

struct Thrower final : TsneProgress {
    void onIteration(const TsneIteration& r) override {
        if (r.iteration == 3) {
            throw std::runtime_error("sink failed");
        }
    }
};

} // namespace

class TestProjectionTsne : public QObject {
    Q_OBJECT

private slots:
    void keepsClustersSeparated_data() {
        QTest::addColumn<int>("method");
        QTest::addColumn<int>("perCluster");
        QTest::newRow("exact") << int(TsneMethod::Exact) << 60;
        QTest::newRow("Barnes-Hut") << int(TsneMethod::BarnesHut) << 200;
        QTest::newRow("auto (exact below 600)") << int(TsneMethod::Auto) << 60;
    }

    void keepsClustersSeparated() {
        QFETCH(int, method);
        QFETCH(int, perCluster);
        const Clusters c = threeClusters(perCluster, 42);
        TsneOptions options;
        options.method = static_cast<TsneMethod>(method);
        const TsneResult r = tsne(c.points, options, nullptr, nullptr);
        QCOMPARE(r.outcome, TsneOutcome::Completed);
        QCOMPARE(r.iterations, 1000);
        QCOMPARE(r.method, options.method == TsneMethod::BarnesHut ? TsneMethod::BarnesHut
                                                                   : TsneMethod::Exact);
        QCOMPARE(r.learningRate, 50.0); // 'auto': max(N / 12 / 4, 50)
        QCOMPARE(r.embedding.rows(), c.points.rows());
        QCOMPARE(r.embedding.cols(), Eigen::Index(2));
        QVERIFY(r.embedding.allFinite());
        QVERIFY(r.klDivergence.has_value() && *r.klDivergence > 0.0);
        QVERIFY(separated(r.embedding, c.label));
        const double t = trustworthiness(c.points, r.embedding, 10);
        QVERIFY2(t >= 0.9, qPrintable(QString::number(t)));
    }

    void reproducibleForASeedAndAnyThreadCount_data() {
        QTest::addColumn<int>("method");
        QTest::addColumn<int>("perCluster");
        QTest::newRow("exact") << int(TsneMethod::Exact) << 40;
        QTest::newRow("Barnes-Hut") << int(TsneMethod::BarnesHut) << 150;
    }

    void reproducibleForASeedAndAnyThreadCount() {
        QFETCH(int, method);
        QFETCH(int, perCluster);
        const Clusters c = threeClusters(perCluster, 8);
        TsneOptions options;
        options.method = static_cast<TsneMethod>(method);
        options.iterations = 400;
        options.init = TsneInit::Random;
        options.seed = 7;
        options.threads = 1;
        const TsneResult one = tsne(c.points, options, nullptr, nullptr);
        options.threads = 2;
        const TsneResult two = tsne(c.points, options, nullptr, nullptr);
        const TsneResult again = tsne(c.points, options, nullptr, nullptr);
        QVERIFY(identical(one.embedding, two.embedding));
        QVERIFY(identical(two.embedding, again.embedding));
        QCOMPARE(*one.klDivergence, *two.klDivergence);
        // The seed matters for the random initialisation.
        options.seed = 8;
        const TsneResult other = tsne(c.points, options, nullptr, nullptr);
        QVERIFY(!identical(one.embedding, other.embedding));
    }

    void barnesHutWithThetaZeroMatchesExact() {
        // Perplexity 13 on 40 points gives 3 * 13 + 1 >= 39 neighbours, so the sparse P holds
        // every pair, and theta 0 opens every cell: both methods compute the same gradient,
        // only in a different order. (Few iterations: the early, exaggerated steps on so few
        // points are chaotic, and rounding differences would soon grow.)
        const Clusters c = threeClusters(14, 3);
        const RowMatrix points = c.points.topRows(40);
        TsneOptions options;
        options.perplexity = 13.0;
        options.iterations = 10;
        options.theta = 0.0;
        options.method = TsneMethod::Exact;
        const TsneResult exact = tsne(points, options, nullptr, nullptr);
        options.method = TsneMethod::BarnesHut;
        const TsneResult tree = tsne(points, options, nullptr, nullptr);
        const double scale = exact.embedding.cwiseAbs().maxCoeff();
        const double diff = (exact.embedding - tree.embedding).cwiseAbs().maxCoeff();
        QVERIFY2(diff < 1e-5 * scale, qPrintable(QString("%1 of %2").arg(diff).arg(scale)));
        QVERIFY(std::abs(*exact.klDivergence - *tree.klDivergence) < 1e-9);
    }

    void reportsEveryIterationWithKlEveryFifty() {
        const Clusters c = threeClusters(20, 1);
        TsneOptions options;
        options.iterations = 120;
        Recorder recorder;
        const TsneResult r = tsne(c.points, options, &recorder, nullptr);
        QCOMPARE(int(recorder.reports.size()), 120);
        for (int i = 0; i < 120; ++i) {
            const TsneIteration& report = recorder.reports[i];
            QCOMPARE(report.iteration, i + 1);
            QCOMPARE(report.iterations, 120);
            const bool expectKl = report.iteration % 50 == 0 || report.iteration == 120;
            QCOMPARE(report.klDivergence.has_value(), expectKl);
            if (i > 0) {
                QVERIFY(report.elapsedSeconds >= recorder.reports[i - 1].elapsedSeconds);
            }
        }
        QCOMPARE(*r.klDivergence, *recorder.reports.back().klDivergence);
    }

    void cancellationStopsAtTheNextIteration() {
        const Clusters c = threeClusters(30, 2);
        std::atomic<bool> cancel{false};
        Recorder recorder;
        recorder.cancel = &cancel;
        recorder.cancelAt = 10;
        const TsneResult r = tsne(c.points, TsneOptions{}, &recorder, &cancel);
        QCOMPARE(r.outcome, TsneOutcome::Cancelled);
        QCOMPARE(r.iterations, 10);
        QCOMPARE(int(recorder.reports.size()), 10);
        QVERIFY(!r.klDivergence.has_value()); // none computed before iteration 50
        QCOMPARE(r.embedding.rows(), c.points.rows());
        QVERIFY(r.embedding.allFinite());

        // Set before the start: no iteration runs and the initialisation comes back.
        const TsneResult none = tsne(c.points, TsneOptions{}, nullptr, &cancel);
        QCOMPARE(none.outcome, TsneOutcome::Cancelled);
        QCOMPARE(none.iterations, 0);
        QVERIFY(none.embedding.allFinite());
        QVERIFY(none.embedding.cwiseAbs().maxCoeff() < 1e-2f); // PCA init is tiny
    }

    void cancellationDuringTheAffinitiesStopsBeforeTheFirstIteration() {
        const Clusters c = threeClusters(300, 9); // 900 points: Barnes-Hut, 15 blocks
        std::atomic<bool> cancel{false};
        AffinityCanceller sink;
        sink.cancel = &cancel;
        TsneOptions options;
        options.threads = 1;
        const TsneResult r = tsne(c.points, options, &sink, &cancel);
        QCOMPARE(r.outcome, TsneOutcome::Cancelled);
        QCOMPARE(r.iterations, 0);
        QCOMPARE(sink.affinityReports, 1);
        QCOMPARE(sink.iterations, 0);
        QCOMPARE(r.embedding.rows(), c.points.rows());
        QVERIFY(r.embedding.allFinite());
    }

    void vanishingGradientEndsThePhaseItIsIn() {
        // As in scikit-learn: at the first check (iteration 50) the gradient is "small", which
        // ends the exaggeration phase; at the next check (100) it ends the run.
        const Clusters c = threeClusters(20, 4);
        TsneOptions options;
        options.minGradNorm = 1e9;
        Recorder recorder;
        const TsneResult r = tsne(c.points, options, &recorder, nullptr);
        QCOMPARE(r.outcome, TsneOutcome::Converged);
        QCOMPARE(r.iterations, 100);
        QCOMPARE(int(recorder.reports.size()), 100);
        for (const TsneIteration& report : recorder.reports) {
            QCOMPARE(report.exaggerated, report.iteration <= 50);
        }
    }

    void exaggerationLastsItsIterations() {
        const Clusters c = threeClusters(20, 4);
        TsneOptions options;
        options.iterations = 300;
        Recorder recorder;
        const TsneResult r = tsne(c.points, options, &recorder, nullptr);
        QCOMPARE(r.outcome, TsneOutcome::Completed);
        for (const TsneIteration& report : recorder.reports) {
            QCOMPARE(report.exaggerated, report.iteration <= 250);
        }
    }

    void progressSinkExceptionsPropagate() {
        const Clusters c = threeClusters(10, 5);
        TsneOptions options;
        options.perplexity = 5.0;
        Thrower thrower;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, tsne(c.points, options, &thrower, nullptr));
    }

    void explicitLearningRateIsUsed() {
        const Clusters c = threeClusters(10, 6);
        TsneOptions options;
        options.perplexity = 5.0;
        options.learningRate = 200.0;
        options.iterations = 5;
        QCOMPARE(tsne(c.points, options, nullptr, nullptr).learningRate, 200.0);
    }

    void badOptions_data() {
        QTest::addColumn<QString>("what");
        QTest::newRow("perplexity >= N") << "perplexity-n";
        QTest::newRow("perplexity 0") << "perplexity-0";
        QTest::newRow("learning rate 0") << "learning-rate";
        QTest::newRow("iterations 0") << "iterations";
        QTest::newRow("exaggeration below 1") << "exaggeration";
        QTest::newRow("negative exaggeration iterations") << "exaggeration-iterations";
        QTest::newRow("momentum 1") << "momentum";
        QTest::newRow("negative theta") << "theta";
        QTest::newRow("negative threads") << "threads";
        QTest::newRow("PCA init of 1-D points") << "one-column";
        QTest::newRow("one point") << "one-point";
        QTest::newRow("NaN point") << "nan";
    }

    void badOptions() {
        QFETCH(QString, what);
        RowMatrix points = threeClusters(4, 9).points; // 12 points
        TsneOptions o;
        o.perplexity = 5.0;
        if (what == "perplexity-n") {
            o.perplexity = 12.0;
        } else if (what == "perplexity-0") {
            o.perplexity = 0.0;
        } else if (what == "learning-rate") {
            o.learningRate = 0.0;
        } else if (what == "iterations") {
            o.iterations = 0;
        } else if (what == "exaggeration") {
            o.earlyExaggeration = 0.5;
        } else if (what == "exaggeration-iterations") {
            o.exaggerationIterations = -1;
        } else if (what == "momentum") {
            o.finalMomentum = 1.0;
        } else if (what == "theta") {
            o.theta = -0.1;
        } else if (what == "threads") {
            o.threads = -1;
        } else if (what == "one-column") {
            points = RowMatrix(points.leftCols(1));
        } else if (what == "one-point") {
            points = RowMatrix(points.topRows(1));
            o.perplexity = 0.5;
        } else if (what == "nan") {
            points(3, 2) = std::numeric_limits<float>::quiet_NaN();
        }
        QVERIFY_THROWS_EXCEPTION(ProjectionError, tsne(points, o, nullptr, nullptr));
    }

    void oneColumnWorksWithRandomInit() {
        RowMatrix points(12, 1);
        for (int i = 0; i < 12; ++i) {
            points(i, 0) = static_cast<float>(i < 6 ? i : 100 + i);
        }
        TsneOptions o;
        o.perplexity = 3.0;
        o.init = TsneInit::Random;
        const TsneResult r = tsne(points, o, nullptr, nullptr);
        QVERIFY(r.embedding.allFinite());
        std::vector<int> label(12);
        for (int i = 0; i < 12; ++i) {
            label[i] = i < 6 ? 0 : 1;
        }
        // Two groups far apart on the line stay apart: a 2-cluster version of separated().
        const Eigen::RowVector2f a = r.embedding.topRows(6).colwise().mean();
        const Eigen::RowVector2f b = r.embedding.bottomRows(6).colwise().mean();
        for (int i = 0; i < 12; ++i) {
            const float da = (r.embedding.row(i) - a).norm();
            const float db = (r.embedding.row(i) - b).norm();
            QVERIFY(label[i] == 0 ? da < db : db < da);
        }
    }
};

QTEST_APPLESS_MAIN(TestProjectionTsne)
#include "test_projection_tsne.moc"
