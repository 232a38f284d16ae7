// Format detection for MovieLens 1M and "latest": folder, zip with and without a top folder,
// and the message for a folder of none of the three formats.

#include "data/data_error.hpp"
#include "data/dataset_loader.hpp"
#include "test_support.hpp"

#include <QTemporaryDir>

#include <zip.h>

#include <filesystem>
#include <fstream>
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

// Zips every file of `folder` under `prefix` ("" or "ml-1m/").
bool writeZip(const fs::path& zipPath, const fs::path& folder, const std::string& prefix) {
    int error = 0;
    zip_t* archive = zip_open(zipPath.string().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    if (archive == nullptr) {
        return false;
    }
    std::vector<std::string> contents; // libzip reads the buffers at zip_close
    contents.reserve(8);
    for (const auto& entry : fs::directory_iterator(folder)) {
        contents.push_back(readAll(entry.path()));
        zip_source_t* source =
            zip_source_buffer(archive, contents.back().data(), contents.back().size(), 0);
        const std::string name = prefix + entry.path().filename().string();
        if (source == nullptr || zip_file_add(archive, name.c_str(), source, 0) < 0) {
            zip_discard(archive);
            return false;
        }
    }
    return zip_close(archive) == 0;
}

} // namespace

class TestDatasetFormats : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path root() const { return fs::path(m_dir.path().toStdString()); }

private slots:
    // A format's sample has the fields that format records, and only those.
    void formatSamplesHaveTheFormatsFields() {
        for (const DatasetFormatInfo& info : knownDatasetFormats()) {
            const Dataset d = formatSample(info.format);
            QCOMPARE(d.name, info.name);
            QCOMPARE(d.users.size(), std::size_t{1});
            QCOMPARE(d.ratings.size(), std::size_t{1});
            QVERIFY(d.movies.front().year > 0);
            const bool demographics = info.format != DatasetFormat::MovieLensLatest;
            QCOMPARE(d.hasDemographics, demographics);
            const User& u = d.users.front();
            QCOMPARE(u.ageBucket >= 0 && u.occupationLabel >= 0 && u.gender >= 0, demographics);
            QCOMPARE(!u.zipCode.empty(), demographics);
        }
    }

    void detectsEachLayout_data() {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<QString>("layout");
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("ratings");
        for (const char* layout : {"folder", "nested folder", "zip", "nested zip"}) {
            QTest::newRow(qPrintable(QString("1M ") + layout))
                << "ml1m/valid" << layout << int(DatasetFormat::MovieLens1m) << 60;
            QTest::newRow(qPrintable(QString("latest ") + layout))
                << "ml-latest/valid" << layout << int(DatasetFormat::MovieLensLatest) << 40;
        }
    }
    void detectsEachLayout() {
        QFETCH(QString, fixture);
        QFETCH(QString, layout);
        QFETCH(int, format);
        QFETCH(int, ratings);
        const fs::path source = test::fixture(fixture.toStdString());
        const fs::path base = root() / QTest::currentDataTag();
        fs::create_directories(base);
        fs::path path;
        if (layout == "folder") {
            path = source;
        } else if (layout == "nested folder") {
            fs::copy(source, base / "top");
            path = base;
        } else {
            path = base / "data.zip";
            QVERIFY(writeZip(path, source, layout == "zip" ? "" : "top/"));
        }
        QCOMPARE(int(detectDatasetFormat(path)), format);
        QCOMPARE(loadDataset(path).ratings.size(), std::size_t(ratings));
    }

    void unknownFolderListsTheThreeFormats() {
        const fs::path folder = root() / "unknown";
        fs::create_directories(folder);
        std::ofstream(folder / "ratings.dat") << "1::1::4::5\n";
        std::ofstream(folder / "notes.txt") << "invented\n";
        try {
            detectDatasetFormat(folder);
            QFAIL("no DataError");
        } catch (const DataError& e) {
            const std::string message = e.what();
            for (const char* part : {"MovieLens 100K (u.data, u.item, u.user)",
                                     "MovieLens 1M (ratings.dat, movies.dat, users.dat)",
                                     "MovieLens latest (CSV) (ratings.csv, movies.csv)",
                                     "found notes.txt, ratings.dat"}) {
                QVERIFY2(message.find(part) != std::string::npos, message.c_str());
            }
        }
    }

    void everyFormatIsListed() { QCOMPARE(knownDatasetFormats().size(), std::size_t(3)); }
};

QTEST_APPLESS_MAIN(TestDatasetFormats)
#include "test_data_dataset_formats.moc"
