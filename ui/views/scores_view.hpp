#pragma once
// The Scores tab: the tutorial's "which of these titles would this user like best". The user
// picks a few titles; a table shows each one's score (query·movie dot product) and rank among
// all movies for the shared query, best first with the winner highlighted; a heat-mapped
// matrix compares the chosen movies with each other (dot product or cosine); a list shows the
// ten movies nearest to the selected one. Copy as text and CSV export of both tables.
//
// The model and the query come from the shared QueryController; a movie selected elsewhere
// (movieSelected, showInScoresRequested) joins the chosen titles. The ScoresController holds
// the state and the tables' item models; this view shows them with a ScoresTablesPanel under
// its own toolbar and notice.

#include "controllers/scores_controller.hpp"

#include <QStringList>
#include <QWidget>

#include <string>
#include <vector>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace towerlab {

class NearestMoviesModel;
class QueryController;
class ScoresTablesPanel;
class SimilarityMatrixModel;
class TitlePicker;
class TitleScoresModel;

class ScoresView : public QWidget {
    Q_OBJECT

public:
    static constexpr int kMaxTitles = ScoresController::kMaxTitles;
    static constexpr std::size_t kNearest = ScoresController::kNearest;

    explicit ScoresView(QueryController* query, QWidget* parent = nullptr);

    static const QStringList& tutorialTitles() { return ScoresController::tutorialTitles(); }

    // The controller's operations (see ScoresController).
    bool addMovie(int catalogueIndex) { return m_controller->addMovie(catalogueIndex); }
    void addTutorialExample() { m_controller->addTutorialExample(); }
    void removeMovie(int catalogueIndex) { m_controller->removeMovie(catalogueIndex); }
    // Removes the title selected in the score table; the next one takes its place.
    void removeSelected();
    void clearTitles() { m_controller->clearTitles(); }
    void focusMovie(int catalogueIndex) { m_controller->focusMovie(catalogueIndex); }
    void setSimilarity(Similarity similarity) { m_controller->setSimilarity(similarity); }
    Similarity similarity() const { return m_controller->similarity(); }

    // The chosen titles, in the order they were added.
    const std::vector<std::string>& chosenTitles() const { return m_controller->chosenTitles(); }
    // The query summary line and the notice under the toolbar (empty when none).
    QString querySummary() const { return m_controller->querySummary(); }
    QString noticeText() const;
    // True while there is no model and the view shows its empty state.
    bool showsEmptyState() const;

    // Both tables as text for the clipboard (tab-separated, headed by the query).
    QString clipboardText() const { return m_controller->clipboardText(); }
    void copyAsText();
    // Writes the score table / the matrix as CSV, atomically. On failure the notice says why,
    // the error box shows it, and false is returned.
    bool exportScoresCsv(const QString& path) { return m_controller->exportScoresCsv(path); }
    bool exportMatrixCsv(const QString& path) { return m_controller->exportMatrixCsv(path); }

    ScoresController* controller() const { return m_controller; }
    TitlePicker* picker() const { return m_picker; }
    TitleScoresModel* scoresModel() const { return m_controller->scores(); }
    SimilarityMatrixModel* matrixModel() const { return m_controller->matrix(); }
    NearestMoviesModel* nearestModel() const { return m_controller->nearest(); }
    QTableView* scoreTable() const;
    QTableView* matrixTable() const;
    QTableView* nearestTable() const;

signals:
    // A result worth a status-bar line (export done, copy done).
    void message(const QString& text);

protected:
    void changeEvent(QEvent* event) override;

private:
    void onChanged();
    void onNoticeChanged();
    void applyFonts();
    void chooseExport(bool matrix);

    ScoresController* m_controller;
    QLabel* m_heading;
    QLabel* m_querySummary;
    QLabel* m_modelSummary;
    TitlePicker* m_picker;
    QPushButton* m_tutorial;
    QPushButton* m_remove;
    QPushButton* m_clear;
    QPushButton* m_copy;
    QToolButton* m_export;
    QLabel* m_notice;
    QStackedWidget* m_stack;
    ScoresTablesPanel* m_tables;
};

} // namespace towerlab
