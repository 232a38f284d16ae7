#include "charts/training_charts.hpp"

#include "charts/chart_export.hpp"
#include "charts/chart_theme.hpp"
#include "charts/decimation.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/seed_sets.hpp"
#include "retrieval/vector_lengths.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QCursor>
#include <QEvent>
#include <QGraphicsSimpleTextItem>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QTimer>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QChart>
#include <QtCharts/QChartView>
#include <QtCharts/QLegend>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>
#include <vector>

namespace towerlab {

namespace {

constexpr std::size_t kCutoffs = RankingMetrics::kCutoffs.size();
// Pixel columns the per-batch lines are decimated to: the plot's width, within these bounds
// (a hidden chart reports a width of 0).
constexpr int kMinColumns = 400;
constexpr int kMaxColumns = 4096;

// Line style per cutoff, so colour can stay the run's: solid is the headline top-100.
Qt::PenStyle cutoffStyle(std::size_t cutoff) {
    constexpr std::array<Qt::PenStyle, kCutoffs> styles{Qt::DashDotDotLine, Qt::DashDotLine,
                                                        Qt::DotLine, Qt::DashLine, Qt::SolidLine};
    return styles[cutoff];
}

QString cutoffName(std::size_t cutoff) {
    return QStringLiteral("top-%1").arg(RankingMetrics::kCutoffs[cutoff]);
}

using Metric = TrainingCharts::Metric;

// The metric's row (one value per cut-off) in an evaluation, or null when the evaluation
// does not have it (seen-excluded metrics need the option; model files keep no beyond-accuracy
// metrics; a dataset without genres has no diversity).
const std::array<double, kCutoffs>* metricRow(const std::optional<RankingMetrics>& test,
                                              const std::optional<RankingMetrics>& seenExcluded,
                                              const std::optional<BeyondAccuracyMetrics>& beyond,
                                              Metric metric) {
    switch (metric) {
    case Metric::Accuracy:
        return test ? &test->topK : nullptr;
    case Metric::AccuracySeenExcluded:
        return seenExcluded ? &seenExcluded->topK : nullptr;
    case Metric::Coverage:
        return beyond ? &beyond->coverage : nullptr;
    case Metric::Popularity:
        return beyond ? &beyond->popularityPercentile : nullptr;
    case Metric::Gini:
        return beyond ? &beyond->gini : nullptr;
    case Metric::Novelty:
        return beyond ? &beyond->novelty : nullptr;
    case Metric::Diversity:
        return beyond && beyond->hasDiversity ? &beyond->diversity : nullptr;
    case Metric::VectorLength:
        return nullptr;
    }
    return nullptr;
}

const std::array<double, kCutoffs>* epochRow(const EpochRecord& record, Metric metric) {
    return metricRow(record.test, record.testExcludingSeen, record.beyond, metric);
}

const std::array<double, kCutoffs>* baselineRow(const TrainingHistory& history, Metric metric) {
    return metricRow(history.baseline, history.baselineExcludingSeen, history.baselineBeyond,
                     metric);
}

// The short name of a metric at a cut-off, for tooltips: "coverage@100".
QString metricAt(Metric metric, std::size_t cutoff) {
    const int k = RankingMetrics::kCutoffs[cutoff];
    switch (metric) {
    case Metric::Accuracy:
        return QStringLiteral("top-%1").arg(k);
    case Metric::AccuracySeenExcluded:
        return QCoreApplication::translate("TrainingCharts", "top-%1, seen excluded").arg(k);
    case Metric::Coverage:
        return QCoreApplication::translate("TrainingCharts", "coverage@%1").arg(k);
    case Metric::Popularity:
        return QCoreApplication::translate("TrainingCharts", "popularity percentile@%1").arg(k);
    case Metric::Gini:
        return QCoreApplication::translate("TrainingCharts", "Gini@%1").arg(k);
    case Metric::Novelty:
        return QCoreApplication::translate("TrainingCharts", "novelty@%1 (bits)").arg(k);
    case Metric::Diversity:
        return QCoreApplication::translate("TrainingCharts", "genre diversity@%1").arg(k);
    case Metric::VectorLength:
        return {};
    }
    return {};
}

// A tick step of 1, 2 or 5 times a power of ten giving about `ticks` intervals.
double niceStep(double span, int ticks) {
    if (!(span > 0.0)) {
        return 1.0;
    }
    const double raw = span / ticks;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (const double m : {1.0, 2.0, 5.0, 10.0}) {
        if (m * power >= raw) {
            return m * power;
        }
    }
    return 10.0 * power;
}

void setAxisRange(QValueAxis* axis, double lo, double hi, int ticks) {
    const double step = niceStep(hi - lo, ticks);
    lo = std::floor(lo / step) * step;
    hi = std::ceil(hi / step) * step;
    if (hi <= lo) {
        hi = lo + step;
    }
    const int decimals = step >= 1.0 ? 0 : static_cast<int>(std::ceil(-std::log10(step)));
    const QString format = QStringLiteral("%.") + QString::number(decimals) + QStringLiteral("f");
    // Unchanged axes are left alone: every change re-lays out the labels, and the flush timer
    // calls this twenty times a second.
    if (axis->tickType() == QValueAxis::TicksDynamic && axis->min() == lo && axis->max() == hi &&
        axis->tickInterval() == step && axis->labelFormat() == format) {
        return;
    }
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(lo);
    axis->setTickInterval(step);
    axis->setRange(lo, hi);
    axis->setLabelFormat(format);
}

QLineSeries* newSeries(QChart* chart, QValueAxis* x, QValueAxis* y, const QString& name) {
    auto* series = new QLineSeries;
    series->setName(name);
    chart->addSeries(series);
    series->attachAxis(x);
    series->attachAxis(y);
    return series;
}

// The epoch's mean over its full batches. The core's meanLoss also averages in the smaller
// last batch, whose summed loss is far lower, which would put the epoch line below every
// batch of the thin line; the thin line leaves that batch out for the same reason.
double displayedEpochLoss(const RunRecord& run, int index) {
    const EpochRecord& record = run.history.epochs[static_cast<std::size_t>(index)];
    const auto perEpoch = static_cast<std::size_t>(run.batchesPerEpoch);
    const auto first = static_cast<std::size_t>(index) * perEpoch;
    if (!run.lastBatchIsPartial() || perEpoch < 2 ||
        run.history.batchLosses.size() < first + perEpoch) {
        return record.meanLoss;
    }
    double sum = 0.0;
    for (std::size_t b = first; b + 1 < first + perEpoch; ++b) {
        sum += run.history.batchLosses[b];
    }
    return sum / static_cast<double>(perEpoch - 1);
}

} // namespace

TrainingCharts::TrainingCharts(RunCollection* runs, QWidget* parent)
    : QWidget(parent), m_runs(runs), m_lossChart(new QChart), m_accuracyChart(new QChart),
      m_lossX(new QValueAxis), m_lossY(new QValueAxis), m_accuracyX(new QValueAxis),
      m_accuracyY(new QValueAxis), m_lengthChart(new QChart), m_lengthX(new QLogValueAxis),
      m_lengthY(new QValueAxis), m_flushTimer(new QTimer(this)) {
    // Controls: which curves, how smooth.
    auto* controls = new QHBoxLayout;
    m_showBatches = new QCheckBox(tr("Per-batch loss"));
    m_showBatches->setChecked(true);
    m_showBatches->setToolTip(tr("Show the loss of every batch (thin line) as well as each "
                                 "epoch's mean (thick line with dots). Single batches are noisy: "
                                 "each sees a different random slice of the ratings. When the "
                                 "last batch of an epoch is smaller than the others its summed "
                                 "loss is not comparable, so both lines leave it out."));
    controls->addWidget(m_showBatches);
    auto* smoothLabel = new QLabel(tr("Smoothing"));
    m_smoothingSlider = new QSlider(Qt::Horizontal);
    m_smoothingSlider->setRange(0, 99);
    m_smoothingSlider->setValue(60);
    m_smoothingSlider->setMaximumWidth(160);
    // The metric switch beside it would otherwise squeeze it to nothing at 1280 px.
    m_smoothingSlider->setMinimumWidth(70);
    m_smoothingSlider->setToolTip(tr("Exponential moving average of the per-batch loss, like "
                                     "TensorBoard's: 0 shows the raw values, 0.99 a very smooth "
                                     "trend. The epoch means are never smoothed."));
    smoothLabel->setBuddy(m_smoothingSlider);
    m_smoothingLabel = new QLabel;
    m_smoothingLabel->setMinimumWidth(m_smoothingLabel->fontMetrics().horizontalAdvance("0.00 "));
    controls->addWidget(smoothLabel);
    controls->addWidget(m_smoothingSlider);
    controls->addWidget(m_smoothingLabel);
    controls->addSpacing(12);
    m_metricBox = new QComboBox;
    m_metricBox->setObjectName(QStringLiteral("chartMetric"));
    m_metricBox->addItem(tr("Top-k accuracy"), static_cast<int>(Metric::Accuracy));
    m_metricBox->addItem(tr("Top-k, seen excluded"),
                         static_cast<int>(Metric::AccuracySeenExcluded));
    m_metricBox->addItem(tr("Catalogue coverage"), static_cast<int>(Metric::Coverage));
    m_metricBox->addItem(tr("Popularity percentile"), static_cast<int>(Metric::Popularity));
    m_metricBox->addItem(tr("Gini of exposure"), static_cast<int>(Metric::Gini));
    m_metricBox->addItem(tr("Novelty"), static_cast<int>(Metric::Novelty));
    m_metricBox->addItem(tr("Genre diversity"), static_cast<int>(Metric::Diversity));
    m_metricBox->insertSeparator(m_metricBox->count());
    m_metricBox->addItem(tr("Vector length vs popularity"), static_cast<int>(Metric::VectorLength));
    m_metricBox->setToolTip(
        tr("What the right-hand chart shows at each evaluation, for every run and for the "
           "most-popular baseline (grey). Accuracy asks whether the test movie is in the top "
           "k; the others describe what the top k of every distinct test query contains: how "
           "much of the catalogue (coverage), how mainstream (popularity percentile, 0-100), "
           "how unevenly spread over movies (Gini, 0 = even), how unfamiliar (novelty, bits) "
           "and how varied in genre (diversity). \"Seen excluded\" needs \"Also with seen "
           "movies excluded\" in the form.\n\"Vector length vs popularity\" plots each "
           "movie's candidate vector length against its training ratings for every ticked "
           "run with a model: with dot-product scores a longer vector scores higher for "
           "everybody, which is how popular movies crowd the lists; the legend's r is the "
           "correlation of length with log(1 + ratings). Tick two runs (say without and with "
           "a sampling-bias correction) to compare them."));
    controls->addWidget(m_metricBox);
    connect(m_metricBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        setMetric(static_cast<Metric>(m_metricBox->itemData(index).toInt()));
    });
    controls->addWidget(new QLabel(tr("at")));
    for (std::size_t c = 0; c < kCutoffs; ++c) {
        auto* button = new QToolButton;
        button->setText(cutoffName(c));
        button->setCheckable(true);
        button->setChecked(true);
        button->setToolTip(tr("Show top-%1 accuracy: the share of test ratings whose movie is "
                              "among the %1 movies the model scores highest for that user.")
                               .arg(RankingMetrics::kCutoffs[c]));
        connect(button, &QToolButton::toggled, this, [this, c](bool on) { setCutoffShown(c, on); });
        m_cutoffButtons[c] = button;
        controls->addWidget(button);
    }
    controls->addStretch(1);

    for (QChart* chart : {m_lossChart, m_accuracyChart, m_lengthChart}) {
        chart->setAnimationOptions(QChart::NoAnimation);
        chart->legend()->setAlignment(Qt::AlignBottom);
        chart->legend()->setShowToolTips(true);
        chart->setMargins(QMargins(4, 4, 4, 4));
        chart->setBackgroundRoundness(0);
    }
    m_lossChart->setTitle(tr("Loss (in-batch softmax, summed over each batch)"));
    m_accuracyChart->setTitle(tr("Top-k accuracy on the test ratings"));
    m_lossX->setTitleText(tr("epoch"));
    m_accuracyX->setTitleText(tr("epoch"));
    m_lossY->setTitleText(tr("loss — lower is better"));
    m_accuracyY->setTitleText(tr("accuracy — higher is better"));
    m_lossChart->addAxis(m_lossX, Qt::AlignBottom);
    m_lossChart->addAxis(m_lossY, Qt::AlignLeft);
    m_accuracyChart->addAxis(m_accuracyX, Qt::AlignBottom);
    m_accuracyChart->addAxis(m_accuracyY, Qt::AlignLeft);

    m_lengthChart->setTitle(tr("Movie vector length against training popularity"));
    m_lengthX->setBase(10.0);
    m_lengthX->setLabelFormat(QStringLiteral("%g"));
    m_lengthX->setTitleText(tr("training ratings (log; none drawn at ½)"));
    m_lengthY->setTitleText(tr("length of the movie's vector"));
    m_lengthChart->addAxis(m_lengthX, Qt::AlignBottom);
    m_lengthChart->addAxis(m_lengthY, Qt::AlignLeft);

    m_lossView = new QChartView(m_lossChart);
    m_accuracyView = new QChartView(m_accuracyChart);
    m_lengthView = new QChartView(m_lengthChart);
    m_lengthView->hide();
    for (QChartView* view : {m_lossView, m_accuracyView, m_lengthView}) {
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumSize(260, 220);
    }
    m_lossHint = new QGraphicsSimpleTextItem(m_lossChart);
    m_accuracyHint = new QGraphicsSimpleTextItem(m_accuracyChart);
    m_lengthHint = new QGraphicsSimpleTextItem(m_lengthChart);
    connect(m_lengthChart, &QChart::plotAreaChanged, this, [this] { updateHint(); });
    connect(m_lossChart, &QChart::plotAreaChanged, this, [this] { updateHint(); });
    connect(m_accuracyChart, &QChart::plotAreaChanged, this, [this] { updateHint(); });

    m_chartArea = new QWidget;
    auto* chartsLayout = new QHBoxLayout(m_chartArea);
    chartsLayout->setContentsMargins(0, 0, 0, 0);
    chartsLayout->addWidget(m_lossView, 1);
    chartsLayout->addWidget(m_accuracyView, 1);
    chartsLayout->addWidget(m_lengthView, 1);

    auto* legendNote = new QLabel(
        tr("Line styles on the right: solid top-100, dashed top-50, dotted top-10, dash-dot "
           "top-5, dash-dot-dot top-1. Grey lines: the most-popular baseline (the same list "
           "for everyone). A seed group (Repeat with N seeds) is its mean, with a shaded band "
           "from the lowest to the highest seed. Hover a curve for its values."));
    legendNote->setWordWrap(true);
    legendNote->setForegroundRole(QPalette::PlaceholderText);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addWidget(m_chartArea, 1);
    layout->addWidget(legendNote);

    m_flushTimer->setSingleShot(true);
    m_flushTimer->setInterval(kFlushIntervalMs);
    connect(m_flushTimer, &QTimer::timeout, this, &TrainingCharts::flush);
    connect(m_showBatches, &QCheckBox::toggled, this, [this](bool on) {
        for (auto& [id, curves] : m_curves) {
            const RunRecord* run = m_runs->find(id);
            curves.batchLoss->setVisible(on && run != nullptr && run->visible);
        }
        updateLegends();
        updateAxes();
    });
    connect(m_smoothingSlider, &QSlider::valueChanged, this,
            [this](int value) { setSmoothing(value / 100.0); });

    connect(runs, &RunCollection::runAdded, this, &TrainingCharts::addRun);
    connect(runs, &RunCollection::runAboutToBeRemoved, this, &TrainingCharts::removeRun);
    connect(runs, &RunCollection::runChanged, this, &TrainingCharts::rebuildRun);
    connect(runs, &RunCollection::batchesAppended, this, &TrainingCharts::appendBatches);
    connect(runs, &RunCollection::epochAppended, this, &TrainingCharts::appendEpoch);
    connect(runs, &RunCollection::visibilityChanged, this, &TrainingCharts::setRunVisible);
    connect(runs, &RunCollection::runRemoved, this, &TrainingCharts::dropEmptySeedSets);
    connect(runs, &RunCollection::seedSetVisibilityChanged, this, &TrainingCharts::setSeedSetShown);
    // A run's model changes after a pause, a stop or the end; runs come and go.
    const auto lengthsFollow = [this] {
        if (m_metric == Metric::VectorLength) {
            updateLengthChart();
        }
    };
    connect(runs, &RunCollection::runChanged, this, lengthsFollow);
    connect(runs, &RunCollection::runRemoved, this, lengthsFollow);
    connect(runs, &RunCollection::visibilityChanged, this, lengthsFollow);

    applyTheme();
    setSmoothing(m_smoothingSlider->value() / 100.0);
    for (int row = 0; row < runs->count(); ++row) {
        addRun(runs->at(row).id);
    }
    flush();
}

TrainingCharts::~TrainingCharts() = default;

void TrainingCharts::setSmoothing(double weight) {
    m_smoothing = std::clamp(weight, 0.0, 0.99);
    m_smoothingLabel->setText(QString::number(m_smoothing, 'f', 2));
    const int slider = static_cast<int>(std::lround(m_smoothing * 100));
    if (m_smoothingSlider->value() != slider) {
        m_smoothingSlider->setValue(slider);
    }
    for (auto& [id, curves] : m_curves) {
        curves.dirty = true;
    }
    scheduleFlush();
}

void TrainingCharts::setCutoffShown(std::size_t cutoff, bool shown) {
    m_cutoffShown[cutoff] = shown;
    if (m_cutoffButtons[cutoff]->isChecked() != shown) {
        m_cutoffButtons[cutoff]->setChecked(shown);
    }
    for (auto& [id, curves] : m_curves) {
        const RunRecord* run = m_runs->find(id);
        curves.topK[cutoff]->setVisible(shown && run != nullptr && run->visible);
    }
    for (const auto& [set, curves] : m_sets) {
        setSeedSetShown(set);
    }
    m_baselinesDirty = true;
    updateLegends();
    scheduleFlush();
}

void TrainingCharts::addRun(int id) {
    const RunRecord* run = m_runs->find(id);
    if (run == nullptr || m_curves.count(id) != 0) {
        return;
    }
    Curves& curves = m_curves[id];
    curves.batchLoss = newSeries(m_lossChart, m_lossX, m_lossY, run->name);
    curves.epochLoss =
        newSeries(m_lossChart, m_lossX, m_lossY, QStringLiteral("#%1 %2").arg(id).arg(run->name));
    connectHover(curves.batchLoss, id, tr("batch loss"));
    connectHover(curves.epochLoss, id, tr("mean loss of the epoch's full batches"));
    for (std::size_t c = 0; c < kCutoffs; ++c) {
        curves.topK[c] = newSeries(m_accuracyChart, m_accuracyX, m_accuracyY,
                                   QStringLiteral("#%1 %2").arg(id).arg(run->name));
        connectMetricHover(curves.topK[c], id, c);
    }
    styleRun(*run, curves);
    if (!run->seedSet.isEmpty() && m_sets.count(run->seedSet) == 0) {
        addSeedSet(run->seedSet);
    }
    restackBaselines();
    rebuildRun(id);
    setRunVisible(id, run->visible);
}

void TrainingCharts::restackBaselines() {
    // The baseline stays the last legend entry, after every run.
    for (QLineSeries* baseline : std::as_const(m_baselines)) {
        m_accuracyChart->removeSeries(baseline);
        m_accuracyChart->addSeries(baseline);
        baseline->attachAxis(m_accuracyX);
        baseline->attachAxis(m_accuracyY);
    }
}

void TrainingCharts::addSeedSet(const QString& set) {
    SetCurves& curves = m_sets[set];
    const QString name = tr("%1 · mean, band lowest–highest seed").arg(seedSetLabel(*m_runs, set));
    const auto band = [&](QChart* chart, QValueAxis* x, QValueAxis* y, QLineSeries*& upper,
                          QLineSeries*& lower) {
        auto* area = new QAreaSeries;
        upper = new QLineSeries(area);
        lower = new QLineSeries(area);
        area->setUpperSeries(upper);
        area->setLowerSeries(lower);
        area->setName(tr("band of %1").arg(set));
        chart->addSeries(area);
        area->attachAxis(x);
        area->attachAxis(y);
        return area;
    };
    // Each band before its mean line, so the line is drawn over it.
    curves.lossBand = band(m_lossChart, m_lossX, m_lossY, curves.lossUpper, curves.lossLower);
    curves.lossMean = newSeries(m_lossChart, m_lossX, m_lossY, name);
    connectSetHover(curves.lossMean, set, kCutoffs);
    for (std::size_t c = 0; c < kCutoffs; ++c) {
        curves.band[c] =
            band(m_accuracyChart, m_accuracyX, m_accuracyY, curves.upper[c], curves.lower[c]);
        curves.mean[c] = newSeries(m_accuracyChart, m_accuracyX, m_accuracyY, name);
        connectSetHover(curves.mean[c], set, c);
    }
    styleSeedSet(set, curves);
    setSeedSetShown(set);
}

void TrainingCharts::dropEmptySeedSets() {
    for (auto it = m_sets.begin(); it != m_sets.end();) {
        if (!seedSetRuns(*m_runs, it->first).empty()) {
            it->second.dirty = true;
            ++it;
            continue;
        }
        SetCurves& curves = it->second;
        for (QAbstractSeries* s :
             std::initializer_list<QAbstractSeries*>{curves.lossBand, curves.lossMean}) {
            m_lossChart->removeSeries(s);
            delete s;
        }
        for (std::size_t c = 0; c < kCutoffs; ++c) {
            for (QAbstractSeries* s :
                 std::initializer_list<QAbstractSeries*>{curves.band[c], curves.mean[c]}) {
                m_accuracyChart->removeSeries(s);
                delete s;
            }
        }
        it = m_sets.erase(it);
    }
    m_baselinesDirty = true;
    scheduleFlush();
}

void TrainingCharts::markSeedSetDirty(int runId) {
    const RunRecord* run = m_runs->find(runId);
    if (run == nullptr || run->seedSet.isEmpty()) {
        return;
    }
    if (auto it = m_sets.find(run->seedSet); it != m_sets.end()) {
        it->second.dirty = true;
        m_baselinesDirty = true;
        scheduleFlush();
    }
}

void TrainingCharts::setSeedSetShown(const QString& set) {
    auto it = m_sets.find(set);
    if (it == m_sets.end()) {
        return;
    }
    const bool shown = m_runs->seedSetVisible(set);
    SetCurves& curves = it->second;
    curves.lossBand->setVisible(shown);
    curves.lossMean->setVisible(shown);
    for (std::size_t c = 0; c < kCutoffs; ++c) {
        curves.band[c]->setVisible(shown && m_cutoffShown[c]);
        curves.mean[c]->setVisible(shown && m_cutoffShown[c]);
    }
    m_baselinesDirty = true;
    updateLegends();
    scheduleFlush();
}

void TrainingCharts::styleSeedSet(const QString& set, SetCurves& curves) {
    const std::vector<int> ids = seedSetRuns(*m_runs, set);
    if (ids.empty()) {
        return;
    }
    const QColor colour = m_runs->find(ids.front())->colour;
    QColor fill = colour;
    fill.setAlphaF(0.2);
    for (QAreaSeries* area : curves.band) {
        area->setPen(Qt::NoPen);
        area->setBrush(fill);
    }
    curves.lossBand->setPen(Qt::NoPen);
    curves.lossBand->setBrush(fill);
    curves.lossMean->setPen(QPen(colour, 2.6));
    curves.lossMean->setPointsVisible(true);
    curves.lossMean->setMarkerSize(6.0);
    for (std::size_t c = 0; c < kCutoffs; ++c) {
        curves.mean[c]->setPen(QPen(colour, c == kCutoffs - 1 ? 2.6 : 2.0, cutoffStyle(c)));
        curves.mean[c]->setPointsVisible(true);
        curves.mean[c]->setMarkerSize(6.0);
    }
}

void TrainingCharts::updateSeedSet(const QString& set, SetCurves& curves) {
    // Per epoch: the values of every run of the set that has reached it (the running seed
    // joins as it trains, so the curve and band move live).
    using ByEpoch = std::map<int, std::vector<double>>;
    ByEpoch loss;
    std::array<ByEpoch, kCutoffs> metric;
    for (const int id : seedSetRuns(*m_runs, set)) {
        const RunRecord& run = *m_runs->find(id);
        for (std::size_t e = 0; e < run.history.epochs.size(); ++e) {
            const EpochRecord& record = run.history.epochs[e];
            loss[record.epoch].push_back(displayedEpochLoss(run, static_cast<int>(e)));
            if (const auto* row = epochRow(record, m_metric)) {
                for (std::size_t c = 0; c < kCutoffs; ++c) {
                    if (std::isfinite((*row)[c])) {
                        metric[c][record.epoch].push_back((*row)[c]);
                    }
                }
            }
        }
    }
    const auto draw = [](const ByEpoch& values, QLineSeries* mean, QLineSeries* upper,
                         QLineSeries* lower) {
        QList<QPointF> m;
        QList<QPointF> hi;
        QList<QPointF> lo;
        for (const auto& [epoch, v] : values) {
            double sum = 0.0;
            for (const double x : v) {
                sum += x;
            }
            const auto [min, max] = std::minmax_element(v.begin(), v.end());
            m.append(QPointF(epoch, sum / static_cast<double>(v.size())));
            hi.append(QPointF(epoch, *max));
            lo.append(QPointF(epoch, *min));
        }
        mean->replace(m);
        upper->replace(hi);
        lower->replace(lo);
    };
    draw(loss, curves.lossMean, curves.lossUpper, curves.lossLower);
    // The label names the set's runs and seeds, which grow as its runs are queued.
    const QString name = tr("%1 · mean, band lowest–highest seed").arg(seedSetLabel(*m_runs, set));
    curves.lossMean->setName(name);
    for (QLineSeries* mean : curves.mean) {
        mean->setName(name);
    }
    for (std::size_t c = 0; c < kCutoffs; ++c) {
        draw(metric[c], curves.mean[c], curves.upper[c], curves.lower[c]);
    }
}

void TrainingCharts::connectSetHover(QLineSeries* series, const QString& set, std::size_t cutoff) {
    connect(series, &QLineSeries::hovered, this, [this, set, cutoff](const QPointF& p, bool on) {
        const auto it = m_sets.find(set);
        if (!on || it == m_sets.end()) {
            return;
        }
        const SetCurves& curves = it->second;
        const bool loss = cutoff >= kCutoffs;
        const QLineSeries* upper = loss ? curves.lossUpper : curves.upper[cutoff];
        const QLineSeries* lower = loss ? curves.lossLower : curves.lower[cutoff];
        const QLineSeries* mean = loss ? curves.lossMean : curves.mean[cutoff];
        int index = 0;
        for (int i = 0; i < mean->count(); ++i) {
            if (std::abs(mean->at(i).x() - p.x()) < std::abs(mean->at(index).x() - p.x())) {
                index = i;
            }
        }
        if (index >= upper->count()) {
            return;
        }
        const QString what = loss ? tr("mean loss of the epoch") : metricAt(m_metric, cutoff);
        const int decimals = !loss && m_metric == Metric::Popularity ? 1 : 3;
        QToolTip::showText(QCursor::pos(),
                           tr("%1\nepoch %2\n%3: mean %4, lowest %5, highest %6")
                               .arg(seedSetLabel(*m_runs, set))
                               .arg(mean->at(index).x(), 0, 'f', 0)
                               .arg(what)
                               .arg(mean->at(index).y(), 0, 'f', decimals)
                               .arg(lower->at(index).y(), 0, 'f', decimals)
                               .arg(upper->at(index).y(), 0, 'f', decimals),
                           this);
    });
}

void TrainingCharts::removeRun(int id) {
    auto it = m_curves.find(id);
    if (it == m_curves.end()) {
        return;
    }
    Curves& curves = it->second;
    for (QLineSeries* s : {curves.batchLoss, curves.epochLoss}) {
        m_lossChart->removeSeries(s);
        delete s;
    }
    for (QLineSeries* s : curves.topK) {
        m_accuracyChart->removeSeries(s);
        delete s;
    }
    m_curves.erase(it);
    m_baselinesDirty = true;
    scheduleFlush();
}

void TrainingCharts::rebuildRun(int id) {
    auto it = m_curves.find(id);
    const RunRecord* run = m_runs->find(id);
    if (it == m_curves.end() || run == nullptr) {
        return;
    }
    Curves& curves = it->second;
    curves.batchRaw.clear();
    curves.epochPoints.clear();
    for (auto& points : curves.topKPoints) {
        points.clear();
    }
    appendBatches(id, 0, static_cast<int>(run->history.batchLosses.size()));
    for (std::size_t e = 0; e < run->history.epochs.size(); ++e) {
        appendEpoch(id, static_cast<int>(e));
    }
    curves.epochLoss->setName(QStringLiteral("#%1 %2").arg(id).arg(run->name));
    for (QLineSeries* s : curves.topK) {
        s->setName(QStringLiteral("#%1 %2").arg(id).arg(run->name));
    }
    curves.dirty = true;
    m_baselinesDirty = true;
    markSeedSetDirty(id);
    scheduleFlush();
}

void TrainingCharts::appendBatches(int id, int first, int count) {
    auto it = m_curves.find(id);
    const RunRecord* run = m_runs->find(id);
    if (it == m_curves.end() || run == nullptr || run->batchesPerEpoch <= 0) {
        return;
    }
    // The smaller last batch of an epoch has a much smaller summed loss; drawn, it would
    // make every epoch end in a dip that means nothing.
    const bool skipLast = run->lastBatchIsPartial();
    const int perEpoch = run->batchesPerEpoch;
    Curves& curves = it->second;
    for (int g = first; g < first + count; ++g) {
        if (skipLast && g % perEpoch == perEpoch - 1) {
            continue;
        }
        curves.batchRaw.append(QPointF(static_cast<double>(g + 1) / perEpoch,
                                       run->history.batchLosses[static_cast<std::size_t>(g)]));
    }
    curves.dirty = true;
    scheduleFlush();
}

void TrainingCharts::appendEpoch(int id, int index) {
    auto it = m_curves.find(id);
    const RunRecord* run = m_runs->find(id);
    if (it == m_curves.end() || run == nullptr) {
        return;
    }
    const EpochRecord& record = run->history.epochs[static_cast<std::size_t>(index)];
    Curves& curves = it->second;
    curves.epochPoints.append(QPointF(record.epoch, displayedEpochLoss(*run, index)));
    if (const auto* row = epochRow(record, m_metric)) {
        for (std::size_t c = 0; c < kCutoffs; ++c) {
            // Not every cut-off has a value (diversity at 1: a list of one has no pairs).
            if (std::isfinite((*row)[c])) {
                curves.topKPoints[c].append(QPointF(record.epoch, (*row)[c]));
            }
        }
    }
    curves.dirty = true;
    markSeedSetDirty(id);
    scheduleFlush();
}

qsizetype TrainingCharts::drawnBatchPoints(int runId) const {
    const auto it = m_curves.find(runId);
    return it == m_curves.end() ? 0 : it->second.batchLoss->count();
}

void TrainingCharts::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    for (auto& [id, curves] : m_curves) {
        curves.dirty = true;
    }
    scheduleFlush();
}

void TrainingCharts::setRunVisible(int id, bool visible) {
    auto it = m_curves.find(id);
    if (it == m_curves.end()) {
        return;
    }
    Curves& curves = it->second;
    curves.batchLoss->setVisible(visible && m_showBatches->isChecked());
    curves.epochLoss->setVisible(visible);
    for (std::size_t c = 0; c < kCutoffs; ++c) {
        curves.topK[c]->setVisible(visible && m_cutoffShown[c]);
    }
    m_baselinesDirty = true;
    updateLegends();
    scheduleFlush();
}

void TrainingCharts::scheduleFlush() {
    if (!m_flushTimer->isActive()) {
        m_flushTimer->start();
    }
}

void TrainingCharts::flushNow() {
    m_flushTimer->stop();
    flush();
}

void TrainingCharts::flush() {
    bool any = false;
    QList<QPointF> smoothed;
    // A long run has tens of thousands of batches; drawing each one made every repaint and
    // tab switch slower as the run went on. Four points per pixel column look the same.
    const int columns =
        std::clamp(static_cast<int>(m_lossChart->plotArea().width()), kMinColumns, kMaxColumns);
    for (auto& [id, curves] : m_curves) {
        if (!curves.dirty) {
            continue;
        }
        any = true;
        curves.dirty = false;
        if (m_smoothing > 0.0) {
            // TensorBoard's debiased exponential moving average: the first points are not
            // pulled towards zero.
            smoothed.resize(curves.batchRaw.size());
            double average = 0.0;
            double weightSum = 0.0;
            for (qsizetype i = 0; i < curves.batchRaw.size(); ++i) {
                average = m_smoothing * average + (1.0 - m_smoothing) * curves.batchRaw[i].y();
                weightSum = m_smoothing * weightSum + (1.0 - m_smoothing);
                smoothed[i] = QPointF(curves.batchRaw[i].x(), average / weightSum);
            }
            curves.batchLoss->replace(decimateMinMax(smoothed, columns));
        } else {
            curves.batchLoss->replace(decimateMinMax(curves.batchRaw, columns));
        }
        curves.epochLoss->replace(curves.epochPoints);
        for (std::size_t c = 0; c < kCutoffs; ++c) {
            curves.topK[c]->replace(curves.topKPoints[c]);
        }
    }
    for (auto& [set, curves] : m_sets) {
        if (curves.dirty) {
            curves.dirty = false;
            updateSeedSet(set, curves);
            any = true;
        }
    }
    if (m_baselinesDirty) {
        updateBaselines();
        any = true;
    }
    if (any) {
        updateAxes();
        updateHint();
    }
}

void TrainingCharts::updateBaselines() {
    m_baselinesDirty = false;
    // One line per distinct baseline value and cutoff: runs on the same data and split share
    // their baseline, and twelve identical grey lines would only add clutter.
    // A shown seed set adds the mean of its runs' baselines (each seed has its own split):
    // one line per set, not one per seed.
    std::vector<std::array<double, kCutoffs>> rows;
    for (int row = 0; row < m_runs->count(); ++row) {
        const RunRecord& run = m_runs->at(row);
        if (const auto* baseline = run.visible ? baselineRow(run.history, m_metric) : nullptr) {
            rows.push_back(*baseline);
        }
    }
    for (const auto& [set, curves] : m_sets) {
        if (!m_runs->seedSetVisible(set)) {
            continue;
        }
        std::array<double, kCutoffs> sum{};
        int n = 0;
        for (const int id : seedSetRuns(*m_runs, set)) {
            if (const auto* baseline = baselineRow(m_runs->find(id)->history, m_metric)) {
                for (std::size_t c = 0; c < kCutoffs; ++c) {
                    sum[c] += (*baseline)[c];
                }
                ++n;
            }
        }
        if (n > 0) {
            for (double& v : sum) {
                v /= n;
            }
            rows.push_back(sum);
        }
    }
    QList<QPair<std::size_t, double>> wanted;
    for (const auto& baseline : rows) {
        for (std::size_t c = 0; c < kCutoffs; ++c) {
            const double value = baseline[c];
            if (!std::isfinite(value)) {
                continue;
            }
            const bool seen = std::any_of(wanted.begin(), wanted.end(), [&](const auto& w) {
                return w.first == c && std::abs(w.second - value) < 1e-9;
            });
            if (m_cutoffShown[c] && !seen) {
                wanted.append({c, value});
            }
        }
    }
    while (m_baselines.size() > wanted.size()) {
        QLineSeries* s = m_baselines.takeLast();
        m_accuracyChart->removeSeries(s);
        delete s;
    }
    while (m_baselines.size() < wanted.size()) {
        QLineSeries* s = newSeries(m_accuracyChart, m_accuracyX, m_accuracyY, tr("most popular"));
        m_baselines.append(s);
        connect(s, &QLineSeries::hovered, this, [this, s](const QPointF&, bool state) {
            if (state) {
                QToolTip::showText(QCursor::pos(), s->property("tip").toString(), this);
            }
        });
    }
    const QColor grey = chartTextColour(palette(), 0.45);
    for (qsizetype i = 0; i < wanted.size(); ++i) {
        QLineSeries* s = m_baselines[i];
        QPen pen(grey, 1.6, cutoffStyle(wanted[i].first));
        s->setPen(pen);
        s->setProperty("cutoff", static_cast<int>(wanted[i].first));
        s->setProperty("value", wanted[i].second);
        s->setProperty("tip", tr("Most popular movies for everyone\n%1 = %2")
                                  .arg(metricAt(m_metric, wanted[i].first))
                                  .arg(wanted[i].second, 0, 'f', 3));
    }
    updateLegends();
}

void TrainingCharts::updateAxes() {
    double maxEpoch = 1.0;
    std::vector<double> losses;
    double accuracyHi = 0.0;
    for (const auto& [id, curves] : m_curves) {
        const RunRecord* run = m_runs->find(id);
        if (run == nullptr || !run->visible) {
            continue;
        }
        maxEpoch = std::max(maxEpoch, static_cast<double>(run->training.epochs));
        // The drawn (decimated, at most 4 a pixel column) batch points, not the raw ones: a
        // long run has tens of thousands, and this runs on every flush.
        const QList<QPointF> drawn =
            m_showBatches->isChecked() ? curves.batchLoss->points() : QList<QPointF>{};
        losses.reserve(losses.size() + static_cast<std::size_t>(drawn.size()) +
                       static_cast<std::size_t>(curves.epochPoints.size()));
        for (const QList<QPointF>* points : {&drawn, &curves.epochPoints}) {
            for (const QPointF& p : *points) {
                losses.push_back(p.y());
            }
        }
        for (std::size_t c = 0; c < kCutoffs; ++c) {
            if (!m_cutoffShown[c]) {
                continue;
            }
            for (const QPointF& p : curves.topKPoints[c]) {
                accuracyHi = std::max(accuracyHi, p.y());
            }
        }
    }
    for (const auto& [set, curves] : m_sets) {
        if (!m_runs->seedSetVisible(set)) {
            continue;
        }
        for (const int id : seedSetRuns(*m_runs, set)) {
            maxEpoch = std::max(maxEpoch, static_cast<double>(m_runs->find(id)->training.epochs));
        }
        for (const QLineSeries* edge : {curves.lossUpper, curves.lossLower}) {
            for (const QPointF& p : edge->points()) {
                losses.push_back(p.y());
            }
        }
        for (std::size_t c = 0; c < kCutoffs; ++c) {
            if (!m_cutoffShown[c]) {
                continue;
            }
            for (const QPointF& p : curves.upper[c]->points()) {
                accuracyHi = std::max(accuracyHi, p.y());
            }
        }
    }
    for (QLineSeries* s : std::as_const(m_baselines)) {
        accuracyHi = std::max(accuracyHi, s->property("value").toDouble());
    }
    // Baselines span the whole x range, so their end points follow the axis.
    for (QLineSeries* s : std::as_const(m_baselines)) {
        const double value = s->property("value").toDouble();
        s->replace(QList<QPointF>{{0.0, value}, {maxEpoch, value}});
    }
    setAxisRange(m_lossX, 0.0, maxEpoch, 6);
    setAxisRange(m_accuracyX, 0.0, maxEpoch, 6);
    if (!losses.empty()) {
        // The 1st to 99th percentile of what is drawn: a diverging first few batches (a
        // [64,32] run on the demo starts near 230,000 against 14,000 after) would otherwise
        // flatten every curve into one line; such spikes run off the top of the plot.
        const auto at = [&](double share) {
            const auto index =
                static_cast<std::size_t>(share * static_cast<double>(losses.size() - 1));
            std::nth_element(losses.begin(), losses.begin() + static_cast<std::ptrdiff_t>(index),
                             losses.end());
            return losses[index];
        };
        const double lossLo =
            losses.size() >= 100 ? at(0.01) : *std::min_element(losses.begin(), losses.end());
        const double lossHi =
            losses.size() >= 100 ? at(0.99) : *std::max_element(losses.begin(), losses.end());
        const double pad = std::max((lossHi - lossLo) * 0.05, std::abs(lossHi) * 1e-3 + 1e-9);
        // A summed softmax loss is never negative.
        setAxisRange(m_lossY, std::max(0.0, lossLo - pad), lossHi + pad, 5);
    } else {
        setAxisRange(m_lossY, 0.0, 1.0, 5);
    }
    switch (m_metric) {
    case Metric::Popularity: // a percentile: the whole scale, so 50 reads as "average"
        setAxisRange(m_accuracyY, 0.0, 100.0, 5);
        break;
    case Metric::Novelty: // bits, not a share
        setAxisRange(m_accuracyY, 0.0, std::max(accuracyHi * 1.1, 1.0), 5);
        break;
    default:
        setAxisRange(m_accuracyY, 0.0, std::clamp(accuracyHi * 1.1, 0.05, 1.0), 5);
        break;
    }
}

void TrainingCharts::updateLegends() {
    for (auto& [id, curves] : m_curves) {
        for (QLegendMarker* m : m_lossChart->legend()->markers(curves.batchLoss)) {
            m->setVisible(false);
        }
        // One legend entry per run on the right: the first cutoff that is drawn.
        bool first = true;
        for (std::size_t c = kCutoffs; c-- > 0;) {
            for (QLegendMarker* m : m_accuracyChart->legend()->markers(curves.topK[c])) {
                m->setVisible(first && curves.topK[c]->isVisible());
            }
            first = first && !curves.topK[c]->isVisible();
        }
    }
    for (auto& [set, curves] : m_sets) {
        // The band explains itself in the mean line's name.
        for (QLegendMarker* m : m_lossChart->legend()->markers(curves.lossBand)) {
            m->setVisible(false);
        }
        bool first = true;
        for (std::size_t c = kCutoffs; c-- > 0;) {
            for (QLegendMarker* m : m_accuracyChart->legend()->markers(curves.band[c])) {
                m->setVisible(false);
            }
            for (QLegendMarker* m : m_accuracyChart->legend()->markers(curves.mean[c])) {
                m->setVisible(first && curves.mean[c]->isVisible());
            }
            first = first && !curves.mean[c]->isVisible();
        }
    }
    for (qsizetype i = 0; i < m_baselines.size(); ++i) {
        for (QLegendMarker* m : m_accuracyChart->legend()->markers(m_baselines[i])) {
            m->setVisible(i == 0);
        }
    }
}

void TrainingCharts::updateHint() {
    bool lossEmpty = true;
    bool accuracyEmpty = true;
    bool anyEvaluation = false;
    for (const auto& [id, curves] : m_curves) {
        const RunRecord* run = m_runs->find(id);
        if (run == nullptr || !run->visible) {
            continue;
        }
        lossEmpty = lossEmpty && curves.epochPoints.isEmpty() && curves.batchRaw.isEmpty();
        for (const auto& points : curves.topKPoints) {
            accuracyEmpty = accuracyEmpty && points.isEmpty();
        }
        anyEvaluation = anyEvaluation || run->finalMetrics() != nullptr;
    }
    for (const auto& [set, curves] : m_sets) {
        if (!m_runs->seedSetVisible(set)) {
            continue;
        }
        lossEmpty = lossEmpty && curves.lossMean->count() == 0;
        for (const QLineSeries* mean : curves.mean) {
            accuracyEmpty = accuracyEmpty && mean->count() == 0;
        }
        for (const int id : seedSetRuns(*m_runs, set)) {
            anyEvaluation = anyEvaluation || m_runs->find(id)->finalMetrics() != nullptr;
        }
    }
    m_lossHint->setText(m_curves.empty() ? tr("Press Train: the loss of each batch appears here.")
                                         : tr("Waiting for the first batch…"));
    if (m_curves.empty()) {
        m_accuracyHint->setText(tr("Accuracy on the test ratings appears here\nafter each "
                                   "evaluation."));
    } else if (!anyEvaluation) {
        m_accuracyHint->setText(tr("Waiting for the first evaluation…"));
    } else if (m_metric == Metric::AccuracySeenExcluded) {
        m_accuracyHint->setText(tr("No run shown was measured with seen movies excluded:\n"
                                   "tick \"Also with seen movies excluded\" and train."));
    } else {
        m_accuracyHint->setText(tr("No run shown has this metric: runs opened from model\n"
                                   "files keep only accuracy; train again to measure it."));
    }
    m_lossHint->setVisible(lossEmpty);
    m_accuracyHint->setVisible(accuracyEmpty);
    m_lengthHint->setText(tr("Each movie's vector length against its training ratings\n"
                             "appears here for every ticked run once it has a model\n"
                             "(after the first epoch, a pause or the end)."));
    m_lengthHint->setVisible(m_lengthSeries.empty());
    for (auto [chart, hint] :
         {std::pair{m_lossChart, m_lossHint}, std::pair{m_accuracyChart, m_accuracyHint},
          std::pair{m_lengthChart, m_lengthHint}}) {
        const QRectF area = chart->plotArea();
        const QRectF box = hint->boundingRect();
        hint->setPos(area.center() - QPointF(box.width() / 2, box.height() / 2));
    }
}

void TrainingCharts::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        applyTheme();
    }
}

void TrainingCharts::applyTheme() {
    for (QChart* chart : {m_lossChart, m_accuracyChart, m_lengthChart}) {
        applyChartTheme(chart, palette(), font());
    }
    for (QGraphicsSimpleTextItem* hint : {m_lossHint, m_accuracyHint, m_lengthHint}) {
        hint->setBrush(chartTextColour(palette(), 0.6));
        QFont f = font();
        f.setPointSizeF(f.pointSizeF() * 1.15);
        hint->setFont(f);
    }
    // A theme resets series pens; give every run its colour back.
    for (auto& [id, curves] : m_curves) {
        if (const RunRecord* run = m_runs->find(id)) {
            styleRun(*run, curves);
        }
    }
    for (auto& [set, curves] : m_sets) {
        styleSeedSet(set, curves);
    }
    m_baselinesDirty = true;
    if (m_metric == Metric::VectorLength) {
        updateLengthChart();
    }
    scheduleFlush();
}

void TrainingCharts::styleRun(const RunRecord& run, Curves& curves) {
    QColor faint = run.colour;
    faint.setAlphaF(0.55);
    curves.batchLoss->setPen(QPen(faint, 1.2));
    curves.epochLoss->setPen(QPen(run.colour, 2.6));
    curves.epochLoss->setPointsVisible(true);
    curves.epochLoss->setMarkerSize(6.0);
    for (std::size_t c = 0; c < kCutoffs; ++c) {
        curves.topK[c]->setPen(QPen(run.colour, c == kCutoffs - 1 ? 2.6 : 2.0, cutoffStyle(c)));
        curves.topK[c]->setPointsVisible(true);
        curves.topK[c]->setMarkerSize(6.0);
    }
}

void TrainingCharts::connectHover(QLineSeries* series, int runId, const QString& what) {
    connect(series, &QLineSeries::hovered, this, [this, runId, what](const QPointF& p, bool on) {
        const RunRecord* run = m_runs->find(runId);
        if (!on || run == nullptr) {
            return;
        }
        QToolTip::showText(QCursor::pos(),
                           tr("Run #%1: %2\nepoch %3\n%4 = %5")
                               .arg(runId)
                               .arg(run->name)
                               .arg(p.x(), 0, 'f', p.x() == std::floor(p.x()) ? 0 : 2)
                               .arg(what)
                               .arg(p.y(), 0, 'f', p.y() < 10 ? 3 : 0),
                           this);
    });
}

void TrainingCharts::connectMetricHover(QLineSeries* series, int runId, std::size_t cutoff) {
    connect(series, &QLineSeries::hovered, this, [this, runId, cutoff](const QPointF& p, bool on) {
        const RunRecord* run = m_runs->find(runId);
        if (!on || run == nullptr) {
            return;
        }
        QToolTip::showText(QCursor::pos(),
                           tr("Run #%1: %2\nepoch %3\n%4 = %5")
                               .arg(runId)
                               .arg(run->name)
                               .arg(p.x(), 0, 'f', 0)
                               .arg(metricAt(m_metric, cutoff))
                               .arg(p.y(), 0, 'f', m_metric == Metric::Popularity ? 1 : 3),
                           this);
    });
}

void TrainingCharts::setMetric(Metric metric) {
    const int index = m_metricBox->findData(static_cast<int>(metric));
    if (m_metricBox->currentIndex() != index) {
        m_metricBox->setCurrentIndex(index); // comes back here through the signal
        return;
    }
    if (m_metric == metric) {
        return;
    }
    m_metric = metric;
    const bool lengths = metric == Metric::VectorLength;
    m_accuracyView->setVisible(!lengths);
    m_lengthView->setVisible(lengths);
    if (lengths) {
        updateLengthChart();
    }
    applyMetricTexts();
    for (const auto& [id, curves] : m_curves) {
        rebuildRun(id);
    }
    for (auto& [set, curves] : m_sets) {
        curves.dirty = true;
    }
    m_baselinesDirty = true;
    scheduleFlush();
}

void TrainingCharts::applyMetricTexts() {
    switch (m_metric) {
    case Metric::Accuracy:
        m_accuracyChart->setTitle(tr("Top-k accuracy on the test ratings"));
        m_accuracyY->setTitleText(tr("accuracy — higher is better"));
        break;
    case Metric::AccuracySeenExcluded:
        m_accuracyChart->setTitle(
            tr("Top-k accuracy, each user's training movies excluded from the ranking"));
        m_accuracyY->setTitleText(tr("accuracy — higher is better"));
        break;
    case Metric::Coverage:
        m_accuracyChart->setTitle(tr("Catalogue coverage: movies in some test query's top k"));
        m_accuracyY->setTitleText(tr("share of the catalogue"));
        break;
    case Metric::Popularity:
        m_accuracyChart->setTitle(tr("Mean popularity percentile of the top k"));
        m_accuracyY->setTitleText(tr("percentile — 50 = average movie"));
        break;
    case Metric::Gini:
        m_accuracyChart->setTitle(tr("Gini of how often each movie is in a top k"));
        m_accuracyY->setTitleText(tr("Gini — 0 = every movie equally"));
        break;
    case Metric::Novelty:
        m_accuracyChart->setTitle(tr("Novelty: mean self-information of the top k"));
        m_accuracyY->setTitleText(tr("bits — higher = less familiar"));
        break;
    case Metric::Diversity:
        m_accuracyChart->setTitle(tr("Genre diversity within the top k"));
        m_accuracyY->setTitleText(tr("1 − Jaccard, mean over pairs"));
        break;
    case Metric::VectorLength:
        break;
    }
    for (QToolButton* button : m_cutoffButtons) {
        button->setEnabled(m_metric != Metric::VectorLength);
    }
    updateHint();
}

void TrainingCharts::updateLengthChart() {
    for (auto& [id, series] : m_lengthSeries) {
        m_lengthChart->removeSeries(series);
        delete series;
    }
    m_lengthSeries.clear();
    double xLo = std::numeric_limits<double>::infinity();
    double xHi = 1.0;
    double yHi = 0.0;
    for (int row = 0; row < m_runs->count(); ++row) {
        const RunRecord& run = m_runs->at(row);
        if (!run.visible || run.trainedModel == nullptr) {
            continue;
        }
        const VectorLengths lengths = candidateVectorLengths(*run.trainedModel);
        QList<QPointF> points;
        points.reserve(static_cast<qsizetype>(lengths.length.size()));
        for (std::size_t m = 0; m < lengths.length.size(); ++m) {
            // A log axis has no 0: unrated movies sit at ½, left of every rated one.
            const double x = lengths.ratings[m] > 0 ? lengths.ratings[m] : 0.5;
            points.append(QPointF(x, lengths.length[m]));
            xLo = std::min(xLo, x);
            xHi = std::max(xHi, x);
            yHi = std::max(yHi, lengths.length[m]);
        }
        auto* series = new QScatterSeries;
        const QString r = std::isfinite(lengths.logPopularityCorrelation)
                              ? QString::number(lengths.logPopularityCorrelation, 'f', 2)
                              : QStringLiteral("–");
        // The run's name is in the table; the legend keeps to what this chart adds.
        series->setName(tr("#%1  r = %2").arg(run.id).arg(r));
        series->setMarkerSize(5.0);
        QColor fill = run.colour;
        fill.setAlphaF(0.45);
        series->setColor(fill);
        series->setBorderColor(Qt::transparent);
        m_lengthChart->addSeries(series);
        series->attachAxis(m_lengthX);
        series->attachAxis(m_lengthY);
        series->replace(points);
        const int id = run.id;
        connect(series, &QScatterSeries::hovered, this, [this, id](const QPointF& p, bool on) {
            const RunRecord* hovered = m_runs->find(id);
            if (!on || hovered == nullptr) {
                return;
            }
            QToolTip::showText(QCursor::pos(),
                               tr("Run #%1: %2\n%3 training ratings\nvector length %4")
                                   .arg(id)
                                   .arg(hovered->name)
                                   .arg(p.x() < 1.0 ? 0 : static_cast<int>(p.x()))
                                   .arg(p.y(), 0, 'f', 3),
                               this);
        });
        m_lengthSeries[id] = series;
    }
    // Whole decades around the points (0.4 keeps the unrated movies' ½ inside).
    const double lo = std::isfinite(xLo) ? std::pow(10.0, std::floor(std::log10(xLo))) : 1.0;
    m_lengthX->setRange(lo < 1.0 ? 0.4 : lo, std::pow(10.0, std::ceil(std::log10(xHi * 1.05))));
    setAxisRange(m_lengthY, 0.0, yHi > 0.0 ? yHi * 1.05 : 1.0, 5);
    updateHint();
}

QList<QPointF> TrainingCharts::lengthPoints(int runId) const {
    const auto it = m_lengthSeries.find(runId);
    return it == m_lengthSeries.end() ? QList<QPointF>() : it->second->points();
}

double TrainingCharts::firstAccuracyValue(int runId, std::size_t cutoff) const {
    auto it = m_curves.find(runId);
    if (it == m_curves.end() || it->second.topK[cutoff]->count() == 0) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    return it->second.topK[cutoff]->at(0).y();
}

QList<double> TrainingCharts::baselineValues() const {
    QList<double> values;
    for (QLineSeries* s : m_baselines) {
        values.append(s->property("value").toDouble());
    }
    return values;
}

bool TrainingCharts::exportImage(const QString& path, QString* error) const {
    // The chart area holds whichever right-hand chart is shown.
    return exportWidgetImage(m_chartArea, path, error);
}

int TrainingCharts::batchPointCount(int runId) const {
    auto it = m_curves.find(runId);
    return it == m_curves.end() ? 0 : static_cast<int>(it->second.batchRaw.size());
}

int TrainingCharts::epochPointCount(int runId) const {
    auto it = m_curves.find(runId);
    return it == m_curves.end() ? 0 : static_cast<int>(it->second.epochLoss->count());
}

int TrainingCharts::accuracyPointCount(int runId, std::size_t cutoff) const {
    auto it = m_curves.find(runId);
    return it == m_curves.end() ? 0 : static_cast<int>(it->second.topK[cutoff]->count());
}

int TrainingCharts::baselineLineCount() const {
    return static_cast<int>(m_baselines.size());
}

QList<QPointF> TrainingCharts::seedSetMean(const QString& set, std::size_t cutoff) const {
    const auto it = m_sets.find(set);
    return it == m_sets.end() ? QList<QPointF>() : it->second.mean[cutoff]->points();
}

QList<QPointF> TrainingCharts::seedSetBand(const QString& set, std::size_t cutoff,
                                           bool upper) const {
    const auto it = m_sets.find(set);
    if (it == m_sets.end()) {
        return {};
    }
    const QAreaSeries* band = it->second.band[cutoff];
    return (upper ? band->upperSeries() : band->lowerSeries())->points();
}

QList<QPointF> TrainingCharts::seedSetLossBand(const QString& set, bool upper) const {
    const auto it = m_sets.find(set);
    if (it == m_sets.end()) {
        return {};
    }
    return (upper ? it->second.lossUpper : it->second.lossLower)->points();
}

bool TrainingCharts::seedSetShown(const QString& set) const {
    const auto it = m_sets.find(set);
    return it != m_sets.end() && it->second.lossMean->isVisible();
}

bool TrainingCharts::runShown(int runId) const {
    auto it = m_curves.find(runId);
    return it != m_curves.end() && it->second.epochLoss->isVisible();
}

} // namespace towerlab
