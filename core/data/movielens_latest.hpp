#pragma once
// The MovieLens "latest" CSV format (ml-latest-small, ml-latest, ml-25m, ...): ratings.csv and
// movies.csv with a header line, RFC-4180 quoting, UTF-8 text, half-star ratings and no user
// demographics.

#include "data/dataset.hpp"
#include "data/source_archive.hpp"

#include <filesystem>
#include <string>

namespace towerlab {

// Reads ratings.csv (userId,movieId,rating,timestamp) and movies.csv (movieId,title,genres)
// from a folder or zip (files at the top or in one top folder). Users are the ids seen in
// ratings.csv, in order of first appearance, with every demographic field unknown (-1) and
// Dataset::hasDemographics false. Genre names are those movies.csv uses, sorted; "(no genres
// listed)" gives a movie no genre. Ratings are 0.5..5.0 in half stars.
// Dataset::name is "MovieLens latest (small)" for a source named ml-latest-small (folder or
// .zip), "MovieLens latest (full)" for ml-latest, "MovieLens 20M" / "MovieLens 25M" for ml-20m
// / ml-25m, else "MovieLens latest format (<name>)".
// Throws DataError naming file, line and field for a missing or empty file, a wrong header,
// a wrong field count, an unterminated or misplaced quote, a non-numeric value, a rating not
// a half star in 0.5..5, a title that is empty or not UTF-8, a duplicate movie id and a
// rating naming a movie movies.csv lacks. Accepts "\n" or "\r\n" line ends. Both files are
// read in chunks (a zip entry as it inflates), so memory follows the dataset kept: 16 bytes a
// rating plus the users and movies. A zip entry that fails its CRC or length check is
// reported as damaged, even when the garbled bytes also make a line unreadable.
Dataset loadMovieLensLatest(const std::filesystem::path& folderOrZip);
// The same from an archive already open.
Dataset loadMovieLensLatest(const SourceArchive& source);

struct MovieLensLatestFiles {
    SourceArchive::File movies;  // movies.csv
    SourceArchive::File ratings; // ratings.csv
};

// The parsing half of loadMovieLensLatest, on contents already in memory; `name` becomes
// Dataset::name. Same checks.
Dataset parseMovieLensLatest(const MovieLensLatestFiles& files, const std::string& source,
                             const std::string& name);
// The parsing half on two streams (movies.csv, ratings.csv), each read once front to back.
Dataset parseMovieLensLatest(ByteStream& movies, ByteStream& ratings, const std::string& source,
                             const std::string& name);

} // namespace towerlab
