// Min/max decimation of long chart lines, on hand-made series: bounded output, and per pixel
// column the same first, lowest, highest and last point as the full series.

#include "charts/decimation.hpp"

#include <QtTest>

#include <cmath>
#include <map>

using namespace towerlab;

namespace {

int columnOf(double x, double x0, double width, int columns) {
    return std::min(columns - 1, static_cast<int>((x - x0) / width * columns));
}

struct Extremes {
    double first = 0, last = 0, low = 1e300, high = -1e300;
    int count = 0;
};

std::map<int, Extremes> perColumn(const QList<QPointF>& points, double x0, double width,
                                  int columns) {
    std::map<int, Extremes> out;
    for (const QPointF& p : points) {
        Extremes& e = out[columnOf(p.x(), x0, width, columns)];
        if (e.count++ == 0) {
            e.first = p.y();
        }
        e.last = p.y();
        e.low = std::min(e.low, p.y());
        e.high = std::max(e.high, p.y());
    }
    return out;
}

} // namespace

class TestDecimation : public QObject {
    Q_OBJECT

private slots:
    void shortSeriesAreUnchanged() {
        QList<QPointF> points;
        for (int i = 0; i < 40; ++i) {
            points.append(QPointF(i, i % 7));
        }
        QCOMPARE(decimateMinMax(points, 10), points);
        QCOMPARE(decimateMinMax({}, 10), QList<QPointF>());
    }

    void longSeriesKeepEachColumnsExtremes() {
        // 20 epochs of 2,000 noisy batches, with a spike and a dip that must survive.
        QList<QPointF> points;
        for (int i = 0; i < 40000; ++i) {
            const double y = 1000.0 / (1 + i / 4000.0) + 30.0 * std::sin(i * 0.37) +
                             (i == 12345 ? 900.0 : 0.0) - (i == 31001 ? 700.0 : 0.0);
            points.append(QPointF((i + 1) / 2000.0, y));
        }
        const int columns = 300;
        const QList<QPointF> out = decimateMinMax(points, columns);
        QVERIFY2(out.size() <= 4 * columns, qPrintable(QString::number(out.size())));
        QVERIFY(out.size() >= 2 * columns);
        QCOMPARE(out.front(), points.front());
        QCOMPARE(out.back(), points.back());
        for (qsizetype i = 1; i < out.size(); ++i) {
            QVERIFY(out[i - 1].x() < out[i].x());
            QVERIFY(points.contains(out[i]));
        }
        const double x0 = points.front().x();
        const double width = points.back().x() - x0;
        const auto full = perColumn(points, x0, width, columns);
        const auto kept = perColumn(out, x0, width, columns);
        QCOMPARE(kept.size(), full.size());
        for (const auto& [column, e] : full) {
            const Extremes& k = kept.at(column);
            QCOMPARE(k.first, e.first);
            QCOMPARE(k.last, e.last);
            QCOMPARE(k.low, e.low);
            QCOMPARE(k.high, e.high);
        }
    }
};

QTEST_APPLESS_MAIN(TestDecimation)
#include "test_decimation.moc"
