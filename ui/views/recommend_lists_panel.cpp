#include "views/recommend_lists_panel.hpp"

#include "models/recommendation_table_model.hpp"
#include "views/heading_label.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalBlocker>
#include <QTableView>
#include <QVBoxLayout>

namespace towerlab {

namespace {

QTableView* makeTable(RecommendationTableModel* model, const QString& name) {
    auto* table = new QTableView;
    table->setObjectName(name);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setAlternatingRowColors(false); // the rated-movie tints need a plain background
    table->setWordWrap(false);
    table->setTextElideMode(Qt::ElideRight);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    QHeaderView* h = table->horizontalHeader();
    h->setSectionResizeMode(QHeaderView::ResizeToContents);
    h->setSectionResizeMode(RecommendationTableModel::Title, QHeaderView::Stretch);
    h->setSectionResizeMode(RecommendationTableModel::Genres, QHeaderView::Interactive);
    h->resizeSection(RecommendationTableModel::Genres, 130);
    h->setHighlightSections(false);
    return table;
}

QString modelListTip() {
    return QObject::tr("The movies the model scores highest for this query, best first. Click a "
                       "movie to explain its score on the right; hover a row for details.");
}

QString modelRecallTip() {
    return QObject::tr("Recall@k: the share of the user's test-split movies (ratings the model "
                       "never saw) that this list contains.");
}

} // namespace

RecommendListsPanel::RecommendListsPanel(RecommendationTableModel* listA,
                                         RecommendationTableModel* listB, QWidget* parent)
    : QWidget(parent) {
    m_modelLine = new QLabel;
    m_modelLine->setObjectName(QStringLiteral("recommendModelLine"));
    m_modelLine->setWordWrap(true);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("recallLabel"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::RichText);
    m_status->setToolTip(modelRecallTip());
    m_titleA = new QLabel;
    m_titleA->setObjectName(QStringLiteral("listTitleA"));
    m_titleB = new QLabel;
    m_titleB->setObjectName(QStringLiteral("listTitleB"));
    for (QLabel* title : {m_titleA, m_titleB}) {
        QFont f = title->font();
        f.setBold(true);
        title->setFont(f);
        title->setWordWrap(true);
    }
    m_tableA = makeTable(listA, QStringLiteral("recommendTableA"));
    m_tableB = makeTable(listB, QStringLiteral("recommendTableB"));
    m_tableA->setToolTip(modelListTip());
    m_tableB->setToolTip(modelListTip());
    m_tableA->setColumnHidden(RecommendationTableModel::Change, true);
    m_timing = new QLabel;
    m_timing->setObjectName(QStringLiteral("recommendTiming"));
    m_timing->setForegroundRole(QPalette::PlaceholderText);
    m_timing->setToolTip(tr("How long the model took to score every movie and sort them"));

    m_approximate = new QCheckBox(tr("Approximate search (HNSW)"));
    m_approximate->setObjectName(QStringLiteral("approximateSearch"));
    m_approximate->setToolTip(
        tr("Find the lists with an HNSW graph of the movie vectors instead of scoring every "
           "movie, as TFRS offers ScaNN beside brute force: faster on large catalogues, but it "
           "may miss movies. The recall against brute force is measured and shown."));
    m_ef = new QComboBox;
    m_ef->setObjectName(QStringLiteral("approximateEf"));
    for (const int ef : {10, 50, 100, 200, 500}) {
        m_ef->addItem(tr("ef %1").arg(ef), ef);
    }
    m_ef->setToolTip(tr("How many candidates the graph search keeps (at least k): larger is "
                        "slower and finds more of the exact list"));
    m_buildProgress = new QProgressBar;
    m_buildProgress->setObjectName(QStringLiteral("indexBuildProgress"));
    m_buildProgress->setRange(0, 100);
    m_buildProgress->setMaximumWidth(120);
    m_buildProgress->setToolTip(tr("Movies inserted into the HNSW index so far"));
    m_cancelBuild = new QPushButton(tr("Cancel"));
    m_cancelBuild->setObjectName(QStringLiteral("cancelIndexBuild"));
    m_cancelBuild->setToolTip(tr("Stop building the HNSW index; the lists stay exact"));
    m_approximateStatus = new QLabel;
    m_approximateStatus->setObjectName(QStringLiteral("approximateStatus"));
    m_approximateStatus->setWordWrap(true);
    m_approximateStatus->setTextFormat(Qt::RichText);
    auto* approximateRow = new QHBoxLayout;
    approximateRow->addWidget(m_approximate);
    approximateRow->addWidget(m_ef);
    approximateRow->addWidget(m_buildProgress);
    approximateRow->addWidget(m_cancelBuild);
    approximateRow->addStretch(1);
    connect(m_approximate, &QCheckBox::toggled, this, &RecommendListsPanel::approximateToggled);
    connect(m_ef, &QComboBox::activated, this,
            [this](int i) { emit efChosen(m_ef->itemData(i).toInt()); });
    connect(m_cancelBuild, &QPushButton::clicked, this, &RecommendListsPanel::cancelBuildClicked);
    showApproximate(false, 50, false, 0.0, {});

    auto* panelA = new QWidget;
    auto* aLayout = new QVBoxLayout(panelA);
    aLayout->setContentsMargins(0, 0, 0, 0);
    aLayout->addWidget(m_titleA);
    aLayout->addWidget(m_tableA, 1);
    m_panelB = new QWidget;
    auto* bLayout = new QVBoxLayout(m_panelB);
    bLayout->setContentsMargins(0, 0, 0, 0);
    bLayout->addWidget(m_titleB);
    bLayout->addWidget(m_tableB, 1);
    m_panelB->setVisible(false);
    auto* tables = new QHBoxLayout;
    tables->addWidget(panelA, 1);
    tables->addWidget(m_panelB, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(headingLabel(tr("Recommendations")));
    layout->addWidget(m_modelLine);
    layout->addWidget(m_status);
    layout->addLayout(approximateRow);
    layout->addWidget(m_approximateStatus);
    layout->addLayout(tables, 1);
    layout->addWidget(m_timing);
    setMinimumWidth(380);
}

void RecommendListsPanel::setCompare(bool on) {
    m_panelB->setVisible(on);
    for (const int column : {RecommendationTableModel::Year, RecommendationTableModel::Genres,
                             RecommendationTableModel::Popularity}) {
        m_tableA->setColumnHidden(column, on);
        m_tableB->setColumnHidden(column, on);
    }
}

void RecommendListsPanel::setModelLine(const QString& text) {
    m_modelLine->setText(text);
}

void RecommendListsPanel::setRecallText(const QString& html) {
    m_status->setText(html);
}

void RecommendListsPanel::setTitles(const QString& a, const QString& b) {
    m_titleA->setText(a);
    m_titleB->setText(b);
}

void RecommendListsPanel::setTiming(const QString& text) {
    m_timing->setText(text);
}

void RecommendListsPanel::setApproximateAvailable(bool available, const QString& why) {
    if (m_approximateTip.isEmpty()) {
        m_approximateTip = m_approximate->toolTip();
    }
    m_approximate->setEnabled(available);
    m_approximate->setToolTip(available ? m_approximateTip : why);
}

// Vectors from elsewhere have no training split, so "seen", "held out" and recall mean nothing
// for them: the tooltips say what their list is instead.
void RecommendListsPanel::setFromElsewhere(bool on) {
    const QString list =
        on ? tr("The movie vectors opened from files whose dot product with the query vector is "
                "highest, best first. They came from elsewhere, with no training split, so no "
                "movie counts as seen and none is marked. Click a movie to select it in every "
                "tab; hover a row for details.")
           : modelListTip();
    m_tableA->setToolTip(list);
    m_tableB->setToolTip(list);
    m_status->setToolTip(on ? tr("Marking rated movies and recall@k need a real user of the "
                                 "open dataset and a TowerLab model's train/test split; vectors "
                                 "from elsewhere have neither.")
                            : modelRecallTip());
}

void RecommendListsPanel::showApproximate(bool on, int ef, bool building, double progress,
                                          const QString& html) {
    const QSignalBlocker blockToggle(m_approximate);
    const QSignalBlocker blockEf(m_ef);
    m_approximate->setChecked(on);
    m_ef->setEnabled(on);
    int at = m_ef->findData(ef);
    if (at < 0) {
        m_ef->addItem(tr("ef %1").arg(ef), ef);
        at = m_ef->count() - 1;
    }
    m_ef->setCurrentIndex(at);
    m_buildProgress->setVisible(on && building);
    m_buildProgress->setValue(static_cast<int>(progress * 100.0));
    m_cancelBuild->setVisible(on && building);
    m_approximateStatus->setVisible(on && !html.isEmpty());
    m_approximateStatus->setText(html);
}

} // namespace towerlab
