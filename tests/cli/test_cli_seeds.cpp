// towerlab-cli train --seeds and compare: one configuration over several seeds (each run the
// same as a --seed run, the summary their mean and sample sd, a model file per seed), and the
// verdict comparing two such reports, with every bad input named.

#include "cli_runner.hpp"

#include <QFileInfo>
#include <QTemporaryDir>

#include <cmath>

using namespace towerlab::test;

class TestCliSeeds : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const CliRun a = runCli({"train", "--demo", "--epochs", "2", "--seeds", "1,2,3", "--out",
                                 path("a.tlm"), "--json", path("a.json"), "-q"});
        TOWERLAB_EXPECT_EXIT(a, 0);
        const CliRun b = runCli({"train", "--demo", "--epochs", "2", "--seeds", "3,1,2",
                                 "--embedding-dim", "8", "--json", path("b.json"), "-q"});
        TOWERLAB_EXPECT_EXIT(b, 0);
        const CliRun one = runCli(
            {"train", "--demo", "--epochs", "2", "--seed", "2", "--json", path("one.json"), "-q"});
        TOWERLAB_EXPECT_EXIT(one, 0);
    }

    void eachSeedIsItsOwnRun() {
        const QJsonObject a = readJsonObject(path("a.json"));
        const QJsonArray runs = a.value("runs").toArray();
        QCOMPARE(runs.size(), 3);
        QCOMPARE(a.value("seeds").toArray(), (QJsonArray{1, 2, 3}));
        // Run 2 is exactly the --seed 2 run.
        const QJsonObject one = readJsonObject(path("one.json"));
        const QJsonObject second = runs[1].toObject();
        QCOMPARE(second.value("config").toObject().value("seed").toInt(), 2);
        QCOMPARE(second.value("metrics").toObject(), one.value("metrics").toObject());
        // A model file per seed.
        for (const char* name : {"a-seed1.tlm", "a-seed2.tlm", "a-seed3.tlm"}) {
            QVERIFY2(QFileInfo(path(name)).size() > 0, name);
            QCOMPARE(runs[0].toObject().value("model_file").toString(), path("a-seed1.tlm"));
        }
        QVERIFY(!QFileInfo::exists(path("a.tlm")));
    }

    void summaryIsMeanAndSampleSd() {
        const QJsonObject a = readJsonObject(path("a.json"));
        const QJsonArray runs = a.value("runs").toArray();
        const QJsonObject summary = a.value("summary").toObject();
        for (const QString& section : {QString("metrics"), QString("baseline")}) {
            const QJsonObject top = summary.value(section).toObject().value("top_100").toObject();
            double x[3];
            for (int i = 0; i < 3; ++i) {
                x[i] = runs[i].toObject().value(section).toObject().value("top_100").toDouble();
            }
            const double mean = (x[0] + x[1] + x[2]) / 3.0;
            const double sd =
                std::sqrt(((x[0] - mean) * (x[0] - mean) + (x[1] - mean) * (x[1] - mean) +
                           (x[2] - mean) * (x[2] - mean)) /
                          2.0);
            QVERIFY(std::abs(top.value("mean").toDouble() - mean) < 1e-12);
            QVERIFY(std::abs(top.value("sd").toDouble() - sd) < 1e-12);
            QCOMPARE(top.value("runs").toInt(), 3);
        }
    }

    void summaryCoversMetricsBeyondAccuracy() {
        const QJsonObject a = readJsonObject(path("a.json"));
        const QJsonArray runs = a.value("runs").toArray();
        const QJsonObject coverage = a.value("summary")
                                         .toObject()
                                         .value("beyond_accuracy")
                                         .toObject()
                                         .value("coverage_100")
                                         .toObject();
        double sum = 0;
        for (const QJsonValue& run : runs) {
            sum +=
                run.toObject().value("beyond_accuracy").toObject().value("coverage_100").toDouble();
        }
        QVERIFY(std::abs(coverage.value("mean").toDouble() - sum / 3.0) < 1e-12);
        QCOMPARE(coverage.value("runs").toInt(), 3);
        QVERIFY(a.value("summary")
                    .toObject()
                    .value("baseline_beyond_accuracy")
                    .toObject()
                    .contains("popularity_percentile_10"));
        // And compare gives a verdict on it, from the runs' own values.
        const CliRun run = runCli({"compare", "--first", path("a.json"), "--second", path("b.json"),
                                   "--metric", "coverage_100", "--json", path("coverage.json")});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QJsonObject v = readJsonObject(path("coverage.json"));
        QCOMPARE(v.value("first").toObject().value("values").toArray()[0].toDouble(),
                 runs[0]
                     .toObject()
                     .value("beyond_accuracy")
                     .toObject()
                     .value("coverage_100")
                     .toDouble());
        QVERIFY(
            v.value("verdict").toObject().value("sentence").toString().contains("coverage_100"));
    }

    void compareGivesAVerdict() {
        const CliRun run =
            runCli({"compare", "--first", path("a.json"), "--second", path("b.json"), "--metric",
                    "top_10", "--names", "width 32,width 8", "--json", path("verdict.json")});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QJsonObject v = readJsonObject(path("verdict.json"));
        QCOMPARE(v.value("seeds").toArray(), (QJsonArray{1, 2, 3}));
        const QJsonObject first = v.value("first").toObject();
        const QJsonObject second = v.value("second").toObject();
        // Paired by seed, whatever order the reports ran their seeds in.
        const QJsonArray a = readJsonObject(path("a.json")).value("runs").toArray();
        const QJsonArray b = readJsonObject(path("b.json")).value("runs").toArray();
        QCOMPARE(first.value("values").toArray()[0].toDouble(),
                 a[0].toObject().value("metrics").toObject().value("top_10").toDouble());
        QCOMPARE(second.value("values").toArray()[0].toDouble(),
                 b[1].toObject().value("metrics").toObject().value("top_10").toDouble());
        const QJsonObject verdict = v.value("verdict").toObject();
        const double difference = verdict.value("difference").toDouble();
        QVERIFY(std::abs(difference - (second.value("mean").toDouble() -
                                       first.value("mean").toDouble())) < 1e-12);
        QVERIFY(verdict.value("low").toDouble() <= difference &&
                difference <= verdict.value("high").toDouble());
        const QString sentence = verdict.value("sentence").toString();
        QVERIFY2(sentence.contains("top_10") && sentence.contains("3 seeds"), qPrintable(sentence));
        const QString kind = verdict.value("kind").toString();
        QVERIFY2(kind == "first_better" || kind == "second_better" ||
                     kind == "no_detectable_difference",
                 qPrintable(kind));
        QVERIFY2(kind != "no_detectable_difference" || sentence.startsWith("No difference"),
                 qPrintable(sentence));
    }

    void refusesWhatItCannotCompare() {
        const CliRun single =
            runCli({"compare", "--first", path("a.json"), "--second", path("one.json")});
        TOWERLAB_EXPECT_EXIT(single, 1);
        QVERIFY2(single.errText().contains("one.json: a single run; train the configuration "
                                           "with --seeds"),
                 describe(single));
        const CliRun metric = runCli(
            {"compare", "--first", path("a.json"), "--second", path("b.json"), "--metric", "top"});
        TOWERLAB_EXPECT_EXIT(metric, 1);
        QVERIFY2(metric.errText().contains("metric 'top' is in neither 'metrics' nor 'beyond_accuracy'"), describe(metric));
        const CliRun missing = runCli({"compare", "--first", path("a.json")});
        TOWERLAB_EXPECT_EXIT(missing, 2);
        const CliRun notJson =
            runCli({"compare", "--first", path("a-seed1.tlm"), "--second", path("b.json")});
        TOWERLAB_EXPECT_EXIT(notJson, 1);
        QVERIFY2(notJson.errText().contains("a-seed1.tlm: not JSON"), describe(notJson));
    }

    void refusesBadSeedLists() {
        const struct {
            QStringList args;
            const char* message;
        } cases[] = {
            {{"--seeds", "1"}, "--seeds needs at least two seeds"},
            {{"--seeds", "1,2,1"}, "--seeds: seed 1 is listed twice"},
            {{"--seeds", "1,,2"}, "--seeds"},
            {{"--seeds", "1,2", "--seed", "3"}, "--seed and --seeds cannot be used together"},
        };
        for (const auto& c : cases) {
            const CliRun run = runCli(QStringList{"train", "--demo", "--epochs", "1"} + c.args);
            TOWERLAB_EXPECT_EXIT(run, 2);
            QVERIFY2(run.errText().contains(c.message), describe(run));
        }
    }
};

QTEST_APPLESS_MAIN(TestCliSeeds)
#include "test_cli_seeds.moc"
