// Round ticks for value axes: steps of 1, 2 or 5 x 10^k, ticks at multiples of the step (zero
// among them), and a label format that prints each tick exactly.

#include "charts/nice_ticks.hpp"

#include <QtCharts/QValueAxis>
#include <QtTest>

#include <cmath>
#include <limits>

using namespace towerlab;

class TestNiceTicks : public QObject {
    Q_OBJECT

private slots:
    void handPickedRanges_data() {
        QTest::addColumn<double>("low");
        QTest::addColumn<double>("high");
        QTest::addColumn<double>("min");
        QTest::addColumn<double>("max");
        QTest::addColumn<double>("step");
        QTest::addColumn<int>("decimals");
        QTest::newRow("both signs") << -0.47 << 1.23 << -0.5 << 1.5 << 0.5 << 1;
        QTest::newRow("tens") << 0.0 << 37.0 << 0.0 << 40.0 << 10.0 << 0;
        QTest::newRow("hundredths") << -0.031 << 0.052 << -0.05 << 0.1 << 0.05 << 2;
        QTest::newRow("negative only") << -5.3 << 0.0 << -6.0 << 0.0 << 2.0 << 0;
        QTest::newRow("one value") << 0.0 << 0.0 << -0.5 << 0.5 << 0.5 << 1;
        QTest::newRow("reversed") << 1.0 << -1.0 << -1.0 << 1.0 << 0.5 << 1;
    }
    void handPickedRanges() {
        QFETCH(double, low);
        QFETCH(double, high);
        QFETCH(double, min);
        QFETCH(double, max);
        QFETCH(double, step);
        QFETCH(int, decimals);
        const NiceTicks t = niceTicks(low, high, 4);
        QVERIFY2(std::abs(t.min - min) < 1e-12 && std::abs(t.max - max) < 1e-12 &&
                     std::abs(t.step - step) < 1e-12,
                 qPrintable(QString("%1..%2 step %3").arg(t.min).arg(t.max).arg(t.step)));
        QCOMPARE(t.decimals, decimals);
    }

    // Whatever the range: the ticks cover it, there are at most 4 intervals, the step is
    // 1, 2 or 5 x 10^k, and every tick printed with the decimals reads back as itself.
    void anyRangeGivesRoundTicks() {
        for (int i = 0; i < 2000; ++i) {
            const double a = std::sin(i * 12.9898) * std::pow(10.0, (i % 13) - 6);
            const double b = a + std::abs(std::cos(i * 78.233)) * std::pow(10.0, (i % 11) - 5);
            const NiceTicks t = niceTicks(a, b, 4);
            QVERIFY(t.min <= a + 1e-12 * std::abs(a) && t.max >= b - 1e-12 * std::abs(b));
            const double intervals = (t.max - t.min) / t.step;
            QVERIFY2(intervals <= 4 + 1e-9 && intervals >= 1 - 1e-9,
                     qPrintable(QString::number(i)));
            const double mantissa = t.step / std::pow(10.0, std::floor(std::log10(t.step) + 1e-9));
            QVERIFY(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 ||
                    std::abs(mantissa - 5) < 1e-9);
            for (int k = 0; k <= std::lround(intervals); ++k) {
                const double tick = t.min + k * t.step;
                const QString text = QString::number(tick, 'f', t.decimals);
                QVERIFY2(std::abs(text.toDouble() - tick) <= 1e-9 * std::max(1.0, std::abs(tick)),
                         qPrintable(text));
            }
        }
    }

    void invalidInputGivesAUnitRange() {
        const NiceTicks t = niceTicks(std::numeric_limits<double>::quiet_NaN(), 1.0, 4);
        QCOMPARE(t.min, 0.0);
        QCOMPARE(t.max, 1.0);
    }

    // Zero is a tick of its own (anchor 0), so it prints "0.0", not "-5…" or "-0.0".
    void axisTicksAreAnchoredAtZero() {
        QValueAxis axis;
        applyNiceTicks(&axis, niceTicks(-0.47, 1.23, 4));
        QCOMPARE(axis.tickType(), QValueAxis::TicksDynamic);
        QCOMPARE(axis.tickAnchor(), 0.0);
        QCOMPARE(axis.tickInterval(), 0.5);
        QCOMPARE(axis.min(), -0.5);
        QCOMPARE(axis.max(), 1.5);
        QCOMPARE(axis.labelFormat(), QString("%.1f"));
    }
};

QTEST_MAIN(TestNiceTicks)
#include "test_nice_ticks.moc"
