#pragma once
// Internal to core/io: little-endian primitives for model files. ByteWriter appends to a
// string; ByteReader reads a bounds-checked view and turns every shortfall or bad value into
// a ModelFileError naming the file, the section, the field and the absolute byte offset.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace towerlab::detail {

class ByteWriter {
public:
    void u8(std::uint8_t value) { m_bytes.push_back(static_cast<char>(value)); }
    void u32(std::uint32_t value);
    void u64(std::uint64_t value);
    void i32(std::int32_t value) { u32(static_cast<std::uint32_t>(value)); }
    void i64(std::int64_t value) { u64(static_cast<std::uint64_t>(value)); }
    void f32(float value);
    void f64(double value);
    // A u32 element count; throws EncodeError naming the field above 2^32 - 1.
    void count(std::size_t n, const char* field);
    // u32 byte length, then the bytes.
    void string(std::string_view value, const char* field);
    void floats(const float* values, std::size_t n);
    void raw(std::string_view bytes) { m_bytes.append(bytes); }

    std::size_t size() const { return m_bytes.size(); }
    std::string& bytes() { return m_bytes; }

private:
    std::string m_bytes;
};

class ByteReader {
public:
    // bytes is a part of the file starting at absolute offset baseOffset; file and section
    // only label errors.
    ByteReader(std::string_view bytes, std::size_t baseOffset, std::string file,
               std::string section);

    std::uint8_t u8(const char* field);
    std::uint32_t u32(const char* field);
    std::uint64_t u64(const char* field);
    std::int32_t i32(const char* field) { return static_cast<std::int32_t>(u32(field)); }
    std::int64_t i64(const char* field) { return static_cast<std::int64_t>(u64(field)); }
    float f32(const char* field);
    double f64(const char* field);
    bool flag(const char* field); // a u8 that must be 0 or 1
    // A u32 count of elements that take at least minElementBytes each, refused (before the
    // caller allocates anything) when the rest of the section cannot hold that many.
    std::size_t count(const char* field, std::size_t minElementBytes);
    std::string string(const char* field);
    void floats(float* out, std::size_t n, const char* field);

    std::size_t remaining() const { return m_bytes.size() - m_pos; }
    std::size_t offset() const { return m_base + m_pos; } // absolute, in the file
    // Refuses bytes left over after the last field.
    void expectEnd() const;

    [[noreturn]] void truncated(const char* field) const;
    // A structural problem at the current offset (a count larger than the section, ...).
    [[noreturn]] void malformed(const std::string& field, const std::string& reason) const;
    // A value that is well-formed but not acceptable (an unsorted vocabulary, a bad shape).
    [[noreturn]] void invalid(const std::string& field, const std::string& reason) const;

private:
    std::string_view take(std::size_t n, const char* field);

    std::string_view m_bytes;
    std::size_t m_base;
    std::size_t m_pos = 0;
    std::string m_file;
    std::string m_section;
};

std::uint32_t loadU32(const char* p);
std::uint64_t loadU64(const char* p);

} // namespace towerlab::detail
