// MovieLens 1M reader: the hand-made fixture (ISO-8859-1 titles, CRLF ratings), the TFDS
// occupation and genre mappings, and one DataError per kind of bad input.

#include "data/data_error.hpp"
#include "data/dataset.hpp"
#include "data/movielens_1m.hpp"
#include "test_support.hpp"

#include <QTemporaryDir>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

using namespace towerlab;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

int labelOf(const std::string& name) {
    const auto& labels = occupationLabels();
    return static_cast<int>(std::find(labels.begin(), labels.end(), name) - labels.begin());
}

} // namespace

class TestMovieLens1m : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // A copy of the valid fixture with `file` replaced by `contents`.
    fs::path variant(const std::string& name, const std::string& file,
                     const std::string& contents) {
        const fs::path folder = fs::path(m_dir.path().toStdString()) / name;
        fs::create_directories(folder);
        for (const char* f : {"users.dat", "movies.dat", "ratings.dat"}) {
            fs::copy_file(test::fixture("ml1m/valid") / f, folder / f,
                          fs::copy_options::overwrite_existing);
        }
        std::ofstream(folder / file, std::ios::binary | std::ios::trunc) << contents;
        return folder;
    }

private slots:
    void readsTheFixture() {
        const Dataset data = loadMovieLens1m(test::fixture("ml1m/valid"));
        QCOMPARE(data.name, std::string("MovieLens 1M"));
        QVERIFY(data.hasDemographics);
        QCOMPARE(data.users.size(), std::size_t(12));
        QCOMPARE(data.movies.size(), std::size_t(10));
        QCOMPARE(data.ratings.size(), std::size_t(60));
        // users.dat line 1: 1::F::1::10::48067 (age code 1, K-12 student).
        const User& first = data.users[0];
        QCOMPARE(first.gender, 0);
        QCOMPARE(first.ageBucket, 1);
        QCOMPARE(first.occupationLabel, labelOf("student"));
        QCOMPARE(first.occupationText, std::string("K-12 student"));
        QCOMPARE(first.zipCode, std::string("48067"));
        QCOMPARE(data.users[10].occupationLabel, labelOf("other/not specified"));
        // ISO-8859-1 e-acute and e-grave become UTF-8.
        QCOMPARE(data.movies[2].title, std::string("Caf\xC3\xA9 Lumi\xC3\xA8re (1997)"));
        QCOMPARE(data.movies[2].year, 1997);
        // "Children's" is stored as TFDS's "Children".
        QCOMPARE(data.genreNames.size(), std::size_t(18));
        QCOMPARE(data.genreNames[3], std::string("Children"));
        QCOMPARE(data.movies[0].genres, (std::vector<int>{2, 3, 4}));
        // CRLF line ends do not leak into the timestamp.
        QCOMPARE(data.ratings[0].timestamp, std::uint32_t(978300603));
        QCOMPARE(data.ratings[0].rating, 5.0f);
    }

    void occupationTableMapsEveryCodeByName_data() {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("label");
        QTest::newRow("0 other") << 0 << "other/not specified";
        QTest::newRow("1 academic") << 1 << "academic/educator";
        QTest::newRow("4 college student") << 4 << "student";
        QTest::newRow("10 K-12 student") << 10 << "student";
        QTest::newRow("12 programmer") << 12 << "programmer";
        QTest::newRow("17 technician") << 17 << "technician/engineer";
        QTest::newRow("20 writer") << 20 << "writer";
    }
    void occupationTableMapsEveryCodeByName() {
        QFETCH(int, code);
        QFETCH(QString, label);
        QCOMPARE(occupationLabelFromMl1mCode(code), labelOf(label.toStdString()));
    }

    void occupationTableIsComplete() {
        QCOMPARE(ml1mOccupationNames().size(), std::size_t(21));
        QCOMPARE(occupationLabelFromMl1mCode(-1), -1);
        QCOMPARE(occupationLabelFromMl1mCode(21), -1);
        // Apart from the merged students and "other", a code keeps its README name.
        for (int code = 0; code <= 20; ++code) {
            const int label = occupationLabelFromMl1mCode(code);
            QVERIFY(label >= 0 && label < static_cast<int>(occupationLabels().size()));
            const std::string& name = ml1mOccupationNames()[static_cast<std::size_t>(code)];
            if (code != 0 && code != 4 && code != 10) {
                QCOMPARE(occupationLabels()[static_cast<std::size_t>(label)], name);
            }
        }
        // 20 labels of the 22 are reachable: TFDS's "entertainment" and "librarian" are 100K's.
        std::set<int> reached;
        for (int code = 0; code <= 20; ++code) {
            reached.insert(occupationLabelFromMl1mCode(code));
        }
        QCOMPARE(reached.size(), std::size_t(20));
    }

    void badInputNamesFileLineAndField_data() {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("reason");
        QTest::newRow("wrong separator")
            << "users.dat" << QByteArray("1::F::1::10::48067\n2|M|56|16|70072\n") << 2 << ""
            << "'::'-separated";
        QTest::newRow("bad age code")
            << "users.dat" << QByteArray("1::F::1::10::48067\n2::M::30::16::7\n") << 2 << "age"
            << "not an ML-1M age code";
        QTest::newRow("bad occupation code")
            << "users.dat" << QByteArray("1::F::1::21::48067\n") << 1 << "occupation"
            << "0..20";
        QTest::newRow("bad gender")
            << "users.dat" << QByteArray("1::X::1::2::48067\n") << 1 << "gender"
            << "not M or F";
        QTest::newRow("unknown genre")
            << "movies.dat" << QByteArray("1::Some Title (1990)::Drama|Noir\n") << 1 << "genres"
            << "not an ML-1M genre";
        QTest::newRow("unknown movie in ratings")
            << "ratings.dat" << QByteArray("1::1::4::978300000\n1::404::4::978300001\n") << 2
            << "movie id"
            << "names no movie of movies.dat";
        QTest::newRow("unknown user in ratings")
            << "ratings.dat" << QByteArray("99::1::4::978300000\n") << 1 << "user id"
            << "names no user";
        QTest::newRow("rating out of range")
            << "ratings.dat" << QByteArray("1::1::6::978300000\n") << 1 << "rating"
            << "1..5";
        QTest::newRow("half star")
            << "ratings.dat" << QByteArray("1::1::3.5::978300000\n") << 1 << "rating"
            << "not a whole number";
        QTest::newRow("empty file") << "movies.dat" << QByteArray("") << 0 << ""
                                    << "empty";
        // Each field within its documented domain (README of ML-1M).
        QTest::newRow("negative timestamp")
            << "ratings.dat" << QByteArray("1::1::4::978300000\n1::3::4::-1\n") << 2 << "timestamp"
            << "is not a time MovieLens records";
        QTest::newRow("timestamp after 2100")
            << "ratings.dat" << QByteArray("1::1::4::4102444801\n") << 1 << "timestamp"
            << "2100-01-01";
        QTest::newRow("user id zero")
            << "users.dat" << QByteArray("0::F::1::10::48067\n") << 1 << "user id"
            << "numbers users and movies from 1";
        QTest::newRow("movie id negative")
            << "movies.dat" << QByteArray("-4::Some Title (1990)::Drama\n") << 1 << "movie id"
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
            loadMovieLens1m(folder);
            QFAIL("no DataError");
        } catch (const DataError& e) {
            QVERIFY2(e.file().find(file.toStdString()) != std::string::npos, e.what());
            QCOMPARE(e.line(), std::size_t(line));
            QCOMPARE(QString::fromStdString(e.field()), field);
            QVERIFY2(e.reason().find(reason.toStdString()) != std::string::npos, e.what());
        }
    }

    void fixtureIsLatin1NotUtf8() {
        // Guards the fixture itself: the test above must see raw ISO-8859-1 bytes.
        const std::string bytes = readAll(test::fixture("ml1m/valid/movies.dat"));
        QVERIFY(bytes.find("Caf\xE9") != std::string::npos);
    }
};

QTEST_APPLESS_MAIN(TestMovieLens1m)
#include "test_data_movielens_1m.moc"
