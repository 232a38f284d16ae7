#include "views/scores_view.hpp"

#include "controllers/query_controller.hpp"
#include "io/score_table_csv.hpp"
#include "model/trained_model.hpp"
#include "models/nearest_movies_model.hpp"
#include "models/similarity_matrix_model.hpp"
#include "models/title_scores_model.hpp"
#include "retrieval/similarity_matrix.hpp"
#include "views/query_text.hpp"
#include "views/title_picker.hpp"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <exception>

namespace towerlab {

namespace {

enum Page { EmptyPage, NothingChosenPage, ContentPage };

QPushButton* button(const QString& text, const QString& name, const QString& tip) {
    auto* b = new QPushButton(text);
    b->setObjectName(name);
    b->setToolTip(tip);
    return b;
}

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

// A message page: the text in a column of readable width, centred near the top.
QWidget* messagePage(QLabel* text) {
    text->setTextFormat(Qt::RichText);
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    text->setMaximumWidth(760);
    auto* page = new QWidget;
    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(text, 4);
    row->addStretch(1);
    auto* column = new QVBoxLayout(page);
    column->addSpacing(60);
    column->addLayout(row);
    column->addStretch(1);
    return page;
}

QString quoted(const std::string& title) {
    return QStringLiteral("“%1”").arg(QString::fromStdString(title).toHtmlEscaped());
}

QString similarityText(Similarity s) {
    return s == Similarity::Cosine ? ScoresView::tr("cosine similarity")
                                   : ScoresView::tr("dot product");
}

} // namespace

ScoresView::ScoresView(QueryController* query, QWidget* parent)
    : QWidget(parent), m_query(query), m_scores(new TitleScoresModel(this)),
      m_matrix(new SimilarityMatrixModel(this)),
      m_nearest(new NearestMoviesModel(tr("Double-click to add it to the chosen titles."), this)) {
    m_heading = new QLabel(tr("Scores"));
    m_querySummary = caption(QStringLiteral("scoresQuery"));
    m_querySummary->setToolTip(tr("The user query every score is computed for. Set it on the "
                                  "Recommend tab; until then it is the tutorial's example user."));
    m_modelSummary = caption(QStringLiteral("scoresModelSummary"));
    m_modelSummary->setToolTip(tr("The model whose vectors give the scores: the current model "
                                  "of the Train tab, or a model opened from a file"));

    m_picker = new TitlePicker;
    m_tutorial = button(tr("Tutorial example"), QStringLiteral("tutorialExampleButton"),
                        tr("Compare the tutorial's three titles in one click: %1. They are "
                           "MovieLens 100K titles; a model trained on other data may not have "
                           "them, and the view then says which are missing.")
                            .arg(tutorialTitles().join(QStringLiteral(", "))));
    m_remove = button(tr("Remove"), QStringLiteral("removeTitleButton"),
                      tr("Remove the selected title from the comparison (Delete)"));
    m_clear = button(tr("Clear all"), QStringLiteral("clearTitlesButton"),
                     tr("Remove every chosen title"));
    m_copy = button(tr("Copy as text"), QStringLiteral("copyScoresButton"),
                    tr("Copy the query, the score table and the matrix to the clipboard, "
                       "tab-separated, ready to paste into a spreadsheet or a message"));
    m_export = new QToolButton;
    m_export->setObjectName(QStringLiteral("exportScoresButton"));
    m_export->setText(tr("Export CSV"));
    m_export->setToolTip(tr("Save the score table or the movie-to-movie matrix as a CSV file"));
    m_export->setPopupMode(QToolButton::InstantPopup);
    m_export->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto* exportMenu = new QMenu(m_export);
    exportMenu->setToolTipsVisible(true);
    QAction* exportScores = exportMenu->addAction(tr("Score table…"));
    exportScores->setToolTip(tr("title, score, rank, catalogue size: one line per chosen title"));
    QAction* exportMatrix = exportMenu->addAction(tr("Movie-to-movie matrix…"));
    exportMatrix->setToolTip(tr("The similarity of every chosen title to every other, with "
                                "the measure chosen above the matrix"));
    m_export->setMenu(exportMenu);

    m_notice = caption(QStringLiteral("scoresNotice"));
    m_notice->setWordWrap(true);
    m_notice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notice->setToolTip(tr("What the last action did, or why it could not"));

    // Content: scores over the matrix on the left, the nearest movies on the right.
    m_scoresCaption = caption(QStringLiteral("scoresCaption"));
    m_scoreTable = table(QStringLiteral("scoreTable"),
                         tr("The chosen titles, best score for this query first. Select one to "
                            "list its nearest movies; Delete removes it."));
    m_scoreTable->setModel(m_scores);
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
    m_matrixTable->setModel(m_matrix);
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
    m_nearestTable->setModel(m_nearest);
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

    m_emptyState = new QLabel;
    m_emptyState->setObjectName(QStringLiteral("scoresEmptyState"));
    m_emptyState->setText(
        tr("<h2>No model yet</h2><p>Scores need a trained model. Train one on the "
           "<b>Train</b> tab (the demo dataset trains in seconds) or open a saved model with "
           "<b>File → Open model…</b></p><p>Then pick a few titles here and see which one the "
           "model thinks this user would like best.</p>"));
    m_emptyState->setToolTip(tr("This tab fills in as soon as there is a model"));
    m_stack = new QStackedWidget;
    auto* nothingChosen = new QLabel(
        tr("<h2>Which titles would this user like best?</h2>"
           "<p>Type part of a title in the box above — case and accents do not matter — and "
           "pick it from the list, or click <b>Tutorial example</b> for the tutorial's three "
           "titles.</p><p>For every title you add, the table shows the model's score for the "
           "query above and the title's rank among all movies, best first; a heat map "
           "compares the titles with each other, and the movies nearest to the selected one "
           "are listed beside them.</p>"));
    nothingChosen->setObjectName(QStringLiteral("scoresNothingChosen"));
    nothingChosen->setToolTip(tr("The tables appear with the first title you add"));
    m_stack->addWidget(messagePage(m_emptyState));
    m_stack->addWidget(messagePage(nothingChosen));
    m_stack->addWidget(split);

    auto* toolbar = new QHBoxLayout;
    toolbar->addWidget(m_picker, 1);
    toolbar->addSpacing(12);
    toolbar->addWidget(m_tutorial);
    toolbar->addWidget(m_remove);
    toolbar->addWidget(m_clear);
    toolbar->addSpacing(12);
    toolbar->addWidget(m_copy);
    toolbar->addWidget(m_export);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_heading);
    layout->addWidget(m_querySummary);
    layout->addWidget(m_modelSummary);
    layout->addSpacing(4);
    layout->addLayout(toolbar);
    layout->addWidget(m_notice);
    layout->addWidget(m_stack, 1);
    applyFonts();

    auto* removeShortcut = new QAction(this);
    removeShortcut->setShortcut(QKeySequence::Delete);
    removeShortcut->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_scoreTable->addAction(removeShortcut);
    connect(removeShortcut, &QAction::triggered, this, &ScoresView::removeSelected);

    connect(m_picker, &TitlePicker::titleChosen, this, [this](int movie) { addMovie(movie); });
    connect(m_picker, &TitlePicker::message, this,
            [this](const QString& text) { setNotice(text.toHtmlEscaped(), true); });
    connect(m_tutorial, &QPushButton::clicked, this, &ScoresView::addTutorialExample);
    connect(m_remove, &QPushButton::clicked, this, &ScoresView::removeSelected);
    connect(m_clear, &QPushButton::clicked, this, &ScoresView::clearTitles);
    connect(m_copy, &QPushButton::clicked, this, &ScoresView::copyAsText);
    connect(exportScores, &QAction::triggered, this, [this] { chooseExport(false); });
    connect(exportMatrix, &QAction::triggered, this, [this] { chooseExport(true); });
    connect(m_similarityBox, &QComboBox::currentIndexChanged, this, [this] {
        setSimilarity(static_cast<Similarity>(m_similarityBox->currentData().toInt()));
    });
    connect(m_scoreTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (m_updating || !current.isValid()) {
                    return;
                }
                const int movie =
                    current.data(static_cast<int>(TitleScoresModel::Role::Movie)).toInt();
                focusMovie(movie);
                m_query->selectMovie(movie); // other views follow the selection
            });
    connect(m_matrixTable, &QTableView::clicked, this, [this](const QModelIndex& index) {
        focusMovie(index.data(static_cast<int>(SimilarityMatrixModel::Role::RowMovie)).toInt());
    });
    connect(m_nearestTable, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        addMovie(index.data(static_cast<int>(NearestMoviesModel::Role::Movie)).toInt());
    });

    connect(m_query, &QueryController::modelChanged, this, &ScoresView::onModelChanged);
    connect(m_query, &QueryController::queryChanged, this, [this] {
        updateSummaries();
        recompute();
    });
    connect(m_query, &QueryController::movieSelected, this, [this](int movie) {
        if (movie >= 0) {
            addMovie(movie);
        }
    });
    connect(m_query, &QueryController::showInScoresRequested, this, [this](int movie) {
        if (movie >= 0) {
            addMovie(movie);
        }
    });
    onModelChanged(m_query->model());
}

const QStringList& ScoresView::tutorialTitles() {
    // The three titles the TFRS tutorial scores for its example user (reference model,
    // "The tutorial's steps", step 6); MovieLens 100K has all three.
    static const QStringList titles{QStringLiteral("Red Rock West (1992)"),
                                    QStringLiteral("Palookaville (1996)"),
                                    QStringLiteral("Beautiful Thing (1996)")};
    return titles;
}

void ScoresView::onModelChanged(const TrainedModelPtr& model) {
    m_model = model;
    m_picker->setModel(model);
    QStringList missing;
    if (m_model) {
        // Titles, not indices, carry over: a model of another dataset numbers its movies
        // differently, and a title it lacks is reported rather than silently mismatched.
        std::vector<std::string> kept;
        for (const std::string& title : m_chosen) {
            if (findTitle(*m_model, title)) {
                kept.push_back(title);
            } else {
                missing << quoted(title);
            }
        }
        m_chosen = std::move(kept);
    }
    updateSummaries();
    recompute();
    setNotice({});
    if (!missing.isEmpty()) {
        setNotice(tr("The new model's catalogue (%1) lacks %2, so it left the comparison.")
                      .arg(QString::fromStdString(m_model->datasetName).toHtmlEscaped(),
                           missing.join(QStringLiteral(", "))),
                  true);
    }
}

std::vector<std::int32_t> ScoresView::chosenMovies() const {
    std::vector<std::int32_t> out;
    if (!m_model) {
        return out;
    }
    for (const std::string& title : m_chosen) {
        if (const auto movie = findTitle(*m_model, title)) {
            out.push_back(*movie);
        }
    }
    return out;
}

bool ScoresView::addMovie(int catalogueIndex) {
    if (!m_model) {
        setNotice(tr("There is no model yet, so there is nothing to score."), true);
        return false;
    }
    if (catalogueIndex < 0 ||
        static_cast<std::size_t>(catalogueIndex) >= m_model->catalogue.size()) {
        setNotice(tr("Movie number %1 is not in this model's catalogue of %2 movies.")
                      .arg(catalogueIndex)
                      .arg(m_model->catalogue.size()),
                  true);
        return false;
    }
    const std::string& title = m_model->catalogue.titles[static_cast<std::size_t>(catalogueIndex)];
    // A catalogue with duplicate titles: the first one stands for all (findTitle's rule).
    const std::int32_t movie = findTitle(*m_model, title).value_or(catalogueIndex);
    if (std::find(m_chosen.begin(), m_chosen.end(), title) != m_chosen.end()) {
        focusMovie(movie);
        return true;
    }
    if (static_cast<int>(m_chosen.size()) >= kMaxTitles) {
        setNotice(tr("At most %1 titles at a time keep the matrix readable: remove one before "
                     "adding %2.")
                      .arg(kMaxTitles)
                      .arg(quoted(title)),
                  true);
        return false;
    }
    m_chosen.push_back(title);
    m_focus = movie;
    recompute();
    setNotice({});
    return true;
}

void ScoresView::addTutorialExample() {
    if (!m_model) {
        setNotice(tr("There is no model yet: train one first."), true);
        return;
    }
    QStringList missing;
    int added = 0;
    for (const QString& title : tutorialTitles()) {
        const std::string wanted = title.toStdString();
        if (const auto movie = findTitle(*m_model, wanted)) {
            if (std::find(m_chosen.begin(), m_chosen.end(), wanted) == m_chosen.end() &&
                static_cast<int>(m_chosen.size()) < kMaxTitles) {
                m_chosen.push_back(wanted);
                ++added;
            }
            continue;
        }
        QString line = quoted(wanted);
        // "Did you mean": a catalogue that spells the title slightly differently.
        const std::string stem = wanted.substr(0, wanted.rfind(" ("));
        const auto close = searchTitles(*m_model, stem, 1);
        if (!close.empty()) {
            line += tr(" (closest: %1)")
                        .arg(quoted(m_model->catalogue.titles[static_cast<std::size_t>(close[0])]));
        }
        missing << line;
    }
    if (added > 0) {
        m_focus = -1; // the winner's neighbours
    }
    recompute();
    if (missing.isEmpty()) {
        setNotice(tr("The tutorial example: which of these three would the user of the query "
                     "like best? The highlighted row is the model's answer."));
    } else if (missing.size() == tutorialTitles().size()) {
        setNotice(tr("The tutorial example uses MovieLens 100K titles, and this model's "
                     "catalogue (%1, %2 movies) has none of them: %3. Open MovieLens 100K on the "
                     "Data tab and train on it to compare them.")
                      .arg(QString::fromStdString(m_model->datasetName).toHtmlEscaped())
                      .arg(QLocale().toString(static_cast<qulonglong>(m_model->catalogue.size())))
                      .arg(missing.join(QStringLiteral(", "))),
                  true);
    } else {
        setNotice(tr("Not in this model's catalogue: %1. The other tutorial titles were added.")
                      .arg(missing.join(QStringLiteral(", "))),
                  true);
    }
}

void ScoresView::removeMovie(int catalogueIndex) {
    if (!m_model || catalogueIndex < 0 ||
        static_cast<std::size_t>(catalogueIndex) >= m_model->catalogue.size()) {
        return;
    }
    const std::string& title = m_model->catalogue.titles[static_cast<std::size_t>(catalogueIndex)];
    const auto it = std::find(m_chosen.begin(), m_chosen.end(), title);
    if (it == m_chosen.end()) {
        return;
    }
    m_chosen.erase(it);
    if (m_focus == catalogueIndex) {
        m_focus = -1;
    }
    recompute();
    setNotice({});
}

void ScoresView::removeSelected() {
    const QModelIndex current = m_scoreTable->currentIndex();
    if (!current.isValid()) {
        setNotice(tr("Select a title in the score table first."), true);
        return;
    }
    const int row = current.row();
    removeMovie(current.data(static_cast<int>(TitleScoresModel::Role::Movie)).toInt());
    // The next title takes the removed one's place, so Delete can be pressed repeatedly.
    if (m_scores->rowCount() > 0) {
        m_scoreTable->setCurrentIndex(
            m_scores->index(std::min(row, m_scores->rowCount() - 1), TitleScoresModel::Title));
    }
}

void ScoresView::clearTitles() {
    m_chosen.clear();
    m_focus = -1;
    recompute();
    setNotice({});
}

void ScoresView::focusMovie(int catalogueIndex) {
    if (catalogueIndex == m_focus) {
        return;
    }
    m_focus = catalogueIndex;
    const int row = m_scores->rowOf(catalogueIndex);
    if (row >= 0 && m_scoreTable->currentIndex().row() != row) {
        m_updating = true;
        m_scoreTable->setCurrentIndex(m_scores->index(row, TitleScoresModel::Title));
        m_updating = false;
    }
    refreshNearest();
}

void ScoresView::setSimilarity(Similarity similarity) {
    if (similarity == m_similarity) {
        return;
    }
    m_similarity = similarity;
    const int index = m_similarityBox->findData(static_cast<int>(similarity));
    if (m_similarityBox->currentIndex() != index) {
        m_similarityBox->setCurrentIndex(index);
    }
    recompute();
}

void ScoresView::recompute() {
    const std::vector<std::int32_t> movies = chosenMovies();
    m_stack->setCurrentIndex(!m_model ? EmptyPage
                                      : (movies.empty() ? NothingChosenPage : ContentPage));
    if (!m_model || movies.empty()) {
        m_scores->clear();
        m_matrix->clear();
        m_focus = -1;
        refreshNearest();
        updateActions();
        return;
    }
    try {
        m_scores->setScores(m_model, scoreMovies(*m_model, m_query->query(), movies));
        const std::vector<std::int32_t> order = m_scores->movies();
        m_matrix->setMatrix(m_model, order, similarityMatrix(*m_model, order, m_similarity),
                            m_similarity);
    } catch (const std::exception& error) {
        m_scores->clear();
        m_matrix->clear();
        setNotice(tr("Could not score the titles: %1")
                      .arg(QString::fromStdString(error.what()).toHtmlEscaped()),
                  true);
    }
    // Only a movie the user picked is selected: a selected winner row would hide its
    // highlight behind the selection colour. Without a pick the winner's neighbours show.
    if (m_scores->rowOf(m_focus) < 0) {
        m_focus = -1;
    }
    const int row = m_scores->rowOf(m_focus);
    if (row >= 0) {
        m_updating = true;
        m_scoreTable->setCurrentIndex(m_scores->index(row, TitleScoresModel::Title));
        m_updating = false;
    }
    refreshNearest();
    updateActions();
}

std::int32_t ScoresView::nearestTarget() const {
    if (m_scores->rowOf(m_focus) >= 0) {
        return m_focus;
    }
    return m_scores->rowCount() > 0 ? m_scores->movies().front() : -1;
}

void ScoresView::refreshNearest() {
    const std::int32_t target = nearestTarget();
    if (!m_model || target < 0) {
        m_nearest->clear();
    } else {
        try {
            m_nearest->setNeighbours(m_model, target,
                                     nearestMovies(*m_model, target, kNearest, m_similarity),
                                     m_similarity);
        } catch (const std::exception& error) {
            m_nearest->clear();
            setNotice(tr("Could not find the nearest movies: %1")
                          .arg(QString::fromStdString(error.what()).toHtmlEscaped()),
                      true);
        }
    }
    if (m_nearest->movie() >= 0) {
        m_nearestCaption->setText(
            tr("<b>Nearest to %1</b> — top %2 by %3")
                .arg(
                    quoted(m_model->catalogue.titles[static_cast<std::size_t>(m_nearest->movie())]))
                .arg(kNearest)
                .arg(m_similarity == Similarity::Cosine ? tr("cosine") : tr("dot product")));
    } else {
        m_nearestCaption->setText(tr("<b>Nearest movies</b> — choose a title to see the movies "
                                     "whose vectors lie closest to it"));
    }
}

void ScoresView::updateSummaries() {
    m_querySummary->setText(querySummary().toHtmlEscaped().replace(
        QStringLiteral("Query:"), QStringLiteral("<b>Query:</b>")));
    if (!m_model) {
        m_modelSummary->setText(tr("<b>Model:</b> none yet"));
        return;
    }
    const QLocale l;
    m_modelSummary->setText(tr("<b>Model:</b> %1 epochs on %2 · %3 movies · %4-dimensional vectors")
                                .arg(m_model->epochsTrained)
                                .arg(QString::fromStdString(m_model->datasetName).toHtmlEscaped())
                                .arg(l.toString(static_cast<qulonglong>(m_model->catalogue.size())))
                                .arg(m_model->candidateEmbeddings.cols()));
}

QString ScoresView::querySummary() const {
    const UserQuery& q = m_query->query();
    QString origin;
    if (m_query->realUser() >= 0) {
        origin = tr("user %1 of the dataset").arg(m_query->realUser());
    } else {
        const UserQuery tutorial;
        const bool isTutorial = q.ageBucket == tutorial.ageBucket &&
                                q.occupationLabel == tutorial.occupationLabel &&
                                q.gender == tutorial.gender && q.timestamp == tutorial.timestamp &&
                                q.userId == tutorial.userId;
        origin = isTutorial ? tr("the tutorial's example user — set another on the Recommend tab")
                            : tr("set on the Recommend tab");
    }
    return tr("Query: %1 (%2)").arg(queryLine(q), origin);
}

QString ScoresView::noticeText() const {
    return m_notice->isHidden() ? QString() : m_notice->text();
}

bool ScoresView::showsEmptyState() const {
    return m_stack->currentIndex() == EmptyPage;
}

void ScoresView::updateActions() {
    const bool any = m_scores->rowCount() > 0;
    m_tutorial->setEnabled(m_model != nullptr);
    m_remove->setEnabled(any);
    m_clear->setEnabled(!m_chosen.empty());
    m_copy->setEnabled(any);
    m_export->setEnabled(any);
    const QLocale l;
    if (!m_model) {
        m_scoresCaption->clear();
        m_matrixCaption->clear();
        return;
    }
    m_scoresCaption->setText(
        any ? tr("<b>Scores for this query</b> — %1 titles, best first; rank among all %2 movies")
                  .arg(m_scores->rowCount())
                  .arg(l.toString(static_cast<qulonglong>(m_model->catalogue.size())))
            : tr("<b>Scores for this query</b> — nothing chosen yet: type a title above or "
                 "click <i>Tutorial example</i>"));
    m_matrixCaption->setText(tr("<b>Movie-to-movie %1</b> — red: alike · blue: opposite")
                                 .arg(similarityText(m_similarity)));
}

void ScoresView::setNotice(const QString& html, bool warning) {
    m_notice->setText(html);
    m_notice->setVisible(!html.isEmpty());
    // A warning stands out on any palette: dark text on a pale amber band.
    m_notice->setStyleSheet(warning ? QStringLiteral("QLabel { background: #fff3cd; color: "
                                                     "#4a3a00; border-radius: 4px; padding: "
                                                     "6px; }")
                                    : QStringLiteral("QLabel { padding: 6px 0px; }"));
}

QString ScoresView::clipboardText() const {
    if (m_scores->rowCount() == 0) {
        return {};
    }
    const std::vector<ScoreTableRow> rows = m_scores->tableRows();
    QString text = querySummary() + QLatin1Char('\n');
    if (m_model) {
        text += tr("Model: %1 epochs on %2\n")
                    .arg(m_model->epochsTrained)
                    .arg(QString::fromStdString(m_model->datasetName));
    }
    text += QLatin1Char('\n') +
            QString::fromStdString(scoreTableCsv(rows, m_scores->catalogueSize(), '\t'));
    const std::vector<std::string> titles = m_matrix->titles();
    text += QLatin1Char('\n') + tr("Movie-to-movie %1\n").arg(similarityText(m_similarity)) +
            QString::fromStdString(similarityMatrixCsv(titles, m_matrix->values(), '\t'));
    return text;
}

void ScoresView::copyAsText() {
    try {
        const QString text = clipboardText();
        if (text.isEmpty()) {
            setNotice(tr("Nothing to copy: choose some titles first."), true);
            return;
        }
        QApplication::clipboard()->setText(text);
        setNotice(tr("Copied the query, %1 scores and the matrix to the clipboard.")
                      .arg(m_scores->rowCount()));
        emit message(tr("Scores copied to the clipboard"));
    } catch (const std::exception& error) {
        setNotice(
            tr("Could not copy: %1").arg(QString::fromStdString(error.what()).toHtmlEscaped()),
            true);
    }
}

bool ScoresView::exportScoresCsv(const QString& path) {
    if (m_scores->rowCount() == 0) {
        setNotice(tr("Nothing to export: choose some titles first."), true);
        return false;
    }
    try {
        writeScoreTableCsv(m_scores->tableRows(), m_scores->catalogueSize(),
                           QFile::encodeName(path).toStdString());
    } catch (const std::exception& error) {
        const QString why = QString::fromStdString(error.what());
        setNotice(tr("Could not export the scores: %1").arg(why.toHtmlEscaped()), true);
        emit message(tr("Export failed: %1").arg(why));
        return false;
    }
    setNotice(tr("Saved %1 scores to %2")
                  .arg(m_scores->rowCount())
                  .arg(QDir::toNativeSeparators(path).toHtmlEscaped()));
    emit message(tr("Scores saved to %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool ScoresView::exportMatrixCsv(const QString& path) {
    if (m_matrix->rowCount() == 0) {
        setNotice(tr("Nothing to export: choose some titles first."), true);
        return false;
    }
    try {
        writeSimilarityMatrixCsv(m_matrix->titles(), m_matrix->values(),
                                 QFile::encodeName(path).toStdString());
    } catch (const std::exception& error) {
        const QString why = QString::fromStdString(error.what());
        setNotice(tr("Could not export the matrix: %1").arg(why.toHtmlEscaped()), true);
        emit message(tr("Export failed: %1").arg(why));
        return false;
    }
    setNotice(
        tr("Saved the %1 × %1 %2 matrix to %3")
            .arg(m_matrix->rowCount())
            .arg(similarityText(m_similarity), QDir::toNativeSeparators(path).toHtmlEscaped()));
    emit message(tr("Matrix saved to %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

void ScoresView::chooseExport(bool matrix) {
    QSettings settings;
    const QString dir =
        settings
            .value(QStringLiteral("dirs/exports"),
                   QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
            .toString();
    const QString name =
        matrix ? QStringLiteral("towerlab-similarity.csv") : QStringLiteral("towerlab-scores.csv");
    QString path = QFileDialog::getSaveFileName(
        this, matrix ? tr("Export the matrix") : tr("Export the scores"), QDir(dir).filePath(name),
        tr("CSV files (*.csv);;All files (*)"));
    if (path.isEmpty()) {
        return;
    }
    if (QFileInfo(path).suffix().isEmpty()) {
        path += QStringLiteral(".csv");
    }
    settings.setValue(QStringLiteral("dirs/exports"), QFileInfo(path).absolutePath());
    matrix ? exportMatrixCsv(path) : exportScoresCsv(path);
}

// Matrix rows twice the text height read as heat-map tiles rather than as a list.
void ScoresView::applyFonts() {
    QFont big = font();
    big.setPointSizeF(font().pointSizeF() * 1.5);
    big.setBold(true);
    m_heading->setFont(big);
    m_matrixTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() * 2);
    // Room for a dot product like "-123.456" in every column; narrower columns would elide
    // the numbers, so the table scrolls sideways instead.
    m_matrixTable->horizontalHeader()->setMinimumSectionSize(
        fontMetrics().horizontalAdvance(QStringLiteral("-000.000")) + fontMetrics().height());
}

void ScoresView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        applyFonts(); // View → Larger text reaches the heading and the matrix tiles too
    }
}

} // namespace towerlab
