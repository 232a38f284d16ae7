#pragma once
// Draws a scatter plot's points into one image. A chart with one graphics item per point costs
// tens of microseconds a point and restyles them all whenever one is added, which stalls the
// window well before MovieLens 25M's 62,000 movies or 162,000 users; stamping one pre-drawn
// marker per point into an image costs a few nanoseconds a pixel and can run on any thread
// (it touches nothing but its input and a QImage), so big maps are drawn off the GUI thread.

#include <QColor>
#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QSize>

#include <cstdint>
#include <vector>

namespace towerlab {

struct PointRasterInput {
    QSize size;             // the plot area, in logical pixels
    qreal pixelRatio = 1.0; // device pixels per logical pixel
    // The data rectangle shown: left = x min, top = y min, width and height > 0. Larger y is
    // drawn higher, as on a chart.
    QRectF range;
    std::vector<QPointF> positions;
    // The points in drawing order (later ones on top); indices into positions.
    std::vector<int> order;
    // Per point: an index into fills, and a marker diameter in logical pixels.
    std::vector<std::uint16_t> colourOf;
    std::vector<float> diameters;
    std::vector<QColor> fills; // each drawn with a darker border, as the legend's markers
    double opacity = 1.0;      // below 1 where points overlap so densely that density matters

    // Rings drawn over the points, opaque, in this order (a search can match thousands of
    // titles, so these are stamped too rather than kept as chart series).
    struct Rings {
        std::vector<int> points;
        QColor pen;
        float diameter = 12.0F; // logical pixels
        bool diamond = false;   // a square on its corner instead of a circle
    };
    std::vector<Rings> rings;
};

struct PointRaster {
    QImage image;  // premultiplied ARGB, transparent where no point is
    QRectF range;  // the input's range, so a later view can map the image to its own
    int drawn = 0; // points whose marker falls inside the image (at least in part)
};

PointRaster rasterisePoints(const PointRasterInput& input);

} // namespace towerlab
