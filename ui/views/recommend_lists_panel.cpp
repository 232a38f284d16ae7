#include "views/recommend_lists_panel.hpp"

#include "models/recommendation_table_model.hpp"
#include "views/heading_label.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
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
    table->setToolTip(QObject::tr("The movies the model scores highest for this query, best "
                                  "first. Click a movie to explain its score on the right; "
                                  "hover a row for details."));
    return table;
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
    m_status->setToolTip(tr("Recall@k: the share of the user's test-split movies (ratings the "
                            "model never saw) that this list contains."));
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
    m_tableA->setColumnHidden(RecommendationTableModel::Change, true);
    m_timing = new QLabel;
    m_timing->setObjectName(QStringLiteral("recommendTiming"));
    m_timing->setForegroundRole(QPalette::PlaceholderText);
    m_timing->setToolTip(tr("How long the model took to score every movie and sort them"));

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

} // namespace towerlab
