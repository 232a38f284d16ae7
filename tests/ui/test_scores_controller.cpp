// The Scores tab's state without any widget: chosen titles scored and ranked by the core,
// best first; the focus and the nearest movies; the measure; the notice for every refusal;
// titles kept across models by title; the tutorial preset; and the exports' outcomes.

#include "controllers/query_controller.hpp"
#include "controllers/scores_controller.hpp"
#include "data/demo_dataset.hpp"
#include "model/trained_model.hpp"
#include "models/nearest_movies_model.hpp"
#include "models/similarity_matrix_model.hpp"
#include "models/title_scores_model.hpp"
#include "retrieval/retrieval.hpp"
#include "train/trainer.hpp"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace towerlab;
using Page = ScoresController::Page;

namespace {

// The demo with two of the tutorial's titles, so the preset finds some and misses one.
TrainedModelPtr model() {
    static const TrainedModelPtr trained = [] {
        Dataset d = makeDemoDataset();
        d.movies[20].title = "Red Rock West (1992)";
        d.movies[30].title = "Palookaville (1996)";
        TrainConfig t;
        t.epochs = 2;
        t.batchSize = 256;
        Trainer trainer(d, ModelConfig{}, t);
        ProgressSink sink;
        std::atomic<bool> cancel{false};
        return TrainedModelPtr(trainer.fit(sink, cancel).model);
    }();
    return trained;
}

} // namespace

class TestScoresController : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<QueryController> m_query;
    std::unique_ptr<ScoresController> m_scores;
    std::vector<std::unique_ptr<QAbstractItemModelTester>> m_testers;

private slots:
    void init() {
        m_query = std::make_unique<QueryController>();
        m_scores = std::make_unique<ScoresController>(m_query.get());
        for (QAbstractItemModel* m : std::initializer_list<QAbstractItemModel*>{
                 m_scores->scores(), m_scores->matrix(), m_scores->nearest()}) {
            m_testers.push_back(std::make_unique<QAbstractItemModelTester>(
                m, QAbstractItemModelTester::FailureReportingMode::QtTest));
        }
    }

    void cleanup() {
        m_testers.clear();
        m_scores.reset();
        m_query.reset();
    }

    void withoutAModelNothingIsScored() {
        QCOMPARE(m_scores->page(), Page::NoModel);
        QVERIFY(!m_scores->addMovie(0));
        QVERIFY(m_scores->noticeIsWarning());
        QVERIFY(m_scores->notice().contains(QStringLiteral("no model")));
        QVERIFY(m_scores->clipboardText().isEmpty());
        QVERIFY(m_scores->modelSummaryHtml().contains(QStringLiteral("none yet")));
    }

    void chosenTitlesAreTheCoresScoresBestFirst() {
        m_query->setModel(model());
        QCOMPARE(m_scores->page(), Page::NothingChosen);
        QSignalSpy changed(m_scores.get(), &ScoresController::changed);
        for (const int movie : {3, 7, 11}) {
            QVERIFY(m_scores->addMovie(movie));
        }
        QVERIFY(changed.count() >= 3);
        QCOMPARE(m_scores->page(), Page::Tables);
        QCOMPARE(m_scores->chosenTitles().size(), std::size_t(3));
        const std::vector<std::int32_t> chosen{3, 7, 11};
        const auto expected = scoreMovies(*model(), m_query->query(), chosen);
        const auto& shown = m_scores->scores()->scores();
        QCOMPARE(shown.size(), expected.size());
        for (std::size_t i = 1; i < shown.size(); ++i) {
            QVERIFY(shown[i - 1].score >= shown[i].score);
        }
        QCOMPARE(m_scores->matrix()->rowCount(), 3);
        // The last added is focused, and its neighbours are the core's.
        QCOMPARE(m_scores->focus(), 11);
        QCOMPARE(m_scores->nearest()->movie(), 11);
        QCOMPARE(m_scores->nearest()->neighbours().size(), ScoresController::kNearest);
        QCOMPARE(m_scores->nearest()->neighbours().front().movie,
                 nearestMovies(*model(), 11, ScoresController::kNearest, Similarity::Cosine)
                     .front()
                     .movie);
        QVERIFY(m_scores->nearestCaptionHtml().contains(QStringLiteral("cosine")));
        // Adding it again only focuses it; a new query re-scores without losing the titles.
        QSignalSpy focus(m_scores.get(), &ScoresController::focusChanged);
        QVERIFY(m_scores->addMovie(3));
        QCOMPARE(focus.count(), 1);
        QCOMPARE(m_scores->focus(), 3);
        QCOMPARE(m_scores->chosenTitles().size(), std::size_t(3));
        UserQuery other = m_query->query();
        other.gender = other.gender == 1 ? 0 : 1;
        m_query->setQuery(other);
        QCOMPARE(m_scores->scores()->rowCount(), 3);
        // The measure changes the matrix and the neighbours.
        m_scores->setSimilarity(Similarity::Dot);
        QVERIFY(m_scores->matrixCaptionHtml().contains(QStringLiteral("dot product")));
        QCOMPARE(
            m_scores->nearest()->neighbours().front().movie,
            nearestMovies(*model(), 3, ScoresController::kNearest, Similarity::Dot).front().movie);
        // Removing the focused title falls back to the winner's neighbours.
        m_scores->removeMovie(3);
        QCOMPARE(m_scores->focus(), -1);
        QCOMPARE(m_scores->nearestTarget(), m_scores->scores()->movies().front());
        m_scores->clearTitles();
        QCOMPARE(m_scores->page(), Page::NothingChosen);
    }

    void refusalsSayWhy() {
        m_query->setModel(model());
        QVERIFY(!m_scores->addMovie(-1));
        QVERIFY(m_scores->notice().contains(QStringLiteral("not in this model's catalogue")));
        for (int movie = 0; movie < ScoresController::kMaxTitles; ++movie) {
            QVERIFY(m_scores->addMovie(movie));
        }
        QVERIFY(!m_scores->addMovie(ScoresController::kMaxTitles));
        QVERIFY(m_scores->notice().contains(QStringLiteral("At most 20")));
    }

    void theTutorialPresetNamesWhatIsMissing() {
        m_query->setModel(model());
        m_scores->addTutorialExample();
        QCOMPARE(m_scores->chosenTitles(),
                 (std::vector<std::string>{"Red Rock West (1992)", "Palookaville (1996)"}));
        QVERIFY(m_scores->noticeIsWarning());
        QVERIFY2(m_scores->notice().contains(QStringLiteral("Beautiful Thing (1996)")),
                 qPrintable(m_scores->notice()));
        QCOMPARE(m_scores->focus(), -1); // the winner's neighbours
        QCOMPARE(m_scores->nearestTarget(), m_scores->scores()->movies().front());
    }

    // Titles, not indices, carry over to another model; the ones it lacks are named.
    void titlesCarryOverByTitle() {
        m_query->setModel(model());
        m_scores->addMovie(20);
        m_scores->addMovie(5);
        auto other = std::make_shared<TrainedModel>(*model());
        other->datasetName = "Other data";
        other->catalogue.titles[5] = "Something else (2001)";
        m_query->setModel(other);
        QCOMPARE(m_scores->chosenTitles(), (std::vector<std::string>{"Red Rock West (1992)"}));
        QVERIFY(m_scores->notice().contains(QStringLiteral("Other data")));
        m_query->setModel(nullptr);
        QCOMPARE(m_scores->page(), Page::NoModel);
    }

    void exportsReportTheirOutcome() {
        m_query->setModel(model());
        QTemporaryDir dir;
        QVERIFY(!m_scores->exportScoresCsv(dir.filePath(QStringLiteral("scores.csv"))));
        QVERIFY(m_scores->notice().contains(QStringLiteral("Nothing to export")));
        m_scores->addMovie(1);
        m_scores->addMovie(2);
        QSignalSpy messages(m_scores.get(), &ScoresController::message);
        QSignalSpy failed(m_scores.get(), &ScoresController::failed);
        QVERIFY(m_scores->exportScoresCsv(dir.filePath(QStringLiteral("scores.csv"))));
        QVERIFY(m_scores->exportMatrixCsv(dir.filePath(QStringLiteral("matrix.csv"))));
        QCOMPARE(messages.count(), 2);
        QVERIFY(!m_scores->exportMatrixCsv(dir.filePath(QStringLiteral("no/such/m.csv"))));
        QCOMPARE(failed.count(), 1);
        QVERIFY(m_scores->noticeIsWarning());
        QVERIFY(m_scores->notice().contains(QStringLiteral("Could not export the matrix")));
        QVERIFY(m_scores->clipboardText().contains(QStringLiteral("title\tscore\trank")));
    }
};

QTEST_GUILESS_MAIN(TestScoresController)
#include "test_scores_controller.moc"
