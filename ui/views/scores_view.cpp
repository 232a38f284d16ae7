#include "views/scores_view.hpp"

#include "controllers/query_controller.hpp"
#include "models/title_scores_model.hpp"
#include "views/file_dialogs.hpp"
#include "views/query_text.hpp"
#include "views/score_derivation_dialog.hpp"
#include "views/scores_tables_panel.hpp"
#include "views/show_error.hpp"
#include "views/title_picker.hpp"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableView>
#include <QToolButton>
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

QLabel* caption(const QString& name) {
    auto* label = new QLabel;
    label->setObjectName(name);
    label->setTextFormat(Qt::RichText);
    return label;
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

} // namespace

ScoresView::ScoresView(QueryController* query, QWidget* parent)
    : QWidget(parent), m_controller(new ScoresController(query, this)) {
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
    m_notice->hide();

    m_tables = new ScoresTablesPanel(m_controller);
    auto* emptyState = new QLabel;
    emptyState->setObjectName(QStringLiteral("scoresEmptyState"));
    emptyState->setText(
        tr("<h2>No model yet</h2><p>Scores need a trained model. Train one on the "
           "<b>Train</b> tab (the demo dataset trains in seconds) or open a saved model with "
           "<b>File → Open model…</b></p><p>Then pick a few titles here and see which one the "
           "model thinks this user would like best.</p>"));
    emptyState->setToolTip(tr("This tab fills in as soon as there is a model"));
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
    // In the order of ScoresController::Page.
    m_stack->addWidget(messagePage(emptyState));
    m_stack->addWidget(messagePage(nothingChosen));
    m_stack->addWidget(m_tables);

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
    scoreTable()->addAction(removeShortcut);
    connect(removeShortcut, &QAction::triggered, this, &ScoresView::removeSelected);

    ScoresController* c = m_controller;
    connect(m_picker, &TitlePicker::titleChosen, c, &ScoresController::addMovie);
    connect(m_picker, &TitlePicker::message, c,
            [c](const QString& text) { c->setNotice(text.toHtmlEscaped(), true); });
    connect(m_tutorial, &QPushButton::clicked, c, &ScoresController::addTutorialExample);
    connect(m_remove, &QPushButton::clicked, this, &ScoresView::removeSelected);
    connect(m_clear, &QPushButton::clicked, c, &ScoresController::clearTitles);
    connect(m_copy, &QPushButton::clicked, this, &ScoresView::copyAsText);
    connect(exportScores, &QAction::triggered, this, [this] { chooseExport(false); });
    connect(exportMatrix, &QAction::triggered, this, [this] { chooseExport(true); });
    connect(m_tables, &ScoresTablesPanel::similarityChosen, c, &ScoresController::setSimilarity);
    connect(m_tables, &ScoresTablesPanel::scoreRowChosen, this, [query, c](int movie) {
        c->focusMovie(movie);
        query->selectMovie(movie); // other views follow the selection
    });
    connect(m_tables, &ScoresTablesPanel::scoreRowActivated, this, [this, query, c](int movie) {
        if (c->isExternal()) {
            c->setNotice(c->derivationOffText(), true);
            return;
        }
        ScoreDerivationDialog::open(c->model(), query->query(), movie, queryLine(query->query()),
                                    this);
    });
    connect(m_tables, &ScoresTablesPanel::matrixRowChosen, c, &ScoresController::focusMovie);
    connect(m_tables, &ScoresTablesPanel::nearestActivated, c, &ScoresController::addMovie);

    connect(c, &ScoresController::catalogueChanged, m_picker, &TitlePicker::setCatalogue);
    connect(c, &ScoresController::changed, this, &ScoresView::onChanged);
    connect(c, &ScoresController::noticeChanged, this, &ScoresView::onNoticeChanged);
    connect(c, &ScoresController::focusChanged, m_tables, &ScoresTablesPanel::selectScoreRow);
    connect(c, &ScoresController::message, this, &ScoresView::message);
    connect(c, &ScoresController::failed, this,
            [this](const QString& title, const QString& text) { showError(this, title, text); });

    m_picker->setCatalogue(c->catalogue());
    onChanged();
    onNoticeChanged();
}

QTableView* ScoresView::scoreTable() const {
    return m_tables->scoreTable();
}

QTableView* ScoresView::matrixTable() const {
    return m_tables->matrixTable();
}

QTableView* ScoresView::nearestTable() const {
    return m_tables->nearestTable();
}

void ScoresView::onChanged() {
    m_querySummary->setText(m_controller->querySummary().toHtmlEscaped().replace(
        QStringLiteral("Query:"), QStringLiteral("<b>Query:</b>")));
    m_modelSummary->setText(m_controller->modelSummaryHtml());
    m_stack->setCurrentIndex(static_cast<int>(m_controller->page()));
    m_tables->showState(*m_controller);
    const bool any = m_controller->scores()->rowCount() > 0;
    m_tutorial->setEnabled(m_controller->catalogue() != nullptr);
    m_remove->setEnabled(any);
    m_clear->setEnabled(!m_controller->chosenTitles().empty());
    m_copy->setEnabled(any);
    m_export->setEnabled(any);
}

void ScoresView::onNoticeChanged() {
    const QString html = m_controller->notice();
    m_notice->setText(html);
    m_notice->setVisible(!html.isEmpty());
    // A warning stands out on any palette: dark text on a pale amber band.
    m_notice->setStyleSheet(m_controller->noticeIsWarning()
                                ? QStringLiteral("QLabel { background: #fff3cd; color: "
                                                 "#4a3a00; border-radius: 4px; padding: "
                                                 "6px; }")
                                : QStringLiteral("QLabel { padding: 6px 0px; }"));
}

QString ScoresView::noticeText() const {
    return m_notice->isHidden() ? QString() : m_notice->text();
}

bool ScoresView::showsEmptyState() const {
    return m_controller->page() == ScoresController::Page::NoModel;
}

void ScoresView::removeSelected() {
    const QModelIndex current = scoreTable()->currentIndex();
    if (!current.isValid()) {
        m_controller->setNotice(tr("Select a title in the score table first."), true);
        return;
    }
    const int row = current.row();
    m_controller->removeMovie(
        current.data(static_cast<int>(TitleScoresModel::Role::Movie)).toInt());
    // The next title takes the removed one's place, so Delete can be pressed repeatedly.
    const TitleScoresModel* scores = m_controller->scores();
    if (scores->rowCount() > 0) {
        scoreTable()->setCurrentIndex(
            scores->index(std::min(row, scores->rowCount() - 1), TitleScoresModel::Title));
    }
}

void ScoresView::copyAsText() {
    try {
        const QString text = clipboardText();
        if (text.isEmpty()) {
            m_controller->setNotice(tr("Nothing to copy: choose some titles first."), true);
            return;
        }
        QApplication::clipboard()->setText(text);
        m_controller->setNotice(tr("Copied the query, %1 scores and the matrix to the clipboard.")
                                    .arg(m_controller->scores()->rowCount()));
        emit message(tr("Scores copied to the clipboard"));
    } catch (const std::exception& error) {
        m_controller->setNotice(
            tr("Could not copy: %1").arg(QString::fromStdString(error.what()).toHtmlEscaped()),
            true);
    }
}

void ScoresView::chooseExport(bool matrix) {
    const QString path = chooseSaveFile(
        this, matrix ? tr("Export the matrix") : tr("Export the scores"), QStringLiteral("exports"),
        matrix ? QStringLiteral("towerlab-similarity.csv") : QStringLiteral("towerlab-scores.csv"),
        tr("CSV files (*.csv);;All files (*)"), QStringLiteral("csv"));
    if (path.isEmpty()) {
        return;
    }
    matrix ? exportMatrixCsv(path) : exportScoresCsv(path);
}

// Matrix rows twice the text height read as heat-map tiles rather than as a list.
void ScoresView::applyFonts() {
    QFont big = font();
    big.setPointSizeF(font().pointSizeF() * 1.5);
    big.setBold(true);
    m_heading->setFont(big);
    m_tables->applyFonts();
}

void ScoresView::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        applyFonts(); // View → Larger text reaches the heading and the matrix tiles too
    }
}

} // namespace towerlab
