#include "views/embeddings_view.hpp"

#include "charts/embedding_map.hpp"
#include "controllers/query_controller.hpp"
#include "data/dataset.hpp"
#include "model/trained_model.hpp"
#include "models/catalogue_text.hpp"
#include "models/count_text.hpp"
#include "models/nearest_movies_model.hpp"
#include "retrieval/movie_space.hpp"
#include "views/embedding_colouring.hpp"
#include "views/embeddings_side_panel.hpp"
#include "views/file_dialogs.hpp"
#include "views/query_text.hpp"
#include "views/show_error.hpp"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QSplitter>
#include <QToolTip>
#include <QVBoxLayout>

namespace towerlab {

namespace {

QString genreList(const Catalogue& c, std::size_t movie) {
    const QString names = catalogueGenres(c, movie);
    return names.isEmpty() ? QObject::tr("no genre") : names;
}

QList<QPointF> toPoints(const RowMatrix& xy) {
    QList<QPointF> points;
    points.reserve(xy.rows());
    for (Eigen::Index r = 0; r < xy.rows(); ++r) {
        points.append(QPointF(xy(r, 0), xy(r, 1)));
    }
    return points;
}

} // namespace

EmbeddingsView::EmbeddingsView(QueryController* query, TrainingController* training,
                               QWidget* parent)
    : QWidget(parent), m_query(query),
      m_controller(new EmbeddingsController(query, training, this)), m_map(new EmbeddingMap),
      m_neighbourModel(new NearestMoviesModel(
          tr("Double-click to select it and list its own neighbours."), this)),
      m_toolbar(new EmbeddingsToolbar(m_controller->canGoLive())),
      m_side(new EmbeddingsSidePanel(m_neighbourModel, kNeighbours)) {
    setObjectName(QStringLiteral("embeddingsView"));
    auto* splitter = new QSplitter;
    splitter->setObjectName(QStringLiteral("embeddingSplitter"));
    splitter->addWidget(m_map);
    splitter->addWidget(m_side);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    splitter->setSizes({900, 330});
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_toolbar);
    layout->addWidget(splitter, 1);

    EmbeddingsController* c = m_controller;
    connect(m_toolbar, &EmbeddingsToolbar::pointsChosen, c, &EmbeddingsController::setPoints);
    connect(m_toolbar, &EmbeddingsToolbar::methodChosen, c, &EmbeddingsController::setMethod);
    // The toolbar edits perplexity and iterations; a lesson's random start stays as it was.
    connect(m_toolbar, &EmbeddingsToolbar::tsneSettingsEdited, c,
            [c](double perplexity, int iterations) {
                c->setTsneSettings(perplexity, iterations, c->tsneSeed());
            });
    connect(m_toolbar, &EmbeddingsToolbar::tsneFullRunToggled, c,
            &EmbeddingsController::setTsneFullRun);
    connect(m_toolbar, &EmbeddingsToolbar::colouringChosen, c, &EmbeddingsController::setColouring);
    connect(m_toolbar, &EmbeddingsToolbar::liveToggled, c, &EmbeddingsController::setLive);
    connect(m_toolbar, &EmbeddingsToolbar::cancelClicked, c,
            &EmbeddingsController::cancelProjection);
    connect(m_toolbar, &EmbeddingsToolbar::sizeToggled, this, [this] { applySizes(); });
    connect(m_toolbar, &EmbeddingsToolbar::searchEdited, this, [this] { updateSearch(); });
    connect(m_toolbar, &EmbeddingsToolbar::resetZoomClicked, m_map, &EmbeddingMap::resetZoom);
    connect(m_toolbar, &EmbeddingsToolbar::exportChosen, this, &EmbeddingsView::chooseExport);
    connect(m_side, &EmbeddingsSidePanel::similarityChosen, c,
            &EmbeddingsController::setSimilarity);
    connect(m_side, &EmbeddingsSidePanel::useAsQueryClicked, c,
            &EmbeddingsController::useSelectedUserAsQuery);
    connect(m_side, &EmbeddingsSidePanel::neighbourActivated, m_query,
            &QueryController::selectMovie);
    connect(m_side, &EmbeddingsSidePanel::showInScoresClicked, this, [this] {
        if (m_query->selectedMovie() >= 0) {
            m_query->requestShowInScores(m_query->selectedMovie());
        }
    });
    connect(m_map, &EmbeddingMap::pointHovered, this, &EmbeddingsView::onHovered);
    connect(m_map, &EmbeddingMap::pointClicked, c, &EmbeddingsController::clickPoint);

    connect(c, &EmbeddingsController::settingsChanged, this, &EmbeddingsView::onSettingsChanged);
    connect(c, &EmbeddingsController::projectionStarted, this,
            [this](bool cancellable) { m_toolbar->setBusy(true, cancellable); });
    connect(c, &EmbeddingsController::progress, this,
            [this](int done, int total) { m_toolbar->setProgress(done, total); });
    connect(c, &EmbeddingsController::projectionStopped, this,
            [this] { m_toolbar->setBusy(false); });
    connect(c, &EmbeddingsController::statusChanged, m_toolbar, &EmbeddingsToolbar::setStatus);
    connect(c, &EmbeddingsController::mapCleared, m_map, &EmbeddingMap::clear);
    connect(c, &EmbeddingsController::mapChanged, this, &EmbeddingsView::onMapChanged);
    connect(c, &EmbeddingsController::selectionChanged, this, &EmbeddingsView::updateSelection);
    connect(c, &EmbeddingsController::queryPlacementChanged, this,
            &EmbeddingsView::updateQueryOverlay);
    connect(c, &EmbeddingsController::projectionShown, this, &EmbeddingsView::projectionShown);
    connect(c, &EmbeddingsController::projectionFailed, this, &EmbeddingsView::projectionFailed);

    onSettingsChanged();
    updateQueryOverlay();
}

EmbeddingsView::~EmbeddingsView() = default;

void EmbeddingsView::setSizeByPopularity(bool on) {
    m_toolbar->setSizeByPopularity(on);
}

void EmbeddingsView::setSearchText(const QString& text) {
    m_toolbar->setSearchText(text);
}

QTableView* EmbeddingsView::neighbourTable() const {
    return m_side->neighbourTable();
}

QString EmbeddingsView::statusText() const {
    return m_toolbar->statusText();
}

QString EmbeddingsView::captionText() const {
    return m_side->caption();
}

void EmbeddingsView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    m_controller->setActive(true);
}

void EmbeddingsView::hideEvent(QHideEvent* event) {
    QWidget::hideEvent(event);
    m_controller->setActive(false);
}

void EmbeddingsView::onSettingsChanged() {
    m_toolbar->showSettings(*m_controller);
    m_side->setSimilarity(m_controller->similarity());
    m_side->setCaption(m_controller->captionText());
    const Points points = m_controller->points();
    if (points != m_drawnPoints) {
        m_drawnPoints = points;
        m_side->setShowingMovies(points == Points::Movies);
    } else if (m_controller->colouring() != m_drawnColouring) {
        applyColouring(); // a new colour choice never re-projects
    }
    m_drawnColouring = m_controller->colouring();
}

void EmbeddingsView::onMapChanged(bool glide) {
    const RowMatrix& xy = *m_controller->positions();
    if (glide) {
        m_map->setPositions(toPoints(xy), true); // same points, same colours: glide
    } else {
        const MapColouring colouring = currentColouring();
        m_map->setPoints(toPoints(xy), colouring.groups, colouring.groupOf);
    }
    const bool movies = m_controller->shownPoints() == Points::Movies;
    const QString method =
        m_controller->shownMethod() == ProjectionMethod::Pca ? tr("PCA") : tr("t-SNE");
    if (const ExternalEmbeddingsPtr external = m_controller->shownExternal()) {
        m_map->setTitle(tr("%1 movies · %2 of vectors from %3")
                            .arg(QLocale().toString(static_cast<qlonglong>(xy.rows())))
                            .arg(method)
                            .arg(QFileInfo(QString::fromStdString(external->source)).fileName()));
    } else {
        m_map->setTitle((movies ? tr("%1 movies · %2 of the model after %3")
                                : tr("%1 users · %2 of the model after %3"))
                            .arg(QLocale().toString(static_cast<qlonglong>(xy.rows())))
                            .arg(method)
                            .arg(countText(m_controller->shownModel()->epochsTrained, tr("epoch"),
                                           tr("epochs"))));
    }
    applySizes();
    updateSearch();
}

MapColouring EmbeddingsView::currentColouring() const {
    const auto catalogue = m_controller->shownCatalogue();
    const int index = m_controller->colouring();
    if (!catalogue) {
        return {};
    }
    if (m_controller->points() == Points::Movies) {
        return colourMovies(*catalogue, static_cast<MovieColouring>(index));
    }
    if (m_controller->usersDataset()) {
        return colourUsers(*m_controller->usersDataset(), m_controller->users(),
                           static_cast<UserColouring>(index));
    }
    return {};
}

void EmbeddingsView::applyColouring() {
    if (!m_controller->shownCatalogue() || !m_controller->positions() ||
        m_controller->shownPoints() != m_controller->points()) {
        return;
    }
    const MapColouring colouring = currentColouring();
    m_map->setGroups(colouring.groups, colouring.groupOf);
}

void EmbeddingsView::applySizes() {
    const auto catalogue = m_controller->shownCatalogue();
    const bool sized = m_toolbar->sizeByPopularity() && m_controller->points() == Points::Movies &&
                       m_controller->shownPoints() == Points::Movies && catalogue;
    m_map->setSizes(sized ? popularitySizes(*catalogue) : std::vector<double>{});
}

void EmbeddingsView::updateQueryOverlay() {
    QString who = queryDateLine(m_query->query());
    if (m_query->realUser() >= 0) {
        who = tr("user %1: %2").arg(m_query->realUser()).arg(who);
    }
    const EmbeddingsController::QueryPlacement place = m_controller->queryPlacement();
    m_map->setRecommended(place.recommended);
    m_map->setQueryMarker(place.marker);
    if (const ExternalEmbeddingsPtr external = m_controller->shownExternal()) {
        // The Recommend form's query needs the query tower; only a vector brought along can
        // be placed.
        const auto& query = m_query->externalQuery();
        m_side->setQueryText(
            query ? tr("The ★ and the black rings: %1 and its top %2 movies (dot product).")
                        .arg(query->label.toHtmlEscaped())
                        .arg(kRecommended)
                  : tr("No query: these vectors came from %1 and TowerLab has no query tower "
                       "for them, so the Recommend form cannot be placed here. Open user vectors "
                       "or a query vector on the Recommend tab to see a top list.")
                        .arg(QString::fromStdString(external->source).toHtmlEscaped()));
        return;
    }
    if (place.recommended.empty()) {
        m_side->setQueryText(m_controller->points() == Points::Users
                                 ? tr("%1<br>The query is shown on the movie map.").arg(who)
                                 : who);
        return;
    }
    QString placement;
    if (place.throughPca) {
        placement = tr("The ★ is the query's vector, scaled to the movies' mean length (which "
                       "keeps its ranking), through the same PCA; the top %1 need not sit next "
                       "to it.")
                        .arg(kRecommended);
    } else if (place.anchors > 0) {
        placement = tr("t-SNE cannot place a new point: the ★ sits at the mean position of the "
                       "query's top %1 movies.")
                        .arg(place.anchors);
    }
    m_side->setQueryText(tr("%1<br>Black rings: its top %2 movies. %3")
                             .arg(who.toHtmlEscaped())
                             .arg(kRecommended)
                             .arg(placement));
}

void EmbeddingsView::updateSelection() {
    const int point = m_controller->selectedPoint();
    if (m_controller->points() == Points::Users) {
        m_map->setSelection(point, {});
        m_neighbourModel->clear();
        if (point < 0 || !m_controller->usersDataset()) {
            m_side->showSelected(tr("Click a user to select them."), {}, false);
            return;
        }
        const DatasetUserQuery& q = m_controller->users()[static_cast<std::size_t>(point)];
        const User& user = m_controller->usersDataset()->users[static_cast<std::size_t>(q.user)];
        m_side->showSelected(tr("User %1").arg(user.id),
                             queryDateLine(q.query).toHtmlEscaped() +
                                 tr("<br>(the date is the median of their ratings)"),
                             true);
        return;
    }
    if (point < 0) {
        m_map->setSelection(-1, {});
        m_neighbourModel->clear();
        m_side->showSelected(tr("Click a point to select it."), {}, false);
        return;
    }
    std::vector<ScoredMovie> neighbours = m_controller->neighbours();
    std::vector<int> ids;
    for (const ScoredMovie& n : neighbours) {
        ids.push_back(n.movie);
    }
    m_map->setSelection(point, ids);
    const auto catalogue = m_controller->shownCatalogue();
    m_neighbourModel->setNeighbours(catalogue, point, std::move(neighbours),
                                    m_controller->similarity());
    const Catalogue& c = *catalogue;
    const auto m = static_cast<std::size_t>(point);
    m_side->showSelected(QString::fromStdString(c.titles[m]),
                         (m_controller->shownExternal() ? tr("%1 · %2 · popularity %3")
                                                        : tr("%1 · %2 · %3 in the training split"))
                             .arg(c.years[m] > 0 ? QString::number(c.years[m]) : tr("year unknown"))
                             .arg(genreList(c, m))
                             .arg(countText(c.popularity[m], tr("rating"), tr("ratings"))),
                         true);
}

void EmbeddingsView::updateSearch() {
    const QString text = m_toolbar->searchText().trimmed();
    const auto catalogue = m_controller->shownCatalogue();
    if (text.isEmpty() || !catalogue || !m_controller->positions() ||
        m_controller->points() != Points::Movies) {
        m_map->setSearchMatches({});
        m_toolbar->setSearchCount({});
        return;
    }
    const std::vector<std::int32_t> matches =
        searchTitles(*catalogue, text.toStdString(), catalogue->size());
    m_map->setSearchMatches(std::vector<int>(matches.begin(), matches.end()));
    m_toolbar->setSearchCount(
        countText(static_cast<int>(matches.size()), tr("match"), tr("matches")));
}

void EmbeddingsView::onHovered(int point, const QPoint& globalPosition) {
    if (point < 0 || !m_controller->shownCatalogue()) {
        QToolTip::hideText();
        return;
    }
    const QString text =
        m_controller->shownPoints() == Points::Movies ? movieTooltip(point) : userTooltip(point);
    QToolTip::showText(globalPosition, text, m_map);
}

QString EmbeddingsView::movieTooltip(int movie) const {
    const auto catalogue = m_controller->shownCatalogue();
    if (!catalogue || movie < 0 || static_cast<std::size_t>(movie) >= catalogue->size()) {
        return {};
    }
    const Catalogue& c = *catalogue;
    const auto m = static_cast<std::size_t>(movie);
    return (m_controller->shownExternal()
                ? tr("<b>%1</b><br>%2 · %3<br>popularity: %4")
                : tr("<b>%1</b><br>%2 · %3<br>popularity: %4 in the training split"))
        .arg(QString::fromStdString(c.titles[m]).toHtmlEscaped(),
             c.years[m] > 0 ? QString::number(c.years[m]) : tr("year unknown"),
             genreList(c, m).toHtmlEscaped(),
             countText(c.popularity[m], tr("rating"), tr("ratings")));
}

QString EmbeddingsView::userTooltip(int point) const {
    const auto& users = m_controller->users();
    const auto dataset = m_controller->usersDataset();
    if (point < 0 || static_cast<std::size_t>(point) >= users.size() || !dataset) {
        return {};
    }
    const DatasetUserQuery& q = users[static_cast<std::size_t>(point)];
    return tr("<b>User %1</b><br>%2")
        .arg(dataset->users[static_cast<std::size_t>(q.user)].id)
        .arg(queryDateLine(q.query).toHtmlEscaped());
}

bool EmbeddingsView::exportMapImage(const QString& path, QString* error) {
    return m_map->exportImage(path, error);
}

bool EmbeddingsView::exportProjector(const QString& folder, Points points, QString* error) {
    return m_controller->exportProjector(folder, points, error);
}

void EmbeddingsView::chooseExport(EmbeddingsToolbar::Export what) {
    using Export = EmbeddingsToolbar::Export;
    const QString purpose = QStringLiteral("exports");
    QString error;
    QString done;
    if (what == Export::MapPng || what == Export::MapSvg) {
        const bool png = what == Export::MapPng;
        const QString suffix = png ? QStringLiteral("png") : QStringLiteral("svg");
        const QString path = chooseSaveFile(
            this, tr("Export the map"), purpose, QStringLiteral("towerlab-map.") + suffix,
            png ? tr("PNG images (*.png)") : tr("SVG images (*.svg)"), suffix);
        if (path.isEmpty()) {
            return;
        }
        if (exportMapImage(path, &error)) {
            done = tr("Map saved to %1").arg(QDir::toNativeSeparators(path));
        }
    } else {
        const QString folder =
            chooseFolder(this, tr("Folder for vectors.tsv and metadata.tsv"), purpose);
        if (folder.isEmpty()) {
            return;
        }
        const Points points = what == Export::MovieVectors ? Points::Movies : Points::Users;
        if (exportProjector(folder, points, &error)) {
            done = tr("vectors.tsv and metadata.tsv written to %1 (load them at "
                      "projector.tensorflow.org)")
                       .arg(QDir::toNativeSeparators(folder));
        }
    }
    if (!error.isEmpty()) {
        showError(this, tr("Export failed"), error);
        return;
    }
    emit message(done);
}

} // namespace towerlab
