#pragma once
// Shared helpers for the QtTest suites: where fixtures and the real MovieLens data live, and
// which checks are timing checks.

#include <QtTest>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace towerlab::test {

inline std::filesystem::path fixture(const std::string& relative) {
    return std::filesystem::path(TOWERLAB_FIXTURES) / relative;
}

// The real MovieLens 100K folder, from $TOWERLAB_ML100K or ../shared/datasets/ml-100k;
// empty when neither holds u.data (tests then QSKIP with a message saying where they looked).
inline std::filesystem::path ml100kFolder() {
    if (const char* env = std::getenv("TOWERLAB_ML100K"); env != nullptr && *env != '\0') {
        if (std::filesystem::exists(std::filesystem::path(env) / "u.data")) {
            return env;
        }
        return {};
    }
    std::filesystem::path def(TOWERLAB_DEFAULT_ML100K);
    return std::filesystem::exists(def / "u.data") ? def : std::filesystem::path{};
}

// Epochs of the real-data training tests: the tutorial's 50 unless $TOWERLAB_REALDATA_EPOCHS
// (1..50) asks for fewer, as the asan test preset (CMakePresets.json) does; those tests then
// check looser accuracy thresholds that such a short run still has to meet.
inline int realDataEpochs() {
    constexpr int kTutorialEpochs = 50;
    const QByteArray env = qgetenv("TOWERLAB_REALDATA_EPOCHS");
    if (env.isEmpty()) {
        return kTutorialEpochs;
    }
    bool ok = false;
    const int epochs = env.toInt(&ok);
    if (!ok || epochs < 1 || epochs > kTutorialEpochs) {
        qFatal("TOWERLAB_REALDATA_EPOCHS must be a whole number from 1 to 50, got \"%s\"",
               env.constData());
    }
    return epochs;
}

// The exit code ctest reports as "Skipped" (SKIP_RETURN_CODE of the realdata tests).
inline constexpr int kSkipExitCode = 77;

// For a test whose every case needs the real data: without it, says where it looked and
// returns kSkipExitCode for main to exit with; 0 when the data is there.
inline int skipCodeWithoutMl100k() {
    if (!ml100kFolder().empty()) {
        return 0;
    }
    std::fprintf(stderr,
                 "SKIPPED: MovieLens 100K not found: set TOWERLAB_ML100K=/path/to/ml-100k or place "
                 "it at ../shared/datasets/ml-100k (it is not redistributable, so it is not in the "
                 "repo)\n");
    return kSkipExitCode;
}

// Timing and memory bounds ("stops within a second", "the event loop never stalls > 50 ms",
// "resident memory stays flat") hold only on a quiet machine and an uninstrumented build, so
// ctest runs them apart, under the label `timing` (`ctest -LE timing` leaves them out, `ctest
// -L timing` runs only them). A test function holding such a bound marks it with
// TOWERLAB_TIMING_ONLY() or TOWERLAB_TIMING_CHECK(...) (or TOWERLAB_CHECK_RESPONSIVE of
// tests/ui/event_loop_probe.hpp); tests/CMakeLists.txt finds those functions by the macros and
// registers <test>_timing, which runs only them, while <test> runs everything with
// TOWERLAB_SKIP_TIMING_CHECKS=1, so the bounds are left out there and nothing else is. Run by
// hand, a test executable checks everything. Use the macros only in test functions (slots).
inline bool timingChecksOn() {
    return qEnvironmentVariableIsEmpty("TOWERLAB_SKIP_TIMING_CHECKS");
}

// The timeout of a wait that is itself a timing bound: `ms` where timing checks are on, a
// generous 30 s where they are off (there the wait only has to end).
inline int timingBoundMs(int ms) {
    return timingChecksOn() ? ms : 30000;
}

} // namespace towerlab::test

// A test function that measures time or memory and checks nothing else: skipped where timing
// checks are off.
#define TOWERLAB_TIMING_ONLY()                                                                     \
    do {                                                                                           \
        if (!towerlab::test::timingChecksOn()) {                                                   \
            QSKIP("a timing check: run by this test's _timing ctest entry (label timing)");        \
        }                                                                                          \
    } while (false)

// One timing or memory assertion inside a test function that also checks behaviour: left out
// where timing checks are off, while the rest of the function still runs and checks.
#define TOWERLAB_TIMING_CHECK(...)                                                                 \
    do {                                                                                           \
        if (towerlab::test::timingChecksOn()) {                                                    \
            __VA_ARGS__;                                                                           \
        }                                                                                          \
    } while (false)

// The QTEST_MAIN / QTEST_APPLESS_MAIN of a *_realdata test: the whole test is skipped (and ctest
// says so) when the real MovieLens 100K is absent, instead of passing with every case skipped.
#define TOWERLAB_REALDATA_MAIN(TestObject)                                                         \
    QTEST_MAIN_WRAPPER(                                                                            \
        TestObject, if (const int skip = towerlab::test::skipCodeWithoutMl100k()) {                \
            return skip;                                                                           \
        } QTEST_MAIN_SETUP())
#define TOWERLAB_REALDATA_APPLESS_MAIN(TestObject)                                                 \
    QTEST_MAIN_WRAPPER(                                                                            \
        TestObject,                                                                                \
        if (const int skip = towerlab::test::skipCodeWithoutMl100k()) { return skip; })

#define TOWERLAB_REQUIRE_ML100K(var)                                                               \
    const std::filesystem::path var = towerlab::test::ml100kFolder();                              \
    if (var.empty()) {                                                                             \
        QSKIP("MovieLens 100K not found: set TOWERLAB_ML100K or place it at "                      \
              "../shared/datasets/ml-100k (it is not redistributable, so it is not in the repo)"); \
    }
