// MovieLens 100K reader on the invented fixture in tests/fixtures/ml100k/valid: the happy
// path from a folder and from zips built here with libzip, and one DataError per bad input,
// each made by editing a copy of the fixture.

#include "data/data_error.hpp"
#include "data/movielens_100k.hpp"
#include "data/source_archive.hpp"
#include "test_support.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <zip.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using namespace towerlab;
namespace fs = std::filesystem;

namespace {

const std::array<const char*, 4> kFiles = {"u.genre", "u.user", "u.item", "u.data"};

fs::path validFolder() {
    return towerlab::test::fixture("ml100k/valid");
}

std::string readBytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeBytes(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    QVERIFY2(out.good(), path.string().c_str());
}

fs::path tempPath(const QTemporaryDir& dir) {
    return fs::path(dir.path().toStdString());
}

// Copies the files of the valid fixture into `folder`: the four the reader needs and
// u.occupation, which it checks when present.
void copyValid(const fs::path& folder) {
    fs::create_directories(folder);
    for (const char* name : kFiles) {
        fs::copy_file(validFolder() / name, folder / name, fs::copy_options::overwrite_existing);
    }
    fs::copy_file(validFolder() / "u.occupation", folder / "u.occupation",
                  fs::copy_options::overwrite_existing);
}

// Lines of `text` without their '\n'.
std::vector<std::string> splitLines(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t stop = text.find('\n', start);
        if (stop == std::string::npos) {
            lines.push_back(text.substr(start));
            break;
        }
        lines.push_back(text.substr(start, stop - start));
        start = stop + 1;
    }
    return lines;
}

std::string joinLines(const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& line : lines) {
        text += line + "\n";
    }
    return text;
}

struct ZipEntry {
    std::string name;
    std::string bytes;
};

// Writes a zip with libzip; `store` keeps entries uncompressed so a test can damage them.
void writeZip(const fs::path& path, const std::vector<ZipEntry>& entries, bool store = false) {
    int error = 0;
    zip_t* archive = zip_open(path.string().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    QVERIFY2(archive != nullptr, "zip_open for writing failed");
    for (const ZipEntry& entry : entries) {
        if (!entry.name.empty() && entry.name.back() == '/') {
            QVERIFY(zip_dir_add(archive, entry.name.c_str(), ZIP_FL_ENC_UTF_8) >= 0);
            continue;
        }
        zip_source_t* source =
            zip_source_buffer(archive, entry.bytes.data(), entry.bytes.size(), 0);
        QVERIFY(source != nullptr);
        const zip_int64_t index =
            zip_file_add(archive, entry.name.c_str(), source, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(source);
            QFAIL(zip_strerror(archive));
        }
        if (store) {
            QVERIFY(zip_set_file_compression(archive, static_cast<zip_uint64_t>(index),
                                             ZIP_CM_STORE, 0) == 0);
        }
    }
    QVERIFY2(zip_close(archive) == 0, "zip_close failed");
}

std::vector<ZipEntry> validEntries(const std::string& prefix) {
    std::vector<ZipEntry> entries;
    if (!prefix.empty()) {
        entries.push_back({prefix, {}});
    }
    for (const char* name : kFiles) {
        entries.push_back({prefix + name, readBytes(validFolder() / name)});
    }
    return entries;
}

// Runs the loader and returns the DataError it throws, or nothing.
std::optional<DataError> loadError(const fs::path& path) {
    try {
        loadMovieLens100k(path);
    } catch (const DataError& e) {
        return e;
    }
    return std::nullopt;
}

} // namespace

class TestDataMovieLens100k : public QObject {
    Q_OBJECT

private slots:
    void loadsValidFolder();
    void decodesLatin1Titles();
    void readsYearsFromTitles();
    void crlfAndMissingFinalNewlineLoadTheSame();
    void findsFilesOneFolderDown();
    void loadsZipWithAndWithoutTopFolder_data();
    void loadsZipWithAndWithoutTopFolder();
    void zipErrorsNameTheEntry();
    void zipMissingEntryListsWhatIsThere();
    void ignoresEntriesTwoFoldersDown();
    void rejectsCorruptZips_data();
    void rejectsCorruptZips();
    void rejectsMissingPath();
    void reportsBadInput_data();
    void reportsBadInput();
    void messageReadsFileLineFieldReason();
    void genreCountMustMatchItemFlags();
    void rejectsTwoCopiesInAZip();
    void sourceArchiveLookup();
};

void TestDataMovieLens100k::loadsValidFolder() {
    const Dataset data = loadMovieLens100k(validFolder());
    QCOMPARE(data.name, std::string("MovieLens 100K"));
    QCOMPARE(data.source, validFolder().string());
    QVERIFY(data.hasDemographics);
    QCOMPARE(data.genreNames.size(), std::size_t{19});
    QCOMPARE(data.genreNames[4], std::string("Children's"));
    QCOMPARE(data.genreNames[18], std::string("Western"));

    QCOMPARE(data.users.size(), std::size_t{6});
    const User& first = data.users[0];
    QCOMPARE(first.id, std::int64_t{1});
    QCOMPARE(first.rawAge, 34);
    QCOMPARE(first.ageBucket, 25);
    QCOMPARE(first.gender, 0);
    QCOMPARE(first.occupationText, std::string("healthcare"));
    QCOMPARE(first.occupationLabel, 4);
    QCOMPARE(first.zipCode, std::string("02139")); // leading zero kept
    QCOMPARE(data.users[1].ageBucket, 1);          // 17 years
    QCOMPARE(data.users[1].gender, 1);
    QCOMPARE(data.users[2].zipCode, std::string("K1A0B"));
    QCOMPARE(data.users[4].occupationLabel, 11); // "none"
    QCOMPARE(data.users[5].id, std::int64_t{20});

    QCOMPARE(data.movies.size(), std::size_t{6});
    QCOMPARE(data.movies[1].genres, (std::vector<int>{8, 14}));
    QCOMPARE(data.movies[3].genres, (std::vector<int>{0}));
    QCOMPARE(data.movies[5].genres, (std::vector<int>{5, 12, 14}));
    QCOMPARE(data.movies[4].id, std::int64_t{16});

    QCOMPARE(data.ratings.size(), std::size_t{12});
    // Row 11 is "20 18 2 880004000": user id 20 is the 6th user, movie id 18 the 6th movie.
    const Rating& r = data.ratings[10];
    QCOMPARE(r.user, 5);
    QCOMPARE(r.movie, 5);
    QCOMPARE(r.rating, 2.0f);
    QCOMPARE(r.timestamp, std::uint32_t{880004000});
    QCOMPARE(data.ratings[0].user, 0);
    QCOMPARE(data.ratings[0].movie, 0);
    QCOMPARE(data.ratings[0].rating, 5.0f);

    QCOMPARE(loadMovieLens100k(validFolder()).fingerprint(), data.fingerprint());
}

void TestDataMovieLens100k::decodesLatin1Titles() {
    const Dataset data = loadMovieLens100k(validFolder());
    // Built from bytes: "é" is C3 A9 and "À" is C3 80 in UTF-8.
    QCOMPARE(data.movies[0].title, std::string("Petits Mis\xC3\xA9rables du Nord (1993)"));
    QCOMPARE(data.movies[5].title, std::string("Caf\xC3\xA9 au Lait \xC3\x80 Gogo (1991)"));
    QCOMPARE(data.movies[1].title, std::string("Quiet Harbor (1988) ")); // trailing space kept
}

void TestDataMovieLens100k::readsYearsFromTitles() {
    const Dataset data = loadMovieLens100k(validFolder());
    QCOMPARE(data.movies[0].year, 1993);
    QCOMPARE(data.movies[1].year, 1988);
    QCOMPARE(data.movies[2].year, 1997);
    QCOMPARE(data.movies[3].year, 0);    // "Untitled Reel"
    QCOMPARE(data.movies[4].year, 1962); // the last "(dddd)" wins
}

void TestDataMovieLens100k::crlfAndMissingFinalNewlineLoadTheSame() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path folder = tempPath(dir);
    for (const char* name : kFiles) {
        std::string crlf;
        for (const char c : readBytes(validFolder() / name)) {
            crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
        }
        if (std::string(name) == "u.data") {
            crlf.resize(crlf.size() - 2); // no line end after the last row
        }
        writeBytes(folder / name, crlf);
    }
    QCOMPARE(loadMovieLens100k(folder).fingerprint(),
             loadMovieLens100k(validFolder()).fingerprint());
    // The trailing space of a title is not mistaken for part of the line end.
    QCOMPARE(loadMovieLens100k(folder).movies[1].title, std::string("Quiet Harbor (1988) "));
}

void TestDataMovieLens100k::findsFilesOneFolderDown() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    copyValid(tempPath(dir) / "ml-100k");
    const Dataset data = loadMovieLens100k(tempPath(dir));
    QCOMPARE(data.fingerprint(), loadMovieLens100k(validFolder()).fingerprint());
}

void TestDataMovieLens100k::loadsZipWithAndWithoutTopFolder_data() {
    QTest::addColumn<QString>("prefix");
    QTest::addColumn<bool>("store");
    QTest::newRow("top folder, deflated") << "ml-100k/" << false;
    QTest::newRow("top folder, stored") << "ml-100k/" << true;
    QTest::newRow("root, deflated") << "" << false;
    QTest::newRow("other folder name") << "movielens/" << false;
}

void TestDataMovieLens100k::loadsZipWithAndWithoutTopFolder() {
    QFETCH(QString, prefix);
    QFETCH(bool, store);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path zipPath = tempPath(dir) / "ml-100k.zip";
    writeZip(zipPath, validEntries(prefix.toStdString()), store);
    const Dataset fromZip = loadMovieLens100k(zipPath);
    QCOMPARE(fromZip.source, zipPath.string());
    QCOMPARE(fromZip.fingerprint(), loadMovieLens100k(validFolder()).fingerprint());
    QCOMPARE(fromZip.movies[0].title, std::string("Petits Mis\xC3\xA9rables du Nord (1993)"));
}

void TestDataMovieLens100k::zipErrorsNameTheEntry() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::vector<ZipEntry> entries = validEntries("ml-100k/");
    std::vector<std::string> lines = splitLines(entries.back().bytes);
    lines[2] = "3\t12\t7\t880000200";
    entries.back().bytes = joinLines(lines);
    const fs::path zipPath = tempPath(dir) / "bad.zip";
    writeZip(zipPath, entries);
    const auto error = loadError(zipPath);
    QVERIFY(error.has_value());
    QCOMPARE(error->file(), zipPath.string() + ":ml-100k/u.data");
    QCOMPARE(error->line(), std::size_t{3});
    QCOMPARE(error->field(), std::string("rating"));
}

void TestDataMovieLens100k::zipMissingEntryListsWhatIsThere() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::vector<ZipEntry> entries = validEntries("ml-100k/");
    entries.pop_back(); // no u.data
    entries.push_back({"ml-100k/ratings.txt", "1\t10\t5\t880000000\n"});
    const fs::path zipPath = tempPath(dir) / "partial.zip";
    writeZip(zipPath, entries);
    const auto error = loadError(zipPath);
    QVERIFY(error.has_value());
    QCOMPARE(error->file(), zipPath.string() + ":u.data");
    QCOMPARE(error->line(), std::size_t{0});
    const std::string reason = error->reason();
    QVERIFY2(reason.find("missing") != std::string::npos, reason.c_str());
    QVERIFY2(reason.find("ml-100k/u.item") != std::string::npos, reason.c_str());
    QVERIFY2(reason.find("ml-100k/ratings.txt") != std::string::npos, reason.c_str());
}

void TestDataMovieLens100k::ignoresEntriesTwoFoldersDown() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path zipPath = tempPath(dir) / "deep.zip";
    writeZip(zipPath, validEntries("a/b/"));
    const auto error = loadError(zipPath);
    QVERIFY(error.has_value());
    QCOMPARE(error->file(), zipPath.string() + ":u.genre");
}

void TestDataMovieLens100k::rejectsCorruptZips_data() {
    QTest::addColumn<QString>("damage");
    QTest::newRow("not a zip at all") << "garbage";
    QTest::newRow("truncated") << "truncated";
    QTest::newRow("damaged entry data") << "flipped";
    QTest::newRow("empty file") << "empty";
}

void TestDataMovieLens100k::rejectsCorruptZips() {
    QFETCH(QString, damage);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path zipPath = tempPath(dir) / "broken.zip";
    writeZip(zipPath, validEntries("ml-100k/"), true);
    std::string bytes = readBytes(zipPath);
    std::string expectedFile = zipPath.string();
    if (damage == "garbage") {
        bytes = "This is a text file that someone renamed to .zip\n";
    } else if (damage == "truncated") {
        bytes.resize(bytes.size() / 2);
    } else if (damage == "empty") {
        bytes.clear();
    } else {
        // Entries are stored, so u.data's rows are in the file as they are: change one
        // rating digit and the entry's CRC no longer matches.
        const std::size_t at = bytes.find("880004100");
        QVERIFY(at != std::string::npos);
        bytes[at - 2] = bytes[at - 2] == '1' ? '2' : '1';
        expectedFile += ":ml-100k/u.data";
    }
    writeBytes(zipPath, bytes);
    const auto error = loadError(zipPath);
    QVERIFY(error.has_value());
    QCOMPARE(error->file(), expectedFile);
    QCOMPARE(error->line(), std::size_t{0});
    QVERIFY2(!error->reason().empty(), error->what());
}

void TestDataMovieLens100k::rejectsMissingPath() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path nowhere = tempPath(dir) / "no-such-ml-100k";
    const auto error = loadError(nowhere);
    QVERIFY(error.has_value());
    QCOMPARE(error->file(), nowhere.string());
    QCOMPARE(error->line(), std::size_t{0});
}

// Each row edits one file of a copy of the valid fixture: `line` > 0 replaces that line
// with `text` (a line past the end appends it), `line` == 0 replaces the whole file, and
// `line` == -1 deletes the file.
void TestDataMovieLens100k::reportsBadInput_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("expectedLine");
    QTest::addColumn<QString>("expectedField");
    QTest::addColumn<QString>("reasonPart");

    // Missing and empty files.
    QTest::newRow("u.data missing") << "u.data" << -1 << QByteArray() << 0 << ""
                                    << "missing";
    QTest::newRow("u.genre missing") << "u.genre" << -1 << QByteArray() << 0 << ""
                                     << "missing";
    QTest::newRow("u.user empty") << "u.user" << 0 << QByteArray() << 0 << ""
                                  << "empty";
    QTest::newRow("u.data only line ends") << "u.data" << 0 << QByteArray("\n\r\n\n") << 0 << ""
                                           << "empty";

    // u.genre
    QTest::newRow("genre index out of order")
        << "u.genre" << 3 << QByteArray("Adventure|7") << 3 << "genre index"
        << "should say 2";
    QTest::newRow("genre index not a number")
        << "u.genre" << 2 << QByteArray("Action|one") << 2 << "genre index"
        << "not a whole number";
    QTest::newRow("genre line without index")
        << "u.genre" << 5 << QByteArray("Children's") << 5 << ""
        << "expected 2";

    // u.user
    QTest::newRow("user field count") << "u.user" << 2 << QByteArray("3|17|M|student") << 2 << ""
                                      << "expected 5 '|'-separated fields, found 4";
    QTest::newRow("user id not numeric")
        << "u.user" << 3 << QByteArray("seven|61|M|retired|11111") << 3 << "user id"
        << "\"seven\" is not a whole number";
    QTest::newRow("age not numeric")
        << "u.user" << 4 << QByteArray("12|2x|F|programmer|60601") << 4 << "age"
        << "not a whole number";
    QTest::newRow("age empty") << "u.user" << 4 << QByteArray("12||F|programmer|60601") << 4
                               << "age"
                               << "not a whole number";
    QTest::newRow("age out of range")
        << "u.user" << 1 << QByteArray("1|340|F|healthcare|02139") << 1 << "age"
        << "outside 0..150";
    QTest::newRow("gender unknown")
        << "u.user" << 5 << QByteArray("5|45|X|none|30301") << 5 << "gender"
        << "not M or F";
    QTest::newRow("gender lower case")
        << "u.user" << 5 << QByteArray("5|45|m|none|30301") << 5 << "gender"
        << "not M or F";
    QTest::newRow("occupation unknown")
        << "u.user" << 6 << QByteArray("20|18|F|astronaut|98105") << 6 << "occupation"
        << "astronaut";
    QTest::newRow("occupation capitalised")
        << "u.user" << 6 << QByteArray("20|18|F|Writer|98105") << 6 << "occupation"
        << "Writer";
    QTest::newRow("user id twice")
        << "u.user" << 7 << QByteArray("7|30|F|artist|12345") << 7 << "user id"
        << "first on line 3";

    // u.item
    QTest::newRow("item field count")
        << "u.item" << 2
        << QByteArray("11|Quiet Harbor (1988) |05-May-1988||http://example.org/11|0|0|0") << 2 << ""
        << "expected 24 '|'-separated fields, found 8";
    QTest::newRow("movie id not numeric")
        << "u.item" << 3
        << QByteArray("12x|Galaxy Pickle, The (1997)|||u|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|1|0|0|0")
        << 3 << "movie id"
        << "not a whole number";
    QTest::newRow("genre flag not 0/1")
        << "u.item" << 1 << QByteArray("10|Petits (1993)|||u|0|0|0|0|0|0|0|0|2|0|0|0|0|0|0|0|0|0|0")
        << 1 << "genre Drama"
        << "\"2\" is not 0 or 1";
    QTest::newRow("movie title empty")
        << "u.item" << 4 << QByteArray("15||||u|1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0") << 4
        << "movie title"
        << "empty";
    QTest::newRow("movie id twice")
        << "u.item" << 7
        << QByteArray("11|Another Harbor (1990)|||u|0|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0") << 7
        << "movie id"
        << "first on line 2";

    // u.data
    QTest::newRow("rating row field count") << "u.data" << 4 << QByteArray("3\t15\t1") << 4 << ""
                                            << "expected 4 tab-separated fields, found 3";
    QTest::newRow("rating row with spaces")
        << "u.data" << 2 << QByteArray("1 11 4 880000100") << 2 << ""
        << "found 1";
    QTest::newRow("rating row with extra tab")
        << "u.data" << 2 << QByteArray("1\t11\t4\t880000100\t") << 2 << ""
        << "found 5";
    QTest::newRow("empty line inside u.data") << "u.data" << 6 << QByteArray("") << 6 << ""
                                              << "found 1";
    QTest::newRow("blank but not empty last line") << "u.data" << 13 << QByteArray(" ") << 13 << ""
                                                   << "found 1";
    QTest::newRow("rating user id not numeric")
        << "u.data" << 5 << QByteArray("7a\t16\t5\t880001000") << 5 << "user id"
        << "not a whole number";
    QTest::newRow("rating item id not numeric")
        << "u.data" << 5 << QByteArray("7\t\t5\t880001000") << 5 << "item id"
        << "not a whole number";
    QTest::newRow("rating above 5")
        << "u.data" << 3 << QByteArray("3\t12\t7\t880000200") << 3 << "rating"
        << "value \"7\" is outside 1..5";
    QTest::newRow("rating 0") << "u.data" << 3 << QByteArray("3\t12\t0\t880000200") << 3 << "rating"
                              << "outside 1..5";
    QTest::newRow("rating negative")
        << "u.data" << 3 << QByteArray("3\t12\t-3\t880000200") << 3 << "rating"
        << "outside 1..5";
    QTest::newRow("rating not whole")
        << "u.data" << 3 << QByteArray("3\t12\t4.5\t880000200") << 3 << "rating"
        << "not a whole number";
    QTest::newRow("timestamp not numeric")
        << "u.data" << 12 << QByteArray("20\t12\t1\tyesterday") << 12 << "timestamp"
        << "\"yesterday\"";
    QTest::newRow("timestamp too large")
        << "u.data" << 12 << QByteArray("20\t12\t1\t99999999999999999999") << 12 << "timestamp"
        << "out of range";
    QTest::newRow("unknown user id")
        << "u.data" << 8 << QByteArray("99\t18\t5\t880002100") << 8 << "user id"
        << "names no user";
    QTest::newRow("unknown movie id")
        << "u.data" << 9 << QByteArray("5\t13\t3\t880003000") << 9 << "item id"
        << "names no movie";

    // Each field within its documented domain (the README of ml-100k), not absorbed.
    QTest::newRow("negative timestamp")
        << "u.data" << 12 << QByteArray("20\t12\t1\t-1") << 12 << "timestamp"
        << "is not a time MovieLens records";
    QTest::newRow("timestamp after 2100")
        << "u.data" << 12 << QByteArray("20\t12\t1\t4102444801") << 12 << "timestamp"
        << "2100-01-01";
    // "edited>named": the row edits one file and the error names another.
    QTest::newRow("occupation not in u.occupation")
        << "u.occupation>u.user" << 0
        << QByteArray("healthcare\nnone\nprogrammer\nretired\nstudent\n") << 6 << "occupation"
        << "\"writer\" is not listed in u.occupation";
    QTest::newRow("u.occupation lists an unknown one")
        << "u.occupation" << 3 << QByteArray("astronaut") << 3 << "occupation"
        << "not one of the MovieLens 100K occupations";
    QTest::newRow("u.occupation lists one twice")
        << "u.occupation" << 4 << QByteArray("artist") << 4 << "occupation"
        << "listed twice";
    QTest::newRow("user id zero") << "u.user" << 1 << QByteArray("0|34|F|healthcare|02139") << 1
                                  << "user id"
                                  << "numbers users and movies from 1";
    QTest::newRow("movie id negative")
        << "u.item" << 2
        << QByteArray("-11|Quiet Harbor (1988) |05-May-1988||http://example.org/11|0|0|0|0|0|0|"
                      "0|0|1|0|0|0|0|0|0|0|0|0|0")
        << 2 << "movie id"
        << "numbers users and movies from 1";
    QTest::newRow("release date not a date")
        << "u.item" << 2
        << QByteArray("11|Quiet Harbor (1988) |1988-05-05||http://example.org/11|0|0|0|0|0|0|"
                      "0|0|1|0|0|0|0|0|0|0|0|0|0")
        << 2 << "release date"
        << "not a date like 01-Jan-1995";
    QTest::newRow("video release date not a date")
        << "u.item" << 2
        << QByteArray("11|Quiet Harbor (1988) |05-May-1988|soon|http://example.org/11|0|0|0|0|0|"
                      "0|0|0|1|0|0|0|0|0|0|0|0|0|0")
        << 2 << "video release date"
        << "not a date like 01-Jan-1995";
}

void TestDataMovieLens100k::reportsBadInput() {
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(QByteArray, text);
    QFETCH(int, expectedLine);
    QFETCH(QString, expectedField);
    QFETCH(QString, reasonPart);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path folder = tempPath(dir);
    copyValid(folder);
    const QStringList editedAndNamed = file.split('>');
    const fs::path target = folder / editedAndNamed.front().toStdString();
    const fs::path named = folder / editedAndNamed.back().toStdString();
    if (line < 0) {
        fs::remove(target);
    } else if (line == 0) {
        writeBytes(target, text.toStdString());
    } else {
        std::vector<std::string> lines = splitLines(readBytes(target));
        const auto index = static_cast<std::size_t>(line - 1);
        if (index < lines.size()) {
            lines[index] = text.toStdString();
        } else {
            lines.resize(index);
            lines.push_back(text.toStdString());
        }
        writeBytes(target, joinLines(lines));
    }

    const auto error = loadError(folder);
    QVERIFY2(error.has_value(), "no DataError was thrown");
    QCOMPARE(QString::fromStdString(error->file()), QString::fromStdString(named.string()));
    QCOMPARE(error->line(), static_cast<std::size_t>(expectedLine));
    QCOMPARE(QString::fromStdString(error->field()), expectedField);
    QVERIFY2(QString::fromStdString(error->reason()).contains(reasonPart), error->what());
}

void TestDataMovieLens100k::messageReadsFileLineFieldReason() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path folder = tempPath(dir);
    copyValid(folder);
    std::vector<std::string> lines = splitLines(readBytes(folder / "u.data"));
    lines[11] = "20\t12\t7\t880004100"; // line 12
    writeBytes(folder / "u.data", joinLines(lines));
    const auto error = loadError(folder);
    QVERIFY(error.has_value());
    QCOMPARE(std::string(error->what()),
             (folder / "u.data").string() + ":12: field 'rating': value \"7\" is outside 1..5");
    QCOMPARE(error->reason(), std::string("value \"7\" is outside 1..5"));
}

void TestDataMovieLens100k::genreCountMustMatchItemFlags() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path folder = tempPath(dir);
    copyValid(folder);
    // 18 genres make every u.item row one flag too long.
    std::vector<std::string> genres = splitLines(readBytes(folder / "u.genre"));
    genres.resize(18);
    writeBytes(folder / "u.genre", joinLines(genres));
    const auto error = loadError(folder);
    QVERIFY(error.has_value());
    QCOMPARE(error->file(), (folder / "u.item").string());
    QCOMPARE(error->line(), std::size_t{1});
    QCOMPARE(error->field(), std::string());
    QCOMPARE(error->reason(), std::string("expected 23 '|'-separated fields, found 24"));
}

void TestDataMovieLens100k::rejectsTwoCopiesInAZip() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    std::vector<ZipEntry> entries = validEntries("ml-100k/");
    entries.push_back({"copy/u.genre", readBytes(validFolder() / "u.genre")});
    const fs::path zipPath = tempPath(dir) / "twice.zip";
    writeZip(zipPath, entries);
    const auto error = loadError(zipPath);
    QVERIFY(error.has_value());
    QCOMPARE(error->file(), zipPath.string() + ":u.genre");
    QVERIFY2(error->reason().find("copy/u.genre") != std::string::npos, error->what());
}

void TestDataMovieLens100k::sourceArchiveLookup() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path zipPath = tempPath(dir) / "lookup.zip";
    std::vector<ZipEntry> entries = validEntries("ml-100k/");
    entries.push_back({"README", "top-level file"});
    entries.push_back({"a/b/u.info", "two folders down"});
    writeZip(zipPath, entries);

    const SourceArchive zipArchive(zipPath);
    QVERIFY(zipArchive.isZip());
    QVERIFY(zipArchive.contains("u.data"));
    QVERIFY(zipArchive.contains("README"));
    QVERIFY(!zipArchive.contains("u.info"));
    QVERIFY(!zipArchive.contains("u.occupation"));
    QCOMPARE(zipArchive.zipEntries().size(), entries.size());
    const SourceArchive::File readme = zipArchive.read("README");
    QCOMPARE(readme.bytes, std::string("top-level file"));
    QCOMPARE(readme.displayName, zipPath.string() + ":README");

    const SourceArchive folderArchive(validFolder());
    QVERIFY(!folderArchive.isZip());
    QVERIFY(folderArchive.contains("u.item"));
    QVERIFY(folderArchive.contains("u.occupation"));
    QVERIFY(!folderArchive.contains("u.info"));
    QVERIFY(folderArchive.zipEntries().empty());
    QCOMPARE(folderArchive.read("u.user").bytes, readBytes(validFolder() / "u.user"));
}

QTEST_APPLESS_MAIN(TestDataMovieLens100k)
#include "test_data_movielens_100k.moc"
