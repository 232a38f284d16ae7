#pragma once
// The Embeddings tab: a 2-D map (PCA or t-SNE, computed off the GUI thread) of every movie's
// candidate-tower vector, or of every user's query-tower vector, coloured by a chosen
// attribute. Hover shows a movie, a click selects it (shared with the other query views) and
// lists its nearest movies in the embedding space; the current query is a star among its top
// 50; a search box rings matching titles. In live mode the map follows training, re-projected
// every few epochs and aligned to the previous frame so it does not spin or flip. The map
// exports as PNG or SVG, the vectors as Embedding Projector TSV.
//
// The EmbeddingsController holds the state and runs the projections; this view draws its
// results on the map and puts the toolbar and the side panel together.

#include "controllers/embeddings_controller.hpp"
#include "views/embeddings_toolbar.hpp"

#include <QWidget>

class QTableView;

namespace towerlab {

class EmbeddingMap;
class EmbeddingsSidePanel;
struct MapColouring;
class NearestMoviesModel;
class QueryController;
class TrainingController;

class EmbeddingsView : public QWidget {
    Q_OBJECT

public:
    using Points = EmbeddingsController::Points;
    static constexpr int kLiveEveryEpochs = EmbeddingsController::kLiveEveryEpochs;
    static constexpr int kNeighbours = EmbeddingsController::kNeighbours;
    static constexpr int kRecommended = EmbeddingsController::kRecommended;
    static constexpr int kQueryAnchors = EmbeddingsController::kQueryAnchors;

    EmbeddingsView(QueryController* query, TrainingController* training, QWidget* parent = nullptr);
    ~EmbeddingsView() override;

    // The same operations as the controls (each also updates its control).
    void setPoints(Points points) { m_controller->setPoints(points); }
    void setMethod(ProjectionMethod method) { m_controller->setMethod(method); }
    // Index into the colour choices of the current points (movies: genre, year, popularity;
    // users: age group, occupation, gender).
    void setColouring(int index) { m_controller->setColouring(index); }
    void setSizeByPopularity(bool on);
    void setSearchText(const QString& text);
    void setSimilarity(Similarity similarity) { m_controller->setSimilarity(similarity); }
    void setTsneSettings(double perplexity, int iterations,
                         std::optional<std::uint64_t> seed = std::nullopt) {
        m_controller->setTsneSettings(perplexity, iterations, seed);
    }
    void setLive(bool on) { m_controller->setLive(on); }
    // Selects a point as a click does (movies: the catalogue index).
    void clickPoint(int point) { m_controller->clickPoint(point); }
    void cancelProjection() { m_controller->cancelProjection(); }

    bool exportMapImage(const QString& path, QString* error);
    // Writes <folder>/vectors.tsv and <folder>/metadata.tsv of the current model's movies or
    // of the users of the model's dataset.
    bool exportProjector(const QString& folder, Points points, QString* error);

    EmbeddingsController* controller() const { return m_controller; }
    EmbeddingMap* map() const { return m_map; }
    NearestMoviesModel* neighbourModel() const { return m_neighbourModel; }
    QTableView* neighbourTable() const;
    bool isProjecting() const { return m_controller->isProjecting(); }
    Points points() const { return m_controller->points(); }
    ProjectionMethod method() const { return m_controller->method(); }
    QString statusText() const;
    QString captionText() const;
    // The model whose vectors are on the map (a training snapshot in live mode).
    TrainedModelPtr shownModel() const { return m_controller->shownModel(); }

signals:
    // A map is on screen for the current settings (after a projection, or a live frame).
    void projectionShown();
    void projectionFailed(const QString& message);
    // Something the user should see in the status bar.
    void message(const QString& text);

protected:
    void showEvent(QShowEvent* event) override;
    void hideEvent(QHideEvent* event) override;

private:
    void onSettingsChanged();
    void onMapChanged(bool glide);
    MapColouring currentColouring() const;
    void applyColouring();
    void applySizes();
    void updateQueryOverlay();
    void updateSelection();
    void updateSearch();
    void onHovered(int point, const QPoint& globalPosition);
    QString movieTooltip(int movie) const;
    QString userTooltip(int point) const;
    void chooseExport(EmbeddingsToolbar::Export what);

    QueryController* m_query;
    EmbeddingsController* m_controller;
    EmbeddingMap* m_map;
    NearestMoviesModel* m_neighbourModel;
    EmbeddingsToolbar* m_toolbar;
    EmbeddingsSidePanel* m_side;
    Points m_drawnPoints = Points::Movies; // the side panel's mode
    int m_drawnColouring = -1;
};

} // namespace towerlab
