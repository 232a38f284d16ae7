#pragma once
// The state of the Scores tab, without widgets: the chosen titles (kept by title, so they
// carry over to a model of another dataset when it has them), the movie whose nearest movies
// are listed, the similarity measure, the notice line, and the three tables as item models
// (each title's score and rank for the shared query, the movie-to-movie matrix, the nearest
// movies). Every number comes from core: a few dot products over the catalogue, well under a
// millisecond even for thousands of movies, so it is computed on the GUI thread.
//
// Lives on the GUI thread.

#include "controllers/training_types.hpp"
#include "retrieval/retrieval.hpp"

#include <QObject>
#include <QString>
#include <QStringList>

#include <string>
#include <vector>

namespace towerlab {

class NearestMoviesModel;
class QueryController;
class SimilarityMatrixModel;
class TitleScoresModel;

class ScoresController : public QObject {
    Q_OBJECT

public:
    // The most titles compared at once: beyond that the matrix stops being readable.
    static constexpr int kMaxTitles = 20;
    // Neighbours in the nearest-movies list.
    static constexpr std::size_t kNearest = 10;
    enum class Page { NoModel, NothingChosen, Tables };

    explicit ScoresController(QueryController* query, QObject* parent = nullptr);

    // The titles of the "Tutorial example" preset, exactly as MovieLens 100K's u.item
    // names them (the TFRS tutorial's three-movie comparison).
    static const QStringList& tutorialTitles();

    TrainedModelPtr model() const { return m_model; }
    TitleScoresModel* scores() const { return m_scores; }
    SimilarityMatrixModel* matrix() const { return m_matrix; }
    NearestMoviesModel* nearest() const { return m_nearest; }

    // Adds a movie of the current model's catalogue and lists its neighbours. False, with a
    // notice saying why, without a model, outside the catalogue or with kMaxTitles chosen.
    // Adding a chosen movie again only focuses it.
    bool addMovie(int catalogueIndex);
    // Adds every tutorial title the catalogue has; the notice names the missing ones (and a
    // close title when there is one).
    void addTutorialExample();
    void removeMovie(int catalogueIndex);
    void clearTitles();
    // The movie whose nearest neighbours are listed (a chosen one).
    void focusMovie(int catalogueIndex);
    // The listed movie: the focused one when chosen, else the winner, else -1.
    std::int32_t nearestTarget() const;
    int focus() const { return m_focus; }
    void setSimilarity(Similarity similarity);
    Similarity similarity() const { return m_similarity; }
    const std::vector<std::string>& chosenTitles() const { return m_chosen; }

    Page page() const;
    // "Query: 25–34 · student · … (set on the Recommend tab)".
    QString querySummary() const;
    // The captions over the tables (HTML), and the model line.
    QString modelSummaryHtml() const;
    QString scoresCaptionHtml() const;
    QString matrixCaptionHtml() const;
    QString nearestCaptionHtml() const;
    // The notice under the toolbar: what the last action did, or why it could not (HTML).
    QString notice() const { return m_notice; }
    bool noticeIsWarning() const { return m_noticeWarning; }
    void setNotice(const QString& html, bool warning = false);

    // Both tables as text for the clipboard (tab-separated, headed by the query); empty when
    // nothing is chosen.
    QString clipboardText() const;
    // Writes the score table / the matrix as CSV, atomically. On failure the notice says why,
    // failed() is emitted and false returned.
    bool exportScoresCsv(const QString& path);
    bool exportMatrixCsv(const QString& path);

signals:
    void modelChanged(const towerlab::TrainedModelPtr& model);
    // The tables, captions or page changed.
    void changed();
    void noticeChanged();
    // The focused movie changed; the score table selects its row.
    void focusChanged(int movie);
    // A result worth a status-bar line (an export done).
    void message(const QString& text);
    // An action failed (an export): the user must see it.
    void failed(const QString& title, const QString& message);

private:
    void onModelChanged(const TrainedModelPtr& model);
    void recompute();
    void refreshNearest();
    // Catalogue indices of the chosen titles in the current model.
    std::vector<std::int32_t> chosenMovies() const;

    QueryController* m_query;
    TitleScoresModel* m_scores;
    SimilarityMatrixModel* m_matrix;
    NearestMoviesModel* m_nearest;
    TrainedModelPtr m_model;
    std::vector<std::string> m_chosen;
    std::int32_t m_focus = -1; // the movie the user picked in the tables, or -1
    Similarity m_similarity = Similarity::Cosine;
    QString m_notice;
    bool m_noticeWarning = false;
};

} // namespace towerlab
