#include "data/dataset_install.hpp"

#include "data/data_error.hpp"
#include "data/dataset_loader.hpp"
#include "data/source_archive.hpp"
#include "util/atomic_file.hpp"

#include <array>
#include <chrono>
#include <system_error>
#include <vector>

namespace towerlab {

namespace fs = std::filesystem;

namespace {

// The files each format's reader needs, and the ones kept beside them when present: GroupLens's
// documentation (the README holds the license). ml-latest-small's links.csv and tags.csv are
// left out: TowerLab reads neither.
struct FormatFiles {
    DatasetFormat format;
    std::vector<std::string> required;
    std::vector<std::string> optional;
};

const FormatFiles& filesOf(DatasetFormat format) {
    static const std::array<FormatFiles, 3> table{{
        {DatasetFormat::MovieLens100k,
         {"u.data", "u.item", "u.user", "u.genre"},
         {"u.info", "u.occupation", "README"}},
        {DatasetFormat::MovieLens1m, {"ratings.dat", "movies.dat", "users.dat"}, {"README"}},
        {DatasetFormat::MovieLensLatest, {"ratings.csv", "movies.csv"}, {"README.txt"}},
    }};
    for (const FormatFiles& files : table) {
        if (files.format == format) {
            return files;
        }
    }
    throw InstallError("no install rule for this dataset format");
}

// "MovieLens 1M (ratings.dat, movies.dat, users.dat)", from the core's table of formats.
std::string describeFormat(DatasetFormat format) {
    for (const DatasetFormatInfo& info : knownDatasetFormats()) {
        if (info.format == format) {
            std::string files;
            for (const std::string& name : info.signature) {
                files += (files.empty() ? "" : ", ") + name;
            }
            return info.name + " (" + files + ")";
        }
    }
    return "an unknown format";
}

// Removes a folder and whatever is left in it on scope exit.
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

private:
    fs::path m_path;
};

void checkCounts(const Dataset& data, const ExpectedCounts& expected) {
    if (data.users.size() != expected.users || data.movies.size() != expected.movies ||
        data.ratings.size() != expected.ratings) {
        throw InstallError(
            "expected " + std::to_string(expected.users) + " users, " +
            std::to_string(expected.movies) + " movies and " + std::to_string(expected.ratings) +
            " ratings, found " + std::to_string(data.users.size()) + ", " +
            std::to_string(data.movies.size()) + " and " + std::to_string(data.ratings.size()) +
            " (an incomplete or different download)");
    }
}

void throwIfCancelled(const std::atomic<bool>* cancel) {
    if (cancel != nullptr && cancel->load()) {
        throw InstallCancelled();
    }
}

fs::path siblingName(const fs::path& target, const char* tag) {
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    return target.parent_path() /
           (target.filename().string() + "." + tag + "-" + std::to_string(stamp));
}

} // namespace

std::string installDataset(const fs::path& archive, const fs::path& target,
                           const InstallCheck& check, const std::atomic<bool>* cancel) {
    // The format first: it only lists the files, and a wrong archive (say 100K offered as
    // 1M) is refused before anything is parsed.
    const DatasetFormat format = detectDatasetFormat(archive);
    if (check.format && format != *check.format) {
        throw InstallError("the archive holds " + describeFormat(format) + ", not the expected " +
                           describeFormat(*check.format) +
                           ": a different dataset than the one chosen");
    }
    const Dataset downloaded = loadDataset(archive);
    if (check.counts) {
        checkCounts(downloaded, *check.counts);
    }
    throwIfCancelled(cancel);

    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    if (ec) {
        throw InstallError(target.parent_path().string() +
                           ": cannot create the folder: " + ec.message());
    }
    if (fs::exists(target, ec) && !fs::is_directory(target, ec)) {
        throw InstallError(target.string() + ": exists and is not a folder");
    }

    // The staging folder has the target's own name, inside a sibling folder that goes away
    // however this ends: the core names a "latest" dataset after its folder, so the copy
    // read back below is named as the installed one will be.
    const fs::path stagingRoot = siblingName(target, "partial");
    const FolderGuard stagingGuard(stagingRoot);
    const fs::path staging = stagingRoot / target.filename();
    fs::create_directories(staging, ec);
    if (ec) {
        throw InstallError(staging.string() + ": cannot create the folder: " + ec.message());
    }
    const SourceArchive source(archive);
    const FormatFiles& files = filesOf(format);
    for (const std::string& name : files.required) {
        writeFileAtomically(staging / name, source.read(name).bytes);
    }
    for (const std::string& name : files.optional) {
        if (source.contains(name)) {
            writeFileAtomically(staging / name, source.read(name).bytes);
        }
    }
    throwIfCancelled(cancel);
    // What was written must read back as the same data before it replaces anything.
    const Dataset installed = loadDataset(staging);
    if (installed.fingerprint() != downloaded.fingerprint()) {
        throw InstallError(staging.string() + ": the unpacked files differ from the archive");
    }
    throwIfCancelled(cancel);

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
    if (!previous.empty()) {
        std::error_code ignored;
        fs::remove_all(previous, ignored);
    }
    return installed.name;
}

} // namespace towerlab
