#include "io/npy_writer.hpp"

#include "util/atomic_file.hpp"

#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <system_error>
#include <utility>
#include <vector>

namespace towerlab {

namespace {

constexpr std::string_view kMagic{"\x93NUMPY", 6};
constexpr std::size_t kAlignment = 64; // numpy.lib.format.ARRAY_ALIGN
constexpr std::size_t kMaxHeaderBytes = 1 << 20;

std::uint32_t loadLe(const char* p, int bytes) {
    std::uint32_t value = 0;
    for (int i = bytes - 1; i >= 0; --i) {
        value = (value << 8) | static_cast<unsigned char>(p[i]);
    }
    return value;
}

float loadFloatLe(const char* p) {
    return std::bit_cast<float>(loadLe(p, 4));
}

// A little-endian float64 rounded to float; beyond float's range it becomes inf, which the
// embedding readers refuse with the row and column.
float loadDoubleLe(const char* p) {
    const std::uint64_t bits = static_cast<std::uint64_t>(loadLe(p, 4)) |
                               (static_cast<std::uint64_t>(loadLe(p + 4, 4)) << 32);
    return static_cast<float>(std::bit_cast<double>(bits));
}

// The header dict is a Python literal; this reads exactly the subset numpy writes (and
// hand-written variants of it): string keys, string / True / False / tuple-of-int values.
class HeaderParser {
public:
    HeaderParser(std::string_view text, const std::string& file) : m_text(text), m_file(file) {}

    struct Header {
        std::string descr;
        bool fortranOrder = false;
        std::vector<std::uint64_t> shape;
    };

    Header parse() {
        Header header;
        bool haveDescr = false;
        bool haveOrder = false;
        bool haveShape = false;
        skipSpace();
        expect('{');
        skipSpace();
        while (!peek('}')) {
            const std::string key = stringLiteral();
            skipSpace();
            expect(':');
            skipSpace();
            if (key == "descr") {
                header.descr = stringLiteral();
                haveDescr = true;
            } else if (key == "fortran_order") {
                header.fortranOrder = boolean();
                haveOrder = true;
            } else if (key == "shape") {
                header.shape = tuple();
                haveShape = true;
            } else {
                fail("unexpected key '" + key + "' in the header");
            }
            skipSpace();
            if (!peek('}')) {
                expect(',');
                skipSpace();
            }
        }
        expect('}');
        skipSpace();
        if (m_pos != m_text.size()) {
            fail("unexpected text after the header dict");
        }
        if (!haveDescr || !haveOrder || !haveShape) {
            fail("the header lacks 'descr', 'fortran_order' or 'shape'");
        }
        return header;
    }

private:
    [[noreturn]] void fail(const std::string& reason) const {
        throw NpyError(m_file, "malformed .npy header: " + reason);
    }
    bool peek(char c) const { return m_pos < m_text.size() && m_text[m_pos] == c; }
    void expect(char c) {
        if (!peek(c)) {
            fail(std::string("expected '") + c + "' at header offset " + std::to_string(m_pos));
        }
        ++m_pos;
    }
    void skipSpace() {
        while (m_pos < m_text.size() &&
               (m_text[m_pos] == ' ' || m_text[m_pos] == '\n' || m_text[m_pos] == '\t')) {
            ++m_pos;
        }
    }
    std::string stringLiteral() {
        if (!peek('\'') && !peek('"')) {
            fail("expected a quoted string at header offset " + std::to_string(m_pos));
        }
        const char quote = m_text[m_pos++];
        const std::size_t end = m_text.find(quote, m_pos);
        if (end == std::string_view::npos) {
            fail("unterminated string");
        }
        std::string value(m_text.substr(m_pos, end - m_pos));
        m_pos = end + 1;
        return value;
    }
    bool boolean() {
        if (m_text.substr(m_pos).starts_with("True")) {
            m_pos += 4;
            return true;
        }
        if (m_text.substr(m_pos).starts_with("False")) {
            m_pos += 5;
            return false;
        }
        fail("expected True or False at header offset " + std::to_string(m_pos));
    }
    std::vector<std::uint64_t> tuple() {
        std::vector<std::uint64_t> values;
        expect('(');
        skipSpace();
        while (!peek(')')) {
            values.push_back(integer());
            skipSpace();
            if (!peek(')')) {
                expect(',');
                skipSpace();
            }
            if (values.size() > 32) {
                fail("shape has more than 32 dimensions");
            }
        }
        expect(')');
        return values;
    }
    std::uint64_t integer() {
        const std::size_t start = m_pos;
        std::uint64_t value = 0;
        while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9') {
            const auto digit = static_cast<std::uint64_t>(m_text[m_pos] - '0');
            if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) {
                fail("shape value too large");
            }
            value = value * 10 + digit;
            ++m_pos;
        }
        if (m_pos == start) {
            fail("expected a non-negative integer at header offset " + std::to_string(start));
        }
        // Python 2 era writers append L to long integers.
        if (peek('L')) {
            ++m_pos;
        }
        return value;
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    const std::string& m_file;
};

} // namespace

NpyError::NpyError(std::string path, const std::string& reason)
    : std::runtime_error(path + ": " + reason), m_path(std::move(path)) {}

std::string encodeNpy(const RowMatrix& matrix) {
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" +
                         std::to_string(matrix.rows()) + ", " + std::to_string(matrix.cols()) +
                         "), }";
    // Preamble: magic, version (2 bytes), header length (2 bytes); the header ends in '\n'.
    const std::size_t preamble = kMagic.size() + 2 + 2;
    const std::size_t unpadded = preamble + header.size() + 1;
    const std::size_t padded = (unpadded + kAlignment - 1) / kAlignment * kAlignment;
    header.append(padded - unpadded, ' ');
    header.push_back('\n');

    std::string out;
    const auto values = static_cast<std::size_t>(matrix.size());
    out.reserve(padded + values * sizeof(float));
    out.append(kMagic);
    out.push_back('\x01');
    out.push_back('\x00');
    out.push_back(static_cast<char>(header.size() & 0xffu));
    out.push_back(static_cast<char>((header.size() >> 8) & 0xffu));
    out.append(header);
    const std::size_t dataAt = out.size();
    out.resize(dataAt + values * sizeof(float));
    for (std::size_t i = 0; i < values; ++i) {
        const auto bits = std::bit_cast<std::uint32_t>(matrix.data()[i]);
        for (std::size_t b = 0; b < 4; ++b) {
            out[dataAt + 4 * i + b] = static_cast<char>((bits >> (8 * b)) & 0xffu);
        }
    }
    return out;
}

void writeNpy(const RowMatrix& matrix, const std::filesystem::path& path) {
    writeFileAtomically(path, encodeNpy(matrix));
}

RowMatrix decodeNpy(std::string_view bytes, const std::string& displayName) {
    auto fail = [&displayName](const std::string& reason) { return NpyError(displayName, reason); };
    if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic) {
        throw fail("not a .npy file (bad magic)");
    }
    if (bytes.size() < kMagic.size() + 2) {
        throw fail("truncated in the version field");
    }
    const auto major = static_cast<unsigned char>(bytes[6]);
    const auto minor = static_cast<unsigned char>(bytes[7]);
    if (major < 1 || major > 3 || minor != 0) {
        throw fail("unsupported .npy format version " + std::to_string(major) + "." +
                   std::to_string(minor) + " (reads 1.0, 2.0 and 3.0)");
    }
    const int lengthBytes = major == 1 ? 2 : 4;
    const std::size_t headerAt = 8 + static_cast<std::size_t>(lengthBytes);
    if (bytes.size() < headerAt) {
        throw fail("truncated in the header length");
    }
    const std::size_t headerLength = loadLe(bytes.data() + 8, lengthBytes);
    if (headerLength > kMaxHeaderBytes) {
        throw fail("header length " + std::to_string(headerLength) + " is implausibly large");
    }
    if (headerLength > bytes.size() - headerAt) {
        throw fail("truncated in the header (declares " + std::to_string(headerLength) +
                   " bytes, " + std::to_string(bytes.size() - headerAt) + " remain)");
    }
    const auto header = HeaderParser(bytes.substr(headerAt, headerLength), displayName).parse();
    // numpy.save writes float64 ('<f8') by default; it is read and rounded to float32.
    if (header.descr != "<f4" && header.descr != "<f8") {
        throw fail("header field 'descr': unsupported dtype '" + header.descr +
                   "' (reads little-endian float32 '<f4' and float64 '<f8')");
    }
    const std::uint64_t valueBytes = header.descr == "<f8" ? 8 : 4;
    if (header.shape.size() != 2) {
        throw fail("array has " + std::to_string(header.shape.size()) +
                   " dimensions; a matrix needs 2");
    }
    const std::uint64_t rows = header.shape[0];
    const std::uint64_t cols = header.shape[1];
    const std::size_t dataAt = headerAt + headerLength;
    const std::size_t available = bytes.size() - dataAt;
    // The shape must account for the data exactly, checked without overflowing.
    std::uint64_t needed = 0;
    const bool overflows = __builtin_mul_overflow(rows, cols, &needed) ||
                           __builtin_mul_overflow(needed, valueBytes, &needed);
    if (overflows || needed != available) {
        throw fail("shape (" + std::to_string(rows) + ", " + std::to_string(cols) + ") needs " +
                   (overflows ? "over 2^64" : std::to_string(needed)) +
                   " bytes of data but the file has " + std::to_string(available));
    }
    if (rows > static_cast<std::uint64_t>(std::numeric_limits<Eigen::Index>::max()) ||
        cols > static_cast<std::uint64_t>(std::numeric_limits<Eigen::Index>::max())) {
        throw fail("shape too large");
    }
    const auto r = static_cast<Eigen::Index>(rows);
    const auto c = static_cast<Eigen::Index>(cols);
    RowMatrix matrix(r, c);
    // The work follows the data, not the shape: (6e18, 0) is a valid empty array, and a loop
    // over its rows would never end (a fuzzer found that).
    if (needed == 0) {
        return matrix;
    }
    const char* data = bytes.data() + dataAt;
    const auto load = [data, valueBytes](std::size_t k) {
        return valueBytes == 8 ? loadDoubleLe(data + 8 * k) : loadFloatLe(data + 4 * k);
    };
    if (!header.fortranOrder) { // row by row, as RowMatrix stores it
        const auto count = static_cast<std::size_t>(needed / valueBytes);
        for (std::size_t k = 0; k < count; ++k) {
            matrix.data()[k] = load(k);
        }
    } else { // column by column; r * c values, both at least 1
        for (Eigen::Index j = 0; j < c; ++j) {
            for (Eigen::Index i = 0; i < r; ++i) {
                matrix(i, j) = load(static_cast<std::size_t>(j * r + i));
            }
        }
    }
    return matrix;
}

RowMatrix readNpy(const std::filesystem::path& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
        throw NpyError(path.string(), "is a folder, not a .npy file");
    }
    // Devices and pipes have no size to trust (and /dev/zero never ends).
    if (std::filesystem::exists(path, error) && !std::filesystem::is_regular_file(path, error)) {
        throw NpyError(path.string(), "not a regular file");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw NpyError(path.string(), "cannot open: " + std::system_category().message(errno));
    }
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        throw NpyError(path.string(), "cannot read: " + std::system_category().message(errno));
    }
    return decodeNpy(bytes, path.string());
}

} // namespace towerlab
