#pragma once
// One entry point for "open this dataset": recognises the format from the files a folder or
// zip holds, so callers (CLI, GUI) never choose a reader themselves. Format detection lives
// only here; a new format is one more row in the table of dataset_loader.cpp.

#include "data/dataset.hpp"
#include "data/source_archive.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace towerlab {

enum class DatasetFormat { MovieLens100k, MovieLens1m, MovieLensLatest };

// The formats loadDataset() recognises, each with the files that identify it.
struct DatasetFormatInfo {
    DatasetFormat format;
    std::string name;                   // "MovieLens 100K"
    std::vector<std::string> signature; // file names that must all be present
};
const std::vector<DatasetFormatInfo>& knownDatasetFormats();

// One made-up user, movie and rating with exactly the fields the format records (100K and 1M:
// age, occupation, gender and zip code; latest: ids only), so what a dataset of this format
// can feed is answered before it is downloaded by the same rules as after.
Dataset formatSample(DatasetFormat format);

// The format of the dataset in a folder or zip. Files count at the top level or inside one
// top folder (the layout of the original archives and of the folders they unpack to).
// Throws DataError when the path is missing, is not a readable folder or zip, or holds no
// known format; that message lists the files each format needs and the files it found.
DatasetFormat detectDatasetFormat(const std::filesystem::path& folderOrZip);
// The same for an archive already open: a zip's listing is the one read when it was opened.
DatasetFormat detectDatasetFormat(const SourceArchive& archive);

// Detects the format and reads the dataset with that format's reader, opening the folder or
// zip once. Throws DataError.
Dataset loadDataset(const std::filesystem::path& folderOrZip);
// Reads an open archive with the reader of `format` (from detectDatasetFormat). Throws
// DataError.
Dataset loadDataset(const SourceArchive& archive, DatasetFormat format);

} // namespace towerlab
