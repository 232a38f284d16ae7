// towerlab-cli project: PCA and t-SNE maps of a demo model's movies and users, the TSV it
// writes, the numbers it prints, and every refusal (bad flags, a dataset that is not the
// model's, t-SNE flags with PCA).

#include "cli_runner.hpp"

#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>

#include <cmath>

using namespace towerlab::test;

class TestCliProject : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_model;
    int m_catalogueSize = 0;
    int m_users = 0;

    QString path(const QString& name) const { return m_dir.filePath(name); }

    // Checks the map's header and rows; returns the rows without the header.
    QStringList checkMap(const QString& file, const QString& idColumn, const QString& labelColumn,
                         int rows) {
        const QStringList lines = readLines(file);
        if (lines.size() != rows + 1) {
            qWarning() << "expected" << rows + 1 << "lines, got" << lines.size();
            return {};
        }
        if (lines.front() != idColumn + "\t" + labelColumn + "\tx\ty") {
            qWarning() << "header" << lines.front();
            return {};
        }
        QSet<QString> ids;
        for (int i = 1; i < lines.size(); ++i) {
            const QStringList cells = lines[i].split('\t');
            bool okX = false;
            bool okY = false;
            if (cells.size() != 4 || cells[1].isEmpty() ||
                !std::isfinite(cells[2].toDouble(&okX)) ||
                !std::isfinite(cells[3].toDouble(&okY)) || !okX || !okY) {
                qWarning() << "bad row" << lines[i];
                return {};
            }
            ids.insert(cells[0]);
        }
        if (ids.size() != rows) {
            qWarning() << "ids are not unique";
            return {};
        }
        return lines.mid(1);
    }

    static double trustworthinessOf(const CliRun& run) {
        const QRegularExpression re(QStringLiteral("trustworthiness@10: ([0-9.]+)"));
        const auto match = re.match(run.outText());
        return match.hasMatch() ? match.captured(1).toDouble() : -1.0;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_model = path("demo.tlm");
        const CliRun train = runCli({"train", "--demo", "--epochs", "3", "--quiet", "--out",
                                     m_model, "--json", path("run.json")});
        TOWERLAB_EXPECT_EXIT(train, 0);
        const QJsonObject run = readJsonObject(path("run.json"));
        m_catalogueSize = run.value("dataset").toObject().value("movies").toInt();
        m_users = run.value("dataset").toObject().value("users").toInt();
        QVERIFY(m_catalogueSize > 20);
        QVERIFY(m_users > 20);
    }

    void pcaOfMovies() {
        const QString out = path("movies_pca.tsv");
        const CliRun run =
            runCli({"project", "--model", m_model, "--movies", "--method", "pca", "--out", out});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QStringList rows = checkMap(out, "movie_id", "title", m_catalogueSize);
        QCOMPARE(rows.size(), m_catalogueSize);
        QVERIFY2(rows.front().split('\t')[1].contains(QRegularExpression("\\(\\d{4}\\)")),
                 qPrintable(rows.front()));
        QVERIFY2(run.outText().contains("explain"), run.out.constData());
        const double t = trustworthinessOf(run);
        QVERIFY2(t > 0.5 && t <= 1.0, run.out.constData());
        QVERIFY2(run.outText().contains(QRegularExpression("time: [0-9.]+ s")),
                 run.out.constData());
        // PCA is deterministic: the same command writes the same file.
        const QString again = path("movies_pca_again.tsv");
        TOWERLAB_EXPECT_EXIT(runCli({"project", "--model", m_model, "--movies", "--method", "pca",
                                     "--out", again, "--quiet"}),
                             0);
        QCOMPARE(readLines(again), readLines(out));
    }

    void tsneOfMovies() {
        const QString out = path("movies_tsne.tsv");
        const CliRun run =
            runCli({"project", "--model", m_model, "--movies", "--method", "tsne", "--perplexity",
                    "20", "--iterations", "400", "--seed", "3", "--out", out});
        TOWERLAB_EXPECT_EXIT(run, 0);
        QCOMPARE(checkMap(out, "movie_id", "title", m_catalogueSize).size(), m_catalogueSize);
        QVERIFY2(run.outText().contains("t-SNE"), run.out.constData());
        QVERIFY2(run.outText().contains("400 iterations") || run.outText().contains("(converged)"),
                 run.out.constData());
        // t-SNE keeps neighbourhoods better than a 2-component PCA of the same vectors.
        const double t = trustworthinessOf(run);
        QVERIFY2(t > 0.8, run.out.constData());
        QVERIFY2(run.errText().contains("t-SNE iteration"), run.err.constData());
        // The seed decides the random start, so another seed draws another map.
        const QString other = path("movies_tsne_seed4.tsv");
        TOWERLAB_EXPECT_EXIT(
            runCli({"project", "--model", m_model, "--movies", "--method", "tsne", "--perplexity",
                    "20", "--iterations", "400", "--seed", "4", "--out", other, "--quiet"}),
            0);
        QVERIFY(readLines(other) != readLines(out));
    }

    void usersOfTheModelsDataset() {
        const QString out = path("users.tsv");
        const CliRun run = runCli(
            {"project", "--model", m_model, "--users", "--demo", "--method", "pca", "--out", out});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QStringList rows = checkMap(out, "user_id", "label", m_users);
        QCOMPARE(rows.size(), m_users);
        // The label names the user's age group, occupation and gender.
        QVERIFY2(rows.front().split('\t')[1].count(QStringLiteral(" \u00b7 ")) == 2,
                 qPrintable(rows.front()));
    }

    void refusesAnotherDataset() {
        const QString out = path("users_wrong.tsv");
        const CliRun run = runCli({"project", "--model", m_model, "--users", "--data",
                                   QStringLiteral(TOWERLAB_FIXTURES) + "/ml100k/valid", "--method",
                                   "pca", "--out", out});
        TOWERLAB_EXPECT_EXIT(run, 1);
        QVERIFY2(run.errText().contains("not the dataset the model was trained on"),
                 run.err.constData());
        QVERIFY(!QFile::exists(out));
    }

    // Above --tsne-points, t-SNE maps the most-rated movies, places the rest and says so;
    // --tsne-points all maps every movie.
    void tsneSubsampleOfMovies() {
        QVERIFY(m_catalogueSize > 100);
        const QString out = path("movies_sub.tsv");
        const CliRun run =
            runCli({"project", "--model", m_model, "--movies", "--method", "tsne", "--perplexity",
                    "20", "--iterations", "300", "--tsne-points", "100", "--out", out});
        TOWERLAB_EXPECT_EXIT(run, 0);
        QCOMPARE(checkMap(out, "movie_id", "title", m_catalogueSize).size(), m_catalogueSize);
        const QString mapped =
            QString("100 of %1 points mapped, the rest placed").arg(m_catalogueSize);
        QVERIFY2(run.outText().contains(mapped), run.out.constData());
        const QString note =
            QString("t-SNE mapped the 100 most-rated of the %1 movies").arg(m_catalogueSize);
        QVERIFY2(run.errText().contains(note), run.err.constData());
        QVERIFY2(run.errText().contains("--tsne-points all maps every one"), run.err.constData());

        const CliRun all = runCli({"project", "--model", m_model, "--movies", "--method", "tsne",
                                   "--perplexity", "20", "--iterations", "300", "--tsne-points",
                                   "all", "--out", path("movies_all.tsv")});
        TOWERLAB_EXPECT_EXIT(all, 0);
        QVERIFY2(!all.outText().contains("points mapped"), all.out.constData());
        QVERIFY2(!all.errText().contains("most-rated"), all.err.constData());
    }

    void usageErrors_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no method") << QStringList{"--movies", "--out", "m.tsv"} << "--method";
        QTest::newRow("bad method")
            << QStringList{"--movies", "--method", "umap", "--out", "m.tsv"} << "not pca or tsne";
        QTest::newRow("both kinds")
            << QStringList{"--movies", "--users", "--demo", "--method", "pca", "--out", "m.tsv"}
            << "exactly one of --movies and --users";
        QTest::newRow("users without data")
            << QStringList{"--users", "--method", "pca", "--out", "m.tsv"} << "--users needs";
        QTest::newRow("movies with data")
            << QStringList{"--movies", "--demo", "--method", "pca", "--out", "m.tsv"}
            << "only used with --users";
        QTest::newRow("no out") << QStringList{"--movies", "--method", "pca"} << "--out";
        QTest::newRow("perplexity with pca")
            << QStringList{"--movies", "--method", "pca", "--perplexity", "5", "--out", "m.tsv"}
            << "t-SNE setting";
        QTest::newRow("negative perplexity")
            << QStringList{"--movies", "--method", "tsne", "--perplexity", "-5", "--out", "m.tsv"}
            << "--perplexity";
        QTest::newRow("zero iterations")
            << QStringList{"--movies", "--method", "tsne", "--iterations", "0", "--out", "m.tsv"}
            << "--iterations";
        QTest::newRow("too few t-SNE points")
            << QStringList{"--movies", "--method", "tsne", "--tsne-points", "5", "--out", "m.tsv"}
            << "--tsne-points";
        QTest::newRow("t-SNE points with pca")
            << QStringList{"--movies", "--method", "pca", "--tsne-points", "all", "--out", "m.tsv"}
            << "t-SNE setting";
        QTest::newRow("bad seed") << QStringList{"--movies", "--method", "tsne", "--seed",
                                                 "x",        "--out",    "m.tsv"}
                                  << "--seed";
    }

    void usageErrors() {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const CliRun run = runCli(QStringList{"project", "--model", m_model} + args, m_dir.path());
        TOWERLAB_EXPECT_EXIT(run, 2);
        QVERIFY2(run.errText().contains(message), run.err.constData());
        QVERIFY(!QFile::exists(path("m.tsv")));
    }

    void runtimeErrors() {
        // A perplexity the core refuses for this many points, a missing folder, a bad model.
        CliRun run = runCli({"project", "--model", m_model, "--movies", "--method", "tsne",
                             "--perplexity", "100000", "--out", path("big.tsv")});
        TOWERLAB_EXPECT_EXIT(run, 1);
        QVERIFY2(run.errText().contains("perplexity"), run.err.constData());
        run = runCli({"project", "--model", m_model, "--movies", "--method", "pca", "--out",
                      path("missing/m.tsv")});
        TOWERLAB_EXPECT_EXIT(run, 1);
        QVERIFY2(run.errText().contains("does not exist"), run.err.constData());
        run = runCli({"project", "--model", path("nope.tlm"), "--movies", "--method", "pca",
                      "--out", path("m.tsv")});
        TOWERLAB_EXPECT_EXIT(run, 1);
    }

    void helpListsTheCommand() {
        CliRun run = runCli({"--help"});
        TOWERLAB_EXPECT_EXIT(run, 0);
        QVERIFY(run.outText().contains("project"));
        run = runCli({"project", "--help"});
        TOWERLAB_EXPECT_EXIT(run, 0);
        for (const char* flag : {"--method", "--perplexity", "--iterations", "--seed", "--out"}) {
            QVERIFY2(run.outText().contains(flag), flag);
        }
    }
};

QTEST_APPLESS_MAIN(TestCliProject)
#include "test_cli_project.moc"
