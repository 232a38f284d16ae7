#include "charts/point_raster.hpp"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace towerlab {

namespace {

// Marker diameters are rounded to half a device pixel, so a map sized by popularity needs a
// few dozen markers per colour, each drawn once with QPainter's antialiasing.
constexpr int kStepsPerPixel = 2;
constexpr int kMaxSteps = 200; // 100 device pixels

quint32 byteMul(quint32 pixel, quint32 alpha) {
    // Qt's BYTE_MUL: all four channels times alpha / 255, two at a time.
    quint32 rb = (pixel & 0xff00ffU) * alpha;
    rb = ((rb + ((rb >> 8) & 0xff00ffU) + 0x800080U) >> 8) & 0xff00ffU;
    quint32 ag = ((pixel >> 8) & 0xff00ffU) * alpha;
    ag = (ag + ((ag >> 8) & 0xff00ffU) + 0x800080U) & 0xff00ff00U;
    return rb | ag;
}

// Sprites have an odd side, so that their centre is a pixel's centre and a point is never
// more than half a pixel from where the chart would put it.
int oddSide(double extent) {
    return 2 * static_cast<int>(std::ceil(extent / 2.0)) + 1;
}

class Sprites {
public:
    Sprites(const PointRasterInput& input)
        : m_input(input), m_images(input.fills.size() * (kMaxSteps + 1)) {}

    const QImage& get(std::size_t colour, float diameter) {
        const int steps = std::clamp(
            static_cast<int>(std::lround(diameter * m_input.pixelRatio * kStepsPerPixel)), 1,
            kMaxSteps);
        QImage& image = m_images[colour * (kMaxSteps + 1) + static_cast<std::size_t>(steps)];
        if (image.isNull()) {
            image = draw(m_input.fills[colour], static_cast<double>(steps) / kStepsPerPixel);
        }
        return image;
    }

private:
    QImage draw(const QColor& fill, double diameter) const {
        const double pen = std::max(1.0, m_input.pixelRatio);
        const int side = oddSide(diameter + pen);
        QImage image(side, side, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setOpacity(m_input.opacity);
        QColor border = fill.darker(140);
        painter.setPen(QPen(border, pen));
        painter.setBrush(fill);
        const double radius = std::max(0.5, (diameter - pen) / 2.0);
        painter.drawEllipse(QPointF(side / 2.0, side / 2.0), radius, radius);
        return image;
    }

    const PointRasterInput& m_input;
    std::vector<QImage> m_images;
};

QImage ringSprite(const PointRasterInput::Rings& rings, double pixelRatio) {
    const double pen = 2.0 * pixelRatio;
    const double diameter = rings.diameter * pixelRatio;
    const int side = oddSide(diameter * (rings.diamond ? 1.42 : 1.0) + pen);
    QImage image(side, side, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(QPen(rings.pen, pen));
    painter.setBrush(Qt::NoBrush);
    painter.translate(side / 2.0, side / 2.0);
    const double half = diameter / 2.0;
    if (rings.diamond) {
        painter.rotate(45.0);
        painter.drawRect(QRectF(-half, -half, diameter, diameter));
    } else {
        painter.drawEllipse(QPointF(0.0, 0.0), half, half);
    }
    return image;
}

// Source-over of a premultiplied sprite whose top-left corner lands at (left, top).
void stamp(QImage& target, const QImage& sprite, int left, int top) {
    const int x0 = std::max(0, left);
    const int y0 = std::max(0, top);
    const int x1 = std::min(target.width(), left + sprite.width());
    const int y1 = std::min(target.height(), top + sprite.height());
    for (int y = y0; y < y1; ++y) {
        auto* out = reinterpret_cast<quint32*>(target.scanLine(y));
        const auto* in = reinterpret_cast<const quint32*>(sprite.constScanLine(y - top));
        for (int x = x0; x < x1; ++x) {
            const quint32 s = in[x - left];
            const quint32 alpha = s >> 24;
            if (alpha == 255) {
                out[x] = s;
            } else if (s != 0) {
                out[x] = s + byteMul(out[x], 255 - alpha);
            }
        }
    }
}

// Stamps the sprite centred on (x, y) in device pixels; false if it would not show at all.
bool place(QImage& target, const QImage& sprite, double x, double y) {
    const double half = sprite.width() / 2.0;
    if (!std::isfinite(x) || !std::isfinite(y) || x + half < 0 || y + half < 0 ||
        x - half > target.width() || y - half > target.height()) {
        return false;
    }
    const int centre = sprite.width() / 2;
    stamp(target, sprite, static_cast<int>(std::floor(x)) - centre,
          static_cast<int>(std::floor(y)) - centre);
    return true;
}

} // namespace

PointRaster rasterisePoints(const PointRasterInput& input) {
    PointRaster result;
    result.range = input.range;
    const QSize pixels(
        std::max(1, static_cast<int>(std::lround(input.size.width() * input.pixelRatio))),
        std::max(1, static_cast<int>(std::lround(input.size.height() * input.pixelRatio))));
    result.image = QImage(pixels, QImage::Format_ARGB32_Premultiplied);
    result.image.setDevicePixelRatio(input.pixelRatio);
    result.image.fill(Qt::transparent);
    if (input.size.isEmpty() || !(input.range.width() > 0.0) || !(input.range.height() > 0.0)) {
        return result;
    }
    Sprites sprites(input);
    const double sx = pixels.width() / input.range.width();
    const double sy = pixels.height() / input.range.height();
    const std::size_t n = input.positions.size();
    for (const int i : input.order) {
        const auto k = static_cast<std::size_t>(i);
        if (i < 0 || k >= n || k >= input.colourOf.size() || k >= input.diameters.size() ||
            input.colourOf[k] >= input.fills.size()) {
            continue;
        }
        const QPointF& p = input.positions[k];
        const double px = (p.x() - input.range.left()) * sx;
        const double py = pixels.height() - (p.y() - input.range.top()) * sy;
        if (place(result.image, sprites.get(input.colourOf[k], input.diameters[k]), px, py)) {
            ++result.drawn;
        }
    }
    for (const PointRasterInput::Rings& rings : input.rings) {
        const QImage sprite = ringSprite(rings, input.pixelRatio);
        for (const int i : rings.points) {
            if (i >= 0 && static_cast<std::size_t>(i) < n) {
                const QPointF& p = input.positions[static_cast<std::size_t>(i)];
                place(result.image, sprite, (p.x() - input.range.left()) * sx,
                      pixels.height() - (p.y() - input.range.top()) * sy);
            }
        }
    }
    return result;
}

} // namespace towerlab
