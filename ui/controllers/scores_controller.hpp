#pragma once
// The state of the Scores tab, without widgets: the chosen titles (kept by title, so they
// carry over to a model of another dataset when it has them), the movie whose nearest movies
// are listed, the similarity measure, the notice line, and the three tables as item models
// (each title's score and rank for the shared query, the movie-to-movie matrix, the nearest
// movies). Every number comes from core: a few dot products over the catalogue, well under a
// millisecond even for thousands of movies, so it is computed on the GUI thread.
//
// With vectors from elsewhere in the shared QueryController the titles are their labels, the
// scores are dot products with the shared external query vector (none without one: the matrix
// and the nearest movies still work) and the worked-out score is off (it runs the towers).
//
// Lives on the GUI thread.

#include "controllers/training_types.hpp"
#include "retrieval/movie_space.hpp"
#include "retrieval/retrieval.hpp"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <string>
#include <vector>

namespace towerlab {

class NearestMoviesModel;
class QueryController;
class SimilarityMatrixModel;
class TitleScoresModel;
struct ExternalEmbeddings;
using ExternalEmbeddingsPtr = std::shared_ptr<const ExternalEmbeddings>;

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
    // The catalogue the titles are chosen from: the external vectors' or the model's (null:
    // neither).
    std::shared_ptr<const Catalogue> catalogue() const { return m_catalogue; }
    // Whether the scores come from vectors made elsewhere.
    bool isExternal() const;
    // Why the worked-out score (a double-click in the score table) is off for them.
    QString derivationOffText() const;
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
    // The catalogue changed (a model, or vectors from elsewhere, came or went).
    void catalogueChanged(const std::shared_ptr<const towerlab::Catalogue>& catalogue);
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
    // Adopts the shared state's catalogue (the external vectors' or the model's), keeping the
    // chosen titles it has; `what` names it in the notice about the ones it lacks.
    void adoptCatalogue(const QString& what);
    // The vectors of catalogue() (valid while it is set).
    MovieSpace space() const;
    void recompute();
    void refreshNearest();
    // Catalogue indices of the chosen titles in the current model.
    std::vector<std::int32_t> chosenMovies() const;
    // Whether a movie is among the chosen titles shown (with a score or not).
    bool isChosen(std::int32_t movie) const;

    QueryController* m_query;
    TitleScoresModel* m_scores;
    SimilarityMatrixModel* m_matrix;
    NearestMoviesModel* m_nearest;
    TrainedModelPtr m_model;
    ExternalEmbeddingsPtr m_external;
    std::shared_ptr<const Catalogue> m_catalogue;
    std::vector<std::string> m_chosen;
    std::int32_t m_focus = -1; // the movie the user picked in the tables, or -1
    Similarity m_similarity = Similarity::Cosine;
    QString m_notice;
    bool m_noticeWarning = false;
};

} // namespace towerlab
