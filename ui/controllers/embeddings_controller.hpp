#pragma once
// The state and the background work of the Embeddings tab, without widgets: which points are
// mapped (movies or users) and how (PCA or t-SNE, its settings), the model being mapped and
// the one on the map, live mode (a re-projection every few epochs of training, each frame
// aligned to the last), the selected point and its nearest movies, and where the query sits.
//
// Projections run on the thread pool through a ProjectionRunner; so does the query tower over
// every user of the dataset for the user map (the dataset's fingerprint is compared, not
// hashed, here). Projections run only while the map is on screen (setActive); what changes
// while it is hidden is projected when it is shown again.
//
// Lives on the GUI thread: every public function is called there and every signal arrives
// there.

#include "controllers/embeddings_importer.hpp"
#include "controllers/projection_runner.hpp"
#include "controllers/training_types.hpp"
#include "retrieval/retrieval.hpp"
#include "retrieval/user_queries.hpp"

#include <QObject>
#include <QPointF>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace towerlab {

class QueryController;
class TrainingController;
struct Dataset;

class EmbeddingsController : public QObject {
    Q_OBJECT

public:
    enum class Points { Movies, Users };
    // Live mode re-projects after every this many epochs.
    static constexpr int kLiveEveryEpochs = 2;
    static constexpr int kNeighbours = 10;
    static constexpr int kRecommended = 50;
    // t-SNE places the query at the mean of its top this-many movies.
    static constexpr int kQueryAnchors = 10;

    // Where the current query sits on the movie map.
    struct QueryPlacement {
        std::vector<int> recommended;  // its top kRecommended movies (catalogue indices)
        std::optional<QPointF> marker; // the star, in map coordinates
        bool throughPca = false;       // the marker is the query's vector through the PCA
        int anchors = 0;               // t-SNE: the marker is the mean of this many top movies
    };

    // training may be null (no live mode).
    EmbeddingsController(QueryController* query, TrainingController* training,
                         QObject* parent = nullptr);
    ~EmbeddingsController() override;

    // Settings. Each re-projects when it changes what is mapped, and emits settingsChanged().
    void setPoints(Points points);
    void setMethod(ProjectionMethod method);
    // seed: t-SNE starts from random positions drawn with it; none = from the PCA map (the
    // same picture every time).
    void setTsneSettings(double perplexity, int iterations,
                         std::optional<std::uint64_t> seed = std::nullopt);
    // t-SNE of every point however many there are (minutes above kTsneFullRunLimit points);
    // off, a larger set maps a subsample and places the rest (projection/tsne_subsample.hpp).
    void setTsneFullRun(bool on);
    void setLive(bool on);
    // The colour choice of the current kind of points, remembered per kind (never re-projects).
    void setColouring(int index);
    void setSimilarity(Similarity similarity);
    Points points() const { return m_points; }
    ProjectionMethod method() const { return m_method; }
    double perplexity() const { return m_perplexity; }
    int iterations() const { return m_iterations; }
    std::optional<std::uint64_t> tsneSeed() const { return m_tsneSeed; }
    bool tsneFullRun() const { return m_tsneFullRun; }
    bool isLive() const { return m_live; }
    bool canGoLive() const { return m_training != nullptr && !m_external; }
    int colouring() const { return m_points == Points::Movies ? m_movieColour : m_userColour; }
    Similarity similarity() const { return m_similarity; }

    // Vectors made by another program (File → Open embeddings…) take the model's place on the
    // map: the movie map, nearest movies, search and colours work on them; the user map and
    // Live mode are off, since TowerLab has no towers for them, and the query star and rings
    // are the shared external query vector's (QueryController::externalQuery) when there is
    // one. Sets them in the shared QueryController, which the map follows. A model opened or
    // trained afterwards takes the map back; null goes back to the model now.
    void showExternal(ExternalEmbeddingsPtr embeddings);
    ExternalEmbeddingsPtr external() const { return m_external; }
    // Why what needs the towers is off while external vectors are shown (empty otherwise).
    QString externalNote() const;
    // The catalogue of the points on the movie map: the shown model's or the external vectors'
    // (null when there is none); and whether the map shows external vectors.
    std::shared_ptr<const Catalogue> shownCatalogue() const;
    ExternalEmbeddingsPtr shownExternal() const { return m_xyExternal; }

    // Whether the map is on screen. Projections wait until it is.
    void setActive(bool active);
    bool isProjecting() const { return m_runner->isRunning(); }
    // Cancels the projection in progress; the map keeps the previous one.
    void cancelProjection();

    // The model whose vectors are on the map (a training snapshot in live mode), and the
    // map's positions (one row per point; empty when there is no map).
    TrainedModelPtr shownModel() const { return m_shown; }
    const std::optional<RowMatrix>& positions() const { return m_xy; }
    // The points and method of the map on screen (the settings may have changed since).
    Points shownPoints() const { return m_xyPoints; }
    ProjectionMethod shownMethod() const { return m_xyMethod; }
    // The user map's users and their dataset (null before the first user map).
    const std::vector<DatasetUserQuery>& users() const;
    std::shared_ptr<const Dataset> usersDataset() const { return m_usersDataset; }
    // The status line (progress, the projection's summary, or why there is no map) and the
    // caption that says how far to trust the picture.
    QString statusText() const { return m_status; }
    QString captionText() const;

    // Selects a point as a click does: a movie (catalogue index) through the shared query
    // controller, or a user of the user map.
    void clickPoint(int point);
    // The selected point of the current map, or -1.
    int selectedPoint() const;
    // The selected movie's kNeighbours nearest movies by similarity() (empty for none).
    std::vector<ScoredMovie> neighbours() const;
    // Makes the selected user of the user map the shared query.
    void useSelectedUserAsQuery();
    QueryPlacement queryPlacement() const;

    // Writes <folder>/vectors.tsv and <folder>/metadata.tsv of the shown model's movies or of
    // the users of the model's dataset. False with *error set on failure.
    bool exportProjector(const QString& folder, Points points, QString* error);

signals:
    void settingsChanged();
    // A projection started; cancellable is false for live frames.
    void projectionStarted(bool cancellable);
    void progress(int done, int total, const QString& text);
    // The projection in progress ended (shown, failed, cancelled or dropped).
    void projectionStopped();
    void statusChanged(const QString& text);
    // There is no map; the text says why (or that one is being computed).
    void mapCleared(const QString& text);
    // New positions are in positions(). glide: the same points as before with the same
    // colours, so they can move to their new places.
    void mapChanged(bool glide);
    // A map is on screen for the current settings (after a projection, or a live frame).
    void projectionShown();
    void projectionFailed(const QString& message);
    // The selected point, its neighbours or the query's placement changed.
    void selectionChanged();
    void queryPlacementChanged();

private:
    void onModelChanged(const TrainedModelPtr& model);
    void adoptExternal(ExternalEmbeddingsPtr embeddings);
    // The map shows the external vectors the other tabs show, so the shared selection (an
    // index into their catalogue) is this map's too.
    bool showsSharedExternal() const;
    void onSnapshot(int runId, const TrainedModelPtr& model);
    void reproject(bool animate);
    void startProjection(const TrainedModelPtr& model, bool animate, bool live);
    // startProjection for external vectors.
    void startExternalProjection(bool animate);
    void onProjected(const ProjectionResult& result);
    void onFailed(const QString& error);
    void onCancelled();
    void clearMap(const QString& text);
    void setStatus(const QString& text);
    // Why the user map cannot be drawn for this model, or empty when it can.
    QString userMapProblem(const TrainedModel& model) const;

    using UserList = std::vector<DatasetUserQuery>;

    QueryController* m_query;
    TrainingController* m_training;
    ProjectionRunner* m_runner;

    Points m_points = Points::Movies;
    ProjectionMethod m_method = ProjectionMethod::Pca;
    Similarity m_similarity = Similarity::Cosine;
    double m_perplexity = 30.0;
    int m_iterations = 1000;
    bool m_tsneFullRun = false;
    std::optional<std::uint64_t> m_tsneSeed;
    bool m_live = false;
    int m_movieColour = 0;
    int m_userColour = 0;
    bool m_active = false;

    TrainedModelPtr m_model;      // the model to map next (the query's, or a live snapshot)
    TrainedModelPtr m_shown;      // the model whose points are on the map
    TrainedModelPtr m_projecting; // the model of the projection in progress
    bool m_projectingAnimate = false;
    Points m_projectingPoints = Points::Movies;
    // The users (and their dataset) of a user projection in progress; filled on the pool
    // thread when the dataset is new, adopted when the projection is shown.
    std::shared_ptr<UserList> m_projectingUsers;
    std::shared_ptr<const Dataset> m_projectingUsersDataset;
    bool m_livePending = false;     // a snapshot arrived while a projection was running
    bool m_cancelRequested = false; // the user pressed Cancel
    bool m_dirty = true;            // settings or model changed while the map was hidden

    ExternalEmbeddingsPtr m_external;           // shown instead of the model when set
    ExternalEmbeddingsPtr m_projectingExternal; // of the projection in progress
    ExternalEmbeddingsPtr m_xyExternal;         // whose points are on the map (null: m_shown's)
    int m_selectedExternal = -1;                // movie selected on the external map

    std::optional<RowMatrix> m_xy;
    Points m_xyPoints = Points::Movies;
    ProjectionMethod m_xyMethod = ProjectionMethod::Pca;
    std::optional<QPointF> m_pcaQuery;       // PCA: where the query projects
    std::shared_ptr<const UserList> m_users; // the user map's queries (users with ratings)
    std::shared_ptr<const Dataset> m_usersDataset;
    int m_selectedUser = -1;
    QString m_status;
};

} // namespace towerlab
