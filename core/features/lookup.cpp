#include "features/lookup.hpp"

#include "features/feature_error.hpp"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

namespace towerlab {

namespace {

// The vocabulary size must leave room for the OOV index in an int32 index space.
void checkSize(std::size_t size, const char* layer) {
    if (size >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        throw FeatureError(layer, "vocabulary of " + std::to_string(size) +
                                      " entries exceeds int32 indices");
    }
}

std::string describe(std::int64_t value) {
    return std::to_string(value);
}
std::string describe(const std::string& value) {
    return "\"" + value + "\"";
}

// Sorted and unique is what makes index() a binary search and matches np.unique, so a
// vocabulary read back from a model file that breaks it is corrupt, not merely unusual.
template <typename T> void checkSortedUnique(const std::vector<T>& vocabulary, const char* layer) {
    checkSize(vocabulary.size(), layer);
    for (std::size_t i = 1; i < vocabulary.size(); ++i) {
        if (!(vocabulary[i - 1] < vocabulary[i])) {
            const char* problem = vocabulary[i - 1] == vocabulary[i] ? "duplicate" : "unsorted";
            throw FeatureError(layer, std::string("vocabulary ") + problem + " at entry " +
                                          std::to_string(i) + " (" + describe(vocabulary[i - 1]) +
                                          " then " + describe(vocabulary[i]) + ")");
        }
    }
}

template <typename T> std::vector<T> sortedUnique(std::span<const T> values) {
    std::vector<T> vocabulary(values.begin(), values.end());
    std::sort(vocabulary.begin(), vocabulary.end());
    vocabulary.erase(std::unique(vocabulary.begin(), vocabulary.end()), vocabulary.end());
    return vocabulary;
}

} // namespace

IntegerLookup::IntegerLookup(std::vector<std::int64_t> vocabulary)
    : m_vocabulary(std::move(vocabulary)) {
    checkSortedUnique(m_vocabulary, "IntegerLookup");
}

IntegerLookup IntegerLookup::fit(std::span<const std::int64_t> values) {
    return IntegerLookup(sortedUnique(values));
}

std::int32_t IntegerLookup::index(std::int64_t value) const {
    const auto it = std::lower_bound(m_vocabulary.begin(), m_vocabulary.end(), value);
    if (it == m_vocabulary.end() || *it != value) {
        return 0;
    }
    return static_cast<std::int32_t>(it - m_vocabulary.begin()) + 1;
}

StringLookup::StringLookup(std::vector<std::string> vocabulary)
    : m_vocabulary(std::move(vocabulary)) {
    checkSortedUnique(m_vocabulary, "StringLookup");
}

StringLookup StringLookup::fit(std::span<const std::string> values) {
    return StringLookup(sortedUnique(values));
}

std::int32_t StringLookup::index(std::string_view value) const {
    // std::string orders by char_traits<char>::compare, i.e. unsigned bytes, like np.unique
    // on UTF-8 bytes; comparing as string_view keeps the search free of allocations.
    const auto it = std::lower_bound(
        m_vocabulary.begin(), m_vocabulary.end(), value,
        [](const std::string& entry, std::string_view v) { return std::string_view(entry) < v; });
    if (it == m_vocabulary.end() || std::string_view(*it) != value) {
        return 0;
    }
    return static_cast<std::int32_t>(it - m_vocabulary.begin()) + 1;
}

} // namespace towerlab
