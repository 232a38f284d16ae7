// towerlab-cli recommend --index hnsw on a model trained on the demo dataset: the same list as
// brute force when the search list covers the catalogue, the report of build time, query time
// and recall, exclusions, and the refused flags.

#include "cli_runner.hpp"

#include <QTemporaryDir>

using namespace towerlab::test;

namespace {

const QStringList kQuery = {"--age",    "25", "--occupation", "student",
                            "--gender", "M",  "--timestamp",  "879024327"};

QStringList titles(const QJsonObject& json) {
    QStringList out;
    for (const QJsonValue& row : json.value("results").toArray()) {
        out << row.toObject().value("title").toString();
    }
    return out;
}

} // namespace

class TestCliRecommendIndex : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_model;
    int m_catalogueSize = 0;

    QJsonObject recommendJson(const QStringList& extra) {
        const CliRun run =
            runCli(QStringList{"recommend", "--model", m_model, "--json", "-"} + kQuery + extra);
        if (run.crashed || run.exitCode != 0) {
            qWarning() << describe(run);
            return {};
        }
        return parseJsonObject(run.out);
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_model = m_dir.filePath("demo.tlm");
        const CliRun train = runCli({"train", "--demo", "--epochs", "2", "--quiet", "--out",
                                     m_model, "--json", m_dir.filePath("run.json")});
        TOWERLAB_EXPECT_EXIT(train, 0);
        m_catalogueSize = readJsonObject(m_dir.filePath("run.json"))
                              .value("dataset")
                              .toObject()
                              .value("movies")
                              .toInt();
        QVERIFY(m_catalogueSize > 100);
    }

    void hnswWithAFullListIsBruteForce() {
        const QString all = QString::number(m_catalogueSize);
        const QJsonObject brute = recommendJson({"-k", "25"});
        const QJsonObject hnsw =
            recommendJson({"-k", "25", "--index", "hnsw", "--ef", all, "--threads", "1"});
        QCOMPARE(brute.value("index").toObject().value("kind").toString(), "brute");
        const QJsonObject index = hnsw.value("index").toObject();
        QCOMPARE(index.value("kind").toString(), "hnsw");
        QCOMPARE(index.value("ef").toInt(), m_catalogueSize);
        QCOMPARE(index.value("m").toInt(), 16);
        QCOMPARE(index.value("recall").toDouble(), 1.0);
        QVERIFY(index.value("build_seconds").toDouble() > 0.0);
        QVERIFY(index.value("query_ms").toDouble() > 0.0);
        QVERIFY(index.value("brute_force_ms").toDouble() > 0.0);
        QCOMPARE(titles(hnsw), titles(brute));
        const QJsonArray a = brute.value("results").toArray();
        const QJsonArray b = hnsw.value("results").toArray();
        for (int i = 0; i < a.size(); ++i) {
            QCOMPARE(b[i].toObject().value("rank").toInt(), i + 1);
            QVERIFY(std::abs(a[i].toObject().value("score").toDouble() -
                             b[i].toObject().value("score").toDouble()) < 1e-3);
        }
    }

    void textOutputReportsBuildQueryAndRecall() {
        const CliRun run = runCli(QStringList{"recommend", "--model", m_model, "--index", "hnsw",
                                              "--hnsw-m", "8", "--ef", "40", "-k", "7"} +
                                  kQuery);
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QString out = run.outText();
        QVERIFY2(out.contains(QString("index: HNSW (M 8, ef_construction 200, ef 40) built in ")),
                 qPrintable(out));
        QVERIFY2(out.contains(QString(" over %1 movies").arg(m_catalogueSize)), qPrintable(out));
        const QRegularExpression recall(
            "query: HNSW [0-9.]+ ms, brute force [0-9.]+ ms; recall@7 against brute force "
            "([0-9.]+) \\(([0-9]+) of 7\\)");
        const QRegularExpressionMatch m = recall.match(out);
        QVERIFY2(m.hasMatch(), qPrintable(out));
        QCOMPARE(m.captured(1).toDouble(), m.captured(2).toDouble() / 7.0);
        // The plain brute-force output has no index lines.
        const CliRun brute = runCli(QStringList{"recommend", "--model", m_model} + kQuery);
        TOWERLAB_EXPECT_EXIT(brute, 0);
        QVERIFY(!brute.outText().contains("index:"));
    }

    void exclusionsAreHonoured() {
        const QString all = QString::number(m_catalogueSize);
        const QStringList user{"--user-id", "1", "--demo", "--exclude-rated"};
        // The rated movies: every title minus those left after excluding them.
        const QJsonObject everything = recommendJson({"-k", all});
        const QJsonObject left = recommendJson(QStringList{"-k", all} + user);
        const QStringList allTitles = titles(everything);
        QSet<QString> rated(allTitles.begin(), allTitles.end());
        for (const QString& t : titles(left)) {
            rated.remove(t);
        }
        QVERIFY(rated.size() > 10);
        // A list as short as k must still give k movies, none of them rated.
        const QJsonObject narrow =
            recommendJson(QStringList{"-k", "10", "--index", "hnsw", "--ef", "10"} + user);
        QCOMPARE(narrow.value("results").toArray().size(), 10);
        for (const QString& t : titles(narrow)) {
            QVERIFY2(!rated.contains(t), qPrintable(t));
        }
        const QJsonObject full = recommendJson(
            QStringList{"-k", "10", "--index", "hnsw", "--ef", all, "--threads", "1"} + user);
        QCOMPARE(titles(full), titles(left).mid(0, 10));
    }

    void badFlagsAreRefused_data() {
        QTest::addColumn<QStringList>("flags");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown index") << QStringList{"--index", "fast"}
                                       << "--index: must be brute (exact, every movie scored) or "
                                          "hnsw (approximate), got \"fast\"";
        QTest::newRow("ef without hnsw")
            << QStringList{"--ef", "20"} << "--ef is only used with --index hnsw";
        QTest::newRow("M without hnsw")
            << QStringList{"--hnsw-m", "20"} << "--hnsw-m is only used with --index hnsw";
        QTest::newRow("ef below k") << QStringList{"--index", "hnsw", "--ef", "5", "-k", "10"}
                                    << "--ef: must be at least k (10), got 5";
        QTest::newRow("ef zero") << QStringList{"--index", "hnsw", "--ef", "0"}
                                 << "--ef: must be between 1 and 1000000, got 0";
        QTest::newRow("M below 2") << QStringList{"--index", "hnsw", "--hnsw-m", "1"}
                                   << "--hnsw-m: must be between 2 and 100, got 1";
        QTest::newRow("M not a number") << QStringList{"--index", "hnsw", "--hnsw-m", "x"}
                                        << "--hnsw-m: \"x\" is not a whole number";
    }

    void badFlagsAreRefused() {
        QFETCH(QStringList, flags);
        QFETCH(QString, message);
        const CliRun run = runCli(QStringList{"recommend", "--model", m_model} + kQuery + flags);
        TOWERLAB_EXPECT_EXIT(run, 2);
        QVERIFY2(run.errText().contains(message), qPrintable(run.errText()));
        QVERIFY(run.out.isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestCliRecommendIndex)
#include "test_cli_recommend_index.moc"
