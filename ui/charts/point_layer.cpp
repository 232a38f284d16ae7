#include "charts/point_layer.hpp"

#include <QPainter>
#include <QtCharts/QChart>
#include <QtCharts/QValueAxis>

namespace towerlab {

namespace {
// Qt Charts stacks its own items as background -1, plot area 0, shades 1, grid 2, axes 3 and
// series 4: between the axes and the series keeps the overlays on top of the points.
constexpr qreal kZ = 3.5;
} // namespace

PointLayer::PointLayer(QChart* chart, QValueAxis* x, QValueAxis* y)
    : QGraphicsItem(chart), m_chart(chart), m_x(x), m_y(y), m_plot(chart->plotArea()) {
    setZValue(kZ);
    setAcceptedMouseButtons(Qt::NoButton);
    setAcceptHoverEvents(false);
}

void PointLayer::setRaster(PointRaster raster) {
    m_raster = std::move(raster);
    update();
}

QRectF PointLayer::currentRange() const {
    return QRectF(QPointF(m_x->min(), m_y->min()), QPointF(m_x->max(), m_y->max()));
}

void PointLayer::plotAreaChanged() {
    prepareGeometryChange();
    m_plot = m_chart->plotArea();
}

void PointLayer::paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) {
    const QRectF now = currentRange();
    const QRectF& then = m_raster.range;
    if (m_raster.image.isNull() || m_plot.isEmpty() || !(now.width() > 0.0) ||
        !(now.height() > 0.0) || !(then.width() > 0.0)) {
        return;
    }
    // Where the raster's range lies in today's plot area (y grows upwards in data, downwards
    // on screen).
    const double sx = m_plot.width() / now.width();
    const double sy = m_plot.height() / now.height();
    const QRectF target(QPointF(m_plot.left() + (then.left() - now.left()) * sx,
                                m_plot.top() + (now.bottom() - then.bottom()) * sy),
                        QPointF(m_plot.left() + (then.right() - now.left()) * sx,
                                m_plot.top() + (now.bottom() - then.top()) * sy));
    painter->save();
    painter->setClipRect(m_plot);
    const QSizeF logical = m_raster.image.deviceIndependentSize();
    const bool exact = qAbs(target.width() - logical.width()) < 0.5 &&
                       qAbs(target.height() - logical.height()) < 0.5;
    painter->setRenderHint(QPainter::SmoothPixmapTransform, !exact);
    if (exact) {
        painter->drawImage(target.topLeft(), m_raster.image);
    } else {
        painter->drawImage(target, m_raster.image);
    }
    painter->restore();
}

} // namespace towerlab
