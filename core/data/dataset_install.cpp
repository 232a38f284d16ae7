#include "data/dataset_install.hpp"

#include "data/data_error.hpp"
#include "data/dataset_loader.hpp"
#include "data/source_archive.hpp"
#include "util/atomic_file.hpp"

#include <array>
#include <chrono>
#include <memory>
#include <system_error>
#include <utility>
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
                           const InstallCheck& check, const std::atomic<bool>* cancel,
                           Dataset* loaded) {
    // One open: the zip's directory is read once and serves the format check and the copy.
    const SourceArchive source(archive);
    // The format first: it only lists the files, and a wrong archive (say 100K offered as
    // 1M) is refused before anything is read.
    const DatasetFormat format = detectDatasetFormat(source);
    if (check.format && format != *check.format) {
        throw InstallError("the archive holds " + describeFormat(format) + ", not the expected " +
                           describeFormat(*check.format) +
                           ": a different dataset than the one chosen");
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
    // read below is named as the installed one will be.
    const fs::path stagingRoot = siblingName(target, "partial");
    const FolderGuard stagingGuard(stagingRoot);
    const fs::path staging = stagingRoot / target.filename();
    fs::create_directories(staging, ec);
    if (ec) {
        throw InstallError(staging.string() + ": cannot create the folder: " + ec.message());
    }
    // Each file is inflated once, straight to the staging folder (a zip entry's CRC is
    // checked as it ends); the archive's names are kept for the reader's messages.
    const FormatFiles& files = filesOf(format);
    std::vector<std::pair<std::string, std::string>> archiveNames; // staged path -> archive's
    const auto copy = [&](const std::string& name) {
        const std::unique_ptr<ByteStream> in = source.open(name);
        AtomicFileWriter out(staging / name);
        std::string chunk(std::size_t{1} << 20, '\0');
        while (const std::size_t got = in->read(chunk.data(), chunk.size())) {
            out.write(chunk.data(), got);
            throwIfCancelled(cancel);
        }
        out.commit();
        archiveNames.emplace_back((staging / name).string(), in->displayName());
    };
    for (const std::string& name : files.required) {
        copy(name);
    }
    for (const std::string& name : files.optional) {
        if (source.contains(name)) {
            copy(name);
        }
    }
    throwIfCancelled(cancel);

    // One parse, of exactly the files that will be installed; a problem is reported under
    // the archive's name for the file (as when the archive is opened directly).
    Dataset installed;
    try {
        installed = loadDataset(staging);
    } catch (const DataError& e) {
        for (const auto& [staged, original] : archiveNames) {
            if (e.file() == staged) {
                throw DataError(original, e.line(), e.field(), e.reason());
            }
        }
        throw;
    }
    if (check.counts) {
        checkCounts(installed, *check.counts);
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
    const std::string name = installed.name;
    if (loaded != nullptr) {
        installed.source = target.string(); // it was read from the staging folder
        *loaded = std::move(installed);
    }
    return name;
}

} // namespace towerlab
