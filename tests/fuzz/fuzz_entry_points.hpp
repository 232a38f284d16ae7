#pragma once
// What each fuzz target does with one input, shared by the libFuzzer binaries and by the
// regression test that replays saved crash inputs in the normal build
// (tests/core/test_fuzz_regressions.cpp). Each function feeds the bytes to a reader of
// outside data exactly as the application does and returns normally when the reader either
// accepts them or refuses them with its documented error type. Anything else escapes: an
// unexpected exception type, a broken round trip (std::logic_error from the checks here), or,
// under the sanitizers, a memory or undefined-behaviour error.

#include <string>
#include <string_view>
#include <vector>

namespace towerlab::fuzz {

enum class Target {
    Ml100kGenre,          // u.genre bytes; the other 100K files from the valid fixture
    Ml100kUser,           // u.user bytes; the others from the fixture
    Ml100kItem,           // u.item bytes; the others from the fixture
    Ml100kData,           // u.data bytes; the others from the fixture
    Ml1mUsers,            // users.dat bytes; the other 1M files from the valid fixture
    Ml1mMovies,           // movies.dat bytes; the others from the fixture
    Ml1mRatings,          // ratings.dat bytes; the others from the fixture
    MlLatestMovies,       // movies.csv bytes; ratings.csv from the valid fixture
    MlLatestRatings,      // ratings.csv bytes; movies.csv from the fixture
    DatasetZip,           // a whole file handed to loadDataset() (zip detection and reading)
    ModelFile,            // .tlm bytes, checksums verified (what loadModel does)
    ModelFileNoChecksums, // .tlm bytes with checksums ignored, to reach the section decoders
    Npy,                  // .npy bytes
    Lesson,               // .tllesson bytes
    EmbeddingVectors,     // an Embedding Projector vectors.tsv
    EmbeddingMetadata,    // its metadata.tsv, imported against the 100K fixture's titles
};

struct TargetInfo {
    Target target;
    std::string name; // the fuzz binary's name and its folder under tests/fuzz/regressions
};

// Every target, in a stable order.
const std::vector<TargetInfo>& allTargets();

// Runs one input through `target` (see the contract above). The MovieLens targets read the
// companion files once from the valid fixtures under `fixturesRoot` (tests/fixtures); the zip
// target writes the bytes to a per-process temporary file, since libzip reads archives from
// paths.
void runInput(Target target, std::string_view bytes, const std::string& fixturesRoot);

} // namespace towerlab::fuzz
