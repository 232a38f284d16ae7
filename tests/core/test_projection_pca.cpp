// PCA on hand-made point sets whose components and variances are known in closed form.

#include "nn/tensor.hpp"
#include "projection/pca.hpp"

#include <QtTest>

#include <cmath>
#include <limits>
#include <numbers>
#include <type_traits>

using namespace towerlab;

Q_DECLARE_METATYPE(towerlab::RowMatrix)

// The module spells out RowMatrix itself (it must not depend on nn); it has to stay the same
// type as the engine's so embeddings pass in without a copy.
static_assert(std::is_same_v<
              RowMatrix, Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>);

namespace {

bool near(double a, double b, double tolerance = 1e-5) {
    return std::abs(a - b) <= tolerance;
}

// M points on the ellipse (3 cos t, sin t), rotated by `angle` and moved to (5, -2).
RowMatrix ellipse(int m, double angle) {
    RowMatrix points(m, 2);
    const double c = std::cos(angle), s = std::sin(angle);
    for (int i = 0; i < m; ++i) {
        const double t = 2.0 * std::numbers::pi * i / m;
        const double u = 3.0 * std::cos(t), v = std::sin(t);
        points(i, 0) = static_cast<float>(5.0 + c * u - s * v);
        points(i, 1) = static_cast<float>(-2.0 + s * u + c * v);
    }
    return points;
}

} // namespace

class TestProjectionPca : public QObject {
    Q_OBJECT

private slots:
    void pointsOnALine() {
        // (t, 2t, -t) for t = -2..3: all variance along (1, 2, -1) / sqrt(6); var(t) = 3.5
        // (N - 1 denominator), so the first component's variance is 6 * 3.5 = 21.
        RowMatrix points(6, 3);
        for (int i = 0; i < 6; ++i) {
            const float t = static_cast<float>(i - 2);
            points.row(i) << t, 2 * t, -t;
        }
        const PcaResult r = pca(points, 2);
        const double s6 = std::sqrt(6.0);
        QVERIFY(near(r.components(0, 0), 1 / s6));
        QVERIFY(near(r.components(0, 1), 2 / s6)); // the largest loading, made positive
        QVERIFY(near(r.components(0, 2), -1 / s6));
        QVERIFY(near(r.explainedVariance(0), 21.0, 1e-4));
        QVERIFY(near(r.explainedVariance(1), 0.0, 1e-9));
        QVERIFY(near(r.explainedVarianceRatio(0), 1.0, 1e-9));
        QVERIFY(near(r.explainedVarianceRatio(1), 0.0, 1e-9));
        QVERIFY(near(r.components.row(0).dot(r.components.row(1)), 0.0, 1e-9));
        QVERIFY(near(r.components.row(1).norm(), 1.0, 1e-9));
        QCOMPARE(r.mean.size(), Eigen::Index(3));
        QVERIFY(near(r.mean(0), 0.5) && near(r.mean(1), 1.0) && near(r.mean(2), -0.5));
        for (int i = 0; i < 6; ++i) {
            QVERIFY(near(r.projected(i, 0), (i - 2 - 0.5) * s6));
            QVERIFY(near(r.projected(i, 1), 0.0));
        }
    }

    void rotatedEllipse_data() {
        QTest::addColumn<double>("angle");
        QTest::newRow("axis-aligned") << 0.0;
        QTest::newRow("30 degrees") << std::numbers::pi / 6;
        QTest::newRow("-60 degrees") << -std::numbers::pi / 3;
    }

    void rotatedEllipse() {
        // 12 points evenly around the ellipse: sum cos^2 = sum sin^2 = 6, so the variances are
        // 9 * 6 / 11 along the major axis and 6 / 11 along the minor one.
        QFETCH(double, angle);
        const PcaResult r = pca(ellipse(12, angle), 2);
        QVERIFY(near(r.explainedVariance(0), 54.0 / 11.0, 1e-4));
        QVERIFY(near(r.explainedVariance(1), 6.0 / 11.0, 1e-4));
        QVERIFY(near(r.explainedVarianceRatio(0), 0.9, 1e-5));
        QVERIFY(near(r.explainedVarianceRatio(1), 0.1, 1e-5));
        QVERIFY(near(r.mean(0), 5.0) && near(r.mean(1), -2.0));
        // The major axis is +-(cos a, sin a); the sign makes the largest loading positive.
        Eigen::RowVector2d major(std::cos(angle), std::sin(angle));
        Eigen::RowVector2d minor(-std::sin(angle), std::cos(angle));
        for (Eigen::RowVector2d* axis : {&major, &minor}) {
            Eigen::Index largest = 0;
            axis->cwiseAbs().maxCoeff(&largest);
            if ((*axis)(largest) < 0) {
                *axis = -*axis;
            }
        }
        QVERIFY((r.components.row(0) - major).norm() < 1e-6);
        QVERIFY((r.components.row(1) - minor).norm() < 1e-6);
        // The projected coordinates have exactly the reported variances.
        const Eigen::MatrixXd p = r.projected.cast<double>();
        for (int c = 0; c < 2; ++c) {
            const double variance = (p.col(c).array() - p.col(c).mean()).square().sum() / 11.0;
            QVERIFY(near(variance, r.explainedVariance(c), 1e-4));
        }
    }

    void signDoesNotDependOnTheInputsOrientation() {
        // -X has the same covariance: the components must come out identical, the projection
        // mirrored.
        const RowMatrix points = ellipse(12, 0.4);
        const RowMatrix mirrored = -points;
        const PcaResult a = pca(points, 2);
        const PcaResult b = pca(mirrored, 2);
        QVERIFY((a.components - b.components).norm() < 1e-9);
        QVERIFY((a.projected + b.projected).norm() < 1e-4);
    }

    void transformMatchesTheFit() {
        RowMatrix points(5, 3);
        points << 1, 2, 0, 3, -1, 2, 0, 0, 1, 4, 2, -2, -1, 1, 3;
        const PcaResult r = pca(points, 3);
        QVERIFY((pcaTransform(r, points) - r.projected).norm() < 1e-5);
        // With all D components the total variance is accounted for.
        QVERIFY(near(r.explainedVarianceRatio.sum(), 1.0, 1e-9));
        QVERIFY(r.explainedVariance(0) >= r.explainedVariance(1));
        QVERIFY(r.explainedVariance(1) >= r.explainedVariance(2));
        QVERIFY_THROWS_EXCEPTION(ProjectionError, pcaTransform(r, RowMatrix::Zero(2, 2)));
    }

    void constantPointsHaveNoVariance() {
        const PcaResult r = pca(RowMatrix::Constant(4, 3, 2.5f), 2);
        QCOMPARE(r.explainedVariance(0), 0.0);
        QCOMPARE(r.explainedVarianceRatio(0), 0.0);
        QVERIFY(r.projected.isZero());
    }

    void badInput_data() {
        QTest::addColumn<RowMatrix>("points");
        QTest::addColumn<int>("components");
        RowMatrix withNan = RowMatrix::Ones(3, 2);
        withNan(1, 1) = std::numeric_limits<float>::quiet_NaN();
        RowMatrix withInf = RowMatrix::Ones(3, 2);
        withInf(2, 0) = std::numeric_limits<float>::infinity();
        QTest::newRow("one point") << RowMatrix(RowMatrix::Ones(1, 3)) << 1;
        QTest::newRow("no columns") << RowMatrix(3, 0) << 1;
        QTest::newRow("NaN") << withNan << 1;
        QTest::newRow("infinity") << withInf << 1;
        QTest::newRow("zero components") << RowMatrix(RowMatrix::Ones(3, 2)) << 0;
        QTest::newRow("more components than dimensions") << RowMatrix(RowMatrix::Ones(3, 2)) << 3;
    }

    void badInput() {
        QFETCH(RowMatrix, points);
        QFETCH(int, components);
        QVERIFY_THROWS_EXCEPTION(ProjectionError, pca(points, components));
    }
};

QTEST_APPLESS_MAIN(TestProjectionPca)
#include "test_projection_pca.moc"
