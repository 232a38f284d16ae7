// The embedding map's picture on the offscreen platform: every point is drawn where the map
// says it is (and where a click finds it), in its group's colour, with the overlays' rings on
// top; a big map is drawn on a worker thread while the event loop turns, and a zoom shows the
// old picture moved at once and a new one after.
#include "charts/embedding_map.hpp"
#include "event_loop_probe.hpp"

#include <QtCharts/QChartView>
#include <QtTest>

#include <random>

using namespace towerlab;

namespace {

QColor pixelAt(QWidget* widget, const QPointF& position) {
    const QImage image = widget->grab().toImage();
    return image.pixelColor(position.toPoint());
}

bool near(const QColor& a, const QColor& b, int tolerance = 12) {
    return std::abs(a.red() - b.red()) <= tolerance &&
           std::abs(a.green() - b.green()) <= tolerance &&
           std::abs(a.blue() - b.blue()) <= tolerance;
}

// A ring of `colour` crosses the line from `centre` in `direction` about `radius` pixels out
// (antialiasing spreads it over two or three pixels).
bool ringAt(const QImage& image, QPoint centre, QPoint direction, int radius,
            const QColor& colour) {
    for (int r = radius - 2; r <= radius + 2; ++r) {
        if (near(image.pixelColor(centre + direction * r), colour, 30)) {
            return true;
        }
    }
    return false;
}

} // namespace

class TestEmbeddingMap : public QObject {
    Q_OBJECT

private slots:
    void smallMapIsDrawnWhereItsPointsAre() {
        EmbeddingMap map;
        map.resize(800, 600);
        map.show();
        QVERIFY(QTest::qWaitForWindowExposed(&map));
        const QList<MapGroup> groups = {{QStringLiteral("red"), QColor(220, 30, 30)},
                                        {QStringLiteral("green"), QColor(30, 170, 30)}};
        map.setPoints({{0.0, 0.0}, {1.0, 0.0}, {0.0, 1.0}, {1.0, 1.0}}, groups, {0, 1, 0, -1});
        QTRY_VERIFY(!map.isSettling());
        QCOMPARE(map.drawnPointCount(), 4);
        QCOMPARE(map.legendLabels(), (QStringList{"red", "green", "other"}));
        const QList<QColor> expected = {QColor(220, 30, 30), QColor(30, 170, 30),
                                        QColor(220, 30, 30), QColor(150, 150, 150)};
        for (int i = 0; i < 4; ++i) {
            const QPointF at = map.viewPosition(i);
            QCOMPARE(map.pointAt(at), i);
            QCOMPARE(map.pointAt(at + QPointF(4.0, -3.0)), i);
            const QColor seen = pixelAt(map.chartView()->viewport(), at);
            QVERIFY2(near(seen, expected[i]),
                     qPrintable(QStringLiteral("point %1 is %2").arg(i).arg(seen.name())));
        }
        QCOMPARE(map.pointAt(map.viewPosition(0) + QPointF(30.0, 30.0)), -1);

        // The selection's ring (19 px, red) is drawn over the point, the neighbour's (13 px,
        // blue) too; the point inside keeps its colour.
        map.setSelection(1, {2});
        QTRY_VERIFY(!map.isSettling());
        const QImage picture = map.chartView()->viewport()->grab().toImage();
        const QPoint selected = map.viewPosition(1).toPoint();
        QVERIFY(ringAt(picture, selected, QPoint(1, 0), 9, QColor(230, 40, 40)));
        QVERIFY(near(picture.pixelColor(selected), QColor(30, 170, 30)));
        const QPoint neighbour = map.viewPosition(2).toPoint();
        QVERIFY(ringAt(picture, neighbour, QPoint(0, 1), 6, QColor(0, 120, 215)));
        map.setSelection(-1, {});
        QTRY_VERIFY(!map.isSettling());
        const QImage plain = map.chartView()->viewport()->grab().toImage();
        QVERIFY(!ringAt(plain, selected, QPoint(1, 0), 9, QColor(230, 40, 40)));
        QVERIFY(!ringAt(plain, neighbour, QPoint(0, 1), 6, QColor(0, 120, 215)));
    }

    void bigMapIsDrawnOffTheGuiThread() {
        EmbeddingMap map;
        map.resize(1000, 700);
        map.show();
        QVERIFY(QTest::qWaitForWindowExposed(&map));
        constexpr int kPoints = 162000; // MovieLens 25M's users
        std::mt19937 random(7);
        std::normal_distribution<double> normal;
        QList<QPointF> positions;
        std::vector<int> groupOf;
        for (int i = 0; i < kPoints; ++i) {
            positions.append(QPointF(normal(random), normal(random)));
            groupOf.push_back(i % 3);
        }
        const QList<MapGroup> groups = {{QStringLiteral("a"), QColor(Qt::red)},
                                        {QStringLiteral("b"), QColor(Qt::green)},
                                        {QStringLiteral("c"), QColor(Qt::blue)}};
        test::EventLoopProbe probe;
        probe.start();
        map.setPoints(positions, groups, groupOf);
        std::vector<int> many(20000);
        std::iota(many.begin(), many.end(), 0);
        map.setSearchMatches(many); // a search that matches a great many titles
        QVERIFY(map.isSettling());
        QTRY_VERIFY_WITH_TIMEOUT(!map.isSettling(), 30000);
        QTest::qWait(200); // the probe needs a few ticks to say anything
        probe.stop();
        QCOMPARE(map.drawnPointCount(), kPoints);
        QCOMPARE(map.searchMatchCount(), 20000);
        TOWERLAB_CHECK_RESPONSIVE(probe);

        // Zoom into the middle: fewer points in the new picture, and the points stay where
        // clicks find them.
        map.chartView()->chart()->zoom(16.0);
        QTRY_VERIFY_WITH_TIMEOUT(!map.isSettling(), 30000);
        QVERIFY(map.drawnPointCount() < kPoints / 4);
        QVERIFY(map.drawnPointCount() > 0);
        map.resetZoom();
        QTRY_VERIFY_WITH_TIMEOUT(!map.isSettling(), 30000);
        QCOMPARE(map.drawnPointCount(), kPoints);
    }

    void exportWaitsForThePicture() {
        EmbeddingMap map;
        map.resize(900, 600);
        map.show();
        QVERIFY(QTest::qWaitForWindowExposed(&map));
        QList<QPointF> positions;
        for (int i = 0; i < 30000; ++i) {
            positions.append(QPointF(i % 173, i / 173));
        }
        map.setPoints(positions, {{QStringLiteral("all"), QColor(Qt::darkBlue)}},
                      std::vector<int>(30000, 0));
        QTemporaryDir dir;
        QString error;
        QVERIFY2(map.exportImage(dir.filePath(QStringLiteral("map.png")), &error),
                 qPrintable(error));
        QVERIFY(!map.isSettling()); // the export drew the picture before grabbing it
        QCOMPARE(map.drawnPointCount(), 30000);
        QImage exported(dir.filePath(QStringLiteral("map.png")));
        QVERIFY(!exported.isNull());
    }
};

QTEST_MAIN(TestEmbeddingMap)
#include "test_embedding_map.moc"
