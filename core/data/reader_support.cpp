#include "data/reader_support.hpp"

namespace towerlab::reading {

void splitFieldsOn(std::string_view line, std::string_view separator,
                   std::vector<std::string_view>& fields) {
    fields.clear();
    std::size_t start = 0;
    while (true) {
        const std::size_t stop = line.find(separator, start);
        if (stop == std::string_view::npos) {
            fields.push_back(line.substr(start));
            return;
        }
        fields.push_back(line.substr(start, stop - start));
        start = stop + separator.size();
    }
}

Cursor::Cursor(const SourceArchive::File& f) : displayName(f.displayName), lines(f.bytes) {
    if (lines.empty()) {
        throw DataError(displayName, 0, "", "file is empty");
    }
}

Cursor::Cursor(ByteStream& stream) : displayName(stream.displayName()), lines(stream) {
    if (lines.empty()) {
        throw DataError(displayName, 0, "", "file is empty");
    }
}

void Cursor::fail(std::string_view field, const std::string& reason) const {
    throw DataError(displayName, lines.lineNumber(), std::string(field), reason);
}

std::uint32_t Cursor::timestamp(std::size_t index) const {
    const auto value = integer<std::int64_t>(index, "timestamp");
    if (value < 0 || value > kLatestTimestamp) {
        fail("timestamp", "value " + quoteForMessage(fields[index]) +
                              " is not a time MovieLens records: Unix seconds from 0 (1970-01-01) "
                              "to " +
                              std::to_string(kLatestTimestamp) + " (2100-01-01)");
    }
    return static_cast<std::uint32_t>(value);
}

std::int64_t Cursor::id(std::size_t index, std::string_view field) const {
    const auto value = integer<std::int64_t>(index, field);
    if (value < 1) {
        fail(field, "value " + quoteForMessage(fields[index]) +
                        " is not an id: MovieLens numbers users and movies from 1");
    }
    return value;
}

void Cursor::split(std::string_view line, std::string_view separator, std::size_t expected,
                   std::string_view separatorName) {
    if (separator.size() == 1) {
        splitFields(line, separator[0], fields);
    } else {
        splitFieldsOn(line, separator, fields);
    }
    expectFieldCount(expected, separatorName);
}

void Cursor::expectFieldCount(std::size_t expected, std::string_view separatorName) const {
    if (fields.size() != expected) {
        fail("", "expected " + std::to_string(expected) + " " + std::string(separatorName) +
                     " fields, found " + std::to_string(fields.size()));
    }
}

void Cursor::addUniqueId(IdIndex& ids, std::int64_t id, std::int32_t index, std::string_view field,
                         std::string_view noun) const {
    if (const std::size_t first = ids.add(id, index, lines.lineNumber()); first) {
        fail(field, std::string(noun) + " id " + std::to_string(id) +
                        " appears twice (first on line " + std::to_string(first) + ")");
    }
}

std::int32_t Cursor::findId(const IdIndex& ids, std::size_t column, std::string_view field,
                            std::string_view what) const {
    const std::int32_t index = ids.find(integer<std::int64_t>(column, field));
    if (index < 0) {
        fail(field, "value " + quoteForMessage(fields[column]) + " names no " + std::string(what));
    }
    return index;
}

std::size_t IdIndex::add(std::int64_t id, std::int32_t index, std::size_t line) {
    const auto [it, inserted] = m_map.try_emplace(id, Entry{index, line});
    return inserted ? 0 : it->second.line;
}

void IdIndex::freeze() {
    m_dense.clear();
    if (m_map.empty()) {
        return;
    }
    std::int64_t lo = std::numeric_limits<std::int64_t>::max();
    std::int64_t hi = std::numeric_limits<std::int64_t>::min();
    for (const auto& [id, entry] : m_map) {
        lo = std::min(lo, id);
        hi = std::max(hi, id);
    }
    // Unsigned difference: ids may span the whole int64 range.
    const auto span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo);
    if (span < 8 * m_map.size() + 1024) {
        m_offset = lo;
        m_dense.assign(static_cast<std::size_t>(span) + 1, -1);
        for (const auto& [id, entry] : m_map) {
            m_dense[static_cast<std::size_t>(id - lo)] = entry.index;
        }
    }
}

int yearFromTitle(std::string_view title) {
    for (std::size_t end = title.rfind(')'); end != std::string_view::npos && end >= 5;
         end = title.rfind(')', end - 1)) {
        const std::string_view digits = title.substr(end - 4, 4);
        if (title[end - 5] == '(' && std::all_of(digits.begin(), digits.end(),
                                                 [](char c) { return c >= '0' && c <= '9'; })) {
            return (digits[0] - '0') * 1000 + (digits[1] - '0') * 100 + (digits[2] - '0') * 10 +
                   (digits[3] - '0');
        }
    }
    return 0;
}

std::size_t lineCountBound(const std::string& bytes) {
    return static_cast<std::size_t>(std::count(bytes.begin(), bytes.end(), '\n')) + 1;
}

} // namespace towerlab::reading
