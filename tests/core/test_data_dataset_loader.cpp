// loadDataset / detectDatasetFormat: format detection from a folder or zip (top level or one
// folder down) on copies of the invented fixture tests/fixtures/ml100k/valid, and the
// DataError that lists what was expected and what was found.

#include "data/data_error.hpp"
#include "data/dataset_loader.hpp"
#include "data/movielens_100k.hpp"
#include "test_support.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <zip.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
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

void copyValid(const fs::path& folder) {
    fs::create_directories(folder);
    for (const char* name : kFiles) {
        fs::copy_file(validFolder() / name, folder / name, fs::copy_options::overwrite_existing);
    }
}

// Builds a zip holding each fixture file under `prefix` ("" or "ml-100k/") plus `extra`.
void writeZip(const fs::path& path, const std::string& prefix,
              const std::vector<std::string>& extra = {}) {
    int error = 0;
    zip_t* archive = zip_open(path.string().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
    QVERIFY(archive != nullptr);
    std::vector<std::string> contents; // libzip reads the buffers at zip_close
    contents.reserve(kFiles.size() + extra.size());
    auto add = [&](const std::string& name, std::string bytes) {
        contents.push_back(std::move(bytes));
        zip_source_t* source =
            zip_source_buffer(archive, contents.back().data(), contents.back().size(), 0);
        QVERIFY(source != nullptr);
        QVERIFY(zip_file_add(archive, name.c_str(), source, ZIP_FL_ENC_UTF_8) >= 0);
    };
    for (const char* name : kFiles) {
        add(prefix + name, readBytes(validFolder() / name));
    }
    for (const auto& name : extra) {
        add(name, "invented");
    }
    QCOMPARE(zip_close(archive), 0);
}

std::string errorOf(const fs::path& path) {
    try {
        loadDataset(path);
    } catch (const DataError& e) {
        return e.what();
    }
    return "no DataError";
}

} // namespace

class TestDatasetLoader : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path root() const { return fs::path(m_dir.path().toStdString()); }

private slots:
    void knowsMovieLens100k() {
        const auto& formats = knownDatasetFormats();
        QVERIFY(!formats.empty());
        QCOMPARE(formats.front().name, std::string("MovieLens 100K"));
        QCOMPARE(formats.front().signature,
                 (std::vector<std::string>{"u.data", "u.item", "u.user"}));
    }

    void detectsEveryLayout_data() {
        QTest::addColumn<QString>("layout");
        QTest::newRow("folder") << "folder";
        QTest::newRow("folder one level down") << "nested folder";
        QTest::newRow("zip") << "zip";
        QTest::newRow("zip with a top folder") << "nested zip";
    }
    void detectsEveryLayout() {
        QFETCH(QString, layout);
        QVERIFY(m_dir.isValid());
        const fs::path base = root() / layout.toStdString();
        fs::path source;
        if (layout == "folder") {
            copyValid(base);
            source = base;
        } else if (layout == "nested folder") {
            copyValid(base / "ml-100k");
            source = base;
        } else {
            fs::create_directories(base);
            source = base / "ml-100k.zip";
            writeZip(source, layout == "zip" ? "" : "ml-100k/");
        }
        QVERIFY(detectDatasetFormat(source) == DatasetFormat::MovieLens100k);
        const Dataset loaded = loadDataset(source);
        const Dataset direct = loadMovieLens100k(validFolder());
        QCOMPARE(loaded.name, std::string("MovieLens 100K"));
        QCOMPARE(loaded.fingerprint(), direct.fingerprint());
        QCOMPARE(loaded.source, source.string());
    }

    void unknownFolderListsExpectedAndFound() {
        const fs::path folder = root() / "other";
        fs::create_directories(folder / "inner");
        // .tsv: ratings.csv + movies.csv would be the MovieLens latest format.
        std::ofstream(folder / "ratings.tsv") << "userId\tmovieId\n";
        std::ofstream(folder / "inner" / "movies.tsv") << "movieId\ttitle\n";
        const std::string message = errorOf(folder);
        QVERIFY2(message.find(folder.string()) == 0, message.c_str());
        QVERIFY2(message.find("expected MovieLens 100K (u.data, u.item, u.user)") !=
                     std::string::npos,
                 message.c_str());
        QVERIFY2(message.find("found movies.tsv, ratings.tsv") != std::string::npos,
                 message.c_str());
    }

    void incompleteFolderIsNotDetected() {
        const fs::path folder = root() / "incomplete";
        copyValid(folder);
        fs::remove(folder / "u.item");
        const std::string message = errorOf(folder);
        QVERIFY2(message.find("found u.data, u.genre, u.user") != std::string::npos,
                 message.c_str());
    }

    void emptyFolder() {
        const fs::path folder = root() / "empty";
        fs::create_directories(folder);
        QVERIFY2(errorOf(folder).find("found no files") != std::string::npos,
                 errorOf(folder).c_str());
    }

    void zipWithOtherFilesListsThem() {
        const fs::path zipPath = root() / "other.zip";
        int error = 0;
        zip_t* archive = zip_open(zipPath.string().c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
        QVERIFY(archive != nullptr);
        static const char kBytes[] = "invented";
        zip_source_t* source = zip_source_buffer(archive, kBytes, sizeof kBytes - 1, 0);
        QVERIFY(zip_file_add(archive, "top/ratings.dat", source, ZIP_FL_ENC_UTF_8) >= 0);
        QCOMPARE(zip_close(archive), 0);
        const std::string message = errorOf(zipPath);
        QVERIFY2(message.find("found ratings.dat") != std::string::npos, message.c_str());
    }

    void deeperFilesDoNotCount() {
        // Two folders down is not a layout any reader accepts, so detection must not either.
        const fs::path folder = root() / "deep";
        copyValid(folder / "a" / "b");
        QVERIFY(errorOf(folder).find("expected MovieLens 100K") != std::string::npos);
    }

    void missingPathAndNotAZip() {
        QVERIFY(errorOf(root() / "absent").find("no such folder or file") != std::string::npos);
        const fs::path fake = root() / "fake.zip";
        std::ofstream(fake) << "not a zip";
        QVERIFY2(errorOf(fake).find("fake.zip") != std::string::npos, errorOf(fake).c_str());
    }

    void readerErrorsPassThrough() {
        // Detected as 100K, so the reader's own error (file and line) reaches the caller.
        const fs::path folder = root() / "bad-rating";
        copyValid(folder);
        std::ofstream(folder / "u.data", std::ios::app) << "1\t10\t9\t880000000\n";
        const std::string message = errorOf(folder);
        QVERIFY2(message.find("u.data:") != std::string::npos, message.c_str());
        QVERIFY2(message.find("field 'rating'") != std::string::npos, message.c_str());
    }
};

QTEST_APPLESS_MAIN(TestDatasetLoader)
#include "test_data_dataset_loader.moc"
