#pragma once
// Vectors made by another program (TFRS, TorchRec, a script): movie vectors with their labels
// and whatever the metadata or the open dataset tells about each movie, and optionally user
// vectors and a query vector. There are no towers: the map, nearest movies, the similarity
// matrix, vector lengths and the top k for a given vector work on them through MovieSpace;
// anything that must run a query through a tower (a described user, score explanations, the
// user map of a dataset) cannot. io/embedding_import.hpp reads them from files.

#include "model/trained_model.hpp"
#include "nn/tensor.hpp"
#include "retrieval/movie_space.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace towerlab {

// How the metadata's titles met the open dataset's catalogue.
struct TitleMatches {
    std::size_t exact = 0;       // the same bytes as a catalogue title
    std::size_t folded = 0;      // equal after foldForSearch (case, Latin-1 accents)
    std::size_t unmatched = 0;   // kept with their own label
    bool againstDataset = false; // false: no dataset was open, nothing was matched
};

// User vectors opened for movie vectors made elsewhere (the same dimensions), with one label
// per row: the metadata's user column, else "user 1", "user 2", ...
struct ExternalUsers {
    RowMatrix vectors; // users x dimensions
    std::vector<std::string> labels;
    std::string source;   // the vectors' file, as given
    std::string metadata; // the labels' file, as given (empty: numbered)
};

struct ExternalEmbeddings {
    std::string source;   // the movie vectors' file, as given
    std::string metadata; // its metadata file, as given
    // One entry per vector: the label (the title column, or the single column), genres and
    // year from the metadata or else from the matched dataset movie, popularity from a
    // "popularity" column or else the dataset's ratings of the matched movie (else 0), and
    // the matched movie's id (else -1).
    Catalogue catalogue;
    RowMatrix movieVectors;                  // catalogue.size() x dimensions
    std::vector<std::int32_t> datasetMovies; // per vector: matched dataset movie index, or -1
    TitleMatches matches;
    // The popularity came from the metadata's "popularity" column (else from the dataset's
    // ratings of matched movies, or 0).
    bool popularityFromMetadata = false;

    RowMatrix userVectors; // 0 rows when none were given; else users x dimensions
    std::vector<std::string> userLabels;
    std::string userSource;
    std::optional<RowVector> queryVector;
    std::string querySource;

    MovieSpace movies() const { return {catalogue, movieVectors}; }
    Eigen::Index dimensions() const { return movieVectors.cols(); }
};

} // namespace towerlab
