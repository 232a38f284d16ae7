#pragma once
// Shared helpers for the QtTest suites: where fixtures and the real MovieLens data live.

#include <QtTest>

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

} // namespace towerlab::test

#define TOWERLAB_REQUIRE_ML100K(var)                                                               \
    const std::filesystem::path var = towerlab::test::ml100kFolder();                              \
    if (var.empty()) {                                                                             \
        QSKIP("MovieLens 100K not found: set TOWERLAB_ML100K or place it at "                      \
              "../shared/datasets/ml-100k (it is not redistributable, so it is not in the repo)"); \
    }
