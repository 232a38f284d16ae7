#include "views/train_view.hpp"

#include "charts/training_charts.hpp"
#include "controllers/model_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/train_tab_controller.hpp"
#include "models/run_table_model.hpp"
#include "views/train_form.hpp"
#include "views/verdict_panel.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace towerlab {

namespace {

QPushButton* button(const QString& text, const QString& name, const QString& tip) {
    auto* b = new QPushButton(text);
    b->setObjectName(name);
    b->setToolTip(tip);
    return b;
}

} // namespace

TrainView::TrainView(RunCollection* runs, TrainingController* training, DatasetController* data,
                     ModelController* models, QWidget* parent)
    : QWidget(parent), m_runs(runs), m_training(training), m_models(models),
      m_controller(new TrainTabController(runs, training, data, this)) {
    m_form = new TrainForm;
    auto* formScroll = new QScrollArea;
    formScroll->setWidget(m_form);
    formScroll->setWidgetResizable(true);
    formScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    formScroll->setMinimumWidth(m_form->sizeHint().width() + 24);

    m_train = button(tr("▶ Train"), QStringLiteral("trainButton"),
                     tr("Train a new model with these settings on the current dataset (F5)"));
    m_pause = button(tr("Pause"), QStringLiteral("pauseButton"),
                     tr("Pause after the current batch, or between two chunks of an evaluation "
                        "(Resume goes on ranking from there); the model so far becomes the "
                        "current model (F6)"));
    m_resume = button(tr("Resume"), QStringLiteral("resumeButton"),
                      tr("Go on training where it paused (F6)"));
    m_step = button(tr("Step epoch"), QStringLiteral("stepButton"),
                    tr("Train one epoch (or the rest of the current one), then pause (F10)"));
    m_stop = button(tr("Stop"), QStringLiteral("stopButton"),
                    tr("End the run now and keep its model; queued runs are dropped. An "
                       "evaluation under way is skipped: its epoch keeps no test metrics "
                       "(Shift+F5)"));
    m_ablation = button(tr("Feature ablation"), QStringLiteral("ablationButton"),
                        tr("Train these settings once with every feature, then once per feature "
                           "with that feature left out, one after another, and show which "
                           "feature matters most. With \"Repeat with N seeds\" of 2 or more, "
                           "every variant runs with the same N seeds and each removed feature "
                           "gets a verdict against all features (paired t-test)."));
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
    // Sixteen columns do not fit 1280 px: the table scrolls sideways rather than squeezing
    // them; the name column has a fixed, user-resizable width and elides.
    m_runTable->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_runTable->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    m_runTable->horizontalHeader()->setStretchLastSection(false);
    m_runTable->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_runTable->horizontalHeader()->setSectionResizeMode(RunTableModel::Run,
                                                         QHeaderView::Interactive);
    m_runTable->horizontalHeader()->resizeSection(
        RunTableModel::Run, m_runTable->fontMetrics().horizontalAdvance(QLatin1Char('x')) * 46);
    m_runTable->setContextMenuPolicy(Qt::CustomContextMenu);
    m_runTable->setToolTip(tr("Double-click a run to put its settings in the form; right-click "
                              "for more."));

    m_ablationSummary = new QLabel;
    m_ablationSummary->setObjectName(QStringLiteral("ablationSummary"));
    m_ablationSummary->setWordWrap(true);
    m_ablationSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_ablationSummary->setTextFormat(Qt::RichText);
    m_ablationSummary->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    // At most four lines high, so the run table keeps its rows; the rest scrolls.
    m_ablationScroll = new QScrollArea;
    m_ablationScroll->setWidget(m_ablationSummary);
    m_ablationScroll->setWidgetResizable(true);
    m_ablationScroll->setFrameShape(QFrame::NoFrame);
    m_ablationScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_ablationScroll->hide();

    m_verdict = new VerdictPanel(runs, data);

    auto* runsPane = new QWidget;
    auto* runsLayout = new QVBoxLayout(runsPane);
    runsLayout->setContentsMargins(0, 0, 0, 0);
    runsLayout->addWidget(m_ablationScroll);
    runsLayout->addWidget(m_runTable, 1);
    runsLayout->addWidget(m_verdict);

    m_rightSplitter = new QSplitter(Qt::Vertical);
    m_rightSplitter->addWidget(m_charts);
    m_rightSplitter->addWidget(runsPane);
    // The run table with its seed groups and the verdict under it need room for a few rows.
    m_rightSplitter->setStretchFactor(0, 3);
    m_rightSplitter->setStretchFactor(1, 2);
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

    connect(m_train, &QPushButton::clicked, this, [this] { startTraining(); });
    connect(m_pause, &QPushButton::clicked, m_training, &TrainingController::pause);
    connect(m_resume, &QPushButton::clicked, m_training, &TrainingController::resume);
    connect(m_step, &QPushButton::clicked, this, &TrainView::stepEpoch);
    connect(m_stop, &QPushButton::clicked, m_training, &TrainingController::stop);
    connect(m_ablation, &QPushButton::clicked, this, &TrainView::startAblation);
    connect(m_controller, &TrainTabController::changed, this, &TrainView::showState);
    connect(m_controller, &TrainTabController::message, this, &TrainView::message);
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
                const QString set =
                    sorted->data(index, static_cast<int>(RunTableModel::Role::SeedSet)).toString();
                const RunRecord* run = m_runs->find(id);
                QMenu menu;
                // A run of a seed set is compared as its set.
                const Contender picked{run != nullptr ? run->seedSet : set,
                                       run != nullptr && run->seedSet.isEmpty() ? id : 0};
                menu.addAction(tr("Compare as A"), this, [this, picked] {
                    m_verdict->setContenders(picked, m_verdict->second());
                });
                menu.addAction(tr("Compare as B"), this, [this, picked] {
                    m_verdict->setContenders(m_verdict->first(), picked);
                });
                if (run == nullptr) {
                    menu.exec(m_runTable->viewport()->mapToGlobal(pos));
                    return;
                }
                menu.addSeparator();
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
    showState();
}

TrainView::~TrainView() = default;

int TrainView::startTraining(TrainStep step) {
    QString problem;
    const std::optional<FormValues> v = m_form->values(&problem);
    if (!v) {
        m_controller->refuse(problem);
        return 0;
    }
    if (step == TrainStep::Run && v->seedRepeats > 1) {
        return m_controller->startSeeds(v->model, v->training, v->seedRepeats);
    }
    return m_controller->start(v->model, v->training, step);
}

void TrainView::stepEpoch() {
    if (m_training->state() == TrainingController::State::Paused) {
        m_training->step();
    } else {
        startTraining(TrainStep::OneEpoch);
    }
}

void TrainView::stepBatch() {
    if (m_training->state() == TrainingController::State::Paused) {
        m_training->stepBatch();
    } else {
        startTraining(TrainStep::OneBatch);
    }
}

int TrainView::startAblation() {
    QString problem;
    const std::optional<FormValues> v = m_form->values(&problem);
    if (!v) {
        emit message(tr("Not started: %1").arg(problem));
        return 0;
    }
    return m_controller->startAblation(v->model, v->training, v->seedRepeats);
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
        const int id = rows.first().data(static_cast<int>(RunTableModel::Role::RunId)).toInt();
        if (id != 0) {
            return id;
        }
        // A seed set's row: its newest run.
        const QString set =
            rows.first().data(static_cast<int>(RunTableModel::Role::SeedSet)).toString();
        for (int row = m_runs->count(); row-- > 0;) {
            if (m_runs->at(row).seedSet == set) {
                return m_runs->at(row).id;
            }
        }
    }
    return m_runs->count() > 0 ? m_runs->at(m_runs->count() - 1).id : 0;
}

void TrainView::showState() {
    const TrainTabController::Actions can = m_controller->actions();
    m_train->setEnabled(can.train);
    m_ablation->setEnabled(can.ablation);
    m_pause->setEnabled(can.pause);
    m_resume->setEnabled(can.resume);
    m_step->setEnabled(can.step);
    m_stop->setEnabled(can.stop);
    m_progressText->setText(m_controller->progressText());
    if (m_progress->maximum() != m_controller->progressMaximum()) {
        m_progress->setRange(0, m_controller->progressMaximum());
    }
    m_progress->setValue(m_controller->progressValue());
    // The first line (what was done) in bold, each feature's verdict under it.
    const QStringList lines = m_controller->ablationSummary().split(QLatin1Char('\n'));
    QString html = QStringLiteral("<b>%1</b>").arg(lines.front().toHtmlEscaped());
    for (qsizetype i = 1; i < lines.size(); ++i) {
        html += QStringLiteral("<br>") + lines[i].toHtmlEscaped();
    }
    m_ablationSummary->setText(html);
    m_ablationSummary->setToolTip(m_controller->ablationDetails());
    // Up to four and a half lines: a cut line shows that there is more to scroll to.
    const int width = m_ablationScroll->viewport()->width();
    const int full = m_ablationSummary->heightForWidth(width > 100 ? width : 600);
    const int cap = m_ablationSummary->fontMetrics().lineSpacing() * 9 / 2;
    m_ablationScroll->setFixedHeight(std::min(full, cap) + 4);
    m_ablationScroll->setVisible(!m_controller->ablationSummary().isEmpty());
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
