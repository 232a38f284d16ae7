#include "views/train_view.hpp"

#include "charts/training_charts.hpp"
#include "controllers/ablation.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/model_controller.hpp"
#include "controllers/run_collection.hpp"
#include "models/run_table_model.hpp"
#include "views/train_form.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

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

QPushButton* button(const QString& text, const QString& name, const QString& tip) {
    auto* b = new QPushButton(text);
    b->setObjectName(name);
    b->setToolTip(tip);
    return b;
}

} // namespace

TrainView::TrainView(RunCollection* runs, TrainingController* training, DatasetController* data,
                     ModelController* models, QWidget* parent)
    : QWidget(parent), m_runs(runs), m_training(training), m_data(data), m_models(models) {
    m_form = new TrainForm;
    auto* formScroll = new QScrollArea;
    formScroll->setWidget(m_form);
    formScroll->setWidgetResizable(true);
    formScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    formScroll->setMinimumWidth(m_form->sizeHint().width() + 24);

    m_train = button(tr("▶ Train"), QStringLiteral("trainButton"),
                     tr("Train a new model with these settings on the current dataset (F5)"));
    m_pause = button(tr("Pause"), QStringLiteral("pauseButton"),
                     tr("Pause after the current batch; the model so far becomes the current "
                        "model (F6)"));
    m_resume = button(tr("Resume"), QStringLiteral("resumeButton"),
                      tr("Go on training where it paused (F6)"));
    m_step = button(tr("Step epoch"), QStringLiteral("stepButton"),
                    tr("Train one epoch (or the rest of the current one), then pause (F10)"));
    m_stop = button(tr("Stop"), QStringLiteral("stopButton"),
                    tr("End the run now and keep its model; queued runs are dropped (Shift+F5)"));
    m_ablation = button(tr("Feature ablation"), QStringLiteral("ablationButton"),
                        tr("Train these settings once with every feature, then once per feature "
                           "with that feature left out, one after another, and show which "
                           "feature matters most"));
    m_train->setDefault(true);

    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("trainingProgress"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setMinimumWidth(100);
    m_progressText = new QLabel(tr("Ready. Press Train to fit the tutorial's model."));
    m_progressText->setObjectName(QStringLiteral("progressText"));
    m_progressText->setWordWrap(true);

    auto* controls = new QHBoxLayout;
    for (QPushButton* b : {m_train, m_pause, m_resume, m_step, m_stop}) {
        controls->addWidget(b);
    }
    controls->addSpacing(12);
    controls->addWidget(m_ablation);
    controls->addSpacing(12);
    controls->addWidget(m_progress, 1);
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(m_progressText, 1);

    m_charts = new TrainingCharts(runs);

    m_runModel = new RunTableModel(runs, this);
    auto* sorted = new QSortFilterProxyModel(this);
    sorted->setSourceModel(m_runModel);
    sorted->setSortRole(static_cast<int>(RunTableModel::Role::Sort));
    m_runTable = new QTableView;
    m_runTable->setObjectName(QStringLiteral("runTable"));
    m_runTable->setModel(sorted);
    m_runTable->setSortingEnabled(true);
    m_runTable->sortByColumn(RunTableModel::Run, Qt::AscendingOrder);
    m_runTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_runTable->setAlternatingRowColors(true);
    m_runTable->setWordWrap(false);
    m_runTable->setTextElideMode(Qt::ElideRight);
    m_runTable->verticalHeader()->hide();
    m_runTable->horizontalHeader()->setSectionResizeMode(RunTableModel::Run, QHeaderView::Stretch);
    m_runTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_runTable->horizontalHeader()->setSectionResizeMode(RunTableModel::Run, QHeaderView::Stretch);
    m_runTable->setContextMenuPolicy(Qt::CustomContextMenu);
    m_runTable->setToolTip(tr("Double-click a run to put its settings in the form; right-click "
                              "for more."));

    m_ablationSummary = new QLabel;
    m_ablationSummary->setObjectName(QStringLiteral("ablationSummary"));
    m_ablationSummary->setWordWrap(true);
    m_ablationSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_ablationSummary->font();
    bold.setBold(true);
    m_ablationSummary->setFont(bold);
    m_ablationSummary->hide();

    auto* runsPane = new QWidget;
    auto* runsLayout = new QVBoxLayout(runsPane);
    runsLayout->setContentsMargins(0, 0, 0, 0);
    runsLayout->addWidget(m_ablationSummary);
    runsLayout->addWidget(m_runTable);

    m_rightSplitter = new QSplitter(Qt::Vertical);
    m_rightSplitter->addWidget(m_charts);
    m_rightSplitter->addWidget(runsPane);
    m_rightSplitter->setStretchFactor(0, 3);
    m_rightSplitter->setStretchFactor(1, 1);
    m_rightSplitter->setChildrenCollapsible(false);

    auto* right = new QWidget;
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addLayout(controls);
    rightLayout->addLayout(progressRow);
    rightLayout->addWidget(m_rightSplitter, 1);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->addWidget(formScroll);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_splitter);

    connect(m_train, &QPushButton::clicked, this, [this] { startTraining(false); });
    connect(m_pause, &QPushButton::clicked, m_training, &TrainingController::pause);
    connect(m_resume, &QPushButton::clicked, m_training, &TrainingController::resume);
    connect(m_step, &QPushButton::clicked, this, [this] {
        if (m_training->state() == TrainingController::State::Paused) {
            m_training->step();
        } else {
            startTraining(true);
        }
    });
    connect(m_stop, &QPushButton::clicked, m_training, &TrainingController::stop);
    connect(m_ablation, &QPushButton::clicked, this, &TrainView::startAblation);
    connect(m_training, &TrainingController::stateChanged, this, &TrainView::updateButtons);
    connect(m_training, &TrainingController::progress, this, &TrainView::showProgress);
    connect(m_training, &TrainingController::groupFinished, this, &TrainView::onGroupFinished);
    connect(m_training, &TrainingController::runFinished, this,
            [this](int runId, TrainOutcome outcome, const QString& why) {
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
                    text = tr("Run #%1 %2: %3")
                               .arg(runId)
                               .arg(QString::fromStdString(outcomeName(outcome)), why);
                }
                m_progressText->setText(text);
                emit message(text);
            });
    connect(m_training, &TrainingController::runFailed, this,
            [this](int runId, const QString& why) {
                const QString text = tr("Run #%1 could not train: %2").arg(runId).arg(why);
                m_progressText->setText(text);
                emit message(text);
            });
    connect(m_runTable, &QTableView::doubleClicked, this, [this, sorted](const QModelIndex& i) {
        useRunSettings(sorted->data(i, static_cast<int>(RunTableModel::Role::RunId)).toInt());
    });
    connect(m_runTable, &QTableView::customContextMenuRequested, this,
            [this, sorted](const QPoint& pos) {
                const QModelIndex index = m_runTable->indexAt(pos);
                if (!index.isValid()) {
                    return;
                }
                const int id =
                    sorted->data(index, static_cast<int>(RunTableModel::Role::RunId)).toInt();
                const RunRecord* run = m_runs->find(id);
                QMenu menu;
                menu.addAction(tr("Use these settings"), this, [this, id] { useRunSettings(id); });
                QAction* current =
                    menu.addAction(tr("Make it the current model"), this, [this, id] {
                        if (const RunRecord* r = m_runs->find(id); r && r->trainedModel) {
                            m_models->setCurrent(r->trainedModel, id);
                        }
                    });
                current->setEnabled(run != nullptr && run->trainedModel != nullptr);
                QAction* remove = menu.addAction(tr("Remove from the list"), this,
                                                 [this, id] { m_runs->remove(id); });
                remove->setEnabled(run != nullptr && id != m_training->currentRun() &&
                                   run->status != RunStatus::Queued);
                menu.exec(m_runTable->viewport()->mapToGlobal(pos));
            });
    updateButtons();
}

TrainView::~TrainView() = default;

int TrainView::startTraining(bool stepOnly) {
    QString problem;
    const std::optional<FormValues> v = m_form->values(&problem);
    if (!v) {
        emit message(tr("Not started: %1").arg(problem));
        m_progressText->setText(tr("Not started: %1").arg(problem));
        return 0;
    }
    if (!m_data->dataset()) {
        const QString text = m_data->isLoading()
                                 ? tr("Not started: the dataset is still loading.")
                                 : tr("Not started: no dataset is loaded (see the Data tab).");
        emit message(text);
        m_progressText->setText(text);
        return 0;
    }
    m_ablationSummary->hide();
    TrainingJob job{0, m_data->dataset(), v->model, v->training};
    return m_training->enqueue(std::move(job), stepOnly);
}

int TrainView::startAblation() {
    QString problem;
    const std::optional<FormValues> v = m_form->values(&problem);
    if (!v || !m_data->dataset()) {
        emit message(v ? tr("No dataset is loaded.") : tr("Not started: %1").arg(problem));
        return 0;
    }
    const AblationPlan plan = planAblation(v->model.features);
    if (plan.variants.empty()) {
        emit message(tr("Nothing to ablate: %1").arg(plan.skipped.join(QStringLiteral("; "))));
        return 0;
    }
    const QString group = tr("ablation %1").arg(++m_ablationCount);
    m_training->enqueue({0, m_data->dataset(), v->model, v->training}, false, group);
    for (const AblationVariant& variant : plan.variants) {
        ModelConfig model = v->model;
        model.features = variant.features;
        m_training->enqueue({0, m_data->dataset(), model, v->training}, false, group,
                            variant.removedFeature);
    }
    QString text = tr("Feature ablation: %1 runs queued (all features, then without each of "
                      "%2).")
                       .arg(plan.variants.size() + 1)
                       .arg([&] {
                           QStringList names;
                           for (const auto& variant : plan.variants) {
                               names << variant.removedFeature;
                           }
                           return names.join(QStringLiteral(", "));
                       }());
    if (!plan.skipped.isEmpty()) {
        text += QLatin1Char(' ') + tr("Kept: %1.").arg(plan.skipped.join(QStringLiteral("; ")));
    }
    m_ablationSummary->setText(text);
    m_ablationSummary->show();
    emit message(text);
    return static_cast<int>(plan.variants.size()) + 1;
}

void TrainView::onGroupFinished(const QString& group) {
    std::optional<RankingMetrics> reference;
    std::vector<AblationEntry> entries;
    for (int row = 0; row < m_runs->count(); ++row) {
        const RunRecord& run = m_runs->at(row);
        if (run.group != group) {
            continue;
        }
        const bool done = run.status == RunStatus::Completed;
        std::optional<RankingMetrics> metrics;
        if (done && run.finalMetrics() != nullptr) {
            metrics = *run.finalMetrics();
        }
        if (run.removedFeature.isEmpty()) {
            reference = metrics;
        } else {
            entries.push_back({run.removedFeature, metrics});
        }
    }
    const QString text = tr("Feature ablation: %1").arg(summarizeAblation(reference, entries));
    m_ablationSummary->setText(text);
    m_ablationSummary->show();
    emit message(text);
}

void TrainView::useRunSettings(int runId) {
    if (const RunRecord* run = m_runs->find(runId)) {
        m_form->setValues(run->model, run->training);
        emit message(tr("The form now holds the settings of run #%1.").arg(runId));
    }
}

int TrainView::selectedRun() const {
    const QModelIndexList rows = m_runTable->selectionModel()->selectedRows();
    if (!rows.isEmpty()) {
        return rows.first().data(static_cast<int>(RunTableModel::Role::RunId)).toInt();
    }
    return m_runs->count() > 0 ? m_runs->at(m_runs->count() - 1).id : 0;
}

void TrainView::updateButtons() {
    using State = TrainingController::State;
    const State s = m_training->state();
    m_train->setEnabled(s == State::Idle);
    m_ablation->setEnabled(s == State::Idle);
    m_pause->setEnabled(s == State::Running || s == State::Starting);
    m_resume->setEnabled(s == State::Paused);
    m_step->setEnabled(s == State::Idle || s == State::Paused);
    m_stop->setEnabled(s != State::Idle && s != State::Stopping);
    switch (s) {
    case State::Starting:
        m_progressText->setText(tr("Preparing run #%1: fitting the features and encoding every "
                                   "rating…")
                                    .arg(m_training->currentRun()));
        m_progress->setRange(0, 0); // busy
        break;
    case State::Pausing:
        m_progressText->setText(tr("Pausing after this batch…"));
        break;
    case State::Stopping:
        m_progressText->setText(tr("Stopping after this batch…"));
        break;
    case State::Paused:
        m_progressText->setText(m_progressText->text() + tr(" — paused"));
        break;
    case State::Idle:
        if (m_progress->maximum() == 0) {
            m_progress->setRange(0, 1);
        }
        break;
    case State::Running:
        break;
    }
}

void TrainView::showProgress(int runId, const BatchProgress& p) {
    const RunRecord* run = m_runs->find(runId);
    if (run == nullptr || p.batches <= 0) {
        return;
    }
    const long long total = static_cast<long long>(run->training.epochs) * p.batches;
    const long long done = static_cast<long long>(p.epoch - 1) * p.batches + p.batch;
    // QProgressBar counts in int; a very long run is shown in thousandths.
    const int scale = total > 1'000'000 ? 1000 : 1;
    m_progress->setRange(0, static_cast<int>(total / scale));
    m_progress->setValue(static_cast<int>(done / scale));
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
    m_progressText->setText(text);
}

void TrainView::saveSettings(QSettings& s) const {
    m_form->saveSettings(s);
    s.setValue(QStringLiteral("trainView/splitter"), m_splitter->saveState());
    s.setValue(QStringLiteral("trainView/rightSplitter"), m_rightSplitter->saveState());
    s.setValue(QStringLiteral("trainView/smoothing"), m_charts->smoothing());
}

void TrainView::loadSettings(const QSettings& s) {
    m_form->loadSettings(s);
    m_splitter->restoreState(s.value(QStringLiteral("trainView/splitter")).toByteArray());
    m_rightSplitter->restoreState(s.value(QStringLiteral("trainView/rightSplitter")).toByteArray());
    m_charts->setSmoothing(s.value(QStringLiteral("trainView/smoothing"), 0.6).toDouble());
}

} // namespace towerlab
