#include "controllers/scores_controller.hpp"

#include "controllers/query_controller.hpp"
#include "io/score_table_csv.hpp"
#include "model/trained_model.hpp"
#include "models/count_text.hpp"
#include "models/nearest_movies_model.hpp"
#include "models/similarity_matrix_model.hpp"
#include "models/title_scores_model.hpp"
#include "retrieval/external_embeddings.hpp"
#include "retrieval/similarity_matrix.hpp"
#include "views/query_text.hpp"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>

#include <algorithm>
#include <exception>

namespace towerlab {

namespace {

QString quoted(const std::string& title) {
    return QStringLiteral("“%1”").arg(QString::fromStdString(title).toHtmlEscaped());
}

QString similarityText(Similarity s) {
    return s == Similarity::Cosine ? ScoresController::tr("cosine similarity")
                                   : ScoresController::tr("dot product");
}

} // namespace

ScoresController::ScoresController(QueryController* query, QObject* parent)
    : QObject(parent), m_query(query), m_scores(new TitleScoresModel(this)),
      m_matrix(new SimilarityMatrixModel(this)),
      m_nearest(new NearestMoviesModel(tr("Double-click to add it to the chosen titles."), this)) {
    connect(m_query, &QueryController::modelChanged, this, &ScoresController::onModelChanged);
    connect(m_query, &QueryController::queryChanged, this, &ScoresController::recompute);
    connect(m_query, &QueryController::externalChanged, this, [this] {
        if (m_query->external() != m_external) {
            const ExternalEmbeddingsPtr e = m_query->external();
            adoptCatalogue(e ? tr("the vectors of %1")
                                   .arg(QFileInfo(QString::fromStdString(e->source)).fileName())
                             : QString());
        }
    });
    connect(m_query, &QueryController::externalQueryChanged, this, &ScoresController::recompute);
    // A movie selected elsewhere, or sent here, joins the chosen titles.
    auto add = [this](int movie) {
        if (movie >= 0) {
            addMovie(movie);
        }
    };
    connect(m_query, &QueryController::movieSelected, this, add);
    connect(m_query, &QueryController::showInScoresRequested, this, add);
    onModelChanged(m_query->model());
}

const QStringList& ScoresController::tutorialTitles() {
    // The three titles the TFRS tutorial scores for its example user (reference model,
    // "The tutorial's steps", step 6); MovieLens 100K has all three.
    static const QStringList titles{QStringLiteral("Red Rock West (1992)"),
                                    QStringLiteral("Palookaville (1996)"),
                                    QStringLiteral("Beautiful Thing (1996)")};
    return titles;
}

void ScoresController::onModelChanged(const TrainedModelPtr& model) {
    m_model = model;
    emit modelChanged(model);
    adoptCatalogue(model ? tr("the model of %1").arg(QString::fromStdString(model->datasetName))
                         : QString());
}

bool ScoresController::isExternal() const {
    return m_external != nullptr;
}

QString ScoresController::derivationOffText() const {
    return tr("No worked-out score for vectors from elsewhere: it follows the query through "
              "the towers, and these vectors came without them. The score is the dot product "
              "of the query vector and the movie vector.");
}

MovieSpace ScoresController::space() const {
    return m_external ? m_external->movies() : movieSpace(*m_model);
}

void ScoresController::adoptCatalogue(const QString& what) {
    m_external = m_query->external();
    if (m_external) {
        m_catalogue = {m_external, &m_external->catalogue};
    } else if (m_model) {
        m_catalogue = {m_model, &m_model->catalogue};
    } else {
        m_catalogue.reset();
    }
    emit catalogueChanged(m_catalogue);
    QStringList missing;
    if (m_catalogue) {
        // Titles, not indices, carry over: a model of another dataset numbers its movies
        // differently, and a title it lacks is reported rather than silently mismatched.
        std::vector<std::string> kept;
        for (const std::string& title : m_chosen) {
            if (findTitle(*m_catalogue, title)) {
                kept.push_back(title);
            } else {
                missing << quoted(title);
            }
        }
        m_chosen = std::move(kept);
    }
    m_focus = -1; // an index into the old catalogue
    recompute();
    setNotice({});
    if (!missing.isEmpty()) {
        setNotice(tr("The new catalogue (%1) lacks %2, so it left the comparison.")
                      .arg(what.toHtmlEscaped(), missing.join(QStringLiteral(", "))),
                  true);
    }
}

std::vector<std::int32_t> ScoresController::chosenMovies() const {
    std::vector<std::int32_t> out;
    if (!m_catalogue) {
        return out;
    }
    for (const std::string& title : m_chosen) {
        if (const auto movie = findTitle(*m_catalogue, title)) {
            out.push_back(*movie);
        }
    }
    return out;
}

bool ScoresController::addMovie(int catalogueIndex) {
    if (!m_catalogue) {
        setNotice(tr("There is no model yet, so there is nothing to score."), true);
        return false;
    }
    if (catalogueIndex < 0 || static_cast<std::size_t>(catalogueIndex) >= m_catalogue->size()) {
        setNotice(tr("Movie number %1 is not in this model's catalogue of %2 movies.")
                      .arg(catalogueIndex)
                      .arg(m_catalogue->size()),
                  true);
        return false;
    }
    const std::string& title = m_catalogue->titles[static_cast<std::size_t>(catalogueIndex)];
    // A catalogue with duplicate titles: the first one stands for all (findTitle's rule).
    const std::int32_t movie = findTitle(*m_catalogue, title).value_or(catalogueIndex);
    if (std::find(m_chosen.begin(), m_chosen.end(), title) != m_chosen.end()) {
        focusMovie(movie);
        return true;
    }
    if (static_cast<int>(m_chosen.size()) >= kMaxTitles) {
        setNotice(tr("At most %1 titles at a time keep the matrix readable: remove one before "
                     "adding %2.")
                      .arg(kMaxTitles)
                      .arg(quoted(title)),
                  true);
        return false;
    }
    m_chosen.push_back(title);
    m_focus = movie;
    recompute();
    setNotice({});
    return true;
}

void ScoresController::addTutorialExample() {
    if (!m_catalogue) {
        setNotice(tr("There is no model yet: train one first."), true);
        return;
    }
    QStringList missing;
    int added = 0;
    for (const QString& title : tutorialTitles()) {
        const std::string wanted = title.toStdString();
        if (const auto movie = findTitle(*m_catalogue, wanted)) {
            if (std::find(m_chosen.begin(), m_chosen.end(), wanted) == m_chosen.end() &&
                static_cast<int>(m_chosen.size()) < kMaxTitles) {
                m_chosen.push_back(wanted);
                ++added;
            }
            continue;
        }
        QString line = quoted(wanted);
        // "Did you mean": a catalogue that spells the title slightly differently.
        const std::string stem = wanted.substr(0, wanted.rfind(" ("));
        const auto close = searchTitles(*m_catalogue, stem, 1);
        if (!close.empty()) {
            line += tr(" (closest: %1)")
                        .arg(quoted(m_catalogue->titles[static_cast<std::size_t>(close[0])]));
        }
        missing << line;
    }
    if (added > 0) {
        m_focus = -1; // the winner's neighbours
    }
    recompute();
    if (missing.isEmpty()) {
        setNotice(tr("The tutorial example: which of these three would the user of the query "
                     "like best? The highlighted row is the model's answer."));
    } else if (missing.size() == tutorialTitles().size()) {
        setNotice(
            tr("The tutorial example uses MovieLens 100K titles, and this model's "
               "catalogue (%1, %2 movies) has none of them: %3. Open MovieLens 100K on the "
               "Data tab and train on it to compare them.")
                .arg(QString::fromStdString(m_external ? m_external->source : m_model->datasetName)
                         .toHtmlEscaped())
                .arg(QLocale().toString(static_cast<qulonglong>(m_catalogue->size())))
                .arg(missing.join(QStringLiteral(", "))),
            true);
    } else {
        setNotice(tr("Not in this model's catalogue: %1. The other tutorial titles were added.")
                      .arg(missing.join(QStringLiteral(", "))),
                  true);
    }
}

void ScoresController::removeMovie(int catalogueIndex) {
    if (!m_catalogue || catalogueIndex < 0 ||
        static_cast<std::size_t>(catalogueIndex) >= m_catalogue->size()) {
        return;
    }
    const std::string& title = m_catalogue->titles[static_cast<std::size_t>(catalogueIndex)];
    const auto it = std::find(m_chosen.begin(), m_chosen.end(), title);
    if (it == m_chosen.end()) {
        return;
    }
    m_chosen.erase(it);
    if (m_focus == catalogueIndex) {
        m_focus = -1;
    }
    recompute();
    setNotice({});
}

void ScoresController::clearTitles() {
    m_chosen.clear();
    m_focus = -1;
    recompute();
    setNotice({});
}

void ScoresController::focusMovie(int catalogueIndex) {
    if (catalogueIndex == m_focus) {
        return;
    }
    m_focus = catalogueIndex;
    emit focusChanged(m_focus);
    refreshNearest();
    emit changed();
}

void ScoresController::setSimilarity(Similarity similarity) {
    if (similarity == m_similarity) {
        return;
    }
    m_similarity = similarity;
    recompute();
}

void ScoresController::recompute() {
    const std::vector<std::int32_t> movies = chosenMovies();
    if (!m_catalogue || movies.empty()) {
        m_scores->clear();
        m_matrix->clear();
        m_focus = -1;
        refreshNearest();
        emit changed();
        return;
    }
    try {
        if (!m_external) {
            m_scores->setScores(m_catalogue, scoreMovies(*m_model, m_query->query(), movies));
        } else if (const auto& q = m_query->externalQuery()) {
            m_scores->setScores(m_catalogue, scoreMoviesForVector(space(), q->vector, movies));
        } else {
            m_scores->clear(); // no query vector yet: the matrix and neighbours still work
        }
        // The matrix in the score table's order (best first), else in the order chosen.
        const std::vector<std::int32_t> order =
            m_scores->rowCount() > 0 ? m_scores->movies() : movies;
        m_matrix->setMatrix(m_catalogue, order, similarityMatrix(space(), order, m_similarity),
                            m_similarity);
    } catch (const std::exception& error) {
        m_scores->clear();
        m_matrix->clear();
        setNotice(tr("Could not score the titles: %1")
                      .arg(QString::fromStdString(error.what()).toHtmlEscaped()),
                  true);
    }
    // Only a movie the user picked is selected: a selected winner row would hide its
    // highlight behind the selection colour. Without a pick the winner's neighbours show.
    if (!isChosen(m_focus)) {
        m_focus = -1;
    }
    emit focusChanged(m_focus);
    refreshNearest();
    emit changed();
}

bool ScoresController::isChosen(std::int32_t movie) const {
    const auto& shown = m_matrix->movies(); // every chosen title, with or without a score
    return movie >= 0 && std::find(shown.begin(), shown.end(), movie) != shown.end();
}

std::int32_t ScoresController::nearestTarget() const {
    if (isChosen(m_focus)) {
        return m_focus;
    }
    if (m_scores->rowCount() > 0) {
        return m_scores->movies().front();
    }
    // Without a query vector there is no winner: the first title chosen stands in.
    return m_matrix->movies().empty() ? -1 : m_matrix->movies().front();
}

void ScoresController::refreshNearest() {
    const std::int32_t target = nearestTarget();
    if (!m_catalogue || target < 0) {
        m_nearest->clear();
        return;
    }
    try {
        m_nearest->setNeighbours(m_catalogue, target,
                                 nearestMovies(space(), target, kNearest, m_similarity),
                                 m_similarity);
    } catch (const std::exception& error) {
        m_nearest->clear();
        setNotice(tr("Could not find the nearest movies: %1")
                      .arg(QString::fromStdString(error.what()).toHtmlEscaped()),
                  true);
    }
}

ScoresController::Page ScoresController::page() const {
    return !m_catalogue ? Page::NoModel : (m_chosen.empty() ? Page::NothingChosen : Page::Tables);
}

QString ScoresController::querySummary() const {
    if (m_external) {
        const auto& q = m_query->externalQuery();
        return q ? tr("Query: %1 (set on the Recommend tab)").arg(q->label)
                 : tr("Query: none — open user vectors or a query vector on the Recommend tab "
                      "to score these titles");
    }
    const UserQuery& q = m_query->query();
    QString origin;
    if (m_query->realUser() >= 0) {
        origin = tr("user %1 of the dataset").arg(m_query->realUser());
    } else {
        const bool isTutorial = q == UserQuery{}; // UserQuery's defaults are the tutorial's
        origin = isTutorial ? tr("the tutorial's example user — set another on the Recommend tab")
                            : tr("set on the Recommend tab");
    }
    return tr("Query: %1 (%2)").arg(queryLine(q), origin);
}

QString ScoresController::modelSummaryHtml() const {
    if (m_external) {
        return tr("<b>Vectors:</b> %1 · %2 movies · %3-dimensional vectors, made elsewhere "
                  "(no towers)")
            .arg(QString::fromStdString(m_external->source).toHtmlEscaped())
            .arg(QLocale().toString(static_cast<qulonglong>(m_external->catalogue.size())))
            .arg(m_external->dimensions());
    }
    if (!m_model) {
        return tr("<b>Model:</b> none yet");
    }
    const QLocale l;
    return tr("<b>Model:</b> %1 on %2 · %3 movies · %4-dimensional vectors")
        .arg(epochsText(m_model->epochsTrained))
        .arg(QString::fromStdString(m_model->datasetName).toHtmlEscaped())
        .arg(l.toString(static_cast<qulonglong>(m_model->catalogue.size())))
        .arg(m_model->candidateEmbeddings.cols());
}

QString ScoresController::scoresCaptionHtml() const {
    if (!m_catalogue) {
        return {};
    }
    if (m_external && !m_query->externalQuery()) {
        return tr("<b>Scores for this query</b> — no query vector yet: open user vectors or a "
                  "query vector on the Recommend tab; the matrix and the nearest movies need "
                  "none");
    }
    return m_scores->rowCount() > 0
               ? tr("<b>Scores for this query</b> — %1 titles, best first; rank among all %2 "
                    "movies")
                     .arg(m_scores->rowCount())
                     .arg(QLocale().toString(static_cast<qulonglong>(m_catalogue->size())))
               : tr("<b>Scores for this query</b> — nothing chosen yet: type a title above or "
                    "click <i>Tutorial example</i>");
}

QString ScoresController::matrixCaptionHtml() const {
    if (!m_catalogue) {
        return {};
    }
    return tr("<b>Movie-to-movie %1</b> — red: alike · blue: opposite")
        .arg(similarityText(m_similarity));
}

QString ScoresController::nearestCaptionHtml() const {
    if (m_nearest->movie() < 0) {
        return tr("<b>Nearest movies</b> — choose a title to see the movies whose vectors lie "
                  "closest to it");
    }
    return tr("<b>Nearest to %1</b> — top %2 by %3")
        .arg(quoted(m_catalogue->titles[static_cast<std::size_t>(m_nearest->movie())]))
        .arg(kNearest)
        .arg(m_similarity == Similarity::Cosine ? tr("cosine") : tr("dot product"));
}

void ScoresController::setNotice(const QString& html, bool warning) {
    m_notice = html;
    m_noticeWarning = warning;
    emit noticeChanged();
}

QString ScoresController::clipboardText() const {
    if (m_scores->rowCount() == 0) {
        return {};
    }
    const std::vector<ScoreTableRow> rows = m_scores->tableRows();
    QString text = querySummary() + QLatin1Char('\n');
    if (m_external) {
        text += tr("Vectors: %1\n").arg(QString::fromStdString(m_external->source));
    } else if (m_model) {
        text += tr("Model: %1 on %2\n")
                    .arg(epochsText(m_model->epochsTrained))
                    .arg(QString::fromStdString(m_model->datasetName));
    }
    text += QLatin1Char('\n') +
            QString::fromStdString(scoreTableCsv(rows, m_scores->catalogueSize(), '\t'));
    const std::vector<std::string> titles = m_matrix->titles();
    text += QLatin1Char('\n') + tr("Movie-to-movie %1\n").arg(similarityText(m_similarity)) +
            QString::fromStdString(similarityMatrixCsv(titles, m_matrix->values(), '\t'));
    return text;
}

bool ScoresController::exportScoresCsv(const QString& path) {
    if (m_scores->rowCount() == 0) {
        setNotice(tr("Nothing to export: choose some titles first."), true);
        return false;
    }
    try {
        writeScoreTableCsv(m_scores->tableRows(), m_scores->catalogueSize(),
                           QFile::encodeName(path).toStdString());
    } catch (const std::exception& error) {
        const QString why = QString::fromStdString(error.what());
        setNotice(tr("Could not export the scores: %1").arg(why.toHtmlEscaped()), true);
        emit failed(tr("Export failed"), why);
        return false;
    }
    setNotice(tr("Saved %1 scores to %2")
                  .arg(m_scores->rowCount())
                  .arg(QDir::toNativeSeparators(path).toHtmlEscaped()));
    emit message(tr("Scores saved to %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool ScoresController::exportMatrixCsv(const QString& path) {
    if (m_matrix->rowCount() == 0) {
        setNotice(tr("Nothing to export: choose some titles first."), true);
        return false;
    }
    try {
        writeSimilarityMatrixCsv(m_matrix->titles(), m_matrix->values(),
                                 QFile::encodeName(path).toStdString());
    } catch (const std::exception& error) {
        const QString why = QString::fromStdString(error.what());
        setNotice(tr("Could not export the matrix: %1").arg(why.toHtmlEscaped()), true);
        emit failed(tr("Export failed"), why);
        return false;
    }
    setNotice(
        tr("Saved the %1 × %1 %2 matrix to %3")
            .arg(m_matrix->rowCount())
            .arg(similarityText(m_similarity), QDir::toNativeSeparators(path).toHtmlEscaped()));
    emit message(tr("Matrix saved to %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

} // namespace towerlab
