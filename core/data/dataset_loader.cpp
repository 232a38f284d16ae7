#include "data/dataset_loader.hpp"

#include "data/data_error.hpp"
#include "data/movielens_100k.hpp"
#include "data/movielens_1m.hpp"
#include "data/movielens_latest.hpp"
#include "data/source_archive.hpp"

#include <zip.h>

#include <algorithm>
#include <memory>
#include <set>
#include <system_error>

namespace towerlab {

namespace fs = std::filesystem;

namespace {

// Names of the files at the top level and inside the top folders of a folder.
std::set<std::string> folderFileNames(const fs::path& folder) {
    std::set<std::string> names;
    std::error_code ec;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
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
        throw DataError(folder.string(), 0, "", "folder cannot be listed: " + ec.message());
    }
    return names;
}

// Names of the entries at the top level or exactly one folder down in a zip.
std::set<std::string> zipFileNames(const fs::path& zipPath) {
    int code = 0;
    struct Closer {
        void operator()(zip_t* archive) const { zip_discard(archive); }
    };
    std::unique_ptr<zip_t, Closer> archive(zip_open(zipPath.string().c_str(), ZIP_RDONLY, &code));
    if (!archive) {
        // SourceArchive already opened it, so this is a race with someone replacing the file.
        throw DataError(zipPath.string(), 0, "", "zip archive cannot be reopened");
    }
    std::set<std::string> names;
    const zip_int64_t count = zip_get_num_entries(archive.get(), 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        const char* raw =
            zip_get_name(archive.get(), static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
        if (raw == nullptr) {
            continue;
        }
        const std::string entry = raw;
        const auto slash = entry.find('/');
        if (slash == std::string::npos) {
            names.insert(entry);
        } else if (entry.find('/', slash + 1) == std::string::npos && slash + 1 < entry.size()) {
            names.insert(entry.substr(slash + 1));
        }
    }
    return names;
}

std::string joined(const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) {
        text += text.empty() ? "" : ", ";
        text += item;
    }
    return text;
}

std::string describeFound(const std::set<std::string>& names) {
    if (names.empty()) {
        return "no files";
    }
    constexpr std::size_t shown = 12;
    std::string text;
    std::size_t i = 0;
    for (const auto& name : names) {
        if (i == shown) {
            text += " and " + std::to_string(names.size() - shown) + " more";
            break;
        }
        text += i == 0 ? "" : ", ";
        text += name;
        ++i;
    }
    return text;
}

} // namespace

Dataset formatSample(DatasetFormat format) {
    Dataset d;
    d.genreNames = {"Drama"};
    User user;
    user.id = 1;
    if (format == DatasetFormat::MovieLensLatest) {
        d.hasDemographics = false; // ratings.csv names users by id only
    } else {
        user.rawAge = 30;
        user.ageBucket = bucketizeAge(user.rawAge);
        user.occupationLabel = 4;
        user.occupationText = "college/grad student";
        user.gender = 0;
        user.zipCode = "12345";
    }
    Movie movie;
    movie.id = 1;
    movie.title = "Example (1995)";
    movie.genres = {0};
    movie.year = 1995;
    d.users = {user};
    d.movies = {movie};
    d.ratings = {{0, 0, 4.0f, 880000000}};
    for (const DatasetFormatInfo& info : knownDatasetFormats()) {
        if (info.format == format) {
            d.name = info.name;
        }
    }
    d.source = "sample";
    return d;
}

const std::vector<DatasetFormatInfo>& knownDatasetFormats() {
    static const std::vector<DatasetFormatInfo> formats = {
        {DatasetFormat::MovieLens100k, "MovieLens 100K", {"u.data", "u.item", "u.user"}},
        {DatasetFormat::MovieLens1m, "MovieLens 1M", {"ratings.dat", "movies.dat", "users.dat"}},
        {DatasetFormat::MovieLensLatest, "MovieLens latest (CSV)", {"ratings.csv", "movies.csv"}},
    };
    return formats;
}

DatasetFormat detectDatasetFormat(const fs::path& folderOrZip) {
    // Opening through SourceArchive gives the same messages as the readers for a missing path
    // or a file that is not a zip.
    const SourceArchive archive(folderOrZip);
    const std::set<std::string> names =
        archive.isZip() ? zipFileNames(folderOrZip) : folderFileNames(folderOrZip);
    std::string expected;
    for (const auto& info : knownDatasetFormats()) {
        const bool complete =
            std::all_of(info.signature.begin(), info.signature.end(),
                        [&names](const std::string& file) { return names.contains(file); });
        if (complete) {
            return info.format;
        }
        expected += expected.empty() ? "" : "; or ";
        expected += info.name + " (" + joined(info.signature) + ")";
    }
    throw DataError(folderOrZip.string(), 0, "",
                    "not a dataset TowerLab can read: expected " + expected + ", found " +
                        describeFound(names));
}

Dataset loadDataset(const fs::path& folderOrZip) {
    switch (detectDatasetFormat(folderOrZip)) {
    case DatasetFormat::MovieLens100k:
        return loadMovieLens100k(folderOrZip);
    case DatasetFormat::MovieLens1m:
        return loadMovieLens1m(folderOrZip);
    case DatasetFormat::MovieLensLatest:
        return loadMovieLensLatest(folderOrZip);
    }
    throw DataError(folderOrZip.string(), 0, "", "unhandled dataset format");
}

} // namespace towerlab
