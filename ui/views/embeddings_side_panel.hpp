#pragma once
// The Embeddings tab's side panel: the selected point (a movie with its nearest movies, or a
// user), the current query, and the caption on how far to trust the map. It only shows and
// forwards; the view fills it from the EmbeddingsController.

#include "retrieval/retrieval.hpp"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QTableView;
class QVBoxLayout;

namespace towerlab {

class NearestMoviesModel;

class EmbeddingsSidePanel : public QWidget {
    Q_OBJECT

public:
    EmbeddingsSidePanel(NearestMoviesModel* neighbours, int neighbourCount,
                        QWidget* parent = nullptr);

    // Movies show their nearest movies and Show in Scores; users show Use as the query.
    void setShowingMovies(bool movies);
    void setSimilarity(Similarity similarity);
    // The selected point's name (bold) and a line about it; enabled: its button works.
    void showSelected(const QString& title, const QString& details, bool enabled);
    void setQueryText(const QString& html);
    void setCaption(const QString& text);
    QString caption() const;
    QTableView* neighbourTable() const { return m_neighbourTable; }

signals:
    void similarityChosen(towerlab::Similarity similarity);
    void showInScoresClicked();
    void useAsQueryClicked();
    // A neighbour was double-clicked (its catalogue index).
    void neighbourActivated(int movie);

private:
    QLabel* m_selectedTitle;
    QLabel* m_selectedDetails;
    QComboBox* m_similarityBox;
    QTableView* m_neighbourTable;
    QPushButton* m_showInScores;
    QPushButton* m_useAsQuery;
    QWidget* m_neighbourPanel;
    QVBoxLayout* m_selectedLayout;
    QLabel* m_queryText;
    QLabel* m_caption;
};

} // namespace towerlab
