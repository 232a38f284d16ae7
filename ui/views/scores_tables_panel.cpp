#include "views/scores_tables_panel.hpp"

#include "controllers/scores_controller.hpp"
#include "models/nearest_movies_model.hpp"
#include "models/similarity_matrix_model.hpp"
#include "models/title_scores_model.hpp"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace towerlab {

namespace {

QLabel* caption(const QString& name) {
    auto* label = new QLabel;
    label->setObjectName(name);
    label->setTextFormat(Qt::RichText);
    return label;
}

QTableView* table(const QString& name, const QString& tip) {
    auto* view = new QTableView;
    view->setObjectName(name);
    view->setToolTip(tip);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setWordWrap(false);
    view->verticalHeader()->setVisible(false);
    view->horizontalHeader()->setHighlightSections(false);
    return view;
}

} // namespace

ScoresTablesPanel::ScoresTablesPanel(ScoresController* scores, QWidget* parent) : QWidget(parent) {
    m_scoresCaption = caption(QStringLiteral("scoresCaption"));
    m_scoreTable = table(QStringLiteral("scoreTable"),
                         tr("The chosen titles, best score for this query first. Select one to "
                            "list its nearest movies; Delete removes it."));
    m_scoreTable->setModel(scores->scores());
    QHeaderView* scoreHeader = m_scoreTable->horizontalHeader();
    scoreHeader->setSectionResizeMode(QHeaderView::ResizeToContents);
    scoreHeader->setSectionResizeMode(TitleScoresModel::Title, QHeaderView::Stretch);
    scoreHeader->setSectionResizeMode(TitleScoresModel::Genres, QHeaderView::Interactive);
    scoreHeader->resizeSection(TitleScoresModel::Genres, 220);

    m_matrixCaption = caption(QStringLiteral("matrixCaption"));
    m_matrixCaption->setWordWrap(true); // long with View → Larger text
    m_similarityBox = new QComboBox;
    m_similarityBox->setObjectName(QStringLiteral("similarityBox"));
    m_similarityBox->addItem(tr("Cosine similarity"), static_cast<int>(Similarity::Cosine));
    m_similarityBox->addItem(tr("Dot product"), static_cast<int>(Similarity::Dot));
    m_similarityBox->setToolTip(
        tr("How the matrix and the nearest-movies list compare two movie vectors: cosine (the "
           "angle only, -1..1) or the dot product (also counts the vectors' lengths, the "
           "model's own score)"));
    m_matrixTable = table(QStringLiteral("matrixTable"),
                          tr("Row i, column j: how similar movie j is to movie i. Red is "
                             "similar, blue is opposite, white is unrelated; the diagonal (a "
                             "movie with itself) is grey. Click a cell to list the row movie's "
                             "nearest movies."));
    m_matrixTable->setModel(scores->matrix());
    m_matrixTable->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_matrixTable->verticalHeader()->setVisible(true);
    m_matrixTable->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_matrixTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_matrixTable->setShowGrid(true);

    m_nearestCaption = caption(QStringLiteral("nearestCaption"));
    m_nearestCaption->setWordWrap(true);
    m_nearestTable = table(QStringLiteral("nearestTable"),
                           tr("The movies whose vectors lie closest to the selected title's, "
                              "with the measure chosen above the matrix. Double-click one to "
                              "add it to the comparison."));
    m_nearestTable->setModel(scores->nearest());
    QHeaderView* nearestHeader = m_nearestTable->horizontalHeader();
    nearestHeader->setSectionResizeMode(QHeaderView::ResizeToContents);
    nearestHeader->setSectionResizeMode(NearestMoviesModel::Title, QHeaderView::Stretch);
    nearestHeader->setSectionResizeMode(NearestMoviesModel::Genres, QHeaderView::Interactive);
    nearestHeader->resizeSection(NearestMoviesModel::Genres, 150);
    m_nearestTable->setColumnHidden(NearestMoviesModel::Year, true); // the title has the year

    auto* scoresBox = new QWidget;
    auto* scoresLayout = new QVBoxLayout(scoresBox);
    scoresLayout->setContentsMargins(0, 0, 0, 0);
    scoresLayout->addWidget(m_scoresCaption);
    scoresLayout->addWidget(m_scoreTable);
    auto* matrixBox = new QWidget;
    auto* matrixLayout = new QVBoxLayout(matrixBox);
    matrixLayout->setContentsMargins(0, 0, 0, 0);
    auto* matrixHead = new QHBoxLayout;
    matrixHead->addWidget(m_matrixCaption, 1);
    auto* measure = new QLabel(tr("&Measure:"));
    measure->setBuddy(m_similarityBox);
    measure->setToolTip(m_similarityBox->toolTip());
    matrixHead->addWidget(measure);
    matrixHead->addWidget(m_similarityBox);
    matrixLayout->addLayout(matrixHead);
    matrixLayout->addWidget(m_matrixTable);
    auto* left = new QSplitter(Qt::Vertical);
    left->setObjectName(QStringLiteral("scoresLeftSplitter"));
    left->addWidget(scoresBox);
    left->addWidget(matrixBox);
    left->setChildrenCollapsible(false);
    left->setStretchFactor(0, 1);
    left->setStretchFactor(1, 1);
    auto* nearestBox = new QWidget;
    auto* nearestLayout = new QVBoxLayout(nearestBox);
    nearestLayout->setContentsMargins(0, 0, 0, 0);
    nearestLayout->addWidget(m_nearestCaption);
    nearestLayout->addWidget(m_nearestTable);
    auto* split = new QSplitter(Qt::Horizontal);
    split->setObjectName(QStringLiteral("scoresSplitter"));
    split->addWidget(left);
    split->addWidget(nearestBox);
    split->setChildrenCollapsible(false);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    // Starting sizes in the stretch ratio; a resize then shares the difference 3:2 as well.
    split->setSizes({600, 400});
    left->setSizes({300, 300});
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);

    connect(m_similarityBox, &QComboBox::currentIndexChanged, this, [this] {
        emit similarityChosen(static_cast<Similarity>(m_similarityBox->currentData().toInt()));
    });
    connect(m_scoreTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (!m_updating && current.isValid()) {
                    emit scoreRowChosen(
                        current.data(static_cast<int>(TitleScoresModel::Role::Movie)).toInt());
                }
            });
    connect(m_scoreTable, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        emit scoreRowActivated(index.data(static_cast<int>(TitleScoresModel::Role::Movie)).toInt());
    });
    connect(m_matrixTable, &QTableView::clicked, this, [this](const QModelIndex& index) {
        emit matrixRowChosen(
            index.data(static_cast<int>(SimilarityMatrixModel::Role::RowMovie)).toInt());
    });
    connect(m_nearestTable, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        emit nearestActivated(
            index.data(static_cast<int>(NearestMoviesModel::Role::Movie)).toInt());
    });
}

void ScoresTablesPanel::showState(const ScoresController& scores) {
    m_scoresCaption->setText(scores.scoresCaptionHtml());
    m_matrixCaption->setText(scores.matrixCaptionHtml());
    m_nearestCaption->setText(scores.nearestCaptionHtml());
    const QSignalBlocker block(m_similarityBox);
    m_similarityBox->setCurrentIndex(
        m_similarityBox->findData(static_cast<int>(scores.similarity())));
}

void ScoresTablesPanel::selectScoreRow(int movie) {
    const auto* model = static_cast<const TitleScoresModel*>(m_scoreTable->model());
    const int row = model->rowOf(movie);
    if (row >= 0 && m_scoreTable->currentIndex().row() != row) {
        m_updating = true;
        m_scoreTable->setCurrentIndex(model->index(row, TitleScoresModel::Title));
        m_updating = false;
    }
}

void ScoresTablesPanel::applyFonts() {
    m_matrixTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() * 2);
    // Room for a dot product like "-123.456" in every column; narrower columns would elide
    // the numbers, so the table scrolls sideways instead.
    m_matrixTable->horizontalHeader()->setMinimumSectionSize(
        fontMetrics().horizontalAdvance(QStringLiteral("-000.000")) + fontMetrics().height());
}

} // namespace towerlab
