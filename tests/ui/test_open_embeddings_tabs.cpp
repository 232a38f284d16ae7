// Vectors from elsewhere in the Recommend and Scores tabs: with movie vectors open (File →
// Open embeddings…), user vectors are read off the GUI thread, a user picked in the searchable
// list gives the top k — equal, movie for movie and score for score, to a top k this test
// computes from the numbers it wrote — and the map rings the same movies; a query vector file
// does the same; the Scores tab scores chosen titles for that vector and shows their cosines.
// What needs the towers (the form, comparison, explanations, the worked-out score, the HNSW
// index, Live mode) is off with a sentence saying why; a bad file's message names the file and
// line and the window keeps working; opening a model brings the form back.
//
// The vectors are multiples of 1/8 in -2..2, so every dot product of 8 of them is exact in
// float: the expected lists need no tolerance, and ties (ranked by catalogue order) are real.

#include "controllers/dataset_controller.hpp"
#include "controllers/embeddings_controller.hpp"
#include "controllers/query_controller.hpp"
#include "controllers/recommend_controller.hpp"
#include "controllers/scores_controller.hpp"
#include "data/dataset.hpp"
#include "main_window.hpp"
#include "models/nearest_movies_model.hpp"
#include "models/recommendation_table_model.hpp"
#include "models/similarity_matrix_model.hpp"
#include "models/title_scores_model.hpp"
#include "retrieval/external_embeddings.hpp"
#include "ui_test_support.hpp"
#include "views/embeddings_view.hpp"
#include "views/external_query_panel.hpp"
#include "views/recommend_view.hpp"
#include "views/scores_view.hpp"
#include "views/title_picker.hpp"
#include "views/user_query_form.hpp"

#include <QAction>
#include <QCheckBox>
#include <QDialog>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <numeric>
#include <vector>

using namespace towerlab;

namespace {

constexpr int kMovies = 120;
constexpr int kUsers = 30;
constexpr int kDims = 8;

using Vectors = std::vector<std::vector<float>>;

// Multiples of 1/8 in -2..2.
Vectors randomVectors(int rows, QRandomGenerator& random) {
    Vectors out(static_cast<std::size_t>(rows), std::vector<float>(kDims));
    for (auto& row : out) {
        for (float& v : row) {
            v = static_cast<float>(random.bounded(-16, 17)) / 8.0f;
        }
    }
    return out;
}

QByteArray tsv(const Vectors& vectors) {
    QByteArray text;
    for (const auto& row : vectors) {
        for (std::size_t d = 0; d < row.size(); ++d) {
            text += (d == 0 ? "" : "\t") + QByteArray::number(row[d], 'g', 9);
        }
        text += '\n';
    }
    return text;
}

bool write(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

float dot(const std::vector<float>& a, const std::vector<float>& b) {
    float sum = 0.0f;
    for (std::size_t i = 0; i < a.size(); ++i) {
        sum += a[i] * b[i];
    }
    return sum;
}

struct Expected {
    int movie;
    float score;
};

// The k best movies for q, best first, ties in catalogue order: what the list must show.
std::vector<Expected> expectedTop(const Vectors& movies, const std::vector<float>& q, int k) {
    std::vector<Expected> all;
    for (int m = 0; m < static_cast<int>(movies.size()); ++m) {
        all.push_back({m, dot(movies[static_cast<std::size_t>(m)], q)});
    }
    std::stable_sort(all.begin(), all.end(),
                     [](const Expected& a, const Expected& b) { return a.score > b.score; });
    all.resize(static_cast<std::size_t>(std::min<int>(k, static_cast<int>(all.size()))));
    return all;
}

QString title(int movie) {
    return QStringLiteral("Film %1 (%2)").arg(movie).arg(1950 + movie % 50);
}

} // namespace

class TestOpenEmbeddingsTabs : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    QTemporaryDir m_files;
    std::unique_ptr<MainWindow> m_window;
    Vectors m_movies;
    Vectors m_users;

    QString file(const QString& name) const { return m_files.filePath(name); }
    QueryController* query() const { return m_window->query(); }
    RecommendView* recommend() const { return m_window->recommendView(); }
    ExternalQueryPanel* panel() const { return recommend()->externalPanel(); }

    bool openMovies() {
        QSignalSpy shown(m_window->embeddingsView(), &EmbeddingsView::projectionShown);
        if (!m_window->openEmbeddings(file("movies.tsv"), file("movies_labels.tsv"))) {
            return false;
        }
        return shown.wait(20000) && query()->external() != nullptr;
    }

    bool openUsers() {
        if (!m_window->openUserVectors(file("users.tsv"), file("users_metadata.tsv"))) {
            return false;
        }
        QElapsedTimer timer;
        timer.start();
        while (query()->externalUsers() == nullptr && timer.elapsed() < 20000) {
            QTest::qWait(20);
        }
        return query()->externalUsers() != nullptr;
    }

    // The rows of Recommend's list A as (movie, score).
    std::vector<Expected> listA() const {
        std::vector<Expected> out;
        for (const RecommendationRow& row : recommend()->listA()->rows()) {
            out.push_back({row.movie.movie, row.movie.score});
        }
        return out;
    }

    static bool same(const std::vector<Expected>& a, const std::vector<Expected>& b) {
        return a.size() == b.size() &&
               std::equal(a.begin(), a.end(), b.begin(),
                          [](auto x, auto y) { return x.movie == y.movie && x.score == y.score; });
    }

    // Clicks the n-th user of the filtered list, as the user does.
    void clickUser(int n) {
        auto* list = panel()->findChild<QListView*>(QStringLiteral("externalUserList"));
        QVERIFY(list != nullptr && list->isVisible());
        const QModelIndex index = list->model()->index(n, 0);
        QVERIFY(index.isValid());
        list->scrollTo(index);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(index).center());
    }

    QString errorAfter(const std::function<bool()>& open) {
        QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
        if (!open()) {
            return QStringLiteral("(not started)");
        }
        if (!errors.wait(10000)) {
            return QStringLiteral("(no error)");
        }
        if (auto* box = m_window->findChild<QMessageBox*>(QStringLiteral("errorBox"))) {
            box->close();
        }
        return errors.at(0).at(1).toString();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        QVERIFY(m_files.isValid());
        test::isolateSettings(m_settings);
        QRandomGenerator random(20261204);
        m_movies = randomVectors(kMovies, random);
        m_users = randomVectors(kUsers, random);
        QByteArray labels("title\tgenres\n");
        for (int m = 0; m < kMovies; ++m) {
            labels += title(m).toUtf8() + (m % 2 == 0 ? "\tDrama\n" : "\tComedy|Romance\n");
        }
        QByteArray users("user_id\tcountry\n");
        for (int u = 0; u < kUsers; ++u) {
            users += "u" + QByteArray::number(u + 1) + "\tNZ\n";
        }
        QVERIFY(write(file("movies.tsv"), tsv(m_movies)));
        QVERIFY(write(file("movies_labels.tsv"), labels));
        QVERIFY(write(file("users.tsv"), tsv(m_users)));
        QVERIFY(write(file("users_metadata.tsv"), users));
        QVERIFY(write(file("q.tsv"), tsv({m_users[3]})));
        QVERIFY(write(file("q_two_rows.tsv"), tsv({m_users[3], m_users[4]})));
        QVERIFY(write(file("users3.tsv"), "1\t2\t3\n4\t5\t6\n"));
        QVERIFY(write(file("ragged.tsv"), "1\t2\t3\t4\t5\t6\t7\t8\n1\t2\n"));
    }

    void init() {
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1400, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->datasets()->dataset() != nullptr, 10000);
    }

    void cleanup() { m_window.reset(); }

    void aPickedUsersTopKIsTheirDotProducts() {
        QVERIFY(openMovies());
        // Before any query: the list is empty and says what to open.
        QVERIFY(recommend()->listA()->rows().empty());
        QVERIFY(openUsers());
        QCOMPARE(m_window->tabs()->currentIndex(), int(MainWindow::RecommendTab));
        QVERIFY(panel()->isVisible());
        // The first user becomes the query at once.
        QVERIFY(query()->externalQuery().has_value());
        QCOMPARE(query()->externalQuery()->userRow, 0);
        QVERIFY(same(listA(), expectedTop(m_movies, m_users[0], RecommendController::kDefaultK)));

        // Search the users by label and click one: "u1" keeps u1 and u10..u19.
        auto* filter = panel()->findChild<QLineEdit*>(QStringLiteral("externalUserFilter"));
        filter->setFocus();
        QTest::keyClicks(filter, "u1");
        QCOMPARE(panel()->visibleUsers().size(), 11);
        QCOMPARE(panel()->visibleUsers().at(2), 10); // u11
        clickUser(2);
        QTRY_VERIFY(query()->externalQuery() && query()->externalQuery()->userRow == 10);
        QVERIFY2(
            query()->externalQuery()->label.contains(QStringLiteral("u11 (row 11 of users.tsv)")),
            qPrintable(query()->externalQuery()->label));
        QVERIFY(same(listA(), expectedTop(m_movies, m_users[10], RecommendController::kDefaultK)));
        // Titles, genres and years of the rows are the labels' and the metadata's.
        const RecommendationTableModel* list = recommend()->listA();
        const int first = listA().front().movie;
        QCOMPARE(list->index(0, RecommendationTableModel::Title).data().toString(), title(first));
        QVERIFY(!list->index(0, RecommendationTableModel::Genres).data().toString().isEmpty());

        // k through its spin box.
        auto* k = panel()->findChild<QSpinBox*>(QStringLiteral("externalTopK"));
        QCOMPARE(k->maximum(), kMovies);
        k->setValue(7);
        QVERIFY(same(listA(), expectedTop(m_movies, m_users[10], 7)));

        // The map rings the same user's top 50.
        const auto place = m_window->embeddingsView()->controller()->queryPlacement();
        const auto top50 = expectedTop(m_movies, m_users[10], EmbeddingsController::kRecommended);
        QCOMPARE(place.recommended.size(), top50.size());
        for (std::size_t i = 0; i < top50.size(); ++i) {
            QCOMPARE(place.recommended[i], top50[i].movie);
        }
        // The star: the vector through the map's PCA, projected when the map is shown again.
        m_window->tabs()->setCurrentIndex(MainWindow::EmbeddingsTab);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_window->embeddingsView()->controller()->queryPlacement().marker.has_value(), 20000);

        // One selection for the map and the other tabs: a click on the map selects the movie
        // everywhere (the Scores tab takes it up), a movie chosen in the list is the map's.
        EmbeddingsController* map = m_window->embeddingsView()->controller();
        map->clickPoint(top50[1].movie);
        QCOMPARE(query()->selectedMovie(), top50[1].movie);
        QCOMPARE(m_window->scoresView()->controller()->chosenTitles().back(),
                 title(top50[1].movie).toStdString());
        recommend()->controller()->chooseMovie(top50[2].movie, RecommendController::Side::A);
        QCOMPARE(map->selectedPoint(), top50[2].movie);
        QCOMPARE(map->neighbours().size(), std::size_t(EmbeddingsController::kNeighbours));
    }

    void aQueryVectorFileIsAQueryToo() {
        QVERIFY(openMovies());
        QVERIFY(m_window->openQueryVector(file("q.tsv")));
        QTRY_VERIFY_WITH_TIMEOUT(query()->externalQuery().has_value(), 20000);
        QCOMPARE(query()->externalQuery()->label, QStringLiteral("the query vector of q.tsv"));
        QCOMPARE(query()->externalQuery()->userRow, -1);
        QVERIFY(same(listA(), expectedTop(m_movies, m_users[3], RecommendController::kDefaultK)));
        // The vector itself is shown as a TowerLab model's query vector is.
        QCOMPARE(recommend()->controller()->queryVector().size(), kDims);
    }

    void theScoresTabScoresChosenTitlesForTheVector() {
        QVERIFY(openMovies());
        m_window->tabs()->setCurrentIndex(MainWindow::ScoresTab);
        ScoresView* scores = m_window->scoresView();
        QLineEdit* edit = scores->picker()->lineEdit();
        QVERIFY(edit->isEnabled());
        for (const char* typed : {"film 17 (", "film 42 (", "film 99 ("}) {
            edit->setFocus();
            QTest::keyClicks(edit, typed);
            QTest::mouseClick(scores->picker()->addButton(), Qt::LeftButton);
        }
        ScoresController* c = scores->controller();
        QCOMPARE(c->chosenTitles().size(), std::size_t(3));
        // No query vector yet: no scores, but the cosines and the neighbours are there.
        QCOMPARE(c->scores()->rowCount(), 0);
        QVERIFY2(c->scoresCaptionHtml().contains("no query vector yet"),
                 qPrintable(c->scoresCaptionHtml()));
        const SimilarityMatrixModel* matrix = c->matrix();
        QCOMPARE(matrix->rowCount(), 3);
        auto cosine = [this](int a, int b) {
            const auto& x = m_movies[static_cast<std::size_t>(a)];
            const auto& y = m_movies[static_cast<std::size_t>(b)];
            return dot(x, y) / std::sqrt(dot(x, x) * dot(y, y));
        };
        const auto& order = matrix->movies();
        QCOMPARE(order, (std::vector<std::int32_t>{17, 42, 99}));
        QVERIFY(std::abs(matrix->values()(0, 1) - cosine(17, 42)) < 1e-5f);
        QVERIFY(std::abs(matrix->values()(2, 0) - cosine(99, 17)) < 1e-5f);
        QVERIFY(c->nearest()->rowCount() > 0);

        // With a user picked, each title's score is its dot product and its rank counts the
        // movies scoring strictly higher.
        QVERIFY(openUsers());
        const auto picked = query()->externalQuery()->userRow;
        const auto& u = m_users[static_cast<std::size_t>(picked)];
        QTRY_COMPARE(c->scores()->rowCount(), 3);
        for (int row = 0; row < 3; ++row) {
            const TitleScoresModel* m = c->scores();
            const int movie =
                m->index(row, 0).data(static_cast<int>(TitleScoresModel::Role::Movie)).toInt();
            const float score = m->index(row, TitleScoresModel::Score)
                                    .data(static_cast<int>(TitleScoresModel::Role::Value))
                                    .toFloat();
            const int rank = m->index(row, TitleScoresModel::Rank)
                                 .data(static_cast<int>(TitleScoresModel::Role::Value))
                                 .toInt();
            const float expected = dot(m_movies[static_cast<std::size_t>(movie)], u);
            QCOMPARE(score, expected);
            int higher = 0;
            for (const auto& v : m_movies) {
                higher += dot(v, u) > expected ? 1 : 0;
            }
            QCOMPARE(rank, higher + 1);
        }
        QVERIFY2(c->querySummary().contains("u1 (row 1 of users.tsv)"),
                 qPrintable(c->querySummary()));
    }

    void whatNeedsTheTowersSaysWhyItIsOff() {
        QVERIFY(openMovies());
        QVERIFY(openUsers());
        // The form gives way to the external query panel, which says why.
        QVERIFY(!recommend()->formA()->isVisible());
        const QString note =
            panel()->findChild<QLabel*>(QStringLiteral("externalQueryNote"))->text();
        QVERIFY2(note.contains("TowerLab has no towers for them") && note.contains("query form") &&
                     note.contains("movies.tsv"),
                 qPrintable(note));
        QVERIFY2(recommend()->explanationHintText().contains("No explanation") &&
                     recommend()->explanationHintText().contains("without towers"),
                 qPrintable(recommend()->explanationHintText()));
        auto* approximate = recommend()->findChild<QCheckBox*>(QStringLiteral("approximateSearch"));
        QVERIFY(!approximate->isEnabled());
        QVERIFY2(approximate->toolTip().contains("HNSW index is built from a TowerLab model"),
                 qPrintable(approximate->toolTip()));
        // The list says what it is: no training split, so nothing seen and nothing marked.
        QTRY_VERIFY(recommend()->listA()->rowCount() > 0);
        const QString rowTip = recommend()
                                   ->listA()
                                   ->index(0, RecommendationTableModel::Title)
                                   .data(Qt::ToolTipRole)
                                   .toString();
        QVERIFY2(!rowTip.contains("training split") &&
                     rowTip.contains("Dot product with the query vector") &&
                     rowTip.contains("matched no movie of the open dataset"),
                 qPrintable(rowTip));
        const QString listTip =
            recommend()->findChild<QTableView*>(QStringLiteral("recommendTableA"))->toolTip();
        QVERIFY2(listTip.contains("dot product with the query vector") &&
                     listTip.contains("no training split") && !listTip.contains("the model scores"),
                 qPrintable(listTip));
        recommend()->controller()->setCompare(true);
        QVERIFY(!recommend()->controller()->compare());
        QVERIFY(!recommend()->controller()->explanation().has_value());
        QVERIFY(!m_window->embeddingsView()->controller()->canGoLive());

        // The Scores tab's worked-out score (a double-click) says why instead of opening.
        m_window->tabs()->setCurrentIndex(MainWindow::ScoresTab);
        ScoresView* scores = m_window->scoresView();
        scores->controller()->addMovie(5);
        QTRY_COMPARE(scores->controller()->scores()->rowCount(), 1);
        QTableView* table = scores->scoreTable();
        QTRY_VERIFY(table->isVisible());
        const QRect cell = table->visualRect(table->model()->index(0, TitleScoresModel::Title));
        // An item view opens on a double click only over the index the press was on.
        QTest::mousePress(table->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseRelease(table->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
        QVERIFY2(scores->noticeText().contains("No worked-out score for vectors from elsewhere"),
                 qPrintable(scores->noticeText()));
        QVERIFY(m_window->findChild<QDialog*>(QStringLiteral("scoreDerivation")) == nullptr);
    }

    void badFilesSayWhereAndTheWindowKeepsWorking() {
        QVERIFY(openMovies());
        QVERIFY(openUsers());
        const auto users = query()->externalUsers();
        const QString dims =
            errorAfter([this] { return m_window->openUserVectors(file("users3.tsv"), QString()); });
        QVERIFY2(dims.contains("users3.tsv: its vectors have 3 dimensions, the movie vectors"),
                 qPrintable(dims));
        const QString ragged =
            errorAfter([this] { return m_window->openUserVectors(file("ragged.tsv"), QString()); });
        QVERIFY2(ragged.contains("ragged.tsv, line 2: has 2 values, but line 1 has 8"),
                 qPrintable(ragged));
        const QString labels = errorAfter([this] {
            return m_window->openUserVectors(file("users.tsv"), file("movies_labels.tsv"));
        });
        QVERIFY2(labels.contains("movies_labels.tsv: 120 label rows") &&
                     labels.contains("users.tsv has 30 vectors"),
                 qPrintable(labels));
        const QString two =
            errorAfter([this] { return m_window->openQueryVector(file("q_two_rows.tsv")); });
        QVERIFY2(two.contains("q_two_rows.tsv: has 2 vectors; a query file holds exactly one"),
                 qPrintable(two));
        // Nothing was replaced, and a good file still opens.
        QCOMPARE(query()->externalUsers(), users);
        QVERIFY(m_window->openQueryVector(file("q.tsv")));
        QTRY_VERIFY_WITH_TIMEOUT(
            query()->externalQuery() && query()->externalQuery()->userRow == -1, 20000);
    }

    void withoutMovieVectorsThereIsNothingToAsk() {
        QVERIFY(!m_window->openUserVectors(file("users.tsv"), file("users_metadata.tsv")));
        QVERIFY(!m_window->openQueryVector(file("q.tsv")));
        QVERIFY(!m_window->findChild<QAction*>(QStringLiteral("openUserVectors"))->isEnabled());
    }

    void aModelBringsTheFormBack() {
        QVERIFY(openMovies());
        QVERIFY(openUsers());
        QVERIFY(m_window->findChild<QAction*>(QStringLiteral("openUserVectors"))->isEnabled());
        m_window->openModel(QStringLiteral(TOWERLAB_FIXTURES "/models/") +
                            QDir(QStringLiteral(TOWERLAB_FIXTURES "/models"))
                                .entryList({QStringLiteral("*.tlm")})
                                .value(0));
        QTRY_VERIFY_WITH_TIMEOUT(query()->external() == nullptr && query()->model() != nullptr,
                                 20000);
        QVERIFY(!query()->externalQuery().has_value());
        m_window->tabs()->setCurrentIndex(MainWindow::RecommendTab);
        QTRY_VERIFY(recommend()->formA()->isVisible());
        QVERIFY(!panel()->isVisible());
        QVERIFY(
            recommend()->findChild<QCheckBox*>(QStringLiteral("approximateSearch"))->isEnabled());
        QVERIFY(recommend()->explanationHintText().startsWith("Click a movie"));
        QVERIFY(!recommend()->listA()->rows().empty()); // the model's own list
        QVERIFY(recommend()
                    ->findChild<QTableView*>(QStringLiteral("recommendTableA"))
                    ->toolTip()
                    .contains("the model scores highest"));
        QVERIFY(recommend()
                    ->listA()
                    ->index(0, RecommendationTableModel::Title)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains("in the model's training split"));
        QVERIFY(!m_window->findChild<QAction*>(QStringLiteral("openUserVectors"))->isEnabled());
        QVERIFY(m_window->scoresView()->controller()->catalogue().get() ==
                &query()->model()->catalogue);
    }

    // By hand, for the README: TOWERLAB_OPEN_EMBEDDINGS names a vectors.tsv with users.tsv and
    // users_metadata.tsv beside it (e.g. `towerlab-cli embed` exports), TOWERLAB_ML100K the
    // data; with TOWERLAB_SCREENSHOT_DIR set the Recommend and Scores tabs are saved there.
    void screenshotsByHand() {
        const QString vectors = qEnvironmentVariable("TOWERLAB_OPEN_EMBEDDINGS");
        const QString data = qEnvironmentVariable("TOWERLAB_ML100K");
        const QString dir = qEnvironmentVariable("TOWERLAB_SCREENSHOT_DIR");
        if (vectors.isEmpty() || data.isEmpty() || dir.isEmpty()) {
            QSKIP("set TOWERLAB_OPEN_EMBEDDINGS (a vectors.tsv with users.tsv and "
                  "users_metadata.tsv beside it), TOWERLAB_ML100K and TOWERLAB_SCREENSHOT_DIR to "
                  "run this by hand");
        }
        m_window->resize(1600, 1000);
        m_window->openDataset(data);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->datasets()->dataset() != nullptr &&
                                     m_window->datasets()->dataset()->movies.size() > 1000,
                                 20000);
        QSignalSpy shown(m_window->embeddingsView(), &EmbeddingsView::projectionShown);
        QVERIFY(m_window->openEmbeddings(vectors));
        QVERIFY(shown.wait(60000));
        const QString folder = QFileInfo(vectors).dir().path();
        QVERIFY(m_window->openUserVectors(folder + "/users.tsv", folder + "/users_metadata.tsv"));
        QTRY_VERIFY_WITH_TIMEOUT(query()->externalUsers() != nullptr, 20000);
        auto* filter = panel()->findChild<QLineEdit*>(QStringLiteral("externalUserFilter"));
        QTest::keyClicks(filter, "42");
        clickUser(0);
        QTRY_VERIFY(query()->externalQuery() && query()->externalQuery()->userRow >= 0);
        QTest::qWait(300);
        QVERIFY(m_window->grab().save(QDir(dir).filePath("open-embeddings-recommend.png")));
        m_window->tabs()->setCurrentIndex(MainWindow::ScoresTab);
        ScoresView* scores = m_window->scoresView();
        for (const char* typed : {"star wars (1977)", "return of the jedi", "fargo (1996)"}) {
            scores->picker()->lineEdit()->setFocus();
            QTest::keyClicks(scores->picker()->lineEdit(), typed);
            QTest::mouseClick(scores->picker()->addButton(), Qt::LeftButton);
        }
        QTest::qWait(300);
        QVERIFY(m_window->grab().save(QDir(dir).filePath("open-embeddings-scores.png")));
    }
};

QTEST_MAIN(TestOpenEmbeddingsTabs)
#include "test_open_embeddings_tabs.moc"
