#pragma once
// Turns a downloaded MovieLens archive into a dataset folder, all or nothing: the archive is
// read and checked by the core's reader, its files are written to a staging folder next to
// the target, read back, and only then renamed into place. An interrupted or failed install
// leaves the previous folder (if any) as it was and no half-written folder behind.
// Plain C++ (no Qt), safe to run on any thread.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace towerlab {

struct ExpectedCounts {
    std::size_t users = 0;
    std::size_t movies = 0;
    std::size_t ratings = 0;
};

// MovieLens 100K as GroupLens publishes it.
inline constexpr ExpectedCounts kMovieLens100kCounts{943, 1682, 100000};

class InstallError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Verifies `archive` (a zip or folder the core's loadDataset reads, and, when given, exactly
// the expected counts) and installs its MovieLens files into `target` (a folder that must not
// be a file). Throws InstallError with a message a person can act on, or DataError /
// FileWriteError from the core (their messages name file and line). Returns the dataset name.
std::string installDataset(const std::filesystem::path& archive,
                           const std::filesystem::path& target,
                           const std::optional<ExpectedCounts>& expected);

} // namespace towerlab
