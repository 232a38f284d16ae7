// The Embeddings tab on the offscreen platform with a model trained on the demo dataset: one
// marker per movie, colours and legend that change without re-projecting, search rings,
// neighbours equal to the core's, the query star, the user map and its dataset check,
// projections that leave the event loop turning and can be cancelled, live frames during
// training, and the exports.

#include "charts/embedding_map.hpp"
#include "controllers/query_controller.hpp"
#include "controllers/run_collection.hpp"
#include "controllers/training_controller.hpp"
#include "data/dataset_loader.hpp"
#include "data/demo_dataset.hpp"
#include "demo_model_support.hpp"
#include "event_loop_probe.hpp"
#include "model/trained_model.hpp"
#include "models/nearest_movies_model.hpp"
#include "retrieval/retrieval.hpp"
#include "retrieval/user_queries.hpp"
#include "train/trainer.hpp"
#include "ui_test_support.hpp"
#include "views/embeddings_view.hpp"

#include <QImage>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QWheelEvent>
#include <QtCharts/QChartView>
#include <QtTest>

#include <memory>

using namespace towerlab;
using test::demo;
using test::demoJob;
using test::movieIds;
using test::trainDemo;

namespace {} // namespace

class TestEmbeddingsView : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    QTemporaryDir m_files;
    TrainedModelPtr m_model;
    std::unique_ptr<QueryController> m_query;
    std::unique_ptr<EmbeddingsView> m_view;

    bool waitForMap(int timeoutMs = 20000) {
        QSignalSpy shown(m_view.get(), &EmbeddingsView::projectionShown);
        if (!m_view->isProjecting()) {
            return true;
        }
        return shown.wait(timeoutMs);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        QVERIFY(m_files.isValid());
        test::isolateSettings(m_settings);
        m_model = trainDemo(3);
        m_query = std::make_unique<QueryController>();
        m_query->setDataset(demo());
        m_query->setModel(m_model);
        m_view = std::make_unique<EmbeddingsView>(m_query.get(), nullptr);
        m_view->resize(1280, 800);
        QSignalSpy shown(m_view.get(), &EmbeddingsView::projectionShown);
        m_view->show();
        QVERIFY(shown.wait(20000));
    }

    void cleanupTestCase() {
        m_view.reset();
        m_query.reset();
    }

    void scatterHoldsOnePointPerMovie() {
        const int movies = static_cast<int>(m_model->catalogue.size());
        QCOMPARE(m_view->map()->pointCount(), movies);
        // Big series fill in slices on later event-loop turns.
        QTRY_COMPARE(m_view->map()->drawnPointCount(), movies);
        QVERIFY(!m_view->map()->isSettling());
        QVERIFY2(m_view->statusText().contains(QStringLiteral("PCA")),
                 qPrintable(m_view->statusText()));
        QVERIFY(m_view->statusText().contains(QStringLiteral("trustworthiness@10")));
        QVERIFY(!m_view->captionText().isEmpty());
    }

    // Zoomed into an empty corner, the map says the points are off-screen and offers the way
    // back; taking it fits the map to every point again.
    void zoomingAwayFromEveryPointOffersResetZoom() {
        EmbeddingMap* map = m_view->map();
        auto* view = map->findChild<QChartView*>(QStringLiteral("embeddingChartView"));
        QVERIFY(view != nullptr);
        QVERIFY(!map->showsOffscreenHint());
        const QRectF area = view->chart()->plotArea();
        const QPoint corner =
            view->mapFromScene(view->chart()->mapToScene(area.topLeft() + QPointF(2, 2)));
        for (int step = 0; step < 12; ++step) {
            QWheelEvent wheel(QPointF(corner), QPointF(view->viewport()->mapToGlobal(corner)),
                              QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                              Qt::NoScrollPhase, false);
            QApplication::sendEvent(view->viewport(), &wheel);
        }
        QVERIFY(map->showsOffscreenHint());
        auto* hint = map->findChild<QPushButton*>(QStringLiteral("offscreenHint"));
        QVERIFY(hint != nullptr && hint->isVisible());
        QTest::mouseClick(hint, Qt::LeftButton);
        QVERIFY(!map->showsOffscreenHint());
        // Zooming in on the middle keeps points in view: no hint.
        const QPoint middle = view->mapFromScene(view->chart()->mapToScene(area.center()));
        QWheelEvent wheel(QPointF(middle), QPointF(view->viewport()->mapToGlobal(middle)), QPoint(),
                          QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(view->viewport(), &wheel);
        QVERIFY(!map->showsOffscreenHint());
        map->resetZoom();
    }

    void colouringChangesTheLegendWithoutReprojecting() {
        m_view->setColouring(0);
        const QStringList genres = m_view->map()->legendLabels();
        QVERIFY(!genres.isEmpty());
        const QString firstGenre = QString::fromStdString(
            m_model->catalogue
                .genreNames[static_cast<std::size_t>(m_model->catalogue.genres[0].front())]);
        QVERIFY2(genres.contains(firstGenre), qPrintable(genres.join(", ")));
        const QPointF before = m_view->map()->position(7);

        m_view->setColouring(1); // release decade
        QVERIFY(!m_view->isProjecting());
        const QStringList decades = m_view->map()->legendLabels();
        QVERIFY(decades != genres);
        QVERIFY2(decades.join(' ').contains(QStringLiteral("0s")), qPrintable(decades.join(", ")));
        QCOMPARE(m_view->map()->position(7), before);
        QTRY_COMPARE(m_view->map()->drawnPointCount(), m_view->map()->pointCount());

        m_view->setColouring(2); // popularity
        QVERIFY(!m_view->isProjecting());
        QVERIFY(m_view->map()->legendLabels().join(' ').contains(QStringLiteral("ratings")));
        m_view->setSizeByPopularity(true);
        QVERIFY(!m_view->isProjecting());
        m_view->setSizeByPopularity(false);
        m_view->setColouring(0);
    }

    void searchHighlightsMatches() {
        // A word of the first title, so the demo's invented titles always match something.
        const QString first = QString::fromStdString(m_model->catalogue.titles[0]);
        const QString word = first.split(' ').front();
        m_view->setSearchText(word);
        const auto expected = searchTitles(*m_model, word.toStdString(), m_model->catalogue.size());
        QVERIFY(!expected.empty());
        QCOMPARE(m_view->map()->searchMatchCount(), static_cast<int>(expected.size()));
        m_view->setSearchText(QStringLiteral("no title has this zqxw"));
        QCOMPARE(m_view->map()->searchMatchCount(), 0);
        m_view->setSearchText({});
        QCOMPARE(m_view->map()->searchMatchCount(), 0);
    }

    void selectingListsTheCoreNeighbours() {
        m_view->setSimilarity(Similarity::Cosine);
        m_view->clickPoint(5);
        QCOMPARE(m_query->selectedMovie(), 5);
        const auto cosine =
            nearestMovies(*m_model, 5, EmbeddingsView::kNeighbours, Similarity::Cosine);
        QCOMPARE(movieIds(m_view->neighbourModel()->neighbours()), movieIds(cosine));
        QCOMPARE(m_view->neighbourTable()->model()->rowCount(), EmbeddingsView::kNeighbours);
        const QString firstTitle = m_view->neighbourTable()
                                       ->model()
                                       ->index(0, NearestMoviesModel::Title)
                                       .data()
                                       .toString();
        QCOMPARE(firstTitle,
                 QString::fromStdString(
                     m_model->catalogue.titles[static_cast<std::size_t>(cosine[0].movie)]));

        m_view->setSimilarity(Similarity::Dot);
        const auto dot = nearestMovies(*m_model, 5, EmbeddingsView::kNeighbours, Similarity::Dot);
        QCOMPARE(movieIds(m_view->neighbourModel()->neighbours()), movieIds(dot));
        const QAbstractItemModel* table = m_view->neighbourTable()->model();
        QCOMPARE(table->headerData(NearestMoviesModel::Score, Qt::Horizontal).toString(),
                 QStringLiteral("Dot"));
        const int year = m_model->catalogue.years[static_cast<std::size_t>(dot[0].movie)];
        QCOMPARE(table->index(0, NearestMoviesModel::Year).data(),
                 year > 0 ? QVariant(year) : QVariant(QStringLiteral("–")));
        QVERIFY(m_view->neighbourTable()->isColumnHidden(NearestMoviesModel::Genres));
        QVERIFY(!m_view->neighbourTable()->isColumnHidden(NearestMoviesModel::Year));
        QVERIFY(table->index(0, NearestMoviesModel::Title)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("list its own neighbours")));
        // Double-clicking a neighbour selects it, and the list follows.
        emit m_view->neighbourTable()->doubleClicked(table->index(1, NearestMoviesModel::Title));
        QCOMPARE(m_query->selectedMovie(), dot[1].movie);
        QCOMPARE(m_view->neighbourModel()->movie(), dot[1].movie);
        m_view->setSimilarity(Similarity::Cosine);
        QCOMPARE(table->headerData(NearestMoviesModel::Score, Qt::Horizontal).toString(),
                 QStringLiteral("Cosine"));

        // A real click on a drawn marker selects the point under the mouse.
        QChartView* chart = m_view->map()->chartView();
        const int target = 42;
        const QPointF at = m_view->map()->viewPosition(target);
        const int expected = m_view->map()->pointAt(at);
        QVERIFY(expected >= 0);
        QTest::mouseClick(chart->viewport(), Qt::LeftButton, {}, at.toPoint());
        QCOMPARE(m_query->selectedMovie(), expected);

        // Show in Scores asks the shared controller.
        QSignalSpy scores(m_query.get(), &QueryController::showInScoresRequested);
        auto* button = m_view->findChild<QPushButton*>(QStringLiteral("embeddingShowInScores"));
        QVERIFY(button != nullptr && button->isEnabled());
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(scores.count(), 1);
        QCOMPARE(scores.at(0).at(0).toInt(), expected);
    }

    void queryIsAStarAmongItsTopFifty() {
        QVERIFY(m_view->map()->queryMarker().has_value());
        QCOMPARE(m_view->map()->recommendedCount(), EmbeddingsView::kRecommended);
        // A new query moves the star (PCA: re-projected with the query) and its top 50.
        UserQuery other = m_query->query();
        other.ageBucket = 56;
        other.gender = 0;
        other.occupationLabel = 3;
        const QPointF before = *m_view->map()->queryMarker();
        m_query->setQuery(other);
        QVERIFY(waitForMap());
        QVERIFY(m_view->map()->queryMarker().has_value());
        QVERIFY(*m_view->map()->queryMarker() != before);
    }

    void tsneRunsOffTheGuiThread() {
        m_view->setTsneSettings(30.0, 1000);
        test::EventLoopProbe probe;
        QSignalSpy shown(m_view.get(), &EmbeddingsView::projectionShown);
        probe.start();
        m_view->setMethod(ProjectionMethod::Tsne);
        QVERIFY(m_view->isProjecting());
        QVERIFY(shown.wait(30000));
        QTest::qWait(300); // the new map's first paints count too
        probe.stop();
        TOWERLAB_CHECK_RESPONSIVE(probe);
        QVERIFY2(m_view->statusText().contains(QStringLiteral("t-SNE")),
                 qPrintable(m_view->statusText()));
        QCOMPARE(m_view->map()->pointCount(), static_cast<int>(m_model->catalogue.size()));
        // The star stands at the mean of the query's top-10 movies.
        const auto top = recommend(*m_model, m_query->query(), EmbeddingsView::kQueryAnchors);
        QPointF mean;
        for (const ScoredMovie& m : top) {
            mean += m_view->map()->position(m.movie);
        }
        mean /= static_cast<double>(top.size());
        QVERIFY(m_view->map()->queryMarker().has_value());
        const QPointF d = *m_view->map()->queryMarker() - mean;
        QVERIFY(std::abs(d.x()) < 1e-3 && std::abs(d.y()) < 1e-3);
        QVERIFY(m_view->captionText().contains(QStringLiteral("t-SNE")));
    }

    void cancelStopsAProjection() {
        const QPointF before = m_view->map()->position(3);
        QSignalSpy shown(m_view.get(), &EmbeddingsView::projectionShown);
        m_view->setTsneSettings(30.0, 5000);
        QVERIFY(m_view->isProjecting());
        QTest::qWait(150);
        QElapsedTimer clock;
        clock.start();
        m_view->cancelProjection();
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->isProjecting(), 3000);
        qDebug("cancelled within %lld ms", static_cast<long long>(clock.elapsed()));
        QCOMPARE(shown.count(), 0);
        QVERIFY2(m_view->statusText().contains(QStringLiteral("cancelled")),
                 qPrintable(m_view->statusText()));
        QCOMPARE(m_view->map()->position(3), before); // the previous map stays
        m_view->setTsneSettings(30.0, 1000);
        QVERIFY(waitForMap());
        m_view->setMethod(ProjectionMethod::Pca);
        QVERIFY(waitForMap());
    }

    void userMapNeedsTheModelsDataset() {
        m_view->setPoints(EmbeddingsView::Points::Users);
        QVERIFY(waitForMap());
        const auto users = datasetUserQueries(*demo());
        QCOMPARE(m_view->map()->pointCount(), static_cast<int>(users.size()));
        QVERIFY(m_view->map()->legendLabels().contains(QStringLiteral("25–34")));
        m_view->setColouring(2);
        QVERIFY(!m_view->isProjecting());
        QCOMPARE(m_view->map()->legendLabels(), (QStringList{"female", "male"}));
        QVERIFY(!m_view->map()->queryMarker().has_value());

        // Another dataset: the map refuses and says why.
        m_query->setDataset(std::make_shared<const Dataset>(
            loadDataset(QStringLiteral(TOWERLAB_FIXTURES "/ml100k/valid").toStdString())));
        QCOMPARE(m_view->map()->pointCount(), 0);
        QVERIFY(!m_view->isProjecting());
        m_query->setDataset(demo());
        QVERIFY(waitForMap());
        QCOMPARE(m_view->map()->pointCount(), static_cast<int>(users.size()));
        m_view->setPoints(EmbeddingsView::Points::Movies);
        QVERIFY(waitForMap());
        QCOMPARE(m_view->map()->pointCount(), static_cast<int>(m_model->catalogue.size()));
    }

    void exportsWriteFiles() {
        QString error;
        const QString png = m_files.filePath(QStringLiteral("map.png"));
        QVERIFY2(m_view->exportMapImage(png, &error), qPrintable(error));
        QImage image(png);
        QVERIFY(!image.isNull() && image.width() > 400);
        const QString svg = m_files.filePath(QStringLiteral("map.svg"));
        QVERIFY2(m_view->exportMapImage(svg, &error), qPrintable(error));
        QFile svgFile(svg);
        QVERIFY(svgFile.open(QIODevice::ReadOnly));
        QVERIFY(svgFile.readAll().contains("<svg"));
        QVERIFY(!m_view->exportMapImage(m_files.filePath(QStringLiteral("map.bmp")), &error));

        auto lines = [](const QString& path) {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll().count('\n') : -1;
        };
        const QString movies = m_files.filePath(QStringLiteral("movies"));
        QVERIFY2(m_view->exportProjector(movies, EmbeddingsView::Points::Movies, &error),
                 qPrintable(error));
        QCOMPARE(lines(movies + "/vectors.tsv"), static_cast<qsizetype>(m_model->catalogue.size()));
        QCOMPARE(lines(movies + "/metadata.tsv"),
                 static_cast<qsizetype>(m_model->catalogue.size() + 1));
        const QString users = m_files.filePath(QStringLiteral("users"));
        QVERIFY2(m_view->exportProjector(users, EmbeddingsView::Points::Users, &error),
                 qPrintable(error));
        QCOMPARE(lines(users + "/vectors.tsv"),
                 static_cast<qsizetype>(datasetUserQueries(*demo()).size()));
    }

    void liveModeFollowsTraining() {
        RunCollection runs;
        TrainingController training(&runs);
        QueryController query;
        query.setDataset(demo());
        query.setModel(m_model);
        EmbeddingsView view(&query, &training);
        view.resize(1000, 700);
        QSignalSpy shown(&view, &EmbeddingsView::projectionShown);
        view.show();
        QVERIFY(shown.wait(20000));
        view.setLive(true);
        QCOMPARE(training.epochSnapshotInterval(), EmbeddingsView::kLiveEveryEpochs);
        QSignalSpy snapshots(&training, &TrainingController::epochSnapshot);
        QSignalSpy finished(&training, &TrainingController::runFinished);
        shown.clear();
        training.enqueue(demoJob(7));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QVERIFY2(snapshots.count() == 3, qPrintable(QString::number(snapshots.count())));
        QTRY_VERIFY_WITH_TIMEOUT(!view.isProjecting(), 20000);
        QVERIFY2(shown.count() >= 1, qPrintable(QString::number(shown.count())));
        QVERIFY(view.shownModel() != m_model);
        QVERIFY(view.shownModel()->epochsTrained >= EmbeddingsView::kLiveEveryEpochs);
        QCOMPARE(view.map()->pointCount(), static_cast<int>(m_model->catalogue.size()));
        view.setLive(false);
        QCOMPARE(training.epochSnapshotInterval(), 0);
        QTRY_VERIFY_WITH_TIMEOUT(!view.isProjecting(), 20000);
        QCOMPARE(view.shownModel(), m_model);
    }
};

QTEST_MAIN(TestEmbeddingsView)
#include "test_embeddings_view.moc"
