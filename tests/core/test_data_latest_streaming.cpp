// Streaming reads: LineReader gives the same lines from a stream, however its chunks fall, as
// from the whole file; the latest-format reader gives the same dataset or the same error
// (file, line, field) in any chunking; a zip entry is read as it inflates, and a damaged one
// is reported as damaged even when the garbled bytes break a line first.

#include "data/byte_stream.hpp"
#include "data/data_error.hpp"
#include "data/dataset_loader.hpp"
#include "data/movielens_latest.hpp"
#include "data/source_archive.hpp"
#include "data/text_parsing.hpp"
#include "test_support.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <zip.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace towerlab;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void writeAll(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// "E"/"N" (empty()) then every line next() reports.
std::vector<std::string> linesOf(LineReader& reader) {
    std::vector<std::string> out{reader.empty() ? "E" : "N"};
    std::string_view line;
    while (reader.next(line)) {
        out.emplace_back(line);
    }
    return out;
}

// The fixture's movies.csv and ratings.csv in a zip under "ml-latest/", stored (not
// compressed) so a test can change bytes of an entry in place.
bool writeStoredZip(const fs::path& zipPath, const std::string& movies,
                    const std::string& ratings) {
    int error = 0;
    zip_t* archive = zip_open(zipPath.string().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (archive == nullptr) {
        return false;
    }
    for (const auto& [name, bytes] : {std::pair{"ml-latest/movies.csv", &movies},
                                      std::pair{"ml-latest/ratings.csv", &ratings}}) {
        zip_source_t* source = zip_source_buffer(archive, bytes->data(), bytes->size(), 0);
        const zip_int64_t index =
            source == nullptr ? -1 : zip_file_add(archive, name, source, ZIP_FL_OVERWRITE);
        if (index < 0 || zip_set_file_compression(archive, static_cast<zip_uint64_t>(index),
                                                  ZIP_CM_STORE, 0) != 0) {
            zip_discard(archive);
            return false;
        }
    }
    return zip_close(archive) == 0;
}

} // namespace

class TestLatestStreaming : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path root() const { return fs::path(m_dir.path().toStdString()); }

private slots:
    void lineReaderKeepsTheWholeFileRules_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("lines");
        QTest::newRow("plain") << QByteArray("a\nb\n") << QStringList{"N", "a", "b"};
        QTest::newRow("no last line end") << QByteArray("a\nb") << QStringList{"N", "a", "b"};
        QTest::newRow("crlf") << QByteArray("a\r\nb\r\n") << QStringList{"N", "a", "b"};
        QTest::newRow("empty line inside")
            << QByteArray("a\n\nb") << QStringList{"N", "a", "", "b"};
        QTest::newRow("empty lines at the end")
            << QByteArray("a\nb\n\n\r\n\n") << QStringList{"N", "a", "b"};
        QTest::newRow("double cr inside") << QByteArray("a\r\r\nb") << QStringList{"N", "a\r", "b"};
        QTest::newRow("double cr at the end")
            << QByteArray("a\nb\r\r\n") << QStringList{"N", "a", "b"};
        QTest::newRow("only line ends") << QByteArray("\n\r\n\n") << QStringList{"E"};
        QTest::newRow("empty") << QByteArray() << QStringList{"E"};
        QTest::newRow("leading empty line") << QByteArray("\na") << QStringList{"N", "", "a"};
    }
    void lineReaderKeepsTheWholeFileRules() {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, lines);
        std::vector<std::string> expected;
        for (const QString& l : lines) {
            expected.push_back(l.toStdString());
        }
        const std::string bytes = text.toStdString();
        LineReader whole{std::string_view(bytes)};
        QCOMPARE(linesOf(whole), expected);
        // Every way chunks can fall: 1..4 bytes a read, 1..3 bytes a chunk.
        for (std::size_t maxRead = 1; maxRead <= 4; ++maxRead) {
            for (std::size_t chunk = 1; chunk <= 3; ++chunk) {
                MemoryByteStream stream(bytes, "x", maxRead);
                LineReader reader(stream, chunk);
                QCOMPARE(linesOf(reader), expected);
                QCOMPARE(reader.bytesRead(), std::uint64_t(bytes.size()));
            }
        }
    }

    void theReaderGivesTheSameInAnyChunks() {
        const fs::path fixture = test::fixture("ml-latest/valid");
        const std::string movies = readAll(fixture / "movies.csv");
        const std::string ratings = readAll(fixture / "ratings.csv");
        const std::string expected = loadMovieLensLatest(fixture).fingerprint();
        for (const std::size_t maxRead :
             {std::size_t{1}, std::size_t{3}, std::size_t{7}, std::size_t{4096}}) {
            MemoryByteStream m(movies, "movies.csv", maxRead);
            MemoryByteStream r(ratings, "ratings.csv", maxRead);
            QCOMPARE(parseMovieLensLatest(m, r, "s", "n").fingerprint(), expected);
        }
        // A bad value on line 4 is reported there in every chunking.
        const std::string bad =
            "userId,movieId,rating,timestamp\n1,1,4.0,5\n1,2,4.0,6\n1,3,4x,7\n2,1,3.0,8\n";
        for (const std::size_t maxRead : {std::size_t{1}, std::size_t{5}, std::size_t{4096}}) {
            MemoryByteStream m(movies, "movies.csv", maxRead);
            MemoryByteStream r(bad, "ratings.csv", maxRead);
            try {
                (void)parseMovieLensLatest(m, r, "s", "n");
                QFAIL("a bad rating was accepted");
            } catch (const DataError& e) {
                QCOMPARE(e.file(), std::string("ratings.csv"));
                QCOMPARE(e.line(), std::size_t(4));
                QCOMPARE(e.field(), std::string("rating"));
            }
        }
    }

    void readsAZipEntryAsItInflates() {
        const fs::path fixture = test::fixture("ml-latest/valid");
        const fs::path zip = root() / "stored.zip";
        QVERIFY(
            writeStoredZip(zip, readAll(fixture / "movies.csv"), readAll(fixture / "ratings.csv")));
        const Dataset fromZip = loadDataset(zip);
        QCOMPARE(fromZip.fingerprint(), loadDataset(fixture).fingerprint());
        // A stream from an open archive reads the entry front to back, to the end.
        const SourceArchive archive(zip);
        const auto stream = archive.open("ratings.csv");
        QCOMPARE(stream->displayName(), zip.string() + ":ml-latest/ratings.csv");
        QCOMPARE(stream->sizeHint(), std::uint64_t(fs::file_size(fixture / "ratings.csv")));
        std::string all;
        char buffer[5];
        while (const std::size_t got = stream->read(buffer, sizeof buffer)) {
            all.append(buffer, got);
        }
        QCOMPARE(all, readAll(fixture / "ratings.csv"));
    }

    void aDamagedEntryIsReportedAsDamaged_data() {
        QTest::addColumn<QString>("damage");
        // A digit changed into another keeps every line valid: the CRC at the end tells.
        QTest::newRow("valid-looking") << "digit";
        // A letter in a number breaks its line first: still reported as the damage it is.
        QTest::newRow("breaks a line") << "letter";
    }
    void aDamagedEntryIsReportedAsDamaged() {
        QFETCH(QString, damage);
        const fs::path fixture = test::fixture("ml-latest/valid");
        const std::string ratings = readAll(fixture / "ratings.csv");
        const fs::path zip = root() / ("damaged-" + damage.toStdString() + ".zip");
        QVERIFY(writeStoredZip(zip, readAll(fixture / "movies.csv"), ratings));
        std::string bytes = readAll(zip);
        // The stored entry holds the file as it is: change the first rating's timestamp.
        const std::string firstRow = ratings.substr(ratings.find('\n') + 1, 20);
        const std::size_t at = bytes.find(firstRow);
        QVERIFY(at != std::string::npos);
        const std::size_t digit = at + firstRow.rfind(',') + 2;
        bytes[digit] = damage == "digit" ? (bytes[digit] == '1' ? '2' : '1') : 'x';
        writeAll(zip, bytes);
        try {
            (void)loadDataset(zip);
            QFAIL("a damaged zip was read");
        } catch (const DataError& e) {
            QCOMPARE(e.file(), zip.string() + ":ml-latest/ratings.csv");
            QCOMPARE(e.line(), std::size_t(0));
            QVERIFY2(e.reason().find("damaged") != std::string::npos, e.what());
        }
    }

    void reservesByTheSizeNotMore() {
        // Ratings are reserved once from the file's size (every ratings.csv line is longer
        // than 16 bytes), never grown by copying, and a zip's claimed size is bounded by
        // what the archive can hold.
        const fs::path fixture = test::fixture("ml-latest/valid");
        const Dataset data = loadDataset(fixture);
        QVERIFY(data.ratings.capacity() >= data.ratings.size());
        QVERIFY(data.ratings.capacity() <= fs::file_size(fixture / "ratings.csv") / 16 + 16);
    }
};

QTEST_APPLESS_MAIN(TestLatestStreaming)
#include "test_data_latest_streaming.moc"
