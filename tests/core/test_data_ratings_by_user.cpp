// RatingsByUser on hand-made datasets: ratings grouped by user (only offsets kept), ratings in
// any order (kept in the dataset's order within each user), users without ratings, indices
// outside the users, and a rating naming a user the dataset lacks.
#include "data/data_error.hpp"
#include "data/ratings_by_user.hpp"

#include <QtTest>

using namespace towerlab;

namespace {

Dataset withRatingsOf(std::size_t users, std::initializer_list<std::int32_t> userOfRating) {
    Dataset d;
    d.name = "hand-made";
    d.users.resize(users);
    for (const std::int32_t u : userOfRating) {
        Rating r;
        r.user = u;
        d.ratings.push_back(r);
    }
    return d;
}

using Indices = std::vector<std::size_t>;

// What forEachOf visits, to hold it to of().
Indices visited(const RatingsByUser& byUser, std::size_t user) {
    Indices out;
    byUser.forEachOf(user, [&out](std::size_t rating) { out.push_back(rating); });
    return out;
}

} // namespace

class TestRatingsByUser : public QObject {
    Q_OBJECT

private slots:
    void groupedByUser() {
        const RatingsByUser byUser(withRatingsOf(4, {0, 0, 1, 3, 3, 3}));
        QVERIFY(byUser.grouped());
        QCOMPARE(byUser.userCount(), std::size_t(4));
        QCOMPARE(byUser.of(0), (Indices{0, 1}));
        QCOMPARE(byUser.of(1), (Indices{2}));
        QCOMPARE(byUser.of(2), Indices{});
        QCOMPARE(byUser.of(3), (Indices{3, 4, 5}));
        QCOMPARE(byUser.of(4), Indices{});
        for (std::size_t u = 0; u < 5; ++u) {
            QCOMPARE(visited(byUser, u), byUser.of(u));
            QCOMPARE(byUser.countOf(u), byUser.of(u).size());
        }
    }

    void anyOrder() {
        const RatingsByUser byUser(withRatingsOf(3, {2, 0, 2, 1, 0, 2}));
        QVERIFY(!byUser.grouped());
        QCOMPARE(byUser.of(0), (Indices{1, 4}));
        QCOMPARE(byUser.of(1), (Indices{3}));
        QCOMPARE(byUser.of(2), (Indices{0, 2, 5}));
        QCOMPARE(byUser.of(99), Indices{});
        QCOMPARE(visited(byUser, 0), (Indices{1, 4}));
        QCOMPARE(visited(byUser, 2), (Indices{0, 2, 5}));
        QCOMPARE(visited(byUser, 99), Indices{});
        QCOMPARE(byUser.countOf(2), std::size_t(3));
    }

    void noRatingsOrNoUsers() {
        const RatingsByUser none(withRatingsOf(2, {}));
        QVERIFY(none.grouped());
        QCOMPARE(none.of(0), Indices{});
        QCOMPARE(none.of(1), Indices{});
        const RatingsByUser empty;
        QCOMPARE(empty.userCount(), std::size_t(0));
        QCOMPARE(empty.of(0), Indices{});
    }

    void unknownUserIsRefused() {
        QVERIFY_THROWS_EXCEPTION(DatasetError, RatingsByUser(withRatingsOf(2, {0, 2})));
        QVERIFY_THROWS_EXCEPTION(DatasetError, RatingsByUser(withRatingsOf(2, {-1})));
        try {
            RatingsByUser(withRatingsOf(2, {0, 1, 5}));
            QFAIL("no error");
        } catch (const DatasetError& e) {
            QCOMPARE(QString::fromStdString(e.what()),
                     QStringLiteral("hand-made: rating 3 names user index 5 of 2 users"));
        }
    }
};

QTEST_GUILESS_MAIN(TestRatingsByUser)
#include "test_data_ratings_by_user.moc"
