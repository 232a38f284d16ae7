// The Embeddings tab's state without any widget: the controller projects only while its map
// is on screen, maps movies and (off the GUI thread) users, refuses a user map for another
// dataset, keeps colours per kind of points without re-projecting, selects points and lists
// the core's neighbours, places the query, cancels, and follows training in live mode.

#include "controllers/embeddings_controller.hpp"
#include "controllers/query_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/training_controller.hpp"
#include "data/dataset_loader.hpp"
#include "data/demo_dataset.hpp"
#include "demo_model_support.hpp"
#include "model/trained_model.hpp"
#include "retrieval/retrieval.hpp"
#include "retrieval/user_queries.hpp"
#include "train/trainer.hpp"
#include "ui_test_support.hpp"

#include <QSignalSpy>
#include <QtTest>

#include <memory>

using namespace towerlab;
using test::demo;
using test::demoJob;
using test::movieIds;
using test::trainDemo;

namespace {

using Points = EmbeddingsController::Points;

} // namespace

class TestEmbeddingsController : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    TrainedModelPtr m_model;
    std::unique_ptr<QueryController> m_query;
    std::unique_ptr<EmbeddingsController> m_embeddings;

    bool waitForMap(int timeoutMs = 20000) {
        QSignalSpy shown(m_embeddings.get(), &EmbeddingsController::projectionShown);
        return !m_embeddings->isProjecting() || shown.wait(timeoutMs);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        test::isolateSettings(m_settings);
        m_model = trainDemo(3);
        m_query = std::make_unique<QueryController>();
        m_query->setDataset(demo());
        m_query->setModel(m_model);
        m_embeddings = std::make_unique<EmbeddingsController>(m_query.get(), nullptr);
    }

    void cleanupTestCase() {
        m_embeddings.reset();
        m_query.reset();
    }

    // Nothing runs while the map is hidden; showing it maps every movie with a PCA.
    void projectsOnlyWhileActive() {
        QVERIFY(!m_embeddings->isProjecting());
        QVERIFY(!m_embeddings->positions().has_value());
        QSignalSpy changed(m_embeddings.get(), &EmbeddingsController::mapChanged);
        QSignalSpy started(m_embeddings.get(), &EmbeddingsController::projectionStarted);
        m_embeddings->setActive(true);
        QCOMPARE(started.count(), 1);
        QCOMPARE(started.at(0).at(0).toBool(), true); // a user's projection can be cancelled
        QVERIFY(waitForMap());
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).toBool(), false); // a first map does not glide
        QCOMPARE(m_embeddings->positions()->rows(),
                 static_cast<Eigen::Index>(m_model->catalogue.size()));
        QCOMPARE(m_embeddings->shownModel(), m_model);
        QVERIFY2(m_embeddings->statusText().contains(QStringLiteral("PCA")) &&
                     m_embeddings->statusText().contains(QStringLiteral("trustworthiness@10")),
                 qPrintable(m_embeddings->statusText()));

        // Hidden again, a setting change waits for the map to come back.
        m_embeddings->setActive(false);
        m_embeddings->setTsneSettings(25.0, 750);
        m_embeddings->setMethod(ProjectionMethod::Tsne);
        QVERIFY(!m_embeddings->isProjecting());
        m_embeddings->setMethod(ProjectionMethod::Pca);
        m_embeddings->setTsneSettings(30.0, 1000);
        m_embeddings->setActive(true);
        QVERIFY(m_embeddings->isProjecting());
        QVERIFY(waitForMap());
    }

    void colouringIsRememberedPerKindWithoutReprojecting() {
        QSignalSpy settings(m_embeddings.get(), &EmbeddingsController::settingsChanged);
        m_embeddings->setColouring(2);
        QVERIFY(!m_embeddings->isProjecting());
        QCOMPARE(settings.count(), 1);
        QCOMPARE(m_embeddings->colouring(), 2);
        m_embeddings->setActive(false); // no projection needed to switch kinds here
        m_embeddings->setPoints(Points::Users);
        QCOMPARE(m_embeddings->colouring(), 0);
        m_embeddings->setColouring(1);
        m_embeddings->setPoints(Points::Movies);
        QCOMPARE(m_embeddings->colouring(), 2);
        m_embeddings->setPoints(Points::Users);
        QCOMPARE(m_embeddings->colouring(), 1);
        m_embeddings->setPoints(Points::Movies);
        m_embeddings->setColouring(0);
        m_embeddings->setActive(true);
        QVERIFY(waitForMap());
    }

    void selectionListsTheCoreNeighbours() {
        QSignalSpy selection(m_embeddings.get(), &EmbeddingsController::selectionChanged);
        m_embeddings->clickPoint(5);
        QCOMPARE(m_query->selectedMovie(), 5);
        QCOMPARE(m_embeddings->selectedPoint(), 5);
        QCOMPARE(selection.count(), 1);
        QCOMPARE(movieIds(m_embeddings->neighbours()),
                 movieIds(nearestMovies(*m_model, 5, EmbeddingsController::kNeighbours,
                                        Similarity::Cosine)));
        m_embeddings->setSimilarity(Similarity::Dot);
        QCOMPARE(selection.count(), 2);
        QCOMPARE(movieIds(m_embeddings->neighbours()),
                 movieIds(nearestMovies(*m_model, 5, EmbeddingsController::kNeighbours,
                                        Similarity::Dot)));
        m_embeddings->setSimilarity(Similarity::Cosine);
        // Outside the map: ignored.
        m_embeddings->clickPoint(static_cast<int>(m_model->catalogue.size()));
        QCOMPARE(m_query->selectedMovie(), 5);
    }

    void queryIsPlacedAmongItsTopMovies() {
        const auto place = m_embeddings->queryPlacement();
        QVERIFY(place.throughPca);
        QVERIFY(place.marker.has_value());
        QCOMPARE(
            movieIds(recommend(*m_model, m_query->query(), EmbeddingsController::kRecommended)),
            place.recommended);
        // A new query re-projects the PCA (the star goes through it) and moves the star.
        UserQuery other = m_query->query();
        other.ageBucket = 56;
        other.gender = 0;
        m_query->setQuery(other);
        QVERIFY(m_embeddings->isProjecting());
        QVERIFY(waitForMap());
        QVERIFY(m_embeddings->queryPlacement().marker != place.marker);
    }

    // The user map lists the users and runs the query tower over them on the pool thread:
    // nothing of it is there until the projection returns.
    void userMapIsComputedOffTheGuiThread() {
        QSignalSpy changed(m_embeddings.get(), &EmbeddingsController::mapChanged);
        m_embeddings->setPoints(Points::Users);
        QVERIFY(m_embeddings->isProjecting());
        QVERIFY(m_embeddings->users().empty());
        QVERIFY(waitForMap());
        const auto users = datasetUserQueries(*demo());
        QCOMPARE(m_embeddings->users().size(), users.size());
        QCOMPARE(m_embeddings->usersDataset(), demo());
        QCOMPARE(m_embeddings->positions()->rows(), static_cast<Eigen::Index>(users.size()));
        QCOMPARE(m_embeddings->shownPoints(), Points::Users);
        QVERIFY(m_embeddings->queryPlacement().recommended.empty());

        // A user is selected and becomes the query.
        m_embeddings->clickPoint(3);
        QCOMPARE(m_embeddings->selectedPoint(), 3);
        m_embeddings->useSelectedUserAsQuery();
        QCOMPARE(m_query->realUser(), demo()->users[static_cast<std::size_t>(users[3].user)].id);
        QCOMPARE(m_query->query().timestamp, users[3].query.timestamp);

        // Another dataset: no map, the reason, nothing running.
        QSignalSpy cleared(m_embeddings.get(), &EmbeddingsController::mapCleared);
        m_query->setDataset(std::make_shared<const Dataset>(
            loadDataset(QStringLiteral(TOWERLAB_FIXTURES "/ml100k/valid").toStdString())));
        QVERIFY(!m_embeddings->isProjecting());
        QCOMPARE(cleared.count(), 1);
        QVERIFY2(cleared.at(0).at(0).toString().contains(QStringLiteral("other users")),
                 qPrintable(cleared.at(0).at(0).toString()));
        QVERIFY(!m_embeddings->positions().has_value());
        QCOMPARE(m_embeddings->statusText(), QStringLiteral("No user map"));
        // Its own dataset back: the listed users are reused, and the map comes back.
        m_query->setDataset(demo());
        QVERIFY(m_embeddings->isProjecting());
        QCOMPARE(m_embeddings->users().size(), users.size());
        QVERIFY(waitForMap());
        m_embeddings->setPoints(Points::Movies);
        QVERIFY(waitForMap());
        QCOMPARE(m_embeddings->shownPoints(), Points::Movies);
    }

    void cancelKeepsThePreviousMap() {
        const RowMatrix before = *m_embeddings->positions();
        QSignalSpy shown(m_embeddings.get(), &EmbeddingsController::projectionShown);
        QSignalSpy stopped(m_embeddings.get(), &EmbeddingsController::projectionStopped);
        m_embeddings->setMethod(ProjectionMethod::Tsne);
        m_embeddings->setTsneSettings(30.0, 5000);
        QVERIFY(m_embeddings->isProjecting());
        QTest::qWait(100);
        m_embeddings->cancelProjection();
        QTRY_VERIFY_WITH_TIMEOUT(!m_embeddings->isProjecting(), 3000);
        QVERIFY(stopped.count() >= 1);
        QCOMPARE(shown.count(), 0);
        QVERIFY2(m_embeddings->statusText().contains(QStringLiteral("cancelled")),
                 qPrintable(m_embeddings->statusText()));
        QVERIFY(*m_embeddings->positions() == before);
        m_embeddings->setTsneSettings(30.0, 1000);
        QVERIFY(waitForMap());
        const auto place = m_embeddings->queryPlacement();
        QVERIFY(!place.throughPca);
        QCOMPARE(place.anchors, EmbeddingsController::kQueryAnchors);
        QVERIFY(m_embeddings->captionText().contains(QStringLiteral("t-SNE")));
        m_embeddings->setMethod(ProjectionMethod::Pca);
        QVERIFY(waitForMap());
    }

    void noModelClearsTheMap() {
        QueryController query;
        EmbeddingsController embeddings(&query, nullptr);
        QSignalSpy cleared(&embeddings, &EmbeddingsController::mapCleared);
        embeddings.setActive(true);
        QVERIFY(!embeddings.isProjecting());
        QCOMPARE(cleared.count(), 1);
        QVERIFY(cleared.at(0).at(0).toString().contains(QStringLiteral("No model yet")));
        QVERIFY(!embeddings.canGoLive());
        embeddings.setLive(true); // without training there is no live mode
        QVERIFY(!embeddings.isLive());
        QString error;
        QVERIFY(!embeddings.exportProjector(QDir::tempPath(), Points::Movies, &error));
        QVERIFY(error.contains(QStringLiteral("no model")));
    }

    void liveModeFollowsTraining() {
        RunCollection runs;
        TrainingController training(&runs);
        QueryController query;
        query.setDataset(demo());
        query.setModel(m_model);
        EmbeddingsController embeddings(&query, &training);
        embeddings.setActive(true);
        QSignalSpy shown(&embeddings, &EmbeddingsController::projectionShown);
        QVERIFY(shown.wait(20000));
        QSignalSpy started(&embeddings, &EmbeddingsController::projectionStarted);
        embeddings.setLive(true);
        QVERIFY(embeddings.isLive());
        QCOMPARE(training.epochSnapshotInterval(), EmbeddingsController::kLiveEveryEpochs);
        QVERIFY(embeddings.captionText().contains(QStringLiteral("Live")));
        QSignalSpy finished(&training, &TrainingController::runFinished);
        shown.clear();
        training.enqueue(demoJob(5));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(!embeddings.isProjecting(), 20000);
        QVERIFY(shown.count() >= 1);
        QVERIFY(!started.isEmpty());
        QCOMPARE(started.at(0).at(0).toBool(), false); // live frames cannot be cancelled
        QVERIFY(embeddings.shownModel() != m_model);
        QVERIFY(embeddings.shownModel()->epochsTrained >= EmbeddingsController::kLiveEveryEpochs);
        embeddings.setLive(false);
        QCOMPARE(training.epochSnapshotInterval(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!embeddings.isProjecting(), 20000);
        QCOMPARE(embeddings.shownModel(), m_model);
    }
};

QTEST_GUILESS_MAIN(TestEmbeddingsController)
#include "test_embeddings_controller.moc"
