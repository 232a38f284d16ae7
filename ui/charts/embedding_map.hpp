#pragma once
// The Embeddings tab's scatter plot: one marker per point (movie or user) coloured by group,
// with overlays for the query, its recommendations, search matches and a selection. Zoom with
// the wheel or a rubber band (left drag), pan with the middle button or Shift + drag, zoom out
// with a right click; hover and click report the point under the mouse. New positions can
// glide from the old ones, so a map that changes during training stays readable.
// It draws what it is given: positions, groups and highlights come from the view.

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <array>
#include <optional>
#include <vector>

class QChart;
class QChartView;
class QLabel;
class QPushButton;
class QScatterSeries;
class QValueAxis;
class QTimer;
class QVariantAnimation;
template <typename T> class QFutureWatcher;

namespace towerlab {

class PointLayer;
struct PointRaster;
struct PointRasterInput;

struct MapGroup {
    QString name;
    QColor colour;
};

class EmbeddingMap : public QWidget {
    Q_OBJECT

public:
    static constexpr int kAnimationMs = 600;

    explicit EmbeddingMap(QWidget* parent = nullptr);
    ~EmbeddingMap() override;

    // New positions, one per point. With animate (and the same count as before) the points
    // glide from where they are; otherwise they jump and the zoom resets. Overlays and groups
    // refer to point indices and stay.
    void setPositions(const QList<QPointF>& positions, bool animate);
    // New points with their colours at once (one rebuild instead of two); no animation.
    void setPoints(const QList<QPointF>& positions, const QList<MapGroup>& groups,
                   const std::vector<int>& groupOf);
    // Colours: groupOf[i] indexes groups (one legend entry each); -1 leaves a point grey.
    void setGroups(const QList<MapGroup>& groups, const std::vector<int>& groupOf);
    // Relative marker sizes in [0, 1] (e.g. popularity), or empty for one size.
    void setSizes(const std::vector<double>& relative);
    void setSearchMatches(const std::vector<int>& points);
    void setRecommended(const std::vector<int>& points);
    void setSelection(int selected, const std::vector<int>& neighbours);
    void setQueryMarker(std::optional<QPointF> position);
    void setTitle(const QString& title);
    // Removes every point; `message` says why the map is empty.
    void clear(const QString& message);
    void resetZoom();
    // True while the view shows none of the points (panned or zoomed away from all of them).
    bool showsOffscreenHint() const;

    // PNG or SVG by the suffix; false with a message in *error otherwise.
    bool exportImage(const QString& path, QString* error);

    int pointCount() const { return static_cast<int>(m_target.size()); }
    QPointF position(int point) const { return m_shown.value(point); }
    std::optional<QPointF> queryMarker() const { return m_query; }
    // Names of the legend's colour entries (overlays not included).
    QStringList legendLabels() const;
    int searchMatchCount() const { return static_cast<int>(m_overlays[Search].members.size()); }
    int recommendedCount() const {
        return static_cast<int>(m_overlays[Recommended].members.size());
    }
    // Points drawn in the current picture of the map (so tests can count what is on screen).
    int drawnPointCount() const;
    bool isAnimating() const;
    // Animating, or a picture of the points still to draw (see scheduleRender): tests and
    // screenshots wait for this to end.
    bool isSettling() const;
    // Where a point is drawn, in the chart view's viewport coordinates.
    QPointF viewPosition(int point) const;
    // The point drawn nearest to a viewport position within kPickRadius pixels, or -1.
    int pointAt(const QPointF& viewPosition) const;
    QChartView* chartView() const;

signals:
    void pointHovered(int point, const QPoint& globalPosition); // -1: none
    void pointClicked(int point);

protected:
    void changeEvent(QEvent* event) override;

private:
    class View;
    struct Layer {
        QScatterSeries* series = nullptr;
        std::vector<int> members;
    };

    enum Overlay { Recommended, Search, Neighbours, Selected, OverlayCount };

    void createOverlays();
    void styleOverlays();
    void rebuildColours();
    void setOverlay(Overlay overlay, std::vector<int> points);
    // The points are one picture (PointLayer): it is drawn again on the next event-loop turn
    // after anything it shows changed, on a worker thread when the map is big.
    void scheduleRender();
    void startRender();
    // Waits for a picture being drawn and draws a pending one here, for an export.
    void renderNow();
    PointRasterInput rasterInput() const;
    void applyRaster(PointRaster raster);
    bool isRendering() const;
    void refreshPoints();
    void refreshLegend();
    void fitAxes(bool includeShown);
    void restyle();
    // Shows "points are off-screen — Reset zoom" when panning or zooming left none in view.
    void updateOffscreenHint();

    QChart* m_chart;
    View* m_view;
    QValueAxis* m_x;
    QValueAxis* m_y;
    QLabel* m_message;
    QPushButton* m_offscreenHint;
    QVariantAnimation* m_animation;
    QList<QPointF> m_shown;  // positions on screen now
    QList<QPointF> m_from;   // animation start
    QList<QPointF> m_target; // where the points are going
    QList<MapGroup> m_groups;
    std::vector<int> m_groupOf;
    std::vector<double> m_sizes;
    std::optional<QPointF> m_query;
    // One empty series per colour and per overlay, for the legend; their members are drawn by
    // m_points.
    std::vector<Layer> m_colourLayers;
    std::array<Layer, OverlayCount> m_overlays; // kept for the map's life, rings on top
    QScatterSeries* m_querySeries = nullptr;
    PointLayer* m_points = nullptr; // owned by the chart
    QTimer* m_renderTimer = nullptr;
    QFutureWatcher<PointRaster>* m_renderWatcher = nullptr;
    bool m_renderPending = false; // something shown changed since the last render started
    // A render was started and its picture not shown yet. Not the watcher's isRunning(): that
    // turns false when the work ends, before its finished() is handled, and in between the map
    // looked settled with the older picture on show (the scale test once counted 0 points).
    bool m_renderInFlight = false;
    bool m_hasOther = false; // the last colour layer is the grey "other"
    bool m_zoomed = false;
};

} // namespace towerlab
