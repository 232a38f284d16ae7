// One query per dataset user: attributes as the dataset has them, the median time of the
// user's ratings (the mean of the two middle ones, rounded down, for an even count), users
// without ratings left out, dataset order kept.

#include "retrieval/user_queries.hpp"

#include <QtTest>

using namespace towerlab;

class TestRetrievalUserQueries : public QObject {
    Q_OBJECT

private slots:
    void oneQueryPerRatedUserAtTheirMedianTime() {
        Dataset d;
        d.users = {{11, 30, 25, 17, "student", 1, "12345"},
                   {12, 60, 56, 3, "doctor", 0, "54321"},
                   {13, 40, 35, 5, "writer", 1, "11111"}};
        d.movies = {{1, "A (1990)", {}, 1990}};
        // User 0: times 50, 10, 30 (median 30); user 1: no ratings; user 2: 10, 40 (median 25).
        d.ratings = {{0, 0, 4.0f, 50},
                     {2, 0, 3.0f, 40},
                     {0, 0, 5.0f, 10},
                     {0, 0, 1.0f, 30},
                     {2, 0, 2.0f, 10}};
        const std::vector<DatasetUserQuery> q = datasetUserQueries(d);
        QCOMPARE(q.size(), std::size_t{2});
        QCOMPARE(q[0].user, 0);
        QCOMPARE(q[0].query.ageBucket, 25);
        QCOMPARE(q[0].query.occupationLabel, 17);
        QCOMPARE(q[0].query.gender, 1);
        QCOMPARE(q[0].query.userId, std::int64_t{11});
        QCOMPARE(q[0].query.timestamp, std::int64_t{30});
        QCOMPARE(q[1].user, 2);
        QCOMPARE(q[1].query.userId, std::int64_t{13});
        QCOMPARE(q[1].query.timestamp, std::int64_t{25});
    }

    void emptyDatasetGivesNoQueries() { QVERIFY(datasetUserQueries(Dataset{}).empty()); }
};

QTEST_APPLESS_MAIN(TestRetrievalUserQueries)
#include "test_retrieval_user_queries.moc"
