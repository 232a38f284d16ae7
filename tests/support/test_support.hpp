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

} // namespace towerlab::test

#define TOWERLAB_REQUIRE_ML100K(var)                                                               \
    const std::filesystem::path var = towerlab::test::ml100kFolder();                             \
    if (var.empty()) {                                                                             \
        QSKIP("MovieLens 100K not found: set TOWERLAB_ML100K or place it at "                      \
              "../shared/datasets/ml-100k (it is not redistributable, so it is not in the repo)"); \
    }
