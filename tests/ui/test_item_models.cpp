// The table models behind the movie table, the run table and a recommendation list, each
// attached to QAbstractItemModelTester while data is swapped in, filtered, sorted, added and
// removed; a list's tooltips say what its numbers are for a model and for vectors from elsewhere.

#include "controllers/run_collection.hpp"
#include "data/dataset_summary.hpp"
#include "data/demo_dataset.hpp"
#include "model/trained_model.hpp"
#include "models/movie_filter_proxy.hpp"
#include "models/movie_order.hpp"
#include "models/movie_table_model.hpp"
#include "models/recommendation_table_model.hpp"
#include "models/run_table_model.hpp"

#include <QAbstractItemModelTester>
#include <QSortFilterProxyModel>
#include <QtTest>

#include <algorithm>
#include <numeric>
#include <utility>

using namespace towerlab;

namespace {

Dataset tinyDataset() {
    Dataset d;
    d.name = "tiny";
    d.genreNames = {"unknown", "Drama", "Comedy"};
    User u;
    u.id = 1;
    u.ageBucket = 25;
    u.occupationLabel = 17;
    u.gender = 1;
    d.users = {u};
    auto movie = [](std::int64_t id, const char* title, std::vector<int> genres, int year) {
        Movie m;
        m.id = id;
        m.title = title;
        m.genres = std::move(genres);
        m.year = year;
        return m;
    };
    d.movies = {movie(9, "Misérables du Port, Les (1995)", {1}, 1995),
                movie(10, "Glass Tide (1999)", {1, 2}, 1999),
                movie(100, "Paper Moons (2001)", {2}, 2001)};
    d.ratings = {{0, 0, 5.0f, 880000000}, {0, 1, 3.0f, 880000100}, {0, 1, 4.0f, 880000200}};
    return d;
}

// The dataset movies the proxy shows, top to bottom.
std::vector<int> shownMovies(const MovieFilterProxy& proxy, const MovieTableModel& model) {
    std::vector<int> out;
    for (int row = 0; row < proxy.rowCount(); ++row) {
        out.push_back(model.movieAt(proxy.mapToSource(proxy.index(row, 0)).row()));
    }
    return out;
}

// Every movie sorted stably by its Role::Sort value in `column` (QVariant's own comparison),
// ties in the dataset's order: the order the table must show.
std::vector<int> sortedBySortRole(const MovieTableModel& model, int column, Qt::SortOrder order) {
    std::vector<QVariant> value(static_cast<std::size_t>(model.rowCount()));
    for (int row = 0; row < model.rowCount(); ++row) {
        value[static_cast<std::size_t>(model.movieAt(row))] =
            model.index(row, column).data(static_cast<int>(MovieTableModel::Role::Sort));
    }
    std::vector<int> movies(value.size());
    std::iota(movies.begin(), movies.end(), 0);
    std::stable_sort(movies.begin(), movies.end(), [&](int a, int b) {
        const auto [x, y] = order == Qt::AscendingOrder ? std::pair{a, b} : std::pair{b, a};
        return QVariant::compare(value[static_cast<std::size_t>(x)],
                                 value[static_cast<std::size_t>(y)]) == QPartialOrdering::Less;
    });
    return movies;
}

RunRecord runWithTop100(double top100, const QString& group = {}, const QString& removed = {}) {
    RunRecord r;
    r.group = group;
    r.removedFeature = removed;
    r.status = RunStatus::Completed;
    EpochRecord e;
    e.epoch = 1;
    RankingMetrics m;
    m.topK = {0.0, 0.0, 0.1, 0.2, top100};
    e.test = m;
    r.history.epochs.push_back(e);
    r.history.baseline = m;
    return r;
}

} // namespace

class TestItemModels : public QObject {
    Q_OBJECT

private slots:
    void movieModelAndProxy() {
        MovieTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        MovieFilterProxy proxy;
        proxy.setSourceModel(&model);
        QAbstractItemModelTester proxyTester(
            &proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);

        const auto data = std::make_shared<const Dataset>(tinyDataset());
        const auto summary = std::make_shared<const DatasetSummary>(summarizeDataset(*data));
        model.setDataset(data, summary);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.columnCount(), int{MovieTableModel::ColumnCount});
        QCOMPARE(model.index(1, MovieTableModel::Genres).data().toString(),
                 QStringLiteral("Drama, Comedy"));
        QCOMPARE(model.index(1, MovieTableModel::Ratings).data().toInt(), 2);
        QCOMPARE(model.index(1, MovieTableModel::MeanRating).data().toString(),
                 QStringLiteral("3.50"));
        QCOMPARE(model.index(2, MovieTableModel::MeanRating).data().toString(), QString());

        // Numeric sort: id 9 before 10 before 100 (text order would put 10 and 100 first).
        proxy.sort(MovieTableModel::Id, Qt::AscendingOrder);
        QCOMPARE(proxy.index(0, MovieTableModel::Id).data().toLongLong(), 9LL);
        QCOMPARE(proxy.index(2, MovieTableModel::Id).data().toLongLong(), 100LL);
        proxy.sort(MovieTableModel::Ratings, Qt::DescendingOrder);
        QCOMPARE(proxy.index(0, MovieTableModel::Id).data().toLongLong(), 10LL);

        // Title filter ignores case and accents.
        proxy.setTitleFilter(QStringLiteral("MISERABLES"));
        QCOMPARE(proxy.rowCount(), 1);
        QCOMPARE(proxy.index(0, MovieTableModel::Id).data().toLongLong(), 9LL);
        proxy.setTitleFilter(QString());
        QCOMPARE(proxy.rowCount(), 3);
        proxy.setGenreFilter(2);
        QCOMPARE(proxy.rowCount(), 2);
        proxy.setTitleFilter(QStringLiteral("moon"));
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setGenreFilter(-1);
        proxy.setTitleFilter(QString());

        // Swapping in the demo dataset resets cleanly.
        const auto demo = std::make_shared<const Dataset>(makeDemoDataset());
        model.setDataset(demo, std::make_shared<const DatasetSummary>(summarizeDataset(*demo)));
        QCOMPARE(model.rowCount(), static_cast<int>(demo->movies.size()));
        QCOMPARE(proxy.rowCount(), model.rowCount());

        // The table's typed comparisons order every column as Role::Sort's values do, ties in
        // the dataset's order (what QSortFilterProxyModel's stable sort of the dataset's order
        // gave when the proxy sorted).
        for (int column = 0; column < MovieTableModel::ColumnCount; ++column) {
            for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
                proxy.sort(column, order);
                QCOMPARE(model.sortColumn(), column);
                QCOMPARE(shownMovies(proxy, model), sortedBySortRole(model, column, order));
            }
        }

        // A dataset opens in the order the loading thread sorted when that is the table's
        // current sort: taken as it is (a deliberately wrong order shows as given), and sorted
        // here when it is another column's.
        proxy.sort(MovieTableModel::kDefaultSortColumn, MovieTableModel::kDefaultSortOrder);
        const auto texts = std::make_shared<const MovieTexts>(movieTextsOf(*demo));
        const auto demoSummary = std::make_shared<const DatasetSummary>(summarizeDataset(*demo));
        auto given = std::make_shared<MovieOrder>(sortMovies(*demo, demoSummary.get(), *texts,
                                                             MovieTableModel::kDefaultSortColumn,
                                                             MovieTableModel::kDefaultSortOrder));
        const std::vector<int> sortedHere = given->movies;
        QCOMPARE(sortedHere, sortedBySortRole(model, MovieTableModel::kDefaultSortColumn,
                                              MovieTableModel::kDefaultSortOrder));
        std::reverse(given->movies.begin(), given->movies.end());
        model.setDataset(demo, demoSummary, texts, given);
        QCOMPARE(shownMovies(proxy, model), given->movies);
        given->column = MovieTableModel::Title;
        model.setDataset(demo, demoSummary, texts, given);
        QCOMPARE(shownMovies(proxy, model), sortedHere);

        // A sort keeps each persistent index on its movie.
        const QPersistentModelIndex held = model.index(5, MovieTableModel::Title);
        const int heldMovie = model.movieAt(held.row());
        proxy.sort(MovieTableModel::Title, Qt::AscendingOrder);
        QCOMPARE(model.movieAt(held.row()), heldMovie);
        QCOMPARE(held.column(), int{MovieTableModel::Title});

        model.setDataset(nullptr, nullptr);
        QCOMPARE(proxy.rowCount(), 0);
    }

    // A list's tooltips say what its numbers are: a model's count ratings in its training split;
    // vectors from elsewhere have no split, so theirs say where the count came from instead.
    void recommendationTooltipsFollowTheCatalogue_data() {
        QTest::addColumn<int>("origin");
        QTest::addColumn<QString>("cell0");
        QTest::addColumn<QString>("cell1");
        QTest::addColumn<QString>("header");
        using O = RecommendationTableModel::Origin;
        QTest::newRow("model") << int(O::Model) << "Rated 7 times in the model's training split"
                               << "Rated 0 times in the model's training split"
                               << "in the model's training split";
        QTest::newRow("metadata") << int(O::ElsewhereMetadata)
                                  << "Popularity 7, from the vectors' metadata"
                                  << "Popularity 0, from the vectors' metadata"
                                  << "the vectors' metadata's popularity column";
        QTest::newRow("dataset") << int(O::ElsewhereDataset)
                                 << "Rated 7 times in the dataset its label was matched to"
                                 << "its label matched no movie of the open dataset"
                                 << "so there is no training split";
    }
    void recommendationTooltipsFollowTheCatalogue() {
        QFETCH(int, origin);
        QFETCH(QString, cell0);
        QFETCH(QString, cell1);
        QFETCH(QString, header);
        auto catalogue = std::make_shared<Catalogue>();
        catalogue->movieIds = {11, -1};
        catalogue->titles = {"Matched (1990)", "Unmatched"};
        catalogue->genres = {{}, {}};
        catalogue->years = {1990, 0};
        catalogue->popularity = {7, 0};
        RecommendationTableModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy headers(&model, &QAbstractItemModel::headerDataChanged);
        const auto o = static_cast<RecommendationTableModel::Origin>(origin);
        model.setCatalogue(catalogue, o);
        QCOMPARE(headers.count(), o == RecommendationTableModel::Origin::Model ? 0 : 1);
        model.setRows({{{0, 2.5f, 1}, RatedMark::None, false, false, 0},
                       {{1, 1.5f, 2}, RatedMark::None, false, false, 0}});
        const auto tip = [&model](int row) {
            return model.index(row, RecommendationTableModel::Title)
                .data(Qt::ToolTipRole)
                .toString();
        };
        QVERIFY2(tip(0).contains(cell0), qPrintable(tip(0)));
        QVERIFY2(tip(1).contains(cell1), qPrintable(tip(1)));
        const QString popularity =
            model.headerData(RecommendationTableModel::Popularity, Qt::Horizontal, Qt::ToolTipRole)
                .toString();
        QVERIFY2(popularity.contains(header), qPrintable(popularity));
        if (o != RecommendationTableModel::Origin::Model) {
            for (int row = 0; row < 2; ++row) {
                QVERIFY2(!tip(row).contains("training split") &&
                             tip(row).contains("Dot product with the query vector"),
                         qPrintable(tip(row)));
            }
            QVERIFY(
                !model.headerData(RecommendationTableModel::Rank, Qt::Horizontal, Qt::ToolTipRole)
                     .toString()
                     .contains("the model"));
        }
    }

    void runModelFollowsTheCollection() {
        RunCollection runs;
        RunTableModel model(&runs);
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSortFilterProxyModel sorted;
        sorted.setSourceModel(&model);
        sorted.setSortRole(static_cast<int>(RunTableModel::Role::Sort));
        QAbstractItemModelTester sortedTester(
            &sorted, QAbstractItemModelTester::FailureReportingMode::QtTest);

        const int reference = runs.add(runWithTop100(0.6, "g"));
        const int noAge = runs.add(runWithTop100(0.5, "g", "age"));
        const int single = runs.add(runWithTop100(0.7));
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, RunTableModel::Top100).data().toString(), QStringLiteral("0.600"));
        QCOMPARE(model.index(1, RunTableModel::Change100).data().toString(),
                 QStringLiteral("-0.100"));
        QCOMPARE(model.index(2, RunTableModel::Change100).data().toString(), QString());
        QVERIFY(
            model.index(1, RunTableModel::Run).data().toString().contains(QStringLiteral("age")));
        QCOMPARE(model.runIdAt(2), single);

        // The check box shows and hides the run.
        QSignalSpy visibility(&runs, &RunCollection::visibilityChanged);
        QVERIFY(
            model.setData(model.index(0, RunTableModel::Run), Qt::Unchecked, Qt::CheckStateRole));
        QCOMPARE(visibility.count(), 1);
        QVERIFY(!runs.find(reference)->visible);
        QCOMPARE(model.index(0, RunTableModel::Run).data(Qt::CheckStateRole).toInt(),
                 int{Qt::Unchecked});

        // Sorting by top-100 uses the numbers.
        sorted.sort(RunTableModel::Top100, Qt::DescendingOrder);
        QCOMPARE(sorted.index(0, 0).data(static_cast<int>(RunTableModel::Role::RunId)).toInt(),
                 single);

        // Updates and removal.
        EpochRecord e;
        e.epoch = 2;
        runs.appendEpoch(noAge, e);
        QCOMPARE(model.index(1, RunTableModel::Epochs).data().toString(), QStringLiteral("2 / 50"));
        runs.setStatus(noAge, RunStatus::Stopped, QStringLiteral("stopped by request"));
        QCOMPARE(model.index(1, RunTableModel::Status).data().toString(),
                 QStringLiteral("stopped"));
        runs.remove(noAge);
        QCOMPARE(model.rowCount(), 2);
        runs.clear();
        QCOMPARE(model.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestItemModels)
#include "test_item_models.moc"
