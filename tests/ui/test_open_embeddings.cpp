// File → Open embeddings… in the window: a Projector TSV written by hand the way other
// programs write it opens in the Embeddings tab off the GUI thread — one point per vector,
// nearest neighbours as the core computes them, the map titled by its file — while what
// needs TowerLab's towers (the user map, Live mode, the query star) says why it is off; a
// bad file gives a message naming file and line and the window keeps working; a model
// trained afterwards takes the map back.

#include "charts/embedding_map.hpp"
#include "controllers/dataset_controller.hpp"
#include "controllers/embeddings_controller.hpp"
#include "controllers/embeddings_importer.hpp"
#include "data/dataset.hpp"
#include "main_window.hpp"
#include "models/nearest_movies_model.hpp"
#include "ui_test_support.hpp"
#include "views/embeddings_view.hpp"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace towerlab;

namespace {

const QString kProjector = QStringLiteral(TOWERLAB_FIXTURES "/embeddings/projector/");

} // namespace

class TestOpenEmbeddings : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    QTemporaryDir m_files;
    std::unique_ptr<MainWindow> m_window;

    EmbeddingsController* controller() const { return m_window->embeddingsView()->controller(); }

    bool openAndWaitForMap(const QString& vectors, const QString& metadata = {}) {
        QSignalSpy shown(m_window->embeddingsView(), &EmbeddingsView::projectionShown);
        if (!m_window->openEmbeddings(vectors, metadata)) {
            return false;
        }
        return shown.wait(20000);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        QVERIFY(m_files.isValid());
        test::isolateSettings(m_settings);
    }

    void init() {
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->datasets()->dataset() != nullptr, 10000);
    }

    void cleanup() { m_window.reset(); }

    void projectorTsvOpensInTheEmbeddingsTab() {
        QVERIFY(openAndWaitForMap(kProjector + "vectors.tsv")); // metadata.tsv found beside
        QVERIFY(controller()->shownExternal() != nullptr);
        auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("mainTabs"));
        QCOMPARE(tabs->currentIndex(), int(MainWindow::EmbeddingsTab));
        EmbeddingMap* map = m_window->embeddingsView()->map();
        QCOMPARE(map->pointCount(), 6);
        QTRY_COMPARE(map->drawnPointCount(), 6);
        // The demo's titles are not these invented ones: nothing matched, all kept.
        const QString status = m_window->statusBar()->currentMessage();
        QVERIFY2(status.contains("6 vectors of 4 dimensions") &&
                     status.contains("0 titles of TowerLab demo matched") &&
                     status.contains("6 not"),
                 qPrintable(status));

        // Clicking the first movie lists its nearest: (0.9, 0.1, ...) is nearest to (1, 0, ...).
        controller()->clickPoint(0);
        NearestMoviesModel* near = m_window->embeddingsView()->neighbourModel();
        QTRY_VERIFY(near->rowCount() > 0);
        QCOMPARE(near->rowCount(), 5); // the other five vectors
        QCOMPARE(near->data(near->index(0, NearestMoviesModel::Title)).toString(),
                 QStringLiteral("Starship Riddle II (1996)"));
        QCOMPARE(near->data(near->index(0, NearestMoviesModel::Score)).toString(),
                 QLocale().toString(0.9939f, 'f', 3));
        // Search rings titles of these vectors.
        m_window->embeddingsView()->setSearchText(QStringLiteral("riddle"));
        QCOMPARE(map->searchMatchCount(), 2);
        m_window->embeddingsView()->setSearchText({});

        // query.tsv beside the vectors is their query: its top list is ringed, the star placed.
        QVERIFY(controller()->shownExternal()->queryVector.has_value());
        const auto place = controller()->queryPlacement();
        QCOMPARE(place.recommended.size(), std::size_t(6));
        QCOMPARE(place.recommended.front(), 0); // 0.5, first of the tied movies
        QVERIFY(place.marker.has_value());

        // What needs towers says why it is off.
        const QString caption = m_window->embeddingsView()->captionText();
        QVERIFY2(caption.contains("TowerLab has no towers for them") &&
                     caption.contains("vectors.tsv"),
                 qPrintable(caption));
        QVERIFY(!controller()->canGoLive());
        QSignalSpy cleared(controller(), &EmbeddingsController::mapCleared);
        m_window->embeddingsView()->setPoints(EmbeddingsController::Points::Users);
        QVERIFY(cleared.count() >= 1);
        QVERIFY2(cleared.last().at(0).toString().contains("No user map for vectors from elsewhere"),
                 qPrintable(cleared.last().at(0).toString()));
        QVERIFY(!controller()->positions().has_value());
        m_window->embeddingsView()->setPoints(EmbeddingsController::Points::Movies);
        QTRY_VERIFY_WITH_TIMEOUT(controller()->positions().has_value(), 20000);
        QCOMPARE(controller()->positions()->rows(), 6);
    }

    // By hand, for the README's worked example: TOWERLAB_OPEN_EMBEDDINGS names a vectors.tsv
    // exported by the PyTorch peer on MovieLens 100K (bench/peer, --export) and
    // TOWERLAB_ML100K the data; the window opens both, maps the vectors with t-SNE, selects a
    // movie and, with TOWERLAB_SCREENSHOT_DIR set, saves open-embeddings.png there.
    void peerExportInTheWindow() {
        const QString vectors = qEnvironmentVariable("TOWERLAB_OPEN_EMBEDDINGS");
        const QString data = qEnvironmentVariable("TOWERLAB_ML100K");
        if (vectors.isEmpty() || data.isEmpty()) {
            QSKIP("set TOWERLAB_OPEN_EMBEDDINGS (a peer export's vectors.tsv) and "
                  "TOWERLAB_ML100K to run this by hand");
        }
        m_window->resize(1600, 1000);
        m_window->openDataset(data);
        QTRY_VERIFY_WITH_TIMEOUT(m_window->datasets()->dataset() != nullptr &&
                                     m_window->datasets()->dataset()->movies.size() > 1000,
                                 20000);
        m_window->embeddingsView()->setMethod(ProjectionMethod::Tsne);
        QVERIFY(openAndWaitForMap(vectors));
        QTRY_VERIFY_WITH_TIMEOUT(!m_window->embeddingsView()->isProjecting() &&
                                     controller()->shownMethod() == ProjectionMethod::Tsne,
                                 120000);
        const auto catalogue = controller()->shownCatalogue();
        const auto star = std::find(catalogue->titles.begin(), catalogue->titles.end(),
                                    std::string("Star Wars (1977)"));
        QVERIFY(star != catalogue->titles.end());
        controller()->clickPoint(static_cast<int>(star - catalogue->titles.begin()));
        QTRY_VERIFY(m_window->embeddingsView()->neighbourModel()->rowCount() > 0);
        QTest::qWait(500);
        const QImage image = m_window->grab().toImage();
        QVERIFY(image.pixel(10, 10) != image.pixel(image.width() / 2, image.height() / 2) ||
                image.pixel(image.width() / 3, image.height() / 3) != image.pixel(10, 10));
        const QString dir = qEnvironmentVariable("TOWERLAB_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QVERIFY(image.save(QDir(dir).filePath(QStringLiteral("open-embeddings.png"))));
        }
    }

    void badFileSaysWhereAndTheWindowKeepsWorking() {
        const QString folder = m_files.filePath(QStringLiteral("ragged"));
        QVERIFY(QDir().mkpath(folder));
        {
            QFile v(folder + "/vectors.tsv");
            QVERIFY(v.open(QIODevice::WriteOnly));
            v.write("0.1\t0.2\t0.3\n0.4\t0.5\n");
            QFile m(folder + "/metadata.tsv");
            QVERIFY(m.open(QIODevice::WriteOnly));
            m.write("a\nb\n");
        }
        QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
        QVERIFY(m_window->openEmbeddings(folder + "/vectors.tsv"));
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 10000);
        const QString message = errors.at(0).at(1).toString();
        QVERIFY2(message.contains("vectors.tsv, line 2: has 2 values, but line 1 has 3"),
                 qPrintable(message));
        auto* box = m_window->findChild<QMessageBox*>(QStringLiteral("errorBox"));
        QVERIFY(box != nullptr && box->isVisible());
        box->close();
        QVERIFY(controller()->shownExternal() == nullptr);
        // A good file still opens afterwards.
        QVERIFY(openAndWaitForMap(kProjector + "vectors.tsv", kProjector + "metadata.tsv"));
        QCOMPARE(m_window->embeddingsView()->map()->pointCount(), 6);
    }

    void aModelTakesTheMapBack() {
        QVERIFY(openAndWaitForMap(kProjector + "vectors.tsv"));
        QVERIFY(controller()->external() != nullptr);
        m_window->openModel(QStringLiteral(TOWERLAB_FIXTURES "/models/") +
                            QDir(QStringLiteral(TOWERLAB_FIXTURES "/models"))
                                .entryList({QStringLiteral("*.tlm")})
                                .value(0));
        QTRY_VERIFY_WITH_TIMEOUT(controller()->external() == nullptr, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(controller()->shownExternal() == nullptr &&
                                     controller()->shownModel() != nullptr &&
                                     controller()->positions().has_value(),
                                 20000);
        QVERIFY(controller()->canGoLive());
        QVERIFY(!m_window->embeddingsView()->captionText().contains("no towers"));
    }
};

QTEST_MAIN(TestOpenEmbeddings)
#include "test_open_embeddings.moc"
