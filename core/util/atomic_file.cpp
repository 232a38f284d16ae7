#include "util/atomic_file.hpp"

#include <atomic>
#include <cerrno>
#include <limits>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace towerlab {

namespace {

constexpr std::size_t kBufferSize = 64 * 1024;
constexpr std::size_t kNoFault = std::numeric_limits<std::size_t>::max();
constexpr int kCreateAttempts = 100;

std::atomic<std::size_t> g_failAfterBytes{kNoFault};
std::atomic<unsigned long long> g_tempCounter{0};

std::string reasonOf(int error) {
    return std::system_category().message(error);
}

std::string quoted(const std::filesystem::path& path) {
    return "'" + path.string() + "'";
}

} // namespace

FileWriteError::FileWriteError(std::filesystem::path path, const std::string& what)
    : std::runtime_error(what), m_path(std::move(path)) {}

void AtomicFileWriter::setFaultInjectionForTesting(std::optional<std::size_t> failAfterBytes) {
    g_failAfterBytes.store(failAfterBytes.value_or(kNoFault));
}

AtomicFileWriter::AtomicFileWriter(std::filesystem::path target) : m_target(std::move(target)) {
    if (!m_target.has_filename()) {
        throw FileWriteError(m_target, "cannot write " + quoted(m_target) + ": not a file name");
    }
    std::filesystem::path folder = m_target.parent_path();
    if (folder.empty()) {
        folder = ".";
    }
    const std::string stem = m_target.filename().string() + ".tmp-" + std::to_string(::getpid());
    int error = 0;
    for (int attempt = 0; attempt < kCreateAttempts; ++attempt) {
        // A stale temporary from a crashed process with a recycled pid must not be reused,
        // hence O_EXCL and a fresh counter on collision.
        m_temp = folder / (stem + "-" + std::to_string(g_tempCounter.fetch_add(1)));
        m_fd = ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (m_fd >= 0) {
            break;
        }
        error = errno;
        if (error != EEXIST && error != EINTR) {
            break;
        }
    }
    if (m_fd < 0) {
        throw FileWriteError(m_target, "cannot create a file in " + quoted(folder) + " to write " +
                                           quoted(m_target) + ": " + reasonOf(error));
    }
    m_buffer.reserve(kBufferSize);
}

AtomicFileWriter::~AtomicFileWriter() {
    discard();
}

void AtomicFileWriter::discard() noexcept {
    if (m_fd >= 0) {
        ::close(m_fd);
        m_fd = -1;
    }
    if (!m_committed && !m_temp.empty()) {
        ::unlink(m_temp.c_str());
        m_temp.clear();
    }
}

void AtomicFileWriter::fail(const std::string& action, int error) {
    discard();
    throw FileWriteError(m_target, "cannot " + action + " " + quoted(m_target) + ": " +
                                       reasonOf(error) + " (the previous file, if any, is kept)");
}

void AtomicFileWriter::write(std::string_view bytes) {
    write(bytes.data(), bytes.size());
}

void AtomicFileWriter::write(const void* data, std::size_t size) {
    if (m_committed) {
        throw std::logic_error("AtomicFileWriter::write after commit");
    }
    if (m_fd < 0) {
        throw FileWriteError(m_target, "cannot write " + quoted(m_target) +
                                           ": an earlier write to it failed");
    }
    const char* bytes = static_cast<const char*>(data);
    if (m_buffer.size() + size <= kBufferSize) {
        m_buffer.append(bytes, size);
        return;
    }
    flushBuffer();
    if (size >= kBufferSize) {
        writeToDisk(bytes, size);
    } else {
        m_buffer.append(bytes, size);
    }
}

void AtomicFileWriter::flushBuffer() {
    if (!m_buffer.empty()) {
        writeToDisk(m_buffer.data(), m_buffer.size());
        m_buffer.clear();
    }
}

void AtomicFileWriter::writeToDisk(const char* data, std::size_t size) {
    const std::size_t limit = g_failAfterBytes.load();
    bool injectFault = false;
    if (limit != kNoFault && m_written + size > limit) {
        size = limit > m_written ? limit - m_written : 0;
        injectFault = true;
    }
    while (size > 0) {
        const ssize_t n = ::write(m_fd, data, size);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            fail("write", errno);
        }
        if (n == 0) {
            fail("write", ENOSPC);
        }
        data += n;
        size -= static_cast<std::size_t>(n);
        m_written += static_cast<std::size_t>(n);
    }
    if (injectFault) {
        fail("write", ENOSPC);
    }
}

void AtomicFileWriter::commit() {
    if (m_committed) {
        throw std::logic_error("AtomicFileWriter::commit called twice");
    }
    if (m_fd < 0) {
        throw FileWriteError(m_target, "cannot write " + quoted(m_target) +
                                           ": an earlier write to it failed");
    }
    flushBuffer();
    if (::fsync(m_fd) != 0) {
        fail("flush", errno);
    }
    // Replacing a file keeps its permission bits, as editing it in place would.
    struct stat existing {};
    if (::stat(m_target.c_str(), &existing) == 0 && S_ISREG(existing.st_mode)) {
        ::fchmod(m_fd, existing.st_mode & 07777);
    }
    const int fd = std::exchange(m_fd, -1);
    if (::close(fd) != 0) {
        fail("close", errno);
    }
    if (::rename(m_temp.c_str(), m_target.c_str()) != 0) {
        fail("replace", errno);
    }
    m_committed = true;
    std::filesystem::path folder = m_target.parent_path();
    if (folder.empty()) {
        folder = ".";
    }
    const int dirFd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        const int rc = ::fsync(dirFd);
        const int error = errno;
        ::close(dirFd);
        // Some file systems cannot sync a folder (EINVAL); the rename is done either way.
        if (rc != 0 && error != EINVAL) {
            throw FileWriteError(m_target,
                                 "wrote " + quoted(m_target) +
                                     " but could not sync its folder: " + reasonOf(error));
        }
    }
}

void writeFileAtomically(const std::filesystem::path& path, std::string_view bytes) {
    AtomicFileWriter writer(path);
    writer.write(bytes);
    writer.commit();
}

} // namespace towerlab
