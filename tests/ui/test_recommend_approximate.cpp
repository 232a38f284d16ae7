// The Recommend tab's approximate search on the offscreen platform: clicking the toggle builds
// the HNSW index off the GUI thread, the list then comes from it (and equals the core's answer
// for the same index settings), the shown recall is the measured one, ef changes the search,
// a model change drops the index, and a build can be cancelled.

#include "controllers/approximate_index.hpp"
#include "controllers/query_controller.hpp"
#include "data/demo_dataset.hpp"
#include "model/trained_model.hpp"
#include "models/recommendation_table_model.hpp"
#include "retrieval/hnsw_index.hpp"
#include "retrieval/retrieval.hpp"
#include "test_support.hpp"
#include "train/trainer.hpp"
#include "ui_test_support.hpp"
#include "views/recommend_view.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QtTest>

#include <memory>

using namespace towerlab;

namespace {

std::vector<std::int32_t> moviesShown(const RecommendationTableModel* model) {
    std::vector<std::int32_t> out;
    for (int r = 0; r < model->rowCount(); ++r) {
        out.push_back(model->index(r, RecommendationTableModel::Title)
                          .data(RecommendationTableModel::MovieRole)
                          .toInt());
    }
    return out;
}

std::vector<std::int32_t> moviesOf(const std::vector<ScoredMovie>& list) {
    std::vector<std::int32_t> out;
    for (const ScoredMovie& m : list) {
        out.push_back(m.movie);
    }
    return out;
}

} // namespace

class TestRecommendApproximate : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    std::shared_ptr<const Dataset> m_demo;
    TrainedModelPtr m_model;
    std::unique_ptr<QueryController> m_query;
    std::unique_ptr<RecommendView> m_view;

    template <typename T> T* child(const char* name) const {
        T* w = m_view->findChild<T*>(QString::fromLatin1(name));
        if (w == nullptr) {
            qFatal("no child named %s", name);
        }
        return w;
    }

    TrainedModelPtr train(int epochs) const {
        TrainConfig training;
        training.epochs = epochs;
        training.batchSize = 1024;
        training.evalEvery = 0;
        Trainer trainer(*m_demo, ModelConfig{}, training);
        ProgressSink sink;
        std::atomic<bool> cancel{false};
        return trainer.fit(sink, cancel).model;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        test::isolateSettings(m_settings);
        m_demo = std::make_shared<const Dataset>(makeDemoDataset());
        m_model = train(3);
        QVERIFY(m_model != nullptr);
    }

    void init() {
        m_query = std::make_unique<QueryController>();
        m_view = std::make_unique<RecommendView>(m_query.get());
        m_view->resize(1280, 760);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
        m_query->setDataset(m_demo);
        m_query->setModel(m_model);
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->ratedMoviesPending(), 10000);
    }

    void cleanup() {
        m_view.reset();
        m_query.reset();
    }

    void toggleBuildsTheIndexAndShowsTheMeasuredRecall() {
        RecommendController* c = m_view->controller();
        auto* toggle = child<QCheckBox>("approximateSearch");
        auto* status = child<QLabel>("approximateStatus");
        auto* ef = child<QComboBox>("approximateEf");
        QVERIFY(!toggle->isChecked());
        QVERIFY(!status->isVisible());
        QVERIFY(!ef->isEnabled());
        const std::vector<std::int32_t> exact = moviesShown(m_view->listA());
        QCOMPARE(exact.size(), std::size_t{50});

        QTest::mouseClick(toggle, Qt::LeftButton, {}, QPoint(8, toggle->height() / 2));
        QVERIFY(toggle->isChecked());
        QVERIFY(c->approximate());
        QVERIFY(ef->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(c->listsAreApproximate(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("recall@50")), 30000);

        // The list is the index's answer for the query on screen, at ef = max(50, k) = 50.
        const auto index = c->approximateIndex()->index();
        QVERIFY(index != nullptr);
        QCOMPARE(index->size(), m_model->catalogue.size());
        const RowVector q = queryEmbedding(*m_model, m_query->query());
        QCOMPARE(moviesShown(m_view->listA()), moviesOf(index->search(q, 50, 50)));
        QVERIFY(child<QLabel>("recommendTiming")->text().contains(QStringLiteral("HNSW")));

        // The recall shown is the one measured over the dataset's users, and it is high.
        const auto& m = c->approximateIndex()->measurement();
        QVERIFY(m.has_value());
        QCOMPARE(m->k, std::size_t{50});
        QCOMPARE(m->ef, std::size_t{50});
        QCOMPARE(m->queries, std::size_t{ApproximateIndex::kSampleQueries});
        QVERIFY2(m->recall >= 0.9, qPrintable(QString::number(m->recall)));
        const QString shown = QLocale().toString(m->recall, 'f', 3);
        QVERIFY2(status->text().contains(QStringLiteral("recall@50 = %1").arg(shown)),
                 qPrintable(status->text()));
        QVERIFY(status->text().contains(QStringLiteral("users' queries")));

        // ef 500 covers the demo catalogue: every band is scanned whole, so the list is exact
        // and the measured recall is exactly 1.
        ef->setCurrentIndex(ef->findData(500));
        emit ef->activated(ef->currentIndex());
        QCOMPARE(c->ef(), 500);
        QCOMPARE(moviesShown(m_view->listA()), exact);
        QTRY_VERIFY_WITH_TIMEOUT(
            status->text().contains(
                QStringLiteral("recall@50 = %1").arg(QLocale().toString(1.0, 'f', 3))),
            30000);

        const QByteArray dir = qgetenv("TOWERLAB_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QDir().mkpath(QString::fromLocal8Bit(dir));
            QVERIFY(m_view->grab().save(
                QDir(QString::fromLocal8Bit(dir)).filePath("recommend-approximate.png")));
        }

        // Off: exact lists again, the status hidden.
        QTest::mouseClick(toggle, Qt::LeftButton, {}, QPoint(8, toggle->height() / 2));
        QVERIFY(!c->listsAreApproximate());
        QVERIFY(!status->isVisible());
        QCOMPARE(moviesShown(m_view->listA()), exact);
    }

    void aNewModelDropsTheIndex() {
        RecommendController* c = m_view->controller();
        c->setApproximate(true);
        QTRY_VERIFY_WITH_TIMEOUT(c->listsAreApproximate(), 30000);
        const auto first = c->approximateIndex()->index();
        const TrainedModelPtr other = train(1);
        m_query->setModel(other);
        QVERIFY(c->approximateIndex()->index() != first);
        // Rebuilt for the new model, since approximate search is still on.
        QTRY_VERIFY_WITH_TIMEOUT(c->listsAreApproximate(), 30000);
        QVERIFY(c->approximateIndex()->index() != first);
        const RowVector q = queryEmbedding(*other, m_query->query());
        QCOMPARE(moviesShown(m_view->listA()),
                 moviesOf(c->approximateIndex()->index()->search(q, 50, 50)));
    }

    void aBuildCanBeCancelled() {
        RecommendController* c = m_view->controller();
        c->setApproximate(true);
        // The build's result arrives through the event loop, which has not run yet.
        QVERIFY(c->approximateIndex()->building());
        QVERIFY(child<QPushButton>("cancelIndexBuild")->isVisible());
        QTest::mouseClick(child<QPushButton>("cancelIndexBuild"), Qt::LeftButton);
        QVERIFY(!c->approximateIndex()->building());
        QVERIFY(c->approximateIndex()->index() == nullptr);
        QVERIFY(!c->listsAreApproximate());
        QVERIFY(child<QLabel>("approximateStatus")->text().contains("cancelled"));
        QTest::qWait(200); // the dropped build's result, if it finishes, is not used
        QVERIFY(c->approximateIndex()->index() == nullptr);
        // Off and on again builds it.
        c->setApproximate(false);
        c->setApproximate(true);
        QTRY_VERIFY_WITH_TIMEOUT(c->listsAreApproximate(), 30000);
    }
};

QTEST_MAIN(TestRecommendApproximate)
#include "test_recommend_approximate.moc"
