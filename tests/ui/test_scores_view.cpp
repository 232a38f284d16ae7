// The Scores tab against the core it calls: the picker finds titles with and without accents,
// the score table equals scoreMovies() (scores and ranks, sorted, winner highlighted), the
// matrix equals similarityMatrix() and the plain dot products / cosines, the nearest list
// equals nearestMovies(), CSV exports read back exactly, and without a model the tab says
// so. Every item model runs under QAbstractItemModelTester.

#include "controllers/model_controller.hpp"
#include "controllers/query_controller.hpp"
#include "data/csv_line.hpp"
#include "data/demo_dataset.hpp"
#include "main_window.hpp"
#include "model/trained_model.hpp"
#include "models/nearest_movies_model.hpp"
#include "models/similarity_matrix_model.hpp"
#include "models/title_scores_model.hpp"
#include "models/title_search_model.hpp"
#include "retrieval/retrieval.hpp"
#include "retrieval/similarity_matrix.hpp"
#include "train/trainer.hpp"
#include "ui_test_support.hpp"
#include "views/scores_view.hpp"
#include "views/title_picker.hpp"

#include <QAbstractItemModelTester>
#include <QAbstractItemView>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QCompleter>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace towerlab;

namespace {

const std::string kMiserables = "Mis\xC3\xA9rables, Les (1995)";

// The demo dataset with five titles renamed: an accented one, the tutorial's three and one with
// an article after a comma, so
// every feature of the view can be checked without MovieLens (which is not in the repo).
TrainedModelPtr tutorialModel() {
    static const TrainedModelPtr model = [] {
        Dataset d = makeDemoDataset();
        d.name = "Demo with tutorial titles";
        d.movies[10].title = kMiserables;
        d.movies[20].title = "Red Rock West (1992)";
        d.movies[30].title = "Palookaville (1996)";
        d.movies[40].title = "Beautiful Thing (1996)";
        d.movies[50].title = "Lion King, The (1994)"; // not the tutorial's: for search by words
        TrainConfig t;
        t.epochs = 2;
        t.batchSize = 256;
        Trainer trainer(d, ModelConfig{}, t);
        ProgressSink sink;
        std::atomic<bool> cancel{false};
        return TrainedModelPtr(trainer.fit(sink, cancel).model);
    }();
    return model;
}

// The plain demo dataset, as the application ships it (for the screenshot).
TrainedModelPtr demoModel() {
    static const TrainedModelPtr model = [] {
        TrainConfig t;
        t.epochs = 3;
        t.batchSize = 256;
        Trainer trainer(makeDemoDataset(), ModelConfig{}, t);
        ProgressSink sink;
        std::atomic<bool> cancel{false};
        return TrainedModelPtr(trainer.fit(sink, cancel).model);
    }();
    return model;
}

// The same vectors under other titles: a "different dataset" without some titles.
TrainedModelPtr renamed(const std::vector<std::pair<int, std::string>>& titles) {
    auto copy = std::make_shared<TrainedModel>(*tutorialModel());
    copy->datasetName = "Other data";
    for (const auto& [movie, title] : titles) {
        copy->catalogue.titles[static_cast<std::size_t>(movie)] = title;
    }
    return copy;
}

std::vector<std::vector<std::string>> readCsv(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        qFatal("cannot read %s", qPrintable(path));
    }
    std::vector<std::vector<std::string>> rows;
    for (const QByteArray& line : file.readAll().split('\n')) {
        if (line.isEmpty()) {
            continue;
        }
        std::vector<std::string> fields;
        const std::string error = splitCsvLine(line.toStdString(), fields);
        if (!error.empty()) {
            qFatal("bad CSV line: %s", error.c_str());
        }
        rows.push_back(fields);
    }
    return rows;
}

// Types text as key presses. QTest::keyClicks only knows ASCII keys, so other characters go
// as key events carrying their text, as a keyboard layout with that letter sends them.
void typeText(QWidget* widget, const QString& text) {
    for (const QChar c : text) {
        if (c.unicode() < 0x80) {
            QTest::keyClick(widget, c.toLatin1());
            continue;
        }
        QKeyEvent press(QEvent::KeyPress, Qt::Key_unknown, Qt::NoModifier, QString(c));
        QApplication::sendEvent(widget, &press);
        QKeyEvent release(QEvent::KeyRelease, Qt::Key_unknown, Qt::NoModifier, QString(c));
        QApplication::sendEvent(widget, &release);
    }
}

// WCAG contrast ratio of two colours (1..21).
double contrast(const QColor& a, const QColor& b) {
    auto luminance = [](const QColor& c) {
        auto linear = [](int v) {
            const double x = v / 255.0;
            return x <= 0.04045 ? x / 12.92 : std::pow((x + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * linear(c.red()) + 0.7152 * linear(c.green()) + 0.0722 * linear(c.blue());
    };
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace

class TestScoresView : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    std::unique_ptr<QueryController> m_query;
    std::unique_ptr<ScoresView> m_view;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;

    void attachTesters() {
        m_testers.clear();
        for (QAbstractItemModel* model : std::initializer_list<QAbstractItemModel*>{
                 m_view->scoresModel(), m_view->matrixModel(), m_view->nearestModel(),
                 m_view->picker()->searchModel()}) {
            m_testers.push_back(std::make_unique<QAbstractItemModelTester>(
                model, QAbstractItemModelTester::FailureReportingMode::QtTest));
        }
    }

    int movieOf(const std::string& title) const {
        const auto movie = findTitle(*m_query->model(), title);
        if (!movie) {
            qFatal("no movie %s", title.c_str());
        }
        return *movie;
    }

    // Scores of the table rows, as the view shows them (Value role).
    std::vector<ScoredMovie> tableScores() const {
        std::vector<ScoredMovie> out;
        const TitleScoresModel* m = m_view->scoresModel();
        for (int row = 0; row < m->rowCount(); ++row) {
            const auto movie =
                m->index(row, 0).data(static_cast<int>(TitleScoresModel::Role::Movie)).toInt();
            const float score = m->index(row, TitleScoresModel::Score)
                                    .data(static_cast<int>(TitleScoresModel::Role::Value))
                                    .toFloat();
            const int rank = m->index(row, TitleScoresModel::Rank)
                                 .data(static_cast<int>(TitleScoresModel::Role::Value))
                                 .toInt();
            out.push_back({movie, score, rank});
        }
        return out;
    }

    void checkTableEqualsCore() {
        const auto model = m_query->model();
        const std::vector<ScoredMovie> shown = tableScores();
        std::vector<std::int32_t> movies;
        for (const ScoredMovie& s : shown) {
            movies.push_back(s.movie);
        }
        const auto core = scoreMovies(*model, m_query->query(), movies);
        const Eigen::VectorXf all = scoreAll(*model, queryEmbedding(*model, m_query->query()));
        QCOMPARE(core.size(), shown.size());
        for (std::size_t i = 0; i < shown.size(); ++i) {
            QCOMPARE(shown[i].score, core[i].score); // exactly, not approximately
            QCOMPARE(shown[i].rank, core[i].rank);
            // And the rank means what it says: 1 + movies scoring strictly higher.
            QCOMPARE(shown[i].rank, 1 + static_cast<int>((all.array() > shown[i].score).count()));
            if (i > 0) {
                QVERIFY(shown[i - 1].score >= shown[i].score);
            }
        }
        const TitleScoresModel* m = m_view->scoresModel();
        for (int row = 0; row < m->rowCount(); ++row) {
            const bool winner =
                m->index(row, 0).data(static_cast<int>(TitleScoresModel::Role::Winner)).toBool();
            QCOMPARE(winner, row == 0);
            for (int column = 0; column < m->columnCount(); ++column) {
                const QVariant background = m->index(row, column).data(Qt::BackgroundRole);
                QCOMPARE(background.isValid(), row == 0);
                QCOMPARE(m->index(row, column).data(Qt::FontRole).value<QFont>().bold(), row == 0);
            }
        }
        if (m->rowCount() > 0) {
            QCOMPARE(m->index(0, 1).data(Qt::BackgroundRole).value<QColor>(),
                     TitleScoresModel::winnerBackground());
            QVERIFY(contrast(TitleScoresModel::winnerBackground(),
                             TitleScoresModel::winnerForeground()) >= 7.0);
            QVERIFY(m->index(0, TitleScoresModel::Position).data().toString().contains("★"));
        }
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        test::isolateSettings(m_settings);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(tutorialModel() != nullptr);
        qDebug("test model trained in %lld ms", static_cast<long long>(clock.elapsed()));
    }

    void init() {
        m_query = std::make_unique<QueryController>();
        m_view = std::make_unique<ScoresView>(m_query.get());
        attachTesters();
        m_view->resize(1280, 720);
    }

    void cleanup() {
        m_testers.clear();
        m_view.reset();
        m_query.reset();
    }

    void noModelShowsAClearEmptyState() {
        QVERIFY(m_view->showsEmptyState());
        auto* empty = m_view->findChild<QLabel*>("scoresEmptyState");
        QVERIFY(empty != nullptr);
        QVERIFY(empty->text().contains("No model yet"));
        QVERIFY(empty->text().contains("Train"));
        QVERIFY(!m_view->picker()->lineEdit()->isEnabled());
        QVERIFY(!m_view->findChild<QPushButton*>("tutorialExampleButton")->isEnabled());
        QVERIFY(!m_view->findChild<QPushButton*>("copyScoresButton")->isEnabled());
        QVERIFY(!m_view->findChild<QToolButton*>("exportScoresButton")->isEnabled());
        QCOMPARE(m_view->scoresModel()->rowCount(), 0);
        QVERIFY(!m_view->addMovie(0));
        QVERIFY(m_view->noticeText().contains("no model"));
        QVERIFY(!m_view->exportScoresCsv(QDir::temp().filePath("never.csv")));
        QVERIFY(m_view->clipboardText().isEmpty());
        // A model arriving fills the tab; leaving again empties it.
        m_query->setModel(tutorialModel());
        QVERIFY(!m_view->showsEmptyState());
        QVERIFY(m_view->picker()->lineEdit()->isEnabled());
        m_view->addTutorialExample();
        QCOMPARE(m_view->scoresModel()->rowCount(), 3);
        m_query->setModel(nullptr);
        QVERIFY(m_view->showsEmptyState());
        QCOMPARE(m_view->scoresModel()->rowCount(), 0);
        QCOMPARE(m_view->matrixModel()->rowCount(), 0);
        QCOMPARE(m_view->nearestModel()->rowCount(), 0);
    }

    void querySummaryShowsTheQueryInUse() {
        m_query->setModel(tutorialModel());
        const QString summary = m_view->querySummary();
        QVERIFY2(summary.contains("student") && summary.contains("male") &&
                     summary.contains("1997-11") && summary.contains("tutorial"),
                 qPrintable(summary));
        QVERIFY(m_view->findChild<QLabel*>("scoresQuery")->text().contains("student"));
        m_view->addTutorialExample();
        const std::vector<ScoredMovie> before = tableScores();
        UserQuery other;
        other.ageBucket = 56;
        other.occupationLabel = 13; // retired
        other.gender = 0;
        other.timestamp = 890000000;
        m_query->setQuery(other);
        const QString changed = m_view->querySummary();
        QVERIFY2(changed.contains("female") && changed.contains("retired") &&
                     !changed.contains("tutorial"),
                 qPrintable(changed));
        QVERIFY(m_view->findChild<QLabel*>("scoresQuery")->text().contains("retired"));
        checkTableEqualsCore();
        QVERIFY(tableScores()[0].score != before[0].score ||
                tableScores()[1].score != before[1].score);
        m_query->setQuery(other, 42);
        QVERIFY(m_view->querySummary().contains("user 42"));
    }

    void pickerFindsTitlesWithAndWithoutAccents() {
        m_query->setModel(tutorialModel());
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        QLineEdit* edit = m_view->picker()->lineEdit();
        TitleSearchModel* search = m_view->picker()->searchModel();
        const QString miserables = QString::fromStdString(kMiserables);
        for (const QString& typed : {QStringLiteral("miserables"), QStringLiteral("MISÉRables"),
                                     QStringLiteral("érables, les")}) {
            edit->clear();
            edit->setFocus();
            typeText(edit, typed);
            QCOMPARE(edit->text(), typed);
            QCOMPARE(search->searchText(), typed);
            bool found = false;
            for (int row = 0; row < search->rowCount(); ++row) {
                found = found || search->index(row).data().toString() == miserables;
            }
            QVERIFY2(found, qPrintable(typed));
            QVERIFY(m_view->picker()->completer()->popup()->isVisible());
        }
        // Choosing it from the popup adds it and clears the field.
        const QModelIndex first = m_view->picker()->completer()->completionModel()->index(0, 0);
        m_view->picker()->completer()->popup()->setCurrentIndex(first);
        QTest::keyClick(m_view->picker()->completer()->popup(), Qt::Key_Return);
        QCOMPARE(m_view->chosenTitles(), std::vector<std::string>{kMiserables});
        QVERIFY(edit->text().isEmpty());
        QCOMPARE(m_view->scoresModel()->rowCount(), 1);

        // The demo's own accented words: "cafe" lists exactly what core searchTitles lists.
        edit->setFocus();
        QTest::keyClicks(edit, "cafe");
        const auto core = searchTitles(*tutorialModel(), "cafe", TitleSearchModel::kMaxResults);
        QVERIFY(!core.empty());
        QCOMPARE(search->rowCount(), static_cast<int>(core.size()));
        for (int row = 0; row < search->rowCount(); ++row) {
            QCOMPARE(search->movieAt(row), core[static_cast<std::size_t>(row)]);
            QVERIFY(search->index(row).data().toString().contains(QStringLiteral("Café")));
        }
        // Nothing matches: a message, nothing added.
        edit->clear();
        QTest::keyClicks(edit, "zzzzqqq");
        QVERIFY(!m_view->picker()->completer()->popup()->isVisible());
        QTest::keyClick(edit, Qt::Key_Return);
        QVERIFY(m_view->noticeText().contains("zzzzqqq"));
        QCOMPARE(m_view->chosenTitles().size(), std::size_t(1));
        // Add with a popup row current takes that row.
        edit->clear();
        typeText(edit, "lion k");
        QVERIFY(m_view->picker()->completer()->popup()->isVisible());
        m_view->picker()->completer()->popup()->setCurrentIndex(
            m_view->picker()->completer()->completionModel()->index(0, 0));
        emit m_view->picker()->addButton()->clicked();
        QCOMPARE(m_view->chosenTitles().back(), std::string("Lion King, The (1994)"));
        QCOMPARE(m_view->chosenTitles().size(), std::size_t(2));
        // Enter on text with exactly one match adds it without the popup.
        edit->clear();
        QTest::keyClicks(edit, "palookaville");
        m_view->picker()->completer()->popup()->hide();
        QTest::keyClick(edit, Qt::Key_Return);
        QCOMPARE(m_view->chosenTitles().back(), std::string("Palookaville (1996)"));
    }

    void tutorialExampleScoresEqualCore() {
        m_query->setModel(tutorialModel());
        QTest::mouseClick(m_view->findChild<QPushButton*>("tutorialExampleButton"), Qt::LeftButton);
        QCOMPARE(m_view->scoresModel()->rowCount(), 3);
        QVERIFY2(!m_view->noticeText().contains("catalogue"), qPrintable(m_view->noticeText()));
        QStringList shown;
        for (int row = 0; row < 3; ++row) {
            shown << m_view->scoresModel()->index(row, TitleScoresModel::Title).data().toString();
        }
        for (const QString& title : ScoresView::tutorialTitles()) {
            QVERIFY(shown.contains(title));
        }
        checkTableEqualsCore();
        // The winner is the highest of the three core scores.
        std::vector<std::int32_t> movies;
        for (const QString& title : ScoresView::tutorialTitles()) {
            movies.push_back(movieOf(title.toStdString()));
        }
        const auto core = scoreMovies(*tutorialModel(), m_query->query(), movies);
        const auto best = std::max_element(core.begin(), core.end(),
                                           [](auto& a, auto& b) { return a.score < b.score; });
        QCOMPARE(tableScores()[0].movie, best->movie);
        // Pressing it again adds nothing twice.
        m_view->addTutorialExample();
        QCOMPARE(m_view->scoresModel()->rowCount(), 3);
    }

    void missingTutorialTitlesAreNamed() {
        // None of the three: a clear message, no rows, no crash.
        m_query->setModel(renamed({{20, "Red Rock East (1992)"},
                                   {30, "Palookatown (1996)"},
                                   {40, "Beautiful Things (1996)"}}));
        m_view->addTutorialExample();
        QCOMPARE(m_view->scoresModel()->rowCount(), 0);
        QString notice = m_view->noticeText();
        QVERIFY2(notice.contains("none of them") && notice.contains("Red Rock West (1992)") &&
                     notice.contains("Palookaville (1996)") &&
                     notice.contains("Beautiful Thing (1996)") && notice.contains("Other data"),
                 qPrintable(notice));
        // Two of three: those are added, the missing one is named.
        m_query->setModel(renamed({{40, "Beautiful Things (1996)"}}));
        m_view->addTutorialExample();
        QCOMPARE(m_view->scoresModel()->rowCount(), 2);
        notice = m_view->noticeText();
        QVERIFY2(notice.contains("Beautiful Thing (1996)") && !notice.contains("Red Rock West"),
                 qPrintable(notice));
        checkTableEqualsCore();
    }

    void aModelWithoutAChosenTitleDropsIt() {
        m_query->setModel(tutorialModel());
        m_view->addTutorialExample();
        m_query->setModel(renamed({{30, "Palookatown (1996)"}}));
        QCOMPARE(m_view->scoresModel()->rowCount(), 2);
        QVERIFY(m_view->noticeText().contains("Palookaville (1996)"));
        checkTableEqualsCore();
    }

    void matrixEqualsCoreDotAndCosine() {
        m_query->setModel(tutorialModel());
        m_view->addTutorialExample();
        QVERIFY(m_view->addMovie(movieOf(kMiserables)));
        QVERIFY(m_view->addMovie(5));
        const RowMatrix& c = tutorialModel()->candidateEmbeddings;
        for (const Similarity s : {Similarity::Cosine, Similarity::Dot}) {
            auto* box = m_view->findChild<QComboBox*>("similarityBox");
            box->setCurrentIndex(box->findData(static_cast<int>(s)));
            QCOMPARE(m_view->similarity(), s);
            const SimilarityMatrixModel* m = m_view->matrixModel();
            const std::vector<std::int32_t> order = m_view->scoresModel()->movies();
            QCOMPARE(m->rowCount(), 5);
            QCOMPARE(m->columnCount(), 5);
            QCOMPARE(m->movies(), order); // the score table's order
            const RowMatrix core = similarityMatrix(*tutorialModel(), order, s);
            for (int i = 0; i < 5; ++i) {
                for (int j = 0; j < 5; ++j) {
                    const QModelIndex cell = m->index(i, j);
                    const float value =
                        cell.data(static_cast<int>(SimilarityMatrixModel::Role::Value)).toFloat();
                    QCOMPARE(value, core(i, j));
                    // And independently of core: the plain dot product / cosine in double.
                    const auto a = c.row(order[static_cast<std::size_t>(i)]).cast<double>();
                    const auto b = c.row(order[static_cast<std::size_t>(j)]).cast<double>();
                    const double expected =
                        s == Similarity::Dot ? a.dot(b) : a.dot(b) / (a.norm() * b.norm());
                    QVERIFY2(std::abs(value - expected) < 1e-4 * (1.0 + std::abs(expected)),
                             qPrintable(QStringLiteral("%1 vs %2").arg(value).arg(expected)));
                    // Heat colours with readable text on every cell.
                    const auto bg = cell.data(Qt::BackgroundRole).value<QColor>();
                    const auto fg = cell.data(Qt::ForegroundRole).value<QColor>();
                    QVERIFY(bg.isValid() && fg.isValid());
                    QVERIFY2(contrast(bg, fg) >= 4.5, qPrintable(bg.name() + " " + fg.name()));
                    QCOMPARE(cell.data().toString(), QLocale().toString(value, 'f', 3));
                }
            }
            QVERIFY(std::abs(m->index(0, 0)
                                 .data(static_cast<int>(SimilarityMatrixModel::Role::Value))
                                 .toFloat() -
                             (s == Similarity::Cosine ? 1.0f : c.row(order[0]).squaredNorm())) <
                    1e-4f * (1.0f + c.row(order[0]).squaredNorm()));
        }
        // The colour scale itself: white at 0, red for similar, blue for opposite.
        QCOMPARE(SimilarityMatrixModel::heatColour(0.0f, 1.0f), QColor(0xf7f7f7));
        QCOMPARE(SimilarityMatrixModel::heatColour(1.0f, 1.0f), QColor(0xb2182b));
        QCOMPARE(SimilarityMatrixModel::heatColour(-5.0f, 1.0f), QColor(0x2166ac));
    }

    void nearestListEqualsCore() {
        m_query->setModel(tutorialModel());
        m_view->addTutorialExample();
        QSignalSpy selected(m_query.get(), &QueryController::movieSelected);
        for (const Similarity s : {Similarity::Cosine, Similarity::Dot}) {
            m_view->setSimilarity(s);
            for (int row = 0; row < m_view->scoresModel()->rowCount(); ++row) {
                // Selecting a row in the score table, as a user would.
                m_view->scoreTable()->setCurrentIndex(
                    m_view->scoresModel()->index(row, TitleScoresModel::Title));
                const int movie = m_view->scoresModel()->movies()[static_cast<std::size_t>(row)];
                QCOMPARE(m_view->nearestModel()->movie(), movie);
                const auto core = nearestMovies(*tutorialModel(), movie, 10, s);
                const auto& shown = m_view->nearestModel()->neighbours();
                QCOMPARE(shown.size(), std::size_t(10));
                QCOMPARE(m_view->nearestModel()->rowCount(), 10);
                for (std::size_t i = 0; i < shown.size(); ++i) {
                    QCOMPARE(shown[i].movie, core[i].movie);
                    QCOMPARE(shown[i].score, core[i].score);
                    const QModelIndex cell = m_view->nearestModel()->index(
                        static_cast<int>(i), NearestMoviesModel::Title);
                    QCOMPARE(cell.data().toString(),
                             QString::fromStdString(
                                 tutorialModel()
                                     ->catalogue.titles[static_cast<std::size_t>(core[i].movie)]));
                }
            }
        }
        QVERIFY(!selected.isEmpty()); // the selection is shared with the other views
        // A double-click on a neighbour adds it to the comparison.
        const QModelIndex neighbour = m_view->nearestModel()->index(0, NearestMoviesModel::Title);
        const int added = neighbour.data(static_cast<int>(NearestMoviesModel::Role::Movie)).toInt();
        QVERIFY(neighbour.data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("add it to the chosen titles")));
        QVERIFY(m_view->nearestTable()->isColumnHidden(NearestMoviesModel::Year));
        QVERIFY(!m_view->nearestTable()->isColumnHidden(NearestMoviesModel::Genres));
        emit m_view->nearestTable()->doubleClicked(neighbour);
        QVERIFY(m_view->scoresModel()->rowOf(added) >= 0);
    }

    void csvExportsRoundTrip() {
        m_query->setModel(tutorialModel());
        m_view->addTutorialExample();
        m_view->addMovie(movieOf(kMiserables));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString scoresPath = dir.filePath("scores.csv");
        QVERIFY(m_view->exportScoresCsv(scoresPath));
        QVERIFY(m_view->noticeText().contains("Saved 4 scores"));
        const auto rows = readCsv(scoresPath);
        QCOMPARE(rows.size(), std::size_t(5));
        QCOMPARE(rows[0], (std::vector<std::string>{"title", "score", "rank", "catalogue_size"}));
        const auto shown = tableScores();
        for (std::size_t i = 0; i < shown.size(); ++i) {
            const auto& title =
                tutorialModel()->catalogue.titles[static_cast<std::size_t>(shown[i].movie)];
            QCOMPARE(rows[i + 1][0], title); // "Misérables, Les (1995)" survives its comma
            QCOMPARE(std::stof(rows[i + 1][1]), shown[i].score);
            QCOMPARE(std::stoi(rows[i + 1][2]), shown[i].rank);
            QCOMPARE(rows[i + 1][3], std::to_string(tutorialModel()->catalogue.size()));
        }

        m_view->setSimilarity(Similarity::Dot);
        const QString matrixPath = dir.filePath("matrix.csv");
        QVERIFY(m_view->exportMatrixCsv(matrixPath));
        const auto matrix = readCsv(matrixPath);
        QCOMPARE(matrix.size(), std::size_t(5));
        const RowMatrix& values = m_view->matrixModel()->values();
        const auto titles = m_view->matrixModel()->titles();
        for (std::size_t i = 0; i < 4; ++i) {
            QCOMPARE(matrix[0][i + 1], titles[i]);
            QCOMPARE(matrix[i + 1][0], titles[i]);
            for (std::size_t j = 0; j < 4; ++j) {
                QCOMPARE(std::stof(matrix[i + 1][j + 1]),
                         values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
            }
        }
        // A folder that does not exist: false, the notice, and the error box naming the
        // problem (the one way errors are shown); no success message.
        QSignalSpy messages(m_view.get(), &ScoresView::message);
        QVERIFY(!m_view->exportScoresCsv(dir.filePath("missing/folder/scores.csv")));
        QVERIFY(m_view->noticeText().contains("Could not export"));
        QCOMPARE(messages.size(), 0);
        auto* box = m_view->findChild<QMessageBox*>(QStringLiteral("errorBox"));
        QVERIFY(box != nullptr);
        QCOMPARE(box->windowTitle(), QStringLiteral("Export failed"));
        QVERIFY2(!box->text().isEmpty() &&
                     m_view->noticeText().contains(box->text().toHtmlEscaped()),
                 qPrintable(box->text()));
        box->close();
    }

    void copyAsTextPutsBothTablesOnTheClipboard() {
        m_query->setModel(tutorialModel());
        m_view->addTutorialExample();
        QTest::mouseClick(m_view->findChild<QPushButton*>("copyScoresButton"), Qt::LeftButton);
        const QString text = QApplication::clipboard()->text();
        QCOMPARE(text, m_view->clipboardText());
        QVERIFY(text.contains("Query:"));
        QVERIFY(text.contains("title\tscore\trank\tcatalogue_size"));
        QVERIFY(text.contains("Beautiful Thing (1996)\t"));
        QVERIFY(text.contains("cosine similarity"));
    }

    void removeAndClear() {
        m_query->setModel(tutorialModel());
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        m_view->addTutorialExample();
        m_view->removeMovie(movieOf("Red Rock West (1992)"));
        QCOMPARE(m_view->scoresModel()->rowCount(), 2);
        QCOMPARE(m_view->scoresModel()->rowOf(movieOf("Red Rock West (1992)")), -1);
        checkTableEqualsCore();
        // The Remove button takes the selected row.
        m_view->scoreTable()->setCurrentIndex(m_view->scoresModel()->index(1, 1));
        const int second = m_view->scoresModel()->movies()[1];
        QTest::mouseClick(m_view->findChild<QPushButton*>("removeTitleButton"), Qt::LeftButton);
        QCOMPARE(m_view->scoresModel()->rowCount(), 1);
        QCOMPARE(m_view->scoresModel()->rowOf(second), -1);
        // Delete in the table removes too.
        m_view->scoreTable()->setFocus();
        m_view->scoreTable()->setCurrentIndex(m_view->scoresModel()->index(0, 1));
        QTest::keyClick(m_view->scoreTable(), Qt::Key_Delete);
        QCOMPARE(m_view->scoresModel()->rowCount(), 0);
        QVERIFY(!m_view->findChild<QPushButton*>("removeTitleButton")->isEnabled());
        m_view->addTutorialExample();
        QTest::mouseClick(m_view->findChild<QPushButton*>("clearTitlesButton"), Qt::LeftButton);
        QCOMPARE(m_view->scoresModel()->rowCount(), 0);
        QCOMPARE(m_view->matrixModel()->rowCount(), 0);
        QCOMPARE(m_view->nearestModel()->rowCount(), 0);
        QVERIFY(m_view->chosenTitles().empty());
        QVERIFY(m_view->findChild<QLabel*>("scoresNothingChosen")->isVisibleTo(m_view.get()));
        QVERIFY(!m_view->scoreTable()->isVisibleTo(m_view.get()));
        m_view->addMovie(3);
        QVERIFY(!m_view->findChild<QLabel*>("scoresNothingChosen")->isVisibleTo(m_view.get()));
        QVERIFY(m_view->scoreTable()->isVisibleTo(m_view.get()));
    }

    void moviesSelectedElsewhereJoin() {
        m_query->setModel(tutorialModel());
        m_query->selectMovie(7);
        QCOMPARE(m_view->scoresModel()->rowOf(7), 0);
        m_query->requestShowInScores(8);
        QVERIFY(m_view->scoresModel()->rowOf(8) >= 0);
        QCOMPARE(m_view->nearestModel()->movie(), 8); // its neighbours are listed
        m_query->requestShowInScores(100000);
        QVERIFY(m_view->noticeText().contains("not in this model's catalogue"));
        QCOMPARE(m_view->scoresModel()->rowCount(), 2);
        checkTableEqualsCore();
    }

    void atMostTwentyTitles() {
        m_query->setModel(tutorialModel());
        QElapsedTimer clock;
        clock.start();
        for (int movie = 0; movie < ScoresView::kMaxTitles; ++movie) {
            QVERIFY(m_view->addMovie(movie));
        }
        qDebug("20 titles added (scores, 20x20 matrix and nearest list each time) in %lld ms",
               static_cast<long long>(clock.elapsed()));
        QVERIFY(!m_view->addMovie(ScoresView::kMaxTitles));
        QVERIFY(m_view->noticeText().contains("At most 20"));
        QCOMPARE(m_view->scoresModel()->rowCount(), ScoresView::kMaxTitles);
        QCOMPARE(m_view->matrixModel()->rowCount(), ScoresView::kMaxTitles);
        checkTableEqualsCore();
    }

    void everyControlHasATooltip() {
        m_query->setModel(tutorialModel());
        m_view->addTutorialExample();
        int checked = 0;
        for (QWidget* w : m_view->findChildren<QWidget*>()) {
            const bool control = qobject_cast<QAbstractButton*>(w) != nullptr ||
                                 qobject_cast<QComboBox*>(w) != nullptr ||
                                 qobject_cast<QLineEdit*>(w) != nullptr ||
                                 qobject_cast<QAbstractItemView*>(w) != nullptr;
            // Parts Qt builds inside a control (headers, corner buttons, a clear button)
            // are that control's business.
            bool part = qobject_cast<QHeaderView*>(w) != nullptr;
            for (QWidget* p = w->parentWidget(); p != nullptr && p != m_view.get();
                 p = p->parentWidget()) {
                part = part || qobject_cast<QAbstractItemView*>(p) != nullptr ||
                       qobject_cast<QLineEdit*>(p) != nullptr ||
                       qobject_cast<QComboBox*>(p) != nullptr;
            }
            if (control && !part && w->isVisibleTo(m_view.get())) {
                ++checked;
                QVERIFY2(!w->toolTip().isEmpty(),
                         qPrintable(w->metaObject()->className() + QStringLiteral(" ") +
                                    w->objectName()));
            }
        }
        QVERIFY(checked >= 11); // search, add, 5 buttons, export, measure, 3 tables
    }

    // In the real window: the Scores tab with the tutorial example at 1280x800 (written to
    // $TOWERLAB_SCREENSHOT_DIR when set, to look at).
    void inTheMainWindow() {
        m_view.reset();
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto* scores = window.findChild<ScoresView*>();
        QVERIFY(scores != nullptr);
        window.tabs()->setCurrentIndex(MainWindow::ScoresTab);
        QCoreApplication::processEvents();
        const QByteArray dir = qgetenv("TOWERLAB_SCREENSHOT_DIR");
        auto grab = [&](const QString& name) {
            QCoreApplication::processEvents();
            const QImage image = window.grab().toImage();
            QVERIFY(!image.isNull());
            if (!dir.isEmpty()) {
                QDir().mkpath(QString::fromLocal8Bit(dir));
                QVERIFY(image.save(QDir(QString::fromLocal8Bit(dir)).filePath(name)));
            }
        };
        QVERIFY(scores->showsEmptyState());
        grab("1280x800-scores-no-model.png");
        // The demo's own catalogue has none of the tutorial's MovieLens titles.
        window.models()->setCurrent(renamed({{20, "Red Rock East (1992)"},
                                             {30, "Palookatown (1996)"},
                                             {40, "Beautiful Things (1996)"}}),
                                    0);
        QVERIFY(!scores->showsEmptyState());
        grab("1280x800-scores-nothing-chosen.png");
        QTest::mouseClick(scores->findChild<QPushButton*>("tutorialExampleButton"), Qt::LeftButton);
        QVERIFY(scores->noticeText().contains("none of them"));
        grab("1280x800-scores-tutorial-missing.png");
        window.models()->setCurrent(tutorialModel(), 0);
        QCOMPARE(window.query()->model(), tutorialModel());
        scores->addTutorialExample();
        scores->addMovie(*findTitle(*tutorialModel(), kMiserables));
        scores->focusMovie(*findTitle(*tutorialModel(), "Beautiful Thing (1996)"));
        QCOMPARE(scores->scoresModel()->rowCount(), 4);
        grab("1280x800-scores.png");
        // The shipped demo with a few of its titles of different genres (the README's
        // screenshot). The demo has none of the tutorial titles, so they are picked by word.
        window.models()->setCurrent(demoModel(), 0);
        QCOMPARE(scores->scoresModel()->rowCount(), 0); // the tutorial titles left with it
        for (const char* word : {"caf", "galaxy", "cartoon", "wedding", "zombie", "saloon"}) {
            const auto found = searchTitles(*demoModel(), word, 1);
            QVERIFY2(!found.empty(), word);
            QVERIFY(scores->addMovie(found[0]));
        }
        scores->focusMovie(scores->scoresModel()->movies()[2]);
        QCOMPARE(scores->scoresModel()->rowCount(), 6);
        grab("1280x800-scores-demo.png");
        // View → Larger text, for a projector: the heading and the tiles grow with it.
        const double before = scores->findChild<QLabel*>()->font().pointSizeF();
        window.setFontScale(1.5);
        QCoreApplication::processEvents();
        grab("1280x800-scores-demo-large-text.png");
        window.setFontScale(1.0);
        QCoreApplication::processEvents();
        QCOMPARE(scores->findChild<QLabel*>()->font().pointSizeF(), before);

        // Another view asking for a movie brings the Scores tab forward with it added.
        window.tabs()->setCurrentIndex(MainWindow::DataTab);
        window.query()->requestShowInScores(3);
        QCOMPARE(window.tabs()->currentIndex(), int{MainWindow::ScoresTab});
        QVERIFY(scores->scoresModel()->rowOf(3) >= 0);
    }
};

QTEST_MAIN(TestScoresView)
#include "test_scores_view.moc"
