// towerlab-cli explore: embeddings written by another program (hand-written fixtures) and by
// towerlab-cli embed, matched to the demo's titles, asked for neighbours, top-k, the matrix
// and vector lengths; and its refusals, naming file, line and flag.

#include "cli_runner.hpp"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>

using namespace towerlab::test;

namespace {

const QString kFixtures = QStringLiteral(TOWERLAB_FIXTURES "/embeddings");

void writeText(const QString& path, const QByteArray& text) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

} // namespace

class TestCliExplore : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void asksTheFixture();
    void opensWhatEmbedWrites();
    void jsonHoldsTheTextsResults();
    void refusals_data();
    void refusals();
};

void TestCliExplore::asksTheFixture() {
    const QString p = kFixtures + "/projector/";
    const CliRun run =
        runCli({"explore", "--embeddings", p + "vectors.tsv", "--neighbours",
                "Starship Riddle (1994)", "--query-vector", p + "query.tsv", "--title", "cafe",
                "--title", "Silent Crypt (1988)", "--lengths", "-k", "2"});
    QVERIFY2(run.exitCode == 0 && !run.crashed, describe(run));
    const QString out = run.outText();
    QVERIFY2(out.contains("vectors: 6 x 4 from"), qPrintable(out));
    // The nearest movie by cosine, then the query's top 2 (ties in catalogue order).
    QVERIFY2(out.contains("nearest to Starship Riddle (1994) (cosine):\nrank     score  label  "
                          "[year; genres]\n   1    0.9939  Starship Riddle II (1996)"),
             qPrintable(out));
    QVERIFY2(out.contains("dot product):\nrank     score  label  [year; genres]\n   1    0.5000  "
                          "Starship Riddle (1994)  [1994; Sci-Fi|Mystery]\n   2    0.5000  "
                          "Starship Riddle II (1996)"),
             qPrintable(out));
    QVERIFY2(out.contains("  1.   1.0000   0.0000  cafe noir (1952)"), qPrintable(out));
    QVERIFY2(out.contains("        1   1.0000        0  Starship Riddle (1994)"), qPrintable(out));
    QVERIFY2(run.errText().contains("no --data or --demo"), describe(run));

    const CliRun user = runCli({"explore", "--embeddings", p + "vectors.tsv", "--user-vectors",
                                p + "users.tsv", "--user-metadata", p + "users_metadata.tsv",
                                "--user", "bob", "-k", "1", "--quiet"});
    QVERIFY2(user.exitCode == 0, describe(user));
    QVERIFY2(user.outText().contains("top 1 for bob (row 2 of") &&
                 user.outText().contains("   1    2.0000  A Film Nobody Catalogued (2031)"),
             describe(user));
    QVERIFY2(user.err.isEmpty(), describe(user));
}

void TestCliExplore::opensWhatEmbedWrites() {
    const CliRun train =
        runCli({"train", "--demo", "--epochs", "1", "--out", path("m.tlm"), "--quiet"});
    QVERIFY2(train.exitCode == 0, describe(train));
    const CliRun tsv =
        runCli({"embed", "--model", path("m.tlm"), "--movies", "--out", path("movies"), "--quiet"});
    QVERIFY2(tsv.exitCode == 0, describe(tsv));
    const CliRun npy = runCli({"embed", "--model", path("m.tlm"), "--movies", "--format", "npy",
                               "--out", path("movies.npy"), "--quiet"});
    QVERIFY2(npy.exitCode == 0, describe(npy));
    const int movies = int(readLines(path("movies/vectors.tsv")).size());
    QVERIFY(movies > 10);
    for (const QString& vectors : {path("movies/vectors.tsv"), path("movies.npy")}) {
        const CliRun run = runCli({"explore", "--embeddings", vectors, "--demo", "--lengths"});
        QVERIFY2(run.exitCode == 0, describe(run));
        // Every title comes back exactly, and popularity is the demo's ratings of each.
        QVERIFY2(run.outText().contains(QString(": %1 exactly, 0 ignoring case and accents, 0 "
                                                "unmatched")
                                            .arg(movies)),
                 describe(run));
        QVERIFY2(run.outText().contains("correlation of length with log(1 + ratings): "),
                 describe(run));
        QVERIFY2(!run.outText().contains("undefined"), describe(run));
    }
}

// --json - prints only the JSON, with the numbers the text shows; --json FILE keeps the text.
void TestCliExplore::jsonHoldsTheTextsResults() {
    const QString p = kFixtures + "/projector/";
    const CliRun run =
        runCli({"explore", "--embeddings", p + "vectors.tsv", "--neighbours",
                "Starship Riddle (1994)", "--query-vector", p + "query.tsv", "--title", "cafe",
                "--title", "Silent Crypt (1988)", "--lengths", "-k", "2", "--json", "-"});
    QVERIFY2(run.exitCode == 0 && !run.crashed, describe(run));
    QVERIFY2(!run.outText().contains("vectors: 6 x 4"), describe(run)); // only the JSON
    const QJsonObject json = parseJsonObject(run.out);
    QCOMPARE(json.value("command").toString(), QStringLiteral("explore"));
    QCOMPARE(json.value("vectors").toInt(), 6);
    QCOMPARE(json.value("dimensions").toInt(), 4);
    QVERIFY(json.value("matches").isNull());
    QVERIFY(json.value("embeddings").toString().endsWith("vectors.tsv"));

    const QJsonObject near = json.value("neighbours").toObject();
    QCOMPARE(near.value("title").toString(), QStringLiteral("Starship Riddle (1994)"));
    QCOMPARE(near.value("similarity").toString(), QStringLiteral("cosine"));
    const QJsonArray nearRows = near.value("results").toArray();
    QCOMPARE(nearRows.size(), 2);
    const QJsonObject first = nearRows.at(0).toObject();
    QCOMPARE(first.value("rank").toInt(), 1);
    QCOMPARE(first.value("title").toString(), QStringLiteral("Starship Riddle II (1996)"));
    QVERIFY(std::abs(first.value("score").toDouble() - 0.9939) < 5e-5);
    QVERIFY(first.value("movie_id").isNull()); // nothing matched without --data
    QVERIFY(first.value("year").isNull());     // its metadata row has no year
    QCOMPARE(first.value("genres").toArray().at(0).toString(), QStringLiteral("Sci-Fi"));

    const QJsonArray top = json.value("query_vector").toObject().value("results").toArray();
    QCOMPARE(top.size(), 2);
    QCOMPARE(top.at(0).toObject().value("title").toString(),
             QStringLiteral("Starship Riddle (1994)"));
    QCOMPARE(top.at(0).toObject().value("year").toInt(), 1994);
    QCOMPARE(top.at(0).toObject().value("score").toDouble(), 0.5);
    QCOMPARE(top.at(1).toObject().value("title").toString(),
             QStringLiteral("Starship Riddle II (1996)"));

    const QJsonObject matrix = json.value("similarity_matrix").toObject();
    QCOMPARE(matrix.value("titles").toArray().at(0).toString(), QStringLiteral("cafe noir (1952)"));
    const QJsonArray values = matrix.value("values").toArray();
    QCOMPARE(values.size(), 2);
    QCOMPARE(values.at(0).toArray().at(0).toDouble(), 1.0);
    QCOMPARE(values.at(0).toArray().at(1).toDouble(), 0.0); // (0,1,0,0) against (0,0,1,0)

    const QJsonObject lengths = json.value("lengths").toObject();
    QCOMPARE(lengths.value("popularity").toString(), QStringLiteral("none")); // no column, no data
    QVERIFY(lengths.value("log_popularity_correlation").isNull()); // every popularity is 0
    const QJsonArray longest = lengths.value("longest").toArray();
    QCOMPARE(longest.size(), 2);
    QCOMPARE(longest.at(0).toObject().value("length").toDouble(), 1.0);
    QCOMPARE(longest.at(0).toObject().value("title").toString(),
             QStringLiteral("Starship Riddle (1994)"));

    // A user's list, into a file: the text still goes to stdout.
    const CliRun user = runCli({"explore", "--embeddings", p + "vectors.tsv", "--user-vectors",
                                p + "users.tsv", "--user-metadata", p + "users_metadata.tsv",
                                "--user", "bob", "-k", "1", "--quiet", "--json", path("bob.json")});
    QVERIFY2(user.exitCode == 0, describe(user));
    QVERIFY2(user.outText().contains("top 1 for bob (row 2 of"), describe(user));
    const QJsonObject bob = readJsonObject(path("bob.json")).value("user").toObject();
    QCOMPARE(bob.value("label").toString(), QStringLiteral("bob"));
    QCOMPARE(bob.value("row").toInt(), 2);
    QVERIFY(bob.value("source").toString().endsWith("users.tsv"));
    const QJsonObject best = bob.value("results").toArray().at(0).toObject();
    QCOMPARE(best.value("title").toString(), QStringLiteral("A Film Nobody Catalogued (2031)"));
    QCOMPARE(best.value("score").toDouble(), 2.0);

    // With the demo: the match counts, and a JSON file in a missing folder is refused first.
    const CliRun demo =
        runCli({"explore", "--embeddings", p + "vectors.tsv", "--demo", "--json", "-", "--quiet"});
    QVERIFY2(demo.exitCode == 0, describe(demo));
    const QJsonObject matches = parseJsonObject(demo.out).value("matches").toObject();
    QCOMPARE(matches.value("unmatched").toInt(), 6);
    QCOMPARE(matches.value("exact").toInt(), 0);
    const CliRun missing = runCli(
        {"explore", "--embeddings", p + "vectors.tsv", "--json", path("no/such/folder/out.json")});
    QVERIFY2(missing.exitCode != 0 && missing.errText().contains("--json"), describe(missing));
}

void TestCliExplore::refusals_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("needle");
    const QString p = kFixtures + "/projector/";
    QTest::newRow("no embeddings") << QStringList{"explore"} << 2 << "--embeddings is required";
    QTest::newRow("missing file") << QStringList{"explore", "--embeddings", "/nonexistent/v.tsv",
                                                 "--metadata", p + "metadata.tsv"}
                                  << 1 << "/nonexistent/v.tsv: no such file";
    QTest::newRow("count mismatch")
        << QStringList{"explore", "--embeddings", p + "vectors.tsv", "--metadata",
                       kFixtures + "/one_column/metadata.tsv"}
        << 1 << "metadata.tsv: 3 label rows, but";
    QTest::newRow("user without vectors")
        << QStringList{"explore", "--embeddings", p + "vectors.tsv", "--user", "1"} << 2
        << "--user needs --user-vectors";
    QTest::newRow("user row out of range") << QStringList{"explore",
                                                          "--embeddings",
                                                          p + "vectors.tsv",
                                                          "--user-vectors",
                                                          p + "users.tsv",
                                                          "--user",
                                                          "3"}
                                           << 2 << "--user";
    QTest::newRow("unknown title")
        << QStringList{"explore", "--embeddings", p + "vectors.tsv", "--neighbours", "Nothing"} << 2
        << "--neighbours: no label is \"Nothing\" and none contains it";
    QTest::newRow("one title") << QStringList{"explore", "--embeddings", p + "vectors.tsv",
                                              "--title", "cafe"}
                               << 2 << "two or more";
    QTest::newRow("bad similarity")
        << QStringList{"explore", "--embeddings", p + "vectors.tsv", "--similarity", "l2"} << 2
        << "--similarity";
    QTest::newRow("ragged") << QStringList{"explore", "--embeddings", "RAGGED"} << 1
                            << "vectors.tsv, line 2: has 3 values, but line 1 has 2";
}

void TestCliExplore::refusals() {
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, needle);
    if (args.last() == "RAGGED") {
        QDir().mkpath(path("ragged"));
        writeText(path("ragged/vectors.tsv"), "1\t2\n3\t4\t5\n");
        writeText(path("ragged/metadata.tsv"), "a\nb\n");
        args.last() = path("ragged/vectors.tsv");
    }
    const CliRun run = runCli(args);
    QVERIFY2(!run.crashed && run.exitCode == exitCode, describe(run));
    QVERIFY2(run.errText().contains(needle), describe(run));
}

QTEST_APPLESS_MAIN(TestCliExplore)
#include "test_cli_explore.moc"
