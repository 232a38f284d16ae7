// towerlab-cli recommend, score and embed on a model trained on the demo dataset: JSON
// shapes, the query flags in all their accepted forms, "did you mean" titles, and exported
// file sizes.

#include "cli_runner.hpp"

#include <QTemporaryDir>

using namespace towerlab::test;

namespace {

const QStringList kQuery = {"--age",    "25", "--occupation", "student",
                            "--gender", "M",  "--timestamp",  "879024327"};

} // namespace

class TestCliQuery : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_model;
    int m_catalogueSize = 0;
    int m_users = 0;
    int m_outputDim = 0;

    QString path(const QString& name) const { return m_dir.filePath(name); }

    QJsonObject recommendJson(const QStringList& extra) {
        const CliRun run =
            runCli(QStringList{"recommend", "--model", m_model, "--json", "-"} + kQuery + extra);
        if (run.crashed || run.exitCode != 0) {
            qWarning() << describe(run);
            return {};
        }
        return parseJsonObject(run.out);
    }

    QJsonObject queryOf(const QStringList& flags) {
        const CliRun run =
            runCli(QStringList{"recommend", "--model", m_model, "-k", "1", "--json", "-"} + flags);
        if (run.crashed || run.exitCode != 0) {
            qWarning() << describe(run);
            return {};
        }
        return parseJsonObject(run.out).value("query").toObject();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_model = path("demo.tlm");
        const CliRun train = runCli({"train", "--demo", "--epochs", "2", "--quiet", "--out",
                                     m_model, "--json", path("run.json")});
        TOWERLAB_EXPECT_EXIT(train, 0);
        const QJsonObject run = readJsonObject(path("run.json"));
        m_catalogueSize = run.value("dataset").toObject().value("movies").toInt();
        m_users = run.value("dataset").toObject().value("users").toInt();
        m_outputDim = run.value("config").toObject().value("layers").toArray().last().toInt();
        QVERIFY(m_catalogueSize > 50);
        QCOMPARE(m_outputDim, 32);
    }

    void recommendJsonListsKRowsInScoreOrder() {
        const QJsonObject json = recommendJson({"-k", "20"});
        const QJsonArray results = json.value("results").toArray();
        QCOMPARE(results.size(), 20);
        QSet<QString> titles;
        double previous = std::numeric_limits<double>::infinity();
        for (int i = 0; i < results.size(); ++i) {
            const QJsonObject row = results[i].toObject();
            QCOMPARE(row.value("rank").toInt(), i + 1);
            const double score = row.value("score").toDouble();
            QVERIFY2(score <= previous, "scores are not descending");
            previous = score;
            for (const char* key : {"title", "movie_id", "year", "genres", "popularity"}) {
                QVERIFY2(row.contains(key), key);
            }
            QVERIFY(row.value("genres").isArray());
            titles.insert(row.value("title").toString());
        }
        QCOMPARE(titles.size(), 20);
        const QJsonObject query = json.value("query").toObject();
        QCOMPARE(query.value("age_bucket").toInt(), 25);
        QCOMPARE(query.value("occupation").toInt(), 17);
        QCOMPARE(query.value("occupation_name").toString(), QString("student"));
        QCOMPARE(query.value("gender").toString(), QString("M"));
        QCOMPARE(query.value("timestamp").toInteger(), 879024327);
        QVERIFY(query.value("user_id").isNull());
    }

    void recommendPrintsTenByDefault() {
        const CliRun run = runCli(QStringList{"recommend", "--model", m_model} + kQuery);
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QStringList lines = run.outText().split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2 + 10); // query line, header, ten movies
        QVERIFY(lines[0].startsWith("query: age bucket 25, occupation 17 (student), gender M"));
        QVERIFY(lines[2].trimmed().startsWith("1 "));
        QVERIFY(lines[11].trimmed().startsWith("10 "));
    }

    void recommendWholeCatalogue() {
        const QJsonObject json = recommendJson({"-k", QString::number(m_catalogueSize)});
        QCOMPARE(json.value("results").toArray().size(), m_catalogueSize);
    }

    void ageIsBucketized_data() {
        QTest::addColumn<QString>("years");
        QTest::addColumn<int>("bucket");
        QTest::newRow("12 -> 1") << "12" << 1;
        QTest::newRow("17 -> 1") << "17" << 1;
        QTest::newRow("18 -> 18") << "18" << 18;
        QTest::newRow("25 -> 25") << "25" << 25;
        QTest::newRow("30 -> 25") << "30" << 25;
        QTest::newRow("49 -> 45") << "49" << 45;
        QTest::newRow("56 -> 56") << "56" << 56;
        QTest::newRow("80 -> 56") << "80" << 56;
    }
    void ageIsBucketized() {
        QFETCH(QString, years);
        QFETCH(int, bucket);
        const QJsonObject query = queryOf(
            {"--age", years, "--occupation", "1", "--gender", "F", "--timestamp", "879024327"});
        QCOMPARE(query.value("age_bucket").toInt(), bucket);
    }

    void occupationForms_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("label");
        QTest::newRow("index") << "17" << 17;
        QTest::newRow("index 0") << "0" << 0;
        QTest::newRow("label") << "student" << 17;
        QTest::newRow("label, upper case") << "STUDENT" << 17;
        QTest::newRow("label with slash") << "sales/marketing" << 14;
        QTest::newRow("label with space") << "customer service" << 3;
        QTest::newRow("100K salesman") << "salesman" << 14;
        QTest::newRow("100K marketing") << "marketing" << 14;
        QTest::newRow("100K healthcare") << "healthcare" << 4;
        QTest::newRow("100K technician") << "Technician" << 18;
        QTest::newRow("100K none") << "none" << 11;
    }
    void occupationForms() {
        QFETCH(QString, text);
        QFETCH(int, label);
        const QJsonObject query = queryOf(
            {"--age", "30", "--occupation", text, "--gender", "M", "--timestamp", "879024327"});
        QCOMPARE(query.value("occupation").toInt(-1), label);
    }

    void genderForms_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("gender");
        QTest::newRow("M") << "M"
                           << "M";
        QTest::newRow("m") << "m"
                           << "M";
        QTest::newRow("male") << "male"
                              << "M";
        QTest::newRow("Male") << "Male"
                              << "M";
        QTest::newRow("F") << "F"
                           << "F";
        QTest::newRow("female") << "FEMALE"
                                << "F";
        // The tutorial writes TFDS's bool user_gender: True is male.
        QTest::newRow("true") << "true"
                              << "M";
        QTest::newRow("True") << "True"
                              << "M";
        QTest::newRow("1") << "1"
                           << "M";
        QTest::newRow("false") << "false"
                               << "F";
        QTest::newRow("0") << "0"
                           << "F";
    }
    void genderForms() {
        QFETCH(QString, text);
        QFETCH(QString, gender);
        const QJsonObject query = queryOf(
            {"--age", "30", "--occupation", "2", "--gender", text, "--timestamp", "879024327"});
        QCOMPARE(query.value("gender").toString(), gender);
    }

    void timestampForms_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("seconds");
        QTest::newRow("unix seconds") << "879024327" << qint64(879024327);
        QTest::newRow("date") << "1997-11-08" << qint64(878947200);
        QTest::newRow("date and time Z") << "1997-11-08T12:00:00Z" << qint64(878990400);
        QTest::newRow("date and time") << "1997-11-08T12:00:00" << qint64(878990400);
        QTest::newRow("minutes only") << "1997-11-08T12:30" << qint64(878992200);
        QTest::newRow("leap day") << "1996-02-29" << qint64(825552000);
        QTest::newRow("epoch") << "1970-01-01" << qint64(0);
    }
    void timestampForms() {
        QFETCH(QString, text);
        QFETCH(qint64, seconds);
        const QJsonObject query =
            queryOf({"--age", "30", "--occupation", "2", "--gender", "M", "--timestamp", text});
        QCOMPARE(query.value("timestamp").toInteger(-1), seconds);
    }

    void scoreThreeTitlesFromTheRecommendations() {
        const QJsonArray top = recommendJson({"-k", "10"}).value("results").toArray();
        QCOMPARE(top.size(), 10);
        const QJsonObject first = top[0].toObject();
        const QJsonObject fifth = top[4].toObject();
        const QJsonObject tenth = top[9].toObject();
        const CliRun run = runCli(QStringList{"score", "--model", m_model, "--json", "-"} + kQuery +
                                  QStringList{"--title", tenth.value("title").toString(), "--title",
                                              first.value("title").toString(), "--title",
                                              fifth.value("title").toString()});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QJsonObject json = parseJsonObject(run.out);
        const QJsonArray results = json.value("results").toArray();
        QCOMPARE(results.size(), 3);
        // In the order given, with the same scores and ranks recommend gave.
        const QJsonObject expected[] = {tenth, first, fifth};
        for (int i = 0; i < 3; ++i) {
            const QJsonObject row = results[i].toObject();
            QCOMPARE(row.value("title"), expected[i].value("title"));
            QCOMPARE(row.value("score").toDouble(), expected[i].value("score").toDouble());
            QCOMPARE(row.value("rank").toInt(), expected[i].value("rank").toInt());
            QCOMPARE(row.value("movie_id"), expected[i].value("movie_id"));
        }
        QCOMPARE(json.value("best"), first.value("title"));

        const CliRun text = runCli(QStringList{"score", "--model", m_model} + kQuery +
                                   QStringList{"--title", first.value("title").toString()});
        TOWERLAB_EXPECT_EXIT(text, 0);
        QVERIFY(text.outText().contains("highest: " + first.value("title").toString()));
    }

    void scoreUnknownTitleSuggestsNearTitles() {
        const QString title = recommendJson({"-k", "1"})
                                  .value("results")
                                  .toArray()[0]
                                  .toObject()
                                  .value("title")
                                  .toString();
        // Drop the year and the last letter of the name: no exact match, but close.
        QString typo = title.left(title.lastIndexOf('(')).trimmed();
        typo.chop(1);
        const CliRun run = runCli(QStringList{"score", "--model", m_model} + kQuery +
                                  QStringList{"--title", typo});
        TOWERLAB_EXPECT_EXIT(run, 1);
        QVERIFY2(run.errText().contains("did you mean"), run.err.constData());
        QVERIFY2(run.errText().contains("\"" + title + "\""), run.err.constData());
        QVERIFY(run.errText().contains("\"" + typo + "\""));
        QCOMPARE(run.err.count('\n'), 1);
        QVERIFY(run.out.isEmpty());
    }

    void embedMoviesTsv() {
        const CliRun run = runCli(
            {"embed", "--model", m_model, "--movies", "--format", "tsv", "--out", path("movies")});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QStringList vectors = readLines(path("movies/vectors.tsv"));
        const QStringList metadata = readLines(path("movies/metadata.tsv"));
        QCOMPARE(vectors.size(), m_catalogueSize);
        QCOMPARE(metadata.size(), m_catalogueSize + 1); // header row
        QCOMPARE(metadata[0], QString("title\tmovie_id\tyear\tgenres\tpopularity"));
        for (const QString& line : vectors) {
            QCOMPARE(line.split('\t').size(), m_outputDim);
        }
        bool ok = false;
        vectors[0].split('\t')[0].toDouble(&ok);
        QVERIFY(ok);
        // The default format is tsv.
        TOWERLAB_EXPECT_EXIT(
            runCli({"embed", "--model", m_model, "--movies", "--out", path("movies2")}), 0);
        QCOMPARE(readLines(path("movies2/vectors.tsv")), vectors);
    }

    void embedMoviesNpy() {
        const CliRun run = runCli(
            {"embed", "--model", m_model, "--movies", "--format", "npy", "--out", path("movies")});
        TOWERLAB_EXPECT_EXIT(run, 0);
        QFile npy(path("movies.npy"));
        QVERIFY(npy.open(QIODevice::ReadOnly));
        const QByteArray bytes = npy.readAll();
        QVERIFY(bytes.startsWith("\x93NUMPY"));
        const int headerLength =
            static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
        const QByteArray header = bytes.mid(10, headerLength);
        QVERIFY2(header.contains("'descr': '<f4'"), header.constData());
        const QByteArray shape = "(" + QByteArray::number(m_catalogueSize) + ", " +
                                 QByteArray::number(m_outputDim) + ")";
        QVERIFY2(header.contains(shape), header.constData());
        QCOMPARE(bytes.size() - 10 - headerLength, m_catalogueSize * m_outputDim * 4);
        QCOMPARE(readLines(path("movies_metadata.tsv")).size(), m_catalogueSize + 1);
    }

    void embedUsersNpy() {
        const CliRun run = runCli({"embed", "--model", m_model, "--users", "--demo", "--format",
                                   "npy", "--out", path("users.npy")});
        TOWERLAB_EXPECT_EXIT(run, 0);
        QFile npy(path("users.npy")); // "users.npy" given as prefix means users.npy, not .npy.npy
        QVERIFY(npy.open(QIODevice::ReadOnly));
        const QByteArray bytes = npy.readAll();
        const int headerLength =
            static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
        QCOMPARE(bytes.size() - 10 - headerLength, m_users * m_outputDim * 4);
        const QStringList metadata = readLines(path("users_metadata.tsv"));
        QCOMPARE(metadata.size(), m_users + 1);
        QCOMPARE(metadata[0], QString("user_id\tage_bucket\toccupation\tgender\tmedian_timestamp"));
    }

    void embedUsersTsv() {
        const CliRun run =
            runCli({"embed", "--model", m_model, "--users", "--demo", "--out", path("users")});
        TOWERLAB_EXPECT_EXIT(run, 0);
        QCOMPARE(readLines(path("users/vectors.tsv")).size(), m_users);
        QCOMPARE(readLines(path("users/metadata.tsv")).size(), m_users + 1);
    }

    void excludeRatedSkipsTheUsersTrainingMovies() {
        const QString all = QString::number(m_catalogueSize);
        const QJsonObject plain = recommendJson({"-k", all, "--user-id", "1"});
        QCOMPARE(plain.value("results").toArray().size(), m_catalogueSize);
        QCOMPARE(plain.value("excluded").toInt(), 0);
        const QJsonObject excluded =
            recommendJson({"-k", all, "--user-id", "1", "--demo", "--exclude-rated"});
        const int skipped = excluded.value("excluded").toInt();
        QVERIFY(skipped > 0);
        QCOMPARE(excluded.value("results").toArray().size(), m_catalogueSize - skipped);
        QCOMPARE(excluded.value("query").toObject().value("user_id").toInt(), 1);
    }
};

QTEST_APPLESS_MAIN(TestCliQuery)
#include "test_cli_query.moc"
