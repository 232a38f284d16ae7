#include "controllers/embeddings_controller.hpp"

#include "controllers/query_controller.hpp"
#include "controllers/training_controller.hpp"
#include "data/dataset.hpp"
#include "data/dataset_summary.hpp"
#include "io/projector_tsv.hpp"
#include "model/trained_model.hpp"
#include "models/catalogue_text.hpp"
#include "projection/tsne_subsample.hpp"
#include "retrieval/movie_space.hpp"

#include <QThread>

#include <algorithm>
#include <exception>

namespace towerlab {

namespace {

// The genres of a movie joined by "|" for the Projector's metadata.
std::string genreCell(const Catalogue& c, std::size_t movie) {
    QString names = catalogueGenres(c, movie);
    if (names.isEmpty()) {
        names = EmbeddingsController::tr("no genre");
    }
    return names.replace(QStringLiteral(", "), QStringLiteral("|")).toStdString();
}

} // namespace

EmbeddingsController::EmbeddingsController(QueryController* query, TrainingController* training,
                                           QObject* parent)
    : QObject(parent), m_query(query), m_training(training), m_runner(new ProjectionRunner(this)) {
    connect(m_runner, &ProjectionRunner::progress, this,
            [this](int done, int total, const QString& text) {
                setStatus(text);
                emit progress(done, total, text);
            });
    connect(m_runner, &ProjectionRunner::finished, this, &EmbeddingsController::onProjected);
    connect(m_runner, &ProjectionRunner::failed, this, &EmbeddingsController::onFailed);
    connect(m_runner, &ProjectionRunner::cancelled, this, &EmbeddingsController::onCancelled);
    connect(m_query, &QueryController::modelChanged, this, &EmbeddingsController::onModelChanged);
    connect(m_query, &QueryController::datasetChanged, this, [this] {
        if (m_points == Points::Users) {
            reproject(false);
        }
    });
    connect(m_query, &QueryController::queryChanged, this, [this] {
        if (m_points == Points::Movies && m_method == ProjectionMethod::Pca && m_xy &&
            !m_external) {
            reproject(true); // the star needs the PCA of the current map; a PCA takes ms
        } else {
            emit queryPlacementChanged();
        }
    });
    connect(m_query, &QueryController::movieSelected, this, [this](int movie) {
        if (showsSharedExternal()) {
            m_selectedExternal = movie; // chosen in the Recommend or Scores tab
        }
        emit selectionChanged();
    });
    // The shared state holds vectors from elsewhere: the map follows it.
    connect(m_query, &QueryController::externalChanged, this, [this] {
        if (m_query->external() != m_external) {
            adoptExternal(m_query->external());
        }
    });
    connect(m_query, &QueryController::externalQueryChanged, this, [this] {
        if (m_external && m_points == Points::Movies && m_method == ProjectionMethod::Pca && m_xy) {
            reproject(true); // the star is the query vector through the map's PCA
        } else {
            emit queryPlacementChanged();
        }
    });
    if (m_training != nullptr) {
        connect(m_training, &TrainingController::epochSnapshot, this,
                &EmbeddingsController::onSnapshot);
    }
    m_model = m_query->model();
}

EmbeddingsController::~EmbeddingsController() {
    if (m_training != nullptr && m_live) {
        m_training->setEpochSnapshotInterval(0);
    }
}

void EmbeddingsController::showExternal(ExternalEmbeddingsPtr embeddings) {
    if (embeddings == m_query->external()) {
        adoptExternal(std::move(embeddings)); // e.g. null again: back to the model now
    } else {
        m_query->setExternal(std::move(embeddings)); // comes back through externalChanged
    }
}

void EmbeddingsController::adoptExternal(ExternalEmbeddingsPtr embeddings) {
    m_external = std::move(embeddings);
    m_selectedExternal = -1;
    if (m_external && m_live) {
        setLive(false);
    }
    emit settingsChanged();
    reproject(false);
}

QString EmbeddingsController::externalNote() const {
    if (!m_external) {
        return {};
    }
    return tr("These vectors came from %1; TowerLab has no towers for them, so the Recommend "
              "form, score explanations, the user map and Live mode are off. Open or train a "
              "model to map its own vectors again.")
        .arg(QString::fromStdString(m_external->source));
}

std::shared_ptr<const Catalogue> EmbeddingsController::shownCatalogue() const {
    if (m_xyExternal) {
        return {m_xyExternal, &m_xyExternal->catalogue};
    }
    if (m_shown) {
        return {m_shown, &m_shown->catalogue};
    }
    return {};
}

void EmbeddingsController::setPoints(Points points) {
    if (m_points == points) {
        return;
    }
    m_points = points;
    m_selectedUser = -1;
    emit settingsChanged();
    reproject(false);
}

void EmbeddingsController::setMethod(ProjectionMethod method) {
    if (m_method == method) {
        return;
    }
    m_method = method;
    emit settingsChanged();
    reproject(false);
}

void EmbeddingsController::setTsneSettings(double perplexity, int iterations,
                                           std::optional<std::uint64_t> seed) {
    m_perplexity = perplexity;
    m_iterations = iterations;
    m_tsneSeed = seed;
    emit settingsChanged();
    if (m_method == ProjectionMethod::Tsne) {
        reproject(false);
    }
}

void EmbeddingsController::setTsneFullRun(bool on) {
    if (m_tsneFullRun == on) {
        return;
    }
    m_tsneFullRun = on;
    emit settingsChanged();
    if (m_method == ProjectionMethod::Tsne) {
        reproject(false);
    }
}

void EmbeddingsController::setLive(bool on) {
    if (m_training == nullptr || m_live == on || (on && m_external)) {
        return; // vectors from elsewhere have no training to follow
    }
    m_live = on;
    m_training->setEpochSnapshotInterval(on ? kLiveEveryEpochs : 0);
    m_livePending = false;
    if (!on && m_model != m_query->model()) {
        m_model = m_query->model();
        reproject(true);
    }
    emit settingsChanged();
}

void EmbeddingsController::setColouring(int index) {
    (m_points == Points::Movies ? m_movieColour : m_userColour) = std::max(0, index);
    emit settingsChanged();
}

void EmbeddingsController::setSimilarity(Similarity similarity) {
    if (m_similarity == similarity) {
        return;
    }
    m_similarity = similarity;
    emit settingsChanged();
    emit selectionChanged();
}

void EmbeddingsController::setActive(bool active) {
    m_active = active;
    if (active && m_dirty) {
        reproject(m_xy.has_value());
    }
}

void EmbeddingsController::cancelProjection() {
    if (m_runner->isRunning()) {
        m_cancelRequested = true;
        m_runner->cancel();
    }
}

const std::vector<DatasetUserQuery>& EmbeddingsController::users() const {
    static const UserList none;
    return m_users ? *m_users : none;
}

QString EmbeddingsController::captionText() const {
    QString text =
        tr("A map squeezes every vector into two dimensions. Points close together are usually "
           "similar to the model, but distances are distorted, and the model ranks movies by "
           "dot products, which no 2-D map preserves: trust the nearest-neighbours list over "
           "the picture.");
    if (m_method == ProjectionMethod::Tsne) {
        text += tr(" t-SNE keeps neighbourhoods; gaps and sizes of clusters mean little.");
    }
    if (m_external) {
        text = externalNote() + QLatin1Char(' ') + text;
    }
    if (m_live) {
        text += tr(" Live: each frame is rotated, mirrored and scaled onto the previous one "
                   "(Procrustes), so movement is change in the model, not in the picture.");
    }
    return text;
}

void EmbeddingsController::onModelChanged(const TrainedModelPtr& model) {
    m_model = model;
    if (model && m_external) {
        m_external.reset(); // a model opened or trained now takes the map back
        emit settingsChanged();
    }
    m_livePending = false;
    reproject(true);
}

void EmbeddingsController::onSnapshot(int, const TrainedModelPtr& model) {
    if (!m_live || !model) {
        return;
    }
    m_model = model;
    if (!m_active) {
        m_dirty = true; // projected when the map is shown
        return;
    }
    if (m_runner->isRunning()) {
        m_livePending = true; // only the newest snapshot is projected
        return;
    }
    startProjection(m_model, true, true);
}

void EmbeddingsController::reproject(bool animate) {
    if (!m_active) {
        m_dirty = true;
        return;
    }
    m_dirty = false;
    startProjection(m_model, animate, false);
}

QString EmbeddingsController::userMapProblem(const TrainedModel& model) const {
    const auto dataset = m_query->dataset();
    if (!dataset) {
        return tr("The user map needs the dataset the model was trained on (%1); no dataset is "
                  "open. Open it in the Data tab.")
            .arg(QString::fromStdString(model.datasetName));
    }
    // The fingerprint was hashed where the dataset was loaded: comparing it costs nothing.
    if (m_query->datasetFingerprint() != model.datasetFingerprint) {
        return tr("The user map needs the dataset the model was trained on (%1), but the open "
                  "dataset is %2, with other users or ratings. Open the model's dataset in the "
                  "Data tab.")
            .arg(QString::fromStdString(model.datasetName), QString::fromStdString(dataset->name));
    }
    return {};
}

void EmbeddingsController::clearMap(const QString& text) {
    m_xy.reset();
    emit mapCleared(text);
}

void EmbeddingsController::setStatus(const QString& text) {
    m_status = text;
    emit statusChanged(text);
}

void EmbeddingsController::startExternalProjection(bool animate) {
    if (m_points == Points::Users) {
        m_runner->cancel();
        m_xyExternal = m_external;
        clearMap(tr("No user map for vectors from elsewhere: the user map runs the query tower "
                    "over the open dataset's users, and these vectors came from %1, without "
                    "towers. Switch to Movies.")
                     .arg(QString::fromStdString(m_external->source)));
        setStatus(tr("No user map"));
        return;
    }
    ProjectionRequest request;
    request.method = m_method;
    request.points = m_external->movieVectors;
    // A large catalogue's t-SNE maps its most-rated movies (as far as the metadata or the
    // open dataset know their ratings) and places the rest.
    request.tsneWeights.assign(m_external->catalogue.popularity.begin(),
                               m_external->catalogue.popularity.end());
    request.pointsNoun = tr("movies");
    request.weightedBy = tr("most-rated");
    if (m_method == ProjectionMethod::Pca && m_query->externalQuery()) {
        request.companions = m_query->externalQuery()->vector;
        request.companionsAtPointScale = true;
    }
    request.perplexity = m_perplexity;
    request.iterations = m_iterations;
    request.tsneSeed = m_tsneSeed;
    request.tsnePointLimit = m_tsneFullRun ? 0 : kTsneFullRunLimit;
    // Every core, as for the model's own map below (not live here).
    request.threads = QThread::idealThreadCount();
    request.measureTrustworthiness = true;
    const bool sameKind =
        m_xy && m_xyPoints == m_points && m_xyMethod == m_method && m_xyExternal == m_external;
    if (sameKind && animate) {
        request.alignWith = *m_xy;
    }
    m_cancelRequested = false;
    m_projecting.reset();
    m_projectingExternal = m_external;
    m_projectingUsers.reset();
    m_projectingUsersDataset.reset();
    m_projectingAnimate = sameKind && animate;
    m_projectingPoints = m_points;
    if (!m_xy) {
        emit mapCleared(m_method == ProjectionMethod::Tsne ? tr("Computing the t-SNE map…")
                                                           : tr("Computing the map…"));
    }
    m_runner->start(std::move(request));
    emit projectionStarted(true);
}

void EmbeddingsController::startProjection(const TrainedModelPtr& model, bool animate, bool live) {
    if (m_external) {
        startExternalProjection(animate);
        return;
    }
    m_projectingExternal.reset();
    if (!model) {
        m_runner->cancel();
        m_shown.reset();
        m_xyExternal.reset();
        clearMap(tr("No model yet. Train one in the Train tab, or open a saved model "
                    "(File → Open model), to see where it puts every movie."));
        setStatus({});
        emit selectionChanged();
        emit queryPlacementChanged();
        return;
    }
    ProjectionRequest request;
    request.method = m_method;
    Eigen::Index rows = -1; // unknown until the pool thread has listed a new dataset's users
    m_projectingUsers.reset();
    m_projectingUsersDataset.reset();
    if (m_points == Points::Movies) {
        request.points = model->candidateEmbeddings;
        rows = request.points.rows();
        // A large catalogue's t-SNE maps its most-rated movies and places the rest.
        request.tsneWeights.assign(model->catalogue.popularity.begin(),
                                   model->catalogue.popularity.end());
        request.pointsNoun = tr("movies");
        request.weightedBy = tr("most-rated");
        if (m_method == ProjectionMethod::Pca) {
            request.companions = queryEmbedding(*model, m_query->query());
            request.companionsAtPointScale = true;
        }
    } else {
        const QString problem = userMapProblem(*model);
        if (!problem.isEmpty()) {
            m_runner->cancel();
            m_shown = model;
            m_xyExternal.reset();
            clearMap(problem);
            setStatus(tr("No user map"));
            return;
        }
        request.pointsNoun = tr("users"); // a large set's t-SNE maps a random sample of them
        // Listing the users (a median over each one's ratings) and running the query tower
        // over all of them both take a while on a large dataset: the pool thread does them.
        const auto dataset = m_query->dataset();
        if (dataset == m_usersDataset && m_users) {
            std::shared_ptr<const UserList> users = m_users;
            rows = static_cast<Eigen::Index>(users->size());
            request.computePoints = [model, users] { return userQueryEmbeddings(*model, *users); };
        } else {
            auto users = std::make_shared<UserList>();
            m_projectingUsers = users;
            m_projectingUsersDataset = dataset;
            request.computePoints = [model, dataset, users] {
                *users = datasetUserQueries(*dataset);
                return userQueryEmbeddings(*model, *users);
            };
        }
    }
    if (rows >= 0 && rows < 2) {
        m_runner->cancel();
        clearMap(tr("There are fewer than two points to map."));
        return;
    }
    request.perplexity = m_perplexity;
    request.iterations = m_iterations;
    request.tsneSeed = m_tsneSeed;
    request.tsnePointLimit = m_tsneFullRun ? 0 : kTsneFullRunLimit;
    // Live frames get one thread, training has the rest. Other maps get every core: on a
    // 2-core machine keeping one free for the GUI thread halved t-SNE's speed (62,000 points
    // need both cores to come near a minute), and the GUI thread needs little while a map is
    // computed. t-SNE's gradient runs as OpenMP tasks, so no worker waits at a barrier each
    // iteration; the others wait only while the calling thread does the short serial steps.
    request.threads = live ? 1 : QThread::idealThreadCount();
    request.measureTrustworthiness = !live;
    const bool sameKind =
        m_xy && m_xyPoints == m_points && m_xyMethod == m_method && m_xy->rows() == rows;
    if (sameKind && animate) {
        request.alignWith = *m_xy;
    }
    m_cancelRequested = false;
    m_projecting = model;
    m_projectingAnimate = sameKind && animate;
    m_projectingPoints = m_points;
    if (!m_xy) {
        emit mapCleared(m_method == ProjectionMethod::Tsne ? tr("Computing the t-SNE map…")
                                                           : tr("Computing the map…"));
    }
    m_runner->start(std::move(request));
    emit projectionStarted(!live);
}

void EmbeddingsController::onFailed(const QString& error) {
    emit projectionStopped();
    const QString text = tr("The projection failed: %1").arg(error);
    setStatus(text);
    if (!m_xy || m_xyPoints != m_projectingPoints) {
        clearMap(text); // not the previous map of other points under this status
    }
    emit projectionFailed(error);
}

void EmbeddingsController::onCancelled() {
    emit projectionStopped();
    m_livePending = false;
    if (m_cancelRequested) { // not when the controller itself dropped a projection
        m_cancelRequested = false;
        setStatus(m_xy ? tr("Projection cancelled; the map shows the previous one.")
                       : tr("Projection cancelled."));
        if (!m_xy) {
            emit mapCleared(tr("Cancelled: no map yet. Change the method or the points to "
                               "compute one."));
        }
    }
}

void EmbeddingsController::onProjected(const ProjectionResult& result) {
    emit projectionStopped();
    if (m_projectingPoints != m_points || result.method != m_method) {
        return; // settings changed since; a newer projection is on its way
    }
    const bool catalogueChanged = m_projectingExternal || m_xyExternal || !m_shown ||
                                  !m_projecting ||
                                  m_shown->catalogue.size() != m_projecting->catalogue.size();
    const bool usersChanged = m_projectingUsers != nullptr;
    if (usersChanged) {
        m_users = std::move(m_projectingUsers);
        m_usersDataset = std::move(m_projectingUsersDataset);
    }
    m_xyExternal = std::move(m_projectingExternal);
    if (!m_xyExternal) {
        m_shown = m_projecting;
    }
    m_xy = result.xy;
    m_xyPoints = m_points;
    m_xyMethod = result.method;
    m_pcaQuery.reset();
    if (result.companions.rows() == 1) {
        m_pcaQuery = QPointF(result.companions(0, 0), result.companions(0, 1));
    }
    emit mapChanged(m_projectingAnimate && !catalogueChanged && !usersChanged);
    emit queryPlacementChanged();
    emit selectionChanged();
    QString status = result.summary;
    if (result.trustworthiness) {
        status += tr(" · trustworthiness@10 %1").arg(*result.trustworthiness, 0, 'f', 3);
        if (result.trustworthinessRows < result.xy.rows()) {
            status += tr(" (over %L1 sampled points)").arg(result.trustworthinessRows);
        }
    }
    status += tr(" · %1 s").arg(result.seconds, 0, 'f', 2);
    if (m_live && !m_xyExternal && m_shown != m_query->model()) {
        status += tr(" · live: training snapshot after epoch %1").arg(m_shown->epochsTrained);
    }
    setStatus(status);
    emit projectionShown();
    if (m_livePending && m_live) {
        m_livePending = false;
        startProjection(m_model, true, true);
    }
}

void EmbeddingsController::clickPoint(int point) {
    if (!m_xy || point < 0 || point >= m_xy->rows()) {
        return;
    }
    if (m_points == Points::Movies && m_xyExternal) {
        m_selectedExternal = point;
        if (showsSharedExternal()) {
            // The other tabs show these vectors too: the click selects there as well (and
            // comes back as selectionChanged()).
            m_query->selectMovie(point);
        }
        emit selectionChanged();
    } else if (m_points == Points::Movies) {
        m_query->selectMovie(point); // movieSelected() comes back as selectionChanged()
    } else {
        m_selectedUser = point;
        emit selectionChanged();
    }
}

bool EmbeddingsController::showsSharedExternal() const {
    return m_xyExternal && m_xyExternal == m_query->external();
}

int EmbeddingsController::selectedPoint() const {
    if (m_points == Points::Users) {
        return m_selectedUser >= 0 && static_cast<std::size_t>(m_selectedUser) < users().size()
                   ? m_selectedUser
                   : -1;
    }
    const auto catalogue = shownCatalogue();
    const int movie = m_xyExternal ? m_selectedExternal : m_query->selectedMovie();
    const bool valid =
        catalogue && m_xy && movie >= 0 && static_cast<std::size_t>(movie) < catalogue->size();
    return valid ? movie : -1;
}

std::vector<ScoredMovie> EmbeddingsController::neighbours() const {
    const int movie = selectedPoint();
    if (m_points != Points::Movies || movie < 0) {
        return {};
    }
    if (m_xyExternal) {
        return nearestMovies(m_xyExternal->movies(), movie, kNeighbours, m_similarity);
    }
    return nearestMovies(*m_shown, movie, kNeighbours, m_similarity);
}

void EmbeddingsController::useSelectedUserAsQuery() {
    const int point = m_points == Points::Users ? selectedPoint() : -1;
    if (point >= 0 && m_usersDataset) {
        const DatasetUserQuery& u = users()[static_cast<std::size_t>(point)];
        m_query->setQuery(u.query, m_usersDataset->users[static_cast<std::size_t>(u.user)].id);
    }
}

EmbeddingsController::QueryPlacement EmbeddingsController::queryPlacement() const {
    QueryPlacement out;
    if (!shownCatalogue() || !m_xy || m_points != Points::Movies || m_xyPoints != Points::Movies) {
        return out;
    }
    const auto& externalQuery = m_query->externalQuery();
    if (m_xyExternal && (!externalQuery || m_xyExternal != m_query->external())) {
        return out; // no towers to turn the Recommend form into a vector
    }
    const std::vector<ScoredMovie> top =
        m_xyExternal
            ? recommendForVector(m_xyExternal->movies(), externalQuery->vector, kRecommended)
            : recommend(*m_shown, m_query->query(), kRecommended);
    out.recommended.reserve(top.size());
    for (const ScoredMovie& s : top) {
        out.recommended.push_back(s.movie);
    }
    if (m_xyMethod == ProjectionMethod::Pca) {
        out.marker = m_pcaQuery;
        out.throughPca = true;
    } else if (!top.empty()) {
        // t-SNE has no mapping for a new point: stand in the middle of its best movies.
        QPointF sum;
        const std::size_t anchors = std::min<std::size_t>(kQueryAnchors, top.size());
        for (std::size_t i = 0; i < anchors; ++i) {
            const auto r = static_cast<Eigen::Index>(top[i].movie);
            sum += QPointF((*m_xy)(r, 0), (*m_xy)(r, 1));
        }
        out.marker = sum / static_cast<double>(anchors);
        out.anchors = static_cast<int>(anchors);
    }
    return out;
}

bool EmbeddingsController::exportProjector(const QString& folder, Points points, QString* error) {
    if (m_xyExternal) {
        *error = tr("The map shows vectors from %1, which are already files: export a model's "
                    "vectors after opening or training one.")
                     .arg(QString::fromStdString(m_xyExternal->source));
        return false;
    }
    const TrainedModelPtr model = m_shown ? m_shown : m_model;
    if (!model) {
        *error = tr("There is no model yet: train one or open one first.");
        return false;
    }
    try {
        if (points == Points::Movies) {
            const Catalogue& c = model->catalogue;
            std::vector<std::vector<std::string>> rows;
            rows.reserve(c.size());
            for (std::size_t m = 0; m < c.size(); ++m) {
                rows.push_back({c.titles[m], std::to_string(c.movieIds[m]),
                                c.years[m] > 0 ? std::to_string(c.years[m]) : std::string(),
                                genreCell(c, m), std::to_string(c.popularity[m])});
            }
            writeProjectorTsv(model->candidateEmbeddings,
                              {"title", "movie_id", "year", "genres", "popularity"}, rows,
                              folder.toStdString());
            return true;
        }
        const QString problem = userMapProblem(*model);
        if (!problem.isEmpty()) {
            *error = problem;
            return false;
        }
        const auto dataset = m_query->dataset();
        const UserList users =
            dataset == m_usersDataset && m_users ? *m_users : datasetUserQueries(*dataset);
        const auto& occupations = occupationLabels();
        std::vector<std::vector<std::string>> rows;
        rows.reserve(users.size());
        // The metadata is data, not prose: the core's labels, an empty cell when unknown (as
        // the CLI's embed command writes it).
        for (const DatasetUserQuery& q : users) {
            const User& user = dataset->users[static_cast<std::size_t>(q.user)];
            const bool knownOccupation =
                user.occupationLabel >= 0 &&
                static_cast<std::size_t>(user.occupationLabel) < occupations.size();
            rows.push_back({std::to_string(user.id),
                            user.ageBucket >= 0 ? ageBucketLabel(user.ageBucket) : std::string(),
                            knownOccupation
                                ? occupations[static_cast<std::size_t>(user.occupationLabel)]
                                : std::string(),
                            user.gender == 1 ? "M" : (user.gender == 0 ? "F" : ""),
                            std::to_string(q.query.timestamp)});
        }
        writeProjectorTsv(userQueryEmbeddings(*model, users),
                          {"user_id", "age_group", "occupation", "gender", "median_timestamp"},
                          rows, folder.toStdString());
        return true;
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
}

} // namespace towerlab
