#pragma once
// Live training curves of every run in a RunCollection: loss per batch and per epoch on the
// left, on the right one evaluation metric (top-k accuracy by default; a switch picks another:
// accuracy with seen movies excluded, coverage, popularity, Gini, novelty, genre diversity) at
// each evaluation with the most-popular baseline as a reference line. Incoming points are buffered
// and drawn at most every kFlushIntervalMs with QXYSeries::replace, animations off, so a fast
// trainer cannot flood the GUI thread. A seed set ("Repeat with N seeds") is drawn as the mean
// of its runs at each epoch with a band from the lowest to the highest run (loss per epoch and
// the metric at each evaluation), recomputed as its runs train; its runs' own curves follow
// their tick in the run table. All Qt Charts code of the application lives in this folder.

#include <QList>
#include <QPointF>
#include <QWidget>

#include <array>
#include <map>

class QAreaSeries;
class QChart;
class QChartView;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineSeries;
class QLogValueAxis;
class QScatterSeries;
class QSlider;
class QTimer;
class QToolButton;
class QValueAxis;
class QGraphicsSimpleTextItem;

namespace towerlab {

class RunCollection;
struct EpochRecord;
struct RunRecord;
struct TrainingHistory;

class TrainingCharts : public QWidget {
    Q_OBJECT

public:
    static constexpr int kFlushIntervalMs = 50;

    // What the right-hand chart draws, per cut-off k.
    enum class Metric {
        Accuracy,             // top-k accuracy
        AccuracySeenExcluded, // the same with each user's training movies excluded
        Coverage,
        Popularity, // mean popularity percentile
        Gini,
        Novelty,
        Diversity, // genre intra-list diversity
        // Not a metric over epochs: each movie's candidate-vector length against its training
        // ratings, for every shown run that has a model.
        VectorLength,
    };

    explicit TrainingCharts(RunCollection* runs, QWidget* parent = nullptr);
    ~TrainingCharts() override;

    // Exponential smoothing of the per-batch loss curve, 0 (raw) to 0.99.
    void setSmoothing(double weight);
    double smoothing() const { return m_smoothing; }
    // Which top-k curves are drawn; index into RankingMetrics::kCutoffs.
    void setCutoffShown(std::size_t cutoff, bool shown);
    // Switches the right-hand chart to another metric (also the switch above it).
    void setMetric(Metric metric);
    Metric metric() const { return m_metric; }

    // Saves both charts side by side as PNG or SVG (by the path's suffix). On failure returns
    // false with a message in *error.
    bool exportImage(const QString& path, QString* error) const;

    // What is on screen now (after the last flush), for tests and the status bar.
    // The per-batch points a run's loss line holds (one a full batch), before decimation.
    int batchPointCount(int runId) const;
    int epochPointCount(int runId) const;
    int accuracyPointCount(int runId, std::size_t cutoff) const;
    int baselineLineCount() const;
    // The value of the first point of a run's curve at a cut-off, for tests; NaN when none.
    double firstAccuracyValue(int runId, std::size_t cutoff) const;
    // The baseline lines' values, for tests.
    QList<double> baselineValues() const;
    // The vector-length chart's points of a run (x: training ratings, 0 drawn at 0.5; y:
    // length), for tests; empty when it has none.
    QList<QPointF> lengthPoints(int runId) const;
    bool runShown(int runId) const;
    // A seed set's drawn mean and band (lowest and highest run) at a cut-off of the right-hand
    // chart, and its epoch-loss mean and band; empty when it has none. For tests.
    QList<QPointF> seedSetMean(const QString& seedSet, std::size_t cutoff) const;
    QList<QPointF> seedSetBand(const QString& seedSet, std::size_t cutoff, bool upper) const;
    QList<QPointF> seedSetLossBand(const QString& seedSet, bool upper) const;
    bool seedSetShown(const QString& seedSet) const;
    // Draws pending points now instead of at the next timer tick.
    void flushNow();

    // The points the per-batch loss line of a run draws (decimated to the plot's width).
    qsizetype drawnBatchPoints(int runId) const;

protected:
    void changeEvent(QEvent* event) override;
    // A wider plot gets finer decimation of the per-batch lines.
    void resizeEvent(QResizeEvent* event) override;

private:
    struct Curves {
        QLineSeries* batchLoss = nullptr;
        QLineSeries* epochLoss = nullptr;
        std::array<QLineSeries*, 5> topK{};
        QList<QPointF> batchRaw;
        QList<QPointF> epochPoints;
        std::array<QList<QPointF>, 5> topKPoints;
        bool dirty = true;
    };

    // A seed set's mean lines, each over its band (the band's edges are not in the chart).
    struct SetCurves {
        QLineSeries* lossMean = nullptr;
        QLineSeries* lossUpper = nullptr;
        QLineSeries* lossLower = nullptr;
        QAreaSeries* lossBand = nullptr;
        std::array<QLineSeries*, 5> mean{};
        std::array<QLineSeries*, 5> upper{};
        std::array<QLineSeries*, 5> lower{};
        std::array<QAreaSeries*, 5> band{};
        bool dirty = true;
    };

    void addSeedSet(const QString& seedSet);
    void dropEmptySeedSets();
    void markSeedSetDirty(int runId);
    void updateSeedSet(const QString& seedSet, SetCurves& curves);
    void styleSeedSet(const QString& seedSet, SetCurves& curves);
    void setSeedSetShown(const QString& seedSet);
    void connectSetHover(QLineSeries* mean, const QString& seedSet, std::size_t cutoff);
    void restackBaselines();
    void addRun(int id);
    void removeRun(int id);
    void rebuildRun(int id);
    void appendBatches(int id, int first, int count);
    void appendEpoch(int id, int index);
    void setRunVisible(int id, bool visible);
    void scheduleFlush();
    void flush();
    void updateBaselines();
    void updateAxes();
    void updateLegends();
    void updateHint();
    void applyTheme();
    void styleRun(const RunRecord& run, Curves& curves);
    void connectHover(QLineSeries* series, int runId, const QString& what);
    void connectMetricHover(QLineSeries* series, int runId, std::size_t cutoff);
    void applyMetricTexts();
    void updateLengthChart();

    RunCollection* m_runs;
    std::map<int, Curves> m_curves;
    std::map<QString, SetCurves> m_sets;
    QList<QLineSeries*> m_baselines;
    bool m_baselinesDirty = true;

    QChart* m_lossChart;
    QChart* m_accuracyChart;
    QChartView* m_lossView;
    QChartView* m_accuracyView;
    QValueAxis* m_lossX;
    QValueAxis* m_lossY;
    QValueAxis* m_accuracyX;
    QValueAxis* m_accuracyY;
    QGraphicsSimpleTextItem* m_lossHint;
    QGraphicsSimpleTextItem* m_accuracyHint;
    QWidget* m_chartArea;
    QCheckBox* m_showBatches;
    QSlider* m_smoothingSlider;
    QLabel* m_smoothingLabel;
    std::array<QToolButton*, 5> m_cutoffButtons{};
    QComboBox* m_metricBox;
    // The vector-length diagnostic, in place of the accuracy chart when chosen.
    QChart* m_lengthChart;
    QChartView* m_lengthView;
    QLogValueAxis* m_lengthX;
    QValueAxis* m_lengthY;
    QGraphicsSimpleTextItem* m_lengthHint;
    std::map<int, QScatterSeries*> m_lengthSeries;
    Metric m_metric = Metric::Accuracy;
    std::array<bool, 5> m_cutoffShown{true, true, true, true, true};
    QTimer* m_flushTimer;
    double m_smoothing = 0.0;
};

} // namespace towerlab
