#pragma once
// Keras IntegerLookup / StringLookup semantics: vocabulary = sorted unique values; index 0
// is the single out-of-vocabulary bucket and vocabulary entries map to 1..n, so an
// embedding over a lookup has n + 1 rows.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace towerlab {

class IntegerLookup {
public:
    IntegerLookup() = default;
    explicit IntegerLookup(std::vector<std::int64_t> vocabulary); // must be sorted, unique
    static IntegerLookup fit(std::span<const std::int64_t> values);

    std::int32_t index(std::int64_t value) const; // 0 = OOV
    std::size_t tableRows() const { return m_vocabulary.size() + 1; }
    const std::vector<std::int64_t>& vocabulary() const { return m_vocabulary; }

private:
    std::vector<std::int64_t> m_vocabulary;
};

class StringLookup {
public:
    StringLookup() = default;
    explicit StringLookup(std::vector<std::string> vocabulary); // must be sorted (bytes), unique
    static StringLookup fit(std::span<const std::string> values);

    std::int32_t index(std::string_view value) const; // 0 = OOV
    std::size_t tableRows() const { return m_vocabulary.size() + 1; }
    const std::vector<std::string>& vocabulary() const { return m_vocabulary; }

private:
    std::vector<std::string> m_vocabulary;
};

} // namespace towerlab
