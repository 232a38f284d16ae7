#pragma once
// The embedding map's points as one picture inside a chart's plot area, under its series (the
// overlays, the query) and over its grid. It shows the last PointRaster it was given, mapped
// from the range that raster was drawn for to the axes' range now, so a pan or zoom moves the
// points at once and a fresh raster sharpens them when it is ready.

#include "charts/point_raster.hpp"

#include <QGraphicsItem>

class QChart;
class QValueAxis;

namespace towerlab {

class PointLayer : public QGraphicsItem {
public:
    PointLayer(QChart* chart, QValueAxis* x, QValueAxis* y);

    void setRaster(PointRaster raster);
    const PointRaster& raster() const { return m_raster; }
    // The axes' range now, as PointRasterInput::range wants it.
    QRectF currentRange() const;
    // Call when the chart's plot area moves or resizes.
    void plotAreaChanged();

    QRectF boundingRect() const override { return m_plot; }
    void paint(QPainter* painter, const QStyleOptionGraphicsItem* option, QWidget* widget) override;

private:
    QChart* m_chart;
    QValueAxis* m_x;
    QValueAxis* m_y;
    QRectF m_plot;
    PointRaster m_raster;
};

} // namespace towerlab
