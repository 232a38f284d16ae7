// Every input the fuzzers once crashed on (tests/fuzz/regressions/<target>/<file>) replayed
// through the same entry point the fuzz target uses (tests/fuzz/fuzz_entry_points.cpp): each
// must now be accepted or refused with the reader's documented error. Under the asan preset
// this also proves the memory errors behind them stay fixed; in every build a replay must not
// make any single allocation above kAllocationLimit (the fuzzers' out-of-memory findings).

#include "fuzz_entry_points.hpp"

#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace towerlab;
namespace fs = std::filesystem;

// ---- allocation watch: the largest single heap request while armed ---------------------
//
// Every allocation counts, not only operator new: Eigen's matrices (the .npy and model
// readers size them from the file) come from malloc. Under AddressSanitizer the sanitizer's
// allocation hook reports them; otherwise this executable provides malloc, calloc and
// realloc itself and forwards them to glibc's implementations.

namespace {
std::atomic<bool> g_watchAllocations{false};
std::atomic<std::size_t> g_largestAllocation{0};

void noteAllocation(std::size_t size) {
    if (g_watchAllocations.load(std::memory_order_relaxed)) {
        std::size_t seen = g_largestAllocation.load(std::memory_order_relaxed);
        while (size > seen && !g_largestAllocation.compare_exchange_weak(seen, size)) {
        }
    }
}
} // namespace

#if defined(__SANITIZE_ADDRESS__)
#define TOWERLAB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TOWERLAB_ASAN 1
#endif
#endif

#ifdef TOWERLAB_ASAN
#if __has_include(<sanitizer/allocator_interface.h>)
#include <sanitizer/allocator_interface.h>
#else
// GCC 12 ships the hook in libasan but not this header of compiler-rt's; the declaration is
// compiler-rt's own.
extern "C" int __sanitizer_install_malloc_and_free_hooks(
    void (*mallocHook)(const volatile void*, std::size_t), void (*freeHook)(const volatile void*));
#endif
namespace {
void sanitizerMallocHook(const volatile void*, std::size_t size) {
    noteAllocation(size);
}
void sanitizerFreeHook(const volatile void*) {}
void installAllocationWatch() {
    __sanitizer_install_malloc_and_free_hooks(&sanitizerMallocHook, &sanitizerFreeHook);
}
} // namespace
#else
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* p, std::size_t size);

void* malloc(std::size_t size) noexcept {
    noteAllocation(size);
    return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size) noexcept {
    noteAllocation(count != 0 && size > SIZE_MAX / count ? SIZE_MAX : count * size);
    return __libc_calloc(count, size);
}
void* realloc(void* p, std::size_t size) noexcept {
    noteAllocation(size);
    return __libc_realloc(p, size);
}
}
namespace {
void installAllocationWatch() {}
} // namespace
#endif

namespace {

// Far above what any saved input legitimately needs (they are a few KB), far below what a
// forged size field asks for.
constexpr std::size_t kAllocationLimit = std::size_t{256} << 20;

struct AllocationWatch {
    AllocationWatch() {
        g_largestAllocation = 0;
        g_watchAllocations = true;
    }
    ~AllocationWatch() { g_watchAllocations = false; }
    AllocationWatch(const AllocationWatch&) = delete;
    AllocationWatch& operator=(const AllocationWatch&) = delete;
    std::size_t largest() const { return g_largestAllocation.load(); }
};

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        installAllocationWatch();
        // The watch must see a large allocation, or the limit below would prove nothing.
        {
            const AllocationWatch watch;
            const std::size_t size = std::size_t{300} << 20;
            void* volatile big = std::malloc(size); // volatile: the call may not be elided
            std::free(big);
            QVERIFY(watch.largest() >= size);
        }
    }

    void everyFolderNamesATarget() {
        // A misspelt folder would silently replay nothing.
        const fs::path root(TOWERLAB_FUZZ_REGRESSIONS);
        QVERIFY2(fs::is_directory(root), TOWERLAB_FUZZ_REGRESSIONS);
        for (const auto& entry : fs::directory_iterator(root)) {
            if (!entry.is_directory()) {
                continue;
            }
            const std::string name = entry.path().filename().string();
            const auto& targets = fuzz::allTargets();
            const bool known = std::any_of(targets.begin(), targets.end(),
                                           [&name](const auto& t) { return t.name == name; });
            QVERIFY2(known, qPrintable(QString::fromStdString("unknown target folder " + name)));
        }
    }

    void replay_data() {
        QTest::addColumn<int>("target");
        QTest::addColumn<QString>("path");
        const fs::path root(TOWERLAB_FUZZ_REGRESSIONS);
        int rows = 0;
        for (const auto& info : fuzz::allTargets()) {
            const fs::path folder = root / info.name;
            if (!fs::is_directory(folder)) {
                continue;
            }
            std::vector<fs::path> files;
            for (const auto& entry : fs::directory_iterator(folder)) {
                if (entry.is_regular_file() && entry.path().filename() != "README.md") {
                    files.push_back(entry.path());
                }
            }
            std::sort(files.begin(), files.end());
            for (const fs::path& file : files) {
                const std::string tag = info.name + "/" + file.filename().string();
                QTest::newRow(tag.c_str())
                    << static_cast<int>(info.target) << QString::fromStdString(file.string());
                ++rows;
            }
        }
        if (rows == 0) {
            QTest::newRow("no saved inputs") << -1 << QString();
        }
    }

    void replay() {
        QFETCH(int, target);
        QFETCH(QString, path);
        if (target < 0) {
            QSKIP("tests/fuzz/regressions holds no saved inputs");
        }
        const std::string bytes = readAll(path.toStdString());
        const std::string fixtures = TOWERLAB_FIXTURES;
        std::size_t largest = 0;
        try {
            const AllocationWatch watch;
            fuzz::runInput(static_cast<fuzz::Target>(target), bytes, fixtures);
            largest = watch.largest();
        } catch (const std::exception& e) {
            QFAIL(qPrintable(QString("%1: unexpected %2").arg(path, e.what())));
        }
        QVERIFY2(largest <= kAllocationLimit,
                 qPrintable(QString("%1: one allocation of %2 bytes").arg(path).arg(largest)));
    }
};

QTEST_APPLESS_MAIN(TestFuzzRegressions)
#include "test_fuzz_regressions.moc"
