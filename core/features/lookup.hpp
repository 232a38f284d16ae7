#pragma once
// Keras IntegerLookup / StringLookup semantics: vocabulary = sorted unique values; index 0
// is the single out-of-vocabulary bucket and vocabulary entries map to 1..n, so an
// embedding over a lookup has n + 1 rows.

#include "features/feature_error.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace towerlab {

class IntegerLookup {
public:
    IntegerLookup() = default;
    // The vocabulary must be sorted and unique; throws FeatureError otherwise.
    explicit IntegerLookup(std::vector<std::int64_t> vocabulary);
    // Vocabulary = sorted unique values (np.unique).
    static IntegerLookup fit(std::span<const std::int64_t> values);

    // 1..n for vocabulary entries, 0 = OOV. Binary search, no allocation, thread-safe.
    std::int32_t index(std::int64_t value) const;
    std::size_t tableRows() const { return m_vocabulary.size() + 1; }
    const std::vector<std::int64_t>& vocabulary() const { return m_vocabulary; }

private:
    std::vector<std::int64_t> m_vocabulary;
};

class StringLookup {
public:
    StringLookup() = default;
    // The vocabulary must be sorted by unsigned bytes and unique; throws
    // FeatureError otherwise.
    explicit StringLookup(std::vector<std::string> vocabulary);
    // Vocabulary = sorted unique values by bytes (np.unique on UTF-8); strings are exact keys,
    // trailing spaces included.
    static StringLookup fit(std::span<const std::string> values);

    // 1..n for vocabulary entries, 0 = OOV. Binary search, no allocation, thread-safe.
    std::int32_t index(std::string_view value) const;
    std::size_t tableRows() const { return m_vocabulary.size() + 1; }
    const std::vector<std::string>& vocabulary() const { return m_vocabulary; }

private:
    std::vector<std::string> m_vocabulary;
};

} // namespace towerlab
