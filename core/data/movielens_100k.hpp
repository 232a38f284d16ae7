#pragma once

#include "data/dataset.hpp"
#include "data/source_archive.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace towerlab {

// Reads MovieLens 100K (u.user, u.item, u.data, u.genre) from its folder or directly from
// the original ml-100k.zip (entries may sit under one top folder, as in the original).
// Titles are decoded from ISO-8859-1 to UTF-8. Throws DataError naming file, line and field
// for a missing file, an empty file, a wrong field count, a non-numeric value, a rating
// out of 1..5, or a u.data row naming an unknown user or movie; also for an age outside
// 0..150, a gender other than M/F, an unknown occupation text or one u.occupation (when
// present) does not list, a release date not like 01-Jan-1995, a genre flag other than 0/1,
// an id below 1, a duplicate user or movie id, a timestamp outside 0..2100-01-01, and a path
// that is neither a folder nor a readable zip.
// Accepts "\n" or "\r\n" line ends, a last line without one and empty lines at the end.
// Users and movies keep file order; Dataset::source is folderOrZip as given. Thread-safe
// (no shared state); the real 100K loads in about 10 ms.
Dataset loadMovieLens100k(const std::filesystem::path& folderOrZip);
// The same from an archive already open.
Dataset loadMovieLens100k(const SourceArchive& source);

// The four files of MovieLens 100K as read from disk (displayName labels messages).
struct MovieLens100kFiles {
    SourceArchive::File genre; // u.genre
    SourceArchive::File user;  // u.user
    SourceArchive::File item;  // u.item
    SourceArchive::File data;  // u.data
    // u.occupation, when the folder has it (the original does): then every user's occupation
    // must be one it lists.
    std::optional<SourceArchive::File> occupation;
};

// The parsing half of loadMovieLens100k, on contents already in memory (the fuzz targets
// call it directly). Same checks and DataErrors; Dataset::source is `source`.
Dataset parseMovieLens100k(const MovieLens100kFiles& files, const std::string& source);

} // namespace towerlab
