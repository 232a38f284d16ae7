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
