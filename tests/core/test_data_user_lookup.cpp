// UserLookup on hand-made users: ascending ids (searched in place), any other order (through
// a sorted copy), ids that are absent, repeated ids, and no users at all.
#include "data/user_lookup.hpp"

#include <QtTest>

using namespace towerlab;

namespace {

std::vector<User> usersWithIds(std::initializer_list<std::int64_t> ids) {
    std::vector<User> users;
    for (const std::int64_t id : ids) {
        User user;
        user.id = id;
        users.push_back(user);
    }
    return users;
}

} // namespace

class TestUserLookup : public QObject {
    Q_OBJECT

private slots:
    void ascendingIds() {
        const std::vector<User> users = usersWithIds({3, 7, 8, 120, 4000000000LL});
        const UserLookup lookup(users);
        QVERIFY(!lookup.empty());
        for (int i = 0; i < static_cast<int>(users.size()); ++i) {
            QCOMPARE(lookup.indexOf(users[static_cast<std::size_t>(i)].id), i);
        }
        for (const std::int64_t absent : {-1LL, 0LL, 4LL, 119LL, 121LL, 4000000001LL}) {
            QCOMPARE(lookup.indexOf(absent), -1);
        }
        QCOMPARE(lookup.minId(), 3);
        QCOMPARE(lookup.maxId(), 4000000000LL);
    }

    void anyOtherOrder() {
        const std::vector<User> users = usersWithIds({50, 2, 943, 17, 1});
        const UserLookup lookup(users);
        QCOMPARE(lookup.indexOf(50), 0);
        QCOMPARE(lookup.indexOf(2), 1);
        QCOMPARE(lookup.indexOf(943), 2);
        QCOMPARE(lookup.indexOf(17), 3);
        QCOMPARE(lookup.indexOf(1), 4);
        QCOMPARE(lookup.indexOf(3), -1);
        QCOMPARE(lookup.indexOf(944), -1);
        QCOMPARE(lookup.minId(), 1);
        QCOMPARE(lookup.maxId(), 943);
    }

    void repeatedIdFindsTheFirst() {
        const std::vector<User> users = usersWithIds({9, 4, 9, 6});
        const UserLookup lookup(users);
        QCOMPARE(lookup.indexOf(9), 0);
        QCOMPARE(lookup.indexOf(4), 1);
        QCOMPARE(lookup.indexOf(6), 3);
        const std::vector<User> equalNeighbours = usersWithIds({1, 2, 2, 5});
        QCOMPARE(UserLookup(equalNeighbours).indexOf(2), 1);
        QCOMPARE(UserLookup(equalNeighbours).indexOf(5), 3);
    }

    void noUsers() {
        const UserLookup none;
        QVERIFY(none.empty());
        QCOMPARE(none.indexOf(1), -1);
        const std::vector<User> users;
        const UserLookup empty(users);
        QVERIFY(empty.empty());
        QCOMPARE(empty.indexOf(0), -1);
    }
};

QTEST_GUILESS_MAIN(TestUserLookup)
#include "test_data_user_lookup.moc"
