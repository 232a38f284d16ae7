// towerlab-cli on a MovieLens-100K-format folder written by the test itself (invented users,
// titles and ratings; the real data is never copied): format detection, reader errors with
// file and line, and the commands that read --data.

#include "cli_runner.hpp"

#include <QDir>
#include <QTemporaryDir>

using namespace towerlab::test;

namespace {

constexpr int kUsers = 24;
constexpr int kMovies = 16;
const QStringList kGenres = {"unknown", "Action", "Comedy", "Drama"};

void writeFile(const QString& path, const QByteArray& bytes) {
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    file.write(bytes);
}

// A small dataset in the 100K layout: u.genre, u.user, u.item and u.data.
void writeTinyMovieLens(const QString& folder) {
    QDir().mkpath(folder);
    QByteArray genre;
    for (int g = 0; g < kGenres.size(); ++g) {
        genre += kGenres[g].toUtf8() + "|" + QByteArray::number(g) + "\n";
    }
    writeFile(folder + "/u.genre", genre);

    const char* occupations[] = {"student", "engineer", "writer", "artist", "other", "salesman"};
    QByteArray users;
    for (int u = 1; u <= kUsers; ++u) {
        users += QByteArray::number(u) + "|" + QByteArray::number(15 + (u * 7) % 50) + "|" +
                 (u % 2 == 0 ? "F" : "M") + "|" + occupations[u % 6] + "|0" +
                 QByteArray::number(1000 + u) + "\n";
    }
    writeFile(folder + "/u.user", users);

    const char* words[] = {"Harbor", "Lantern", "Orchard", "Comet",
                           "Velvet", "Quarry",  "Meadow",  "Anchor"};
    QByteArray items;
    for (int m = 1; m <= kMovies; ++m) {
        items += QByteArray::number(m) + "|" + words[m % 8] + " " + words[(m * 3) % 8] + " (" +
                 QByteArray::number(1980 + m) + ")|01-Jan-" + QByteArray::number(1980 + m) +
                 "||http://example.invalid/" + QByteArray::number(m);
        for (int g = 0; g < kGenres.size(); ++g) {
            items += g == 1 + m % 3 ? "|1" : "|0";
        }
        items += "\n";
    }
    writeFile(folder + "/u.item", items);

    QByteArray ratings;
    for (int u = 1; u <= kUsers; ++u) {
        for (int j = 0; j < 8; ++j) {
            const int movie = 1 + (u * 5 + j * 3) % kMovies;
            ratings += QByteArray::number(u) + "\t" + QByteArray::number(movie) + "\t" +
                       QByteArray::number(1 + (u + j) % 5) + "\t" +
                       QByteArray::number(880000000 + u * 3600 + j * 86400) + "\n";
        }
    }
    writeFile(folder + "/u.data", ratings);
}

} // namespace

class TestCliData : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_data;

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_data = m_dir.filePath("tiny-100k");
        writeTinyMovieLens(m_data);
    }

    void trainsOnAMovieLensFolder() {
        const QString model = m_dir.filePath("tiny.tlm");
        const CliRun run = runCli({"train", "--data", m_data, "--epochs", "2", "--batch", "32",
                                   "--quiet", "--out", model, "--json", "-"});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QJsonObject json = parseJsonObject(run.out);
        const QJsonObject dataset = json.value("dataset").toObject();
        QCOMPARE(dataset.value("name").toString(), QString("MovieLens 100K"));
        QCOMPARE(dataset.value("users").toInt(), kUsers);
        QCOMPARE(dataset.value("movies").toInt(), kMovies);
        QCOMPARE(dataset.value("ratings").toInt(), kUsers * 8);
        QCOMPARE(dataset.value("source").toString(), m_data);

        const CliRun eval = runCli({"evaluate", "--model", model, "--data", m_data, "--json", "-"});
        TOWERLAB_EXPECT_EXIT(eval, 0);
        QCOMPARE(parseJsonObject(eval.out).value("metrics").toObject(),
                 json.value("metrics").toObject());

        const CliRun users = runCli({"embed", "--model", model, "--users", "--data", m_data,
                                     "--out", m_dir.filePath("tiny-users")});
        TOWERLAB_EXPECT_EXIT(users, 0);
        const QStringList metadata = readLines(m_dir.filePath("tiny-users/metadata.tsv"));
        QCOMPARE(metadata.size(), kUsers + 1);
        // User 1: 15 + 7 = 22 years -> bucket 18, M, engineer -> technician/engineer; the
        // median of its 8 rating times is between the 4th and 5th (days 3 and 4).
        const qint64 median = 880000000 + 3600 + (3 * 86400 + 4 * 86400) / 2;
        QCOMPARE(metadata[1], QString("1\t18\ttechnician/engineer\tM\t%1").arg(median));

        const CliRun rec = runCli({"recommend",
                                   "--model",
                                   model,
                                   "--data",
                                   m_data,
                                   "--user-id",
                                   "3",
                                   "--exclude-rated",
                                   "--age",
                                   "36",
                                   "--occupation",
                                   "writer",
                                   "--gender",
                                   "F",
                                   "--timestamp",
                                   "1997-11-20",
                                   "-k",
                                   QString::number(kMovies),
                                   "--json",
                                   "-"});
        TOWERLAB_EXPECT_EXIT(rec, 0);
        const QJsonObject recJson = parseJsonObject(rec.out);
        const int excluded = recJson.value("excluded").toInt();
        QVERIFY(excluded > 0 && excluded <= 8);
        QCOMPARE(recJson.value("results").toArray().size(), kMovies - excluded);
    }

    void findsTheDatasetOneFolderDown() {
        const QString outer = m_dir.filePath("download");
        writeTinyMovieLens(outer + "/ml-100k");
        const CliRun run = runCli(
            {"train", "--data", outer, "--epochs", "1", "--batch", "64", "--quiet", "--json", "-"});
        TOWERLAB_EXPECT_EXIT(run, 0);
        QCOMPARE(parseJsonObject(run.out).value("dataset").toObject().value("movies").toInt(),
                 kMovies);
    }

    void readerErrorsNameFileAndLine() {
        const QString broken = m_dir.filePath("broken");
        writeTinyMovieLens(broken);
        QFile data(broken + "/u.data");
        QVERIFY(data.open(QIODevice::Append));
        data.write("1\t2\t9\t880000000\n"); // rating 9, on the last line
        data.close();
        const CliRun run = runCli({"train", "--data", broken, "--epochs", "1"});
        TOWERLAB_EXPECT_EXIT(run, 1);
        const QString line = QString::number(kUsers * 8 + 1);
        QVERIFY2(run.errText().contains("u.data:" + line), run.err.constData());
        QVERIFY2(run.errText().contains("field 'rating'"), run.err.constData());
        QCOMPARE(run.err.count('\n'), 1);
    }

    void missingSignatureFileIsNamed() {
        const QString partial = m_dir.filePath("partial");
        writeTinyMovieLens(partial);
        QVERIFY(QFile::remove(partial + "/u.user"));
        const CliRun run = runCli({"train", "--data", partial, "--epochs", "1"});
        TOWERLAB_EXPECT_EXIT(run, 1);
        QVERIFY2(run.errText().contains("expected MovieLens 100K (u.data, u.item, u.user)"),
                 run.err.constData());
        QVERIFY2(run.errText().contains("found u.data, u.genre, u.item"), run.err.constData());
    }

    void notAZip() {
        const QString fake = m_dir.filePath("fake.zip");
        writeFile(fake, "PK but not really a zip archive");
        const CliRun run = runCli({"train", "--data", fake, "--epochs", "1"});
        TOWERLAB_EXPECT_EXIT(run, 1);
        QVERIFY2(run.errText().contains("fake.zip"), run.err.constData());
    }
};

QTEST_APPLESS_MAIN(TestCliData)
#include "test_cli_data.moc"
