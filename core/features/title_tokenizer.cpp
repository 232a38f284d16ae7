#include "features/title_tokenizer.hpp"

#include "features/feature_error.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>
#include <utility>

namespace towerlab {

namespace {

constexpr std::string_view kUnknownToken = "[UNK]";

// absl::ascii_isspace, what tf.strings.split splits on by default.
constexpr bool isSpace(unsigned char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

// Python's string.punctuation, the characters Keras' default strip regex removes.
constexpr bool isPunctuation(unsigned char c) {
    return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
           (c >= '{' && c <= '~');
}

// tf.strings.lower with its default (ASCII) encoding: bytes >= 0x80 are left alone, so
// UTF-8 sequences such as "Á" keep their case.
constexpr unsigned char lowerAscii(unsigned char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<unsigned char>(c - 'A' + 'a') : c;
}

// Standardization only deletes or rewrites non-space bytes, so splitting the raw text on
// whitespace first and standardizing each piece gives the same tokens as Keras' order,
// provided pieces that standardize to nothing (all punctuation) are dropped, as Keras drops
// the empty pieces. Calls f(piece) with each raw piece that yields a token.
template <typename F> void forEachPiece(std::string_view text, F&& f) {
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && isSpace(static_cast<unsigned char>(text[i]))) {
            ++i;
        }
        const std::size_t begin = i;
        bool hasTokenByte = false;
        while (i < text.size() && !isSpace(static_cast<unsigned char>(text[i]))) {
            hasTokenByte = hasTokenByte || !isPunctuation(static_cast<unsigned char>(text[i]));
            ++i;
        }
        if (hasTokenByte) {
            f(text.substr(begin, i - begin));
        }
    }
}

std::string standardize(std::string_view piece) {
    std::string token;
    token.reserve(piece.size());
    for (const char ch : piece) {
        const auto c = static_cast<unsigned char>(ch);
        if (!isPunctuation(c)) {
            token.push_back(static_cast<char>(lowerAscii(c)));
        }
    }
    return token;
}

// Three-way unsigned-byte comparison of standardize(piece) with a vocabulary token, without
// building the standardized string.
int compareStandardized(std::string_view piece, std::string_view token) {
    std::size_t j = 0;
    for (const char ch : piece) {
        auto c = static_cast<unsigned char>(ch);
        if (isPunctuation(c)) {
            continue;
        }
        c = lowerAscii(c);
        if (j == token.size()) {
            return 1;
        }
        const auto t = static_cast<unsigned char>(token[j++]);
        if (c != t) {
            return c < t ? -1 : 1;
        }
    }
    return j == token.size() ? 0 : -1;
}

// A learned token must be something split() can produce, or it could never be looked up.
void checkToken(const std::string& token, std::size_t index) {
    if (token.empty()) {
        throw FeatureError("TitleTokenizer", "vocabulary entry " + std::to_string(index) +
                                                 " is empty (only entry 0, padding, may be)");
    }
    for (const char ch : token) {
        const auto c = static_cast<unsigned char>(ch);
        if (isSpace(c) || isPunctuation(c) || lowerAscii(c) != c) {
            throw FeatureError("TitleTokenizer", "vocabulary entry " + std::to_string(index) +
                                                     " \"" + token +
                                                     "\" is not a standardized token");
        }
    }
}

} // namespace

TitleTokenizer::TitleTokenizer(std::vector<std::string> vocabulary)
    : m_vocabulary(std::move(vocabulary)) {
    if (m_vocabulary.size() < 2 || !m_vocabulary[0].empty() || m_vocabulary[1] != kUnknownToken) {
        throw FeatureError("TitleTokenizer",
                           "vocabulary must start with \"\" (padding) and \"[UNK]\"");
    }
    if (m_vocabulary.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
        throw FeatureError("TitleTokenizer", "vocabulary of " +
                                                 std::to_string(m_vocabulary.size()) +
                                                 " entries exceeds int32 ids");
    }
    m_sortedOrder.reserve(m_vocabulary.size() - 2);
    for (std::size_t i = 2; i < m_vocabulary.size(); ++i) {
        checkToken(m_vocabulary[i], i);
        m_sortedOrder.push_back(i);
    }
    std::sort(m_sortedOrder.begin(), m_sortedOrder.end(),
              [this](std::size_t a, std::size_t b) { return m_vocabulary[a] < m_vocabulary[b]; });
    for (std::size_t k = 1; k < m_sortedOrder.size(); ++k) {
        if (m_vocabulary[m_sortedOrder[k - 1]] == m_vocabulary[m_sortedOrder[k]]) {
            throw FeatureError("TitleTokenizer", "vocabulary entry \"" +
                                                     m_vocabulary[m_sortedOrder[k]] +
                                                     "\" occurs twice");
        }
    }
}

TitleTokenizer TitleTokenizer::fit(std::span<const std::string> texts, std::size_t maxTokens) {
    if (maxTokens < 2) {
        throw FeatureError("TitleTokenizer", "maxTokens must be at least 2 (padding and "
                                             "[UNK]), got " +
                                                 std::to_string(maxTokens));
    }
    std::unordered_map<std::string, std::size_t> counts;
    for (const std::string& text : texts) {
        forEachPiece(text, [&counts](std::string_view piece) { ++counts[standardize(piece)]; });
    }
    std::vector<std::pair<std::string, std::size_t>> ranked(counts.begin(), counts.end());
    // np.lexsort((tokens, counts))[::-1]: count descending, then token bytes descending.
    // Tokens are unique, so this is a total order and the result does not depend on the
    // hash map's iteration order.
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
        if (a.second != b.second) {
            return a.second > b.second;
        }
        return a.first > b.first;
    });
    const std::size_t learned = std::min(ranked.size(), maxTokens - 2);
    std::vector<std::string> vocabulary;
    vocabulary.reserve(learned + 2);
    vocabulary.emplace_back();
    vocabulary.emplace_back(kUnknownToken);
    for (std::size_t i = 0; i < learned; ++i) {
        vocabulary.push_back(std::move(ranked[i].first));
    }
    return TitleTokenizer(std::move(vocabulary));
}

std::vector<std::string> TitleTokenizer::split(std::string_view text) {
    std::vector<std::string> tokens;
    forEachPiece(text, [&tokens](std::string_view piece) { tokens.push_back(standardize(piece)); });
    return tokens;
}

std::vector<std::int32_t> TitleTokenizer::encode(std::string_view text) const {
    std::size_t count = 0;
    forEachPiece(text, [&count](std::string_view) { ++count; });
    std::vector<std::int32_t> ids;
    ids.reserve(count);
    encodeInto(text, ids);
    return ids;
}

std::size_t TitleTokenizer::encodeInto(std::string_view text,
                                       std::vector<std::int32_t>& out) const {
    const std::size_t before = out.size();
    forEachPiece(text, [this, &out](std::string_view piece) {
        const auto it = std::lower_bound(m_sortedOrder.begin(), m_sortedOrder.end(), piece,
                                         [this](std::size_t index, std::string_view p) {
                                             return compareStandardized(p, m_vocabulary[index]) > 0;
                                         });
        const bool found =
            it != m_sortedOrder.end() && compareStandardized(piece, m_vocabulary[*it]) == 0;
        out.push_back(found ? static_cast<std::int32_t>(*it) : kUnknown);
    });
    return out.size() - before;
}

} // namespace towerlab
