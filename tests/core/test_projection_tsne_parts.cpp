// The pieces of t-SNE on their own: perplexity calibration, the affinity matrices and the
// Barnes-Hut quadtree against brute force.

#include "projection/quadtree.hpp"
#include "projection/tsne_affinities.hpp"

#include "util/random.hpp"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

using namespace towerlab;
using namespace towerlab::detail;

namespace {

RowMatrixD randomPoints(int n, int d, std::uint64_t seed) {
    Random random(seed);
    RowMatrixD m(n, d);
    for (Eigen::Index k = 0; k < m.size(); ++k) {
        m.data()[k] = random.normal();
    }
    return m;
}

// Brute-force z_i and F_repel,i.
void bruteForce(const Embedding& y, Eigen::VectorXd& z, Embedding& force) {
    const Eigen::Index n = y.rows();
    z.setZero(n);
    force.setZero(n, 2);
    for (Eigen::Index i = 0; i < n; ++i) {
        for (Eigen::Index j = 0; j < n; ++j) {
            if (j != i) {
                const double dx = y(i, 0) - y(j, 0), dy = y(i, 1) - y(j, 1);
                const double w = 1.0 / (1.0 + dx * dx + dy * dy);
                z(i) += w;
                force(i, 0) += w * w * dx;
                force(i, 1) += w * w * dy;
            }
        }
    }
}

void treeForces(const Embedding& y, double theta, Eigen::VectorXd& z, Embedding& force) {
    QuadTree tree;
    tree.build(y);
    QuadTree::Workspace workspace;
    z.setConstant(y.rows(), std::nan(""));
    force.setConstant(y.rows(), 2, std::nan(""));
    for (int leaf = 0; leaf < tree.leafCount(); ++leaf) {
        tree.leafRepulsion(leaf, theta, workspace, z, force);
    }
}

// The neighbour search as it was before the blocked, heap-based one: every row's distances in
// one GEMM over all columns, then a partial sort of all of them. The new search must give the
// same neighbours with the same bits, so the affinities (and every map) stay as they were.
Neighbours wholeRowNeighbours(const RowMatrixD& x, int k) {
    const Eigen::Index n = x.rows();
    const Eigen::VectorXd norms = x.rowwise().squaredNorm();
    Neighbours out;
    out.k = k;
    for (Eigen::Index begin = 0; begin < n; begin += 64) {
        const Eigen::Index rows = std::min<Eigen::Index>(64, n - begin);
        RowMatrixD d(rows, n);
        d.noalias() = -2.0 * x.middleRows(begin, rows) * x.transpose();
        d.rowwise() += norms.transpose();
        d.colwise() += norms.segment(begin, rows);
        d = d.cwiseMax(0.0);
        for (Eigen::Index i = begin; i < begin + rows; ++i) {
            const double* row = d.row(i - begin).data();
            std::vector<int> order;
            for (int j = 0; j < n; ++j) {
                if (j != i) {
                    order.push_back(j);
                }
            }
            const auto closer = [row](int a, int b) {
                return row[a] < row[b] || (row[a] == row[b] && a < b);
            };
            std::partial_sort(order.begin(), order.begin() + k, order.end(), closer);
            for (int c = 0; c < k; ++c) {
                out.index.push_back(order[c]);
                out.d2.push_back(row[order[c]]);
            }
        }
    }
    return out;
}

bool nearlySame(const std::vector<double>& a, const std::vector<double>& b, double relative) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::abs(a[i] - b[i]) > relative * std::max(std::abs(a[i]), std::abs(b[i]))) {
            return false;
        }
    }
    return true;
}

// Clustered points with exact duplicates and a far outlier: the awkward cases for a quadtree.
Embedding awkwardEmbedding() {
    Random random(17);
    Embedding y(700, 2);
    for (int i = 0; i < 650; ++i) {
        const int c = static_cast<int>(random.below(5));
        y(i, 0) = 20.0 * c + random.normal();
        y(i, 1) = 5.0 * (c % 2) + random.normal();
    }
    for (int i = 650; i < 699; ++i) {
        y.row(i) = y.row(i - 650); // duplicates
    }
    y.row(699) << 1e4, -1e4;
    return y;
}

} // namespace

class TestProjectionTsneParts : public QObject {
    Q_OBJECT

private slots:
    void calibrationHitsThePerplexity_data() {
        QTest::addColumn<double>("perplexity");
        QTest::addColumn<int>("count");
        QTest::newRow("30 of 91") << 30.0 << 91;
        QTest::newRow("5 of 200") << 5.0 << 200;
        QTest::newRow("2 of 3") << 2.0 << 3;
    }

    void calibrationHitsThePerplexity() {
        QFETCH(double, perplexity);
        QFETCH(int, count);
        Random random(3);
        std::vector<double> d2(count), p(count);
        for (double& d : d2) {
            d = 1000.0 + 50.0 * random.uniformDouble(); // far away: exp() alone would underflow
        }
        const double beta = calibrateRow(d2.data(), count, perplexity, p.data());
        QVERIFY(beta > 0.0);
        double sum = 0.0, entropy = 0.0;
        for (double v : p) {
            sum += v;
            entropy -= v > 0.0 ? v * std::log(v) : 0.0;
        }
        QVERIFY(std::abs(sum - 1.0) < 1e-12);
        QVERIFY2(std::abs(entropy - std::log(perplexity)) < 1e-4,
                 qPrintable(QString("entropy %1").arg(entropy)));
        // Nearer neighbours are likelier.
        for (int j = 0; j < count; ++j) {
            for (int k = 0; k < count; ++k) {
                if (d2[j] < d2[k]) {
                    QVERIFY(p[j] >= p[k]);
                }
            }
        }
    }

    void sparseAffinitiesAreASymmetricDistribution() {
        const RowMatrixD x = randomPoints(150, 6, 2);
        const SparseAffinities p = sparseAffinities(x, 10.0, 31, 2);
        QCOMPARE(int(p.rowStart.size()), 151);
        double total = 0.0;
        for (int i = 0; i < 150; ++i) {
            QVERIFY(p.rowStart[i + 1] - p.rowStart[i] >= 31); // its own neighbours at least
            for (int e = p.rowStart[i]; e < p.rowStart[i + 1]; ++e) {
                const int j = p.column[e];
                QVERIFY(j != i);
                if (e > p.rowStart[i]) {
                    QVERIFY(p.column[e - 1] < j);
                }
                // p_ij = p_ji
                const auto first = p.column.begin() + p.rowStart[j];
                const auto last = p.column.begin() + p.rowStart[j + 1];
                const auto it = std::lower_bound(first, last, i);
                QVERIFY(it != last && *it == i);
                QCOMPARE(p.value[it - p.column.begin()], p.value[e]);
                total += p.value[e];
            }
        }
        QVERIFY(std::abs(total - 1.0) < 1e-12);
        // The same with one thread.
        const SparseAffinities serial = sparseAffinities(x, 10.0, 31, 1);
        QVERIFY(serial.column == p.column && serial.value == p.value);
    }

    // Up to 2,049 points a row is one column block (2,049: the last block of one column joins
    // the one before): the same neighbours as the whole-row search, and the same distances.
    // Bit for bit only where this test and the engine are compiled alike (the native build);
    // the default build's engine is compiled for x86-64-v4 (FMA) and this test for baseline
    // x86-64, which rounds the reference's sums differently, so the distances are held to
    // 1e-12 relative. (Beyond 2,049, a block boundary may change a distance's last bit too;
    // neighboursBreakTiesByIndex checks larger sizes exactly.)
    void neighboursMatchTheWholeRowSearch_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("dims");
        QTest::addColumn<int>("k");
        QTest::newRow("150 x 6, k 31") << 150 << 6 << 31;
        QTest::newRow("1682 x 32, k 91") << 1682 << 32 << 91;
        QTest::newRow("2049 x 32, k 91") << 2049 << 32 << 91;
        QTest::newRow("3 x 2, k 2") << 3 << 2 << 2;
    }

    void neighboursMatchTheWholeRowSearch() {
        QFETCH(int, n);
        QFETCH(int, dims);
        QFETCH(int, k);
        const RowMatrixD x = randomPoints(n, dims, 11);
        const Neighbours expected = wholeRowNeighbours(x, k);
        for (const int threads : {1, 2}) {
            const Neighbours got = nearestNeighbours(x, k, threads);
            QCOMPARE(got.k, k);
            QVERIFY(got.index == expected.index);
            QVERIFY(nearlySame(got.d2, expected.d2, 1e-12));
        }
    }

    // Integer points, so every distance is exact whatever the order of the sums, and many are
    // equal: the neighbours are the k first by (distance, index), duplicates included. The
    // grid is hand-made (ties everywhere); the random one spans three column blocks.
    void neighboursBreakTiesByIndex_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("k");
        QTest::newRow("6 x 6 grid and 10 duplicates, k 9") << 0 << 9;
        QTest::newRow("4300 random in {0..3}^8, k 91") << 4300 << 91;
    }

    void neighboursBreakTiesByIndex() {
        QFETCH(int, n);
        QFETCH(int, k);
        RowMatrixD x;
        if (n == 0) {
            x.resize(46, 3);
            for (int r = 0; r < 36; ++r) {
                x.row(r) << r / 6, r % 6, 0.0;
            }
            for (int r = 36; r < 46; ++r) {
                x.row(r) = x.row(3 * (r - 36)); // exact duplicates
            }
        } else {
            Random random(8);
            x.resize(n, 8);
            for (Eigen::Index c = 0; c < x.size(); ++c) {
                x.data()[c] = static_cast<double>(random.below(4));
            }
        }
        const Neighbours got = nearestNeighbours(x, k, 2);
        for (Eigen::Index i = 0; i < x.rows(); ++i) {
            std::vector<std::tuple<double, int>> all;
            for (Eigen::Index j = 0; j < x.rows(); ++j) {
                if (j != i) {
                    all.emplace_back((x.row(i) - x.row(j)).squaredNorm(), static_cast<int>(j));
                }
            }
            std::partial_sort(all.begin(), all.begin() + k, all.end());
            for (int c = 0; c < k; ++c) {
                const auto at = static_cast<std::size_t>(i * k + c);
                if (got.index[at] != std::get<1>(all[static_cast<std::size_t>(c)]) ||
                    got.d2[at] != std::get<0>(all[static_cast<std::size_t>(c)])) {
                    QFAIL(qPrintable(QString("point %1, neighbour %2: got %3 at %4, expected "
                                             "%5 at %6")
                                         .arg(i)
                                         .arg(c)
                                         .arg(got.index[at])
                                         .arg(got.d2[at])
                                         .arg(std::get<1>(all[static_cast<std::size_t>(c)]))
                                         .arg(std::get<0>(all[static_cast<std::size_t>(c)]))));
                }
            }
        }
    }

    void neighbourSearchReportsProgressAndStopsOnCancel() {
        const RowMatrixD x = randomPoints(6400, 8, 4); // 100 blocks of 64 rows
        std::vector<Eigen::Index> reports;
        RowMonitor monitor;
        monitor.progress = [&reports](Eigen::Index done, Eigen::Index total) {
            QCOMPARE(total, Eigen::Index(6400));
            reports.push_back(done);
        };
        nearestNeighbours(x, 10, 1, monitor);
        QCOMPARE(int(reports.size()), 100); // one thread: it reports every block
        QCOMPARE(reports.back(), Eigen::Index(6400));
        QVERIFY(std::is_sorted(reports.begin(), reports.end()));

        std::atomic<bool> cancel{false};
        reports.clear();
        monitor.cancel = &cancel;
        monitor.progress = [&reports, &cancel](Eigen::Index done, Eigen::Index) {
            reports.push_back(done);
            if (reports.size() == 3) {
                cancel.store(true);
            }
        };
        const SparseAffinities p = sparseAffinities(x, 3.0, 10, 1, monitor);
        QCOMPARE(int(reports.size()), 3); // no block starts after the flag
        QVERIFY(p.rowStart.empty());      // and no affinities come out of a part
    }

    void denseAffinitiesAreASymmetricDistribution() {
        const RowMatrixD x = randomPoints(80, 4, 5);
        const Eigen::MatrixXd p = denseAffinities(x, 12.0, 2);
        QVERIFY((p - p.transpose()).cwiseAbs().maxCoeff() == 0.0);
        QVERIFY(p.diagonal().isZero(0.0));
        QVERIFY(std::abs(p.sum() - 1.0) < 1e-9);
        QVERIFY((p.array() >= 0.0).all());
        // With every neighbour, the sparse matrix is the dense one (up to rounding).
        const SparseAffinities s = sparseAffinities(x, 12.0, 79, 2);
        for (int i = 0; i < 80; ++i) {
            for (int e = s.rowStart[i]; e < s.rowStart[i + 1]; ++e) {
                QVERIFY(std::abs(s.value[e] - p(i, s.column[e])) < 1e-12);
            }
        }
    }

    void treeWithThetaZeroIsExact() {
        const Embedding y = awkwardEmbedding();
        Eigen::VectorXd z, zb;
        Embedding f, fb;
        treeForces(y, 0.0, z, f);
        bruteForce(y, zb, fb);
        QVERIFY(((z - zb).array().abs() / zb.array()).maxCoeff() < 1e-12);
        QVERIFY((f - fb).norm() < 1e-12 * fb.norm());
    }

    void treeApproximationIsClose_data() {
        QTest::addColumn<double>("theta");
        QTest::addColumn<double>("tolerance");
        QTest::newRow("0.5") << 0.5 << 0.02;
        QTest::newRow("0.9 (cells near a point are checked)") << 0.9 << 0.08;
    }

    void treeApproximationIsClose() {
        QFETCH(double, theta);
        QFETCH(double, tolerance);
        const Embedding y = awkwardEmbedding();
        Eigen::VectorXd z, zb;
        Embedding f, fb;
        treeForces(y, theta, z, f);
        bruteForce(y, zb, fb);
        QVERIFY(z.allFinite() && f.allFinite());
        const double zError = ((z - zb).array().abs() / zb.array()).maxCoeff();
        const double fError = (f - fb).norm() / fb.norm();
        QVERIFY2(zError < tolerance && fError < tolerance,
                 qPrintable(QString("z %1, force %2").arg(zError).arg(fError)));
    }

    void coincidentPointsShareALeaf() {
        const Embedding y = Embedding::Constant(50, 2, 3.0);
        Eigen::VectorXd z;
        Embedding f;
        treeForces(y, 0.5, z, f);
        for (int i = 0; i < 50; ++i) {
            QCOMPARE(z(i), 49.0); // w = 1 from each other point, none from itself
            QCOMPARE(f(i, 0), 0.0);
            QCOMPARE(f(i, 1), 0.0);
        }
    }

    void rebuildingReusesTheTree() {
        QuadTree tree;
        const Embedding a = awkwardEmbedding();
        tree.build(a);
        const int nodes = tree.nodeCount();
        tree.build(a * 2.0 + Embedding::Ones(a.rows(), 2));
        QCOMPARE(tree.nodeCount(), nodes); // a similar map: the same shape
    }
};

QTEST_APPLESS_MAIN(TestProjectionTsneParts)
#include "test_projection_tsne_parts.moc"
