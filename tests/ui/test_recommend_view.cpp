// The Recommend tab on the offscreen platform, driven through its widgets: every list, mark,
// rank change, explanation bar and vector it shows is checked against the core's own answer
// for the same query. The model is trained once on the demo data (a few epochs).

#include "charts/signed_bar_chart.hpp"
#include "controllers/model_controller.hpp"
#include "controllers/query_controller.hpp"
#include "data/demo_dataset.hpp"
#include "data/split.hpp"
#include "main_window.hpp"
#include "model/trained_model.hpp"
#include "model/training_split.hpp"
#include "models/recommendation_table_model.hpp"
#include "retrieval/rated_movies.hpp"
#include "retrieval/retrieval.hpp"
#include "retrieval/score_explanation.hpp"
#include "test_support.hpp"
#include "train/trainer.hpp"
#include "ui_test_support.hpp"
#include "views/real_user_picker.hpp"
#include "views/recommend_view.hpp"
#include "views/user_query_form.hpp"

#include <QAbstractItemModelTester>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QElapsedTimer>
#include <QGroupBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTimeZone>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

using namespace towerlab;

namespace {

using Rows = std::vector<RecommendationRow>;

// What the rows say, as the core's types, to compare with core calls.
std::vector<ScoredMovie> moviesOf(const RecommendationTableModel* model) {
    std::vector<ScoredMovie> out;
    for (int r = 0; r < model->rowCount(); ++r) {
        const QModelIndex i = model->index(r, RecommendationTableModel::Title);
        out.push_back({i.data(RecommendationTableModel::MovieRole).toInt(),
                       i.data(RecommendationTableModel::ScoreRole).toFloat(), 0});
    }
    return out;
}

void compareLists(const std::vector<ScoredMovie>& shown, const std::vector<ScoredMovie>& core) {
    QCOMPARE(shown.size(), core.size());
    for (std::size_t i = 0; i < core.size(); ++i) {
        QCOMPARE(shown[i].movie, core[i].movie);
        QCOMPARE(shown[i].score, core[i].score);
    }
}

bool sameQuery(const UserQuery& a, const UserQuery& b) {
    return a.ageBucket == b.ageBucket && a.occupationLabel == b.occupationLabel &&
           a.gender == b.gender && a.timestamp == b.timestamp && a.userId == b.userId;
}

} // namespace

class TestRecommendView : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    std::shared_ptr<const Dataset> m_demo;
    TrainedModelPtr m_model;
    std::unique_ptr<QueryController> m_query;
    std::unique_ptr<RecommendView> m_view;
    std::unique_ptr<QAbstractItemModelTester> m_testerA;
    std::unique_ptr<QAbstractItemModelTester> m_testerB;

    template <typename T> T* child(const char* name, QObject* in = nullptr) const {
        QObject* root = in != nullptr ? in : m_view.get();
        T* w = root->findChild<T*>(QString::fromLatin1(name));
        if (w == nullptr) {
            qFatal("no child named %s", name);
        }
        return w;
    }

    // The demo user with the most ratings (so the whole catalogue list holds both splits).
    std::int64_t busiestUser() const {
        std::vector<int> counts(m_demo->users.size(), 0);
        for (const Rating& r : m_demo->ratings) {
            ++counts[static_cast<std::size_t>(r.user)];
        }
        const auto at = std::max_element(counts.begin(), counts.end()) - counts.begin();
        return m_demo->users[static_cast<std::size_t>(at)].id;
    }

    int indexOfUser(std::int64_t id) const {
        for (std::size_t i = 0; i < m_demo->users.size(); ++i) {
            if (m_demo->users[i].id == id) {
                return static_cast<int>(i);
            }
        }
        return -1;
    }

    // The user's movies by split, rebuilt here from the model's TrainConfig.
    std::pair<std::set<int>, std::set<int>> splitOfUser(int user) const {
        const TrainTestSplit split = splitForTraining(*m_demo, m_model->training);
        std::set<int> train;
        std::set<int> test;
        for (const auto e : split.train) {
            const Rating& r = m_demo->ratings[static_cast<std::size_t>(e)];
            if (r.user == user) {
                train.insert(r.movie);
            }
        }
        for (const auto e : split.test) {
            const Rating& r = m_demo->ratings[static_cast<std::size_t>(e)];
            if (r.user == user) {
                test.insert(r.movie);
            }
        }
        return {train, test};
    }

    // The model and dataset, and the wait for the real users' split to be matched to them.
    void open(std::shared_ptr<const Dataset> dataset, TrainedModelPtr model) {
        m_query->setDataset(std::move(dataset));
        m_query->setModel(std::move(model));
        QTRY_VERIFY_WITH_TIMEOUT(!m_view->ratedMoviesPending(), 10000);
    }

    void clickRow(QTableView* table, int row) {
        const QModelIndex index = table->model()->index(row, RecommendationTableModel::Title);
        table->scrollTo(index);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        test::isolateSettings(m_settings);
        m_demo = std::make_shared<const Dataset>(makeDemoDataset());
        QElapsedTimer clock;
        clock.start();
        TrainConfig training;
        training.epochs = 3;
        training.batchSize = 1024;
        training.evalEvery = 0;
        Trainer trainer(*m_demo, ModelConfig{}, training);
        ProgressSink sink;
        std::atomic<bool> cancel{false};
        m_model = trainer.fit(sink, cancel).model;
        QVERIFY(m_model != nullptr);
        qDebug("trained the demo model in %lld ms", static_cast<long long>(clock.elapsed()));
    }

    void init() {
        m_query = std::make_unique<QueryController>();
        m_view = std::make_unique<RecommendView>(m_query.get());
        m_testerA = std::make_unique<QAbstractItemModelTester>(
            m_view->listA(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_testerB = std::make_unique<QAbstractItemModelTester>(
            m_view->listB(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_view->resize(1280, 760);
        m_view->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    }

    void cleanup() {
        m_testerA.reset();
        m_testerB.reset();
        m_view.reset();
        m_query.reset();
    }

    void withoutAModelItSaysWhatToDo() {
        auto* stack = m_view->findChild<QStackedWidget*>();
        QVERIFY(stack != nullptr);
        auto* empty = child<QLabel>("recommendEmptyState");
        QCOMPARE(stack->currentWidget(), empty);
        QVERIFY(empty->isVisible());
        QVERIFY(empty->text().contains(QStringLiteral("No model yet")));
        QVERIFY(empty->text().contains(QStringLiteral("Train")));
        QCOMPARE(m_view->listA()->rowCount(), 0);
        // A model arrives: the lists appear; it goes away: the empty state is back.
        open(m_demo, m_model);
        QVERIFY(stack->currentWidget() != empty);
        QCOMPARE(m_view->listA()->rowCount(), 50);
        m_query->setModel(nullptr);
        QCOMPARE(stack->currentWidget(), empty);
        QCOMPARE(m_view->listA()->rowCount(), 0);
    }

    // The demo data is from 2023: the untouched default query (the tutorial's 1997 moment)
    // moves into the model's own time range, while a query the user set is left alone.
    void aModelThatNeverSawTheDefaultMomentStartsInsideItsRange() {
        const auto& f = m_model->features;
        QVERIFY(879024327 < f.minTimestamp); // the premise: the demo is later than 1997
        open(m_demo, m_model);
        const std::int64_t t = m_query->query().timestamp;
        QVERIFY(t >= f.minTimestamp && t <= f.maxTimestamp);
        QCOMPARE(m_query->query().ageBucket, 25);
        QCOMPARE(m_query->query().occupationLabel, 17);
        // The button still gives the exact tutorial query.
        QTest::mouseClick(child<QPushButton>("tutorialExample"), Qt::LeftButton);
        QCOMPARE(m_query->query().timestamp, std::int64_t{879024327});
        // A query someone chose survives a model change.
        m_query->setQuery(UserQuery{45, 3, 0, 900000000, -1, {}});
        m_query->setModel(nullptr);
        m_query->setModel(m_model);
        QCOMPARE(m_query->query().timestamp, std::int64_t{900000000});
    }

    void theTutorialQueryIsOneClickAndTheTop50IsCores() {
        open(m_demo, m_model);
        m_query->setQuery(UserQuery{45, 3, 0, m_demo->ratings[10].timestamp, -1, {}});
        QTest::mouseClick(child<QPushButton>("tutorialExample"), Qt::LeftButton);
        const UserQuery tutorial{25, 17, 1, 879024327, -1, {}};
        QVERIFY(sameQuery(m_query->query(), tutorial));
        QVERIFY(sameQuery(m_view->formA()->query(), tutorial));
        auto* formA = child<UserQueryForm>("queryFormA");
        QCOMPARE(child<QComboBox>("age", formA)->currentText(), QStringLiteral("25–34"));
        QCOMPARE(child<QComboBox>("occupation", formA)->currentText(), QStringLiteral("student"));
        QCOMPARE(child<QComboBox>("gender", formA)->currentText(), QStringLiteral("Male (True)"));
        // Typed as the tutorial writes it: 0 / false is female, 1 / True is male.
        auto* gender = child<QComboBox>("gender", formA);
        QTest::keyClick(gender, Qt::Key_0);
        QCOMPARE(m_view->formA()->query().gender, 0);
        QTest::keyClick(gender, Qt::Key_T);
        QCOMPARE(m_view->formA()->query().gender, 1);
        QTest::keyClick(gender, Qt::Key_F);
        QCOMPARE(m_view->formA()->query().gender, 0);
        QTest::keyClick(gender, Qt::Key_1);
        QCOMPARE(m_view->formA()->query().gender, 1);
        QCOMPARE(child<QDateTimeEdit>("timestamp", formA)->dateTime().toSecsSinceEpoch(),
                 qint64{879024327});

        const auto core = recommend(*m_model, tutorial, 50);
        const auto shown = moviesOf(m_view->listA());
        compareLists(shown, core);
        for (std::size_t i = 1; i < shown.size(); ++i) {
            QVERIFY(shown[i - 1].score >= shown[i].score);
        }
        // What the table shows for the first row.
        const QModelIndex first = m_view->listA()->index(0, RecommendationTableModel::Title);
        QCOMPARE(first.data().toString(),
                 QString::fromStdString(
                     m_model->catalogue.titles[static_cast<std::size_t>(core[0].movie)]));
        QCOMPARE(m_view->listA()->index(0, RecommendationTableModel::Rank).data().toInt(), 1);
        QCOMPARE(m_view->listA()->index(0, RecommendationTableModel::Popularity).data().toInt(),
                 m_model->catalogue.popularity[static_cast<std::size_t>(core[0].movie)]);
        QVERIFY(m_view->listA()->index(0, RecommendationTableModel::Year).data().toInt() > 1900);
    }

    // A user feature added through the feature table alone (the zip region) gets its own box,
    // listing the model's regions; picking one changes the query and the list.
    void aTableFeatureGetsItsOwnBox() {
        open(m_demo, m_model);
        auto* formA = child<UserQueryForm>("queryFormA");
        auto* zip = child<QComboBox>("zip_region", formA);
        QVERIFY(!zip->isEnabled()); // the tutorial model does not use it
        QVERIFY(zip->toolTip().contains(QStringLiteral("without the zip region feature")));

        TrainConfig training;
        training.epochs = 1;
        training.batchSize = 1024;
        training.evalEvery = 0;
        ModelConfig config;
        config.features.set(FeatureId::ZipRegion);
        Trainer trainer(*m_demo, config, training);
        ProgressSink sink;
        std::atomic<bool> cancel{false};
        const TrainedModelPtr withZip = trainer.fit(sink, cancel).model;
        QVERIFY(withZip != nullptr);
        open(m_demo, withZip);
        QVERIFY(zip->isEnabled());
        QCOMPARE(zip->count(), 11); // unknown and the demo's ten regions
        QCOMPARE(zip->itemText(10), QStringLiteral("9 (AK, CA, HI, OR, WA)"));
        zip->setCurrentIndex(10);
        QCOMPARE(m_query->query().attributes.at("zip_region"), std::int64_t{9});
        const auto west = moviesOf(m_view->listA());
        compareLists(west, recommend(*withZip, m_query->query(), 50));
        zip->setCurrentIndex(1);
        QCOMPARE(m_query->query().attributes.at("zip_region"), std::int64_t{0});
        QVERIFY(moviesOf(m_view->listA())[0].score != west[0].score);
        zip->setCurrentIndex(0);
        QVERIFY(m_query->query().attributes.empty());
    }

    void everyFieldChangeUpdatesTheListAtOnce() {
        open(m_demo, m_model);
        QTest::mouseClick(child<QPushButton>("tutorialExample"), Qt::LeftButton);
        auto* formA = child<UserQueryForm>("queryFormA");
        const auto before = moviesOf(m_view->listA());

        QElapsedTimer clock;
        clock.start();
        child<QComboBox>("gender", formA)->setCurrentIndex(1); // Female
        const double ms = static_cast<double>(clock.nsecsElapsed()) / 1e6;
        QCOMPARE(m_query->query().gender, 0);
        compareLists(moviesOf(m_view->listA()), recommend(*m_model, m_query->query(), 50));
        QVERIFY(moviesOf(m_view->listA())[0].score != before[0].score);
        qDebug("a form change to an updated list took %.2f ms (view's own count %.2f ms)", ms,
               m_view->lastUpdateMs());
        TOWERLAB_TIMING_CHECK(QVERIFY2(ms < 50.0, qPrintable(QString::number(ms))));

        child<QComboBox>("age", formA)->setCurrentIndex(5); // 50–55
        QCOMPARE(m_query->query().ageBucket, 50);
        child<QComboBox>("occupation", formA)->setCurrentIndex(4);
        QCOMPARE(m_query->query().occupationLabel, 4);
        compareLists(moviesOf(m_view->listA()), recommend(*m_model, m_query->query(), 50));

        // Time: inside the data's range no warning; far outside, a note says so.
        auto* time = child<QDateTimeEdit>("timestamp", formA);
        auto* note = child<QLabel>("timeNote", formA);
        time->setDateTime(
            QDateTime::fromSecsSinceEpoch(m_model->features.minTimestamp + 3600, QTimeZone::utc()));
        QCOMPARE(m_query->query().timestamp, m_model->features.minTimestamp + 3600);
        QVERIFY(!note->text().contains(QStringLiteral("Outside")));
        time->setDateTime(QDateTime::fromSecsSinceEpoch(
            m_model->features.maxTimestamp + 86400 * 400, QTimeZone::utc()));
        QVERIFY(note->isVisible());
        QVERIFY(note->text().contains(QStringLiteral("Outside")));
        compareLists(moviesOf(m_view->listA()), recommend(*m_model, m_query->query(), 50));

        // Any k up to the catalogue.
        auto* k = child<QSpinBox>("topK");
        QCOMPARE(k->maximum(), static_cast<int>(m_model->catalogue.size()));
        k->setValue(7);
        compareLists(moviesOf(m_view->listA()), recommend(*m_model, m_query->query(), 7));
        k->setValue(k->maximum());
        QCOMPARE(m_view->listA()->rowCount(), static_cast<int>(m_model->catalogue.size()));
        TOWERLAB_TIMING_CHECK(QVERIFY(m_view->lastUpdateMs() < 50.0));

        // A query set elsewhere (the Scores tab, say) shows in the form and the list.
        const UserQuery other{18, 12, 1, m_demo->ratings[3].timestamp, -1, {}};
        m_query->setQuery(other);
        QVERIFY(sameQuery(m_view->formA()->query(), other));
        compareLists(moviesOf(m_view->listA()),
                     recommend(*m_model, other, m_model->catalogue.size()));
    }

    void aRealUserFillsTheFormAndMarksTheirMovies() {
        open(m_demo, m_model);
        child<QSpinBox>("topK")->setValue(static_cast<int>(m_model->catalogue.size()));
        const std::int64_t id = busiestUser();
        const int index = indexOfUser(id);
        QVERIFY(m_view->userPicker()->pickUser(id));
        const User& user = m_demo->users[static_cast<std::size_t>(index)];
        QCOMPARE(m_query->realUser(), id);
        const UserQuery q = m_query->query();
        QCOMPARE(q.ageBucket, user.ageBucket);
        QCOMPARE(q.occupationLabel, user.occupationLabel);
        QCOMPARE(q.gender, user.gender);
        QCOMPARE(q.userId, id);
        const Rating& chosen =
            m_demo->ratings[static_cast<std::size_t>(m_view->userPicker()->ratingIndex())];
        QCOMPARE(chosen.user, index);
        QCOMPARE(q.timestamp, chosen.timestamp);
        QVERIFY(sameQuery(m_view->formA()->query(), q));

        // Marks follow the model's own split, rebuilt here independently.
        const auto [train, test] = splitOfUser(index);
        QVERIFY(!train.empty() && !test.empty());
        int trainRows = 0;
        int testRows = 0;
        for (const RecommendationRow& row : m_view->listA()->rows()) {
            const bool inTrain = train.contains(row.movie.movie);
            const bool inTest = test.contains(row.movie.movie);
            const RatedMark expected = inTrain && inTest ? RatedMark::Both
                                       : inTrain         ? RatedMark::Train
                                       : inTest          ? RatedMark::Test
                                                         : RatedMark::None;
            QCOMPARE(row.mark, expected);
            trainRows += row.mark == RatedMark::Train ? 1 : 0;
            testRows += row.mark == RatedMark::Test ? 1 : 0;
        }
        QCOMPARE(trainRows, static_cast<int>(train.size()));
        QCOMPARE(testRows, static_cast<int>(test.size()));
        const int row = m_view->listA()->rowOfMovie(*test.begin());
        QCOMPARE(m_view->listA()->index(row, RecommendationTableModel::Rated).data().toString(),
                 QStringLiteral("★ test"));

        // Recall@50: the share of the user's test movies in the top 50.
        child<QSpinBox>("topK")->setValue(50);
        const auto top50 = recommend(*m_model, q, 50);
        const auto hits = std::count_if(top50.begin(), top50.end(), [&](const ScoredMovie& m) {
            return test.contains(m.movie);
        });
        const QString status = child<QLabel>("recallLabel")->text();
        QVERIFY2(status.contains(QStringLiteral("recall@50")), qPrintable(status));
        QVERIFY2(
            status.contains(QStringLiteral("(%1 of %2 test movies)").arg(hits).arg(test.size())),
            qPrintable(status));
        QVERIFY2(status.contains(QLocale().toString(
                     100.0 * static_cast<double>(hits) / static_cast<double>(test.size()), 'f', 1)),
                 qPrintable(status));

        // Another of the user's rating times moves only the time.
        auto* times = child<QComboBox>("ratingTime");
        QCOMPARE(times->count(), static_cast<int>(train.size() + test.size()));
        times->setCurrentIndex(0);
        const Rating& first =
            m_demo->ratings[static_cast<std::size_t>(m_view->userPicker()->ratingIndex())];
        QCOMPARE(m_query->query().timestamp, std::int64_t{first.timestamp});
        QCOMPARE(m_query->realUser(), id);

        // Unticking the box ends the real user: no marks any more.
        m_view->userPicker()->setChecked(false);
        QCOMPARE(m_query->realUser(), std::int64_t{-1});
        for (const RecommendationRow& r : m_view->listA()->rows()) {
            QCOMPARE(r.mark, RatedMark::None);
        }
    }

    void excludingTrainingMoviesRemovesThem() {
        open(m_demo, m_model);
        auto* exclude = child<QCheckBox>("excludeRated");
        QVERIFY(!exclude->isEnabled()); // no real user yet
        const std::int64_t id = busiestUser();
        QVERIFY(m_view->userPicker()->pickUser(id));
        QVERIFY(exclude->isEnabled());
        const auto [train, test] = splitOfUser(indexOfUser(id));
        exclude->setChecked(true);
        const std::vector<std::int32_t> excluded(train.begin(), train.end());
        compareLists(moviesOf(m_view->listA()),
                     recommend(*m_model, m_query->query(), 50, excluded));
        for (const RecommendationRow& row : m_view->listA()->rows()) {
            QVERIFY(!train.contains(row.movie.movie));
            QVERIFY(row.mark != RatedMark::Train);
        }
        exclude->setChecked(false);
        compareLists(moviesOf(m_view->listA()), recommend(*m_model, m_query->query(), 50));
    }

    void anotherDatasetSaysWhyItCannotMark() {
        auto other =
            std::make_shared<const Dataset>(makeDemoDataset(DemoDatasetOptions{300, 400, 30, 7}));
        open(other, m_model);
        QVERIFY(m_view->userPicker()->pickUser(other->users[5].id));
        QCOMPARE(m_query->realUser(), other->users[5].id);
        const QString status = child<QLabel>("recallLabel")->text();
        QVERIFY2(status.contains(QStringLiteral("Cannot mark")) &&
                     status.contains(QStringLiteral("fingerprints differ")),
                 qPrintable(status));
        for (const RecommendationRow& row : m_view->listA()->rows()) {
            QCOMPARE(row.mark, RatedMark::None);
        }
        QVERIFY(!child<QCheckBox>("excludeRated")->isEnabled());
        // The form still took the user's attributes.
        QCOMPARE(m_query->query().ageBucket, other->users[5].ageBucket);
        // Opening another dataset ends the real user of the previous one.
        m_query->setDataset(m_demo);
        QCOMPARE(m_query->realUser(), std::int64_t{-1});
        QVERIFY(!m_view->userPicker()->isChecked());
    }

    void compareModeShowsRankChangesOfTwoCoreCalls() {
        open(m_demo, m_model);
        QTest::mouseClick(child<QPushButton>("tutorialExample"), Qt::LeftButton);
        auto* tableB = child<QTableView>("recommendTableB");
        QVERIFY(!tableB->isVisible());
        child<QCheckBox>("compareMode")->setChecked(true);
        QVERIFY(tableB->isVisible());
        QVERIFY(child<QGroupBox>("queryGroupB")->isVisible());
        // B starts as A: nothing moves.
        for (const RecommendationRow& row : m_view->listB()->rows()) {
            QVERIFY(row.hasChange && !row.isNew);
            QCOMPARE(row.change, 0);
        }
        QTest::mouseClick(child<QPushButton>("otherGender"), Qt::LeftButton);
        const UserQuery a = m_query->query();
        const UserQuery b = m_view->queryB();
        QCOMPARE(b.gender, 1 - a.gender);
        QCOMPARE(b.ageBucket, a.ageBucket);

        const auto listA = recommend(*m_model, a, 50);
        const auto listB = recommend(*m_model, b, 50);
        compareLists(moviesOf(m_view->listA()), listA);
        compareLists(moviesOf(m_view->listB()), listB);
        std::map<int, int> positionInA;
        for (std::size_t i = 0; i < listA.size(); ++i) {
            positionInA[listA[i].movie] = static_cast<int>(i);
        }
        int moved = 0;
        for (int i = 0; i < m_view->listB()->rowCount(); ++i) {
            const QModelIndex change = m_view->listB()->index(i, RecommendationTableModel::Change);
            const auto it = positionInA.find(listB[static_cast<std::size_t>(i)].movie);
            if (it == positionInA.end()) {
                QCOMPARE(change.data().toString(), QStringLiteral("new"));
                QCOMPARE(change.data(RecommendationTableModel::ChangeRole).toString(),
                         QStringLiteral("new"));
                ++moved;
                continue;
            }
            const int delta = it->second - i;
            QCOMPARE(change.data(RecommendationTableModel::ChangeRole).toInt(), delta);
            const QString expected = delta > 0   ? QStringLiteral("▲%1").arg(delta)
                                     : delta < 0 ? QStringLiteral("▼%1").arg(-delta)
                                                 : QStringLiteral("=");
            QCOMPARE(change.data().toString(), expected);
            moved += delta != 0 ? 1 : 0;
        }
        QVERIFY2(moved > 0, "changing the gender should move some movie");

        // Only B's own form changes B; A's list stays.
        auto* formB = child<UserQueryForm>("queryFormB");
        child<QComboBox>("age", formB)->setCurrentIndex(6); // 56+
        QCOMPARE(m_view->queryB().ageBucket, 56);
        QVERIFY(sameQuery(m_query->query(), a));
        compareLists(moviesOf(m_view->listB()), recommend(*m_model, m_view->queryB(), 50));
        compareLists(moviesOf(m_view->listA()), listA);

        child<QCheckBox>("compareMode")->setChecked(false);
        QVERIFY(!tableB->isVisible());
        QCOMPARE(m_view->listB()->rowCount(), 0);
    }

    void theExplanationBarsAreCoresNumbers() {
        open(m_demo, m_model);
        QTest::mouseClick(child<QPushButton>("tutorialExample"), Qt::LeftButton);
        QVERIFY(m_view->explanationChart()->values().empty());
        QVERIFY(child<QLabel>("explanationHint")->isVisible());
        auto* table = child<QTableView>("recommendTableA");
        clickRow(table, 2);
        const int movie = m_view->listA()->rows()[2].movie.movie;
        QCOMPARE(m_query->selectedMovie(), movie);
        const ScoreExplanation e = explainScore(*m_model, m_query->query(), movie);
        QCOMPARE(e.score, m_view->listA()->rows()[2].movie.score);
        const auto& bars = m_view->explanationChart()->values();
        QCOMPARE(bars.size(), e.features.size());
        QCOMPARE(bars.size(), std::size_t(5)); // the tutorial's five user features
        for (std::size_t i = 0; i < bars.size(); ++i) {
            QCOMPARE(bars[i], static_cast<double>(e.features[i].contribution));
        }
        // "Age group +1.85": the feature and its contribution, two decimals.
        const QString label = m_view->explanationChart()->labels()[0];
        QVERIFY2(label.startsWith(QStringLiteral("Age group ")), qPrintable(label));
        const double shown = QLocale().toDouble(label.mid(10).remove(QLatin1Char('+')));
        QVERIFY(std::abs(shown - static_cast<double>(e.features[0].contribution)) <= 0.0051);
        const QString hover = m_view->explanationChart()->hoverTexts()[0];
        QVERIFY2(hover.startsWith(QStringLiteral("Age group = 25–34")), qPrintable(hover));
        QVERIFY(m_view->findChild<QLabel*>(QStringLiteral("explanationHint"))->isHidden());
        QVERIFY(m_view->explanationChart()->title().contains(
            QString::fromStdString(m_model->catalogue.titles[static_cast<std::size_t>(movie)])
                .left(20)));

        // A new query explains the same movie again, for that query.
        child<QComboBox>("gender", child<UserQueryForm>("queryFormA"))->setCurrentIndex(1);
        const ScoreExplanation f = explainScore(*m_model, m_query->query(), movie);
        for (std::size_t i = 0; i < bars.size(); ++i) {
            QCOMPARE(m_view->explanationChart()->values()[i],
                     static_cast<double>(f.features[i].contribution));
        }
        // A movie selected elsewhere (the Embeddings map, say) is explained too.
        m_query->selectMovie(0);
        QCOMPARE(m_view->explanationChart()->values()[0],
                 static_cast<double>(
                     explainScore(*m_model, m_query->query(), 0).features[0].contribution));
    }

    void theQueryVectorIsShownAndCopied() {
        open(m_demo, m_model);
        QTest::mouseClick(child<QPushButton>("tutorialExample"), Qt::LeftButton);
        const RowVector q = queryEmbedding(*m_model, m_query->query());
        const auto& bars = m_view->vectorChart()->values();
        QCOMPARE(bars.size(), static_cast<std::size_t>(q.size()));
        for (Eigen::Index i = 0; i < q.size(); ++i) {
            QCOMPARE(bars[static_cast<std::size_t>(i)], static_cast<double>(q[i]));
        }
        QTest::mouseClick(child<QPushButton>("copyVector"), Qt::LeftButton);
        const QString copied = QApplication::clipboard()->text();
        QVERIFY(copied.startsWith(QLatin1Char('[')) && copied.endsWith(QLatin1Char(']')));
        const QStringList parts = copied.mid(1, copied.size() - 2).split(QStringLiteral(", "));
        QCOMPARE(parts.size(), static_cast<qsizetype>(q.size()));
        for (Eigen::Index i = 0; i < q.size(); ++i) {
            QVERIFY(std::abs(parts[static_cast<qsizetype>(i)].toFloat() - q[i]) <=
                    1e-6f * (1.0f + std::abs(q[i])));
        }
    }

    void featuresTheModelDoesNotUseAreDisabledWithAReason() {
        // A model without gender, built directly (untrained weights are enough here).
        auto model = std::make_shared<TrainedModel>();
        model->config.features.set(FeatureId::Gender, false);
        model->features = FeatureSpace::fit(*m_demo);
        model->weights = TwoTowerWeights::initialized(model->config, model->features, 3);
        for (const Movie& movie : m_demo->movies) {
            model->catalogue.movieIds.push_back(movie.id);
            model->catalogue.titles.push_back(movie.title);
            model->catalogue.genres.push_back(movie.genres);
            model->catalogue.years.push_back(movie.year);
            model->catalogue.popularity.push_back(0);
        }
        model->catalogue.genreNames = m_demo->genreNames;
        model->datasetName = m_demo->name;
        model->finalize();
        open(m_demo, model);
        auto* formA = child<UserQueryForm>("queryFormA");
        auto* gender = child<QComboBox>("gender", formA);
        QVERIFY(!gender->isEnabled());
        QVERIFY2(gender->toolTip().contains(QStringLiteral("trained without the gender feature")),
                 qPrintable(gender->toolTip()));
        QVERIFY(child<QComboBox>("age", formA)->isEnabled());
        QVERIFY(!child<QSpinBox>("userId", formA)->isEnabled()); // not in the tutorial's model
        QCOMPARE(m_view->listA()->rowCount(), 50);
        // The explanation lists only the features the model has.
        m_query->selectMovie(1);
        QCOMPARE(m_view->explanationChart()->values().size(), std::size_t(4));
        // With the full model back, gender is live again.
        m_query->setModel(m_model);
        QVERIFY(gender->isEnabled());
    }

    void everyControlExplainsItself() {
        open(m_demo, m_model);
        child<QCheckBox>("compareMode")->setChecked(true);
        QStringList missing;
        const auto check = [&missing](QWidget* w) {
            if (w->toolTip().isEmpty()) {
                missing << QStringLiteral("%1 %2").arg(
                    QString::fromLatin1(w->metaObject()->className()), w->objectName());
            }
        };
        for (QAbstractButton* w : m_view->findChildren<QAbstractButton*>()) {
            if (!w->objectName().startsWith(QStringLiteral("qt_"))) {
                if (qobject_cast<QPushButton*>(w) != nullptr ||
                    qobject_cast<QCheckBox*>(w) != nullptr) {
                    check(w);
                }
            }
        }
        for (QComboBox* w : m_view->findChildren<QComboBox*>()) {
            check(w);
        }
        for (QAbstractSpinBox* w : m_view->findChildren<QAbstractSpinBox*>()) {
            check(w);
        }
        for (const char* name : {"recommendTableA", "recommendTableB"}) {
            check(child<QTableView>(name));
        }
        check(child<QGroupBox>("realUserPicker"));
        check(m_view->explanationChart());
        check(m_view->vectorChart());
        QVERIFY2(missing.isEmpty(), qPrintable(missing.join(QStringLiteral(", "))));
    }

    void looksFinishedAt1280x800() {
        // The whole window, as the class will see it: a real user, compare mode, an explanation.
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY_WITH_TIMEOUT(window.query()->dataset() != nullptr, 10000);
        auto* view = window.recommendView();
        QVERIFY(view != nullptr);
        window.tabs()->setCurrentIndex(MainWindow::RecommendTab);
        auto* empty = window.findChild<QLabel*>(QStringLiteral("recommendEmptyState"));
        QVERIFY(empty->isVisible());
        const QByteArray dir = qgetenv("TOWERLAB_SCREENSHOT_DIR");
        auto save = [&](const QString& name) {
            QCoreApplication::processEvents();
            const QImage image = window.grab().toImage();
            QVERIFY(!image.isNull());
            if (!dir.isEmpty()) {
                QDir().mkpath(QString::fromLocal8Bit(dir));
                QVERIFY(image.save(QDir(QString::fromLocal8Bit(dir)).filePath(name)));
            }
        };
        save(QStringLiteral("recommend-empty.png"));
        window.models()->setCurrent(m_model, 0); // as when a run finishes or a model opens
        QCOMPARE(window.query()->model(), m_model);
        QTRY_VERIFY_WITH_TIMEOUT(!view->ratedMoviesPending(), 10000);
        QVERIFY(!empty->isVisible());
        QCOMPARE(view->listA()->rowCount(), 50);
        view->userPicker()->pickUser(busiestUser());
        auto* table = window.findChild<QTableView*>(QStringLiteral("recommendTableA"));
        clickRow(table, 0);
        save(QStringLiteral("recommend.png"));
        window.findChild<QCheckBox*>(QStringLiteral("compareMode"))->setChecked(true);
        QTest::mouseClick(window.findChild<QPushButton*>(QStringLiteral("otherGender")),
                          Qt::LeftButton);
        save(QStringLiteral("recommend-compare.png"));
    }
};

QTEST_MAIN(TestRecommendView)
#include "test_recommend_view.moc"
