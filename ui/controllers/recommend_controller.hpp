#pragma once
// The state and the background work of the Recommend tab, without widgets: the top-k lists of
// query A (the shared QueryController's) and, in compare mode, of this tab's query B, with a
// real user's rated movies marked by the model's own train/test split; the selected movie's
// score explained feature by feature for A or B; and query A's vector.
//
// Matching the dataset's ratings to the model's split (RatedMovies) hashes every rating, so
// it runs on the thread pool after each model or dataset change; the lists show at once and
// the marks follow (ratedMoviesReady). The lists themselves take about a millisecond and are
// computed on the GUI thread at every change.
//
// With vectors from elsewhere in the shared QueryController (File → Open embeddings…) list A
// is their top k for the shared external query vector (a user's row of a user vector file,
// or a query file) and everything that runs the towers — the forms, comparison, explanation,
// the rated-movie marks, the HNSW index of the model — is off (externalNote() says why).
//
// Lives on the GUI thread: every public function is called there and every signal arrives
// there. Destroying it waits for a matching in progress.

#include "controllers/training_types.hpp"
#include "features/feature_space.hpp"
#include "retrieval/retrieval.hpp"
#include "retrieval/score_explanation.hpp"

#include <QFutureWatcher>

#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace towerlab {

class ApproximateIndex;
class QueryController;
class RatedMovies;
class RecommendationTableModel;
struct Dataset;

class RecommendController : public QObject {
    Q_OBJECT

public:
    enum class Side { A, B };
    static constexpr int kDefaultK = 50;

    explicit RecommendController(QueryController* query, QObject* parent = nullptr);
    ~RecommendController() override;

    // The TFRS tutorial's query: age 25 ("25–34"), student, male, timestamp 879024327.
    static UserQuery tutorialQuery();

    QueryController* query() const { return m_query; }
    TrainedModelPtr model() const { return m_model; }
    std::shared_ptr<const Dataset> dataset() const { return m_dataset; }
    std::shared_ptr<const RatedMovies> ratedMovies() const { return m_rated; }
    // True while the real users' split is matched to the model on the thread pool.
    bool ratedMoviesPending() const { return m_ratedPending; }

    // Whether the lists come from vectors made elsewhere (QueryController::external()).
    bool isExternal() const;
    // Why the form, the comparison and the explanation are off for them (empty otherwise).
    QString externalNote() const;
    // Makes this row of the external user vectors the shared external query.
    void pickExternalUser(int row);

    // The lists of queries A and B (B is empty unless comparing).
    RecommendationTableModel* listA() const { return m_listA; }
    RecommendationTableModel* listB() const { return m_listB; }

    // List settings. k is kept within 1..maxK() (the catalogue's size).
    int k() const { return m_k; }
    int maxK() const { return m_maxK; }
    void setK(int k);
    bool excludeRated() const { return m_excludeRated; }
    void setExcludeRated(bool on);
    // Whether the lists can mark (and hide) a real user's rated movies.
    bool canMarkRated() const;
    bool compare() const { return m_compare; }
    // Starting a comparison makes B a copy of A.
    void setCompare(bool on);

    // Query A lives in the QueryController; these change it (editing keeps the real user,
    // so "what if this user were female?" still marks the movies they rated).
    void editQueryA(const UserQuery& query);
    void useTutorialQuery();
    // The dataset user (index into Dataset::users) at one of their rating times (< 0: keep
    // the query's time). Attributes the dataset lacks keep the query's values.
    void pickUser(int userIndex, std::int64_t timestamp);
    void clearRealUser();
    // The dataset index of the query's real user, or -1.
    int realUserIndex() const;

    const UserQuery& queryB() const { return m_queryB; }
    void setQueryB(const UserQuery& query);
    void copyAToB();
    void otherGenderToB(); // B = A with the other gender

    // A movie chosen in list A or B: it becomes the shared selection and is explained for
    // that list's query.
    void chooseMovie(int movie, Side side);
    // The explanation of the selected movie for the query of its list; nullopt without a
    // model or a selected movie.
    struct Explanation {
        int movie = -1;
        Side side = Side::A;
        UserQuery query;
        ScoreExplanation score;
    };
    std::optional<Explanation> explanation() const;
    // Query A's vector (empty without a model); the external query's vector with vectors from
    // elsewhere (empty without one).
    RowVector queryVector() const;

    // "Model trained 3 epochs on … · user features: …", or empty without a model.
    QString modelLine() const;
    // The real user's rated movies and recall for each list (HTML), or what to do to see them.
    QString recallText() const;
    // Milliseconds the last update of the lists, vector and explanation took.
    double lastUpdateMs() const { return m_lastUpdateMs; }

    // Approximate search: the lists come from an HNSW index of the model's movie vectors,
    // built off the GUI thread when first switched on (exact lists meanwhile) and measured
    // against brute force. ef is raised to k when below it.
    static constexpr int kDefaultEf = 50;
    bool approximate() const { return m_approximate; }
    void setApproximate(bool on);
    int ef() const { return m_ef; }
    void setEf(int ef);
    std::size_t effectiveEf() const;
    void cancelIndexBuild();
    ApproximateIndex* approximateIndex() const { return m_approx; }
    // True when the lists shown came from the index.
    bool listsAreApproximate() const { return m_listsApproximate; }
    // The index's state and measured recall and times (HTML), empty when off.
    QString approximateText() const;

signals:
    void modelChanged(const towerlab::TrainedModelPtr& model);
    // Vectors from elsewhere came, went, or brought user vectors.
    void externalChanged();
    void datasetChanged(const std::shared_ptr<const towerlab::Dataset>& dataset);
    void ratedMoviesChanged(const std::shared_ptr<const towerlab::RatedMovies>& rated);
    void ratedMoviesReady();
    // k's range, exclude, compare or query B changed.
    void settingsChanged();
    // The lists, the vector, the explanation and the recall text were recomputed.
    void resultsChanged();
    // The selected movie or the explained list changed; the lists select its rows.
    void selectionChanged(int movie);
    // The index's build progress, readiness or measurement changed (approximateText()).
    void approximateChanged();

private:
    void onModelChanged(const TrainedModelPtr& model);
    void onDatasetChanged();
    void onExternalChanged();
    // The catalogue the lists index and k's range: the external vectors' or the model's.
    void adoptCatalogue();
    void rebuildRatedMovies();
    void refresh();
    std::vector<ScoredMovie> topK(const UserQuery& query, std::size_t k,
                                  std::span<const std::int32_t> excluded) const;
    void remeasure();

    struct RatedResult {
        std::shared_ptr<const RatedMovies> rated;
        QString error;
    };

    QueryController* m_query;
    RecommendationTableModel* m_listA;
    RecommendationTableModel* m_listB;
    TrainedModelPtr m_model;
    std::shared_ptr<const Dataset> m_dataset;
    std::shared_ptr<const RatedMovies> m_rated;
    QString m_ratedError;
    QFutureWatcher<RatedResult> m_ratedWatcher;
    bool m_ratedPending = false;
    UserQuery m_queryB;
    Side m_explainSide = Side::A;
    int m_k = kDefaultK;
    int m_maxK = kDefaultK;
    bool m_excludeRated = false;
    bool m_compare = false;
    double m_lastUpdateMs = 0.0;
    ApproximateIndex* m_approx;
    bool m_approximate = false;
    bool m_listsApproximate = false;
    int m_ef = kDefaultEf;
};

} // namespace towerlab
