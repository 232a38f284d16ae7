// towerlab-cli train on the MovieLens 1M and "latest" fixtures: default features follow the
// dataset, a feature the dataset lacks is refused with a reason, and an unknown folder says
// which formats exist.

#include "cli_runner.hpp"
#include "test_support.hpp"

#include <QFileInfo>
#include <QTemporaryDir>

using namespace towerlab::test;

class TestCliFormats : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static QString fixturePath(const char* relative) {
        return QString::fromStdString(fixture(relative).string());
    }

private slots:
    void latestTrainsWithIdAndTimeFeatures() {
        const QString json = m_dir.filePath("latest.json");
        const CliRun run = runCli({"train", "--data", fixturePath("ml-latest/valid"), "--epochs",
                                   "2", "--batch", "8", "--json", json});
        TOWERLAB_EXPECT_EXIT(run, 0);
        QVERIFY2(run.errText().contains("user features timestamp_bucket,timestamp_norm,user_id"),
                 qPrintable(run.errText()));
        const QJsonObject report = readJsonObject(json);
        QCOMPARE(report.value("outcome").toString(), QString("completed"));
        QCOMPARE(report.value("epochs_trained").toInt(), 2);
    }

    // The model remembers where its data came from, as an absolute path, whatever folder the
    // command ran in; the demo is "built-in".
    void theModelRecordsItsDatasetSource() {
        const QString model = m_dir.filePath("source.tlm");
        const QString folder = fixturePath("ml1m/valid");
        const QString parent = QFileInfo(folder).absolutePath();
        const CliRun run = runCli({"train", "--data", "valid", "--epochs", "1", "--batch", "8",
                                   "--quiet", "--out", model},
                                  parent);
        TOWERLAB_EXPECT_EXIT(run, 0);
        const CliRun info = runCli({"info", "--model", model, "--json", "-"});
        TOWERLAB_EXPECT_EXIT(info, 0);
        QCOMPARE(parseJsonObject(info.out).value("dataset").toObject().value("source").toString(),
                 QFileInfo(folder).absoluteFilePath());
        const CliRun text = runCli({"info", "--model", model});
        QVERIFY2(text.outText().contains("dataset source: " + QFileInfo(folder).absoluteFilePath()),
                 qPrintable(text.outText()));

        const QString demo = m_dir.filePath("demo-source.tlm");
        TOWERLAB_EXPECT_EXIT(runCli({"train", "--demo", "--epochs", "1", "--quiet", "--out", demo}),
                             0);
        const CliRun demoInfo = runCli({"info", "--model", demo, "--json", "-"});
        QCOMPARE(
            parseJsonObject(demoInfo.out).value("dataset").toObject().value("source").toString(),
            QString("built-in"));
    }

    void latestRefusesAgeWithAReason() {
        const CliRun run = runCli({"train", "--data", fixturePath("ml-latest/valid"),
                                   "--user-features", "age,timestamp_norm", "--epochs", "1"});
        QVERIFY2(!run.crashed && run.exitCode != 0, describe(run).constData());
        QVERIFY2(run.errText().contains("age is not available"), qPrintable(run.errText()));
        QVERIFY2(run.errText().contains("no user demographics"), qPrintable(run.errText()));
    }

    void oneMillionFormatTrainsWithTheTutorialFeatures() {
        const CliRun run =
            runCli({"train", "--data", fixturePath("ml1m/valid"), "--epochs", "2", "--batch", "8"});
        TOWERLAB_EXPECT_EXIT(run, 0);
        QVERIFY2(run.errText().contains("MovieLens 1M: 12 users, 10 movies, 60 ratings"),
                 qPrintable(run.errText()));
        QVERIFY2(run.errText().contains(
                     "user features age,occupation,gender,timestamp_bucket,timestamp_norm"),
                 qPrintable(run.errText()));
    }

    void unknownFolderListsTheFormats() {
        const CliRun run = runCli({"train", "--data", m_dir.path(), "--epochs", "1"});
        QVERIFY2(!run.crashed && run.exitCode != 0, describe(run).constData());
        QVERIFY2(run.errText().contains("MovieLens 1M (ratings.dat, movies.dat, users.dat)"),
                 qPrintable(run.errText()));
        QVERIFY2(run.errText().contains("MovieLens latest (CSV) (ratings.csv, movies.csv)"),
                 qPrintable(run.errText()));
    }
};

QTEST_APPLESS_MAIN(TestCliFormats)
#include "test_cli_formats.moc"
