#include "data/source_archive.hpp"

#include "data/data_error.hpp"

#include <zip.h>

#include <algorithm>
#include <fstream>
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
    return m_zip ? readFromZip(name) : readFromFolder(name);
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

SourceArchive::File SourceArchive::readFromFolder(const std::string& name) const {
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
    const fs::path& found = candidates.front();

    File file{found.string(), {}};
    std::ifstream in(found, std::ios::binary);
    if (!in) {
        throw DataError(file.displayName, 0, "", "file cannot be opened");
    }
    in.seekg(0, std::ios::end);
    const std::streamoff size = in.tellg();
    in.seekg(0, std::ios::beg);
    if (size < 0) {
        throw DataError(file.displayName, 0, "", "file cannot be read");
    }
    file.bytes.resize(static_cast<std::size_t>(size));
    if (size > 0 && !in.read(file.bytes.data(), size)) {
        throw DataError(file.displayName, 0, "", "file cannot be read");
    }
    return file;
}

SourceArchive::File SourceArchive::readFromZip(const std::string& name) const {
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

    File file{zipName + ":" + m_entries[index], {}};
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(m_zip.get(), index, 0, &stat) != 0 || (stat.valid & ZIP_STAT_SIZE) == 0) {
        throw DataError(file.displayName, 0, "",
                        std::string("zip entry cannot be read: ") + zip_strerror(m_zip.get()));
    }
    zip_file_t* entry = zip_fopen_index(m_zip.get(), index, 0);
    if (entry == nullptr) {
        throw DataError(file.displayName, 0, "",
                        std::string("zip entry cannot be opened: ") + zip_strerror(m_zip.get()));
    }
    // The size in the zip's headers is only a claim: reading in chunks keeps a forged header
    // (a 1 KB file "holding" 4 GB) from allocating more than the entry really inflates to.
    constexpr zip_uint64_t kChunk = zip_uint64_t{1} << 20;
    constexpr zip_uint64_t kTrustedReserve = zip_uint64_t{64} << 20;
    file.bytes.reserve(static_cast<std::size_t>(std::min(stat.size, kTrustedReserve)));
    // Reading to the end makes libzip verify the CRC, so a damaged entry fails here.
    std::string readError;
    while (true) {
        const std::size_t have = file.bytes.size();
        const zip_uint64_t claimedLeft = stat.size > have ? stat.size - have : 0;
        // One byte past the claim, so an entry longer than its header is noticed.
        const auto want =
            static_cast<std::size_t>(claimedLeft >= kChunk ? kChunk : claimedLeft + 1);
        file.bytes.resize(have + want);
        const zip_int64_t got = zip_fread(entry, file.bytes.data() + have, want);
        file.bytes.resize(have + static_cast<std::size_t>(got > 0 ? got : 0));
        if (got < 0) {
            readError = zip_file_strerror(entry);
            break;
        }
        if (got == 0) {
            break;
        }
        if (file.bytes.size() > stat.size) {
            readError = "entry is longer than its header says";
            break;
        }
    }
    if (readError.empty() && file.bytes.size() != stat.size) {
        readError = "entry is shorter than its header says";
    }
    zip_fclose(entry);
    if (!readError.empty()) {
        throw DataError(file.displayName, 0, "", "zip entry is damaged (" + readError + ")");
    }
    return file;
}

} // namespace towerlab
