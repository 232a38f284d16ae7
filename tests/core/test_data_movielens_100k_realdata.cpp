// The MovieLens 100K reader on the real data (skipped when it is absent). Only aggregate
// figures are checked here: the data is not redistributable, so no real rows are copied.

#include "data/movielens_100k.hpp"
#include "test_support.hpp"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <zip.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

using namespace towerlab;
namespace fs = std::filesystem;

namespace {

// Zips the real folder into `zipPath` under the top folder "ml-100k/", as the original is.
void zipFolder(const fs::path& folder, const fs::path& zipPath) {
    int error = 0;
    zip_t* archive = zip_open(zipPath.string().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    QVERIFY2(archive != nullptr, "zip_open for writing failed");
    QVERIFY(zip_dir_add(archive, "ml-100k", ZIP_FL_ENC_UTF_8) >= 0);
    for (const char* name : {"u.data", "u.item", "u.user", "u.genre", "u.info", "u.occupation"}) {
        if (!fs::exists(folder / name)) {
            continue;
        }
        zip_source_t* source = zip_source_file(archive, (folder / name).string().c_str(), 0, -1);
        QVERIFY(source != nullptr);
        const std::string entry = std::string("ml-100k/") + name;
        if (zip_file_add(archive, entry.c_str(), source, ZIP_FL_ENC_UTF_8) < 0) {
            zip_source_free(source);
            QFAIL(zip_strerror(archive));
        }
    }
    QVERIFY2(zip_close(archive) == 0, "zip_close failed");
}

} // namespace

class TestDataMovieLens100kRealData : public QObject {
    Q_OBJECT

private slots:
    void loadsTheRealFolder();
    void zipGivesTheSameData();
};

void TestDataMovieLens100kRealData::loadsTheRealFolder() {
    TOWERLAB_REQUIRE_ML100K(folder);
    QElapsedTimer timer;
    timer.start();
    const Dataset data = loadMovieLens100k(folder);
    const double ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    qDebug() << "loading the real MovieLens 100K folder took" << ms << "ms";

    QCOMPARE(data.users.size(), std::size_t{943});
    QCOMPARE(data.movies.size(), std::size_t{1682});
    QCOMPARE(data.ratings.size(), std::size_t{100000});
    QCOMPARE(data.genreNames.size(), std::size_t{19});
    QCOMPARE(data.genreNames.front(), std::string("unknown"));
    QCOMPARE(data.genreNames.back(), std::string("Western"));

    std::set<std::string> titles;
    for (const Movie& m : data.movies) {
        titles.insert(m.title);
    }
    QCOMPARE(titles.size(), std::size_t{1664});

    const auto [minTs, maxTs] = std::minmax_element(
        data.ratings.begin(), data.ratings.end(),
        [](const Rating& a, const Rating& b) { return a.timestamp < b.timestamp; });
    QCOMPARE(minTs->timestamp, std::uint32_t{874724710});
    QCOMPARE(maxTs->timestamp, std::uint32_t{893286638});

    // "Mis" + U+00E9 (UTF-8 C3 A9) + "rables": the ISO-8859-1 byte E9 was decoded.
    const std::string decoded = std::string("Mis") + '\xC3' + '\xA9' + "rables";
    const auto hit = std::find_if(data.movies.begin(), data.movies.end(), [&](const Movie& m) {
        return m.title.find(decoded) != std::string::npos;
    });
    QVERIFY(hit != data.movies.end());
    // No title may still hold a raw ISO-8859-1 byte: every title is valid UTF-8.
    for (const Movie& m : data.movies) {
        const QByteArray utf8 = QByteArray::fromStdString(m.title);
        QCOMPARE(QString::fromUtf8(utf8).toUtf8(), utf8);
    }

    for (const User& u : data.users) {
        QVERIFY(u.occupationLabel >= 0);
        QVERIFY(u.gender == 0 || u.gender == 1);
        QCOMPARE(u.ageBucket, bucketizeAge(u.rawAge));
    }
    for (const Rating& r : data.ratings) {
        QVERIFY(r.rating >= 1.0f && r.rating <= 5.0f);
    }
}

void TestDataMovieLens100kRealData::zipGivesTheSameData() {
    TOWERLAB_REQUIRE_ML100K(folder);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const fs::path zipPath = fs::path(dir.path().toStdString()) / "ml-100k.zip";
    zipFolder(folder, zipPath);

    const Dataset fromFolder = loadMovieLens100k(folder);
    QElapsedTimer timer;
    timer.start();
    const Dataset fromZip = loadMovieLens100k(zipPath);
    qDebug() << "loading it from a zip took" << static_cast<double>(timer.nsecsElapsed()) / 1e6
             << "ms";
    QCOMPARE(fromZip.source, zipPath.string());
    QCOMPARE(fromZip.fingerprint(), fromFolder.fingerprint());
    qDebug() << "MovieLens 100K fingerprint" << fromFolder.fingerprint().c_str();
}

TOWERLAB_REALDATA_APPLESS_MAIN(TestDataMovieLens100kRealData)
#include "test_data_movielens_100k_realdata.moc"
