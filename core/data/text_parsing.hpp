#pragma once
// Building blocks for readers of delimited text files: line iteration, field splitting and
// number parsing over string_views, so a reader's hot loop allocates nothing per field.

#include <charconv>
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace towerlab {

// Walks the lines of a whole file. Accepts "\n" and "\r\n" ends and a last line without a
// newline; empty lines at the very end are not reported (an empty line elsewhere is).
class LineReader {
public:
    explicit LineReader(std::string_view text);

    // True when the file has no line that would be reported (empty, or only line ends).
    bool empty() const { return m_end == 0; }
    // Stores the next line (without its line end) and returns true; false at the end.
    bool next(std::string_view& line);
    // 1-based number of the line last returned by next().
    std::size_t lineNumber() const { return m_lineNumber; }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    std::size_t m_end = 0;
    std::size_t m_lineNumber = 0;
};

// Splits `line` at every `separator` into `fields`, reusing its capacity.
void splitFields(std::string_view line, char separator, std::vector<std::string_view>& fields);

// Parses the whole of `text` as a base-10 integer (optional leading '-', nothing else).
// Returns std::errc() on success, std::errc::result_out_of_range when the digits do not fit
// and std::errc::invalid_argument for anything else.
template <typename Int> std::errc parseInteger(std::string_view text, Int& out) {
    const char* last = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), last, out);
    if (text.empty() || ptr != last) {
        return std::errc::invalid_argument;
    }
    return ec;
}

// ISO-8859-1 bytes -> UTF-8 (every byte >= 0x80 becomes two bytes).
std::string latin1ToUtf8(std::string_view latin1);

// `"value"` for an error message: at most 60 bytes, control bytes shown as '?', other bytes
// read as ISO-8859-1, so the message is always valid UTF-8 whatever the input held.
std::string quoteForMessage(std::string_view value);

} // namespace towerlab
