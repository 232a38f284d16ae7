#pragma once
// Turns a downloaded MovieLens archive into a dataset folder, all or nothing: the archive is
// read and checked by the core's reader (its format, and its size when known), its files are
// written to a staging folder next to the target, read back, and only then renamed into
// place. An interrupted, cancelled or failed install leaves the previous folder (if any) as
// it was and no half-written folder behind. Safe to run on any thread.

#include "data/dataset_loader.hpp"

#include <atomic>
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

// MovieLens 100K and 1M as GroupLens publishes them (frozen benchmark datasets; 1M lists
// 3,883 movies of which 3,706 are rated). ml-latest-small is a "development" dataset that
// GroupLens may regenerate, so it has no fixed counts: its format is checked instead.
inline constexpr ExpectedCounts kMovieLens100kCounts{943, 1682, 100000};
inline constexpr ExpectedCounts kMovieLens1mCounts{6040, 3883, 1000209};
// MovieLens 20M and 25M (latest CSV format, frozen): users who rated, movies movies.csv lists,
// ratings, as their README.txt states them.
inline constexpr ExpectedCounts kMovieLens20mCounts{138493, 27278, 20000263};
inline constexpr ExpectedCounts kMovieLens25mCounts{162541, 62423, 25000095};

// What the archive must be. Unset parts are not checked.
struct InstallCheck {
    std::optional<DatasetFormat> format;
    std::optional<ExpectedCounts> counts;
};

class InstallError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown when `cancel` became true before the new copy was put in place.
class InstallCancelled : public std::runtime_error {
public:
    InstallCancelled() : std::runtime_error("installation cancelled") {}
};

// Verifies `archive` (a zip or folder the core's loadDataset reads, of the expected format
// and counts) and installs that format's files into `target` (a folder that must not be a
// file); GroupLens's README (it holds the license) is kept when present. The archive is
// opened once and each file inflated once, straight into a staging folder, which is then
// read once: the data checked is exactly the data installed. Throws InstallError with a
// message a person can act on, DataError / FileWriteError from the core (their messages name
// the file in the archive, line and field), or InstallCancelled when `cancel` is set and
// becomes true before the final rename. Returns the name of the installed dataset as the
// core reads it from `target` (the folder name matters for the "latest" format); when
// `loaded` is given it receives that dataset (source: `target`), so a caller can open it
// without reading it again.
std::string installDataset(const std::filesystem::path& archive,
                           const std::filesystem::path& target, const InstallCheck& check,
                           const std::atomic<bool>* cancel = nullptr, Dataset* loaded = nullptr);

} // namespace towerlab
