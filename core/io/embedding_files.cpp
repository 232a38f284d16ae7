#include "io/embedding_files.hpp"

#include "io/npy_writer.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <system_error>
#include <utility>

namespace towerlab {

namespace {

constexpr std::string_view kNpyMagic{"\x93NUMPY", 6};
// Progress and cancel are looked at once per this many bytes of text.
constexpr std::size_t kReportEvery = std::size_t{1} << 20;

std::string errorText(const std::string& file, std::size_t line, const std::string& field,
                      const std::string& reason) {
    std::string out = file;
    if (line > 0) {
        out += ", line " + std::to_string(line);
    }
    if (!field.empty()) {
        out += ", " + field;
    }
    return out + ": " + reason;
}

// A value as it appears in a message: at most 40 bytes, so a binary file stays readable.
std::string shown(std::string_view value) {
    return "'" + std::string(value.substr(0, 40)) + (value.size() > 40 ? "…'" : "'");
}

void checkCancel(const ReadControl& control) {
    if (control.cancel != nullptr && control.cancel->load(std::memory_order_relaxed)) {
        throw EmbeddingReadCancelled();
    }
}

// Splits text into lines without copying: the final newline ends the last line, it does not
// start an empty one; a CR before LF is dropped.
class Lines {
public:
    explicit Lines(std::string_view text) : m_text(text) {}
    bool next(std::string_view& line) {
        if (m_pos >= m_text.size()) {
            return false;
        }
        const std::size_t end = m_text.find('\n', m_pos);
        const std::size_t stop = end == std::string_view::npos ? m_text.size() : end;
        line = m_text.substr(m_pos, stop - m_pos);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        m_pos = end == std::string_view::npos ? m_text.size() : end + 1;
        ++m_number;
        return true;
    }
    std::size_t number() const { return m_number; }
    std::size_t position() const { return m_pos; }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    std::size_t m_number = 0;
};

std::vector<std::string> splitTabs(std::string_view line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t tab = line.find('\t', start);
        if (tab == std::string_view::npos) {
            out.emplace_back(line.substr(start));
            return out;
        }
        out.emplace_back(line.substr(start, tab - start));
        start = tab + 1;
    }
}

// Parses the values of one line into out; returns how many there were. Python writes "+"
// nowhere, but C's "%+f" does, and from_chars refuses a leading plus.
std::size_t parseLine(std::string_view line, std::vector<float>& out, const std::string& file,
                      std::size_t lineNumber) {
    const char* p = line.data();
    const char* const end = p + line.size();
    std::size_t count = 0;
    while (true) {
        const char* const start = p;
        if (p < end && *p == '+') {
            ++p;
        }
        float value = 0.0f;
        const auto [next, error] = std::from_chars(p, end, value);
        const char* fieldEnd =
            static_cast<const char*>(std::memchr(start, '\t', std::size_t(end - start)));
        if (fieldEnd == nullptr) {
            fieldEnd = end;
        }
        const std::string field = "value " + std::to_string(count + 1);
        if (error == std::errc::result_out_of_range) {
            throw EmbeddingFileError(file, lineNumber, field,
                                     shown(std::string_view(start, std::size_t(fieldEnd - start))) +
                                         " is beyond float's range");
        }
        if (error != std::errc() || next != fieldEnd) {
            throw EmbeddingFileError(
                file, lineNumber, field,
                start == fieldEnd
                    ? std::string("empty value (two tabs in a row, or a tab at the end)")
                    : shown(std::string_view(start, std::size_t(fieldEnd - start))) +
                          " is not a number");
        }
        if (!std::isfinite(value)) {
            throw EmbeddingFileError(
                file, lineNumber, field,
                "the value is " + shown(std::string_view(start, std::size_t(fieldEnd - start))) +
                    "; vectors must be finite");
        }
        out.push_back(value);
        ++count;
        if (fieldEnd == end) {
            return count;
        }
        p = fieldEnd + 1;
    }
}

// Incremental parser of vectors.tsv, fed in chunks that end on line boundaries.
class VectorsParser {
public:
    explicit VectorsParser(std::string file) : m_file(std::move(file)) {}

    void reserve(std::size_t values) { m_values.reserve(values); }

    // Parses whole lines of `text`; a trailing part without its newline is left to the caller
    // unless last is true.
    void feed(std::string_view text) {
        Lines lines(text);
        std::string_view line;
        while (lines.next(line)) {
            ++m_line;
            if (line.empty()) {
                m_blankLine = m_line;
                continue;
            }
            if (m_blankLine != 0) {
                throw EmbeddingFileError(m_file, m_blankLine, {},
                                         "blank line between vectors (every line must be one "
                                         "vector, or labels would pair with the wrong vectors)");
            }
            const std::size_t count = parseLine(line, m_values, m_file, m_line);
            if (m_cols == 0) {
                m_cols = count;
            } else if (count != m_cols) {
                throw EmbeddingFileError(m_file, m_line, {},
                                         "has " + std::to_string(count) + " values, but line " +
                                             std::to_string(m_firstLine) + " has " +
                                             std::to_string(m_cols) + " (ragged rows)");
            }
            if (m_firstLine == 0) {
                m_firstLine = m_line;
            }
            ++m_rows;
        }
    }

    RowMatrix finish() {
        if (m_rows == 0) {
            throw EmbeddingFileError(m_file, 0, {}, "the file has no vectors (it is empty)");
        }
        RowMatrix out(static_cast<Eigen::Index>(m_rows), static_cast<Eigen::Index>(m_cols));
        std::memcpy(out.data(), m_values.data(), m_values.size() * sizeof(float));
        return out;
    }

private:
    std::string m_file;
    std::vector<float> m_values;
    std::size_t m_rows = 0;
    std::size_t m_cols = 0;
    std::size_t m_line = 0;
    std::size_t m_firstLine = 0;
    std::size_t m_blankLine = 0; // a blank line seen since the last vector; fine at the end
};

void checkFinite(const RowMatrix& m, const std::string& file) {
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        for (Eigen::Index c = 0; c < m.cols(); ++c) {
            if (!std::isfinite(m(r, c))) {
                throw EmbeddingFileError(
                    file, 0, "row " + std::to_string(r + 1) + ", column " + std::to_string(c + 1),
                    "the value is not finite (NaN, inf, or beyond float's "
                    "range); vectors must be finite");
            }
        }
    }
}

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

std::unique_ptr<std::FILE, FileCloser> openRegular(const std::filesystem::path& path,
                                                   std::uintmax_t* size) {
    std::error_code error;
    const std::string file = path.string();
    if (std::filesystem::is_directory(path, error)) {
        throw EmbeddingFileError(file, 0, {}, "is a folder, not a file");
    }
    if (!std::filesystem::exists(path, error)) {
        throw EmbeddingFileError(file, 0, {}, "no such file");
    }
    // Devices and pipes have no size to trust (and /dev/zero never ends).
    if (!std::filesystem::is_regular_file(path, error)) {
        throw EmbeddingFileError(file, 0, {}, "not a regular file");
    }
    *size = std::filesystem::file_size(path, error);
    if (error) {
        throw EmbeddingFileError(file, 0, {}, "cannot read its size: " + error.message());
    }
    std::unique_ptr<std::FILE, FileCloser> f(std::fopen(file.c_str(), "rb"));
    if (!f) {
        throw EmbeddingFileError(file, 0, {},
                                 "cannot open: " + std::system_category().message(errno));
    }
    return f;
}

std::string readAll(std::FILE* f, const std::string& file, std::uintmax_t size) {
    std::string bytes(static_cast<std::size_t>(size), '\0');
    const std::size_t got = std::fread(bytes.data(), 1, bytes.size(), f);
    if (got != bytes.size() || std::ferror(f) != 0) {
        throw EmbeddingFileError(file, 0, {},
                                 "cannot read: " + std::system_category().message(errno));
    }
    return bytes;
}

} // namespace

EmbeddingFileError::EmbeddingFileError(std::string file, std::size_t line, std::string field,
                                       const std::string& reason)
    : std::runtime_error(errorText(file, line, field, reason)), m_file(std::move(file)),
      m_line(line), m_field(std::move(field)) {}

RowMatrix parseVectorsTsv(std::string_view text, const std::string& file,
                          const ReadControl& control) {
    VectorsParser parser(file);
    std::size_t done = 0;
    while (done < text.size()) {
        checkCancel(control);
        // A chunk of about kReportEvery bytes, ended after a newline (or at the end).
        std::size_t stop = std::min(text.size(), done + kReportEvery);
        if (stop < text.size()) {
            const std::size_t newline = text.find('\n', stop);
            stop = newline == std::string_view::npos ? text.size() : newline + 1;
        }
        parser.feed(text.substr(done, stop - done));
        done = stop;
        if (control.progress) {
            control.progress(static_cast<double>(done) / static_cast<double>(text.size()));
        }
    }
    return parser.finish();
}

MetadataTable parseMetadataTsv(std::string_view text, const std::string& file) {
    MetadataTable table;
    // Windows editors start UTF-8 files with a byte-order mark; it is not part of a label.
    if (text.starts_with("\xEF\xBB\xBF")) {
        text.remove_prefix(3);
    }
    Lines lines(text);
    std::string_view line;
    if (!lines.next(line)) {
        throw EmbeddingFileError(file, 0, {}, "the file is empty (no labels)");
    }
    if (line.find('\t') == std::string_view::npos) {
        // One column: no header, the first line is already a label.
        table.columns = {"label"};
        table.rows.push_back({std::string(line)});
        while (lines.next(line)) {
            if (line.find('\t') != std::string_view::npos) {
                throw EmbeddingFileError(
                    file, lines.number(), {},
                    "has a tab, but line 1 has none (a one-column file has no tabs; a file of "
                    "several columns starts with a header line naming them)");
            }
            table.rows.push_back({std::string(line)});
        }
        return table;
    }
    table.hasHeader = true;
    table.columns = splitTabs(line);
    for (std::size_t c = 0; c < table.columns.size(); ++c) {
        if (table.columns[c].find_first_not_of(" \t\r\v\f") == std::string::npos) {
            throw EmbeddingFileError(file, 1, "column " + std::to_string(c + 1),
                                     "the header line names no column here");
        }
    }
    while (lines.next(line)) {
        std::vector<std::string> row = splitTabs(line);
        if (row.size() != table.columns.size()) {
            throw EmbeddingFileError(file, lines.number(), {},
                                     "has " + std::to_string(row.size()) + " values for the " +
                                         std::to_string(table.columns.size()) +
                                         " columns of the header line (ragged rows)");
        }
        table.rows.push_back(std::move(row));
    }
    if (table.rows.empty()) {
        throw EmbeddingFileError(file, 0, {}, "has a header line but no labels");
    }
    return table;
}

RowMatrix readVectorFile(const std::filesystem::path& path, const ReadControl& control) {
    const std::string file = path.string();
    std::uintmax_t size = 0;
    const auto f = openRegular(path, &size);
    char magic[6] = {};
    const std::size_t got = std::fread(magic, 1, sizeof magic, f.get());
    if (got == sizeof magic && std::string_view(magic, sizeof magic) == kNpyMagic) {
        std::rewind(f.get());
        checkCancel(control);
        RowMatrix m = decodeNpy(readAll(f.get(), file, size), file);
        if (m.rows() == 0 || m.cols() == 0) {
            throw EmbeddingFileError(file, 0, "shape",
                                     "the array is empty (" + std::to_string(m.rows()) + " x " +
                                         std::to_string(m.cols()) + ")");
        }
        checkFinite(m, file);
        if (control.progress) {
            control.progress(1.0);
        }
        return m;
    }
    std::rewind(f.get());
    // Streamed: one buffer of a few MB, parsed up to its last newline, the rest carried over,
    // so a 700 MB text never sits in memory beside its floats.
    VectorsParser parser(file);
    std::string buffer;
    std::vector<char> chunk(std::size_t{4} << 20);
    std::uintmax_t read = 0;
    bool reserved = false;
    while (true) {
        checkCancel(control);
        const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), f.get());
        if (std::ferror(f.get()) != 0) {
            throw EmbeddingFileError(file, 0, {},
                                     "cannot read: " + std::system_category().message(errno));
        }
        read += n;
        buffer.append(chunk.data(), n);
        if (!reserved && size > 0) {
            // Values from the first line's bytes per value: one allocation for the whole file.
            const std::size_t newline = buffer.find('\n');
            if (newline != std::string::npos && newline > 0) {
                const std::size_t values =
                    1 + static_cast<std::size_t>(std::count(
                            buffer.begin(), buffer.begin() + std::ptrdiff_t(newline), '\t'));
                const double bytesPerValue = double(newline + 1) / double(values);
                parser.reserve(static_cast<std::size_t>(double(size) / bytesPerValue * 1.05) +
                               values);
            }
            reserved = true;
        }
        const bool last = n == 0 || std::feof(f.get()) != 0;
        const std::size_t cut = last ? buffer.size() : buffer.rfind('\n') + 1;
        if (cut > 0) { // rfind's npos + 1 is 0: no whole line yet
            parser.feed(std::string_view(buffer).substr(0, cut));
            buffer.erase(0, cut);
        }
        if (control.progress && size > 0) {
            control.progress(std::min(1.0, double(read) / double(size)));
        }
        if (last) {
            break;
        }
    }
    return parser.finish();
}

MetadataTable readMetadataFile(const std::filesystem::path& path) {
    const std::string file = path.string();
    std::uintmax_t size = 0;
    const auto f = openRegular(path, &size);
    return parseMetadataTsv(readAll(f.get(), file, size), file);
}

} // namespace towerlab
