// The Scores tab's "Tutorial example" on the real MovieLens 100K: its three titles are in
// u.item exactly as the preset spells them, and after a short training run the preset fills
// the table with their scores and ranks, equal to core scoreMovies(). Skips without the data.

#include "controllers/model_controller.hpp"
#include "controllers/query_controller.hpp"
#include "data/movielens_100k.hpp"
#include "main_window.hpp"
#include "model/trained_model.hpp"
#include "models/title_scores_model.hpp"
#include "models/title_search_model.hpp"
#include "retrieval/retrieval.hpp"
#include "test_support.hpp"
#include "train/trainer.hpp"
#include "ui_test_support.hpp"
#include "views/scores_view.hpp"
#include "views/title_picker.hpp"

#include <QDir>
#include <QLineEdit>
#include <QTabWidget>
#include <QtTest>

#include <algorithm>

using namespace towerlab;

class TestScoresViewRealData : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        test::isolateSettings(m_settings);
    }

    void tutorialExampleOnMovieLens100k() {
        TOWERLAB_REQUIRE_ML100K(folder);
        const Dataset data = loadMovieLens100k(folder);
        for (const QString& title : ScoresView::tutorialTitles()) {
            const bool present =
                std::any_of(data.movies.begin(), data.movies.end(),
                            [&](const Movie& m) { return m.title == title.toStdString(); });
            QVERIFY2(present, qPrintable(title + " is not in u.item"));
        }
        // A few epochs of the tutorial's settings: enough for the scores to mean something in
        // the screenshot, a few seconds of training.
        TrainConfig t;
        t.epochs = 5;
        Trainer trainer(data, ModelConfig{}, t);
        ProgressSink sink;
        std::atomic<bool> cancel{false};
        const TrainedModelPtr model = trainer.fit(sink, cancel).model;

        QueryController query;
        ScoresView view(&query);
        query.setModel(model);
        view.addTutorialExample();
        QCOMPARE(view.scoresModel()->rowCount(), 3);
        QVERIFY2(!view.noticeText().contains("catalogue"), qPrintable(view.noticeText()));
        const std::vector<std::int32_t> movies = view.scoresModel()->movies();
        const auto core = scoreMovies(*model, query.query(), movies);
        for (std::size_t i = 0; i < core.size(); ++i) {
            QCOMPARE(view.scoresModel()->scores()[i].score, core[i].score);
            QCOMPARE(view.scoresModel()->scores()[i].rank, core[i].rank);
        }
        QVERIFY(core[0].score >= core[1].score && core[1].score >= core[2].score);
        qDebug("tutorial example after 5 epochs: %s %.4f (rank %d), %s %.4f (rank %d), "
               "%s %.4f (rank %d)",
               model->catalogue.titles[static_cast<std::size_t>(core[0].movie)].c_str(),
               static_cast<double>(core[0].score), core[0].rank,
               model->catalogue.titles[static_cast<std::size_t>(core[1].movie)].c_str(),
               static_cast<double>(core[1].score), core[1].rank,
               model->catalogue.titles[static_cast<std::size_t>(core[2].movie)].c_str(),
               static_cast<double>(core[2].score), core[2].rank);

        // In the window at 1280x800, to look at when $TOWERLAB_SCREENSHOT_DIR is set.
        const QByteArray dir = qgetenv("TOWERLAB_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            MainWindowOptions options;
            options.loadDemo = false;
            MainWindow window(options);
            window.resize(1280, 800);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.models()->setCurrent(model, 0);
            window.tabs()->setCurrentIndex(MainWindow::ScoresTab);
            window.scoresView()->addTutorialExample();
            QTRY_COMPARE(window.size(), QSize(1280, 800));
            QCoreApplication::processEvents();
            QDir().mkpath(QString::fromLocal8Bit(dir));
            QVERIFY(window.grab().save(
                QDir(QString::fromLocal8Bit(dir)).filePath("1280x800-scores-ml100k.png")));
        }

        // A real title typed without its capitals and punctuation is found.
        view.picker()->lineEdit()->setText(QStringLiteral("lion king"));
        view.picker()->searchModel()->setSearchText(QStringLiteral("lion king"));
        QVERIFY(view.picker()->searchModel()->rowCount() >= 1);
        QCOMPARE(view.picker()->searchModel()->index(0).data().toString(),
                 QStringLiteral("Lion King, The (1994)"));
    }
};

TOWERLAB_REALDATA_MAIN(TestScoresViewRealData)
#include "test_scores_view_realdata.moc"
