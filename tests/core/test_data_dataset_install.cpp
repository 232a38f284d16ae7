// installDataset: a dataset folder or archive checked and installed all or nothing, on copies
// of the invented fixture tests/fixtures/ml100k/valid. (Downloading, which feeds it, is tested
// with a local server in tests/ui/test_dataset_download*.cpp.)

#include "data/data_error.hpp"
#include "data/dataset_install.hpp"
#include "data/dataset_loader.hpp"
#include "test_support.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace towerlab;
namespace fs = std::filesystem;

namespace {

fs::path validFolder() {
    return towerlab::test::fixture("ml100k/valid");
}

ExpectedCounts countsOf(const fs::path& folder) {
    const Dataset d = loadDataset(folder);
    return {d.users.size(), d.movies.size(), d.ratings.size()};
}

// Everything in the folder, e.g. leftover staging folders beside an installed dataset.
std::vector<std::string> entriesOf(const fs::path& folder) {
    std::vector<std::string> names;
    for (const fs::directory_entry& e : fs::directory_iterator(folder)) {
        names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

class TestDataDatasetInstall : public QObject {
    Q_OBJECT

private slots:
    void installsAndReadsBackTheSameData() {
        QTemporaryDir parent;
        const fs::path target = fs::path(parent.path().toStdString()) / "ml-100k";
        const InstallCheck check{DatasetFormat::MovieLens100k, countsOf(validFolder())};
        const std::string name = installDataset(validFolder(), target, check);
        QCOMPARE(name, loadDataset(target).name);
        QCOMPARE(loadDataset(target).fingerprint(), loadDataset(validFolder()).fingerprint());
        QCOMPARE(entriesOf(parent.path().toStdString()), std::vector<std::string>{"ml-100k"});
    }

    void wrongCountsOrFormatLeaveTheEarlierCopy() {
        QTemporaryDir parent;
        const fs::path target = fs::path(parent.path().toStdString()) / "ml-100k";
        installDataset(validFolder(), target, {});
        const std::string before = loadDataset(target).fingerprint();
        try {
            installDataset(validFolder(), target, {std::nullopt, kMovieLens100kCounts});
            QFAIL("wrong counts were installed");
        } catch (const InstallError& e) {
            QVERIFY2(std::string(e.what()).find("expected 943 users") != std::string::npos,
                     e.what());
        }
        try {
            installDataset(validFolder(), target, {DatasetFormat::MovieLens1m, std::nullopt});
            QFAIL("a 100K folder was installed as 1M");
        } catch (const InstallError& e) {
            QVERIFY2(std::string(e.what()).find("not the expected") != std::string::npos, e.what());
        }
        QCOMPARE(loadDataset(target).fingerprint(), before);
        QCOMPARE(entriesOf(parent.path().toStdString()), std::vector<std::string>{"ml-100k"});
    }

    void aCancelLeavesNothing() {
        QTemporaryDir parent;
        const fs::path target = fs::path(parent.path().toStdString()) / "ml-100k";
        const std::atomic<bool> cancel{true};
        QVERIFY_THROWS_EXCEPTION(InstallCancelled,
                                 installDataset(validFolder(), target, {}, &cancel));
        QVERIFY(entriesOf(parent.path().toStdString()).empty());
    }

    void handsOverWhatItReadOnce() {
        // The install reads the installed files once and can hand that reading over, so the
        // application opens the dataset without reading it again.
        QTemporaryDir parent;
        const fs::path target = fs::path(parent.path().toStdString()) / "ml-100k";
        Dataset loaded;
        const std::string name = installDataset(validFolder(), target, {}, nullptr, &loaded);
        QCOMPARE(loaded.name, name);
        QCOMPARE(loaded.source, target.string());
        const Dataset again = loadDataset(target);
        QCOMPARE(loaded.fingerprint(), again.fingerprint());
        QCOMPARE(loaded.source, again.source);
    }

    void aBadFileIsNamedAsInTheArchive() {
        // The reader runs on the staging copy; its message still names the archive's file.
        QTemporaryDir parent;
        const fs::path archive = fs::path(parent.path().toStdString()) / "download";
        fs::create_directories(archive);
        for (const fs::directory_entry& e : fs::directory_iterator(validFolder())) {
            fs::copy_file(e.path(), archive / e.path().filename());
        }
        std::ofstream(archive / "u.data", std::ios::app) << "1\t10\t9\t880000000\n";
        const fs::path target = fs::path(parent.path().toStdString()) / "ml-100k";
        try {
            installDataset(archive, target, {});
            QFAIL("a bad rating was installed");
        } catch (const DataError& e) {
            QCOMPARE(e.file(), (archive / "u.data").string());
            QVERIFY(e.line() > 1);
            QCOMPARE(e.field(), std::string("rating"));
        }
        QCOMPARE(entriesOf(parent.path().toStdString()), std::vector<std::string>{"download"});
    }

    void installRefusesAFileAsTarget() {
        QTemporaryDir parent;
        const QString target = parent.filePath(QStringLiteral("ml-100k"));
        QFile f(target);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QVERIFY_THROWS_EXCEPTION(InstallError,
                                 installDataset(validFolder(), target.toStdString(), {}));
        QVERIFY_THROWS_EXCEPTION(
            DataError, installDataset(parent.filePath(QStringLiteral("nothing")).toStdString(),
                                      parent.filePath(QStringLiteral("x")).toStdString(), {}));
    }
};

QTEST_APPLESS_MAIN(TestDataDatasetInstall)
#include "test_data_dataset_install.moc"
