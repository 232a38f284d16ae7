// Saving a model over an existing one is crash-safe: a child process killed with SIGKILL at
// random points of writing the new file (random byte counts, then a sleep/kill race against
// the real saveModel) never damages the previous file, which stays loadable; a full disk at
// random byte counts and targets that cannot be created give a clear error and keep the
// previous file. (A newer format version's message is tested in test_io_model_file.cpp.)
//
// A SIGKILLed process cannot remove its temporary "<name>.tmp-<pid>-<n>"; the test accepts
// such leftovers only under that name, and checks the loader ignores them: loadModel reads
// exactly the path it is given, and the next save picks a fresh temporary name.

#include "data/demo_dataset.hpp"
#include "io/model_file.hpp"
#include "train/trainer.hpp"
#include "util/atomic_file.hpp"
#include "util/random.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>

using namespace towerlab;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Two different models whose files are well over AtomicFileWriter's 64 KiB buffer, so a
// write reaches the disk in several steps.
struct TwoModels {
    std::shared_ptr<const TrainedModel> before;
    std::shared_ptr<const TrainedModel> after;
    std::string beforeBytes;
    std::string afterBytes;
};

const TwoModels& twoModels() {
    static const TwoModels models = [] {
        DemoDatasetOptions options;
        options.users = 80;
        options.movies = 60;
        options.ratingsPerUser = 25;
        const Dataset data = makeDemoDataset(options);
        TrainConfig t;
        t.epochs = 1;
        t.batchSize = 256;
        t.threads = 1;
        Trainer trainer(data, ModelConfig{}, t);
        TwoModels m;
        m.before = trainer.snapshot();
        ProgressSink quiet;
        const std::atomic<bool> cancel{false};
        m.after = trainer.fit(quiet, cancel).model;
        m.beforeBytes = encodeModel(*m.before);
        m.afterBytes = encodeModel(*m.after);
        return m;
    }();
    return models;
}

// Files in `folder` other than `keep`; each must be a temporary of a writer of `keep`.
std::set<std::string> leftovers(const fs::path& folder, const std::string& keep) {
    std::set<std::string> names;
    for (const auto& entry : fs::directory_iterator(folder)) {
        const std::string name = entry.path().filename().string();
        if (name != keep) {
            names.insert(name);
        }
    }
    return names;
}

// Runs `child` in a forked process that must die of SIGKILL (sent by itself or by the
// parent after `killAfter`, when set). Only async-signal-safe-enough work happens in the
// child: the model bytes are prepared before the fork.
template <typename F> pid_t forkChild(F&& child) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        try {
            child();
        } catch (...) {
            ::_exit(3);
        }
        ::_exit(0);
    }
    return pid;
}

// Waits for the child; returns the signal that ended it, or 0 for a normal exit.
int waitForSignal(pid_t pid, int& exitCode) {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -1;
        }
    }
    exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

struct FaultInjection {
    explicit FaultInjection(std::size_t bytes) {
        AtomicFileWriter::setFaultInjectionForTesting(bytes);
    }
    ~FaultInjection() { AtomicFileWriter::setFaultInjectionForTesting(std::nullopt); }
    FaultInjection(const FaultInjection&) = delete;
    FaultInjection& operator=(const FaultInjection&) = delete;
};

} // namespace

class TestIoModelFileCrash : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        const TwoModels& m = twoModels();
        QVERIFY(m.beforeBytes != m.afterBytes);
        QVERIFY2(m.afterBytes.size() > 2 * 64 * 1024,
                 qPrintable(QString("model file of %1 bytes").arg(m.afterBytes.size())));
    }

    void init() {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_folder = fs::path(m_dir->path().toStdString());
        m_path = m_folder / "m.tlm";
    }

    // The child writes the first `cut` bytes of the new file through AtomicFileWriter in
    // random-sized pieces and then kills itself: whatever reached the disk by then, the
    // target still holds the previous file.
    void killedAtRandomByteCountsKeepsThePreviousFile() {
        const TwoModels& m = twoModels();
        saveModel(*m.before, m_path);
        Random random(7001);
        const std::size_t size = m.afterBytes.size();
        std::vector<std::size_t> cuts = {0, 1, 64 * 1024, 64 * 1024 + 1, size - 1, size};
        while (cuts.size() < 30) {
            cuts.push_back(static_cast<std::size_t>(random.next() % (size + 1)));
        }
        int leftBehind = 0;
        for (std::size_t trial = 0; trial < cuts.size(); ++trial) {
            const std::size_t cut = cuts[trial];
            const std::uint64_t chunkSeed = random.next();
            const pid_t pid = forkChild([&] {
                Random chunks(chunkSeed);
                AtomicFileWriter writer(m_path);
                std::size_t at = 0;
                while (at < cut) {
                    const std::size_t piece =
                        std::min<std::size_t>(cut - at, 1 + chunks.next() % 100'000);
                    writer.write(std::string_view(m.afterBytes).substr(at, piece));
                    at += piece;
                }
                ::raise(SIGKILL);
            });
            QVERIFY(pid > 0);
            int exitCode = 0;
            const int signal = waitForSignal(pid, exitCode);
            const QString where = QString("cut at byte %1 of %2").arg(cut).arg(size);
            QVERIFY2(signal == SIGKILL,
                     qPrintable(where + QString(": child exited with %1").arg(exitCode)));
            QVERIFY2(readAll(m_path) == m.beforeBytes, qPrintable(where));
            // The loader reads only the named file, whatever temporaries lie next to it.
            QCOMPARE(encodeModel(*loadModel(m_path)), m.beforeBytes);
            for (const std::string& name : leftovers(m_folder, "m.tlm")) {
                QVERIFY2(name.starts_with("m.tlm.tmp-" + std::to_string(pid) + "-"), name.c_str());
                fs::remove(m_folder / name); // keep the folder small for the next trial
                ++leftBehind;
            }
        }
        qInfo("%zu kills at random byte counts; %d left a temporary file behind", cuts.size(),
              leftBehind);
        // After all those crashes a normal save still replaces the file.
        saveModel(*m.after, m_path);
        QVERIFY(readAll(m_path) == m.afterBytes);
    }

    // The real saveModel in a loop, alternating the two models, killed by the parent after
    // a random delay: the file is always one complete model or the other.
    void killedDuringRealSavesLeavesOneCompleteModel() {
        const TwoModels& m = twoModels();
        saveModel(*m.before, m_path);
        // How long one save takes here, so delays land inside saves rather than after them.
        const auto start = std::chrono::steady_clock::now();
        saveModel(*m.after, m_path);
        saveModel(*m.before, m_path);
        const double saveMicros =
            std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                .count() /
            2;
        Random random(7002);
        int sawBefore = 0;
        int sawAfter = 0;
        int leftBehind = 0;
        std::set<pid_t> killed;
        // At least kTrials kills, and more (up to kMaxTrials) until kTrials / 5 of them have
        // landed inside a save: where a kill lands is timing, and on a machine busy with other
        // tests 4 of 25 once did, which says nothing about the files.
        constexpr int kTrials = 25;
        constexpr int kMaxTrials = 100;
        int trials = 0;
        for (int trial = 0; trial < kTrials ||
                            (trial < kMaxTrials &&
                             static_cast<int>(leftovers(m_folder, "m.tlm").size()) < kTrials / 5);
             ++trial) {
            trials = trial + 1;
            const pid_t pid = forkChild([&] {
                for (int i = 0;; ++i) {
                    saveModel(i % 2 == 0 ? *m.after : *m.before, m_path);
                }
            });
            QVERIFY(pid > 0);
            const auto delay = std::chrono::microseconds(
                static_cast<std::int64_t>(random.uniformDouble() * 6 * saveMicros));
            std::this_thread::sleep_for(delay);
            ::kill(pid, SIGKILL);
            int exitCode = 0;
            const int signal = waitForSignal(pid, exitCode);
            const QString where = QString("trial %1, killed after %2 us (one save takes %3 us)")
                                      .arg(trial)
                                      .arg(delay.count())
                                      .arg(saveMicros);
            QVERIFY2(signal == SIGKILL,
                     qPrintable(where + QString(": child exited with %1").arg(exitCode)));
            const std::string bytes = readAll(m_path);
            QVERIFY2(bytes == m.beforeBytes || bytes == m.afterBytes, qPrintable(where));
            (bytes == m.beforeBytes ? sawBefore : sawAfter) += 1;
            QCOMPARE(encodeModel(*loadModel(m_path)), bytes);
            killed.insert(pid);
            // Stale temporaries stay where they are: the next trials save and load next to
            // them, as a user's folder would hold them after a crash.
            for (const std::string& name : leftovers(m_folder, "m.tlm")) {
                const bool ofAKilledChild =
                    std::any_of(killed.begin(), killed.end(), [&name](pid_t p) {
                        return name.starts_with("m.tlm.tmp-" + std::to_string(p) + "-");
                    });
                QVERIFY2(ofAKilledChild, name.c_str());
            }
            // Put the first model back so every trial starts alike.
            saveModel(*m.before, m_path);
            QVERIFY(readAll(m_path) == m.beforeBytes);
        }
        leftBehind = static_cast<int>(leftovers(m_folder, "m.tlm").size());
        qInfo("after %d kills: %d x the previous model, %d x the new one; %d temporary files "
              "left behind (and ignored by every later save and load)",
              trials, sawBefore, sawAfter, leftBehind);
        // Most kills must land inside a save (the file is replaced only at its very end), or
        // this test would not be exercising what it claims to.
        QVERIFY2(leftBehind >= kTrials / 5,
                 qPrintable(QString("%1 kills mid-write in %2").arg(leftBehind).arg(trials)));
    }

    // A full disk at random byte counts: a clear error naming the file and the reason, the
    // previous file unchanged and no temporary left (the writer cleans up after itself).
    void diskFullAtRandomByteCountsKeepsThePreviousFile() {
        const TwoModels& m = twoModels();
        saveModel(*m.before, m_path);
        Random random(7003);
        for (int trial = 0; trial < 25; ++trial) {
            const auto limit = static_cast<std::size_t>(random.next() % m.afterBytes.size());
            try {
                const FaultInjection full(limit);
                saveModel(*m.after, m_path);
                QFAIL(qPrintable(QString("saved on a disk full after %1 bytes").arg(limit)));
            } catch (const FileWriteError& e) {
                const std::string what = e.what();
                QVERIFY2(what.find(m_path.string()) != std::string::npos, e.what());
                QVERIFY2(what.find("No space left on device") != std::string::npos, e.what());
                QVERIFY2(what.find("previous file") != std::string::npos, e.what());
            }
            QVERIFY(readAll(m_path) == m.beforeBytes);
            QVERIFY(leftovers(m_folder, "m.tlm").empty());
        }
        QCOMPARE(encodeModel(*loadModel(m_path)), m.beforeBytes);
    }

    void targetsThatCannotBeCreatedAreClearErrors_data() {
        QTest::addColumn<QString>("target");
        QTest::addColumn<QString>("reason");
        // "m.tlm" is replaced by the test's existing model file.
        QTest::newRow("path under a regular file") << "m.tlm/inner.tlm"
                                                   << "Not a directory";
        QTest::newRow("/proc") << "/proc/towerlab-crash-test.tlm"
                               << "";
        QTest::newRow("missing folder") << "no/such/folder/m.tlm"
                                        << "No such file or directory";
    }

    void targetsThatCannotBeCreatedAreClearErrors() {
        QFETCH(QString, target);
        QFETCH(QString, reason);
        const TwoModels& m = twoModels();
        saveModel(*m.before, m_path);
        const fs::path path = target.startsWith('/') ? fs::path(target.toStdString())
                                                     : m_folder / target.toStdString();
        try {
            saveModel(*m.after, path);
            QFAIL("saved to a path that cannot hold a file");
        } catch (const FileWriteError& e) {
            const std::string what = e.what();
            QVERIFY2(what.find(path.string()) != std::string::npos, e.what());
            QVERIFY2(what.find(reason.toStdString()) != std::string::npos, e.what());
            QCOMPARE(e.path(), path);
        }
        QVERIFY(readAll(m_path) == m.beforeBytes);
        QVERIFY(leftovers(m_folder, "m.tlm").empty());
        QVERIFY(!fs::exists(path));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    fs::path m_folder;
    fs::path m_path;
};

QTEST_APPLESS_MAIN(TestIoModelFileCrash)
#include "test_io_model_file_crash.moc"
