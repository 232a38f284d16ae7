#include "data/dataset_loader.hpp"

#include "data/data_error.hpp"
#include "data/movielens_100k.hpp"
#include "data/movielens_1m.hpp"
#include "data/movielens_latest.hpp"
#include "data/source_archive.hpp"

#include <algorithm>
#include <set>

namespace towerlab {

namespace fs = std::filesystem;

namespace {

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

DatasetFormat detectDatasetFormat(const SourceArchive& archive) {
    const std::set<std::string> names = archive.fileNames();
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
    throw DataError(archive.path().string(), 0, "",
                    "not a dataset TowerLab can read: expected " + expected + ", found " +
                        describeFound(names));
}

DatasetFormat detectDatasetFormat(const fs::path& folderOrZip) {
    // Opening through SourceArchive gives the same messages as the readers for a missing path
    // or a file that is not a zip.
    return detectDatasetFormat(SourceArchive(folderOrZip));
}

Dataset loadDataset(const SourceArchive& archive, DatasetFormat format) {
    switch (format) {
    case DatasetFormat::MovieLens100k:
        return loadMovieLens100k(archive);
    case DatasetFormat::MovieLens1m:
        return loadMovieLens1m(archive);
    case DatasetFormat::MovieLensLatest:
        return loadMovieLensLatest(archive);
    }
    throw DataError(archive.path().string(), 0, "", "unhandled dataset format");
}

Dataset loadDataset(const fs::path& folderOrZip) {
    // One open (a zip's directory is read once) serves detection and reading.
    const SourceArchive archive(folderOrZip);
    return loadDataset(archive, detectDatasetFormat(archive));
}

} // namespace towerlab
