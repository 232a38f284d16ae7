#include "views/embeddings_side_panel.hpp"

#include "models/nearest_movies_model.hpp"

#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace towerlab {

EmbeddingsSidePanel::EmbeddingsSidePanel(NearestMoviesModel* neighbours, int neighbourCount,
                                         QWidget* parent)
    : QWidget(parent) {
    m_selectedTitle = new QLabel(tr("Click a point to select it."));
    m_selectedTitle->setObjectName(QStringLiteral("embeddingSelected"));
    m_selectedTitle->setWordWrap(true);
    QFont bold = m_selectedTitle->font();
    bold.setBold(true);
    m_selectedTitle->setFont(bold);
    m_selectedDetails = new QLabel;
    m_selectedDetails->setWordWrap(true);
    m_similarityBox = new QComboBox;
    m_similarityBox->setObjectName(QStringLiteral("embeddingSimilarity"));
    m_similarityBox->addItems({tr("cosine"), tr("dot product")});
    m_similarityBox->setToolTip(
        tr("Cosine compares directions only; the dot product (what the model scores with) "
           "also favours long vectors, often those of popular movies"));
    m_neighbourTable = new QTableView;
    m_neighbourTable->setObjectName(QStringLiteral("embeddingNeighbours"));
    m_neighbourTable->setModel(neighbours);
    m_neighbourTable->verticalHeader()->hide();
    m_neighbourTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_neighbourTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_neighbourTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    QHeaderView* neighbourHeader = m_neighbourTable->horizontalHeader();
    neighbourHeader->setSectionResizeMode(QHeaderView::ResizeToContents);
    neighbourHeader->setSectionResizeMode(NearestMoviesModel::Title, QHeaderView::Stretch);
    // The side panel is narrow: the title, year and similarity say enough.
    m_neighbourTable->setColumnHidden(NearestMoviesModel::Genres, true);
    m_showInScores = new QPushButton(tr("Show in Scores"));
    m_showInScores->setObjectName(QStringLiteral("embeddingShowInScores"));
    m_showInScores->setEnabled(false);
    m_useAsQuery = new QPushButton(tr("Use this user as the query"));
    m_useAsQuery->setObjectName(QStringLiteral("embeddingUseAsQuery"));
    m_useAsQuery->hide();
    // Neighbours are movies': the panel hides on the user map.
    m_neighbourPanel = new QWidget;
    auto* neighbourLayout = new QVBoxLayout(m_neighbourPanel);
    neighbourLayout->setContentsMargins(0, 0, 0, 0);
    auto* similarityRow = new QHBoxLayout;
    similarityRow->addWidget(new QLabel(tr("Nearest %1 by").arg(neighbourCount)));
    similarityRow->addWidget(m_similarityBox, 1);
    neighbourLayout->addLayout(similarityRow);
    neighbourLayout->addWidget(m_neighbourTable, 1);
    neighbourLayout->addWidget(m_showInScores);
    auto* selectedBox = new QGroupBox(tr("Selected"));
    m_selectedLayout = new QVBoxLayout(selectedBox);
    m_selectedLayout->addWidget(m_selectedTitle);
    m_selectedLayout->addWidget(m_selectedDetails);
    m_selectedLayout->addWidget(m_neighbourPanel, 1);
    m_selectedLayout->addWidget(m_useAsQuery);
    m_selectedLayout->addStretch(0); // takes the panel's room on the user map
    m_queryText = new QLabel;
    m_queryText->setObjectName(QStringLiteral("embeddingQuery"));
    m_queryText->setWordWrap(true);
    // Word-wrapped labels get too little height in a crowded column; five lines always fit.
    m_queryText->setMinimumHeight(5 * m_queryText->fontMetrics().lineSpacing());
    auto* queryBox = new QGroupBox(tr("The query"));
    auto* queryLayout = new QVBoxLayout(queryBox);
    queryLayout->addWidget(m_queryText);
    m_caption = new QLabel;
    m_caption->setObjectName(QStringLiteral("embeddingCaption"));
    m_caption->setWordWrap(true);
    QPalette captionPalette = m_caption->palette();
    QColor dim = captionPalette.color(QPalette::WindowText);
    dim.setAlphaF(0.75f);
    captionPalette.setColor(QPalette::WindowText, dim);
    m_caption->setPalette(captionPalette);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(selectedBox, 1);
    layout->addWidget(queryBox);
    layout->addWidget(m_caption);
    setMinimumWidth(280);

    connect(m_similarityBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        emit similarityChosen(index == 1 ? Similarity::Dot : Similarity::Cosine);
    });
    connect(m_showInScores, &QPushButton::clicked, this, &EmbeddingsSidePanel::showInScoresClicked);
    connect(m_useAsQuery, &QPushButton::clicked, this, &EmbeddingsSidePanel::useAsQueryClicked);
    connect(m_neighbourTable, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        emit neighbourActivated(
            index.data(static_cast<int>(NearestMoviesModel::Role::Movie)).toInt());
    });
}

void EmbeddingsSidePanel::setShowingMovies(bool movies) {
    m_neighbourPanel->setVisible(movies);
    m_useAsQuery->setVisible(!movies);
    m_selectedLayout->setStretch(m_selectedLayout->count() - 1, movies ? 0 : 1);
}

void EmbeddingsSidePanel::setSimilarity(Similarity similarity) {
    const QSignalBlocker block(m_similarityBox);
    m_similarityBox->setCurrentIndex(similarity == Similarity::Dot ? 1 : 0);
}

void EmbeddingsSidePanel::showSelected(const QString& title, const QString& details, bool enabled) {
    m_selectedTitle->setText(title);
    m_selectedDetails->setText(details);
    m_showInScores->setEnabled(enabled);
    m_useAsQuery->setEnabled(enabled);
}

void EmbeddingsSidePanel::setQueryText(const QString& html) {
    m_queryText->setText(html);
}

void EmbeddingsSidePanel::setCaption(const QString& text) {
    m_caption->setText(text);
}

QString EmbeddingsSidePanel::caption() const {
    return m_caption->text();
}

} // namespace towerlab
