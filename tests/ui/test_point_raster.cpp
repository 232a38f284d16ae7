// PointRaster on hand-made inputs: where a point lands, what is on top, what opacity and
// device pixel ratio do, rings, and inputs that must draw nothing.
#include "charts/point_raster.hpp"

#include <QtTest>

using namespace towerlab;

namespace {

// A 21 x 21 plot of [0, 1] x [0, 1]: data (0.5, 0.5) is the centre pixel (10, 10).
PointRasterInput square(std::vector<QPointF> positions, std::vector<QColor> fills,
                        std::vector<std::uint16_t> colourOf) {
    PointRasterInput input;
    input.size = QSize(21, 21);
    input.range = QRectF(0.0, 0.0, 1.0, 1.0);
    input.positions = std::move(positions);
    input.fills = std::move(fills);
    input.colourOf = std::move(colourOf);
    input.diameters.assign(input.positions.size(), 7.0F);
    for (std::size_t i = 0; i < input.positions.size(); ++i) {
        input.order.push_back(static_cast<int>(i));
    }
    return input;
}

bool isTransparent(const QImage& image) {
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            if (image.pixel(x, y) != 0) {
                return false;
            }
        }
    }
    return true;
}

} // namespace

class TestPointRaster : public QObject {
    Q_OBJECT

private slots:
    void pointLandsWhereTheChartPutsIt() {
        const PointRaster raster =
            rasterisePoints(square({{0.5, 0.5}}, {QColor(220, 20, 20)}, {0}));
        QCOMPARE(raster.drawn, 1);
        QCOMPARE(raster.image.size(), QSize(21, 21));
        QCOMPARE(raster.range, QRectF(0.0, 0.0, 1.0, 1.0));
        QCOMPARE(raster.image.pixelColor(10, 10), QColor(220, 20, 20));
        QCOMPARE(qAlpha(raster.image.pixel(0, 0)), 0);
        QCOMPARE(qAlpha(raster.image.pixel(20, 20)), 0);
        // Nothing further than the marker's radius (and its one-pixel border) from the centre.
        for (int y = 0; y < 21; ++y) {
            for (int x = 0; x < 21; ++x) {
                if (std::hypot(x - 10, y - 10) > 5.0) {
                    QCOMPARE(qAlpha(raster.image.pixel(x, y)), 0);
                }
            }
        }
    }

    void largerYIsHigher() {
        const PointRaster raster =
            rasterisePoints(square({{0.5, 0.9}, {0.1, 0.5}}, {QColor(0, 0, 200)}, {0, 0}));
        QCOMPARE(raster.drawn, 2);
        // y 0.9 is 0.1 of the height from the top: row 2; x 0.1 is column 2.
        QCOMPARE(raster.image.pixelColor(10, 2), QColor(0, 0, 200));
        QCOMPARE(qAlpha(raster.image.pixel(10, 18)), 0);
        QCOMPARE(raster.image.pixelColor(2, 10), QColor(0, 0, 200));
        QCOMPARE(qAlpha(raster.image.pixel(18, 10)), 0);
    }

    void laterPointsAreOnTop() {
        PointRasterInput input =
            square({{0.5, 0.5}, {0.5, 0.5}}, {QColor(200, 0, 0), QColor(0, 0, 200)}, {0, 1});
        QCOMPARE(rasterisePoints(input).image.pixelColor(10, 10), QColor(0, 0, 200));
        input.order = {1, 0};
        QCOMPARE(rasterisePoints(input).image.pixelColor(10, 10), QColor(200, 0, 0));
        // A point left out of the order is not drawn.
        input.order = {1};
        const PointRaster one = rasterisePoints(input);
        QCOMPARE(one.drawn, 1);
        QCOMPARE(one.image.pixelColor(10, 10), QColor(0, 0, 200));
    }

    void opacityBlendsOverWhatIsBelow() {
        PointRasterInput input =
            square({{0.5, 0.5}, {0.5, 0.5}}, {QColor(0, 0, 255), QColor(255, 0, 0)}, {0, 1});
        input.opacity = 0.5;
        const QRgb centre = rasterisePoints(input).image.pixel(10, 10);
        // Red at half over blue at half: alpha 0.75, and both colours show.
        QVERIFY(std::abs(qAlpha(centre) - 191) <= 2);
        const QColor colour = rasterisePoints(input).image.pixelColor(10, 10);
        QVERIFY(colour.red() > colour.blue());
        QVERIFY(colour.blue() > 40);
    }

    void devicePixelRatioDoublesThePixels() {
        PointRasterInput input = square({{0.5, 0.5}}, {QColor(0, 150, 0)}, {0});
        input.pixelRatio = 2.0;
        const PointRaster raster = rasterisePoints(input);
        QCOMPARE(raster.image.size(), QSize(42, 42));
        QCOMPARE(raster.image.devicePixelRatio(), 2.0);
        QCOMPARE(raster.image.deviceIndependentSize(), QSizeF(21.0, 21.0));
        QCOMPARE(raster.image.pixelColor(21, 21), QColor(0, 150, 0));
        QCOMPARE(raster.image.pixelColor(25, 21), QColor(0, 150, 0)); // 7 px wide, doubled
    }

    void pointsOutsideTheRangeAreNotDrawn() {
        const PointRaster raster = rasterisePoints(
            square({{1.6, 0.5}, {0.5, -0.7}, {std::nan(""), 0.5}}, {QColor(0, 0, 0)}, {0, 0, 0}));
        QCOMPARE(raster.drawn, 0);
        QVERIFY(isTransparent(raster.image));
        // Half outside still counts: its marker shows in part.
        const PointRaster edge = rasterisePoints(square({{1.0, 0.5}}, {QColor(0, 0, 0)}, {0}));
        QCOMPARE(edge.drawn, 1);
        QCOMPARE(qAlpha(edge.image.pixel(20, 10)), 255);
    }

    void ringsAreHollowAndOnTop() {
        PointRasterInput input = square({{0.5, 0.5}}, {QColor(0, 0, 200)}, {0});
        input.size = QSize(41, 41);
        input.rings.push_back({{0}, QColor(230, 40, 40), 15.0F, false});
        const PointRaster raster = rasterisePoints(input);
        QCOMPARE(raster.drawn, 1); // rings do not count as points
        QCOMPARE(raster.image.pixelColor(20, 20), QColor(0, 0, 200)); // the point shows inside
        QCOMPARE(raster.image.pixelColor(20 + 7, 20), QColor(230, 40, 40));
        QCOMPARE(raster.image.pixelColor(20, 20 - 7), QColor(230, 40, 40));
        QCOMPARE(qAlpha(raster.image.pixel(20 + 5, 20)), 0); // between point and ring
        // A diamond's corner is further out than a circle of the same size.
        input.rings = {{{0}, QColor(214, 0, 140), 15.0F, true}};
        const PointRaster diamond = rasterisePoints(input);
        QCOMPARE(diamond.image.pixelColor(20 + 10, 20), QColor(214, 0, 140));
        QCOMPARE(qAlpha(diamond.image.pixel(20 + 7, 20 + 7)), 0);
    }

    void badInputsDrawNothing() {
        PointRasterInput input = square({{0.5, 0.5}}, {QColor(0, 0, 0)}, {0});
        input.range = QRectF(0.0, 0.0, 0.0, 1.0);
        QCOMPARE(rasterisePoints(input).drawn, 0);
        input = square({{0.5, 0.5}}, {QColor(0, 0, 0)}, {3}); // no such colour
        QCOMPARE(rasterisePoints(input).drawn, 0);
        input = square({{0.5, 0.5}}, {QColor(0, 0, 0)}, {0});
        input.order = {-1, 1, 7};
        input.rings.push_back({{-3, 9}, QColor(0, 0, 0), 12.0F, false});
        const PointRaster raster = rasterisePoints(input);
        QCOMPARE(raster.drawn, 0);
        QVERIFY(isTransparent(raster.image));
        input.size = QSize(0, 10);
        QVERIFY(!rasterisePoints(input).image.isNull()); // an empty plot still has an image
    }
};

QTEST_GUILESS_MAIN(TestPointRaster)
#include "test_point_raster.moc"
