#include "io/model_file.hpp"

#include "features/feature_error.hpp"
#include "io/byte_codec.hpp"
#include "io/model_file_sections.hpp"
#include "util/atomic_file.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <functional>
#include <optional>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

namespace towerlab {

namespace {

using detail::ByteReader;
using detail::ByteWriter;
using detail::loadU32;
using detail::loadU64;

// PNG-style signature: a non-ASCII-looking start, CR LF, Ctrl-Z and LF, so a transfer that
// rewrites line endings or stops at Ctrl-Z visibly breaks it.
constexpr std::string_view kMagic{"TWRLAB\r\n\x1a\n", 10};
constexpr std::string_view kTextMagicPrefix{"TWRLAB"};
constexpr std::string_view kEndTag{"TEND"};
constexpr std::size_t kHeaderBytes = kMagic.size() + 4 + 4; // magic, version, section count
constexpr std::size_t kSectionHeaderBytes = 4 + 8;          // tag, payload length
constexpr std::size_t kTrailerBytes = 4 + 4;                // end tag, file CRC

struct SectionKind {
    std::string_view tag;
    const char* name;
    // The first format version whose files must have the section; 0 = never required (files
    // written before an optional section was added lack it).
    std::uint32_t requiredSince;
};
// The order sections are written in. Decoding follows dependencies: CONF, RTSK, SPLT, FEAT,
// FVOC, then the others in this order.
constexpr std::array<SectionKind, 10> kSections{{
    {"CONF", "config", 1},
    {"FEAT", "features", 1},
    {"CATL", "catalogue", 1},
    {"WGHT", "weights", 1},
    {"HIST", "history", 1},
    {"DSRC", "dataset source", 0},
    {"FVOC", "feature vocabularies", 0},
    // Version 2: a cosine model scored as a dot product by a reader that skipped the section
    // would give wrong answers, so the section came with a version bump, not as an addition.
    {"RTSK", "retrieval task", 2},
    // Optional: a file without it (written before the time split existed) used the random
    // split, which is what a reader assumes when the section is absent.
    {"SPLT", "split", 0},
    // Optional: a file without it (written before sampled evaluation) evaluated every test
    // example, which is what a reader assumes when the section is absent.
    {"TEVL", "test evaluation", 0},
}};

std::optional<std::size_t> knownSection(std::string_view tag) {
    for (std::size_t i = 0; i < kSections.size(); ++i) {
        if (kSections[i].tag == tag) {
            return i;
        }
    }
    return std::nullopt;
}

// How an unknown tag is named in messages: as text when printable, else in hex.
std::string tagLabel(std::string_view tag) {
    bool printable = true;
    for (const char c : tag) {
        printable = printable && c >= 0x20 && c < 0x7f;
    }
    if (printable) {
        return std::string(tag);
    }
    std::string hex = "0x";
    for (const char c : tag) {
        char digits[3];
        std::snprintf(digits, sizeof digits, "%02x", static_cast<unsigned char>(c));
        hex += digits;
    }
    return hex;
}

std::uint32_t crc32Of(std::string_view bytes) {
    const uLong initial = crc32_z(0L, Z_NULL, 0);
    return static_cast<std::uint32_t>(
        crc32_z(initial, reinterpret_cast<const Bytef*>(bytes.data()), bytes.size()));
}

void putU64At(std::string& bytes, std::size_t pos, std::uint64_t value) {
    for (int i = 0; i < 8; ++i) {
        bytes[pos + static_cast<std::size_t>(i)] = static_cast<char>((value >> (8 * i)) & 0xffu);
    }
}

std::string readWholeFile(const std::filesystem::path& path) {
    const std::string name = path.string();
    auto fail = [&name](const std::string& reason) -> ModelFileError {
        return ModelFileError(name, "", "", reason);
    };
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        throw fail("cannot open: " + std::system_category().message(errno));
    }
    struct Closer {
        int fd;
        ~Closer() { ::close(fd); }
    } closer{fd};
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        throw fail("cannot read: " + std::system_category().message(errno));
    }
    if (S_ISDIR(info.st_mode)) {
        throw fail("is a folder, not a TowerLab model file");
    }
    // Devices and pipes have no size to trust (and /dev/zero never ends).
    if (!S_ISREG(info.st_mode)) {
        throw fail("not a regular file");
    }
    std::string bytes(static_cast<std::size_t>(info.st_size), '\0');
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::read(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw fail("cannot read: " + std::system_category().message(errno));
        }
        if (n == 0) {
            break; // the file shrank while we read it; what we have is judged as it is
        }
        done += static_cast<std::size_t>(n);
    }
    bytes.resize(done);
    return bytes;
}

} // namespace

ModelFileError::ModelFileError(std::string path, std::string section, std::string field,
                               const std::string& reason)
    : std::runtime_error(path + ": " + reason), m_path(std::move(path)),
      m_section(std::move(section)), m_field(std::move(field)), m_reason(reason) {}

std::string encodeModel(const TrainedModel& model, const std::string& displayName) {
    ByteWriter out;
    out.raw(kMagic);
    out.u32(kModelFileFormatVersion);
    out.u32(static_cast<std::uint32_t>(kSections.size()));
    const std::array<std::function<void(ByteWriter&)>, kSections.size()> encoders{
        [&](ByteWriter& w) { detail::encodeConfigSection(w, model); },
        [&](ByteWriter& w) { detail::encodeFeaturesSection(w, model.features); },
        [&](ByteWriter& w) { detail::encodeCatalogueSection(w, model.catalogue, model.features); },
        [&](ByteWriter& w) { detail::encodeWeightsSection(w, model); },
        [&](ByteWriter& w) { detail::encodeHistorySection(w, model.history); },
        [&](ByteWriter& w) { w.string(model.datasetSource, "dataset source"); },
        [&](ByteWriter& w) { detail::encodeVocabularySection(w, model.features); },
        [&](ByteWriter& w) { detail::encodeRetrievalSection(w, model); },
        [&](ByteWriter& w) { detail::encodeSplitSection(w, model); },
        [&](ByteWriter& w) { detail::encodeEvaluationSection(w, model); },
    };
    for (std::size_t i = 0; i < kSections.size(); ++i) {
        out.raw(kSections[i].tag);
        const std::size_t lengthAt = out.size();
        out.u64(0); // patched below, once the payload's length is known
        const std::size_t payloadAt = out.size();
        try {
            encoders[i](out);
        } catch (const detail::EncodeError& e) {
            throw ModelFileError(displayName, kSections[i].name, e.field(),
                                 std::string("cannot save the ") + kSections[i].name + ": " +
                                     e.what());
        }
        std::string& bytes = out.bytes();
        const std::size_t length = bytes.size() - payloadAt;
        putU64At(bytes, lengthAt, length);
        out.u32(crc32Of(std::string_view(out.bytes()).substr(payloadAt, length)));
    }
    out.raw(kEndTag);
    out.u32(crc32Of(out.bytes()));
    return std::move(out.bytes());
}

std::unique_ptr<TrainedModel> decodeModel(std::string_view bytes, const std::string& displayName,
                                          ChecksumPolicy checksums) {
    auto fail = [&displayName](const std::string& section, const std::string& reason) {
        return ModelFileError(displayName, section, "", reason);
    };
    const bool verify = checksums == ChecksumPolicy::Verify;
    const std::size_t size = bytes.size();

    // ---- header
    if (size == 0) {
        throw fail("header", "empty file (0 bytes), not a TowerLab model");
    }
    const std::size_t magicSeen = std::min(size, kMagic.size());
    if (bytes.substr(0, magicSeen) != kMagic.substr(0, magicSeen)) {
        if (bytes.starts_with(kTextMagicPrefix)) {
            throw fail("header", "not a TowerLab model file (bad magic: its line endings were "
                                 "changed, e.g. by a text-mode transfer)");
        }
        throw fail("header", "not a TowerLab model file (bad magic)");
    }
    if (size < kHeaderBytes) {
        throw fail("header", "truncated in the header at byte " + std::to_string(size));
    }
    const std::uint32_t version = loadU32(bytes.data() + kMagic.size());
    if (version == 0) {
        throw fail("header", "format version 0 does not exist (file corrupted)");
    }
    if (version > kModelFileFormatVersion) {
        // Every version ends with the same trailer, so a genuinely newer file can be told
        // from one whose version field was damaged.
        const bool intact =
            size >= kHeaderBytes + kTrailerBytes &&
            bytes.substr(size - kTrailerBytes, 4) == kEndTag &&
            (!verify || crc32Of(bytes.substr(0, size - 4)) == loadU32(bytes.data() + size - 4));
        if (!intact) {
            throw fail("header", "unknown format version " + std::to_string(version) +
                                     " and the file checksum does not match (file corrupted)");
        }
        throw fail("header", "written by a newer TowerLab (format version " +
                                 std::to_string(version) + "; this build reads up to " +
                                 std::to_string(kModelFileFormatVersion) + ")");
    }
    const std::uint32_t sectionCount = loadU32(bytes.data() + kMagic.size() + 4);

    // ---- section table: framing and per-section checksums. The count is not trusted for
    // any allocation; each section consumes at least 16 bytes, so the loop ends with the data.
    struct Found {
        std::string_view payload;
        std::size_t offset = 0;
        bool present = false;
    };
    std::array<Found, kSections.size()> found{};
    std::size_t pos = kHeaderBytes;
    std::string previous = "header";
    for (std::uint32_t i = 0; i < sectionCount; ++i) {
        if (size - pos < kSectionHeaderBytes) {
            throw fail("header", "truncated at byte " + std::to_string(size) +
                                     " in the header of section " + std::to_string(i + 1) + " of " +
                                     std::to_string(sectionCount) + " (after the " + previous +
                                     ")");
        }
        const std::string_view tag = bytes.substr(pos, 4);
        const std::uint64_t length = loadU64(bytes.data() + pos + 4);
        pos += kSectionHeaderBytes;
        const std::optional<std::size_t> kind = knownSection(tag);
        const std::string label = kind ? kSections[*kind].name : tagLabel(tag);
        const std::size_t left = size - pos;
        if (length > left || left - length < 4) {
            throw fail(label, "truncated in section '" + label + "' at byte " +
                                  std::to_string(size) + " (the section declares " +
                                  std::to_string(length) + " bytes, " + std::to_string(left) +
                                  " remain)");
        }
        const std::string_view payload = bytes.substr(pos, static_cast<std::size_t>(length));
        const std::size_t payloadAt = pos;
        pos += payload.size();
        const std::uint32_t storedCrc = loadU32(bytes.data() + pos);
        pos += 4;
        if (verify && crc32Of(payload) != storedCrc) {
            throw fail(label, "checksum mismatch in section '" + label + "' (file corrupted)");
        }
        if (kind) {
            if (found[*kind].present) {
                throw fail(label, "section '" + label + "' appears twice (file corrupted)");
            }
            found[*kind] = {payload, payloadAt, true};
        }
        // Unknown sections come from a newer writer of the same major version: skipped.
        previous = "section '" + label + "'";
    }

    // ---- trailer: covers the section table itself (tags, lengths) that section CRCs miss.
    if (size - pos < kTrailerBytes) {
        throw fail("trailer", "truncated at byte " + std::to_string(size) +
                                  ": the end marker after the " + previous + " is missing");
    }
    if (bytes.substr(pos, 4) != kEndTag) {
        throw fail("trailer", "no end marker at byte " + std::to_string(pos) + " after the " +
                                  previous + " (file corrupted)");
    }
    const std::uint32_t storedFileCrc = loadU32(bytes.data() + pos + 4);
    if (verify && crc32Of(bytes.substr(0, pos + 4)) != storedFileCrc) {
        throw fail("trailer", "checksum mismatch in the file trailer (file corrupted)");
    }
    pos += kTrailerBytes;
    if (pos != size) {
        throw fail("trailer", std::to_string(size - pos) +
                                  " unexpected bytes after the end marker (file corrupted)");
    }
    for (std::size_t i = 0; i < kSections.size(); ++i) {
        const std::uint32_t since = kSections[i].requiredSince;
        if (since != 0 && since <= version && !found[i].present) {
            throw fail(kSections[i].name, std::string("missing section '") + kSections[i].name +
                                              "' (" + std::string(kSections[i].tag) + ")");
        }
    }

    // ---- contents
    auto model = std::make_unique<TrainedModel>();
    auto reader = [&](std::size_t i) {
        return ByteReader(found[i].payload, found[i].offset, displayName, kSections[i].name);
    };
    {
        ByteReader in = reader(0);
        detail::decodeConfigSection(in, *model);
        in.expectEnd();
    }
    if (found[7].present) { // version 1 files lack it: dot product, every option off
        ByteReader in = reader(7);
        detail::decodeRetrievalSection(in, *model);
        in.expectEnd();
    }
    if (found[8].present) { // older files lack it: the random split
        ByteReader in = reader(8);
        detail::decodeSplitSection(in, *model);
        in.expectEnd();
    }
    {
        ByteReader in = reader(1);
        detail::decodeFeaturesSection(in, model->features);
        in.expectEnd();
    }
    std::vector<std::string> vocabularies;
    if (found[6].present) {
        ByteReader in = reader(6);
        vocabularies = detail::decodeVocabularySection(in, model->features);
        in.expectEnd();
    }
    if (const std::string name = detail::missingVocabulary(model->config, vocabularies);
        !name.empty()) {
        throw ModelFileError(displayName, kSections[6].name, name,
                             "the model uses the feature '" + name +
                                 "' but the file has no vocabulary for it (file damaged)");
    }
    {
        ByteReader in = reader(2);
        detail::decodeCatalogueSection(in, model->features, model->catalogue);
        in.expectEnd();
    }
    {
        ByteReader in = reader(3);
        detail::decodeWeightsSection(in, model->config, model->features, model->weights);
        in.expectEnd();
    }
    {
        ByteReader in = reader(4);
        detail::decodeHistorySection(in, model->history);
        in.expectEnd();
    }
    if (found[5].present) {
        ByteReader in = reader(5);
        model->datasetSource = in.string("dataset source");
        in.expectEnd();
    }
    // After HIST, whose decoder fills the history it records the test split's size of.
    if (found[9].present) {
        ByteReader in = reader(9);
        detail::decodeEvaluationSection(in, *model);
        in.expectEnd();
    } else { // older files: every test example, the split's size not recorded
        model->training.evalQueries = TrainConfig::kAllTestQueries;
    }
    return model;
}

void saveModel(const TrainedModel& model, const std::filesystem::path& path) {
    writeFileAtomically(path, encodeModel(model, path.string()));
}

std::unique_ptr<TrainedModel> loadModel(const std::filesystem::path& path) {
    const std::string bytes = readWholeFile(path);
    std::unique_ptr<TrainedModel> model = decodeModel(bytes, path.string());
    try {
        model->finalize();
    } catch (const FeatureError& e) {
        // Encoding the catalogue refused it. The decoder validates everything finalize()
        // relies on, so this means the two disagree; still the user's file, so still a
        // ModelFileError.
        throw ModelFileError(path.string(), "model", "",
                             std::string("inconsistent model: ") + e.what());
    }
    return model;
}

} // namespace towerlab
