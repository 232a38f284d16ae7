#include "charts/embedding_map.hpp"

#include "charts/chart_export.hpp"
#include "charts/chart_theme.hpp"
#include "charts/point_layer.hpp"
#include "charts/point_raster.hpp"

#include <QEvent>
#include <QFutureWatcher>
#include <QGraphicsLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPushButton>
#include <QRubberBand>
#include <QTimer>
#include <QVBoxLayout>
#include <QVariantAnimation>
#include <QWheelEvent>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace towerlab {

namespace {

constexpr double kPickRadius = 10.0;   // pixels
constexpr double kDragThreshold = 5.0; // pixels before a press becomes a rubber band
constexpr double kWheelStep = 1.25;
// The overlays' rings, in Overlay's order: top 50, search matches, neighbours, selected.
constexpr std::array<double, 4> kRingSizes = {12.0, 15.0, 13.0, 19.0};
constexpr double kPointSize = 7.0;
constexpr double kMinPointSize = 4.0;
constexpr double kMaxPointSize = 17.0;
// Up to this many points every marker has its full size and colour. Beyond it markers shrink
// and turn translucent with the square root of the crowding, so 62,000 movies still show
// where they are dense rather than one solid blot in the last colour drawn.
constexpr double kUncrowded = 5000.0;
constexpr double kSmallestScale = 0.45;
constexpr double kFaintest = 0.5;
// Below this many points a picture takes a few milliseconds and is drawn at once; above it
// on a worker thread, while the last picture (moved to the new range) stands in.
constexpr int kWorkerFrom = 20000;

double crowding(int points) {
    return points <= kUncrowded ? 1.0 : std::sqrt(kUncrowded / points);
}

} // namespace

// The chart view with the map's own mouse handling: Qt Charts' rubber band would swallow
// every click.
class EmbeddingMap::View : public QChartView {
public:
    View(QChart* chart, EmbeddingMap* map) : QChartView(chart), m_map(map) {
        setRenderHint(QPainter::Antialiasing);
        setMouseTracking(true);
        m_band = new QRubberBand(QRubberBand::Rectangle, this);
    }

protected:
    void mousePressEvent(QMouseEvent* event) override {
        m_pressPos = event->position();
        m_lastPos = event->position();
        m_moved = false;
        m_panning = event->button() == Qt::MiddleButton ||
                    (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
        m_pressed = event->button();
        event->accept();
    }

    void mouseMoveEvent(QMouseEvent* event) override {
        const QPointF pos = event->position();
        if (m_pressed == Qt::NoButton) {
            const int point = m_map->pointAt(pos);
            if (point != m_hovered) {
                m_hovered = point;
                emit m_map->pointHovered(point, event->globalPosition().toPoint());
            }
            return;
        }
        if ((pos - m_pressPos).manhattanLength() > kDragThreshold) {
            m_moved = true;
        }
        if (m_panning) {
            const QPointF delta = pos - m_lastPos;
            chart()->scroll(-delta.x(), delta.y());
            m_map->m_zoomed = true;
        } else if (m_pressed == Qt::LeftButton && m_moved) {
            m_band->setGeometry(QRectF(m_pressPos, pos).normalized().toRect());
            m_band->show();
        }
        m_lastPos = pos;
    }

    void mouseReleaseEvent(QMouseEvent* event) override {
        const Qt::MouseButton button = m_pressed;
        m_pressed = Qt::NoButton;
        if (m_band->isVisible()) {
            m_band->hide();
            const QRect band = m_band->geometry();
            if (band.width() > 2 * kDragThreshold && band.height() > 2 * kDragThreshold) {
                const QRectF inChart = chart()
                                           ->mapFromScene(mapToScene(band))
                                           .boundingRect()
                                           .intersected(chart()->plotArea());
                if (inChart.isValid()) {
                    chart()->zoomIn(inChart);
                    m_map->m_zoomed = true;
                }
            }
        } else if (!m_moved && !m_panning && button == Qt::LeftButton) {
            const int point = m_map->pointAt(event->position());
            if (point >= 0) {
                emit m_map->pointClicked(point);
            }
        } else if (!m_moved && button == Qt::RightButton) {
            chart()->zoom(1.0 / 2.0);
            m_map->m_zoomed = true;
        }
        m_panning = false;
        event->accept();
    }

    void wheelEvent(QWheelEvent* event) override {
        const double steps = event->angleDelta().y() / 120.0;
        if (steps == 0.0) {
            return;
        }
        // Zoom about the mouse: the value under it stays under it.
        const double factor = std::pow(kWheelStep, -steps);
        const QRectF area = chart()->plotArea();
        const QPointF c = chart()->mapFromScene(mapToScene(event->position().toPoint()));
        const QRectF rect(c.x() - (c.x() - area.left()) * factor,
                          c.y() - (c.y() - area.top()) * factor, area.width() * factor,
                          area.height() * factor);
        chart()->zoomIn(rect);
        m_map->m_zoomed = true;
        event->accept();
    }

    void leaveEvent(QEvent* event) override {
        if (m_hovered != -1) {
            m_hovered = -1;
            emit m_map->pointHovered(-1, {});
        }
        QChartView::leaveEvent(event);
    }

private:
    EmbeddingMap* m_map;
    QRubberBand* m_band;
    QPointF m_pressPos;
    QPointF m_lastPos;
    Qt::MouseButton m_pressed = Qt::NoButton;
    bool m_moved = false;
    bool m_panning = false;
    int m_hovered = -1;
};

EmbeddingMap::EmbeddingMap(QWidget* parent)
    : QWidget(parent), m_chart(new QChart), m_x(new QValueAxis), m_y(new QValueAxis),
      m_message(new QLabel), m_offscreenHint(nullptr), m_animation(new QVariantAnimation(this)) {
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->legend()->setShowToolTips(true);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->addAxis(m_x, Qt::AlignBottom);
    m_chart->addAxis(m_y, Qt::AlignLeft);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_view = new View(m_chart, this);
    m_view->setObjectName(QStringLiteral("embeddingChartView"));
    m_view->setMinimumSize(320, 240);
    m_message->setObjectName(QStringLiteral("embeddingMapMessage"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setMargin(24);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_message, 1);
    m_view->hide();
    // A map panned or zoomed away from every point is an empty plot; say so and offer the way
    // back rather than leave the user guessing.
    m_offscreenHint = new QPushButton(tr("The points are off-screen — Reset zoom"), m_view);
    m_offscreenHint->setObjectName(QStringLiteral("offscreenHint"));
    m_offscreenHint->setToolTip(tr("Panning or zooming left no point in view; click to fit the "
                                   "map to all points again (as the Reset zoom button does)"));
    m_offscreenHint->hide();
    connect(m_offscreenHint, &QPushButton::clicked, this, &EmbeddingMap::resetZoom);
    connect(m_x, &QValueAxis::rangeChanged, this, &EmbeddingMap::updateOffscreenHint);
    connect(m_y, &QValueAxis::rangeChanged, this, &EmbeddingMap::updateOffscreenHint);

    m_animation->setDuration(kAnimationMs);
    m_animation->setStartValue(0.0);
    m_animation->setEndValue(1.0);
    m_animation->setEasingCurve(QEasingCurve::InOutCubic);
    connect(m_animation, &QVariantAnimation::valueChanged, this, [this](const QVariant& value) {
        const double t = value.toDouble();
        for (qsizetype i = 0; i < m_target.size(); ++i) {
            m_shown[i] = m_from[i] + (m_target[i] - m_from[i]) * t;
        }
        refreshPoints();
    });
    connect(m_animation, &QVariantAnimation::finished, this, [this] {
        m_shown = m_target;
        refreshPoints();
    });
    m_points = new PointLayer(m_chart, m_x, m_y);
    m_renderTimer = new QTimer(this);
    m_renderTimer->setSingleShot(true);
    m_renderTimer->setInterval(0);
    connect(m_renderTimer, &QTimer::timeout, this, &EmbeddingMap::startRender);
    m_renderWatcher = new QFutureWatcher<PointRaster>(this);
    connect(m_renderWatcher, &QFutureWatcher<PointRaster>::finished, this, [this] {
        if (!m_renderInFlight) {
            return; // renderNow() has already waited for it and shown what came after
        }
        m_renderInFlight = false;
        applyRaster(m_renderWatcher->result());
        if (m_renderPending) {
            startRender();
        }
    });
    connect(m_chart, &QChart::plotAreaChanged, this, [this] {
        m_points->plotAreaChanged();
        scheduleRender();
    });
    connect(m_x, &QValueAxis::rangeChanged, this, &EmbeddingMap::scheduleRender);
    connect(m_y, &QValueAxis::rangeChanged, this, &EmbeddingMap::scheduleRender);
    createOverlays();
    restyle();
}

EmbeddingMap::~EmbeddingMap() {
    // A picture still being drawn owns its copy of the points; it is only waited for.
    m_renderWatcher->waitForFinished();
}

void EmbeddingMap::setPositions(const QList<QPointF>& positions, bool animate) {
    m_animation->stop();
    const bool glide = animate && positions.size() == m_shown.size() && !positions.isEmpty();
    m_target = positions;
    m_message->hide();
    m_view->show();
    if (!glide) {
        m_shown = positions;
        if (m_groupOf.size() != static_cast<std::size_t>(positions.size())) {
            m_groupOf.assign(static_cast<std::size_t>(positions.size()), -1);
        }
        m_zoomed = false;
        rebuildColours();
        fitAxes(false);
        return;
    }
    m_from = m_shown;
    if (!m_zoomed) {
        fitAxes(true);
    }
    m_animation->start();
}

void EmbeddingMap::setPoints(const QList<QPointF>& positions, const QList<MapGroup>& groups,
                             const std::vector<int>& groupOf) {
    m_groups = groups;
    m_groupOf = groupOf;
    m_groupOf.resize(static_cast<std::size_t>(positions.size()), -1);
    setPositions(positions, false);
}

void EmbeddingMap::setGroups(const QList<MapGroup>& groups, const std::vector<int>& groupOf) {
    m_groups = groups;
    m_groupOf = groupOf;
    m_groupOf.resize(static_cast<std::size_t>(m_target.size()), -1);
    rebuildColours();
}

void EmbeddingMap::setSizes(const std::vector<double>& relative) {
    m_sizes = relative;
    scheduleRender();
}

void EmbeddingMap::setSearchMatches(const std::vector<int>& points) {
    setOverlay(Search, points);
}

void EmbeddingMap::setRecommended(const std::vector<int>& points) {
    setOverlay(Recommended, points);
}

void EmbeddingMap::setSelection(int selected, const std::vector<int>& neighbours) {
    setOverlay(Neighbours, neighbours);
    setOverlay(Selected, selected >= 0 ? std::vector<int>{selected} : std::vector<int>{});
}

void EmbeddingMap::setQueryMarker(std::optional<QPointF> position) {
    m_query = position;
    m_querySeries->replace(m_query ? QList<QPointF>{*m_query} : QList<QPointF>{});
    refreshLegend();
    if (!m_zoomed) {
        fitAxes(m_animation->state() == QAbstractAnimation::Running);
    }
}

void EmbeddingMap::setOverlay(Overlay overlay, std::vector<int> points) {
    const int n = static_cast<int>(m_target.size());
    std::erase_if(points, [n](int i) { return i < 0 || i >= n; });
    m_overlays[overlay].members = std::move(points);
    refreshLegend();
    scheduleRender();
}

void EmbeddingMap::setTitle(const QString& title) {
    m_chart->setTitle(title);
}

void EmbeddingMap::clear(const QString& message) {
    m_animation->stop();
    m_shown.clear();
    m_target.clear();
    m_from.clear();
    m_groupOf.clear();
    for (Layer& layer : m_overlays) {
        layer.members.clear();
    }
    m_query.reset();
    rebuildColours();
    m_message->setText(message);
    m_view->hide();
    m_message->show();
}

void EmbeddingMap::resetZoom() {
    m_zoomed = false;
    fitAxes(false);
    updateOffscreenHint();
}

bool EmbeddingMap::showsOffscreenHint() const {
    return !m_offscreenHint->isHidden();
}

void EmbeddingMap::updateOffscreenHint() {
    // Only a user's zoom or pan can leave every point out; fitted axes (and every animation
    // frame) skip the scan over the points.
    const QRectF visible(QPointF(m_x->min(), m_y->min()), QPointF(m_x->max(), m_y->max()));
    const bool show = m_zoomed && !m_shown.isEmpty() &&
                      std::none_of(m_shown.begin(), m_shown.end(),
                                   [&](const QPointF& p) { return visible.contains(p); });
    if (show) {
        m_offscreenHint->adjustSize();
        m_offscreenHint->move((m_view->width() - m_offscreenHint->width()) / 2,
                              m_view->height() / 3);
        m_offscreenHint->raise();
    }
    m_offscreenHint->setVisible(show);
}

bool EmbeddingMap::exportImage(const QString& path, QString* error) {
    if (m_target.isEmpty()) {
        *error = tr("The map is empty: there is nothing to export yet.");
        return false;
    }
    renderNow();
    return exportWidgetImage(m_view, path, error);
}

QChartView* EmbeddingMap::chartView() const {
    return m_view;
}

QStringList EmbeddingMap::legendLabels() const {
    QStringList labels;
    for (const Layer& layer : m_colourLayers) {
        labels << layer.series->name();
    }
    return labels;
}

int EmbeddingMap::drawnPointCount() const {
    return m_points->raster().drawn;
}

bool EmbeddingMap::isAnimating() const {
    return m_animation->state() == QAbstractAnimation::Running;
}

bool EmbeddingMap::isSettling() const {
    return isAnimating() || isRendering();
}

bool EmbeddingMap::isRendering() const {
    return m_renderPending || m_renderInFlight;
}

QPointF EmbeddingMap::viewPosition(int point) const {
    const QPointF value = m_shown.value(point);
    const QRectF area = m_chart->plotArea();
    const double w = m_x->max() - m_x->min();
    const double h = m_y->max() - m_y->min();
    const QPointF inChart(area.left() + (value.x() - m_x->min()) / w * area.width(),
                          area.bottom() - (value.y() - m_y->min()) / h * area.height());
    return m_view->mapFromScene(m_chart->mapToScene(inChart));
}

int EmbeddingMap::pointAt(const QPointF& viewPosition) const {
    if (m_shown.isEmpty()) {
        return -1;
    }
    // The chart is neither rotated nor sheared on screen: data to view is x and y scaled and
    // moved, found once from two points rather than mapped through the scene for every point
    // (hovering over 162,000 users happens on every mouse move).
    const QRectF area = m_chart->plotArea();
    const QPointF topLeft = m_view->mapFromScene(m_chart->mapToScene(area.topLeft()));
    const QPointF bottomRight = m_view->mapFromScene(m_chart->mapToScene(area.bottomRight()));
    const double sx = (bottomRight.x() - topLeft.x()) / (m_x->max() - m_x->min());
    const double sy = (bottomRight.y() - topLeft.y()) / (m_y->max() - m_y->min());
    const double x0 = topLeft.x() - m_x->min() * sx;
    const double y0 = bottomRight.y() + m_y->min() * sy;
    int best = -1;
    double bestDistance = kPickRadius * kPickRadius;
    for (int i = 0; i < m_shown.size(); ++i) {
        const QPointF& p = m_shown[i];
        const double dx = x0 + p.x() * sx - viewPosition.x();
        const double dy = y0 - p.y() * sy - viewPosition.y();
        const double distance = dx * dx + dy * dy;
        if (distance <= bestDistance) {
            bestDistance = distance;
            best = i;
        }
    }
    return best;
}

void EmbeddingMap::createOverlays() {
    const std::array<QString, OverlayCount> names = {tr("top 50 for the query"),
                                                     tr("search matches"),
                                                     tr("nearest to the selected"), tr("selected")};
    for (int o = 0; o < OverlayCount; ++o) {
        auto* series = new QScatterSeries;
        series->setName(names[static_cast<std::size_t>(o)]);
        series->setMarkerSize(kRingSizes[static_cast<std::size_t>(o)]);
        m_overlays[o].series = series;
    }
    m_overlays[Search].series->setMarkerShape(QScatterSeries::MarkerShapeRotatedRectangle);
    m_querySeries = new QScatterSeries;
    m_querySeries->setName(tr("the query"));
    m_querySeries->setMarkerShape(QScatterSeries::MarkerShapeStar);
    m_querySeries->setMarkerSize(24.0);
}

void EmbeddingMap::styleOverlays() {
    // Rings (no fill) so the colour underneath still shows; the query a filled star.
    const QColor ink = isDarkPalette(palette()) ? QColor(255, 255, 255) : QColor(20, 20, 20);
    const std::array<QColor, OverlayCount> colours = {ink, QColor(214, 0, 140), QColor(0, 120, 215),
                                                      QColor(230, 40, 40)};
    for (int o = 0; o < OverlayCount; ++o) {
        QScatterSeries* series = m_overlays[o].series;
        series->setColor(QColor(Qt::transparent));
        QPen pen(colours[static_cast<std::size_t>(o)]);
        pen.setWidthF(2.0);
        series->setPen(pen);
    }
    m_querySeries->setColor(QColor(255, 196, 0));
    m_querySeries->setPen(QPen(ink, 1.5));
}

void EmbeddingMap::rebuildColours() {
    // The overlays stay (they are only taken out and put back on top); the legend's colour
    // series are made anew, one per group, and hold no points: PointLayer draws them.
    const QList<QAbstractSeries*> present = m_chart->series();
    for (Layer& layer : m_overlays) {
        if (present.contains(layer.series)) {
            m_chart->removeSeries(layer.series);
        }
    }
    if (present.contains(m_querySeries)) {
        m_chart->removeSeries(m_querySeries);
    }
    m_chart->removeAllSeries();
    m_colourLayers.clear();
    m_hasOther = false;
    const int n = static_cast<int>(m_target.size());
    for (Layer& layer : m_overlays) {
        std::erase_if(layer.members, [n](int i) { return i < 0 || i >= n; });
    }
    std::vector<Layer> layers(static_cast<std::size_t>(m_groups.size()) + 1);
    for (int i = 0; i < n; ++i) {
        const int g = m_groupOf[static_cast<std::size_t>(i)];
        const auto slot =
            g >= 0 && g < m_groups.size() ? static_cast<std::size_t>(g) : layers.size() - 1;
        layers[slot].members.push_back(i);
    }
    for (std::size_t g = 0; g < layers.size(); ++g) {
        if (layers[g].members.empty()) {
            continue;
        }
        Layer layer = std::move(layers[g]);
        layer.series = new QScatterSeries;
        const bool other = g == layers.size() - 1;
        const QColor colour =
            other ? QColor(150, 150, 150) : m_groups[static_cast<qsizetype>(g)].colour;
        layer.series->setName(other ? tr("other") : m_groups[static_cast<qsizetype>(g)].name);
        layer.series->setColor(colour);
        layer.series->setBorderColor(colour.darker(140));
        layer.series->setMarkerSize(kPointSize);
        m_chart->addSeries(layer.series);
        m_colourLayers.push_back(std::move(layer));
        m_hasOther = other;
    }
    for (Layer& layer : m_overlays) {
        m_chart->addSeries(layer.series);
    }
    m_chart->addSeries(m_querySeries);
    for (QAbstractSeries* series : m_chart->series()) {
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
    m_querySeries->replace(m_query ? QList<QPointF>{*m_query} : QList<QPointF>{});
    refreshLegend();
    scheduleRender();
}

void EmbeddingMap::scheduleRender() {
    m_renderPending = true;
    m_renderTimer->start();
}

PointRasterInput EmbeddingMap::rasterInput() const {
    PointRasterInput input;
    const int n = static_cast<int>(m_shown.size());
    input.size = m_chart->plotArea().size().toSize();
    input.pixelRatio = m_view->devicePixelRatioF();
    input.range = m_points->currentRange();
    input.positions.assign(m_shown.begin(), m_shown.end());
    input.colourOf.assign(static_cast<std::size_t>(n), 0);
    input.order.reserve(static_cast<std::size_t>(n));
    // "other" (the last layer, when there is one) is drawn first, so that the groups' colours
    // lie on top of the grey.
    std::vector<const Layer*> drawOrder;
    for (const Layer& layer : m_colourLayers) {
        drawOrder.push_back(&layer);
    }
    if (m_hasOther && !drawOrder.empty()) {
        std::rotate(drawOrder.begin(), drawOrder.end() - 1, drawOrder.end());
    }
    for (const Layer* layer : drawOrder) {
        const auto colour = static_cast<std::uint16_t>(input.fills.size());
        input.fills.push_back(layer->series->color());
        for (const int i : layer->members) {
            input.colourOf[static_cast<std::size_t>(i)] = colour;
            input.order.push_back(i);
        }
    }
    for (int o = 0; o < OverlayCount; ++o) {
        const Layer& overlay = m_overlays[static_cast<std::size_t>(o)];
        if (!overlay.members.empty()) {
            input.rings.push_back({overlay.members, overlay.series->pen().color(),
                                   static_cast<float>(kRingSizes[static_cast<std::size_t>(o)]),
                                   o == Search});
        }
    }
    const double scale = std::max(kSmallestScale, crowding(n));
    input.opacity = std::max(kFaintest, crowding(n));
    const bool sized = m_sizes.size() == static_cast<std::size_t>(n);
    input.diameters.resize(static_cast<std::size_t>(n));
    for (std::size_t i = 0; i < input.diameters.size(); ++i) {
        const double relative = sized ? std::clamp(m_sizes[i], 0.0, 1.0) : -1.0;
        const double diameter =
            sized ? kMinPointSize + relative * (kMaxPointSize - kMinPointSize) : kPointSize;
        input.diameters[i] = static_cast<float>(diameter * scale);
    }
    return input;
}

void EmbeddingMap::startRender() {
    if (m_renderInFlight) {
        return; // the finished handler starts the next one with what is current then
    }
    m_renderTimer->stop();
    m_renderPending = false;
    PointRasterInput input = rasterInput();
    if (input.positions.size() < static_cast<std::size_t>(kWorkerFrom)) {
        applyRaster(rasterisePoints(input));
        return;
    }
    m_renderInFlight = true;
    m_renderWatcher->setFuture(
        QtConcurrent::run([in = std::move(input)]() { return rasterisePoints(in); }));
}

void EmbeddingMap::renderNow() {
    if (m_renderInFlight) {
        // Its picture may be of an older state; the one drawn below replaces it if so.
        m_renderWatcher->waitForFinished();
        m_renderInFlight = false;
        applyRaster(m_renderWatcher->result());
    }
    if (m_renderPending) {
        m_renderTimer->stop();
        m_renderPending = false;
        applyRaster(rasterisePoints(rasterInput()));
    }
}

void EmbeddingMap::applyRaster(PointRaster raster) {
    m_points->setRaster(std::move(raster));
}

void EmbeddingMap::refreshLegend() {
    // Overlay entries only while they show something: an empty overlay is hidden, which hides
    // its legend entry too (Qt Charts resets a marker's own visibility to its series' on
    // every style change, so the series is what has to change). Qt Charts does not lay the
    // legend out again by itself when an entry comes or goes.
    bool changed = false;
    auto show = [this, &changed](QScatterSeries* series, bool visible) {
        if (series->isVisible() != visible) {
            series->setVisible(visible);
            changed = true;
        }
        for (QLegendMarker* marker : m_chart->legend()->markers(series)) {
            if (marker->isVisible() != visible) {
                marker->setVisible(visible);
                changed = true;
            }
        }
    };
    for (const Layer& layer : m_overlays) {
        show(layer.series, !layer.members.empty());
    }
    show(m_querySeries, m_query.has_value());
    if (changed && m_chart->legend()->layout() != nullptr) {
        m_chart->legend()->layout()->invalidate();
    }
}

void EmbeddingMap::refreshPoints() {
    m_querySeries->replace(m_query ? QList<QPointF>{*m_query} : QList<QPointF>{});
    scheduleRender();
}

void EmbeddingMap::fitAxes(bool includeShown) {
    double minX = std::numeric_limits<double>::infinity();
    double maxX = -minX;
    double minY = minX;
    double maxY = -minX;
    auto add = [&](const QPointF& p) {
        minX = std::min(minX, p.x());
        maxX = std::max(maxX, p.x());
        minY = std::min(minY, p.y());
        maxY = std::max(maxY, p.y());
    };
    for (const QPointF& p : m_target) {
        add(p);
    }
    if (includeShown) {
        for (const QPointF& p : m_shown) {
            add(p);
        }
    }
    if (m_query) {
        add(*m_query);
    }
    if (!std::isfinite(minX)) {
        m_x->setRange(-1.0, 1.0);
        m_y->setRange(-1.0, 1.0);
        return;
    }
    const double padX = std::max(1e-6, (maxX - minX) * 0.05);
    const double padY = std::max(1e-6, (maxY - minY) * 0.05);
    m_x->setRange(minX - padX, maxX + padX);
    m_y->setRange(minY - padY, maxY + padY);
}

void EmbeddingMap::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        restyle();
    }
}

void EmbeddingMap::restyle() {
    applyChartTheme(m_chart, palette(), font());
    m_x->setLabelsVisible(false);
    m_y->setLabelsVisible(false);
    m_x->setTickCount(9);
    m_y->setTickCount(7);
    QFont message = font();
    message.setPointSizeF(message.pointSizeF() * 1.1);
    m_message->setFont(message);
    styleOverlays();
    rebuildColours();
}

} // namespace towerlab
