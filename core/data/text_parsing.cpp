#include "data/text_parsing.hpp"

namespace towerlab {

LineReader::LineReader(std::string_view text) : m_text(text), m_end(text.size()) {
    while (m_end > 0 && (m_text[m_end - 1] == '\n' || m_text[m_end - 1] == '\r')) {
        --m_end;
    }
}

bool LineReader::next(std::string_view& line) {
    if (m_pos >= m_end) {
        return false;
    }
    std::size_t stop = m_text.find('\n', m_pos);
    if (stop == std::string_view::npos || stop > m_end) {
        stop = m_end;
    }
    std::size_t length = stop - m_pos;
    if (length > 0 && m_text[m_pos + length - 1] == '\r') {
        --length;
    }
    line = m_text.substr(m_pos, length);
    m_pos = stop + 1;
    ++m_lineNumber;
    return true;
}

void splitFields(std::string_view line, char separator, std::vector<std::string_view>& fields) {
    fields.clear();
    std::size_t start = 0;
    while (true) {
        const std::size_t stop = line.find(separator, start);
        if (stop == std::string_view::npos) {
            fields.push_back(line.substr(start));
            return;
        }
        fields.push_back(line.substr(start, stop - start));
        start = stop + 1;
    }
}

std::string latin1ToUtf8(std::string_view latin1) {
    std::string out;
    out.reserve(latin1.size() + latin1.size() / 8);
    for (const char c : latin1) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x80) {
            out.push_back(c);
        } else {
            out.push_back(static_cast<char>(0xC0 | (byte >> 6)));
            out.push_back(static_cast<char>(0x80 | (byte & 0x3F)));
        }
    }
    return out;
}

std::string quoteForMessage(std::string_view value) {
    constexpr std::size_t limit = 60;
    const bool cut = value.size() > limit;
    std::string shown(value.substr(0, limit));
    for (char& c : shown) {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
            c = '?';
        }
    }
    return '"' + latin1ToUtf8(shown) + (cut ? "...\"" : "\"");
}

} // namespace towerlab
