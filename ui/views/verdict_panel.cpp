#include "views/verdict_panel.hpp"

#include "controllers/dataset_controller.hpp"
#include "controllers/run_collection.hpp"
#include "model/trained_model.hpp"

#include <QComboBox>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace towerlab {

namespace {

QComboBox* contenderBox(const QString& name, const QString& tip) {
    auto* box = new QComboBox;
    box->setObjectName(name);
    box->setToolTip(tip);
    // Long run names must not push the panel wider than the window.
    box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    box->setMinimumContentsLength(14);
    return box;
}

} // namespace

VerdictPanel::VerdictPanel(RunCollection* runs, DatasetController* data, QWidget* parent)
    : QWidget(parent), m_runs(runs), m_data(data),
      m_bootstrap(new QFutureWatcher<BootstrapResult>(this)), m_refresh(new QTimer(this)) {
    auto* title = new QLabel(tr("<b>Is the difference real?</b>"));
    m_first = contenderBox(QStringLiteral("verdictFirst"),
                           tr("A: the run or seed group to compare against"));
    m_second = contenderBox(QStringLiteral("verdictSecond"),
                            tr("B: the run or seed group that might be better or worse than A"));
    m_metric = new QComboBox;
    m_metric->setObjectName(QStringLiteral("verdictMetric"));
    m_metric->setToolTip(tr("The metric of the runs' last evaluation to compare, as the run "
                            "table shows it"));
    for (const RunMetric metric : allRunMetrics()) {
        m_metric->addItem(runMetricName(metric), static_cast<int>(metric));
    }
    m_metric->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_metric->setMinimumContentsLength(12);
    m_metric->setCurrentIndex(m_metric->findData(static_cast<int>(RunMetric::Top100)));

    m_verdict = new QLabel;
    m_verdict->setObjectName(QStringLiteral("verdictText"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_verdict->setTextFormat(Qt::PlainText);
    m_verdict->setToolTip(
        tr("A paired t-test over the seeds both A and B were trained with: for each shared seed "
           "the difference B − A (same split, same starting luck), then the mean difference and "
           "its 95% interval (Student's t). \"Better\" only when the interval excludes zero. "
           "The same test as towerlab-cli compare."));
    QFont bold = m_verdict->font();
    bold.setBold(true);
    m_verdict->setFont(bold);
    m_sides = new QLabel;
    m_sides->setObjectName(QStringLiteral("verdictSides"));
    m_sides->setWordWrap(true);
    m_sides->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_sides->setTextFormat(Qt::PlainText);
    m_sides->setForegroundRole(QPalette::PlaceholderText);

    auto* pick = new QHBoxLayout;
    pick->addWidget(title);
    pick->addSpacing(8);
    pick->addWidget(new QLabel(QStringLiteral("A")));
    pick->addWidget(m_first, 1);
    pick->addWidget(new QLabel(QStringLiteral("B")));
    pick->addWidget(m_second, 1);
    pick->addWidget(new QLabel(tr("on")));
    pick->addWidget(m_metric);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(pick);
    layout->addWidget(m_verdict);
    layout->addWidget(m_sides);

    m_refresh->setSingleShot(true);
    m_refresh->setInterval(0);
    connect(m_refresh, &QTimer::timeout, this, &VerdictPanel::refreshNow);
    for (QComboBox* box : {m_first, m_second}) {
        connect(box, &QComboBox::activated, this, [this] {
            m_userPicked = true;
            updateVerdict();
        });
    }
    connect(m_metric, &QComboBox::currentIndexChanged, this, &VerdictPanel::updateVerdict);
    connect(m_bootstrap, &QFutureWatcherBase::finished, this, [this] {
        m_results.insert(m_bootstrapKey, m_bootstrap->result());
        m_bootstrapKey.clear();
        updateVerdict(); // shows it, or starts the comparison asked for meanwhile
    });
    connect(runs, &RunCollection::runAdded, this, &VerdictPanel::scheduleRefresh);
    connect(runs, &RunCollection::runRemoved, this, &VerdictPanel::scheduleRefresh);
    connect(runs, &RunCollection::runChanged, this, &VerdictPanel::scheduleRefresh);
    connect(runs, &RunCollection::epochAppended, this, &VerdictPanel::scheduleRefresh);
    refreshNow();
}

void VerdictPanel::scheduleRefresh() {
    if (!m_refresh->isActive()) {
        m_refresh->start();
    }
}

void VerdictPanel::refreshNow() {
    m_refresh->stop();
    rebuildChoices();
    updateVerdict();
}

void VerdictPanel::rebuildChoices() {
    const Contender a = first();
    const Contender b = second();
    std::vector<ContenderChoice> choices = contenderChoices(*m_runs);
    const bool same = choices.size() == m_choices.size() &&
                      std::equal(choices.begin(), choices.end(), m_choices.begin(),
                                 [](const ContenderChoice& x, const ContenderChoice& y) {
                                     return x.contender == y.contender && x.label == y.label;
                                 });
    if (same && m_first->count() == static_cast<int>(m_choices.size())) {
        return; // an open list stays open while runs train
    }
    m_choices = std::move(choices);
    for (QComboBox* box : {m_first, m_second}) {
        const QSignalBlocker block(box);
        box->clear();
        for (std::size_t i = 0; i < m_choices.size(); ++i) {
            box->addItem(m_choices[i].label, static_cast<int>(i));
            box->setItemData(static_cast<int>(i), m_choices[i].label, Qt::ToolTipRole);
        }
    }
    const auto indexOf = [this](const Contender& c) {
        for (std::size_t i = 0; i < m_choices.size(); ++i) {
            if (m_choices[i].contender == c) {
                return static_cast<int>(i);
            }
        }
        return -1;
    };
    int ia = indexOf(a);
    int ib = indexOf(b);
    if (!m_userPicked || ia < 0 || ib < 0) {
        // The two newest seed groups if there are two, else the two newest of everything:
        // usually the comparison just trained.
        std::vector<int> sets;
        for (std::size_t i = 0; i < m_choices.size(); ++i) {
            if (!m_choices[i].contender.seedSet.isEmpty()) {
                sets.push_back(static_cast<int>(i));
            }
        }
        const int n = static_cast<int>(m_choices.size());
        if (sets.size() >= 2) {
            ia = sets[sets.size() - 2];
            ib = sets.back();
            // In a seeded ablation: the newest variant against the run with all features.
            const std::vector<int> newest = seedSetRuns(*m_runs, m_choices[ib].contender.seedSet);
            const RunRecord* last = newest.empty() ? nullptr : m_runs->find(newest.front());
            for (const int i : sets) {
                const std::vector<int> ids = seedSetRuns(*m_runs, m_choices[i].contender.seedSet);
                const RunRecord* r = ids.empty() ? nullptr : m_runs->find(ids.front());
                if (last != nullptr && r != nullptr && !last->removedFeature.isEmpty() &&
                    r->group == last->group && r->removedFeature.isEmpty()) {
                    ia = i;
                }
            }
        } else {
            ia = n >= 2 ? n - 2 : n - 1;
            ib = n - 1;
        }
        m_userPicked = false;
    }
    const QSignalBlocker blockA(m_first);
    const QSignalBlocker blockB(m_second);
    m_first->setCurrentIndex(ia);
    m_second->setCurrentIndex(ib);
}

Contender VerdictPanel::first() const {
    const int i = m_first->currentIndex();
    return i >= 0 && i < static_cast<int>(m_choices.size()) ? m_choices[i].contender : Contender{};
}

Contender VerdictPanel::second() const {
    const int i = m_second->currentIndex();
    return i >= 0 && i < static_cast<int>(m_choices.size()) ? m_choices[i].contender : Contender{};
}

RunMetric VerdictPanel::metric() const {
    return static_cast<RunMetric>(m_metric->currentData().toInt());
}

void VerdictPanel::setMetric(RunMetric metric) {
    m_metric->setCurrentIndex(m_metric->findData(static_cast<int>(metric)));
}

bool VerdictPanel::setContenders(const Contender& a, const Contender& b) {
    rebuildChoices();
    int ia = -1;
    int ib = -1;
    for (std::size_t i = 0; i < m_choices.size(); ++i) {
        ia = m_choices[i].contender == a ? static_cast<int>(i) : ia;
        ib = m_choices[i].contender == b ? static_cast<int>(i) : ib;
    }
    if (ia < 0 || ib < 0) {
        return false;
    }
    m_userPicked = true;
    m_first->setCurrentIndex(ia);
    m_second->setCurrentIndex(ib);
    updateVerdict();
    return true;
}

QString VerdictPanel::verdictText() const {
    return m_verdict->text();
}

QString VerdictPanel::sidesText() const {
    return m_sides->text();
}

QString VerdictPanel::sideText(const QString& letter, const Contender& c) const {
    const RunMetric m = metric();
    if (c.seedSet.isEmpty()) {
        const RunRecord* run = m_runs->find(c.runId);
        if (run == nullptr) {
            return {};
        }
        const std::optional<double> v = runMetricValue(*run, m);
        return tr("%1 = run #%2 (seed %3): %4 %5")
            .arg(letter)
            .arg(run->id)
            .arg(run->training.seed)
            .arg(runMetricName(m))
            .arg(v ? QString::number(*v, 'f', runMetricDecimals(m)) : tr("not measured yet"));
    }
    const std::optional<SeedSummary> s = summarizeSeedSet(*m_runs, c.seedSet, m);
    return tr("%1 = %2: %3 %4")
        .arg(letter, seedSetLabel(*m_runs, c.seedSet), runMetricName(m))
        .arg(s ? tr("%1 (mean ± sd of %2 finished)").arg(summaryText(*s, m)).arg(s->runs)
               : tr("no seed finished yet"));
}

void VerdictPanel::updateVerdict() {
    if (m_choices.size() < 2) {
        m_verdict->setText(tr("Train two configurations — with \"Repeat with N seeds\" of 2 or "
                              "more, on the same seeds — to see whether their difference is "
                              "real."));
        m_sides->clear();
        return;
    }
    const Contender a = first();
    const Contender b = second();
    const SeedComparison c = compareContenders(*m_runs, a, b, metric());
    QString text = c.text;
    if (!c.verdict) {
        const QString queries = singleRunsText(a, b);
        if (!queries.isEmpty()) {
            text = queries;
        }
    }
    m_verdict->setText(text);
    m_sides->setText(sideText(QStringLiteral("A"), a) + QLatin1Char('\n') +
                     sideText(QStringLiteral("B"), b));
}

bool VerdictPanel::isComparingQueries() const {
    // Until the result is stored (the finished signal comes through the event loop).
    return !m_bootstrapKey.isEmpty();
}

QString VerdictPanel::singleRunsText(const Contender& a, const Contender& b) {
    if (!a.seedSet.isEmpty() || !b.seedSet.isEmpty() || a == b || m_data == nullptr ||
        m_data->dataset() == nullptr) {
        return {};
    }
    const RunRecord* ra = m_runs->find(a.runId);
    const RunRecord* rb = m_runs->find(b.runId);
    const auto done = [](const RunRecord* r) {
        return r != nullptr && r->trainedModel != nullptr &&
               (r->status == RunStatus::Completed || r->status == RunStatus::Loaded);
    };
    if (!done(ra) || !done(rb)) {
        return {};
    }
    const QString noSeeds =
        compareContenders(*m_runs, a, b, metric()).text; // why there is no test over seeds
    const RunMetric m = metric();
    // A run's model is replaced after a pause; its epochs tell the snapshots apart.
    const QString key = QStringLiteral("%1:%2|%3:%4|%5")
                            .arg(ra->id)
                            .arg(ra->trainedModel->epochsTrained)
                            .arg(rb->id)
                            .arg(rb->trainedModel->epochsTrained)
                            .arg(static_cast<int>(m));
    if (const auto it = m_results.constFind(key); it != m_results.constEnd()) {
        if (!it->verdict) {
            return noSeeds + QLatin1Char(' ') + it->why;
        }
        return QString::fromStdString(
                   verdictSentence(*it->verdict, runMetricName(m).toStdString(), "A", "B")) +
               QLatin1Char('\n') +
               tr("One run each: this compares these two trained models on the same test "
                  "ratings; another seed may differ, so repeat both with N seeds to test that.");
    }
    if (m_bootstrapKey.isEmpty()) {
        m_bootstrapKey = key;
        m_bootstrap->setFuture(QtConcurrent::run(
            [first = ra->trainedModel, second = rb->trainedModel, data = m_data->dataset(), m] {
                try {
                    return bootstrapSingleRuns(*first, *second, *data, m);
                } catch (const std::exception& e) {
                    BootstrapResult failed;
                    failed.why = QString::fromStdString(e.what());
                    return failed;
                }
            }));
    }
    return noSeeds + QLatin1Char('\n') +
           tr("Comparing the two runs test rating by test rating (paired bootstrap)…");
}

} // namespace towerlab
