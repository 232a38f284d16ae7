#pragma once
// Crash-safe file replacement: bytes go to a temporary file beside the target and only a
// successful commit() renames it over the target, so readers see either the old file or the
// complete new one, never a half-written mix.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace towerlab {

// Any failure to create, write, flush or rename a file. The message names the target path
// and the operating system's reason (strerror).
class FileWriteError : public std::runtime_error {
public:
    FileWriteError(std::filesystem::path path, const std::string& what);
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

// Usage: construct, write() any number of times, commit(). Destroying the writer without a
// successful commit() removes the temporary file and leaves the target untouched. Writes are
// buffered; errors surface from write() or commit() as FileWriteError. Not thread-safe: one
// writer belongs to one thread (different writers may run on different threads).
class AtomicFileWriter {
public:
    // Creates "<dir>/<name>.tmp-<pid>-<n>" next to the target (same file system, so the final
    // rename is atomic). Throws FileWriteError when the folder is missing or not writable.
    explicit AtomicFileWriter(std::filesystem::path target);
    ~AtomicFileWriter();
    AtomicFileWriter(const AtomicFileWriter&) = delete;
    AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

    void write(std::string_view bytes);
    void write(const void* data, std::size_t size);

    // Flushes, fsyncs, renames the temporary file over the target and fsyncs the folder so
    // the rename itself survives a power cut. After a failed commit the target is unchanged
    // and the temporary file is gone. Calling write() or commit() after commit() is a bug
    // (std::logic_error).
    void commit();

    const std::filesystem::path& target() const { return m_target; }
    const std::filesystem::path& temporaryPath() const { return m_temp; }
    std::size_t bytesWritten() const { return m_written + m_buffer.size(); }

    // Test hook, process-wide: while set, every writer fails with ENOSPC ("No space left on
    // device") once it has put this many bytes on disk (the bytes before the limit are
    // really written, as a full disk would). std::nullopt turns injection off.
    static void setFaultInjectionForTesting(std::optional<std::size_t> failAfterBytes);

private:
    void flushBuffer();
    void writeToDisk(const char* data, std::size_t size);
    [[noreturn]] void fail(const std::string& action, int error);
    void discard() noexcept;

    std::filesystem::path m_target;
    std::filesystem::path m_temp;
    int m_fd = -1;
    std::string m_buffer;
    std::size_t m_written = 0; // bytes already handed to the operating system
    bool m_committed = false;
};

// Replaces (or creates) the file at path with exactly these bytes, atomically.
void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes);

} // namespace towerlab
