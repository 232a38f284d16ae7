#include "title_suggestions.hpp"

#include "retrieval/retrieval.hpp"

#include <algorithm>
#include <sstream>

namespace towerlab::cli {

namespace {

constexpr std::size_t kShortestPrefix = 4; // shorter prefixes match too much to help

std::string trimmed(const std::string& text) {
    const auto b = text.find_first_not_of(" \t");
    if (b == std::string::npos) {
        return {};
    }
    return text.substr(b, text.find_last_not_of(" \t") - b + 1);
}

// "Red Rock West (1992)" -> "Red Rock West"
std::string withoutYear(const std::string& title) {
    std::string t = trimmed(title);
    const auto open = t.rfind('(');
    if (open != std::string::npos && !t.empty() && t.back() == ')') {
        t = trimmed(t.substr(0, open));
    }
    return t;
}

std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    std::string word;
    while (in >> word) {
        while (!word.empty() && std::ispunct(static_cast<unsigned char>(word.back())) != 0) {
            word.pop_back();
        }
        if (!word.empty()) {
            out.push_back(word);
        }
    }
    return out;
}

} // namespace

std::vector<std::int32_t> suggestTitles(const TrainedModel& model, const std::string& title,
                                        std::size_t limit) {
    std::vector<std::int32_t> found;
    auto tryText = [&](const std::string& text) {
        if (text.empty() || found.size() >= limit) {
            return;
        }
        for (const std::int32_t m : searchTitles(model, text, limit)) {
            if (found.size() < limit && std::find(found.begin(), found.end(), m) == found.end()) {
                found.push_back(m);
            }
        }
    };

    const std::string base = withoutYear(title);
    tryText(base);
    const std::vector<std::string> parts = words(base);
    for (std::size_t n = parts.size(); n-- > 1;) {
        std::string prefix;
        for (std::size_t i = 0; i < n; ++i) {
            prefix += i == 0 ? "" : " ";
            prefix += parts[i];
        }
        if (prefix.size() >= kShortestPrefix) {
            tryText(prefix);
        }
    }
    for (std::size_t length = base.size(); length-- > kShortestPrefix;) {
        tryText(base.substr(0, length));
    }
    std::vector<std::string> longWords;
    for (const auto& w : parts) {
        if (w.size() >= kShortestPrefix) {
            longWords.push_back(w);
        }
    }
    std::stable_sort(
        longWords.begin(), longWords.end(),
        [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    for (const auto& w : longWords) {
        tryText(w);
    }
    return found;
}

} // namespace towerlab::cli
