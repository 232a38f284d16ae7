// The Recommend tab's state without any widget: the lists are the core's top k for queries A
// and B, a real user's movies are marked once the split is matched on the thread pool, hidden
// on request, a comparison starts from A, a chosen movie is explained for its list's query,
// and a model that never saw the tutorial's moment starts inside its own time range.

#include "controllers/query_controller.hpp"
#include "controllers/recommend_controller.hpp"
#include "data/demo_dataset.hpp"
#include "data/ratings_by_user.hpp"
#include "model/trained_model.hpp"
#include "models/recommendation_table_model.hpp"
#include "retrieval/rated_movies.hpp"
#include "retrieval/retrieval.hpp"
#include "train/trainer.hpp"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include "demo_model_support.hpp"

#include <memory>

using namespace towerlab;
using test::movieIds;

namespace {

std::vector<int> moviesOf(const RecommendationTableModel* model) {
    std::vector<int> ids;
    for (const RecommendationRow& row : model->rows()) {
        ids.push_back(row.movie.movie);
    }
    return ids;
}

} // namespace

class TestRecommendController : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<const Dataset> m_demo;
    TrainedModelPtr m_model;
    std::unique_ptr<QueryController> m_query;
    std::unique_ptr<RecommendController> m_recommend;
    std::unique_ptr<QAbstractItemModelTester> m_testerA;
    std::unique_ptr<QAbstractItemModelTester> m_testerB;

    // The user with the most ratings (their lists have marks to find).
    int busiestUserIndex() const {
        std::vector<int> counts(m_demo->users.size(), 0);
        for (const Rating& r : m_demo->ratings) {
            ++counts[static_cast<std::size_t>(r.user)];
        }
        return static_cast<int>(std::max_element(counts.begin(), counts.end()) - counts.begin());
    }

private slots:
    void initTestCase() {
        m_demo = std::make_shared<const Dataset>(makeDemoDataset());
        TrainConfig training;
        training.epochs = 3;
        training.batchSize = 1024;
        training.evalEvery = 0;
        Trainer trainer(*m_demo, ModelConfig{}, training);
        ProgressSink sink;
        std::atomic<bool> cancel{false};
        m_model = trainer.fit(sink, cancel).model;
        QVERIFY(m_model != nullptr);
    }

    void init() {
        m_query = std::make_unique<QueryController>();
        m_recommend = std::make_unique<RecommendController>(m_query.get());
        m_testerA = std::make_unique<QAbstractItemModelTester>(
            m_recommend->listA(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_testerB = std::make_unique<QAbstractItemModelTester>(
            m_recommend->listB(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup() {
        m_testerA.reset();
        m_testerB.reset();
        m_recommend.reset();
        m_query.reset();
    }

    void listsFollowTheModelAndTheQuery() {
        QCOMPARE(m_recommend->listA()->rowCount(), 0);
        QVERIFY(m_recommend->modelLine().isEmpty());
        QSignalSpy results(m_recommend.get(), &RecommendController::resultsChanged);
        m_query->setModel(m_model);
        QVERIFY(results.count() >= 1);
        QCOMPARE(m_recommend->maxK(), static_cast<int>(m_model->catalogue.size()));
        QCOMPARE(m_recommend->k(), RecommendController::kDefaultK);
        // The demo data is from 2023: the untouched tutorial moment moves into its range.
        const std::int64_t t = m_query->query().timestamp;
        QVERIFY(t >= m_model->features.minTimestamp && t <= m_model->features.maxTimestamp);
        QCOMPARE(moviesOf(m_recommend->listA()),
                 movieIds(recommend(*m_model, m_query->query(), 50)));
        QVERIFY(m_recommend->modelLine().contains(QStringLiteral("3 epochs")));
        QCOMPARE(m_recommend->queryVector().size(), m_model->candidateEmbeddings.cols());

        m_recommend->setK(7);
        QCOMPARE(m_recommend->listA()->rowCount(), 7);
        m_recommend->setK(1000000); // kept within the catalogue
        QCOMPARE(m_recommend->k(), m_recommend->maxK());
        m_recommend->setK(50);

        const UserQuery other{45, 3, 0, m_demo->ratings[3].timestamp, -1, {}};
        m_recommend->editQueryA(other);
        QCOMPARE(moviesOf(m_recommend->listA()), movieIds(recommend(*m_model, other, 50)));
        m_recommend->useTutorialQuery();
        QCOMPARE(m_query->query().timestamp, std::int64_t{879024327});

        m_query->setModel(nullptr);
        QCOMPARE(m_recommend->listA()->rowCount(), 0);
        QVERIFY(!m_recommend->explanation().has_value());
    }

    void compareStartsFromAAndMarksChanges() {
        m_query->setModel(m_model);
        QCOMPARE(m_recommend->listB()->rowCount(), 0);
        m_recommend->setCompare(true);
        QCOMPARE(m_recommend->queryB().gender, m_query->query().gender);
        QCOMPARE(moviesOf(m_recommend->listB()), moviesOf(m_recommend->listA()));
        m_recommend->otherGenderToB();
        QCOMPARE(m_recommend->queryB().gender, m_query->query().gender == 1 ? 0 : 1);
        QCOMPARE(moviesOf(m_recommend->listB()),
                 movieIds(recommend(*m_model, m_recommend->queryB(), 50)));
        for (const RecommendationRow& row : m_recommend->listB()->rows()) {
            QVERIFY(row.hasChange);
        }
        m_recommend->copyAToB();
        QCOMPARE(moviesOf(m_recommend->listB()), moviesOf(m_recommend->listA()));

        // A movie chosen in B is explained for B's query; leaving compare mode goes back to A.
        m_recommend->otherGenderToB();
        const int movie = m_recommend->listB()->rows().front().movie.movie;
        QSignalSpy selection(m_recommend.get(), &RecommendController::selectionChanged);
        m_recommend->chooseMovie(movie, RecommendController::Side::B);
        QCOMPARE(selection.count(), 1);
        QCOMPARE(m_query->selectedMovie(), movie);
        auto e = m_recommend->explanation();
        QVERIFY(e.has_value());
        QCOMPARE(e->side, RecommendController::Side::B);
        QCOMPARE(e->query.gender, m_recommend->queryB().gender);
        QCOMPARE(e->score.score, explainScore(*m_model, m_recommend->queryB(), movie).score);
        // The same movie in A: explained for A, without a new shared selection.
        m_recommend->chooseMovie(movie, RecommendController::Side::A);
        QCOMPARE(selection.count(), 2);
        QCOMPARE(m_recommend->explanation()->side, RecommendController::Side::A);
        m_recommend->chooseMovie(movie, RecommendController::Side::B);
        m_recommend->setCompare(false);
        QCOMPARE(m_recommend->listB()->rowCount(), 0);
        QCOMPARE(m_recommend->explanation()->side, RecommendController::Side::A);
    }

    // Matching the split runs on the pool thread; then the real user's movies are marked and
    // can be hidden. The same with the ratings by user made where the dataset was loaded (as
    // the window does) or made by the matching itself.
    void aRealUsersMoviesAreMarkedOnceMatched_data() {
        QTest::addColumn<bool>("indexGiven");
        QTest::newRow("ratings by user made by the matching") << false;
        QTest::newRow("ratings by user made with the dataset") << true;
    }
    void aRealUsersMoviesAreMarkedOnceMatched() {
        QFETCH(bool, indexGiven);
        QSignalSpy ready(m_recommend.get(), &RecommendController::ratedMoviesReady);
        if (indexGiven) {
            m_query->setDataset(m_demo, m_demo->fingerprint(),
                                std::make_shared<const RatingsByUser>(*m_demo));
        } else {
            m_query->setDataset(m_demo);
        }
        m_query->setModel(m_model);
        QVERIFY(m_recommend->ratedMoviesPending());
        const int index = busiestUserIndex();
        const User& user = m_demo->users[static_cast<std::size_t>(index)];
        m_recommend->pickUser(index, m_demo->ratings[0].timestamp);
        QCOMPARE(m_query->realUser(), user.id);
        QCOMPARE(m_recommend->realUserIndex(), index);
        QVERIFY(m_recommend->recallText().contains(QStringLiteral("Matching")));
        QVERIFY(!m_recommend->canMarkRated());
        QVERIFY(ready.wait(10000));
        QVERIFY(!m_recommend->ratedMoviesPending());
        QVERIFY(m_recommend->canMarkRated());

        m_recommend->setK(m_recommend->maxK());
        const UserRatedMovies& rated = m_recommend->ratedMovies()->ofUser(index);
        const RatedMovies direct(*m_model, *m_demo);
        QCOMPARE(rated.train, direct.ofUser(static_cast<std::size_t>(index)).train);
        QCOMPARE(rated.test, direct.ofUser(static_cast<std::size_t>(index)).test);
        QVERIFY(!rated.train.empty() && !rated.test.empty());
        int marked = 0;
        for (const RecommendationRow& row : m_recommend->listA()->rows()) {
            const bool train =
                std::binary_search(rated.train.begin(), rated.train.end(), row.movie.movie);
            marked += row.mark != RatedMark::None ? 1 : 0;
            QCOMPARE(row.mark == RatedMark::Train || row.mark == RatedMark::Both, train);
        }
        QCOMPARE(static_cast<std::size_t>(marked), rated.train.size() + rated.test.size());
        QVERIFY2(m_recommend->recallText().contains(QStringLiteral("recall@")),
                 qPrintable(m_recommend->recallText()));

        m_recommend->setExcludeRated(true);
        QCOMPARE(static_cast<std::size_t>(m_recommend->listA()->rowCount()),
                 m_model->catalogue.size() - rated.train.size());
        for (const RecommendationRow& row : m_recommend->listA()->rows()) {
            QVERIFY(row.mark != RatedMark::Train && row.mark != RatedMark::Both);
        }
        // Editing an attribute keeps the real user.
        UserQuery q = m_query->query();
        q.gender = q.gender == 1 ? 0 : 1;
        m_recommend->editQueryA(q);
        QCOMPARE(m_query->realUser(), user.id);
        m_recommend->clearRealUser();
        QCOMPARE(m_query->realUser(), std::int64_t{-1});
        QVERIFY(!m_recommend->canMarkRated());
        QCOMPARE(static_cast<std::size_t>(m_recommend->listA()->rowCount()),
                 m_model->catalogue.size());

        // A new dataset drops the real user (they belonged to the old one).
        m_recommend->pickUser(index, -1);
        m_query->setDataset(std::make_shared<const Dataset>(makeDemoDataset()));
        QCOMPARE(m_query->realUser(), std::int64_t{-1});
    }
};

QTEST_GUILESS_MAIN(TestRecommendController)
#include "test_recommend_controller.moc"
