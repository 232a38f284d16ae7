#pragma once
// Keras TextVectorization with its defaults ("lower_and_strip_punctuation", whitespace
// split) over UTF-8 bytes: lower-cases ASCII letters only, removes ASCII punctuation
// !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~ and splits on ASCII whitespace.

#include "features/feature_error.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace towerlab {

class TitleTokenizer {
public:
    static constexpr std::int32_t kPadding = 0;
    static constexpr std::int32_t kUnknown = 1;

    TitleTokenizer() = default;
    // vocabulary[0] must be "" (padding) and vocabulary[1] "[UNK]"; the other entries must be
    // distinct, non-empty standardized tokens (as split() yields them). Throws
    // FeatureError otherwise.
    explicit TitleTokenizer(std::vector<std::string> vocabulary);

    // Vocabulary from the texts: "", "[UNK]", then tokens by descending count, ties by
    // descending token bytes (Keras IndexLookup), at most maxTokens entries in all.
    // Throws FeatureError for maxTokens < 2.
    static TitleTokenizer fit(std::span<const std::string> texts, std::size_t maxTokens = 10000);

    // The standardized tokens of the text, in order (no vocabulary involved).
    static std::vector<std::string> split(std::string_view text);
    // Token ids of the text, OOV tokens as kUnknown; empty for a text with no tokens.
    // Allocates only the result. Thread-safe.
    std::vector<std::int32_t> encode(std::string_view text) const;
    // Appends the text's token ids to out (no allocation beyond out's growth); returns how
    // many were appended.
    std::size_t encodeInto(std::string_view text, std::vector<std::int32_t>& out) const;

    std::size_t vocabularySize() const { return m_vocabulary.size(); }
    const std::vector<std::string>& vocabulary() const { return m_vocabulary; }

private:
    std::vector<std::string> m_vocabulary;
    std::vector<std::size_t> m_sortedOrder; // vocabulary indices sorted by token, for lookup
};

} // namespace towerlab
