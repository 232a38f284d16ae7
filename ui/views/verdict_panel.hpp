#pragma once
// "Is the difference real?" under the run table: pick two runs or seed groups (A and B) and a
// metric; the panel shows the core's verdict sentence (difference, 95% interval, paired t-test
// over the seeds both share) and each side's mean ± sd, or says why no paired test is
// possible. Two single runs on the same test split are also compared test example by test
// example (paired bootstrap, off the GUI thread). Follows the RunCollection as runs are added,
// finish or are removed.

#include "controllers/query_bootstrap.hpp"
#include "controllers/seed_sets.hpp"

#include <QHash>
#include <QWidget>

#include <vector>

class QComboBox;
class QLabel;
class QTimer;
template <typename T> class QFutureWatcher;

namespace towerlab {

class DatasetController;
class RunCollection;

class VerdictPanel : public QWidget {
    Q_OBJECT

public:
    // data: the open dataset, for the test-query comparison of two single runs (may be null).
    explicit VerdictPanel(RunCollection* runs, DatasetController* data = nullptr,
                          QWidget* parent = nullptr);

    // Picks A and B (e.g. from a test or the run table's menu); false when either is not
    // among the choices.
    bool setContenders(const Contender& first, const Contender& second);
    void setMetric(RunMetric metric);
    Contender first() const;
    Contender second() const;
    RunMetric metric() const;
    // The verdict sentence or the reason there is none, as shown.
    QString verdictText() const;
    // The line under it with A's and B's mean ± sd, as shown.
    QString sidesText() const;
    // Rebuilds the choices and the verdict now instead of on the next event-loop turn.
    void refreshNow();
    // True while a test-query comparison runs in the background.
    bool isComparingQueries() const;

private:
    void scheduleRefresh();
    void rebuildChoices();
    void updateVerdict();
    QString sideText(const QString& letter, const Contender& c) const;
    // The bootstrap's text for two single runs, starting it when it is not known yet; empty
    // when it does not apply.
    QString singleRunsText(const Contender& a, const Contender& b);

    RunCollection* m_runs;
    DatasetController* m_data;
    QFutureWatcher<BootstrapResult>* m_bootstrap;
    QString m_bootstrapKey; // what m_bootstrap computes, until its result is stored
    QHash<QString, BootstrapResult> m_results; // by models and metric
    QComboBox* m_first;
    QComboBox* m_second;
    QComboBox* m_metric;
    QLabel* m_verdict;
    QLabel* m_sides;
    QTimer* m_refresh;
    std::vector<ContenderChoice> m_choices;
    bool m_userPicked = false;
};

} // namespace towerlab
