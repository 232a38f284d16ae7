// "Where this score comes from": the dialog's bars are the model's own per-dimension products
// and sum to the score the lists show; each tower's table walks inputs, layers and vector; and
// double-clicking a score in the Scores table or a Recommend list opens it.

#include "charts/signed_bar_chart.hpp"
#include "controllers/query_controller.hpp"
#include "demo_model_support.hpp"
#include "models/tower_path_model.hpp"
#include "views/recommend_view.hpp"
#include "views/score_derivation_dialog.hpp"
#include "views/scores_view.hpp"

#include "retrieval/retrieval.hpp"

#include <QApplication>
#include <QLabel>
#include <QTableView>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace towerlab;

namespace {

TrainedModelPtr model() {
    static const TrainedModelPtr trained = test::trainDemo(2);
    return trained;
}

ScoreDerivationDialog* openDialog() {
    for (QWidget* widget : QApplication::topLevelWidgets()) {
        if (auto* dialog = qobject_cast<ScoreDerivationDialog*>(widget);
            dialog && dialog->isVisible()) {
            return dialog;
        }
    }
    return nullptr;
}

void doubleClickRow(QTableView* table, int row) {
    // The first column on screen (some are hidden).
    int column = 0;
    while (table->isColumnHidden(column) || table->columnWidth(column) == 0) {
        ++column;
    }
    table->scrollToTop();
    const QRect cell = table->visualRect(table->model()->index(row, column));
    // An item view opens on a double click only over the index the press was on.
    QTest::mousePress(table->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseRelease(table->viewport(), Qt::LeftButton, {}, cell.center());
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, cell.center());
}

} // namespace

class TestScoreDerivationDialog : public QObject {
    Q_OBJECT

private slots:
    void cleanup() {
        for (QWidget* widget : QApplication::topLevelWidgets()) {
            if (qobject_cast<ScoreDerivationDialog*>(widget)) {
                delete widget;
            }
        }
    }

    void barsAreTheProductsAndSumToTheListedScore() {
        const UserQuery query{35, 4, 0, 1690000000, -1, {}};
        const std::int32_t movie = 7;
        ScoreDerivationDialog dialog(model(), query, movie, QStringLiteral("someone"));
        const std::vector<ScoredMovie> listed =
            scoreMovies(*model(), query, std::vector<std::int32_t>{movie});
        const std::vector<double>& bars = dialog.productsChart()->values();
        QCOMPARE(bars.size(), std::size_t(model()->config.outputDim()));
        double sum = 0;
        for (const double b : bars) {
            sum += b;
        }
        QVERIFY(std::abs(sum - listed[0].score) < 1e-4);
        QVERIFY(
            dialog.sumText()->text().contains(QString::number(dialog.derivation().score, 'f', 4)));
        const RowVector q = queryEmbedding(*model(), query);
        QCOMPARE(bars[3], double(q(3) * model()->candidateEmbeddings(movie, 3)));
        QVERIFY(
            dialog.productsChart()->hoverTexts()[3].startsWith(QStringLiteral("dimension 4: ")));

        // The user tower: the tutorial's five features, one dense layer, the query vector.
        TowerPathModel* user = dialog.queryPath();
        QCOMPARE(user->rowCount(), 5 + 1 + 1);
        QCOMPARE(user->index(0, TowerPathModel::Step).data().toString(),
                 QStringLiteral("Age group"));
        QCOMPARE(user->index(0, TowerPathModel::Value).data().toString(), QStringLiteral("35-44"));
        QCOMPARE(user->index(0, TowerPathModel::Size).data().toInt(), 32);
        QCOMPARE(user->index(6, TowerPathModel::Step).data().toString(),
                 QStringLiteral("Query vector"));
        const QStringList shown =
            user->index(6, TowerPathModel::Numbers).data().toString().split(QStringLiteral("  "));
        QCOMPARE(shown.size(), 32);
        QCOMPARE(shown[3], QString::number(double(q(3)), 'f', 3));
        // The movie tower: title id and title words.
        TowerPathModel* movieTower = dialog.moviePath();
        QCOMPARE(movieTower->rowCount(), 2 + 1 + 1);
        QCOMPARE(movieTower->index(0, TowerPathModel::Value).data().toString(),
                 QString::fromStdString(model()->catalogue.titles[movie]));
    }

    void doubleClickingAScoreOpensIt() {
        QueryController query;
        query.setDataset(test::demo());
        query.setModel(model());
        ScoresView scores(&query);
        scores.resize(1200, 700);
        scores.show();
        QVERIFY(QTest::qWaitForWindowExposed(&scores));
        QVERIFY(scores.addMovie(11));
        QVERIFY(scores.addMovie(12));
        auto* table = scores.findChild<QTableView*>(QStringLiteral("scoreTable"));
        QTRY_COMPARE(table->model()->rowCount(), 2);
        doubleClickRow(table, 0);
        QTRY_VERIFY(openDialog() != nullptr);
        const int movie = openDialog()->derivation().movie;
        QVERIFY(movie == 11 || movie == 12);
        const std::vector<ScoredMovie> listed =
            scoreMovies(*model(), query.query(), std::vector<std::int32_t>{movie});
        QVERIFY(std::abs(openDialog()->derivation().score - listed[0].score) < 1e-4);
    }

    void doubleClickingARecommendationOpensIt() {
        QueryController query;
        query.setDataset(test::demo());
        query.setModel(model());
        RecommendView view(&query);
        view.resize(1280, 800);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        auto* table = view.findChild<QTableView*>(QStringLiteral("recommendTableA"));
        QTRY_VERIFY(table->model()->rowCount() > 0);
        doubleClickRow(table, 0);
        QTRY_VERIFY(openDialog() != nullptr);
        const int movie = table->model()->index(0, 1).data(Qt::UserRole).toInt();
        QCOMPARE(openDialog()->derivation().movie, movie);
        const std::vector<ScoredMovie> listed =
            scoreMovies(*model(), query.query(), std::vector<std::int32_t>{movie});
        QVERIFY(std::abs(openDialog()->derivation().score - listed[0].score) < 1e-4);
        QCOMPARE(QString::number(openDialog()->derivation().score, 'f', 3),
                 table->model()->index(0, 1).data(Qt::UserRole + 1).isValid()
                     ? QString::number(
                           table->model()->index(0, 1).data(Qt::UserRole + 1).toDouble(), 'f', 3)
                     : QString());
    }
};

QTEST_MAIN(TestScoreDerivationDialog)
#include "test_score_derivation_dialog.moc"
