#include "views/batch_view.hpp"

#include "charts/batch_heat_map.hpp"
#include "charts/softmax_bars.hpp"
#include "controllers/batch_inspection_controller.hpp"
#include "models/batch_row_model.hpp"
#include "views/heading_label.hpp"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

namespace towerlab {
namespace {

constexpr std::size_t kTopBars = 8; // the row's most probable columns drawn as bars

QString number(double value, int decimals) {
    return QLocale().toString(value, 'f', decimals);
}

QString percent(double p) {
    return QLocale().toString(100 * p, 'g', 3) + QLatin1Char('%');
}

} // namespace

BatchView::BatchView(BatchInspectionController* controller, QWidget* parent)
    : QWidget(parent), m_controller(controller) {
    setObjectName(QStringLiteral("batchView"));

    auto* intro = new QLabel(
        tr("Each training step takes one batch of (user, movie) pairs. Both towers turn them into "
           "vectors and every user is scored against every movie of the batch: a B × B matrix "
           "of <i>logits</i>. Row <i>i</i>'s softmax should put its weight on column <i>i</i>, "
           "the movie that user rated (the <i>positive</i>); the other movies of the batch are "
           "its negatives. The loss is −ln of the positive's probability, summed over the rows, "
           "and one optimizer step nudges every weight to lower it."),
        this);
    intro->setWordWrap(true);

    m_step = new QPushButton(tr("Step one batch"), this);
    m_step->setObjectName(QStringLiteral("stepBatchButton"));
    m_step->setToolTip(tr("Train exactly one batch (starting a run with the Train tab's "
                          "settings when none is paused) and show it here (Ctrl+F10)"));
    m_when = new QComboBox(this);
    m_when->setObjectName(QStringLiteral("batchWhen"));
    m_when->addItem(tr("Logits before the step"));
    m_when->addItem(tr("Logits after the step"));
    m_when->setToolTip(tr("The heat map shows the logits the loss saw, or the same examples "
                          "scored again with the weights the step produced"));
    auto* controls = new QHBoxLayout;
    controls->addWidget(m_step);
    controls->addWidget(m_when);
    controls->addStretch(1);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("batchSummary"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);

    m_heatMap = new BatchHeatMap(this);
    m_heatMap->setToolTip(QString());
    m_heatMap->setToolTipText([this](int row, int column) {
        const BatchInspection& b = m_controller->inspection();
        const bool after = m_controller->showsAfter();
        QString text =
            tr("Row %1: %2 (rated %3)\nColumn %4: %5\nlogit %6")
                .arg(row + 1)
                .arg(m_controller->userOf(row), m_controller->titleOf(row))
                .arg(column + 1)
                .arg(m_controller->titleOf(column))
                .arg(adjustedLogit(b, after, std::size_t(row), std::size_t(column)), 0, 'f', 3);
        if (row == column) {
            text += tr(" — the positive");
        } else if (isAccidentalHit(b, std::size_t(row), std::size_t(column))) {
            text += b.options.removeAccidentalHits ? tr(" — the same movie: left out")
                                                   : tr(" — the same movie as the positive");
        }
        return text;
    });

    m_rowSpin = new QSpinBox(this);
    m_rowSpin->setObjectName(QStringLiteral("batchRow"));
    m_rowSpin->setRange(1, 1);
    m_rowSpin->setToolTip(tr("The row to look at: one example of the batch (or click a row of "
                             "the heat map; Up/Down there move it)"));
    m_rowOf = new QLabel(this);
    auto* rowLine = new QHBoxLayout;
    rowLine->addWidget(new QLabel(tr("Row"), this));
    rowLine->addWidget(m_rowSpin);
    rowLine->addWidget(m_rowOf);
    rowLine->addStretch(1);

    m_rowText = new QLabel(this);
    m_rowText->setObjectName(QStringLiteral("batchRowText"));
    m_rowText->setWordWrap(true);
    m_rowText->setTextFormat(Qt::RichText);
    m_bars = new SoftmaxBars(this);

    m_rowModel = new BatchRowModel(controller, this);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("batchRowTable"));
    m_table->setModel(m_rowModel);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    sizeTableColumns();
    m_table->setToolTip(tr("Every column of the batch for the chosen row, by its probability "
                           "before the step"));

    // The bars, or every column as a table: one at a time, so the row's text and the bars fit
    // a 1280 x 800 window beside the heat map.
    auto* rowViews = new QTabWidget(this);
    rowViews->setObjectName(QStringLiteral("batchRowViews"));
    rowViews->setDocumentMode(true);
    rowViews->addTab(m_bars, tr("Most probable"));
    rowViews->addTab(m_table, tr("Every column"));
    rowViews->setTabToolTip(0, tr("The row's most probable columns and its positive, before "
                                  "and after the step"));
    rowViews->setTabToolTip(1, tr("All the batch's columns for this row, with their logits"));
    auto* rowPanel = new QWidget(this);
    auto* rowLayout = new QVBoxLayout(rowPanel);
    rowLayout->setContentsMargins(0, 0, 0, 0);
    rowLayout->addWidget(headingLabel(tr("One row's softmax")));
    rowLayout->addLayout(rowLine);
    rowLayout->addWidget(m_rowText);
    rowLayout->addWidget(rowViews, 1);

    auto* mapPanel = new QWidget(this);
    auto* mapLayout = new QVBoxLayout(mapPanel);
    mapLayout->setContentsMargins(0, 0, 0, 0);
    mapLayout->addWidget(headingLabel(tr("The batch's logits")));
    mapLayout->addWidget(m_heatMap, 1);

    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(mapPanel);
    split->addWidget(rowPanel);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(headingLabel(tr("Inside one batch")));
    layout->addWidget(intro);
    layout->addLayout(controls);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);

    connect(m_step, &QPushButton::clicked, this, &BatchView::stepRequested);
    connect(m_when, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_controller->setShowsAfter(index == 1);
        m_heatMap->setAfter(index == 1);
    });
    connect(m_heatMap, &BatchHeatMap::rowClicked, m_controller, &BatchInspectionController::setRow);
    connect(m_rowSpin, &QSpinBox::valueChanged, this,
            [this](int value) { m_controller->setRow(value - 1); });
    connect(controller, &BatchInspectionController::batchChanged, this, &BatchView::showBatch);
    connect(controller, &BatchInspectionController::rowChanged, this, &BatchView::showRow);
    showBatch();
    showRow();
}

void BatchView::sizeTableColumns() {
    // Fixed widths from the font: measuring B rows to fit them would cost the GUI thread on
    // every step.
    const int digit = fontMetrics().horizontalAdvance(QLatin1Char('0'));
    m_table->setColumnWidth(BatchRowModel::Rank, digit * 7);
    m_table->setColumnWidth(BatchRowModel::BatchColumn, digit * 8);
    m_table->setColumnWidth(BatchRowModel::Movie, digit * 30);
    m_table->setColumnWidth(BatchRowModel::Logit, digit * 8);
    m_table->setColumnWidth(BatchRowModel::Before, digit * 9);
    m_table->setColumnWidth(BatchRowModel::After, digit * 9);
}

void BatchView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        sizeTableColumns();
    }
}

void BatchView::showBatch() {
    m_summary->setText(summaryText());
    if (!m_controller->hasBatch()) {
        m_heatMap->setBatch(nullptr, 1.0);
        m_rowSpin->setEnabled(false);
        m_rowOf->clear();
        return;
    }
    const BatchOverview& o = m_controller->batch().overview;
    m_heatMap->setBatch(m_controller->batch().batch,
                        std::max(std::abs(o.minLogit), std::abs(o.maxLogit)));
    const QSignalBlocker block(m_rowSpin);
    m_rowSpin->setEnabled(true);
    m_rowSpin->setRange(1, m_controller->size());
    m_rowOf->setText(tr("of %1").arg(QLocale().toString(m_controller->size())));
}

void BatchView::showRow() {
    m_rowText->setText(rowDescription());
    if (!m_controller->hasBatch()) {
        m_bars->setBars({});
        return;
    }
    const int row = m_controller->row();
    {
        const QSignalBlocker block(m_rowSpin);
        m_rowSpin->setValue(row + 1);
    }
    if (m_heatMap->selectedRow() != row) {
        m_heatMap->setSelectedRow(row);
    }
    const BatchInspection& b = m_controller->inspection();
    const BatchRowSoftmax& before = m_controller->rowBefore();
    const auto bar = [&](std::size_t k, bool gap) {
        const std::int32_t j = before.columns[k];
        SoftmaxBar out;
        out.label = tr("%1. %2").arg(k + 1).arg(m_controller->titleOf(j));
        out.before = before.probabilities[k];
        out.after = m_controller->probabilityAfter(j);
        out.positive = j == row;
        out.sameMovie = isAccidentalHit(b, std::size_t(row), std::size_t(j));
        out.gapBefore = gap;
        return out;
    };
    std::vector<SoftmaxBar> bars;
    const std::size_t top = std::min(kTopBars, before.columns.size());
    for (std::size_t k = 0; k < top; ++k) {
        bars.push_back(bar(k, false));
    }
    const auto positiveIndex = static_cast<std::size_t>(before.positiveRank - 1);
    if (positiveIndex >= top) {
        // Ties can put the positive after its rank; find it.
        for (std::size_t k = top; k < before.columns.size(); ++k) {
            if (before.columns[k] == row) {
                bars.push_back(bar(k, true));
                break;
            }
        }
    }
    m_bars->setBars(std::move(bars));
}

QString BatchView::summaryText() const {
    if (!m_controller->hasBatch()) {
        return tr("<i>Nothing to show yet: press <b>Step one batch</b> to train exactly one batch "
                  "and look inside it.</i>");
    }
    const InspectedBatch& ib = m_controller->batch();
    const BatchInspection& b = *ib.batch;
    const BatchOverview& o = ib.overview;
    const int n = static_cast<int>(b.size());
    QString text = tr("Run #%1, epoch %2, batch %3 of %4: <b>%5 examples</b>, %6 different movies")
                       .arg(ib.runId)
                       .arg(b.epoch)
                       .arg(b.batch)
                       .arg(b.batchesPerEpoch)
                       .arg(QLocale().toString(n))
                       .arg(QLocale().toString(o.distinctMovies));
    if (o.duplicateColumns > 0) {
        text += tr(" (%1 columns hold a movie that occurs more than once in the batch: a dot in "
                   "the heat map)")
                    .arg(QLocale().toString(o.duplicateColumns));
    }
    text += QStringLiteral(". ");
    text += tr("The loss: %1.")
                .arg(QString::fromStdString(describeRetrievalTask(b.l2Normalize, b.options)));
    text += QStringLiteral("<br>");
    text += tr("Loss summed over the batch: <b>%1</b>.").arg(number(b.loss, 1));
    const double lnN = std::log(static_cast<double>(n));
    const bool everyColumn = std::abs(o.uniform - n * lnN) < 1e-6 * o.uniform;
    if (everyColumn) {
        text += tr(" If every logit were equal, each row would be a uniform guess among its %1 "
                   "columns: −ln(1/%1) = ln %1 = %2 per row, %1 × %2 = <b>%3</b> in all.")
                    .arg(QLocale().toString(n))
                    .arg(number(lnN, 2))
                    .arg(number(o.uniform, 1));
    } else {
        text += tr(" If every logit were equal, each row would be a uniform guess among the "
                   "columns its loss keeps: Σ ln(columns kept) = <b>%1</b>.")
                    .arg(number(o.uniform, 1));
    }
    if (b.epoch == 1 && b.batch == 1) {
        text += b.logProbabilities.empty()
                    ? tr(" An untrained model's vectors are small, so all its logits are near 0 "
                         "and the first batch starts right there (%1 of it).")
                          .arg(percent(b.loss / o.uniform))
                    : tr(" With the logQ correction the logits start at −log p of each movie, "
                         "not at 0, so the first batch starts away from it (%1 of it).")
                          .arg(percent(b.loss / o.uniform));
    } else {
        text += tr(" Now it is %1 of that.").arg(percent(b.loss / o.uniform));
    }
    const double change = o.lossAfter - o.lossBefore;
    text += QStringLiteral("<br>");
    text += tr("After the step the same examples' loss is %1 (%2%3); the positive's probability "
               "rose in <b>%4 of %5 rows</b>.")
                .arg(number(o.lossAfter, 1))
                .arg(change < 0 ? QStringLiteral("−") : QStringLiteral("+"))
                .arg(number(std::abs(change), 1))
                .arg(QLocale().toString(o.rowsUp))
                .arg(QLocale().toString(n));
    if (change > 0) {
        text += tr(" This step overshot: it made its own batch worse. A step's size is the "
                   "learning rate times the gradient, and Adagrad divides it by the root of "
                   "each weight's sum of squared gradients so far, which is still small in the "
                   "first steps; as those sums grow the steps shrink and the loss settles.");
    }
    return text;
}

QString BatchView::rowDescription() const {
    if (!m_controller->hasBatch()) {
        return {};
    }
    const int row = m_controller->row();
    const BatchRowSoftmax& before = m_controller->rowBefore();
    const BatchRowSoftmax& after = m_controller->rowAfter();
    const int kept = static_cast<int>(before.columns.size());
    QString text = tr("Row %1: <b>%2</b> (the query) and <b>%3</b>, the movie they rated "
                      "(column %1, the positive).")
                       .arg(row + 1)
                       .arg(m_controller->userOf(row).toHtmlEscaped(),
                            m_controller->titleOf(row).toHtmlEscaped());
    if (!before.leftOut.empty()) {
        text += tr(" %1 of the batch's columns are left out of this row's softmax.")
                    .arg(QLocale().toString(int(before.leftOut.size())));
    }
    text += QStringLiteral("<br>");
    const double ratio = after.positiveProbability / before.positiveProbability;
    text += tr("Before the step: p = <b>%1</b> (rank %2 of %3), row loss −ln p = %4.<br>")
                .arg(percent(before.positiveProbability))
                .arg(before.positiveRank)
                .arg(QLocale().toString(kept))
                .arg(number(before.loss, 3));
    text += tr("After the step: p = <b>%1</b> (rank %2), row loss %3 — <b>%4 ×%5</b>.<br>")
                .arg(percent(after.positiveProbability))
                .arg(after.positiveRank)
                .arg(number(after.loss, 3))
                .arg(ratio >= 1 ? tr("up") : tr("down"))
                .arg(number(ratio, 2));
    const double logitChange = after.positiveLogit - before.positiveLogit;
    const double normaliserChange = after.logSumExp - before.logSumExp;
    const QString logitMove = logitChange >= 0 ? tr("rose by %1").arg(number(logitChange, 3))
                                               : tr("fell by %1").arg(number(-logitChange, 3));
    const QString normaliserMove = normaliserChange >= 0
                                       ? tr("rose by %1").arg(number(normaliserChange, 3))
                                       : tr("fell by %1").arg(number(-normaliserChange, 3));
    if (ratio >= 1) {
        text += tr("<i>Why:</i> p = exp(positive's logit − log Σ exp(every kept logit)). The "
                   "step moved this user's vector and the positive's vector so that their logit "
                   "%1, while the normaliser log Σ exp %2: the gradient of this row's loss "
                   "pushes the positive's logit up by (1 − p) and every negative's down by its "
                   "own probability, so the positive's share grew by exp(%3) = ×%4.")
                    .arg(logitMove, normaliserMove)
                    .arg(number(logitChange - normaliserChange, 3))
                    .arg(number(ratio, 2));
    } else {
        text += tr("<i>Why not:</i> p = exp(positive's logit − log Σ exp(every kept logit)). The "
                   "positive's logit %1 but the normaliser %2. One step serves all %3 rows at "
                   "once: the dense layers, and any user feature or movie several rows share, "
                   "moved for the others too, and this row lost ground.")
                    .arg(logitMove, normaliserMove)
                    .arg(QLocale().toString(m_controller->size()));
    }
    return text;
}

} // namespace towerlab
