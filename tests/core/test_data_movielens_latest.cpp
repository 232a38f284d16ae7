// MovieLens "latest" CSV reader: quoted titles with commas and doubled quotes, half-star
// ratings, "(no genres listed)", CRLF, users from ratings, and the DataErrors of bad input.

#include "data/csv_line.hpp"
#include "data/data_error.hpp"
#include "data/dataset.hpp"
#include "data/movielens_latest.hpp"
#include "test_support.hpp"

#include <QTemporaryDir>

#include <filesystem>
#include <fstream>

using namespace towerlab;
namespace fs = std::filesystem;

class TestMovieLensLatest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    fs::path variant(const std::string& name, const std::string& file,
                     const std::string& contents) {
        const fs::path folder = fs::path(m_dir.path().toStdString()) / name;
        fs::create_directories(folder);
        for (const char* f : {"movies.csv", "ratings.csv"}) {
            fs::copy_file(test::fixture("ml-latest/valid") / f, folder / f,
                          fs::copy_options::overwrite_existing);
        }
        std::ofstream(folder / file, std::ios::binary | std::ios::trunc) << contents;
        return folder;
    }

private slots:
    void readsTheFixture() {
        const Dataset data = loadMovieLensLatest(test::fixture("ml-latest/valid"));
        QVERIFY(!data.hasDemographics);
        QCOMPARE(data.name, std::string("MovieLens latest format (valid)"));
        QCOMPARE(data.movies.size(), std::size_t(8));
        QCOMPARE(data.users.size(), std::size_t(10));
        QCOMPARE(data.ratings.size(), std::size_t(40));
        QCOMPARE(data.movies[1].title, std::string("Glass Harbor, The (1996)"));
        QCOMPARE(data.movies[2].title, std::string("The \"Quiet\" Neighbour (2003)"));
        QCOMPARE(data.movies[2].year, 2003);
        QCOMPARE(data.movies[3].title, std::string("\xC3\x87"
                                                   "a Ira (2010)"));
        QVERIFY(data.movies[4].genres.empty()); // (no genres listed)
        // Genre names are the ones used, sorted, without the "no genres" marker.
        QVERIFY(std::is_sorted(data.genreNames.begin(), data.genreNames.end()));
        QVERIFY(std::find(data.genreNames.begin(), data.genreNames.end(), "IMAX") !=
                data.genreNames.end());
        QVERIFY(std::find(data.genreNames.begin(), data.genreNames.end(), "(no genres listed)") ==
                data.genreNames.end());
        for (const User& u : data.users) {
            QCOMPARE(u.ageBucket, -1);
            QCOMPARE(u.occupationLabel, -1);
            QCOMPARE(u.gender, -1);
        }
        QCOMPARE(data.users[5].id, std::int64_t(13)); // order of first appearance
        bool halfStar = false;
        for (const Rating& r : data.ratings) {
            QVERIFY(r.rating >= 0.5f && r.rating <= 5.0f);
            halfStar = halfStar || r.rating != static_cast<float>(static_cast<int>(r.rating));
        }
        QVERIFY(halfStar);
    }

    void storesEveryTimeItAccepts() {
        // A Rating is 16 bytes: the time is an unsigned 32-bit count of seconds, which holds
        // every time the readers accept (1970 to 2100) exactly.
        QCOMPARE(sizeof(Rating), std::size_t(16));
        const fs::path folder = variant("times", "ratings.csv",
                                        "userId,movieId,rating,timestamp\n1,1,4.0,0\n"
                                        "1,2,4.0,4102444800\n2,1,3.5,2147483648\n");
        const Dataset data = loadMovieLensLatest(folder);
        QCOMPARE(data.ratings.size(), std::size_t(3));
        QCOMPARE(std::int64_t{data.ratings[0].timestamp}, std::int64_t{0});
        QCOMPARE(std::int64_t{data.ratings[1].timestamp}, std::int64_t{4102444800}); // 2100
        QCOMPARE(std::int64_t{data.ratings[2].timestamp}, std::int64_t{2147483648}); // > 2038
        // One second later cannot be stored: refused, naming file, line and field.
        const fs::path late = variant("late", "ratings.csv",
                                      "userId,movieId,rating,timestamp\n1,1,4.0,5\n"
                                      "1,2,4.0,4102444801\n");
        try {
            loadMovieLensLatest(late);
            QFAIL("a time after 2100 was accepted");
        } catch (const DataError& e) {
            QVERIFY2(e.file().find("ratings.csv") != std::string::npos, e.what());
            QCOMPARE(e.line(), std::size_t(3));
            QCOMPARE(e.field(), std::string("timestamp"));
            QVERIFY2(e.reason().find("4102444800 (2100-01-01)") != std::string::npos, e.what());
        }
    }

    void namesFollowTheSource() {
        const fs::path base = fs::path(m_dir.path().toStdString());
        for (const char* name : {"ml-latest-small", "ml-latest", "ml-20m", "ml-25m"}) {
            fs::create_directories(base / name);
            for (const char* f : {"movies.csv", "ratings.csv"}) {
                fs::copy_file(test::fixture("ml-latest/valid") / f, base / name / f,
                              fs::copy_options::overwrite_existing);
            }
        }
        QCOMPARE(loadMovieLensLatest(base / "ml-latest-small").name,
                 std::string("MovieLens latest (small)"));
        QCOMPARE(loadMovieLensLatest(base / "ml-latest/").name,
                 std::string("MovieLens latest (full)"));
        QCOMPARE(loadMovieLensLatest(base / "ml-20m").name, std::string("MovieLens 20M"));
        QCOMPARE(loadMovieLensLatest(base / "ml-25m").name, std::string("MovieLens 25M"));
    }

    void csvLineSplitting_data() {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QStringList>("fields");
        QTest::addColumn<QString>("problem");
        QTest::newRow("plain") << "1,a,b" << QStringList{"1", "a", "b"} << "";
        QTest::newRow("quoted comma") << "1,\"x, y\",b" << QStringList{"1", "x, y", "b"} << "";
        QTest::newRow("doubled quote")
            << "\"say \"\"hi\"\"\",z" << QStringList{"say \"hi\"", "z"} << "";
        QTest::newRow("empty fields") << ",," << QStringList{"", "", ""} << "";
        QTest::newRow("unterminated") << "1,\"open,b" << QStringList{} << "unterminated quote";
        QTest::newRow("text after quote") << "1,\"a\"b,c" << QStringList{} << "after the closing";
        QTest::newRow("stray quote") << "1,a\"b,c" << QStringList{} << "quote inside";
    }
    void csvLineSplitting() {
        QFETCH(QString, line);
        QFETCH(QStringList, fields);
        QFETCH(QString, problem);
        std::vector<std::string> out{"stale", "values", "here", "and", "more"};
        const std::string result = splitCsvLine(line.toStdString(), out);
        if (problem.isEmpty()) {
            QCOMPARE(QString::fromStdString(result), QString());
            QCOMPARE(out.size(), std::size_t(fields.size()));
            for (qsizetype i = 0; i < fields.size(); ++i) {
                QCOMPARE(QString::fromStdString(out[static_cast<std::size_t>(i)]), fields[i]);
            }
        } else {
            QVERIFY2(result.find(problem.toStdString()) != std::string::npos, result.c_str());
        }
    }

    void utf8Validation() {
        QVERIFY(isValidUtf8("plain"));
        QVERIFY(isValidUtf8("\xC3\xA9t\xC3\xA9"));
        QVERIFY(isValidUtf8("\xF0\x9F\x8E\xAC"));
        QVERIFY(!isValidUtf8("caf\xE9"));      // ISO-8859-1
        QVERIFY(!isValidUtf8("\xC3"));         // cut short
        QVERIFY(!isValidUtf8("\xC0\xAF"));     // overlong
        QVERIFY(!isValidUtf8("\xED\xA0\x80")); // surrogate
    }

    void badInputNamesFileLineAndField_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("reason");
        QTest::newRow("unterminated quote")
            << "movies.csv" << QByteArray("movieId,title,genres\n1,\"Open (1990),Drama\n") << 2
            << ""
            << "unterminated quote";
        QTest::newRow("wrong header")
            << "ratings.csv" << QByteArray("user,movie,rating,timestamp\n1,1,4.0,5\n") << 1
            << "header"
            << "userId,movieId,rating,timestamp";
        QTest::newRow("wrong separator")
            << "ratings.csv" << QByteArray("userId,movieId,rating,timestamp\n1;1;4.0;5\n") << 2
            << ""
            << "comma-separated";
        QTest::newRow("not a half star")
            << "ratings.csv" << QByteArray("userId,movieId,rating,timestamp\n1,1,3.7,5\n") << 2
            << "rating"
            << "half stars";
        QTest::newRow("zero stars")
            << "ratings.csv" << QByteArray("userId,movieId,rating,timestamp\n1,1,0,5\n") << 2
            << "rating"
            << "half stars";
        QTest::newRow("unknown movie")
            << "ratings.csv"
            << QByteArray("userId,movieId,rating,timestamp\n1,1,4.0,5\n1,404,4.0,6\n") << 3
            << "movieId"
            << "names no movie of movies.csv";
        QTest::newRow("title not utf-8")
            << "movies.csv" << QByteArray("movieId,title,genres\n1,Caf\xE9 (1990),Drama\n") << 2
            << "title"
            << "not valid UTF-8";
        QTest::newRow("duplicate movie")
            << "movies.csv" << QByteArray("movieId,title,genres\n1,A (1990),Drama\n1,B,Drama\n")
            << 3 << "movieId"
            << "appears twice";
        QTest::newRow("empty file") << "ratings.csv" << QByteArray("\r\n") << 0 << ""
                                    << "empty";
        // Each field within its documented domain (README of ml-latest).
        QTest::newRow("negative timestamp")
            << "ratings.csv" << QByteArray("userId,movieId,rating,timestamp\n1,1,4.0,-86400\n") << 2
            << "timestamp"
            << "is not a time MovieLens records";
        QTest::newRow("timestamp after 2100")
            << "ratings.csv" << QByteArray("userId,movieId,rating,timestamp\n1,1,4.0,99999999999\n")
            << 2 << "timestamp"
            << "2100-01-01";
        QTest::newRow("user id zero")
            << "ratings.csv" << QByteArray("userId,movieId,rating,timestamp\n0,1,4.0,5\n") << 2
            << "userId"
            << "numbers users and movies from 1";
        QTest::newRow("movie id zero")
            << "movies.csv" << QByteArray("movieId,title,genres\n0,A (1990),Drama\n") << 2
            << "movieId"
            << "numbers users and movies from 1";
    }
    void badInputNamesFileLineAndField() {
        QFETCH(QString, file);
        QFETCH(QByteArray, contents);
        QFETCH(int, line);
        QFETCH(QString, field);
        QFETCH(QString, reason);
        const fs::path folder =
            variant(QTest::currentDataTag(), file.toStdString(), contents.toStdString());
        try {
            loadMovieLensLatest(folder);
            QFAIL("no DataError");
        } catch (const DataError& e) {
            QVERIFY2(e.file().find(file.toStdString()) != std::string::npos, e.what());
            QCOMPARE(e.line(), std::size_t(line));
            QCOMPARE(QString::fromStdString(e.field()), field);
            QVERIFY2(e.reason().find(reason.toStdString()) != std::string::npos, e.what());
        }
    }
};

QTEST_APPLESS_MAIN(TestMovieLensLatest)
#include "test_data_movielens_latest.moc"
