#pragma once
// The Scores tab's tables: each chosen title's score and rank over the movie-to-movie matrix
// (with the measure), and the nearest movies of the selected title beside them. It only shows
// the ScoresController's item models and forwards what the user picks.

#include "retrieval/retrieval.hpp"

#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;

namespace towerlab {

class ScoresController;

class ScoresTablesPanel : public QWidget {
    Q_OBJECT

public:
    explicit ScoresTablesPanel(ScoresController* scores, QWidget* parent = nullptr);

    // Shows the controller's captions and measure.
    void showState(const ScoresController& scores);
    // Selects the movie's row of the score table (without forwarding it), if it has one.
    void selectScoreRow(int movie);
    // Row heights and widths for the current font (the matrix rows read as heat-map tiles).
    void applyFonts();

    QTableView* scoreTable() const { return m_scoreTable; }
    QTableView* matrixTable() const { return m_matrixTable; }
    QTableView* nearestTable() const { return m_nearestTable; }

signals:
    void similarityChosen(towerlab::Similarity similarity);
    // A row of the score table was chosen by the user.
    void scoreRowChosen(int movie);
    // A score row was double-clicked: show where its score comes from.
    void scoreRowActivated(int movie);
    // A matrix cell was clicked: its row's movie.
    void matrixRowChosen(int movie);
    // A nearest movie was double-clicked.
    void nearestActivated(int movie);

private:
    QLabel* m_scoresCaption;
    QLabel* m_matrixCaption;
    QComboBox* m_similarityBox;
    QLabel* m_nearestCaption;
    QTableView* m_scoreTable;
    QTableView* m_matrixTable;
    QTableView* m_nearestTable;
    bool m_updating = false; // selection changes made here, not by the user
};

} // namespace towerlab
