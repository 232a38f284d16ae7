#include "data/text_parsing.hpp"

#include <algorithm>
#include <cstring>

namespace towerlab {

LineReader::LineReader(std::string_view text)
    : m_data(text.data()), m_size(text.size()), m_streamEnded(true) {}

LineReader::LineReader(ByteStream& stream, std::size_t chunkBytes)
    : m_stream(&stream), m_chunk(std::max<std::size_t>(chunkBytes, 1)), m_data(nullptr), m_size(0),
      m_streamEnded(false) {}

bool LineReader::fill(std::size_t& index) {
    if (m_streamEnded) {
        return false;
    }
    // Drop what was consumed, then read one chunk behind what is kept (the current line and
    // the line ends after it); the buffer grows only for a line longer than a chunk.
    const std::size_t keep = m_size - m_pos;
    if (m_pos > 0) {
        m_storage.erase(0, m_pos);
        m_consumed += m_pos;
        index -= m_pos;
        m_pos = 0;
    }
    const std::size_t want = std::max(m_chunk, keep);
    m_storage.resize(keep + want);
    const std::size_t got = m_stream->read(m_storage.data() + keep, want);
    m_storage.resize(keep + got);
    m_data = m_storage.data();
    m_size = m_storage.size();
    if (got == 0) {
        m_streamEnded = true;
        return false;
    }
    return true;
}

std::size_t LineReader::contentAt(std::size_t from) {
    while (true) {
        for (; from < m_size; ++from) {
            if (m_data[from] != '\n' && m_data[from] != '\r') {
                return from;
            }
        }
        if (!fill(from)) {
            return std::string_view::npos;
        }
    }
}

bool LineReader::empty() {
    return contentAt(m_pos) == std::string_view::npos;
}

bool LineReader::next(std::string_view& line) {
    // A line is reported when some byte other than a line end comes at or after its start.
    if (contentAt(m_pos) == std::string_view::npos) {
        m_pos = m_size;
        return false;
    }
    std::size_t stop = m_pos;
    while (true) {
        const void* found = std::memchr(m_data + stop, '\n', m_size - stop);
        if (found != nullptr) {
            stop = static_cast<std::size_t>(static_cast<const char*>(found) - m_data);
            break;
        }
        stop = m_size;
        if (!fill(stop)) {
            break; // the last line has no line end
        }
    }
    // The line is [m_pos, m_pos + length): fill() keeps it (moving m_pos) while looking on.
    std::size_t length = stop - m_pos;
    bool last = stop == m_size;
    if (!last) {
        std::size_t after = stop + 1;
        last = contentAt(after) == std::string_view::npos;
    }
    if (last) {
        // Every line end after the file's last other byte goes ("...\r\r\n" too).
        while (length > 0 && m_data[m_pos + length - 1] == '\r') {
            --length;
        }
        line = std::string_view(m_data + m_pos, length);
        m_pos = m_size;
    } else {
        line = std::string_view(
            m_data + m_pos, length > 0 && m_data[m_pos + length - 1] == '\r' ? length - 1 : length);
        m_pos += length + 1;
    }
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
