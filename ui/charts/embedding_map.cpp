#include "charts/embedding_map.hpp"

#include "charts/chart_export.hpp"
#include "charts/chart_theme.hpp"

#include <QElapsedTimer>
#include <QEvent>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QGuiApplication>
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

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace towerlab {

namespace {

constexpr double kPickRadius = 10.0;   // pixels
constexpr double kDragThreshold = 5.0; // pixels before a press becomes a rubber band
constexpr double kWheelStep = 1.25;
constexpr qint64 kFillSliceMs = 8;     // GUI-thread time per slice of a series fill
constexpr std::size_t kFillChunk = 64; // points appended at a time
constexpr double kPointSize = 7.0;
constexpr double kMinPointSize = 4.0;
constexpr double kMaxPointSize = 17.0;
// Qt Charts draws scatter series with OpenGL only from this many points on: below it the
// raster path is fast enough and keeps hover styling, point sizes and offscreen rendering.
constexpr int kOpenGlFrom = 5000;

bool useOpenGl(int points) {
    return points >= kOpenGlFrom && QGuiApplication::platformName() != QLatin1String("offscreen") &&
           QGuiApplication::platformName() != QLatin1String("minimal");
}

} // namespace

// The chart view with the map's own mouse handling: Qt Charts' rubber band would swallow
// every click, and its hover signals do not work with OpenGL series.
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
    // Thousands of marker items come and go with every new map or colouring: a BSP index
    // would be rebuilt each time, a plain list is faster for that.
    m_view->scene()->setItemIndexMethod(QGraphicsScene::NoIndex);
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
    m_fillTimer = new QTimer(this);
    m_fillTimer->setSingleShot(true);
    m_fillTimer->setInterval(0);
    connect(m_fillTimer, &QTimer::timeout, this, [this] { fillSome(kFillSliceMs); });
    createOverlays();
    restyle();
}

EmbeddingMap::~EmbeddingMap() = default;

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
    refreshSizes();
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
    Layer& layer = m_overlays[overlay];
    layer.members = std::move(points);
    fillLayer(layer);
    refreshLegend();
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
    finishFill();
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
    int n = 0;
    for (const Layer& layer : m_colourLayers) {
        n += static_cast<int>(layer.series->count());
    }
    return n;
}

bool EmbeddingMap::isAnimating() const {
    return m_animation->state() == QAbstractAnimation::Running;
}

bool EmbeddingMap::isSettling() const {
    return isAnimating() || isFilling();
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
    int best = -1;
    double bestDistance = kPickRadius * kPickRadius;
    for (int i = 0; i < m_shown.size(); ++i) {
        const QPointF d = this->viewPosition(i) - viewPosition;
        const double distance = d.x() * d.x() + d.y() * d.y();
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
    const std::array<double, OverlayCount> sizes = {12.0, 15.0, 13.0, 19.0};
    for (int o = 0; o < OverlayCount; ++o) {
        auto* series = new QScatterSeries;
        series->setName(names[static_cast<std::size_t>(o)]);
        series->setMarkerSize(sizes[static_cast<std::size_t>(o)]);
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
    // The overlays stay (they are only taken out and put back on top); the colour series are
    // made anew, one per group.
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
    const int n = static_cast<int>(m_target.size());
    for (Layer& layer : m_overlays) {
        std::erase_if(layer.members, [n](int i) { return i < 0 || i >= n; });
    }
    const bool gl = useOpenGl(n);
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
        // Opaque: alpha blending doubles the cost of painting thousands of markers.
        layer.series->setColor(colour);
        layer.series->setBorderColor(colour.darker(140));
        layer.series->setMarkerSize(kPointSize);
        layer.series->setUseOpenGL(gl);
        m_chart->addSeries(layer.series);
        m_colourLayers.push_back(std::move(layer));
    }
    for (Layer& layer : m_overlays) {
        m_chart->addSeries(layer.series);
    }
    m_chart->addSeries(m_querySeries);
    for (QAbstractSeries* series : m_chart->series()) {
        series->attachAxis(m_x);
        series->attachAxis(m_y);
    }
    for (const Layer& layer : m_overlays) {
        fillLayer(layer);
    }
    m_querySeries->replace(m_query ? QList<QPointF>{*m_query} : QList<QPointF>{});
    refreshLegend();
    // Qt Charts makes one graphics item per scatter point, about 30 us each: the new colour
    // series are filled in slices on later event-loop turns, so a map of thousands of points
    // never holds the GUI thread for long.
    m_fillLayer = 0;
    m_fillOffset = 0;
    fillSome(kFillSliceMs);
}

void EmbeddingMap::fillSome(qint64 budgetMs) {
    QElapsedTimer clock;
    clock.start();
    while (m_fillLayer < m_colourLayers.size()) {
        const Layer& layer = m_colourLayers[m_fillLayer];
        const std::size_t end = std::min(m_fillOffset + kFillChunk, layer.members.size());
        QList<QPointF> chunk;
        chunk.reserve(static_cast<qsizetype>(end - m_fillOffset));
        for (std::size_t k = m_fillOffset; k < end; ++k) {
            chunk.append(m_shown.value(layer.members[k]));
        }
        layer.series->append(chunk);
        m_fillOffset = end;
        if (m_fillOffset == layer.members.size()) {
            ++m_fillLayer;
            m_fillOffset = 0;
        }
        if (budgetMs >= 0 && clock.elapsed() >= budgetMs) {
            break;
        }
    }
    if (isFilling()) {
        m_fillTimer->start();
    } else {
        refreshSizes();
    }
}

void EmbeddingMap::finishFill() {
    if (isFilling()) {
        m_fillTimer->stop();
        fillSome(-1);
    }
}

bool EmbeddingMap::isFilling() const {
    return m_fillLayer < m_colourLayers.size();
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

void EmbeddingMap::fillLayer(const Layer& layer) {
    QList<QPointF> points;
    points.reserve(static_cast<qsizetype>(layer.members.size()));
    for (const int i : layer.members) {
        points.append(m_shown.value(i));
    }
    layer.series->replace(points);
}

void EmbeddingMap::refreshPoints() {
    finishFill();
    for (const Layer& layer : m_colourLayers) {
        fillLayer(layer);
    }
    for (const Layer& layer : m_overlays) {
        fillLayer(layer);
    }
    m_querySeries->replace(m_query ? QList<QPointF>{*m_query} : QList<QPointF>{});
}

void EmbeddingMap::refreshSizes() {
    if (isFilling()) {
        return; // applied when the fill ends
    }
    const bool sized = m_sizes.size() == static_cast<std::size_t>(m_target.size());
    for (const Layer& layer : m_colourLayers) {
        if (!sized || layer.series->useOpenGL()) {
            layer.series->clearPointsConfiguration();
            continue;
        }
        QHash<int, QHash<QXYSeries::PointConfiguration, QVariant>> configuration;
        for (std::size_t k = 0; k < layer.members.size(); ++k) {
            const double r =
                std::clamp(m_sizes[static_cast<std::size_t>(layer.members[k])], 0.0, 1.0);
            configuration[static_cast<int>(k)][QXYSeries::PointConfiguration::Size] =
                kMinPointSize + r * (kMaxPointSize - kMinPointSize);
        }
        layer.series->setPointsConfiguration(configuration);
    }
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
