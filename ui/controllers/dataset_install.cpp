#include "controllers/dataset_install.hpp"

#include "data/data_error.hpp"
#include "data/dataset_loader.hpp"
#include "data/source_archive.hpp"
#include "io/atomic_file.hpp"

#include <array>
#include <chrono>
#include <string_view>
#include <system_error>

namespace towerlab {

namespace fs = std::filesystem;

namespace {

// The reader needs the first four; the others are GroupLens's documentation (README holds
// the license), kept when present.
constexpr std::array<std::string_view, 4> kRequired{"u.data", "u.item", "u.user", "u.genre"};
constexpr std::array<std::string_view, 3> kOptional{"u.info", "u.occupation", "README"};

// Removes a folder on scope exit unless released.
class FolderGuard {
public:
    explicit FolderGuard(fs::path path) : m_path(std::move(path)) {}
    ~FolderGuard() {
        if (!m_path.empty()) {
            std::error_code ignored;
            fs::remove_all(m_path, ignored);
        }
    }
    FolderGuard(const FolderGuard&) = delete;
    FolderGuard& operator=(const FolderGuard&) = delete;
    void release() { m_path.clear(); }

private:
    fs::path m_path;
};

void checkCounts(const Dataset& data, const ExpectedCounts& expected, const fs::path& archive) {
    if (data.users.size() != expected.users || data.movies.size() != expected.movies ||
        data.ratings.size() != expected.ratings) {
        throw InstallError(
            archive.string() + ": expected " + std::to_string(expected.users) + " users, " +
            std::to_string(expected.movies) + " movies and " + std::to_string(expected.ratings) +
            " ratings, found " + std::to_string(data.users.size()) + ", " +
            std::to_string(data.movies.size()) + " and " + std::to_string(data.ratings.size()) +
            " (an incomplete or different download)");
    }
}

fs::path siblingName(const fs::path& target, const char* tag) {
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    return target.parent_path() /
           (target.filename().string() + "." + tag + "-" + std::to_string(stamp));
}

} // namespace

std::string installDataset(const fs::path& archive, const fs::path& target,
                           const std::optional<ExpectedCounts>& expected) {
    const Dataset downloaded = loadDataset(archive);
    if (expected) {
        checkCounts(downloaded, *expected, archive);
    }

    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
        throw InstallError(target.parent_path().string() +
                           ": cannot create the folder: " + ec.message());
    }
    if (fs::exists(target, ec) && !fs::is_directory(target, ec)) {
        throw InstallError(target.string() + ": exists and is not a folder");
    }

    const fs::path staging = siblingName(target, "partial");
    FolderGuard stagingGuard(staging);
    fs::create_directory(staging, ec);
    if (ec) {
        throw InstallError(staging.string() + ": cannot create the folder: " + ec.message());
    }
    const SourceArchive source(archive);
    for (const std::string_view name : kRequired) {
        writeFileAtomically(staging / name, source.read(std::string(name)).bytes);
    }
    for (const std::string_view name : kOptional) {
        try {
            writeFileAtomically(staging / name, source.read(std::string(name)).bytes);
        } catch (const DataError&) {
            // Documentation files are welcome, not required.
        }
    }
    // What was written must read back as the same data before it replaces anything.
    const Dataset installed = loadDataset(staging);
    if (installed.fingerprint() != downloaded.fingerprint()) {
        throw InstallError(staging.string() + ": the unpacked files differ from the archive");
    }

    fs::path previous;
    if (fs::exists(target, ec)) {
        previous = siblingName(target, "old");
        fs::rename(target, previous, ec);
        if (ec) {
            throw InstallError(target.string() +
                               ": cannot move the previous copy aside: " + ec.message());
        }
    }
    fs::rename(staging, target, ec);
    if (ec) {
        if (!previous.empty()) {
            std::error_code ignored;
            fs::rename(previous, target, ignored);
        }
        throw InstallError(target.string() +
                           ": cannot move the new copy in place: " + ec.message());
    }
    stagingGuard.release();
    if (!previous.empty()) {
        std::error_code ignored;
        fs::remove_all(previous, ignored);
    }
    return downloaded.name;
}

} // namespace towerlab
