#include "controllers/recommend_controller.hpp"

#include "controllers/query_controller.hpp"
#include "data/dataset.hpp"
#include "model/trained_model.hpp"
#include "models/recommendation_table_model.hpp"
#include "retrieval/rated_movies.hpp"
#include "retrieval/retrieval.hpp"

#include <QElapsedTimer>
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
      m_listB(new RecommendationTableModel(this)) {
    connect(m_query, &QueryController::modelChanged, this, &RecommendController::onModelChanged);
    connect(m_query, &QueryController::datasetChanged, this,
            &RecommendController::onDatasetChanged);
    connect(m_query, &QueryController::queryChanged, this, &RecommendController::refresh);
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
    m_listA->setModel(model);
    m_listB->setModel(model);
    if (model) {
        const int wasMax = m_maxK;
        m_maxK = std::max(1, static_cast<int>(model->catalogue.size()));
        if (m_k == wasMax && wasMax < kDefaultK) {
            m_k = std::min(kDefaultK, m_maxK);
        }
        m_k = std::min(m_k, m_maxK);
    }
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

void RecommendController::onDatasetChanged() {
    m_dataset = m_query->dataset();
    m_userIndexOfId.clear();
    if (m_dataset) {
        for (std::size_t i = 0; i < m_dataset->users.size(); ++i) {
            m_userIndexOfId.insert(m_dataset->users[i].id, static_cast<int>(i));
        }
    }
    emit datasetChanged(m_dataset);
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
    m_ratedWatcher.setFuture(QtConcurrent::run([model = m_model, dataset = m_dataset] {
        try {
            return RatedResult{std::make_shared<const RatedMovies>(*model, *dataset), {}};
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
    if (on == m_compare) {
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
    return m_query->realUser() >= 0 ? m_userIndexOfId.value(m_query->realUser(), -1) : -1;
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
    if (!m_model || movie < 0 || static_cast<std::size_t>(movie) >= m_model->catalogue.size()) {
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
    return m_model ? queryEmbedding(*m_model, m_query->query()) : RowVector();
}

void RecommendController::refresh() {
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
    const std::vector<ScoredMovie> listA = recommend(*m_model, m_query->query(), k, excluded);
    std::vector<ScoredMovie> listB;
    if (m_compare) {
        listB = recommend(*m_model, m_queryB, k, excluded);
    }
    m_listA->setRows(rowsOf(listA, rated, nullptr));
    m_listB->setRows(m_compare ? rowsOf(listB, rated, &listA) : std::vector<RecommendationRow>{});
    m_lastUpdateMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    emit resultsChanged();
    m_lastUpdateMs = static_cast<double>(timer.nsecsElapsed()) / 1e6; // with the redraw
}

QString RecommendController::modelLine() const {
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
