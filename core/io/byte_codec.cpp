#include "io/byte_codec.hpp"

#include "io/model_file.hpp"
#include "io/model_file_sections.hpp"

#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <utility>

namespace towerlab::detail {

namespace {

constexpr bool kLittleEndianHost = std::endian::native == std::endian::little;

} // namespace

std::uint32_t loadU32(const char* p) {
    std::uint32_t value = 0;
    for (int i = 3; i >= 0; --i) {
        value = (value << 8) | static_cast<unsigned char>(p[i]);
    }
    return value;
}

std::uint64_t loadU64(const char* p) {
    std::uint64_t value = 0;
    for (int i = 7; i >= 0; --i) {
        value = (value << 8) | static_cast<unsigned char>(p[i]);
    }
    return value;
}

void ByteWriter::u32(std::uint32_t value) {
    for (int i = 0; i < 4; ++i) {
        m_bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xffu));
    }
}

void ByteWriter::u64(std::uint64_t value) {
    for (int i = 0; i < 8; ++i) {
        m_bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xffu));
    }
}

void ByteWriter::f32(float value) {
    u32(std::bit_cast<std::uint32_t>(value));
}

void ByteWriter::f64(double value) {
    u64(std::bit_cast<std::uint64_t>(value));
}

void ByteWriter::count(std::size_t n, const char* field) {
    if (n > std::numeric_limits<std::uint32_t>::max()) {
        throw EncodeError(field,
                          std::to_string(n) + " entries; a model file holds at most 2^32 - 1");
    }
    u32(static_cast<std::uint32_t>(n));
}

void ByteWriter::string(std::string_view value, const char* field) {
    count(value.size(), field);
    m_bytes.append(value);
}

void ByteWriter::floats(const float* values, std::size_t n) {
    if constexpr (kLittleEndianHost) {
        const std::size_t start = m_bytes.size();
        m_bytes.resize(start + n * sizeof(float));
        if (n > 0) {
            std::memcpy(m_bytes.data() + start, values, n * sizeof(float));
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            f32(values[i]);
        }
    }
}

ByteReader::ByteReader(std::string_view bytes, std::size_t baseOffset, std::string file,
                       std::string section)
    : m_bytes(bytes), m_base(baseOffset), m_file(std::move(file)), m_section(std::move(section)) {}

void ByteReader::truncated(const char* field) const {
    throw ModelFileError(m_file, m_section, field,
                         "truncated in section '" + m_section + "' at byte " +
                             std::to_string(offset()) + " (reading " + field + ")");
}

void ByteReader::malformed(const std::string& field, const std::string& reason) const {
    throw ModelFileError(m_file, m_section, field,
                         "malformed section '" + m_section + "' at byte " +
                             std::to_string(offset()) + ": " + field + ": " + reason);
}

void ByteReader::invalid(const std::string& field, const std::string& reason) const {
    throw ModelFileError(m_file, m_section, field,
                         "invalid section '" + m_section + "': " + field + ": " + reason);
}

std::string_view ByteReader::take(std::size_t n, const char* field) {
    if (n > remaining()) {
        truncated(field);
    }
    const std::string_view out = m_bytes.substr(m_pos, n);
    m_pos += n;
    return out;
}

std::uint8_t ByteReader::u8(const char* field) {
    return static_cast<std::uint8_t>(take(1, field)[0]);
}

std::uint32_t ByteReader::u32(const char* field) {
    return loadU32(take(4, field).data());
}

std::uint64_t ByteReader::u64(const char* field) {
    return loadU64(take(8, field).data());
}

float ByteReader::f32(const char* field) {
    return std::bit_cast<float>(u32(field));
}

double ByteReader::f64(const char* field) {
    return std::bit_cast<double>(u64(field));
}

bool ByteReader::flag(const char* field) {
    const std::uint8_t value = u8(field);
    if (value > 1) {
        malformed(field, "flag byte is " + std::to_string(value) + ", expected 0 or 1");
    }
    return value == 1;
}

std::size_t ByteReader::count(const char* field, std::size_t minElementBytes) {
    const std::size_t n = u32(field);
    // n < 2^32 and minElementBytes is a small constant, so the product cannot overflow.
    if (n * minElementBytes > remaining()) {
        malformed(field, "count " + std::to_string(n) + " needs at least " +
                             std::to_string(n * minElementBytes) + " bytes but only " +
                             std::to_string(remaining()) + " remain in the section");
    }
    return n;
}

std::string ByteReader::string(const char* field) {
    const std::uint32_t length = u32(field);
    if (length > remaining()) {
        malformed(field, "string length " + std::to_string(length) + " exceeds the " +
                             std::to_string(remaining()) + " bytes left in the section");
    }
    return std::string(take(length, field));
}

void ByteReader::floats(float* out, std::size_t n, const char* field) {
    if (n > remaining() / sizeof(float)) {
        truncated(field);
    }
    const std::string_view bytes = take(n * sizeof(float), field);
    if constexpr (kLittleEndianHost) {
        if (n > 0) {
            std::memcpy(out, bytes.data(), n * sizeof(float));
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            out[i] = std::bit_cast<float>(loadU32(bytes.data() + 4 * i));
        }
    }
}

void ByteReader::expectEnd() const {
    if (remaining() != 0) {
        malformed("end of section",
                  std::to_string(remaining()) + " unexpected bytes after the last field");
    }
}

} // namespace towerlab::detail
