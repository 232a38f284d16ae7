#pragma once
// The Scores tab: the tutorial's "which of these titles would this user like best". The user
// picks a few titles; a table shows each one's score (query·movie dot product) and rank among
// all movies for the shared query, best first with the winner highlighted; a heat-mapped
// matrix compares the chosen movies with each other (dot product or cosine); a list shows the
// ten movies nearest to the selected one. Copy as text and CSV export of both tables.
//
// The model and the query come from the shared QueryController; a movie selected elsewhere
// (movieSelected, showInScoresRequested) joins the chosen titles. Every number comes from
// core (scoreMovies, similarityMatrix, nearestMovies): a few dot products over the catalogue,
// well under a millisecond even for thousands of movies, so it runs on the GUI thread.

#include "controllers/training_types.hpp"
#include "retrieval/retrieval.hpp"

#include <QStringList>
#include <QWidget>

#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;
class QToolButton;

namespace towerlab {

class NearestMoviesModel;
class QueryController;
class SimilarityMatrixModel;
class TitlePicker;
class TitleScoresModel;

class ScoresView : public QWidget {
    Q_OBJECT

public:
    // The most titles the view compares at once: beyond that the matrix stops being readable.
    static constexpr int kMaxTitles = 20;
    // Neighbours in the nearest-movies list.
    static constexpr std::size_t kNearest = 10;

    explicit ScoresView(QueryController* query, QWidget* parent = nullptr);

    // The titles of the "Tutorial example" preset, exactly as MovieLens 100K's u.item
    // names them (the TFRS tutorial's three-movie comparison).
    static const QStringList& tutorialTitles();

    // Adds a movie of the current model's catalogue (and shows its neighbours). Returns false,
    // with a notice saying why, when there is no model, the index is outside the catalogue or
    // kMaxTitles are already chosen. Adding a chosen movie again only selects it.
    bool addMovie(int catalogueIndex);
    // The preset: adds every tutorial title the catalogue has; the notice names the missing
    // ones (and a close title when there is one).
    void addTutorialExample();
    void removeMovie(int catalogueIndex);
    void removeSelected();
    void clearTitles();
    // The movie whose nearest neighbours are listed (must be a chosen one).
    void focusMovie(int catalogueIndex);
    void setSimilarity(Similarity similarity);
    Similarity similarity() const { return m_similarity; }

    // The chosen titles, in the order they were added.
    const std::vector<std::string>& chosenTitles() const { return m_chosen; }
    // The query summary line and the notice under the toolbar (empty when none).
    QString querySummary() const;
    QString noticeText() const;
    // True while there is no model and the view shows its empty state.
    bool showsEmptyState() const;

    // Both tables as text for the clipboard (tab-separated, headed by the query).
    QString clipboardText() const;
    void copyAsText();
    // Writes the score table / the matrix as CSV, atomically. On failure the notice and the
    // message signal say why and false is returned.
    bool exportScoresCsv(const QString& path);
    bool exportMatrixCsv(const QString& path);

    TitlePicker* picker() const { return m_picker; }
    TitleScoresModel* scoresModel() const { return m_scores; }
    SimilarityMatrixModel* matrixModel() const { return m_matrix; }
    NearestMoviesModel* nearestModel() const { return m_nearest; }
    QTableView* scoreTable() const { return m_scoreTable; }
    QTableView* matrixTable() const { return m_matrixTable; }
    QTableView* nearestTable() const { return m_nearestTable; }

signals:
    // A result worth a status-bar line (export done, copy done, a failure).
    void message(const QString& text);

protected:
    void changeEvent(QEvent* event) override;

private:
    void onModelChanged(const TrainedModelPtr& model);
    void recompute();
    void refreshNearest();
    // The movie whose neighbours are listed: the picked one, else the winner, else -1.
    std::int32_t nearestTarget() const;
    void updateSummaries();
    void updateActions();
    void setNotice(const QString& html, bool warning = false);
    void applyFonts();
    void chooseExport(bool matrix);
    // Catalogue indices of the chosen titles in the current model (all are present: titles
    // the model lacks are dropped when the model changes).
    std::vector<std::int32_t> chosenMovies() const;

    QueryController* m_query;
    TrainedModelPtr m_model;
    std::vector<std::string> m_chosen;
    std::int32_t m_focus = -1; // the movie the user picked in the tables, or -1
    Similarity m_similarity = Similarity::Cosine;
    bool m_updating = false; // selection changes made by recompute(), not by the user

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
    QLabel* m_emptyState;
    QLabel* m_scoresCaption;
    QLabel* m_matrixCaption;
    QComboBox* m_similarityBox;
    QLabel* m_nearestCaption;
    TitleScoresModel* m_scores;
    SimilarityMatrixModel* m_matrix;
    NearestMoviesModel* m_nearest;
    QTableView* m_scoreTable;
    QTableView* m_matrixTable;
    QTableView* m_nearestTable;
};

} // namespace towerlab
