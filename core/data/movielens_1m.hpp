#pragma once
// MovieLens 1M (ratings.dat, movies.dat, users.dat; "::"-separated, ISO-8859-1), with the
// TFDS feature derivation for 1M: age codes are already TFDS buckets, occupation codes map
// to the 22 TFDS labels by name, and the genre "Children's" is named "Children".

#include "data/dataset.hpp"
#include "data/source_archive.hpp"

#include <filesystem>
#include <string>
#include <string_view>

namespace towerlab {

// The 21 occupation names of ML-1M's README, indexed by the code users.dat stores (0..20).
const std::vector<std::string>& ml1mOccupationNames();
// An ML-1M occupation code -> index into occupationLabels(); -1 for a code outside 0..20.
// Both "K-12 student" (10) and "college/grad student" (4) map to "student", and "other" (0)
// to "other/not specified", as TFDS does.
int occupationLabelFromMl1mCode(int code);
// The 18 ML-1M genre names in the order of its README, with "Children's" already renamed
// "Children" (the TFDS name): Dataset::genreNames holds these, and movies.dat may spell that
// genre either way.
const std::vector<std::string>& ml1mGenreNames();

// Reads MovieLens 1M from its folder or the original ml-1m.zip (files at the top or in one
// top folder). Titles are decoded from ISO-8859-1 to UTF-8. User::rawAge and ageBucket are
// both the age code (1, 18, 25, 35, 45, 50, 56): 1M stores no exact ages. occupationText is
// the README name of the code. Throws DataError naming file, line and field for a missing or
// empty file, a wrong field count (e.g. a wrong separator), a non-numeric value, an age code
// not in the list, an occupation code outside 0..20, a gender other than M/F, an unknown
// genre, a rating outside 1..5, a rating naming an unknown user or movie, and duplicate ids.
// Accepts "\n" or "\r\n" line ends. Dataset::name is "MovieLens 1M".
Dataset loadMovieLens1m(const std::filesystem::path& folderOrZip);
// The same from an archive already open.
Dataset loadMovieLens1m(const SourceArchive& source);

struct MovieLens1mFiles {
    SourceArchive::File users;   // users.dat
    SourceArchive::File movies;  // movies.dat
    SourceArchive::File ratings; // ratings.dat
};

// The parsing half of loadMovieLens1m, on contents already in memory. Same checks.
Dataset parseMovieLens1m(const MovieLens1mFiles& files, const std::string& source);

} // namespace towerlab
