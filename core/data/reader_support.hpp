#pragma once
// Pieces shared by the MovieLens readers (100K, 1M, "latest"): a cursor that turns a position
// in a file into DataError messages, and a source-id -> index table.

#include "data/data_error.hpp"
#include "data/dataset.hpp"
#include "data/source_archive.hpp"
#include "data/text_parsing.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace towerlab::reading {

// Splits `line` at every occurrence of the multi-byte `separator` ("::" in ML-1M).
void splitFieldsOn(std::string_view line, std::string_view separator,
                   std::vector<std::string_view>& fields);

class IdIndex;

// Where a reader is: the file and its current line, for the messages of DataError.
struct Cursor {
    std::string displayName; // the file, as DataError names it
    LineReader lines;
    std::vector<std::string_view> fields;

    // A file held in memory (`f` must outlive the cursor). Throws DataError when the file
    // holds no line at all.
    explicit Cursor(const SourceArchive::File& f);
    // A file read from `stream` in chunks (the stream must outlive the cursor). Throws
    // DataError when the file holds no line at all.
    explicit Cursor(ByteStream& stream);

    [[noreturn]] void fail(std::string_view field, const std::string& reason) const;

    // Splits the current line at `separator` and checks the field count; `separatorName`
    // ("'::'-separated") words the message.
    void split(std::string_view line, std::string_view separator, std::size_t expected,
               std::string_view separatorName);
    // Fails unless fields.size() == expected (for readers that split fields themselves).
    void expectFieldCount(std::size_t expected, std::string_view separatorName) const;

    // Records that this line's `id` (of a `noun`: "user", "movie") is entry `index`; fails
    // when an earlier line already had it.
    void addUniqueId(IdIndex& ids, std::int64_t id, std::int32_t index, std::string_view field,
                     std::string_view noun) const;
    // The entry of the id in fields[column]; fails when `ids` has none, naming `what` ("user
    // of u.user").
    std::int32_t findId(const IdIndex& ids, std::size_t column, std::string_view field,
                        std::string_view what) const;

    // A rating's time in fields[index]: Unix seconds, which every MovieLens README documents,
    // from 0 (1970-01-01) to kLatestTimestamp. A negative or absurd time would silently
    // stretch the 1,000 timestamp buckets over decades (and could not be stored in
    // Rating::timestamp), so it fails naming the field.
    std::uint32_t timestamp(std::size_t index) const;
    // A user or movie id in fields[index]: MovieLens numbers them from 1.
    std::int64_t id(std::size_t index, std::string_view field) const;

    template <typename Int> Int integer(std::size_t index, std::string_view field) const {
        Int value{};
        const std::errc ec = parseInteger(fields[index], value);
        if (ec == std::errc::result_out_of_range) {
            fail(field, "value " + quoteForMessage(fields[index]) + " is out of range");
        }
        if (ec != std::errc()) {
            fail(field, "value " + quoteForMessage(fields[index]) + " is not a whole number");
        }
        return value;
    }

    template <typename Int>
    Int integerIn(std::size_t index, std::string_view field, Int lo, Int hi) const {
        const Int value = integer<Int>(index, field);
        if (value < lo || value > hi) {
            fail(field, "value " + quoteForMessage(fields[index]) + " is outside " +
                            std::to_string(lo) + ".." + std::to_string(hi));
        }
        return value;
    }
};

// 2100-01-01T00:00:00Z: later than any MovieLens rating, and the end of the GUI's time range.
inline constexpr std::int64_t kLatestTimestamp = 4102444800;
static_assert(kLatestTimestamp <= std::numeric_limits<decltype(Rating::timestamp)>::max(),
              "every time a reader accepts fits in Rating::timestamp");

// Source id -> index into the dataset's vector. Ids are dense small integers in MovieLens,
// so lookups go through a flat table when the id range allows it.
class IdIndex {
public:
    // Returns the line the id was first seen on, or 0 when it is new.
    std::size_t add(std::int64_t id, std::int32_t index, std::size_t line);
    // Builds the flat table; call once all ids are added and before the hot loop's find().
    void freeze();
    // -1 when the id is unknown.
    std::int32_t find(std::int64_t id) const {
        if (!m_dense.empty()) {
            const auto slot = static_cast<std::uint64_t>(id) - static_cast<std::uint64_t>(m_offset);
            return slot < m_dense.size() ? m_dense[static_cast<std::size_t>(slot)] : -1;
        }
        const auto it = m_map.find(id);
        return it == m_map.end() ? -1 : it->second.index;
    }
    std::size_t size() const { return m_map.size(); }

private:
    struct Entry {
        std::int32_t index;
        std::size_t line;
    };
    std::unordered_map<std::int64_t, Entry> m_map;
    std::vector<std::int32_t> m_dense;
    std::int64_t m_offset = 0;
};

// The year of the last "(dddd)" in a title, 0 when there is none.
int yearFromTitle(std::string_view title);

// Number of '\n' in bytes + 1: an upper bound on the lines, for reserve().
std::size_t lineCountBound(const std::string& bytes);

} // namespace towerlab::reading
