// Procrustes alignment: a rotated, mirrored, scaled and moved copy is put back exactly.

#include "projection/alignment.hpp"

#include "util/random.hpp"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>

using namespace towerlab;

Q_DECLARE_METATYPE(towerlab::RowMatrix)

namespace {

RowMatrix randomPoints(int n, int d, std::uint64_t seed) {
    Random random(seed);
    RowMatrix m(n, d);
    for (Eigen::Index k = 0; k < m.size(); ++k) {
        m.data()[k] = static_cast<float>(random.normal());
    }
    return m;
}

Eigen::Matrix2f rotation(double angle) {
    Eigen::Matrix2f r;
    r << static_cast<float>(std::cos(angle)), static_cast<float>(-std::sin(angle)),
        static_cast<float>(std::sin(angle)), static_cast<float>(std::cos(angle));
    return r;
}

double squaredDistance(const RowMatrix& a, const RowMatrix& b) {
    return (a.cast<double>() - b.cast<double>()).squaredNorm();
}

} // namespace

class TestProjectionAlignment : public QObject {
    Q_OBJECT

private slots:
    void recoversASimilarityTransform_data() {
        QTest::addColumn<double>("angle");
        QTest::addColumn<bool>("mirror");
        QTest::addColumn<float>("scale");
        QTest::newRow("rotated") << 0.7 << false << 1.0f;
        QTest::newRow("rotated, mirrored, scaled") << 2.2 << true << 2.5f;
        QTest::newRow("half turn, shrunk") << 3.14159 << false << 0.1f;
        QTest::newRow("mirrored only") << 0.0 << true << 1.0f;
    }

    void recoversASimilarityTransform() {
        QFETCH(double, angle);
        QFETCH(bool, mirror);
        QFETCH(float, scale);
        const RowMatrix previous = randomPoints(50, 2, 11);
        Eigen::Matrix2f transform = rotation(angle);
        if (mirror) {
            transform.col(1) *= -1.0f;
        }
        RowMatrix current = scale * previous * transform;
        current.rowwise() += Eigen::RowVector2f(3.0f, -4.0f);
        alignTo(previous, current);
        QVERIFY2((current - previous).cwiseAbs().maxCoeff() < 1e-4f,
                 qPrintable(QString::number((current - previous).cwiseAbs().maxCoeff())));
    }

    // A query marker projected with the points must land where the same transform puts it.
    void companionsFollowTheTransform() {
        const RowMatrix all = randomPoints(41, 2, 5);
        const RowMatrix previous = all.topRows(40);
        const RowMatrix marker = all.bottomRows(1);
        Eigen::Matrix2f transform = rotation(1.1);
        transform.col(0) *= -1.0f;
        RowMatrix current = 1.7f * previous * transform;
        current.rowwise() += Eigen::RowVector2f(-2.0f, 5.0f);
        RowMatrix companion = 1.7f * marker * transform;
        companion.rowwise() += Eigen::RowVector2f(-2.0f, 5.0f);
        alignTo(previous, current, companion);
        QVERIFY((current - previous).cwiseAbs().maxCoeff() < 1e-4f);
        QVERIFY2((companion - marker).cwiseAbs().maxCoeff() < 1e-4f,
                 qPrintable(QString::number((companion - marker).cwiseAbs().maxCoeff())));
        RowMatrix wrongWidth(1, 3);
        wrongWidth.setZero();
        QVERIFY_THROWS_EXCEPTION(ProjectionError, alignTo(previous, current, wrongWidth));
    }

    void worksInThreeDimensions() {
        const RowMatrix previous = randomPoints(30, 3, 4);
        // An orthogonal 3x3 with a reflection (determinant -1): a permutation with one sign flip.
        Eigen::Matrix3f q;
        q << 0, 1, 0, 0, 0, -1, 1, 0, 0;
        q.col(0) *= -1.0f;
        RowMatrix current = 0.5f * previous * q;
        current.rowwise() += Eigen::RowVector3f(1, 2, 3);
        alignTo(previous, current);
        QVERIFY((current - previous).cwiseAbs().maxCoeff() < 1e-4f);
    }

    void noisyCopyGetsTheLeastSquaresFit() {
        // Any small change of the fitted rotation, scale or offset must not reduce the error.
        const RowMatrix previous = randomPoints(80, 2, 21);
        RowMatrix current = 1.7f * previous * rotation(1.0) + 0.2f * randomPoints(80, 2, 22);
        alignTo(previous, current);
        const double best = squaredDistance(current, previous);
        const Eigen::RowVector2f centre = current.colwise().mean();
        for (double d : {-0.01, 0.01}) {
            RowMatrix turned = current.rowwise() - centre;
            turned = turned * rotation(d);
            turned.rowwise() += centre;
            QVERIFY(squaredDistance(turned, previous) > best);
            RowMatrix scaled = current.rowwise() - centre;
            scaled *= static_cast<float>(1.0 + d);
            scaled.rowwise() += centre;
            QVERIFY(squaredDistance(scaled, previous) > best);
            RowMatrix moved = current;
            moved.col(0).array() += static_cast<float>(d);
            QVERIFY(squaredDistance(moved, previous) > best);
        }
    }

    void alignedInputIsLeftAlone() {
        const RowMatrix previous = randomPoints(20, 2, 5);
        RowMatrix current = previous;
        alignTo(previous, current);
        QVERIFY((current - previous).cwiseAbs().maxCoeff() < 1e-5f);
    }

    void collapsedCurrentOnlyMoves() {
        // No spread means no rotation or scale to fit: the points go to previous's centre.
        const RowMatrix previous = randomPoints(10, 2, 6);
        RowMatrix current = RowMatrix::Constant(10, 2, 4.0f);
        alignTo(previous, current);
        const Eigen::RowVector2f centre = previous.colwise().mean();
        for (int i = 0; i < 10; ++i) {
            QVERIFY((current.row(i) - centre).norm() < 1e-6f);
        }
    }

    void badInput_data() {
        QTest::addColumn<RowMatrix>("previous");
        QTest::addColumn<RowMatrix>("current");
        RowMatrix withNan = RowMatrix::Ones(4, 2);
        withNan(2, 0) = std::numeric_limits<float>::quiet_NaN();
        QTest::newRow("rows differ")
            << RowMatrix(RowMatrix::Ones(4, 2)) << RowMatrix(RowMatrix::Ones(5, 2));
        QTest::newRow("columns differ")
            << RowMatrix(RowMatrix::Ones(4, 2)) << RowMatrix(RowMatrix::Ones(4, 3));
        QTest::newRow("empty") << RowMatrix(0, 2) << RowMatrix(0, 2);
        QTest::newRow("NaN") << RowMatrix(RowMatrix::Ones(4, 2)) << withNan;
    }

    void badInput() {
        QFETCH(RowMatrix, previous);
        QFETCH(RowMatrix, current);
        const RowMatrix before = current;
        QVERIFY_THROWS_EXCEPTION(ProjectionError, alignTo(previous, current));
        // Untouched on failure (compared bit for bit: a NaN is not equal to itself).
        QCOMPARE(current.size(), before.size());
        QVERIFY(before.size() == 0 ||
                std::memcmp(current.data(), before.data(), sizeof(float) * before.size()) == 0);
    }
};

QTEST_APPLESS_MAIN(TestProjectionAlignment)
#include "test_projection_alignment.moc"
