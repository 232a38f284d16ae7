#include "controllers/train_tab_controller.hpp"

#include "controllers/ablation.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/seed_sets.hpp"

#include <QLocale>
#include <QStringList>

#include <algorithm>
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
    connect(m_training, &TrainingController::evaluationProgress, this,
            &TrainTabController::onEvaluation);
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
                              TrainStep step) {
    if (!m_data->dataset()) {
        say(m_data->isLoading() ? tr("Not started: the dataset is still loading.")
                                : tr("Not started: no dataset is loaded (see the Data tab)."),
            true);
        return 0;
    }
    m_ablationSummary.clear();
    m_ablationDetails.clear();
    emit changed();
    return m_training->enqueue({0, m_data->dataset(), model, training}, step);
}

int TrainTabController::startSeeds(const ModelConfig& model, const TrainConfig& training,
                                   int seeds) {
    if (seeds <= 1) {
        return start(model, training);
    }
    if (!m_data->dataset()) {
        return start(model, training); // says why nothing starts
    }
    m_ablationSummary.clear();
    m_ablationDetails.clear();
    // The seed set is also the queue's group: the TrainingController says when its last run
    // has ended.
    const QString set = tr("seeds %1").arg(++m_seedSetCount);
    int first = 0;
    for (int i = 0; i < seeds; ++i) {
        TrainConfig one = training;
        one.seed = training.seed + static_cast<std::uint64_t>(i);
        const int id = m_training->enqueue({0, m_data->dataset(), model, one}, TrainStep::Run, set,
                                           QString(), set);
        first = first == 0 ? id : first;
    }
    const QString text = tr("%1 runs queued with seeds %2 to %3; the charts draw their mean and "
                            "the band from the lowest to the highest seed.")
                             .arg(seeds)
                             .arg(training.seed)
                             .arg(training.seed + static_cast<std::uint64_t>(seeds - 1));
    emit changed();
    emit message(text);
    return first;
}

int TrainTabController::startAblation(const ModelConfig& model, const TrainConfig& training,
                                      int seeds) {
    if (!m_data->dataset()) {
        emit message(tr("No dataset is loaded."));
        return 0;
    }
    const AblationPlan plan = planAblation(model.features);
    if (plan.variants.empty()) {
        emit message(tr("Nothing to ablate: %1").arg(plan.skipped.join(QStringLiteral("; "))));
        return 0;
    }
    seeds = std::max(1, seeds);
    const QString group = tr("ablation %1").arg(++m_ablationCount);
    // Every variant with the same seeds, one variant after another, so each variant's mean
    // is complete early and the verdicts pair by seed.
    const auto enqueue = [&](const ModelConfig& m, const QString& removed) {
        const QString set = seeds > 1 ? QStringLiteral("%1 · %2").arg(
                                            group, removed.isEmpty() ? tr("all features") : removed)
                                      : QString();
        for (int i = 0; i < seeds; ++i) {
            TrainConfig one = training;
            one.seed = training.seed + static_cast<std::uint64_t>(i);
            m_training->enqueue({0, m_data->dataset(), m, one}, TrainStep::Run, group, removed,
                                set);
        }
    };
    enqueue(model, QString());
    QStringList names;
    for (const AblationVariant& variant : plan.variants) {
        ModelConfig without = model;
        without.features = variant.features;
        enqueue(without, variant.removedFeature);
        names << variant.removedFeature;
    }
    const int runs = static_cast<int>(plan.variants.size() + 1) * seeds;
    QString text = seeds > 1 ? tr("Feature ablation: %1 runs queued (all features, then without "
                                  "each of %2; each with seeds %3 to %4).")
                                   .arg(runs)
                                   .arg(names.join(QStringLiteral(", ")))
                                   .arg(training.seed)
                                   .arg(training.seed + static_cast<std::uint64_t>(seeds - 1))
                             : tr("Feature ablation: %1 runs queued (all features, then without "
                                  "each of %2).")
                                   .arg(runs)
                                   .arg(names.join(QStringLiteral(", ")));
    if (!plan.skipped.isEmpty()) {
        text += QLatin1Char(' ') + tr("Kept: %1.").arg(plan.skipped.join(QStringLiteral("; ")));
    }
    m_ablationSummary = text;
    m_ablationDetails.clear();
    emit changed();
    emit message(text);
    return runs;
}

void TrainTabController::onGroupFinished(const QString& group) {
    for (int row = 0; row < m_runs->count(); ++row) {
        if (m_runs->at(row).group == group && m_runs->at(row).seedSet == group) {
            // A seed set: its summary on the progress line (the table and the verdict
            // follow the runs themselves).
            const std::optional<SeedSummary> s =
                summarizeSeedSet(*m_runs, group, RunMetric::Top100);
            const QString label = seedSetLabel(*m_runs, group);
            say(s ? tr("%1 finished: top-100 %2 (mean ± sd over %3 seeds)")
                        .arg(label, summaryText(*s, RunMetric::Top100))
                        .arg(s->runs)
                  : tr("%1 ended without a completed run.").arg(label),
                true);
            return;
        }
    }
    std::optional<RankingMetrics> reference;
    std::vector<AblationEntry> entries;
    QString referenceSet;
    std::vector<std::pair<QString, QString>> variantSets; // removed feature, seed set
    int seeds = 0;
    for (int row = 0; row < m_runs->count(); ++row) {
        const RunRecord& run = m_runs->at(row);
        if (run.group != group) {
            continue;
        }
        if (!run.seedSet.isEmpty()) {
            if (run.removedFeature.isEmpty()) {
                referenceSet = run.seedSet;
                ++seeds;
            } else if (std::none_of(variantSets.begin(), variantSets.end(),
                                    [&](const auto& v) { return v.second == run.seedSet; })) {
                variantSets.emplace_back(run.removedFeature, run.seedSet);
            }
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
    if (!referenceSet.isEmpty()) {
        std::vector<AblationVerdict> verdicts;
        for (const auto& [feature, set] : variantSets) {
            verdicts.push_back({feature, compareContenders(*m_runs, {referenceSet, 0}, {set, 0},
                                                           RunMetric::Top100)});
        }
        const AblationVerdictText text =
            summarizeSeededAblation(verdicts, seeds, RunMetric::Top100);
        m_ablationSummary = text.summary;
        m_ablationDetails = text.details;
    } else {
        m_ablationSummary = tr("Feature ablation: %1").arg(summarizeAblation(reference, entries));
        m_ablationSummary +=
            QLatin1Char(' ') + tr("One seed each: repeat with 3 seeds or more to tell a real "
                                  "difference from a seed's luck.");
        m_ablationDetails.clear();
    }
    emit changed();
    // The status bar has one line: the most telling verdict comes right after the heading.
    emit message(m_ablationSummary.section(QLatin1Char('\n'), 0, 1)
                     .replace(QLatin1Char('\n'), QLatin1Char(' ')));
}

void TrainTabController::onEvaluation(int runId, const EvaluationProgress& p) {
    const RunRecord* run = m_runs->find(runId);
    if (run == nullptr || p.examples == 0) {
        return;
    }
    m_evaluating = true;
    // The bar shows this evaluation alone: it is minutes of work on the full test split of
    // large data, and the training bar would stand still meanwhile.
    m_progressMaximum = 1000;
    m_progressValue = static_cast<int>(1000 * p.ranked / p.examples);
    const QLocale locale;
    const double share = static_cast<double>(p.ranked) / static_cast<double>(p.examples);
    QString text = tr("Run #%1 · epoch %2/%3 · ranking the test ratings: %4 of %5 (%6%)")
                       .arg(runId)
                       .arg(p.epoch)
                       .arg(run->training.epochs)
                       .arg(locale.toString(static_cast<qulonglong>(p.ranked)),
                            locale.toString(static_cast<qulonglong>(p.examples)))
                       .arg(std::floor(100.0 * share));
    if (share > 0.0 && share < 1.0) {
        text += tr(" · about %1 left").arg(formatClock(p.seconds * (1.0 - share) / share));
    }
    m_lastProgressText = text;
    if (m_training->state() == TrainingController::State::Running) {
        m_progressText = text + tr(" · Pause keeps what is ranked, Stop skips the rest");
    }
    emit changed();
}

void TrainTabController::onRunFinished(int runId, TrainOutcome outcome, const QString& why) {
    m_evaluating = false;
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
        m_progressText = m_evaluating ? tr("Pausing the evaluation after this chunk of test "
                                           "ratings; Resume goes on from there…")
                                      : tr("Pausing after this batch…");
        break;
    case State::Stopping:
        m_progressText = m_evaluating ? tr("Stopping: the rest of this evaluation is skipped and "
                                           "the epoch is kept without test metrics…")
                                      : tr("Stopping after this batch…");
        break;
    case State::Paused:
        // After the last progress, not after "Pausing…" (which it replaces).
        m_progressText =
            m_lastProgressText +
            (m_evaluating ? tr(" — paused; Resume goes on ranking from here") : tr(" — paused"));
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
    m_evaluating = false;
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
    m_lastProgressText = text;
    if (m_training->state() == TrainingController::State::Running) {
        m_progressText = text;
    }
    emit changed();
}

} // namespace towerlab
