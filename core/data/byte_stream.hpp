#pragma once
// A file read front to back in chunks: a file of a folder, an entry of a zip (see
// source_archive.hpp) or bytes already in memory. Readers of large files (ratings.csv of
// MovieLens 25M is 680 MB) parse it chunk by chunk, so memory follows what they keep, not the
// size of the file.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

namespace towerlab {

class ByteStream {
public:
    virtual ~ByteStream() = default;
    ByteStream(const ByteStream&) = delete;
    ByteStream& operator=(const ByteStream&) = delete;

    // Copies up to `size` (> 0) bytes to `out` and returns how many; 0 only at the end.
    // Throws DataError naming displayName() when the file cannot be read or (for a zip entry)
    // is damaged: its CRC or its length disagrees with the archive's header.
    virtual std::size_t read(char* out, std::size_t size) = 0;

    // Reads what is left when that can reveal damage (a zip entry: its CRC and length are
    // checked at its end) and throws that DataError; does nothing for other files. A reader
    // that stops on a parse error calls it first: "the zip entry is damaged" explains a
    // garbled line better than the line does.
    virtual void verifyRest() {}

    // "<folder>/ratings.csv" or "<zip>:ml-25m/ratings.csv", for messages.
    const std::string& displayName() const { return m_displayName; }
    // The size the folder's file system or the zip's header states, bounded by what the
    // archive can hold: a hint for reserving memory, never trusted beyond that.
    std::uint64_t sizeHint() const { return m_sizeHint; }

protected:
    ByteStream(std::string displayName, std::uint64_t sizeHint)
        : m_displayName(std::move(displayName)), m_sizeHint(sizeHint) {}

private:
    std::string m_displayName;
    std::uint64_t m_sizeHint;
};

// Bytes in memory (not copied: they must outlive the stream). `maxRead` caps each read, so
// tests can make chunk boundaries fall anywhere.
class MemoryByteStream final : public ByteStream {
public:
    MemoryByteStream(std::string_view bytes, std::string displayName,
                     std::size_t maxRead = std::numeric_limits<std::size_t>::max())
        : ByteStream(std::move(displayName), bytes.size()), m_bytes(bytes), m_maxRead(maxRead) {}

    std::size_t read(char* out, std::size_t size) override;

private:
    std::string_view m_bytes;
    std::size_t m_maxRead;
    std::size_t m_pos = 0;
};

} // namespace towerlab
