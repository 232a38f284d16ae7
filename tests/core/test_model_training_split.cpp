// splitForTraining: the one function that builds a model's train/test split from its dataset
// and TrainConfig (split kind, seed, train fraction); TrainConfig's split field, its parsing,
// validation and description.

#include "data/split.hpp"
#include "model/model_config.hpp"
#include "model/training_split.hpp"
#include "test_support.hpp"

#include <QtTest>

#include <string>
#include <vector>

using namespace towerlab;

class TestModelTrainingSplit : public QObject {
    Q_OBJECT

private slots:
    void parseAndValidate();
    void splitForTrainingFollowsTheConfig();
};

void TestModelTrainingSplit::parseAndValidate() {
    QVERIFY(parseSplitKind("time") == SplitKind::Time);
    try {
        parseSplitKind("chronological");
        QFAIL("an unknown split name was accepted");
    } catch (const ConfigError& e) {
        QCOMPARE(e.field(), std::string("split"));
        QVERIFY2(std::string(e.what()).find("unknown split \"chronological\"") != std::string::npos,
                 e.what());
    }
    TrainConfig bad;
    bad.split = static_cast<SplitKind>(7);
    try {
        bad.validate();
        QFAIL("an unknown split kind was validated");
    } catch (const ConfigError& e) {
        QCOMPARE(e.field(), std::string("split"));
    }
    QVERIFY(TrainConfig{}.split == SplitKind::Random);
    TrainConfig t;
    QCOMPARE(describeSplit(t), std::string("random (seed 42), 80% train"));
    t.split = SplitKind::Time;
    t.trainFraction = 0.75;
    QCOMPARE(describeSplit(t),
             std::string("time, 75% train (the latest 25% of the ratings by timestamp test)"));
}

// splitForTraining gives exactly the split the config names: the random one with the seed,
// or the time one of the dataset's timestamps (where the seed changes nothing).
void TestModelTrainingSplit::splitForTrainingFollowsTheConfig() {
    Dataset d;
    d.name = "hand-made";
    for (const std::int64_t t : {500, 100, 900, 50, 700, 300, 950, 10, 600, 200}) {
        Rating r;
        r.timestamp = t;
        d.ratings.push_back(r);
    }
    TrainConfig c;
    c.seed = 5;
    const TrainTestSplit random = splitForTraining(d, c);
    const TrainTestSplit expected = splitRatings(10, 5, 0.8);
    QCOMPARE(random.train, expected.train);
    QCOMPARE(random.test, expected.test);
    c.split = SplitKind::Time;
    const TrainTestSplit time = splitForTraining(d, c);
    QCOMPARE(time.test, (std::vector<std::int32_t>{2, 6}));
    c.seed = 6;
    QCOMPARE(splitForTraining(d, c).train, time.train);
    Dataset one = d;
    one.ratings.resize(1);
    QVERIFY_THROWS_EXCEPTION(DatasetError, splitForTraining(one, c));
}

QTEST_APPLESS_MAIN(TestModelTrainingSplit)
#include "test_model_training_split.moc"
