// UserLookup on hand-made users: ascending ids (searched in place), any other order (through
// a sorted copy), ids that are absent, repeated ids, no users at all, and the shared lookup
// that holds its dataset.
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

    // The lookup the window shares holds the dataset: it still answers when every other
    // holder has let the dataset go.
    void sharedLookupHoldsItsDataset() {
        auto dataset = std::make_shared<Dataset>();
        dataset->users = usersWithIds({9, 4, 6});
        std::weak_ptr<const Dataset> watch = dataset;
        std::shared_ptr<const UserLookup> lookup = UserLookup::shared(dataset);
        QVERIFY(lookup->isOver(dataset->users));
        const std::vector<User> equalCopy = dataset->users;
        QVERIFY(!lookup->isOver(equalCopy)); // another dataset's users, however equal
        dataset.reset();
        QVERIFY(!watch.expired());
        QCOMPARE(lookup->indexOf(4), 1);
        QCOMPARE(lookup->indexOf(9), 0);
        QCOMPARE(lookup->minId(), std::int64_t{4});
        lookup.reset();
        QVERIFY(watch.expired());
        QVERIFY(UserLookup::shared(nullptr) == nullptr);
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
