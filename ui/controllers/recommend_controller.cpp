#include "controllers/recommend_controller.hpp"

#include "controllers/approximate_index.hpp"
#include "controllers/query_controller.hpp"
#include "data/dataset.hpp"
#include "model/trained_model.hpp"
#include "models/recommendation_table_model.hpp"
#include "retrieval/external_embeddings.hpp"
#include "retrieval/hnsw_index.hpp"
#include "retrieval/movie_space.hpp"
#include "retrieval/rated_movies.hpp"
#include "retrieval/retrieval.hpp"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <span>
#include <unordered_map>
#include <vector>

namespace towerlab {

namespace {

// The list's rows, with the real user's marks and, for a comparison, each movie's move
// against the other list.
std::vector<RecommendationRow> rowsOf(const std::vector<ScoredMovie>& list,
                                      const UserRatedMovies* rated,
                                      const std::vector<ScoredMovie>* other) {
    std::unordered_map<std::int32_t, int> otherPosition;
    if (other != nullptr) {
        for (std::size_t i = 0; i < other->size(); ++i) {
            otherPosition.emplace((*other)[i].movie, static_cast<int>(i));
        }
    }
    std::vector<RecommendationRow> rows;
    rows.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        RecommendationRow row;
        row.movie = list[i];
        if (rated != nullptr) {
            const bool train =
                std::binary_search(rated->train.begin(), rated->train.end(), list[i].movie);
            const bool test =
                std::binary_search(rated->test.begin(), rated->test.end(), list[i].movie);
            row.mark = train && test ? RatedMark::Both
                       : train       ? RatedMark::Train
                       : test        ? RatedMark::Test
                                     : RatedMark::None;
        }
        if (other != nullptr) {
            row.hasChange = true;
            const auto it = otherPosition.find(list[i].movie);
            row.isNew = it == otherPosition.end();
            row.change = row.isNew ? 0 : it->second - static_cast<int>(i);
        }
        rows.push_back(row);
    }
    return rows;
}

QString percent(double share) {
    return QLocale().toString(share * 100.0, 'f', 1) + " %";
}

// The same query but perhaps for another user id.
bool sameAttributes(UserQuery a, const UserQuery& b) {
    a.userId = b.userId;
    return a == b;
}

} // namespace

RecommendController::RecommendController(QueryController* query, QObject* parent)
    : QObject(parent), m_query(query), m_listA(new RecommendationTableModel(this)),
      m_listB(new RecommendationTableModel(this)), m_approx(new ApproximateIndex(this)) {
    connect(m_approx, &ApproximateIndex::stateChanged, this,
            &RecommendController::approximateChanged);
    connect(m_approx, &ApproximateIndex::ready, this, [this] {
        refresh(); // the lists now come from the index
        remeasure();
    });
    connect(m_query, &QueryController::modelChanged, this, &RecommendController::onModelChanged);
    connect(m_query, &QueryController::datasetChanged, this,
            &RecommendController::onDatasetChanged);
    connect(m_query, &QueryController::queryChanged, this, &RecommendController::refresh);
    connect(m_query, &QueryController::externalChanged, this,
            &RecommendController::onExternalChanged);
    connect(m_query, &QueryController::externalQueryChanged, this, &RecommendController::refresh);
    connect(m_query, &QueryController::movieSelected, this, &RecommendController::selectionChanged);
    connect(&m_ratedWatcher, &QFutureWatcher<RatedResult>::finished, this, [this] {
        if (!m_ratedPending || m_ratedWatcher.isCanceled()) {
            return; // the empty future that replaced a dropped matching
        }
        const RatedResult result = m_ratedWatcher.result();
        m_rated = result.rated;
        m_ratedError = result.error;
        m_ratedPending = false;
        emit ratedMoviesChanged(m_rated);
        refresh();
        emit ratedMoviesReady();
    });
    onDatasetChanged();
    onModelChanged(m_query->model());
}

RecommendController::~RecommendController() {
    m_ratedWatcher.waitForFinished();
}

UserQuery RecommendController::tutorialQuery() {
    return UserQuery{25, 17, 1, 879024327, -1, {}};
}

void RecommendController::onModelChanged(const TrainedModelPtr& model) {
    m_model = model;
    m_approx->setModel(model, m_query->dataset());
    if (m_approximate) {
        m_approx->build();
    }
    adoptCatalogue();
    emit modelChanged(model);
    emit settingsChanged();
    rebuildRatedMovies();
    if (model && m_query->realUser() < 0) {
        // The tutorial's moment (1997) is the default query, but a model trained on other
        // data (the built-in demo is from 2023) never saw it and would only extrapolate: start
        // such a model in the middle of its own time range. The Tutorial example button still
        // gives the exact tutorial query, with the out-of-range note.
        const UserQuery current = m_query->query();
        const auto& f = model->features;
        if (sameAttributes(current, tutorialQuery()) && f.maxTimestamp > f.minTimestamp &&
            (current.timestamp < f.minTimestamp || current.timestamp > f.maxTimestamp)) {
            UserQuery q = current;
            q.timestamp = f.minTimestamp + (f.maxTimestamp - f.minTimestamp) / 2;
            m_query->setQuery(q);
        }
    }
    refresh();
}

void RecommendController::adoptCatalogue() {
    const ExternalEmbeddingsPtr external = m_query->external();
    std::shared_ptr<const Catalogue> catalogue;
    auto origin = RecommendationTableModel::Origin::Model;
    if (external) {
        catalogue = {external, &external->catalogue};
        origin = external->popularityFromMetadata
                     ? RecommendationTableModel::Origin::ElsewhereMetadata
                     : RecommendationTableModel::Origin::ElsewhereDataset;
    } else if (m_model) {
        catalogue = {m_model, &m_model->catalogue};
    }
    m_listA->setCatalogue(catalogue, origin);
    m_listB->setCatalogue(catalogue, origin);
    if (catalogue) {
        const int wasMax = m_maxK;
        m_maxK = std::max(1, static_cast<int>(catalogue->size()));
        if (m_k == wasMax && wasMax < kDefaultK) {
            m_k = std::min(kDefaultK, m_maxK);
        }
        m_k = std::min(m_k, m_maxK);
    }
}

void RecommendController::onExternalChanged() {
    if (isExternal()) {
        // Query B and the index need the towers and the model; they wait for one.
        m_compare = false;
        m_explainSide = Side::A;
    }
    adoptCatalogue();
    emit externalChanged();
    emit settingsChanged();
    refresh();
}

bool RecommendController::isExternal() const {
    return m_query->external() != nullptr;
}

QString RecommendController::externalNote() const {
    const ExternalEmbeddingsPtr external = m_query->external();
    if (!external) {
        return {};
    }
    return tr("These movie vectors came from %1; TowerLab has no towers for them, so the query "
              "form, the comparison, score explanations, the HNSW index and Live mode are off. "
              "Their top k is asked for a vector: a user's row of a user vector file, or a "
              "query vector file. Open or train a model to use the form again.")
        .arg(QString::fromStdString(external->source).toHtmlEscaped());
}

void RecommendController::pickExternalUser(int row) {
    const ExternalUsersPtr users = m_query->externalUsers();
    if (!users || row < 0 || row >= users->vectors.rows()) {
        return;
    }
    ExternalQuery q;
    q.vector = users->vectors.row(row);
    q.label = tr("%1 (row %2 of %3)")
                  .arg(QString::fromStdString(users->labels[static_cast<std::size_t>(row)]))
                  .arg(row + 1)
                  .arg(QFileInfo(QString::fromStdString(users->source)).fileName());
    q.userRow = row;
    m_query->setExternalQuery(std::move(q));
}

void RecommendController::onDatasetChanged() {
    m_dataset = m_query->dataset();
    emit datasetChanged(m_dataset);
    // The dataset gives the sample of queries the index is measured on; it is rebuilt with it
    // (a fraction of a second for MovieLens-sized catalogues).
    m_approx->setModel(m_model, m_dataset);
    if (m_approximate) {
        m_approx->build();
    }
    rebuildRatedMovies();
    if (m_query->realUser() >= 0) {
        // The real user belonged to the previous dataset.
        m_query->setQuery(m_query->query(), -1);
    }
    refresh();
}

void RecommendController::rebuildRatedMovies() {
    m_rated.reset();
    m_ratedError.clear();
    emit ratedMoviesChanged(nullptr);
    m_ratedPending = m_model && m_dataset;
    if (!m_ratedPending) {
        m_ratedWatcher.setFuture({}); // drop a matching in progress: its inputs changed
        return;
    }
    // Hashing the dataset to compare fingerprints takes a while on a big dataset (about a
    // quarter of a second for MovieLens 1M), so it runs on the thread pool. A new future
    // replaces the watched one, whose result is then never delivered.
    // The ratings by user made on the loading thread save a pass over every rating; a dataset
    // set without them (tests, small datasets) has them made here.
    std::shared_ptr<const RatingsByUser> byUser = m_query->ratingsByUser();
    if (byUser && byUser->userCount() != m_dataset->users.size()) {
        byUser.reset();
    }
    m_ratedWatcher.setFuture(QtConcurrent::run([model = m_model, dataset = m_dataset, byUser] {
        try {
            return RatedResult{byUser
                                   ? std::make_shared<const RatedMovies>(*model, *dataset, *byUser)
                                   : std::make_shared<const RatedMovies>(*model, *dataset),
                               {}};
        } catch (const std::exception& e) {
            return RatedResult{nullptr, QString::fromUtf8(e.what())};
        }
    }));
}

void RecommendController::setK(int k) {
    k = std::clamp(k, 1, m_maxK);
    if (k == m_k) {
        return;
    }
    m_k = k;
    emit settingsChanged();
    refresh();
    remeasure();
}

void RecommendController::setExcludeRated(bool on) {
    if (on == m_excludeRated) {
        return;
    }
    m_excludeRated = on;
    emit settingsChanged();
    refresh();
}

bool RecommendController::canMarkRated() const {
    return realUserIndex() >= 0 && m_rated && m_rated->available();
}

void RecommendController::setCompare(bool on) {
    if (on == m_compare || (on && isExternal())) { // query B is a form's: it needs the towers
        return;
    }
    m_compare = on;
    if (on) {
        m_queryB = m_query->query();
    } else {
        m_explainSide = Side::A;
    }
    emit settingsChanged();
    refresh();
}

void RecommendController::editQueryA(const UserQuery& query) {
    m_query->setQuery(query, m_query->realUser());
}

void RecommendController::useTutorialQuery() {
    m_query->setQuery(tutorialQuery(), -1);
}

void RecommendController::pickUser(int userIndex, std::int64_t timestamp) {
    if (!m_dataset || userIndex < 0 ||
        static_cast<std::size_t>(userIndex) >= m_dataset->users.size()) {
        return;
    }
    const User& user = m_dataset->users[static_cast<std::size_t>(userIndex)];
    UserQuery q = m_query->query();
    // Every user attribute of the feature table (the id included) from the dataset; one it
    // does not know (no demographics, no zip code) keeps the form's value.
    for (const FeatureDescriptor& f : kFeatureTable) {
        if (f.vocabulary == Vocabulary::UserAttribute && f.ofUser != nullptr) {
            if (const RawValue v = f.ofUser(user)) {
                setQueryValue(f, q, v);
            }
        }
    }
    if (timestamp >= 0) {
        q.timestamp = timestamp;
    }
    m_query->setQuery(q, user.id);
}

void RecommendController::clearRealUser() {
    UserQuery q = m_query->query();
    q.userId = -1;
    m_query->setQuery(q, -1);
}

int RecommendController::realUserIndex() const {
    const std::shared_ptr<const UserLookup> lookup = m_query->userLookup();
    return lookup && m_query->realUser() >= 0 ? lookup->indexOf(m_query->realUser()) : -1;
}

void RecommendController::setQueryB(const UserQuery& query) {
    m_queryB = query;
    emit settingsChanged();
    refresh();
}

void RecommendController::copyAToB() {
    setQueryB(m_query->query());
}

void RecommendController::otherGenderToB() {
    UserQuery q = m_query->query();
    q.gender = q.gender == 1 ? 0 : 1;
    setQueryB(q);
}

void RecommendController::chooseMovie(int movie, Side side) {
    m_explainSide = side;
    if (movie == m_query->selectedMovie()) {
        emit selectionChanged(movie); // same movie, maybe the other query
    } else {
        m_query->selectMovie(movie); // comes back as selectionChanged()
    }
}

std::optional<RecommendController::Explanation> RecommendController::explanation() const {
    const int movie = m_query->selectedMovie();
    if (isExternal() || !m_model || movie < 0 ||
        static_cast<std::size_t>(movie) >= m_model->catalogue.size()) {
        return std::nullopt;
    }
    Explanation out;
    out.movie = movie;
    out.side = m_explainSide == Side::B && m_compare ? Side::B : Side::A;
    out.query = out.side == Side::B ? m_queryB : m_query->query();
    out.score = explainScore(*m_model, out.query, movie);
    return out;
}

RowVector RecommendController::queryVector() const {
    if (isExternal()) {
        const auto& q = m_query->externalQuery();
        return q ? q->vector : RowVector();
    }
    return m_model ? queryEmbedding(*m_model, m_query->query()) : RowVector();
}

void RecommendController::refresh() {
    if (const ExternalEmbeddingsPtr external = m_query->external()) {
        QElapsedTimer timer;
        timer.start();
        m_listsApproximate = false;
        const auto& q = m_query->externalQuery();
        // The same top k the map rings and `towerlab-cli explore` prints.
        m_listA->setRows(q ? rowsOf(recommendForVector(external->movies(), q->vector,
                                                       static_cast<std::size_t>(m_k)),
                                    nullptr, nullptr)
                           : std::vector<RecommendationRow>{});
        m_listB->setRows({});
        m_lastUpdateMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        emit resultsChanged();
        return;
    }
    if (!m_model) {
        m_listA->setRows({});
        m_listB->setRows({});
        emit resultsChanged();
        return;
    }
    QElapsedTimer timer;
    timer.start();
    const int user = realUserIndex();
    const UserRatedMovies* rated =
        canMarkRated() ? &m_rated->ofUser(static_cast<std::size_t>(user)) : nullptr;
    const std::span<const std::int32_t> excluded = rated != nullptr && m_excludeRated
                                                       ? std::span<const std::int32_t>(rated->train)
                                                       : std::span<const std::int32_t>();
    const auto k = static_cast<std::size_t>(m_k);
    m_listsApproximate = m_approximate && m_approx->index() != nullptr;
    const std::vector<ScoredMovie> listA = topK(m_query->query(), k, excluded);
    std::vector<ScoredMovie> listB;
    if (m_compare) {
        listB = topK(m_queryB, k, excluded);
    }
    m_listA->setRows(rowsOf(listA, rated, nullptr));
    m_listB->setRows(m_compare ? rowsOf(listB, rated, &listA) : std::vector<RecommendationRow>{});
    m_lastUpdateMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    emit resultsChanged();
    m_lastUpdateMs = static_cast<double>(timer.nsecsElapsed()) / 1e6; // with the redraw
}

std::vector<ScoredMovie> RecommendController::topK(const UserQuery& query, std::size_t k,
                                                   std::span<const std::int32_t> excluded) const {
    if (m_listsApproximate) {
        return m_approx->index()->search(queryEmbedding(*m_model, query), k, effectiveEf(),
                                         excluded);
    }
    return recommend(*m_model, query, k, excluded);
}

void RecommendController::setApproximate(bool on) {
    if (on == m_approximate) {
        return;
    }
    m_approximate = on;
    if (on) {
        m_approx->build();
        remeasure();
    } else {
        m_approx->cancel();
    }
    emit settingsChanged();
    refresh();
    emit approximateChanged();
}

void RecommendController::setEf(int ef) {
    ef = std::max(ef, 1);
    if (ef == m_ef) {
        return;
    }
    m_ef = ef;
    emit settingsChanged();
    if (m_approximate) {
        refresh();
        remeasure();
    }
}

std::size_t RecommendController::effectiveEf() const {
    return static_cast<std::size_t>(std::max(m_ef, m_k));
}

void RecommendController::cancelIndexBuild() {
    m_approx->cancel();
}

void RecommendController::remeasure() {
    if (m_approximate && m_model && !isExternal() && m_approx->index()) {
        m_approx->measure(static_cast<std::size_t>(m_k), effectiveEf(), queryVector());
    }
}

QString RecommendController::approximateText() const {
    if (!m_approximate || !m_model || isExternal()) {
        return {};
    }
    if (m_approx->building()) {
        return tr("Building the HNSW index of %1 movies… %2 %. The lists are exact until it "
                  "is ready.")
            .arg(QLocale().toString(static_cast<qulonglong>(m_model->catalogue.size())))
            .arg(static_cast<int>(m_approx->progress() * 100.0));
    }
    const auto index = m_approx->index();
    if (!index) {
        return m_approx->error().isEmpty()
                   ? tr("The HNSW index was not built (cancelled); the lists are exact. Switch "
                        "approximate search off and on to build it.")
                   : tr("The HNSW index could not be built: %1. The lists are exact.")
                         .arg(m_approx->error().toHtmlEscaped());
    }
    const QLocale locale;
    QString text = tr("HNSW index: %1 movies in %2 length bands, M %3, built in %4 s.")
                       .arg(locale.toString(static_cast<qulonglong>(index->size())))
                       .arg(index->bands())
                       .arg(index->params().m)
                       .arg(locale.toString(index->buildSeconds(), 'f', 2));
    if (static_cast<int>(effectiveEf()) != m_ef) {
        text += tr(" ef %1 is below k, so the search uses ef = k = %2.").arg(m_ef).arg(m_k);
    }
    const auto& m = m_approx->measurement();
    if (m && m->k == static_cast<std::size_t>(m_k) && m->ef == effectiveEf()) {
        // One short line each: a wrapped rich-text label can be laid out a line short.
        text += QStringLiteral("<br>") +
                tr("<b>recall@%1 = %2</b> against brute force over %3")
                    .arg(m->k)
                    .arg(locale.toString(m->recall, 'f', 3))
                    .arg(m_approx->sampleSource()) +
                QStringLiteral("<br>") +
                tr("Per query (median): %1 ms HNSW, %2 ms brute force")
                    .arg(locale.toString(m->hnswP50Ms, 'f', 3))
                    .arg(locale.toString(m->bruteP50Ms, 'f', 3));
    } else {
        text += QStringLiteral("<br>") + tr("Measuring recall and time against brute force…");
    }
    return text;
}

QString RecommendController::modelLine() const {
    if (const ExternalEmbeddingsPtr external = m_query->external()) {
        const auto& q = m_query->externalQuery();
        return tr("Vectors from %1 · %2 movies of %3 dimensions · query: %4")
            .arg(QFileInfo(QString::fromStdString(external->source)).fileName(),
                 QLocale().toString(static_cast<qulonglong>(external->catalogue.size())))
            .arg(external->dimensions())
            .arg(q ? q->label : tr("none yet"));
    }
    if (!m_model) {
        return {};
    }
    const QString epochs =
        m_model->epochsTrained == 1 ? tr("1 epoch") : tr("%1 epochs").arg(m_model->epochsTrained);
    return tr("Model trained %1 on %2 · %3 movies · user features: %4")
        .arg(epochs, QString::fromStdString(m_model->datasetName),
             QLocale().toString(static_cast<qulonglong>(m_model->catalogue.size())),
             QString::fromStdString(m_model->config.features.userFeatureList())
                 .replace(QLatin1Char(','), QStringLiteral(", ")));
}

QString RecommendController::recallText() const {
    if (isExternal()) {
        return tr("No rated movies are marked: that needs a user of the open dataset and the "
                  "train/test split of a TowerLab model.");
    }
    const std::int64_t id = m_query->realUser();
    const int user = realUserIndex();
    if (id < 0 || user < 0) {
        return tr("Tick <b>Real user</b> to mark the movies a user of the dataset rated and to "
                  "see how many of their held-out (test) movies this list finds.");
    }
    if (m_ratedPending) {
        return tr("Matching user %1's ratings to the model's train/test split…").arg(id);
    }
    if (!m_rated || !m_rated->available()) {
        return tr("Cannot mark user %1's movies: %2. Open the dataset the model was trained on "
                  "to see them.")
            .arg(id)
            .arg(m_rated ? QString::fromStdString(m_rated->unavailableReason()).toHtmlEscaped()
                 : !m_ratedError.isEmpty() ? tr("the dataset's ratings cannot be read (%1)")
                                                 .arg(m_ratedError.toHtmlEscaped())
                                           : tr("no model or dataset"));
    }
    const UserRatedMovies& rated = m_rated->ofUser(static_cast<std::size_t>(user));
    auto describe = [&](const RecommendationTableModel* model, const QString& name) {
        int train = 0;
        int test = 0;
        std::vector<ScoredMovie> list;
        for (const RecommendationRow& row : model->rows()) {
            train += row.mark == RatedMark::Train || row.mark == RatedMark::Both ? 1 : 0;
            test += row.mark == RatedMark::Test || row.mark == RatedMark::Both ? 1 : 0;
            list.push_back(row.movie);
        }
        const auto recall = recallOf(list, rated.test);
        const QString recallText = recall ? tr("<b>recall@%1 = %2</b> (%3 of %4 test movies)")
                                                .arg(list.size())
                                                .arg(percent(*recall))
                                                .arg(test)
                                                .arg(rated.test.size())
                                          : tr("no test-split ratings, so no recall");
        return tr("%1%2 ★ test and %3 ✓ training movies listed · %4")
            .arg(name)
            .arg(test)
            .arg(train)
            .arg(recallText);
    };
    QString text = tr("User %1 rated %2 movies: %3 in the model's training split, %4 held out "
                      "for test.")
                       .arg(id)
                       .arg(rated.train.size() + rated.test.size())
                       .arg(rated.train.size())
                       .arg(rated.test.size());
    if (m_excludeRated) {
        text += tr(" Training movies hidden.");
    }
    text += QStringLiteral("<br>") + describe(m_listA, m_compare ? tr("A: ") : QString());
    if (m_compare) {
        text += QStringLiteral("<br>") + describe(m_listB, tr("B: "));
    }
    return text;
}

} // namespace towerlab
