#pragma once
// TowerLab model files (".tlm"): one versioned, checksummed, little-endian binary file holding
// everything a TrainedModel stores. The byte layout is specified in docs/model-file-format.md.

#include "model/trained_model.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

namespace towerlab {

// A model file that cannot be read (or a model that cannot be written). what() is
// "<path>: <reason>", e.g. "m.tlm: checksum mismatch in section 'history' (file corrupted)".
class ModelFileError : public std::runtime_error {
public:
    ModelFileError(std::string path, std::string section, std::string field,
                   const std::string& reason);

    const std::string& path() const { return m_path; }
    // "header", "config", "features", "catalogue", "weights", "history", "trailer", the tag
    // of an unknown section, "model" when finalize() refuses the decoded model, or "" for
    // problems with the file as a whole (cannot open it).
    const std::string& section() const { return m_section; }
    // The field being read when the problem was found ("title vocabulary", a tensor name,
    // ...); empty when the problem is not tied to one field.
    const std::string& field() const { return m_field; }
    const std::string& reason() const { return m_reason; }

private:
    std::string m_path;
    std::string m_section;
    std::string m_field;
    std::string m_reason;
};

// The newest format version this build writes and reads. Version 2 added the required
// "retrieval task" section (RTSK); version 1 files still open, as dot-product models trained
// without Retrieval options.
inline constexpr std::uint32_t kModelFileFormatVersion = 2;

// Writes the model to path atomically (an existing file is replaced only once the new one is
// complete). Throws ModelFileError when the model cannot be represented faithfully (weights
// with NaN/inf, weights whose shapes do not match the config and features, a string over
// 4 GiB) and FileWriteError when the file cannot be written. Thread-safe for distinct paths.
void saveModel(const TrainedModel& model, const std::filesystem::path& path);

// Reads, validates and finalize()s a model. Every malformed, truncated, corrupted or
// foreign file gives a ModelFileError naming the path and the section; no input can make it
// allocate more than a small multiple of the file's size.
std::unique_ptr<TrainedModel> loadModel(const std::filesystem::path& path);

// The bytes saveModel writes. displayName is used in error messages.
std::string encodeModel(const TrainedModel& model, const std::string& displayName = "<memory>");

enum class ChecksumPolicy {
    Verify, // normal use
    Ignore  // for fuzzing the decoder beyond the checksums; never for user files
};

// Parses and validates model bytes without finalize() (encodedCatalogue and
// candidateEmbeddings stay empty). Same errors as loadModel.
std::unique_ptr<TrainedModel> decodeModel(std::string_view bytes, const std::string& displayName,
                                          ChecksumPolicy checksums = ChecksumPolicy::Verify);

} // namespace towerlab
