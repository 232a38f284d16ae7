#pragma once
// Opens embeddings made by another program (see retrieval/external_embeddings.hpp): vectors
// in the Embedding Projector's TSV or NumPy .npy, labels in a Projector metadata TSV, matched
// to the open dataset's titles.

#include "io/embedding_files.hpp"
#include "retrieval/external_embeddings.hpp"

#include <filesystem>

namespace towerlab {

struct Dataset;

struct EmbeddingImportRequest {
    std::filesystem::path vectors;      // movie vectors: .npy or Projector TSV
    std::filesystem::path metadata;     // empty: metadata.tsv in the vectors' folder
    std::filesystem::path userVectors;  // optional, same dimensions
    std::filesystem::path userMetadata; // optional labels of the user rows (else "user N")
    std::filesystem::path queryVector;  // optional, exactly one row, same dimensions
};

// The metadata file beside a vectors file: for X.npy, X_metadata.tsv when it exists (what
// `towerlab-cli embed --format npy` writes); else metadata.tsv in the same folder (the
// Projector's name), whether or not it exists.
std::filesystem::path metadataBeside(const std::filesystem::path& vectors);
// The labels beside a user vectors file X.tsv or X.npy: X_metadata.tsv when it exists (what
// the PyTorch peer's --export and `towerlab-cli embed --users --format npy` write); for a
// file named vectors.tsv, the Projector's metadata.tsv beside it when it exists (what
// `towerlab-cli embed --users --format tsv --out users` writes: users/vectors.tsv and
// users/metadata.tsv); else empty. Beside any other name, metadata.tsv is not taken: in the
// peer's folder it holds the labels of the movies' vectors.tsv, not the users'.
std::filesystem::path userMetadataBeside(const std::filesystem::path& vectors);

// Reads and checks every file of the request, then matches the labels to dataset's titles
// (null: nothing is matched). The metadata column named "title" (any case; else "name" or
// "label"; else the first column) is matched exactly, then by foldForSearch; "genres"
// (names separated by '|' or ','), "year" and "popularity" columns are used when present,
// else the matched movie's. Unmatched rows keep their label. Throws EmbeddingFileError or
// NpyError naming the file and line or field: a file missing or malformed, a metadata row
// count that is not the vector count, user or query vectors of other dimensions, a query
// file with other than one row, a year or popularity that is not a whole number, fewer than
// two movie vectors. EmbeddingReadCancelled when control.cancel is set. Thread-safe (reads
// only its arguments).
ExternalEmbeddings importEmbeddings(const EmbeddingImportRequest& request, const Dataset* dataset,
                                    const ReadControl& control = {});

// User vectors for movie vectors already open (the window opens them afterwards): vectors in
// either format, labels from metadata (empty: "user 1", "user 2", ...; the column named
// user_id, userid, user, id, label or name, else the first). Throws EmbeddingFileError naming
// the file when the dimensions are not the movies' or the label rows are not one a vector, and
// whatever readVectorFile throws. Thread-safe.
ExternalUsers importUserVectors(const std::filesystem::path& vectors,
                                const std::filesystem::path& metadata,
                                const ExternalEmbeddings& movies, const ReadControl& control = {});

// A file of exactly one vector of the movies' dimensions: the query whose top k is asked.
// Throws EmbeddingFileError naming the file otherwise. Thread-safe.
RowVector importQueryVector(const std::filesystem::path& file, const ExternalEmbeddings& movies,
                            const ReadControl& control = {});

} // namespace towerlab
