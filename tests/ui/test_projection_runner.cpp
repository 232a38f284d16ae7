// The projection runner at sizes where t-SNE maps a subsample, and cancelling it while the
// affinities are computed (the phase before the first iteration).

#include "controllers/projection_runner.hpp"

#include "util/random.hpp"

#include <QSignalSpy>
#include <QtTest>

using namespace towerlab;

namespace {

// n points in 8-D around four centres.
RowMatrix clusteredPoints(int n, std::uint64_t seed) {
    Random random(seed);
    RowMatrix points(n, 8);
    for (int i = 0; i < n; ++i) {
        for (int d = 0; d < 8; ++d) {
            points(i, d) = static_cast<float>(random.normal() + (d == i % 4 ? 8.0 : 0.0));
        }
    }
    return points;
}

} // namespace

class TestProjectionRunner : public QObject {
    Q_OBJECT

private slots:
    void aLargeSetMapsItsHeaviestPointsAndSaysSo() {
        ProjectionRunner runner;
        QSignalSpy finished(&runner, &ProjectionRunner::finished);
        QSignalSpy progress(&runner, &ProjectionRunner::progress);
        ProjectionRequest request;
        request.method = ProjectionMethod::Tsne;
        request.points = clusteredPoints(700, 1);
        request.iterations = 300;
        request.threads = 1;
        request.tsnePointLimit = 650;
        request.tsneWeights.resize(700);
        for (int i = 0; i < 700; ++i) {
            request.tsneWeights[static_cast<std::size_t>(i)] = i; // the last 650 are mapped
        }
        request.pointsNoun = QStringLiteral("movies");
        request.weightedBy = QStringLiteral("most-rated");
        runner.start(request);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        const auto result = finished.at(0).at(0).value<ProjectionResult>();
        QCOMPARE(result.xy.rows(), Eigen::Index(700));
        QVERIFY(result.xy.allFinite());
        QCOMPARE(result.subsampleNote,
                 QString("t-SNE mapped the 650 most-rated of the 700 movies (more than 30,000 "
                         "points take over a minute here); the other 50 sit at the median of "
                         "their 10 nearest mapped movies."));
        QVERIFY2(result.summary.endsWith(result.subsampleNote), qPrintable(result.summary));
        bool placing = false;
        for (const auto& args : progress) {
            placing = placing || args.at(2).toString().contains("placing the other 50 points");
        }
        QVERIFY(placing);

        // The full run (limit 0) maps all of them and says nothing of a subsample.
        request.tsnePointLimit = 0;
        runner.start(request);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 60000);
        const auto full = finished.at(1).at(0).value<ProjectionResult>();
        QCOMPARE(full.xy.rows(), Eigen::Index(700));
        QVERIFY(full.subsampleNote.isEmpty());
        QVERIFY(!full.summary.contains("mapped the"));
    }

    // 20,000 points: the neighbour search takes seconds, reports its progress, and a cancel
    // during it ends the run before the first iteration.
    void cancelDuringTheAffinities() {
        ProjectionRunner runner;
        QSignalSpy cancelled(&runner, &ProjectionRunner::cancelled);
        QSignalSpy finished(&runner, &ProjectionRunner::finished);
        bool searching = false;
        bool iterated = false;
        connect(&runner, &ProjectionRunner::progress, this,
                [&](int done, int total, const QString& text) {
                    if (text.contains("nearest neighbours") && done > 0) {
                        QCOMPARE(total, 20000);
                        if (!searching) {
                            searching = true;
                            runner.cancel();
                        }
                    }
                    iterated = iterated || text.contains("iteration");
                });
        ProjectionRequest request;
        request.method = ProjectionMethod::Tsne;
        request.points = clusteredPoints(20000, 2);
        request.threads = 2;
        request.tsnePointLimit = 0;
        runner.start(request);
        QTRY_VERIFY_WITH_TIMEOUT(searching, 60000);
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 1, 10000);
        QCOMPARE(finished.size(), 0);
        QVERIFY(!iterated);
        QVERIFY(!runner.isRunning());
    }
};

QTEST_MAIN(TestProjectionRunner)
#include "test_projection_runner.moc"
