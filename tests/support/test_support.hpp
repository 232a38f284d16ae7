#pragma once
// Shared helpers for the QtTest suites: where fixtures and the real MovieLens data live.

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

} // namespace towerlab::test

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
