#include "data/source_archive.hpp"

#include "data/data_error.hpp"

#include <zip.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <system_error>
#include <utility>

namespace towerlab {

namespace fs = std::filesystem;

namespace {

std::string zipErrorText(int code) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    return text;
}

// "a/b" -> true when `entry` is `name` directly under one top folder.
bool isUnderOneTopFolder(const std::string& entry, const std::string& name) {
    if (entry.size() <= name.size() + 1) {
        return false;
    }
    const std::size_t slash = entry.size() - name.size() - 1;
    if (entry[slash] != '/' || entry.compare(slash + 1, std::string::npos, name) != 0) {
        return false;
    }
    return entry.find('/') == slash;
}

std::string listEntries(const std::vector<std::string>& entries) {
    if (entries.empty()) {
        return "the archive is empty";
    }
    constexpr std::size_t shown = 12;
    std::string text = "the archive holds ";
    for (std::size_t i = 0; i < entries.size() && i < shown; ++i) {
        text += i == 0 ? "" : ", ";
        text += entries[i];
    }
    if (entries.size() > shown) {
        text += " and " + std::to_string(entries.size() - shown) + " more";
    }
    return text;
}

} // namespace

void SourceArchive::ZipCloser::operator()(zip* archive) const {
    zip_discard(archive);
}

SourceArchive::SourceArchive(const fs::path& folderOrZip) : m_path(folderOrZip) {
    std::error_code ec;
    const fs::file_status status = fs::status(folderOrZip, ec);
    if (!fs::exists(status)) {
        throw DataError(folderOrZip.string(), 0, "", "no such folder or file");
    }
    if (fs::is_directory(status)) {
        return;
    }
    int code = 0;
    zip* archive = zip_open(folderOrZip.string().c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &code);
    if (archive == nullptr) {
        throw DataError(folderOrZip.string(), 0, "",
                        "is neither a folder nor a readable zip archive (" + zipErrorText(code) +
                            "); open the ml-100k folder or the original ml-100k.zip");
    }
    m_zip.reset(archive);
    const zip_int64_t count = zip_get_num_entries(archive, 0);
    m_entries.reserve(static_cast<std::size_t>(count > 0 ? count : 0));
    for (zip_int64_t i = 0; i < count; ++i) {
        const char* name = zip_get_name(archive, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
        m_entries.emplace_back(name != nullptr ? name : "");
    }
}

SourceArchive::~SourceArchive() = default;
SourceArchive::SourceArchive(SourceArchive&&) noexcept = default;
SourceArchive& SourceArchive::operator=(SourceArchive&&) noexcept = default;

SourceArchive::File SourceArchive::read(const std::string& name) const {
    const std::unique_ptr<ByteStream> stream = open(name);
    File file{stream->displayName(), {}};
    // The size in a zip's header is only a claim: growing the string as bytes arrive keeps a
    // forged header (a 1 KB file "holding" 4 GB) from allocating more than the entry really
    // inflates to.
    constexpr std::uint64_t kChunk = std::uint64_t{1} << 20;
    constexpr std::uint64_t kTrustedReserve = std::uint64_t{64} << 20;
    file.bytes.reserve(static_cast<std::size_t>(std::min(stream->sizeHint(), kTrustedReserve)));
    while (true) {
        const std::size_t have = file.bytes.size();
        file.bytes.resize(have + kChunk);
        const std::size_t got = stream->read(file.bytes.data() + have, kChunk);
        file.bytes.resize(have + got);
        if (got == 0) {
            return file;
        }
    }
}

std::unique_ptr<ByteStream> SourceArchive::open(const std::string& name) const {
    return m_zip ? openInZip(name) : openInFolder(name);
}

std::set<std::string> SourceArchive::fileNames() const {
    std::set<std::string> names;
    if (m_zip) {
        for (const std::string& entry : m_entries) {
            const auto slash = entry.find('/');
            if (entry.empty()) {
                continue; // a name libzip could not decode
            }
            if (slash == std::string::npos) {
                names.insert(entry);
            } else if (entry.find('/', slash + 1) == std::string::npos &&
                       slash + 1 < entry.size()) {
                names.insert(entry.substr(slash + 1));
            }
        }
        return names;
    }
    std::error_code ec;
    for (fs::directory_iterator it(m_path, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code inner;
        if (it->is_regular_file(inner)) {
            names.insert(it->path().filename().string());
        } else if (it->is_directory(inner)) {
            for (fs::directory_iterator sub(it->path(), inner), subEnd; !inner && sub != subEnd;
                 sub.increment(inner)) {
                std::error_code fileError;
                if (sub->is_regular_file(fileError)) {
                    names.insert(sub->path().filename().string());
                }
            }
        }
    }
    if (ec) {
        throw DataError(m_path.string(), 0, "", "folder cannot be listed: " + ec.message());
    }
    return names;
}

std::vector<fs::path> SourceArchive::folderMatches(const std::string& name) const {
    std::error_code ec;
    if (fs::is_regular_file(m_path / name, ec)) {
        return {m_path / name}; // the top level wins over sub-folders
    }
    // The folder a zip unpacks to may sit one level down (".../Downloads/ml-100k/u.data").
    std::vector<fs::path> matches;
    for (fs::directory_iterator it(m_path, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code inner;
        if (it->is_directory(inner) && fs::is_regular_file(it->path() / name, inner)) {
            matches.push_back(it->path() / name);
        }
    }
    return matches;
}

std::vector<std::size_t> SourceArchive::zipMatches(const std::string& name) const {
    std::vector<std::size_t> matches;
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i] == name) {
            return {i}; // the top level wins over a folder
        }
        if (isUnderOneTopFolder(m_entries[i], name)) {
            matches.push_back(i);
        }
    }
    return matches;
}

bool SourceArchive::contains(const std::string& name) const {
    return (m_zip ? zipMatches(name).size() : folderMatches(name).size()) == 1;
}

namespace {

class FolderFileStream final : public ByteStream {
public:
    FolderFileStream(const fs::path& path, std::uint64_t size)
        : ByteStream(path.string(), size), m_file(std::fopen(path.c_str(), "rb")) {
        if (m_file == nullptr) {
            throw DataError(displayName(), 0, "", "file cannot be opened");
        }
    }
    ~FolderFileStream() override { std::fclose(m_file); }
    FolderFileStream(const FolderFileStream&) = delete;
    FolderFileStream& operator=(const FolderFileStream&) = delete;

    std::size_t read(char* out, std::size_t size) override {
        const std::size_t got = std::fread(out, 1, size, m_file);
        if (got == 0 && std::ferror(m_file) != 0) {
            throw DataError(displayName(), 0, "", "file cannot be read");
        }
        return got;
    }

private:
    std::FILE* m_file;
};

class ZipEntryStream final : public ByteStream {
public:
    ZipEntryStream(zip_file_t* entry, std::string displayName, zip_uint64_t claimedSize,
                   std::uint64_t sizeHint)
        : ByteStream(std::move(displayName), sizeHint), m_entry(entry), m_claimed(claimedSize) {}
    ~ZipEntryStream() override { zip_fclose(m_entry); }
    ZipEntryStream(const ZipEntryStream&) = delete;
    ZipEntryStream& operator=(const ZipEntryStream&) = delete;

    std::size_t read(char* out, std::size_t size) override {
        if (m_ended) {
            return 0;
        }
        // Never more than one byte past the claim, so an entry longer than its header is
        // noticed; reading to the end makes libzip verify the CRC.
        const zip_uint64_t claimedLeft = m_claimed > m_read ? m_claimed - m_read : 0;
        const auto want = static_cast<zip_uint64_t>(std::min<std::uint64_t>(size, claimedLeft + 1));
        const zip_int64_t got = zip_fread(m_entry, out, want);
        if (got < 0) {
            damaged(zip_file_strerror(m_entry));
        }
        m_read += static_cast<zip_uint64_t>(got);
        if (m_read > m_claimed) {
            damaged("entry is longer than its header says");
        }
        if (got == 0) {
            if (m_read != m_claimed) {
                damaged("entry is shorter than its header says");
            }
            m_ended = true;
        }
        return static_cast<std::size_t>(got);
    }

    void verifyRest() override {
        std::string scratch(std::size_t{1} << 16, '\0');
        while (read(scratch.data(), scratch.size()) > 0) {
        }
    }

private:
    [[noreturn]] void damaged(const std::string& why) {
        m_ended = true;
        throw DataError(displayName(), 0, "", "zip entry is damaged (" + why + ")");
    }

    zip_file_t* m_entry;
    zip_uint64_t m_claimed;
    zip_uint64_t m_read = 0;
    bool m_ended = false;
};

} // namespace

std::unique_ptr<ByteStream> SourceArchive::openInFolder(const std::string& name) const {
    const std::vector<fs::path> candidates = folderMatches(name);
    const std::string wanted = (m_path / name).string();
    if (candidates.empty()) {
        throw DataError(wanted, 0, "",
                        "file is missing (looked in the folder and in its sub-folders)");
    }
    if (candidates.size() > 1) {
        throw DataError(wanted, 0, "",
                        "file is missing at the top level and found in several sub-folders (" +
                            candidates[0].string() + ", " + candidates[1].string() +
                            "); open the one you mean");
    }
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(candidates.front(), ec);
    return std::make_unique<FolderFileStream>(candidates.front(), ec ? 0 : size);
}

std::unique_ptr<ByteStream> SourceArchive::openInZip(const std::string& name) const {
    const std::string zipName = m_path.string();
    const std::vector<std::size_t> matches = zipMatches(name);
    if (matches.empty()) {
        throw DataError(zipName + ":" + name, 0, "",
                        "file is missing from the zip; " + listEntries(m_entries));
    }
    if (matches.size() > 1) {
        throw DataError(zipName + ":" + name, 0, "",
                        "file is in several top folders of the zip (" + m_entries[matches[0]] +
                            ", " + m_entries[matches[1]] + "); keep only one copy");
    }
    const std::size_t index = matches.front();
    std::string displayName = zipName + ":" + m_entries[index];
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(m_zip.get(), index, 0, &stat) != 0 || (stat.valid & ZIP_STAT_SIZE) == 0) {
        throw DataError(displayName, 0, "",
                        std::string("zip entry cannot be read: ") + zip_strerror(m_zip.get()));
    }
    zip_file_t* entry = zip_fopen_index(m_zip.get(), index, 0);
    if (entry == nullptr) {
        throw DataError(displayName, 0, "",
                        std::string("zip entry cannot be opened: ") + zip_strerror(m_zip.get()));
    }
    // What the entry can really inflate to: deflate stays under 1,032 to 1, and the
    // compressed data lies inside the archive file. Readers reserve memory by this hint.
    std::error_code ec;
    const std::uintmax_t archiveBytes = fs::file_size(m_path, ec);
    std::uint64_t bound = ec ? 0 : static_cast<std::uint64_t>(archiveBytes);
    if ((stat.valid & ZIP_STAT_COMP_SIZE) != 0) {
        bound = std::min<std::uint64_t>(bound, stat.comp_size);
    }
    const std::uint64_t hint =
        std::min<std::uint64_t>(stat.size, bound > (UINT64_MAX / 1100) ? UINT64_MAX : bound * 1100);
    return std::make_unique<ZipEntryStream>(entry, std::move(displayName), stat.size, hint);
}

} // namespace towerlab
