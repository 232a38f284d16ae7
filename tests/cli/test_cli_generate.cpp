// towerlab-cli generate and info --data: MovieLens-shaped data written, read back by every
// command that takes --data, the same bytes for a seed, and the refusals of docs/cli.md.

#include "cli_runner.hpp"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

using namespace towerlab::test;

namespace {

QByteArray readBytes(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList generateArgs(const QString& out, const QString& seed = QStringLiteral("3")) {
    return {"generate", "--users", "200", "--movies", "120", "--ratings",
            "6000",     "--seed",  seed,  "--out",    out};
}

} // namespace

class TestCliGenerate : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void writesReadableData() {
        const QString out = m_dir.filePath("gen");
        const CliRun run = runCli(generateArgs(out) << "--quiet");
        TOWERLAB_EXPECT_EXIT(run, 0);
        QVERIFY2(run.outText().startsWith("wrote " + out + ": 200 users, 120 movies, 6000 ratings"),
                 run.out.constData());
        QVERIFY(run.err.isEmpty()); // --quiet: no progress
        QStringList files = QDir(out).entryList(QDir::Files);
        files.sort();
        QCOMPARE(files, (QStringList{"README.txt", "movies.csv", "ratings.csv"}));
        QVERIFY(readBytes(out + "/ratings.csv").startsWith("userId,movieId,rating,timestamp\n"));
        QVERIFY(readBytes(out + "/movies.csv").startsWith("movieId,title,genres\n"));

        // info --data: what the loader reads back.
        const CliRun info = runCli({"info", "--data", out, "--json", "-"});
        TOWERLAB_EXPECT_EXIT(info, 0);
        const QJsonObject json = parseJsonObject(info.out);
        const QJsonObject dataset = json.value("dataset").toObject();
        QCOMPARE(dataset.value("name").toString(), QString("MovieLens latest format (gen)"));
        QCOMPARE(dataset.value("users").toInt(), 200);
        QCOMPARE(dataset.value("movies").toInt(), 120);
        QCOMPARE(dataset.value("ratings").toInt(), 6000);
        QCOMPARE(dataset.value("rating_bytes").toInt(), 6000 * 16);
        QCOMPARE(dataset.value("has_demographics").toBool(), false);
        QVERIFY(json.value("load_seconds").toDouble() >= 0.0);
        const CliRun text = runCli({"info", "--data", out});
        TOWERLAB_EXPECT_EXIT(text, 0);
        QVERIFY2(text.outText().contains("users 200, movies 120, ratings 6000"),
                 text.out.constData());
        QVERIFY2(text.outText().contains("16 bytes each"), text.out.constData());

        // A short training on it runs with the latest format's default features.
        const CliRun train =
            runCli({"train", "--data", out, "--epochs", "1", "--quiet", "--json", "-"});
        TOWERLAB_EXPECT_EXIT(train, 0);
        QCOMPARE(parseJsonObject(train.out).value("dataset").toObject().value("ratings").toInt(),
                 6000);
    }

    void aSeedGivesTheSameBytes() {
        const QString a = m_dir.filePath("seed-a");
        const QString b = m_dir.filePath("seed-b");
        const QString c = m_dir.filePath("seed-c");
        // (TOWERLAB_EXPECT_EXIT names its argument more than once: run first.)
        const CliRun runA = runCli(generateArgs(a) << "-q");
        const CliRun runB = runCli(generateArgs(b) << "-q");
        const CliRun runC = runCli(generateArgs(c, "4") << "-q");
        TOWERLAB_EXPECT_EXIT(runA, 0);
        TOWERLAB_EXPECT_EXIT(runB, 0);
        TOWERLAB_EXPECT_EXIT(runC, 0);
        for (const char* file : {"/ratings.csv", "/movies.csv"}) {
            QCOMPARE(readBytes(a + file), readBytes(b + file));
            QVERIFY(readBytes(a + file) != readBytes(c + file));
        }
    }

    void refusals_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("fewer ratings than users")
            << QStringList{"generate",  "--users", "100",   "--movies", "10",
                           "--ratings", "50",      "--out", "DIR/x"}
            << 2 << "fewer than the 100 users";
        QTest::newRow("more ratings than pairs")
            << QStringList{"generate",  "--users", "2",     "--movies", "3",
                           "--ratings", "7",       "--out", "DIR/x"}
            << 2 << "at most once";
        QTest::newRow("no movies") << QStringList{"generate",  "--users", "2",     "--movies", "0",
                                                  "--ratings", "7",       "--out", "DIR/x"}
                                   << 2 << "--movies";
        QTest::newRow("no out") << QStringList{"generate", "--users",   "2", "--movies",
                                               "3",        "--ratings", "4"}
                                << 2 << "--out is required";
        QTest::newRow("not a number")
            << QStringList{"generate",  "--users", "2x",    "--movies", "3",
                           "--ratings", "4",       "--out", "DIR/x"}
            << 2 << "not a whole number";
        QTest::newRow("folder in use")
            << QStringList{"generate",  "--users", "2",     "--movies", "3",
                           "--ratings", "4",       "--out", "DIR/used"}
            << 1 << "is not empty";
        QTest::newRow("a file as folder")
            << QStringList{"generate",  "--users", "2",     "--movies",          "3",
                           "--ratings", "4",       "--out", "DIR/used/notes.txt"}
            << 1 << "is not a folder";
        QTest::newRow("info with model and data")
            << QStringList{"info", "--model", "m.tlm", "--data", "DIR"} << 2 << "exclude";
    }
    void refusals() {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        QDir().mkpath(m_dir.filePath("used"));
        QFile notes(m_dir.filePath("used/notes.txt"));
        QVERIFY(notes.open(QIODevice::WriteOnly));
        notes.write("mine");
        notes.close();
        args.replaceInStrings("DIR", m_dir.path());
        const CliRun run = runCli(args);
        TOWERLAB_EXPECT_EXIT(run, code);
        QVERIFY2(run.errText().contains(message), run.err.constData());
        QVERIFY(!QFile::exists(m_dir.filePath("x"))); // nothing written
        QCOMPARE(QDir(m_dir.filePath("used")).entryList(QDir::Files), QStringList{"notes.txt"});
    }
};

QTEST_GUILESS_MAIN(TestCliGenerate)
#include "test_cli_generate.moc"
