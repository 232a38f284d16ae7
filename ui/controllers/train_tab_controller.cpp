#include "controllers/train_tab_controller.hpp"

#include "controllers/ablation.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/run_collection.hpp"

#include <QLocale>
#include <QStringList>

#include <cmath>

namespace towerlab {

namespace {

QString formatClock(double seconds) {
    const auto s = static_cast<long long>(std::llround(std::max(0.0, seconds)));
    if (s >= 3600) {
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg((s / 60) % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    }
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

TrainTabController::TrainTabController(RunCollection* runs, TrainingController* training,
                                       DatasetController* data, QObject* parent)
    : QObject(parent), m_runs(runs), m_training(training), m_data(data),
      m_progressText(tr("Ready. Press Train to fit the tutorial's model.")) {
    connect(m_training, &TrainingController::stateChanged, this,
            &TrainTabController::onStateChanged);
    connect(m_training, &TrainingController::progress, this, &TrainTabController::onProgress);
    connect(m_training, &TrainingController::groupFinished, this,
            &TrainTabController::onGroupFinished);
    connect(m_training, &TrainingController::runFinished, this, &TrainTabController::onRunFinished);
    connect(m_training, &TrainingController::runFailed, this,
            [this](int runId, const QString& why) {
                say(tr("Run #%1 could not train: %2").arg(runId).arg(why), true);
            });
}

void TrainTabController::say(const QString& text, bool statusBarToo) {
    m_progressText = text;
    emit changed();
    if (statusBarToo) {
        emit message(text);
    }
}

void TrainTabController::refuse(const QString& problem) {
    say(tr("Not started: %1").arg(problem), true);
}

int TrainTabController::start(const ModelConfig& model, const TrainConfig& training,
                              bool stepOnly) {
    if (!m_data->dataset()) {
        say(m_data->isLoading() ? tr("Not started: the dataset is still loading.")
                                : tr("Not started: no dataset is loaded (see the Data tab)."),
            true);
        return 0;
    }
    m_ablationSummary.clear();
    emit changed();
    return m_training->enqueue({0, m_data->dataset(), model, training}, stepOnly);
}

int TrainTabController::startAblation(const ModelConfig& model, const TrainConfig& training) {
    if (!m_data->dataset()) {
        emit message(tr("No dataset is loaded."));
        return 0;
    }
    const AblationPlan plan = planAblation(model.features);
    if (plan.variants.empty()) {
        emit message(tr("Nothing to ablate: %1").arg(plan.skipped.join(QStringLiteral("; "))));
        return 0;
    }
    const QString group = tr("ablation %1").arg(++m_ablationCount);
    m_training->enqueue({0, m_data->dataset(), model, training}, false, group);
    QStringList names;
    for (const AblationVariant& variant : plan.variants) {
        ModelConfig without = model;
        without.features = variant.features;
        m_training->enqueue({0, m_data->dataset(), without, training}, false, group,
                            variant.removedFeature);
        names << variant.removedFeature;
    }
    QString text = tr("Feature ablation: %1 runs queued (all features, then without each of "
                      "%2).")
                       .arg(plan.variants.size() + 1)
                       .arg(names.join(QStringLiteral(", ")));
    if (!plan.skipped.isEmpty()) {
        text += QLatin1Char(' ') + tr("Kept: %1.").arg(plan.skipped.join(QStringLiteral("; ")));
    }
    m_ablationSummary = text;
    emit changed();
    emit message(text);
    return static_cast<int>(plan.variants.size()) + 1;
}

void TrainTabController::onGroupFinished(const QString& group) {
    std::optional<RankingMetrics> reference;
    std::vector<AblationEntry> entries;
    for (int row = 0; row < m_runs->count(); ++row) {
        const RunRecord& run = m_runs->at(row);
        if (run.group != group) {
            continue;
        }
        std::optional<RankingMetrics> metrics;
        if (run.status == RunStatus::Completed && run.finalMetrics() != nullptr) {
            metrics = *run.finalMetrics();
        }
        if (run.removedFeature.isEmpty()) {
            reference = metrics;
        } else {
            entries.push_back({run.removedFeature, metrics});
        }
    }
    m_ablationSummary = tr("Feature ablation: %1").arg(summarizeAblation(reference, entries));
    emit changed();
    emit message(m_ablationSummary);
}

void TrainTabController::onRunFinished(int runId, TrainOutcome outcome, const QString& why) {
    const RunRecord* run = m_runs->find(runId);
    const RankingMetrics* m = run != nullptr ? run->finalMetrics() : nullptr;
    QString text;
    if (outcome == TrainOutcome::Completed && m != nullptr) {
        text = tr("Run #%1 finished: top-100 accuracy %2, top-10 %3")
                   .arg(runId)
                   .arg(m->topK[4], 0, 'f', 3)
                   .arg(m->topK[2], 0, 'f', 3);
        if (run->history.baseline) {
            text += tr(" (most popular: %1, %2)")
                        .arg(run->history.baseline->topK[4], 0, 'f', 3)
                        .arg(run->history.baseline->topK[2], 0, 'f', 3);
        }
    } else if (outcome == TrainOutcome::Cancelled) {
        text = tr("Run #%1 %2").arg(runId).arg(why);
    } else {
        text =
            tr("Run #%1 %2: %3").arg(runId).arg(QString::fromStdString(outcomeName(outcome)), why);
    }
    say(text, true);
}

TrainTabController::Actions TrainTabController::actions() const {
    using State = TrainingController::State;
    const State s = m_training->state();
    Actions a;
    a.train = s == State::Idle;
    a.ablation = s == State::Idle;
    a.pause = s == State::Running || s == State::Starting;
    a.resume = s == State::Paused;
    a.step = s == State::Idle || s == State::Paused;
    a.stop = s != State::Idle && s != State::Stopping;
    return a;
}

void TrainTabController::onStateChanged() {
    using State = TrainingController::State;
    switch (m_training->state()) {
    case State::Starting:
        m_progressText = tr("Preparing run #%1: fitting the features and encoding every "
                            "rating…")
                             .arg(m_training->currentRun());
        m_progressMaximum = 0; // busy
        break;
    case State::Pausing:
        m_progressText = tr("Pausing after this batch…");
        break;
    case State::Stopping:
        m_progressText = tr("Stopping after this batch…");
        break;
    case State::Paused:
        m_progressText += tr(" — paused");
        break;
    case State::Idle:
        if (m_progressMaximum == 0) {
            m_progressMaximum = 1;
            m_progressValue = 0;
        }
        break;
    case State::Running:
        break;
    }
    emit changed();
}

void TrainTabController::onProgress(int runId, const BatchProgress& p) {
    const RunRecord* run = m_runs->find(runId);
    if (run == nullptr || p.batches <= 0) {
        return;
    }
    const long long total = static_cast<long long>(run->training.epochs) * p.batches;
    const long long done = static_cast<long long>(p.epoch - 1) * p.batches + p.batch;
    // QProgressBar counts in int; a very long run is shown in thousandths.
    const int scale = total > 1'000'000 ? 1000 : 1;
    m_progressMaximum = static_cast<int>(total / scale);
    m_progressValue = static_cast<int>(done / scale);
    const QLocale locale;
    QString text = tr("Run #%1 · epoch %2/%3 · batch %4/%5 · %6 examples/s")
                       .arg(runId)
                       .arg(p.epoch)
                       .arg(run->training.epochs)
                       .arg(p.batch)
                       .arg(p.batches)
                       .arg(locale.toString(std::llround(p.examplesPerSecond)));
    if (done > 0 && p.elapsedSeconds > 0) {
        // Training time per batch so far times the batches left; evaluations come on top.
        const double left =
            p.elapsedSeconds / static_cast<double>(done) * static_cast<double>(total - done);
        text += tr(" · about %1 left").arg(formatClock(left));
    }
    if (m_training->queuedRuns() > 0) {
        text += tr(" · %1 more queued").arg(m_training->queuedRuns());
    }
    m_progressText = text;
    emit changed();
}

} // namespace towerlab
