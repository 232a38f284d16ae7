#pragma once
// The Embeddings tab: a 2-D map (PCA or t-SNE, computed off the GUI thread) of every movie's
// candidate-tower vector, or of every user's query-tower vector, coloured by a chosen
// attribute. Hover shows a movie, a click selects it (shared with the other query views) and
// lists its nearest movies in the embedding space; the current query is a star among its top
// 50; a search box rings matching titles. In live mode the map follows training, re-projected
// every few epochs and aligned to the previous frame so it does not spin or flip. The map
// exports as PNG or SVG, the vectors as Embedding Projector TSV.

#include "controllers/projection_runner.hpp"
#include "controllers/training_types.hpp"
#include "retrieval/retrieval.hpp"
#include "retrieval/user_queries.hpp"

#include <QWidget>

#include <memory>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;
class QToolButton;
class QVBoxLayout;

namespace towerlab {

class EmbeddingMap;
struct MapColouring;
class NearestMoviesModel;
class QueryController;
class TrainingController;

class EmbeddingsView : public QWidget {
    Q_OBJECT

public:
    enum class Points { Movies, Users };
    // Live mode re-projects after every this many epochs.
    static constexpr int kLiveEveryEpochs = 2;
    static constexpr int kNeighbours = 10;
    static constexpr int kRecommended = 50;
    // t-SNE places the query at the mean of its top this-many movies.
    static constexpr int kQueryAnchors = 10;

    EmbeddingsView(QueryController* query, TrainingController* training, QWidget* parent = nullptr);
    ~EmbeddingsView() override;

    // The same operations as the controls (each also updates its control).
    void setPoints(Points points);
    void setMethod(ProjectionMethod method);
    // Index into the colour choices of the current points (movies: genre, year, popularity;
    // users: age group, occupation, gender).
    void setColouring(int index);
    void setSizeByPopularity(bool on);
    void setSearchText(const QString& text);
    void setSimilarity(Similarity similarity);
    void setTsneSettings(double perplexity, int iterations);
    void setLive(bool on);
    // Selects a point as a click does (movies: the catalogue index).
    void clickPoint(int point);
    void cancelProjection();

    bool exportMapImage(const QString& path, QString* error);
    // Writes <folder>/vectors.tsv and <folder>/metadata.tsv of the current model's movies or
    // of the users of the model's dataset.
    bool exportProjector(const QString& folder, Points points, QString* error);

    EmbeddingMap* map() const { return m_map; }
    NearestMoviesModel* neighbourModel() const { return m_neighbourModel; }
    QTableView* neighbourTable() const { return m_neighbourTable; }
    bool isProjecting() const;
    Points points() const { return m_points; }
    ProjectionMethod method() const { return m_method; }
    QString statusText() const;
    QString captionText() const;
    // The model whose vectors are on the map (a training snapshot in live mode).
    TrainedModelPtr shownModel() const { return m_shown; }

signals:
    // A map is on screen for the current settings (after a projection, or a live frame).
    void projectionShown();
    void projectionFailed(const QString& message);
    // Something the user should see in the status bar.
    void message(const QString& text);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void buildControls();
    void fillColourChoices();
    void onModelChanged(const TrainedModelPtr& model);
    void onSnapshot(int runId, const TrainedModelPtr& model);
    void reproject(bool animate);
    void startProjection(const TrainedModelPtr& model, bool animate, bool live);
    void onProjected(const ProjectionResult& result);
    void onProgress(int done, int total, const QString& text);
    MapColouring currentColouring() const;
    void applyColouring();
    void applySizes();
    void updateQueryOverlay();
    void updateSelection();
    void updateSearch();
    void updateCaption();
    void onHovered(int point, const QPoint& globalPosition);
    void onMovieSelected(int movie);
    void showUserDetails(int point);
    void chooseExport(int what);
    // Why the user map cannot be drawn for this model, or empty when it can.
    QString userMapProblem(const TrainedModelPtr& model) const;
    QString movieTooltip(int movie) const;
    QString userTooltip(int point) const;

    QueryController* m_query;
    TrainingController* m_training;
    ProjectionRunner* m_runner;
    EmbeddingMap* m_map;
    NearestMoviesModel* m_neighbourModel;

    QComboBox* m_pointsBox;
    QComboBox* m_methodBox;
    QDoubleSpinBox* m_perplexity;
    QSpinBox* m_iterations;
    QComboBox* m_colourBox;
    QCheckBox* m_sizeBox;
    QCheckBox* m_liveBox;
    QLineEdit* m_search;
    QLabel* m_searchCount;
    QPushButton* m_resetZoom;
    QToolButton* m_exportButton;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QLabel* m_status;
    QLabel* m_caption;
    QLabel* m_selectedTitle;
    QLabel* m_selectedDetails;
    QComboBox* m_similarityBox;
    QTableView* m_neighbourTable;
    QPushButton* m_showInScores;
    QPushButton* m_useAsQuery;
    QWidget* m_neighbourPanel;
    QVBoxLayout* m_selectedLayout;
    QLabel* m_queryText;

    Points m_points = Points::Movies;
    ProjectionMethod m_method = ProjectionMethod::Pca;
    Similarity m_similarity = Similarity::Cosine;
    TrainedModelPtr m_model;      // the model to map next (the query's, or a live snapshot)
    TrainedModelPtr m_shown;      // the model whose points are on the map
    TrainedModelPtr m_projecting; // the model of the projection in progress
    bool m_projectingAnimate = false;
    Points m_projectingPoints = Points::Movies;
    bool m_livePending = false;     // a snapshot arrived while a projection was running
    bool m_cancelRequested = false; // the user pressed Cancel
    bool m_dirty = true;            // settings or model changed while hidden
    int m_movieColour = 0;          // remembered colour choice per kind of points
    int m_userColour = 0;
    // What the map shows: kind, method and points of the last result (for alignment).
    std::optional<RowMatrix> m_xy;
    Points m_xyPoints = Points::Movies;
    ProjectionMethod m_xyMethod = ProjectionMethod::Pca;
    std::optional<QPointF> m_pcaQuery;     // PCA: where the query projects
    std::vector<DatasetUserQuery> m_users; // the user map's queries (users with ratings)
    std::shared_ptr<const Dataset> m_usersDataset;
    int m_selectedUser = -1;
    QString m_summary;
};

} // namespace towerlab
