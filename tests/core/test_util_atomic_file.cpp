// AtomicFileWriter: a target is replaced only by a complete, committed file; every failure
// (missing or unwritable folder, full disk) is a FileWriteError naming the path and leaves the
// old file and no temporary behind.

#include "util/atomic_file.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string>

#include <sys/stat.h>

using towerlab::AtomicFileWriter;
using towerlab::FileWriteError;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writePlain(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

std::set<std::string> namesIn(const fs::path& folder) {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder)) {
        names.insert(entry.path().filename().string());
    }
    return names;
}

// Bytes that differ at every position, so a partial overwrite could not go unnoticed.
std::string pattern(std::size_t size, char salt) {
    std::string bytes(size, '\0');
    for (std::size_t i = 0; i < size; ++i) {
        bytes[i] = static_cast<char>((i * 131 + static_cast<std::size_t>(salt)) % 251);
    }
    return bytes;
}

// Turns fault injection off however a test ends.
struct FaultInjection {
    explicit FaultInjection(std::size_t bytes) {
        AtomicFileWriter::setFaultInjectionForTesting(bytes);
    }
    ~FaultInjection() { AtomicFileWriter::setFaultInjectionForTesting(std::nullopt); }
};

template <typename F> FileWriteError expectWriteError(F&& f) {
    try {
        f();
    } catch (const FileWriteError& e) {
        return e;
    }
    throw std::runtime_error("expected a FileWriteError");
}

} // namespace

class TestUtilAtomicFile : public QObject {
    Q_OBJECT

private slots:
    void init();
    void createsNewFile();
    void commitReplacesTarget();
    void noCommitLeavesTargetUntouched();
    void missingFolderNamesPath();
    void unwritableFolderNamesPath();
    void diskFullKeepsOriginal_data();
    void diskFullKeepsOriginal();
    void failedWriterRefusesMoreWork();
    void writeAfterCommitIsABug();
    void keepsPermissions();
    void targetIsAFolder();
    void concurrentWritersUseDistinctTemporaries();

private:
    std::optional<QTemporaryDir> m_dir;
    fs::path folder() const { return fs::path(m_dir->path().toStdString()); }
};

void TestUtilAtomicFile::init() {
    m_dir.emplace();
    QVERIFY(m_dir->isValid());
}

void TestUtilAtomicFile::createsNewFile() {
    const fs::path target = folder() / "new.bin";
    towerlab::writeFileAtomically(target, "hello");
    QCOMPARE(readAll(target), std::string("hello"));
    QCOMPARE(namesIn(folder()), (std::set<std::string>{"new.bin"}));
}

void TestUtilAtomicFile::commitReplacesTarget() {
    const fs::path target = folder() / "model.tlm";
    writePlain(target, "old contents");
    // Larger than the writer's buffer, in uneven pieces, so both paths are exercised.
    const std::string bytes = pattern(300'000, 7);
    {
        AtomicFileWriter writer(target);
        for (std::size_t at = 0; at < bytes.size(); at += 7777) {
            writer.write(std::string_view(bytes).substr(at, 7777));
        }
        QCOMPARE(writer.bytesWritten(), bytes.size());
        QCOMPARE(readAll(target), std::string("old contents"));
        writer.commit();
    }
    QCOMPARE(readAll(target), bytes);
    QCOMPARE(namesIn(folder()), (std::set<std::string>{"model.tlm"}));
}

void TestUtilAtomicFile::noCommitLeavesTargetUntouched() {
    const fs::path target = folder() / "model.tlm";
    writePlain(target, "old contents");
    {
        AtomicFileWriter writer(target);
        writer.write(pattern(200'000, 3));
        QVERIFY(fs::exists(writer.temporaryPath()));
        QCOMPARE(writer.temporaryPath().parent_path(), target.parent_path());
        QVERIFY(writer.temporaryPath().filename().string().starts_with("model.tlm.tmp-"));
    }
    QCOMPARE(readAll(target), std::string("old contents"));
    QCOMPARE(namesIn(folder()), (std::set<std::string>{"model.tlm"}));
}

void TestUtilAtomicFile::missingFolderNamesPath() {
    const fs::path target = folder() / "no" / "such" / "folder" / "m.tlm";
    const FileWriteError e = expectWriteError([&] { towerlab::writeFileAtomically(target, "x"); });
    const std::string what = e.what();
    QVERIFY2(what.find(target.string()) != std::string::npos, e.what());
    QVERIFY2(what.find("No such file or directory") != std::string::npos, e.what());
    QCOMPARE(e.path(), target);
    QVERIFY(!fs::exists(folder() / "no"));
}

void TestUtilAtomicFile::unwritableFolderNamesPath() {
    // chmod cannot make a folder read-only for root; /proc refuses new files for everyone.
    const fs::path target = "/proc/towerlab-test-model.tlm";
    const FileWriteError e = expectWriteError([&] { towerlab::writeFileAtomically(target, "x"); });
    QVERIFY2(std::string(e.what()).find(target.string()) != std::string::npos, e.what());
    QVERIFY(!fs::exists(target));
}

void TestUtilAtomicFile::diskFullKeepsOriginal_data() {
    QTest::addColumn<qulonglong>("failAfter");
    QTest::addColumn<qulonglong>("chunk");
    QTest::newRow("nothing fits") << 0ULL << 1000ULL;
    QTest::newRow("one byte") << 1ULL << 1000ULL;
    QTest::newRow("fails in commit's flush") << 500ULL << 10ULL;
    QTest::newRow("at the buffer size") << 65'536ULL << 4096ULL;
    QTest::newRow("just past the buffer") << 65'537ULL << 4096ULL;
    QTest::newRow("large direct writes") << 150'000ULL << 100'000ULL;
    QTest::newRow("one byte short") << 299'999ULL << 30'000ULL;
}

void TestUtilAtomicFile::diskFullKeepsOriginal() {
    QFETCH(qulonglong, failAfter);
    QFETCH(qulonglong, chunk);
    const fs::path target = folder() / "model.tlm";
    const std::string original = pattern(120'000, 1);
    writePlain(target, original);
    const std::string replacement = pattern(300'000, 2);
    {
        const FaultInjection full(failAfter);
        const FileWriteError e = expectWriteError([&] {
            AtomicFileWriter writer(target);
            for (std::size_t at = 0; at < replacement.size(); at += chunk) {
                writer.write(std::string_view(replacement).substr(at, chunk));
            }
            writer.commit();
        });
        QVERIFY2(std::string(e.what()).find("No space left on device") != std::string::npos,
                 e.what());
        QVERIFY2(std::string(e.what()).find(target.string()) != std::string::npos, e.what());
    }
    QVERIFY(readAll(target) == original);
    QCOMPARE(namesIn(folder()), (std::set<std::string>{"model.tlm"}));
    // With injection off the same write goes through.
    towerlab::writeFileAtomically(target, replacement);
    QVERIFY(readAll(target) == replacement);
}

void TestUtilAtomicFile::failedWriterRefusesMoreWork() {
    const fs::path target = folder() / "model.tlm";
    AtomicFileWriter writer(target);
    {
        const FaultInjection full(10);
        expectWriteError([&] { writer.write(pattern(100'000, 5)); });
    }
    expectWriteError([&] { writer.write("more"); });
    expectWriteError([&] { writer.commit(); });
    QVERIFY(!fs::exists(target));
    QVERIFY(namesIn(folder()).empty());
}

void TestUtilAtomicFile::writeAfterCommitIsABug() {
    AtomicFileWriter writer(folder() / "a.txt");
    writer.write("a");
    writer.commit();
    QVERIFY_THROWS_EXCEPTION(std::logic_error, writer.write("b"));
    QVERIFY_THROWS_EXCEPTION(std::logic_error, writer.commit());
    QCOMPARE(readAll(folder() / "a.txt"), std::string("a"));
}

void TestUtilAtomicFile::keepsPermissions() {
    const fs::path target = folder() / "private.tlm";
    writePlain(target, "old");
    fs::permissions(target, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read,
                    fs::perm_options::replace);
    towerlab::writeFileAtomically(target, "new");
    QCOMPARE(readAll(target), std::string("new"));
    struct stat info {};
    QCOMPARE(::stat(target.c_str(), &info), 0);
    QCOMPARE(info.st_mode & 07777, 0640u);
}

void TestUtilAtomicFile::targetIsAFolder() {
    const fs::path target = folder() / "sub";
    fs::create_directory(target);
    writePlain(target / "inside", "keep");
    const FileWriteError e = expectWriteError([&] { towerlab::writeFileAtomically(target, "x"); });
    QVERIFY2(std::string(e.what()).find(target.string()) != std::string::npos, e.what());
    QVERIFY(fs::is_directory(target));
    QCOMPARE(readAll(target / "inside"), std::string("keep"));
    QCOMPARE(namesIn(folder()), (std::set<std::string>{"sub"}));
}

void TestUtilAtomicFile::concurrentWritersUseDistinctTemporaries() {
    const fs::path target = folder() / "shared.txt";
    AtomicFileWriter first(target);
    AtomicFileWriter second(target);
    QVERIFY(first.temporaryPath() != second.temporaryPath());
    first.write("first");
    second.write("second");
    first.commit();
    QCOMPARE(readAll(target), std::string("first"));
    second.commit();
    QCOMPARE(readAll(target), std::string("second"));
    QCOMPARE(namesIn(folder()), (std::set<std::string>{"shared.txt"}));
}

QTEST_APPLESS_MAIN(TestUtilAtomicFile)
#include "test_util_atomic_file.moc"
