#pragma once
// Building blocks for readers of delimited text files: line iteration, field splitting and
// number parsing over string_views, so a reader's hot loop allocates nothing per field.

#include "data/byte_stream.hpp"

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace towerlab {

// Walks the lines of a file, either held whole in memory or read from a ByteStream in chunks
// (then only the current line and one chunk are held). Accepts "\n" and "\r\n" ends and a
// last line without a newline; empty lines at the very end are not reported (an empty line
// elsewhere is). Both modes report the same lines for the same bytes, however the chunks fall.
class LineReader {
public:
    explicit LineReader(std::string_view text);
    // Reads `stream` in chunks of about `chunkBytes` (a line longer than that grows the buffer).
    explicit LineReader(ByteStream& stream, std::size_t chunkBytes = std::size_t{1} << 20);

    // True when the file has no line that would be reported (empty, or only line ends).
    // Reads ahead in stream mode, so call it before next(), not after.
    bool empty();
    // Stores the next line (without its line end) and returns true; false at the end. The
    // view is valid until the next call.
    bool next(std::string_view& line);
    // 1-based number of the line last returned by next().
    std::size_t lineNumber() const { return m_lineNumber; }
    // Bytes consumed so far (the ends of the lines returned included).
    std::uint64_t bytesRead() const { return m_consumed + m_pos; }

private:
    // Stream mode: keeps the bytes from m_pos on, reads more behind them and returns true, or
    // returns false at the end of the stream. `index` (>= m_pos) is moved with the bytes.
    bool fill(std::size_t& index);
    // Index of the first byte at or after `from` that is not '\r' or '\n', or npos.
    std::size_t contentAt(std::size_t from);

    ByteStream* m_stream = nullptr;
    std::size_t m_chunk = 0;
    std::string m_storage; // stream mode: the window of the file held now
    const char* m_data;
    std::size_t m_size;
    std::size_t m_pos = 0;
    std::uint64_t m_consumed = 0; // bytes dropped from the front of the window
    bool m_streamEnded;
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
