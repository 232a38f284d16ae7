#pragma once
// Named input files read from either a folder or a zip archive, so a reader does not care
// which of the two the user picked.

#include "data/byte_stream.hpp"

#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

struct zip; // libzip's archive handle (zip_t); libzip stays private to the data library.

namespace towerlab {

class SourceArchive {
public:
    // Opens a folder (when folderOrZip is a directory) or a zip file (anything else).
    // Throws DataError when the path does not exist or is not a readable zip archive.
    explicit SourceArchive(const std::filesystem::path& folderOrZip);
    ~SourceArchive();
    SourceArchive(SourceArchive&&) noexcept;
    SourceArchive& operator=(SourceArchive&&) noexcept;
    SourceArchive(const SourceArchive&) = delete;
    SourceArchive& operator=(const SourceArchive&) = delete;

    struct File {
        std::string displayName; // "<folder>/u.data" or "<zip>:ml-100k/u.data", for messages
        std::string bytes;       // the whole file, undecoded
    };

    // Reads the file `name` at the top level or inside exactly one top folder (the layout
    // of the original ml-100k.zip and of the folder it unpacks to). Throws DataError naming
    // the file when it is missing, ambiguous or unreadable; for a zip the message lists the
    // entries the archive does hold.
    File read(const std::string& name) const;

    // The same file read front to back in chunks (same lookup and errors as read(); reading
    // a zip entry to its end verifies its CRC and length). The archive must outlive it.
    std::unique_ptr<ByteStream> open(const std::string& name) const;

    // True when read(name) would find exactly one file (same lookup rules, nothing read).
    bool contains(const std::string& name) const;

    // Names of the files at the top level or exactly one folder down (for a zip: from the
    // listing read when it was opened; for a folder: listed now). Throws DataError when a
    // folder cannot be listed.
    std::set<std::string> fileNames() const;

    bool isZip() const { return m_zip != nullptr; }
    // The entry names of a zip in archive order; empty for a folder.
    const std::vector<std::string>& zipEntries() const { return m_entries; }
    const std::filesystem::path& path() const { return m_path; }

private:
    std::vector<std::filesystem::path> folderMatches(const std::string& name) const;
    std::vector<std::size_t> zipMatches(const std::string& name) const;
    std::unique_ptr<ByteStream> openInFolder(const std::string& name) const;
    std::unique_ptr<ByteStream> openInZip(const std::string& name) const;

    struct ZipCloser {
        void operator()(zip* archive) const;
    };

    std::filesystem::path m_path;
    std::unique_ptr<zip, ZipCloser> m_zip;
    std::vector<std::string> m_entries; // zip entry names in archive order
};

} // namespace towerlab
