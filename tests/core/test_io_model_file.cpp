// Model files (.tlm): a hand-built model survives save -> load with every field equal and the
// weights bit-identical; every damaged, truncated, foreign or hostile file is a ModelFileError
// that names the path and the section, and never makes the reader allocate by a corrupt count.

#include "io/model_file.hpp"
#include "io/model_file_sections.hpp"
#include "retrieval/retrieval.hpp"
#include "util/atomic_file.hpp"
#include "util/random.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <vector>

using namespace towerlab;
namespace fs = std::filesystem;

// ---- allocation watch: the largest single operator-new request while armed --------------

namespace {
std::atomic<bool> g_watchAllocations{false};
std::atomic<std::size_t> g_largestAllocation{0};
} // namespace

void* operator new(std::size_t size) {
    if (g_watchAllocations.load(std::memory_order_relaxed)) {
        std::size_t seen = g_largestAllocation.load(std::memory_order_relaxed);
        while (size > seen && !g_largestAllocation.compare_exchange_weak(seen, size)) {
        }
    }
    if (void* p = std::malloc(size == 0 ? 1 : size)) {
        return p;
    }
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}

namespace {

struct AllocationWatch {
    AllocationWatch() {
        g_largestAllocation = 0;
        g_watchAllocations = true;
    }
    ~AllocationWatch() { g_watchAllocations = false; }
    std::size_t largest() const { return g_largestAllocation.load(); }
};

// ---- an independent reading of the documented layout -----------------------------------

// CRC-32 (ISO-HDLC, as zlib computes it), written out here so the test checks the format's
// definition rather than reusing the implementation's zlib call.
std::uint32_t crc32(std::string_view bytes) {
    std::uint32_t crc = 0xffffffffu;
    for (const char ch : bytes) {
        crc ^= static_cast<unsigned char>(ch);
        for (int k = 0; k < 8; ++k) {
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

std::uint64_t getLe(const std::string& b, std::size_t at, int bytes) {
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) {
        v = (v << 8) | static_cast<unsigned char>(b[at + std::size_t(i)]);
    }
    return v;
}

void putLe(std::string& b, std::size_t at, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) {
        b[at + std::size_t(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
    }
}

constexpr std::size_t kMagicBytes = 10;
constexpr std::size_t kHeaderBytes = kMagicBytes + 8;

struct SectionAt {
    std::string tag;
    std::size_t headerAt; // the tag
    std::size_t payloadAt;
    std::size_t length;
};

struct Layout {
    std::vector<SectionAt> sections;
    std::size_t trailerAt = 0;
    const SectionAt& operator[](const std::string& tag) const {
        for (const auto& s : sections) {
            if (s.tag == tag) {
                return s;
            }
        }
        throw std::runtime_error("no section " + tag);
    }
};

Layout layoutOf(const std::string& b) {
    Layout layout;
    const auto count = getLe(b, kMagicBytes + 4, 4);
    std::size_t pos = kHeaderBytes;
    for (std::uint64_t i = 0; i < count; ++i) {
        const auto length = static_cast<std::size_t>(getLe(b, pos + 4, 8));
        layout.sections.push_back({b.substr(pos, 4), pos, pos + 12, length});
        pos += 12 + length + 4;
    }
    layout.trailerAt = pos;
    return layout;
}

// Recomputes every section CRC and the trailer CRC, so a test can change a value and see
// the reader judge the value rather than the checksum.
void fixChecksums(std::string& b) {
    const Layout layout = layoutOf(b);
    for (const auto& s : layout.sections) {
        putLe(b, s.payloadAt + s.length, crc32(std::string_view(b).substr(s.payloadAt, s.length)),
              4);
    }
    putLe(b, layout.trailerAt + 4, crc32(std::string_view(b).substr(0, layout.trailerAt + 4)), 4);
}

std::string sectionBytes(const std::string& tag, const std::string& payload) {
    std::string s = tag;
    s.append(8, '\0');
    putLe(s, 4, payload.size(), 8);
    s += payload;
    s.append(4, '\0');
    putLe(s, s.size() - 4, crc32(payload), 4);
    return s;
}

// Inserts a whole section before the section at index `before` (or before the trailer).
std::string withSection(std::string b, std::size_t before, const std::string& section) {
    const Layout layout = layoutOf(b);
    const std::size_t at =
        before < layout.sections.size() ? layout.sections[before].headerAt : layout.trailerAt;
    b.insert(at, section);
    putLe(b, kMagicBytes + 4, layout.sections.size() + 1, 4);
    fixChecksums(b);
    return b;
}

// ---- the model under test ----------------------------------------------------------------

const std::vector<std::string> kTitles{"Moon Garden (1994)",
                                       "Tin Clock (1990)",
                                       "Paper Lanterns (1987)",
                                       "Quiet Harbour (2001)",
                                       "R\xc3\xa9sum\xc3\xa9 of Rain (1999) ",
                                       "Tin Clock (1990)"};

RankingMetrics metrics(double scale) {
    RankingMetrics m;
    for (std::size_t k = 0; k < m.topK.size(); ++k) {
        m.topK[k] = scale * double(k + 1) / 7.0;
        m.recall[k] = scale * double(k + 2) / 11.0;
        m.ndcg[k] = scale * double(k + 3) / 13.0;
    }
    m.mrr = scale / 3.0;
    m.examples = 20000;
    return m;
}

TrainedModel makeModel(bool withMetrics, bool allFeatures = true) {
    TrainedModel m;
    // Every feature of the table, or the tutorial's.
    m.config.features = allFeatures ? FeatureSet::all() : FeatureSet{};
    m.config.embeddingDim = 4;
    m.config.layers = {6, 3};
    m.training.optimizer = OptimizerKind::Adam;
    m.training.learningRate = 0.003;
    m.training.batchSize = 64;
    m.training.epochs = 3;
    m.training.evalEvery = 2;
    m.training.seed = 0xfeedfacecafebeefULL;
    m.training.trainFraction = 0.75;
    m.training.threads = 2;

    FeatureSpace& f = m.features;
    f.lookup(FeatureId::Age) = IntegerLookup({1, 18, 25, 35});
    f.lookup(FeatureId::Occupation) = IntegerLookup({0, 4, 17});
    f.lookup(FeatureId::Gender) = IntegerLookup({0, 1});
    f.lookup(FeatureId::UserId) = IntegerLookup({-5, 3, 7, 11, 4200000000LL});
    f.lookup(FeatureId::ZipRegion) = IntegerLookup({0, 2, 9});
    f.lookup(FeatureId::ReleaseYear) = IntegerLookup({1985, 1990, 1995, 2000});
    f.timestampBuckets = TimestampBuckets::fit(874724710, 893286638, 10);
    f.timestampNormalizer = Normalizer(883528851.48865, 28492255391018.66);
    f.title = StringLookup::fit(kTitles);
    f.titleTokens = TitleTokenizer::fit(kTitles, 10000);
    f.genreCount = 3;
    f.minTimestamp = 874724710;
    f.maxTimestamp = 893286638;

    Catalogue& c = m.catalogue;
    c.genreNames = {"Drama", "Comedy", "Sci-Fi"};
    c.movieIds = {10, 20, 30, 40, 50, -60};
    c.titles = kTitles;
    c.genres = {{0}, {1, 2}, {}, {2}, {0, 1}, {1}};
    c.years = {1994, 1990, 1987, 2001, 1999, 0};
    c.popularity = {12, 0, 7, 3, 1, 2};

    m.weights = TwoTowerWeights::shaped(m.config, f);
    Random random(7);
    for (auto& t : m.weights.tensors()) {
        float* data = t.matrix != nullptr ? t.matrix->data() : t.vector->data();
        const auto n = t.matrix != nullptr ? t.matrix->size() : t.vector->size();
        for (Eigen::Index i = 0; i < n; ++i) {
            data[i] = random.uniform(-1.0f, 1.0f);
        }
    }

    for (int e = 1; e <= 3; ++e) {
        EpochRecord r;
        r.epoch = e;
        r.meanLoss = 260.0 - e * 1.1;
        r.lastBatchLoss = 250.0 + e / 3.0;
        r.seconds = 0.25 * e;
        r.examplesPerSecond = 12345.678 * e;
        if (withMetrics && e % 2 == 1) {
            r.test = metrics(e);
        }
        m.history.epochs.push_back(r);
    }
    m.history.batchLosses = {266.1f, 265.0f, std::numeric_limits<float>::quiet_NaN(), 1e-30f};
    if (withMetrics) {
        m.history.baseline = metrics(0.5);
    }
    m.history.trainSeconds = 0.75;
    m.history.evalSeconds = 0.125;
    m.datasetName = "Invented test set";
    m.datasetFingerprint = "0123456789abcdef";
    m.datasetSource = "/data/invented \xc3\xa9t\xc3\xa9/ml-100k.zip";
    m.epochsTrained = 3;
    return m;
}

// ---- comparisons -------------------------------------------------------------------------

// memcmp on n bytes; empty ranges (whose data pointers may be null) are equal.
bool sameBytes(const void* a, const void* b, std::size_t n) {
    return n == 0 || std::memcmp(a, b, n) == 0;
}

template <typename T> bool sameBits(const T& a, const T& b) {
    return sameBytes(&a, &b, sizeof(T));
}

void compareMetrics(const std::optional<RankingMetrics>& a,
                    const std::optional<RankingMetrics>& b) {
    QCOMPARE(a.has_value(), b.has_value());
    if (a) {
        QVERIFY(sameBits(a->topK, b->topK));
        QVERIFY(sameBits(a->recall, b->recall));
        QVERIFY(sameBits(a->ndcg, b->ndcg));
        QVERIFY(sameBits(a->mrr, b->mrr));
        QCOMPARE(a->examples, b->examples);
    }
}

void compareModels(const TrainedModel& a, const TrainedModel& b) {
    QVERIFY(a.config == b.config);
    QVERIFY(a.training == b.training);
    QCOMPARE(a.datasetName, b.datasetName);
    QCOMPARE(a.datasetFingerprint, b.datasetFingerprint);
    QCOMPARE(a.datasetSource, b.datasetSource);
    QCOMPARE(a.epochsTrained, b.epochsTrained);

    const FeatureSpace& fa = a.features;
    const FeatureSpace& fb = b.features;
    QCOMPARE(fa.lookup(FeatureId::Age).vocabulary(), fb.lookup(FeatureId::Age).vocabulary());
    QCOMPARE(fa.lookup(FeatureId::Occupation).vocabulary(),
             fb.lookup(FeatureId::Occupation).vocabulary());
    QCOMPARE(fa.lookup(FeatureId::Gender).vocabulary(), fb.lookup(FeatureId::Gender).vocabulary());
    QCOMPARE(fa.lookup(FeatureId::UserId).vocabulary(), fb.lookup(FeatureId::UserId).vocabulary());
    QCOMPARE(fa.timestampBuckets.boundaries().size(), fb.timestampBuckets.boundaries().size());
    QVERIFY(sameBytes(fa.timestampBuckets.boundaries().data(),
                      fb.timestampBuckets.boundaries().data(),
                      fa.timestampBuckets.boundaries().size() * sizeof(float)));
    QVERIFY(sameBits(fa.timestampNormalizer.mean(), fb.timestampNormalizer.mean()));
    QVERIFY(sameBits(fa.timestampNormalizer.variance(), fb.timestampNormalizer.variance()));
    QCOMPARE(fa.title.vocabulary(), fb.title.vocabulary());
    QCOMPARE(fa.titleTokens.vocabulary(), fb.titleTokens.vocabulary());
    QCOMPARE(fa.genreCount, fb.genreCount);
    QCOMPARE(fa.minTimestamp, fb.minTimestamp);
    QCOMPARE(fa.maxTimestamp, fb.maxTimestamp);

    QCOMPARE(a.catalogue.movieIds, b.catalogue.movieIds);
    QCOMPARE(a.catalogue.titles, b.catalogue.titles);
    QCOMPARE(a.catalogue.genres, b.catalogue.genres);
    QCOMPARE(a.catalogue.years, b.catalogue.years);
    QCOMPARE(a.catalogue.popularity, b.catalogue.popularity);
    QCOMPARE(a.catalogue.genreNames, b.catalogue.genreNames);

    auto ta = a.weights.tensors();
    auto tb = b.weights.tensors();
    QCOMPARE(ta.size(), tb.size());
    for (std::size_t i = 0; i < ta.size(); ++i) {
        QCOMPARE(ta[i].name, tb[i].name);
        QCOMPARE(ta[i].matrix == nullptr, tb[i].matrix == nullptr);
        if (ta[i].matrix != nullptr) {
            QCOMPARE(ta[i].matrix->rows(), tb[i].matrix->rows());
            QCOMPARE(ta[i].matrix->cols(), tb[i].matrix->cols());
            QVERIFY(sameBytes(ta[i].matrix->data(), tb[i].matrix->data(),
                              sizeof(float) * std::size_t(ta[i].matrix->size())));
        } else {
            QCOMPARE(ta[i].vector->size(), tb[i].vector->size());
            QVERIFY(sameBytes(ta[i].vector->data(), tb[i].vector->data(),
                              sizeof(float) * std::size_t(ta[i].vector->size())));
        }
    }

    const TrainingHistory& ha = a.history;
    const TrainingHistory& hb = b.history;
    QCOMPARE(ha.epochs.size(), hb.epochs.size());
    for (std::size_t e = 0; e < ha.epochs.size(); ++e) {
        QCOMPARE(ha.epochs[e].epoch, hb.epochs[e].epoch);
        QVERIFY(sameBits(ha.epochs[e].meanLoss, hb.epochs[e].meanLoss));
        QVERIFY(sameBits(ha.epochs[e].lastBatchLoss, hb.epochs[e].lastBatchLoss));
        QVERIFY(sameBits(ha.epochs[e].seconds, hb.epochs[e].seconds));
        QVERIFY(sameBits(ha.epochs[e].examplesPerSecond, hb.epochs[e].examplesPerSecond));
        compareMetrics(ha.epochs[e].test, hb.epochs[e].test);
    }
    QCOMPARE(ha.batchLosses.size(), hb.batchLosses.size());
    QVERIFY(sameBytes(ha.batchLosses.data(), hb.batchLosses.data(),
                      ha.batchLosses.size() * sizeof(float)));
    compareMetrics(ha.baseline, hb.baseline);
    QVERIFY(sameBits(ha.trainSeconds, hb.trainSeconds));
    QVERIFY(sameBits(ha.evalSeconds, hb.evalSeconds));
}

void writeAll(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

// Decodes bytes that must be refused; returns the error.
ModelFileError refused(const std::string& bytes,
                       ChecksumPolicy checksums = ChecksumPolicy::Verify) {
    try {
        decodeModel(bytes, "m.tlm", checksums);
    } catch (const ModelFileError& e) {
        return e;
    }
    throw std::runtime_error("the reader accepted a file it should refuse");
}

enum class Corruption {
    Empty,
    Png,
    Text,
    WrongMagic,
    TextModeLineEndings,
    NewerVersion,
    FlipInVersion,
    VersionZero,
    FlipConfig,
    FlipFeatures,
    FlipCatalogue,
    FlipWeights,
    FlipHistory,
    FlipSectionTag,
    FlipTrailerCrc,
    HugeSectionLength,
    HugeLayerCount,
    HugeVocabularyCount,
    HugeStringLength,
    HugeLayersConfig,
    DuplicateSection,
    MissingSection,
    TrailingGarbage,
    NanWeight,
    WrongShape,
    UnsortedVocabulary,
    GenreOutOfRange,
    LeftoverBytes,
    BadFlag,
};

std::string corrupt(std::string b, Corruption kind) {
    const Layout layout = layoutOf(b);
    auto flipIn = [&](const char* tag) {
        const SectionAt& s = layout[tag];
        b[s.payloadAt + s.length / 2] ^= 0x10;
    };
    switch (kind) {
    case Corruption::Empty:
        return {};
    case Corruption::Png:
        return std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    case Corruption::Text:
        return "model: two-tower\nlayers: 32\n";
    case Corruption::WrongMagic:
        b[0] = 'X';
        return b;
    case Corruption::TextModeLineEndings:
        b.erase(6, 1); // "\r\n" -> "\n", as a text-mode transfer would
        return b;
    case Corruption::NewerVersion:
        putLe(b, kMagicBytes, 3, 4);
        fixChecksums(b);
        return b;
    case Corruption::FlipInVersion:
        b[kMagicBytes + 2] ^= 0x01;
        return b;
    case Corruption::VersionZero:
        putLe(b, kMagicBytes, 0, 4);
        fixChecksums(b);
        return b;
    case Corruption::FlipConfig:
        flipIn("CONF");
        return b;
    case Corruption::FlipFeatures:
        flipIn("FEAT");
        return b;
    case Corruption::FlipCatalogue:
        flipIn("CATL");
        return b;
    case Corruption::FlipWeights:
        flipIn("WGHT");
        return b;
    case Corruption::FlipHistory:
        flipIn("HIST");
        return b;
    case Corruption::FlipSectionTag:
        b[layout["CATL"].headerAt + 1] = 'X';
        return b;
    case Corruption::FlipTrailerCrc:
        b[layout.trailerAt + 5] ^= 0x01;
        return b;
    case Corruption::HugeSectionLength:
        putLe(b, layout["WGHT"].headerAt + 4, std::uint64_t{1} << 60, 8);
        return b;
    case Corruption::HugeLayerCount:
        putLe(b, layout["CONF"].payloadAt + 8, 0xffffffffu, 4);
        fixChecksums(b);
        return b;
    case Corruption::HugeVocabularyCount:
        putLe(b, layout["FEAT"].payloadAt, 0xffffffffu, 4); // the age vocabulary's count
        fixChecksums(b);
        return b;
    case Corruption::HugeStringLength: {
        // The dataset name's length: after flags, dim, layer count, 2 layers and 44 bytes
        // of training settings.
        putLe(b, layout["CONF"].payloadAt + 12 + 8 + 44, 0xfffffff0u, 4);
        fixChecksums(b);
        return b;
    }
    case Corruption::HugeLayersConfig: {
        // Two layers of 4096 are a valid config, but their weights are far more than the
        // file holds: the reader must say so before allocating them.
        putLe(b, layout["CONF"].payloadAt + 12, 4096, 4);
        putLe(b, layout["CONF"].payloadAt + 16, 4096, 4);
        fixChecksums(b);
        return b;
    }
    case Corruption::DuplicateSection: {
        const SectionAt& s = layout["HIST"];
        return withSection(b, 1, b.substr(s.headerAt, 12 + s.length + 4));
    }
    case Corruption::MissingSection: {
        const SectionAt& s = layout["HIST"];
        b.erase(s.headerAt, 12 + s.length + 4);
        putLe(b, kMagicBytes + 4, layout.sections.size() - 1, 4);
        fixChecksums(b);
        return b;
    }
    case Corruption::TrailingGarbage:
        return b + "extra";
    case Corruption::NanWeight: {
        // The first tensor's name is "query/age_embedding" (19 bytes): count, length, name,
        // rows, cols, then its values.
        const std::size_t firstValue = layout["WGHT"].payloadAt + 4 + 4 + 19 + 8;
        putLe(b, firstValue + 4 * 5, 0x7fc00000u, 4);
        fixChecksums(b);
        return b;
    }
    case Corruption::WrongShape:
        putLe(b, layout["WGHT"].payloadAt + 4 + 4 + 19, 4, 4); // rows of the age embedding
        fixChecksums(b);
        return b;
    case Corruption::UnsortedVocabulary:
        // Swap the first two age vocabulary entries (1 and 18).
        putLe(b, layout["FEAT"].payloadAt + 4, 18, 8);
        putLe(b, layout["FEAT"].payloadAt + 12, 1, 8);
        fixChecksums(b);
        return b;
    case Corruption::GenreOutOfRange: {
        // Movie 0's genre list: after the genre names (count + 3 strings), the movie count,
        // the id and the title.
        std::size_t at = layout["CATL"].payloadAt + 4;
        for (const char* name : {"Drama", "Comedy", "Sci-Fi"}) {
            at += 4 + std::strlen(name);
        }
        at += 4 + 8 + 4 + kTitles[0].size();
        if (getLe(b, at, 4) != 1) {
            throw std::runtime_error("test layout error: movie 0 should have one genre");
        }
        putLe(b, at + 4, 3, 4);
        fixChecksums(b);
        return b;
    }
    case Corruption::LeftoverBytes: {
        const SectionAt& s = layout["HIST"];
        b.insert(s.payloadAt + s.length, "??");
        putLe(b, s.headerAt + 4, s.length + 2, 8);
        fixChecksums(b);
        return b;
    }
    case Corruption::BadFlag: {
        // The first epoch's "has test metrics" byte: count, epoch, four doubles.
        b[layout["HIST"].payloadAt + 4 + 4 + 32] = 2;
        fixChecksums(b);
        return b;
    }
    }
    return b;
}

} // namespace

class TestIoModelFile : public QObject {
    Q_OBJECT

private slots:
    void init();
    void roundTrip_data();
    void roundTrip();
    void roundTripIsStable();
    void layoutFollowsTheSpec();
    void loadFinalizes();
    void fileWithoutDatasetSourceOpens();
    void fileOfTheFirstFormatOpens();
    void featureVocabulariesRoundTrip();
    void missingFeatureVocabularyIsRefused();
    void emptyFeatureVocabularyRoundTrips();
    void featureVocabularySectionIsChecked();
    void retrievalTaskRoundTrips();
    void cosineModelScoresCosinesAfterLoading();
    void unknownRetrievalOptionIsRefused_data();
    void unknownRetrievalOptionIsRefused();
    void versionTwoNeedsTheRetrievalTask();
    void splitRoundTrips_data();
    void splitRoundTrips();
    void fileWithoutSplitUsedTheRandomSplit();
    void unknownSplitKindIsRefused_data();
    void unknownSplitKindIsRefused();
    void evaluationSampleRoundTrips();
    void fileWithoutEvaluationEvaluatedEveryTestExample();
    void negativeEvalQueriesIsRefused();
    void corruptions_data();
    void corruptions();
    void everyTruncationIsRefused();
    void truncatedFilesOnDisk();
    void unknownSectionIsSkipped_data();
    void unknownSectionIsSkipped();
    void hostileFilesDoNotAllocate();
    void mutatedFilesNeverCrash();
    void saveRefusesDivergedWeights();
    void saveRefusesMismatchedShapes();
    void saveRefusesInconsistentCatalogue();
    void failedSaveKeepsPreviousFile_data();
    void failedSaveKeepsPreviousFile();
    void loadErrorsNameThePath();
    void weightGuardMatchesShapes_data();
    void weightGuardMatchesShapes();

private:
    std::optional<QTemporaryDir> m_dir;
    fs::path file(const char* name) const { return fs::path(m_dir->path().toStdString()) / name; }
};

void TestIoModelFile::init() {
    m_dir.emplace();
    QVERIFY(m_dir->isValid());
}

void TestIoModelFile::roundTrip_data() {
    QTest::addColumn<bool>("withMetrics");
    QTest::addColumn<bool>("allFeatures");
    QTest::newRow("metrics, every feature") << true << true;
    QTest::newRow("no metrics, tutorial features") << false << false;
}

void TestIoModelFile::roundTrip() {
    QFETCH(bool, withMetrics);
    QFETCH(bool, allFeatures);
    const TrainedModel model = makeModel(withMetrics, allFeatures);
    const fs::path path = file("m.tlm");
    saveModel(model, path);
    const std::unique_ptr<TrainedModel> loaded = loadModel(path);
    compareModels(model, *loaded);
    QCOMPARE(loaded->history.baseline.has_value(), withMetrics);
    QCOMPARE(loaded->history.epochs[0].test.has_value(), withMetrics);
    QCOMPARE(loaded->history.epochs[1].test.has_value(), false);
}

void TestIoModelFile::roundTripIsStable() {
    const TrainedModel model = makeModel(true);
    const std::string first = encodeModel(model);
    const std::unique_ptr<TrainedModel> decoded = decodeModel(first, "m.tlm");
    QVERIFY(encodeModel(*decoded) == first);
}

void TestIoModelFile::layoutFollowsTheSpec() {
    QCOMPARE(crc32("123456789"), 0xcbf43926u); // the CRC-32 check value
    const std::string b = encodeModel(makeModel(true));
    QCOMPARE(b.substr(0, kMagicBytes), std::string("TWRLAB\r\n\x1a\n", kMagicBytes));
    QCOMPARE(getLe(b, kMagicBytes, 4), std::uint64_t{kModelFileFormatVersion});
    const Layout layout = layoutOf(b);
    std::vector<std::string> tags;
    for (const auto& s : layout.sections) {
        tags.push_back(s.tag);
        QCOMPARE(getLe(b, s.payloadAt + s.length, 4),
                 std::uint64_t{crc32(std::string_view(b).substr(s.payloadAt, s.length))});
    }
    QCOMPARE(tags, (std::vector<std::string>{"CONF", "FEAT", "CATL", "WGHT", "HIST", "DSRC", "FVOC",
                                             "RTSK", "SPLT", "TEVL"}));
    QCOMPARE(b.substr(layout.trailerAt, 4), std::string("TEND"));
    QCOMPARE(b.size(), layout.trailerAt + 8);
    QCOMPARE(getLe(b, layout.trailerAt + 4, 4),
             std::uint64_t{crc32(std::string_view(b).substr(0, layout.trailerAt + 4))});
}

// Files written before the "dataset source" section existed still open, with no source.
void TestIoModelFile::fileWithoutDatasetSourceOpens() {
    std::string b = encodeModel(makeModel(true));
    const Layout layout = layoutOf(b);
    const SectionAt& source = layout["DSRC"];
    QCOMPARE(b.substr(source.payloadAt + 4, source.length - 4),
             std::string("/data/invented \xc3\xa9t\xc3\xa9/ml-100k.zip"));
    b.erase(source.headerAt, 12 + source.length + 4);
    putLe(b, kMagicBytes + 4, layout.sections.size() - 1, 4);
    fixChecksums(b);
    const std::unique_ptr<TrainedModel> old = decodeModel(b, "old.tlm");
    QCOMPARE(old->datasetSource, std::string());
    QCOMPARE(old->datasetName, std::string("Invented test set"));
    QCOMPARE(old->catalogue.size(), makeModel(true).catalogue.size());
}

// A file written by the version before the feature table (no FVOC section) opens and gives
// exactly the scores that version listed (tests/fixtures/models/README.md).
void TestIoModelFile::fileOfTheFirstFormatOpens() {
    const std::unique_ptr<TrainedModel> old =
        loadModel(std::filesystem::path(TOWERLAB_FIXTURES) / "models/format1-all-features.tlm");
    QCOMPARE(old->config.features.userFeatureList(),
             std::string("age,occupation,gender,timestamp_bucket,timestamp_norm,user_id"));
    QCOMPARE(old->config.features.movieFeatureList(), std::string("title_id,title_text,genres"));
    QCOMPARE(old->weights.tensors().size(), std::size_t{8 + 2 * 2 * 2});
    UserQuery query;
    query.ageBucket = 25;
    query.occupationLabel = 4;
    query.gender = 0;
    query.timestamp = 880000000;
    query.userId = 5;
    const auto top = recommend(*old, query, 6);
    const std::vector<std::pair<std::int64_t, float>> listed{
        {11, 0.02422202005982399f},  {10, -0.0012667959090322256f}, {15, -0.0038567266892641783f},
        {12, -0.03206823766231537f}, {16, -0.0350797101855278f},    {18, -0.04023653268814087f}};
    QCOMPARE(top.size(), listed.size());
    for (std::size_t i = 0; i < listed.size(); ++i) {
        QCOMPARE(old->catalogue.movieIds[static_cast<std::size_t>(top[i].movie)], listed[i].first);
        QCOMPARE(top[i].score, listed[i].second);
    }
    // Written again, it gains the vocabulary section and reads back the same.
    const std::unique_ptr<TrainedModel> again = decodeModel(encodeModel(*old), "again.tlm");
    again->finalize();
    const auto topAgain = recommend(*again, query, 6);
    QCOMPARE(topAgain.size(), listed.size());
    QCOMPARE(topAgain.front().score, listed.front().second);
}

// The vocabularies of features added after FEAT's layout (zip region, release year) travel
// in FVOC and come back exactly, with the tensors they shape.
void TestIoModelFile::featureVocabulariesRoundTrip() {
    const TrainedModel model = makeModel(true);
    QVERIFY(model.config.features.has(FeatureId::ZipRegion));
    QVERIFY(model.config.features.has(FeatureId::ReleaseYear));
    const std::unique_ptr<TrainedModel> loaded = decodeModel(encodeModel(model), "m.tlm");
    QCOMPARE(loaded->features.lookup(FeatureId::ZipRegion).vocabulary(),
             (std::vector<std::int64_t>{0, 2, 9}));
    QCOMPARE(loaded->features.lookup(FeatureId::ReleaseYear).vocabulary(),
             (std::vector<std::int64_t>{1985, 1990, 1995, 2000}));
    QCOMPARE(loaded->weights.embedding(FeatureId::ZipRegion),
             model.weights.embedding(FeatureId::ZipRegion));
    QCOMPARE(loaded->weights.embedding(FeatureId::ReleaseYear).rows(), Eigen::Index{5});
    std::vector<std::string> names;
    for (const auto& t : loaded->weights.tensors()) {
        names.push_back(t.name);
    }
    QVERIFY(std::find(names.begin(), names.end(), "query/zip_region_embedding") != names.end());
    QVERIFY(std::find(names.begin(), names.end(), "candidate/release_year_embedding") !=
            names.end());
}

// A vocabulary may be empty (the feature was available, but no rated user had a value): such a
// model saves and loads, every value out of vocabulary.
void TestIoModelFile::emptyFeatureVocabularyRoundTrips() {
    TrainedModel model = makeModel(true);
    model.features.lookup(FeatureId::ZipRegion) = IntegerLookup();
    model.weights.embedding(FeatureId::ZipRegion) =
        RowMatrix::Constant(1, model.config.embeddingDim, 0.25f);
    const std::unique_ptr<TrainedModel> loaded = decodeModel(encodeModel(model), "m.tlm");
    QVERIFY(loaded->features.lookup(FeatureId::ZipRegion).vocabulary().empty());
    QCOMPARE(loaded->weights.embedding(FeatureId::ZipRegion),
             model.weights.embedding(FeatureId::ZipRegion));
}

// A file that turns on a feature whose vocabulary lives in FVOC but lacks that section is
// damaged: refused with the feature's name, not read with an empty vocabulary.
void TestIoModelFile::missingFeatureVocabularyIsRefused() {
    std::string b = encodeModel(makeModel(true));
    const Layout layout = layoutOf(b);
    const SectionAt& vocabularies = layout["FVOC"];
    b.erase(vocabularies.headerAt, 12 + vocabularies.length + 4);
    putLe(b, kMagicBytes + 4, layout.sections.size() - 1, 4);
    fixChecksums(b);
    try {
        (void)decodeModel(b, "damaged.tlm");
        QFAIL("a file without the vocabulary of a feature it uses was accepted");
    } catch (const ModelFileError& e) {
        QCOMPARE(e.section(), std::string("feature vocabularies"));
        QVERIFY2(std::string(e.what()).find("'zip_region'") != std::string::npos, e.what());
    }
}

// FVOC as a reader meets it from other writers: a newer build's feature is skipped, a name
// listed twice or one whose vocabulary lives in FEAT is refused with the field named.
void TestIoModelFile::featureVocabularySectionIsChecked() {
    auto entry = [](const std::string& name, std::initializer_list<std::int64_t> values) {
        std::string e(4, '\0');
        putLe(e, 0, name.size(), 4);
        e += name;
        std::string count(4, '\0');
        putLe(count, 0, values.size(), 4);
        e += count;
        for (const std::int64_t v : values) {
            std::string value(8, '\0');
            putLe(value, 0, static_cast<std::uint64_t>(v), 8);
            e += value;
        }
        return e;
    };
    auto withVocabularies = [&](std::initializer_list<std::string> entries) {
        std::string b = encodeModel(makeModel(true));
        const Layout layout = layoutOf(b);
        const SectionAt& old = layout["FVOC"];
        b.erase(old.headerAt, 12 + old.length + 4);
        putLe(b, kMagicBytes + 4, layout.sections.size() - 1, 4);
        fixChecksums(b);
        std::string payload(4, '\0');
        putLe(payload, 0, entries.size(), 4);
        for (const std::string& e : entries) {
            payload += e;
        }
        return withSection(b, 1, sectionBytes("FVOC", payload));
    };
    const std::string zip = entry("zip_region", {0, 2, 9});
    const std::string years = entry("release_year", {1985, 1990, 1995, 2000});

    const auto fine = decodeModel(
        withVocabularies({entry("from_a_newer_build", {1, 2}), zip, years}), "newer.tlm");
    QCOMPARE(fine->features.lookup(FeatureId::ZipRegion).vocabulary(),
             (std::vector<std::int64_t>{0, 2, 9}));

    ModelFileError twice = refused(withVocabularies({zip, zip, years}));
    QCOMPARE(twice.field(), std::string("feature name"));
    QVERIFY2(std::string(twice.what()).find("listed twice") != std::string::npos, twice.what());

    ModelFileError inFeat = refused(withVocabularies({entry("age", {25}), zip, years}));
    QVERIFY2(std::string(inFeat.what()).find("'age' has no vocabulary of this kind") !=
                 std::string::npos,
             inFeat.what());

    ModelFileError unsorted = refused(withVocabularies({entry("zip_region", {9, 0}), years}));
    QCOMPARE(unsorted.field(), std::string("feature vocabulary"));
}

// Every Retrieval option and the L2 normalisation travel in RTSK and come back exactly.
void TestIoModelFile::retrievalTaskRoundTrips() {
    TrainedModel model = makeModel(true);
    QVERIFY(!model.config.l2Normalize && !model.training.retrieval.any());
    QVERIFY(decodeModel(encodeModel(model), "m.tlm")->training.retrieval == RetrievalOptions{});
    model.config.l2Normalize = true;
    RetrievalOptions& r = model.training.retrieval;
    r.temperature = 0.07;
    r.logQ = LogQCorrection::Streaming;
    r.streamingAlpha = 0.125;
    r.removeAccidentalHits = true;
    r.hardNegatives = 9;
    const std::unique_ptr<TrainedModel> loaded = decodeModel(encodeModel(model), "m.tlm");
    QVERIFY(loaded->config.l2Normalize);
    QVERIFY(loaded->training.retrieval == r);
    compareModels(model, *loaded);
}

// Normalisation is part of the scoring: a loaded cosine model's candidates are unit vectors.
void TestIoModelFile::cosineModelScoresCosinesAfterLoading() {
    TrainedModel model = makeModel(true);
    model.config.l2Normalize = true;
    const fs::path path = file("cosine.tlm");
    saveModel(model, path);
    const std::unique_ptr<TrainedModel> loaded = loadModel(path);
    QVERIFY(loaded->candidateEmbeddings.rows() > 0);
    for (Eigen::Index i = 0; i < loaded->candidateEmbeddings.rows(); ++i) {
        QVERIFY(std::abs(loaded->candidateEmbeddings.row(i).norm() - 1.0f) < 1e-5f);
    }
}

void TestIoModelFile::unknownRetrievalOptionIsRefused_data() {
    QTest::addColumn<int>("offset"); // into RTSK's payload
    QTest::addColumn<std::uint64_t>("value");
    QTest::addColumn<int>("bytes");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown flag bit")
        << 0 << std::uint64_t{1u << 5} << 4 << "unknown retrieval option bits 32";
    QTest::newRow("unknown logq code")
        << 12 << std::uint64_t{7} << 4 << "unknown sampling-bias correction code 7";
    QTest::newRow("temperature 0") << 4 << std::uint64_t{0} << 8 << "temperature";
    QTest::newRow("hard negatives over the batch")
        << 24 << std::uint64_t{64} << 4 << "hard-negatives";
}

// A newer build's option is refused with a clear message, never read as "off".
void TestIoModelFile::unknownRetrievalOptionIsRefused() {
    QFETCH(int, offset);
    QFETCH(std::uint64_t, value);
    QFETCH(int, bytes);
    QFETCH(QString, message);
    std::string b = encodeModel(makeModel(true));
    // A copy: the Layout layoutOf returns is a temporary.
    const SectionAt task = layoutOf(b)["RTSK"];
    QCOMPARE(task.length, std::uint64_t{28});
    putLe(b, task.payloadAt + static_cast<std::size_t>(offset), value, bytes);
    fixChecksums(b);
    try {
        (void)decodeModel(b, "newer.tlm");
        QFAIL("a file with an unknown or invalid retrieval option was accepted");
    } catch (const ModelFileError& e) {
        QCOMPARE(e.section(), std::string("retrieval task"));
        QVERIFY2(std::string(e.what()).find(message.toStdString()) != std::string::npos, e.what());
    }
}

// Version 2 files must say how they score; a version 1 file without RTSK is a dot-product
// model trained without options.
void TestIoModelFile::versionTwoNeedsTheRetrievalTask() {
    std::string b = encodeModel(makeModel(true));
    const Layout layout = layoutOf(b);
    const SectionAt& task = layout["RTSK"];
    b.erase(task.headerAt, 12 + task.length + 4);
    putLe(b, kMagicBytes + 4, layout.sections.size() - 1, 4);
    fixChecksums(b);
    try {
        (void)decodeModel(b, "m.tlm");
        QFAIL("a version 2 file without its retrieval task was accepted");
    } catch (const ModelFileError& e) {
        QCOMPARE(std::string(e.what()),
                 std::string("m.tlm: missing section 'retrieval task' (RTSK)"));
    }
    putLe(b, kMagicBytes, 1, 4);
    fixChecksums(b);
    const std::unique_ptr<TrainedModel> old = decodeModel(b, "old.tlm");
    QVERIFY(!old->config.l2Normalize);
    QVERIFY(old->training.retrieval == RetrievalOptions{});
}

void TestIoModelFile::splitRoundTrips_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<std::uint64_t>("code");
    QTest::newRow("random") << int(SplitKind::Random) << std::uint64_t{0};
    QTest::newRow("time") << int(SplitKind::Time) << std::uint64_t{1};
}

// The split kind travels in SPLT (one u32: 0 random, 1 time); seed and fraction stay in CONF.
void TestIoModelFile::splitRoundTrips() {
    QFETCH(int, kind);
    QFETCH(std::uint64_t, code);
    TrainedModel model = makeModel(true);
    model.training.split = static_cast<SplitKind>(kind);
    const fs::path path = file("split.tlm");
    saveModel(model, path);
    std::ifstream in(path, std::ios::binary);
    const std::string b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const SectionAt split = layoutOf(b)["SPLT"];
    QCOMPARE(split.length, std::size_t{4});
    QCOMPARE(getLe(b, split.payloadAt, 4), code);
    const std::unique_ptr<TrainedModel> loaded = loadModel(path);
    QCOMPARE(int(loaded->training.split), kind);
    QCOMPARE(loaded->training.seed, model.training.seed);
    QCOMPARE(loaded->training.trainFraction, 0.75);
    compareModels(model, *loaded);
}

// Files written before the time split existed have no SPLT: they used the random split.
void TestIoModelFile::fileWithoutSplitUsedTheRandomSplit() {
    TrainedModel model = makeModel(true);
    model.training.split = SplitKind::Time;
    std::string b = encodeModel(model);
    const Layout layout = layoutOf(b);
    const SectionAt& split = layout["SPLT"];
    b.erase(split.headerAt, 12 + split.length + 4);
    putLe(b, kMagicBytes + 4, layout.sections.size() - 1, 4);
    fixChecksums(b);
    const std::unique_ptr<TrainedModel> old = decodeModel(b, "old.tlm");
    QVERIFY(old->training.split == SplitKind::Random);
    QCOMPARE(old->training.seed, model.training.seed);
    // The first format's fixture (no SPLT either) reads as the random split too.
    const std::unique_ptr<TrainedModel> first =
        loadModel(std::filesystem::path(TOWERLAB_FIXTURES) / "models/format1-all-features.tlm");
    QVERIFY(first->training.split == SplitKind::Random);
}

void TestIoModelFile::unknownSplitKindIsRefused_data() {
    QTest::addColumn<std::uint64_t>("code");
    QTest::newRow("2") << std::uint64_t{2};
    QTest::newRow("all bits") << std::uint64_t{0xffffffffu};
}

// A kind this build does not know is refused, naming the file, the section and the field;
// never read as the random split, which would mark the wrong ratings as training ones.
void TestIoModelFile::unknownSplitKindIsRefused() {
    QFETCH(std::uint64_t, code);
    std::string b = encodeModel(makeModel(true));
    const SectionAt split = layoutOf(b)["SPLT"];
    putLe(b, split.payloadAt, code, 4);
    fixChecksums(b);
    const fs::path path = file("newer.tlm");
    writeFileAtomically(path, b);
    try {
        (void)loadModel(path);
        QFAIL("a file with an unknown split kind was accepted");
    } catch (const ModelFileError& e) {
        QCOMPARE(e.section(), std::string("split"));
        QCOMPARE(e.field(), std::string("split kind"));
        const std::string text = e.what();
        QVERIFY2(text.starts_with(path.string() +
                                  ": invalid section 'split': split kind: "
                                  "unknown split kind code " +
                                  std::to_string(code)),
                 e.what());
    }
    // A section of the wrong length is damage, reported as such.
    std::string longer = encodeModel(makeModel(true));
    const Layout layout = layoutOf(longer);
    const SectionAt& old = layout["SPLT"];
    longer.erase(old.headerAt, 12 + old.length + 4);
    putLe(longer, kMagicBytes + 4, layout.sections.size() - 1, 4);
    fixChecksums(longer);
    const ModelFileError e =
        refused(withSection(longer, 1, sectionBytes("SPLT", std::string(8, '\0'))));
    QCOMPARE(e.section(), std::string("split"));
}

// TEVL: how many test examples the history's metrics ranked (i32, 0 = all) and the test
// split's size (u64), so a sampled metric is labelled as one after loading.
void TestIoModelFile::evaluationSampleRoundTrips() {
    TrainedModel model = makeModel(true);
    model.training.evalQueries = 123;
    model.history.testExamples = 98765;
    const std::string b = encodeModel(model);
    const SectionAt tevl = layoutOf(b)["TEVL"];
    QCOMPARE(tevl.length, std::size_t{12});
    QCOMPARE(getLe(b, tevl.payloadAt, 4), std::uint64_t{123});
    QCOMPARE(getLe(b, tevl.payloadAt + 4, 8), std::uint64_t{98765});
    const std::unique_ptr<TrainedModel> loaded = decodeModel(b, "m.tlm");
    QCOMPARE(loaded->training.evalQueries, 123);
    QCOMPARE(loaded->history.testExamples, std::size_t{98765});
    compareModels(model, *loaded);
    model.training.evalQueries = TrainConfig::kAllTestQueries;
    QCOMPARE(decodeModel(encodeModel(model), "m.tlm")->training.evalQueries,
             TrainConfig::kAllTestQueries);
}

// Files written before sampled evaluation have no TEVL: their metrics are over every test
// example, and the split's size is not known.
void TestIoModelFile::fileWithoutEvaluationEvaluatedEveryTestExample() {
    TrainedModel model = makeModel(true);
    model.history.testExamples = 500;
    std::string b = encodeModel(model);
    const Layout layout = layoutOf(b);
    const SectionAt& tevl = layout["TEVL"];
    b.erase(tevl.headerAt, 12 + tevl.length + 4);
    putLe(b, kMagicBytes + 4, layout.sections.size() - 1, 4);
    fixChecksums(b);
    const std::unique_ptr<TrainedModel> old = decodeModel(b, "old.tlm");
    QCOMPARE(old->training.evalQueries, TrainConfig::kAllTestQueries);
    QCOMPARE(old->history.testExamples, std::size_t{0});
    const std::unique_ptr<TrainedModel> first =
        loadModel(std::filesystem::path(TOWERLAB_FIXTURES) / "models/format1-all-features.tlm");
    QCOMPARE(first->training.evalQueries, TrainConfig::kAllTestQueries);
}

void TestIoModelFile::negativeEvalQueriesIsRefused() {
    std::string b = encodeModel(makeModel(true));
    const SectionAt tevl = layoutOf(b)["TEVL"];
    putLe(b, tevl.payloadAt, 0xffffffffu, 4); // -1
    fixChecksums(b);
    const ModelFileError e = refused(b);
    QCOMPARE(e.section(), std::string("test evaluation"));
    QCOMPARE(e.field(), std::string("eval queries"));
}

void TestIoModelFile::loadFinalizes() {
    TrainedModel model = makeModel(true);
    saveModel(model, file("m.tlm"));
    const std::unique_ptr<TrainedModel> loaded = loadModel(file("m.tlm"));
    model.finalize();
    QCOMPARE(loaded->candidateEmbeddings.rows(), Eigen::Index(model.catalogue.size()));
    QCOMPARE(loaded->candidateEmbeddings.cols(), Eigen::Index(model.config.outputDim()));
    QVERIFY(loaded->candidateEmbeddings == model.candidateEmbeddings);
    QCOMPARE(loaded->encodedCatalogue.of(FeatureId::TitleText).ids,
             model.encodedCatalogue.of(FeatureId::TitleText).ids);
    QCOMPARE(loaded->encodedCatalogue.of(FeatureId::Genres).ids,
             model.encodedCatalogue.of(FeatureId::Genres).ids);
    // decodeModel alone leaves the derived data to the caller.
    const auto decoded = decodeModel(encodeModel(model), "m.tlm");
    QCOMPARE(decoded->candidateEmbeddings.size(), Eigen::Index(0));
}

void TestIoModelFile::corruptions_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("section");
    QTest::addColumn<QString>("message");
    auto row = [](const char* name, Corruption kind, const char* section, const char* message) {
        QTest::newRow(name) << int(kind) << section << message;
    };
    row("empty file", Corruption::Empty, "header", "m.tlm: empty file");
    row("png", Corruption::Png, "header", "m.tlm: not a TowerLab model file (bad magic)");
    row("text", Corruption::Text, "header", "m.tlm: not a TowerLab model file (bad magic)");
    row("wrong magic", Corruption::WrongMagic, "header",
        "m.tlm: not a TowerLab model file (bad magic)");
    row("text-mode transfer", Corruption::TextModeLineEndings, "header", "text-mode transfer");
    row("newer version", Corruption::NewerVersion, "header",
        "m.tlm: written by a newer TowerLab (format version 3; this build reads up to 2)");
    row("flip in version", Corruption::FlipInVersion, "header",
        "m.tlm: unknown format version 65538 and the file checksum does not match (file "
        "corrupted)");
    row("version 0", Corruption::VersionZero, "header", "format version 0");
    row("flip in config", Corruption::FlipConfig, "config",
        "m.tlm: checksum mismatch in section 'config' (file corrupted)");
    row("flip in features", Corruption::FlipFeatures, "features",
        "m.tlm: checksum mismatch in section 'features' (file corrupted)");
    row("flip in catalogue", Corruption::FlipCatalogue, "catalogue",
        "m.tlm: checksum mismatch in section 'catalogue' (file corrupted)");
    row("flip in weights", Corruption::FlipWeights, "weights",
        "m.tlm: checksum mismatch in section 'weights' (file corrupted)");
    row("flip in history", Corruption::FlipHistory, "history",
        "m.tlm: checksum mismatch in section 'history' (file corrupted)");
    row("flip in a tag", Corruption::FlipSectionTag, "trailer",
        "checksum mismatch in the file trailer");
    row("flip in trailer crc", Corruption::FlipTrailerCrc, "trailer",
        "checksum mismatch in the file trailer");
    row("section length 2^60", Corruption::HugeSectionLength, "weights",
        "m.tlm: truncated in section 'weights' at byte");
    row("layer count 2^32-1", Corruption::HugeLayerCount, "config",
        "malformed section 'config' at byte");
    row("vocabulary count 2^32-1", Corruption::HugeVocabularyCount, "features",
        "age vocabulary: count 4294967295 needs at least");
    row("string length 2^32-16", Corruption::HugeStringLength, "config",
        "dataset name: string length 4294967280 exceeds");
    row("weights the file cannot hold", Corruption::HugeLayersConfig, "weights",
        "weight values but the section holds at most");
    row("duplicate section", Corruption::DuplicateSection, "history",
        "section 'history' appears twice");
    row("missing section", Corruption::MissingSection, "history", "missing section 'history'");
    row("trailing garbage", Corruption::TrailingGarbage, "trailer",
        "5 unexpected bytes after the end marker");
    row("NaN weight", Corruption::NanWeight, "weights",
        "query/age_embedding: NaN at row 1, column 1");
    row("wrong shape", Corruption::WrongShape, "weights",
        "query/age_embedding: shape 4 x 4 in the file but the config and features imply 5 x 4");
    row("unsorted vocabulary", Corruption::UnsortedVocabulary, "features",
        "invalid section 'features': age vocabulary");
    row("genre out of range", Corruption::GenreOutOfRange, "catalogue",
        "movie 0 has genre index 3");
    row("leftover bytes", Corruption::LeftoverBytes, "history",
        "2 unexpected bytes after the last field");
    row("flag byte 2", Corruption::BadFlag, "history", "flag byte is 2");
}

void TestIoModelFile::corruptions() {
    QFETCH(int, kind);
    QFETCH(QString, section);
    QFETCH(QString, message);
    const std::string bytes = corrupt(encodeModel(makeModel(true)), Corruption(kind));
    const ModelFileError e = refused(bytes);
    QVERIFY2(QString::fromStdString(e.what()).contains(message), e.what());
    QCOMPARE(QString::fromStdString(e.section()), section);
    QCOMPARE(e.path(), std::string("m.tlm"));
    // Through a real file too: the message names the path it was given.
    const fs::path path = file("bad.tlm");
    writeAll(path, bytes);
    try {
        loadModel(path);
        QFAIL("loadModel accepted a corrupt file");
    } catch (const ModelFileError& fileError) {
        QVERIFY2(std::string(fileError.what()).starts_with(path.string() + ": "), fileError.what());
    }
}

void TestIoModelFile::everyTruncationIsRefused() {
    const std::string bytes = encodeModel(makeModel(true));
    QVERIFY(bytes.size() > 1000);
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        const ModelFileError e = refused(bytes.substr(0, n));
        const std::string what = e.what();
        QVERIFY2(what.find(n == 0 ? "empty file" : "truncated") != std::string::npos,
                 qPrintable(QString("at %1: %2").arg(n).arg(e.what())));
    }
}

void TestIoModelFile::truncatedFilesOnDisk() {
    const std::string bytes = encodeModel(makeModel(false));
    const Layout layout = layoutOf(bytes);
    const fs::path path = file("cut.tlm");
    // Cuts inside each section's payload, at each boundary and inside the trailer.
    std::vector<std::size_t> cuts{layout.trailerAt + 3};
    for (const auto& s : layout.sections) {
        cuts.push_back(s.headerAt);
        cuts.push_back(s.payloadAt + s.length / 2);
    }
    for (const std::size_t cut : cuts) {
        writeAll(path, bytes.substr(0, cut));
        QVERIFY_THROWS_EXCEPTION(ModelFileError, loadModel(path));
    }
    const SectionAt& weights = layout["WGHT"];
    writeAll(path, bytes.substr(0, weights.payloadAt + 100));
    try {
        loadModel(path);
        QFAIL("accepted");
    } catch (const ModelFileError& e) {
        const std::string expected = path.string() + ": truncated in section 'weights' at byte " +
                                     std::to_string(weights.payloadAt + 100);
        QVERIFY2(std::string(e.what()).starts_with(expected), e.what());
    }
}

void TestIoModelFile::unknownSectionIsSkipped_data() {
    QTest::addColumn<int>("before");
    QTest::newRow("first") << 0;
    QTest::newRow("between catalogue and weights") << 3;
    QTest::newRow("last") << 5;
}

void TestIoModelFile::unknownSectionIsSkipped() {
    QFETCH(int, before);
    const TrainedModel model = makeModel(true);
    const std::string bytes =
        withSection(encodeModel(model), std::size_t(before),
                    sectionBytes("XTRA", std::string("a newer minor writer's notes\0\x01", 30)));
    const fs::path path = file("newer.tlm");
    writeAll(path, bytes);
    compareModels(model, *loadModel(path));
    // Its checksum still counts.
    std::string damaged = bytes;
    damaged[layoutOf(bytes)["XTRA"].payloadAt] ^= 1;
    const ModelFileError e = refused(damaged);
    QVERIFY2(std::string(e.what()).find("checksum mismatch in section 'XTRA'") != std::string::npos,
             e.what());
}

void TestIoModelFile::hostileFilesDoNotAllocate() {
    const std::string good = encodeModel(makeModel(true));
    for (const Corruption kind : {Corruption::HugeSectionLength, Corruption::HugeLayerCount,
                                  Corruption::HugeVocabularyCount, Corruption::HugeStringLength,
                                  Corruption::HugeLayersConfig}) {
        const std::string bytes = corrupt(good, kind);
        for (const ChecksumPolicy policy : {ChecksumPolicy::Verify, ChecksumPolicy::Ignore}) {
            std::size_t largest = 0;
            {
                const AllocationWatch watch;
                try {
                    decodeModel(bytes, "m.tlm", policy);
                } catch (const ModelFileError&) {
                }
                largest = watch.largest();
            }
            QVERIFY2(largest < 4 * bytes.size(),
                     qPrintable(QString("corruption %1 allocated %2 bytes for a %3-byte file")
                                    .arg(int(kind))
                                    .arg(largest)
                                    .arg(bytes.size())));
        }
    }
}

void TestIoModelFile::mutatedFilesNeverCrash() {
    // A small in-test fuzzer: random byte edits past the checksums must give a model or a
    // ModelFileError, nothing else (the ASan build turns any overflow into a failure).
    const std::string good = encodeModel(makeModel(true));
    Random random(2024);
    int refusedCount = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string bytes = good;
        const int edits = 1 + int(random.below(4));
        for (int k = 0; k < edits; ++k) {
            const std::size_t at = random.below(bytes.size());
            switch (random.below(3)) {
            case 0:
                bytes[at] = static_cast<char>(random.below(256));
                break;
            case 1:
                bytes[at] ^= static_cast<char>(1u << random.below(8));
                break;
            default:
                bytes[at] = static_cast<char>(random.below(2) == 0 ? 0xff : 0x00);
                break;
            }
        }
        try {
            decodeModel(bytes, "fuzz.tlm", ChecksumPolicy::Ignore);
        } catch (const ModelFileError&) {
            ++refusedCount;
        }
    }
    QVERIFY(refusedCount > 100); // the edits do reach the validation
}

void TestIoModelFile::saveRefusesDivergedWeights() {
    TrainedModel model = makeModel(true);
    model.weights.queryLayers[1].bias(2) = std::numeric_limits<float>::infinity();
    const fs::path path = file("diverged.tlm");
    try {
        saveModel(model, path);
        QFAIL("saved a model with infinite weights");
    } catch (const ModelFileError& e) {
        QCOMPARE(e.section(), std::string("weights"));
        QCOMPARE(e.field(), std::string("query/dense_1/bias"));
        QVERIFY2(std::string(e.what()).find("infinity at row 0, column 2") != std::string::npos,
                 e.what());
    }
    QVERIFY(!fs::exists(path));
}

void TestIoModelFile::saveRefusesMismatchedShapes() {
    TrainedModel model = makeModel(true);
    model.weights.embedding(FeatureId::TitleText).conservativeResize(3, Eigen::NoChange);
    try {
        encodeModel(model, "x.tlm");
        QFAIL("encoded weights of the wrong shape");
    } catch (const ModelFileError& e) {
        QCOMPARE(e.field(), std::string("candidate/title_token_embedding"));
        QVERIFY2(std::string(e.what()).starts_with("x.tlm: cannot save the weights: "), e.what());
    }
}

void TestIoModelFile::saveRefusesInconsistentCatalogue() {
    TrainedModel model = makeModel(true);
    model.catalogue.years.pop_back();
    QVERIFY_THROWS_EXCEPTION(ModelFileError, encodeModel(model));
    model = makeModel(true);
    model.catalogue.genres[2] = {3};
    QVERIFY_THROWS_EXCEPTION(ModelFileError, encodeModel(model));
    model = makeModel(true);
    model.config.layers.clear();
    try {
        encodeModel(model);
        QFAIL("encoded an invalid config");
    } catch (const ModelFileError& e) {
        QCOMPARE(e.section(), std::string("config"));
        QCOMPARE(e.field(), std::string("layers"));
    }
}

void TestIoModelFile::failedSaveKeepsPreviousFile_data() {
    QTest::addColumn<qulonglong>("failAfter");
    QTest::newRow("nothing written") << 0ULL;
    QTest::newRow("header only") << 20ULL;
    QTest::newRow("mid-file") << 1500ULL;
    QTest::newRow("all but the trailer") << 0ULL; // set from the encoded size below
}

void TestIoModelFile::failedSaveKeepsPreviousFile() {
    QFETCH(qulonglong, failAfter);
    const fs::path path = file("m.tlm");
    const TrainedModel before = makeModel(true, true);
    saveModel(before, path);
    const TrainedModel after = makeModel(false, false);
    if (QByteArray(QTest::currentDataTag()) == "all but the trailer") {
        failAfter = encodeModel(after).size() - 4;
    }
    AtomicFileWriter::setFaultInjectionForTesting(std::size_t(failAfter));
    try {
        saveModel(after, path);
        AtomicFileWriter::setFaultInjectionForTesting(std::nullopt);
        QFAIL("save succeeded on a full disk");
    } catch (const FileWriteError& e) {
        AtomicFileWriter::setFaultInjectionForTesting(std::nullopt);
        QVERIFY2(std::string(e.what()).find(path.string()) != std::string::npos, e.what());
    }
    compareModels(before, *loadModel(path));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(path.parent_path())) {
        ++files;
    }
    QCOMPARE(files, std::size_t{1});
}

void TestIoModelFile::loadErrorsNameThePath() {
    const fs::path missing = file("missing.tlm");
    try {
        loadModel(missing);
        QFAIL("loaded a missing file");
    } catch (const ModelFileError& e) {
        QCOMPARE(std::string(e.what()),
                 missing.string() + ": cannot open: No such file or directory");
    }
    try {
        loadModel(fs::path(m_dir->path().toStdString()));
        QFAIL("loaded a folder");
    } catch (const ModelFileError& e) {
        QVERIFY2(std::string(e.what()).find("is a folder") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(ModelFileError, loadModel("/dev/zero"));
    QVERIFY_THROWS_EXCEPTION(FileWriteError,
                             saveModel(makeModel(false), file("no-such-folder/m.tlm")));
}

void TestIoModelFile::weightGuardMatchesShapes_data() {
    QTest::addColumn<bool>("allFeatures");
    QTest::addColumn<QString>("layers");
    QTest::addColumn<int>("dim");
    QTest::newRow("tutorial") << false << "32" << 32;
    QTest::newRow("two layers, every feature") << true << "64,32" << 32;
    QTest::newRow("tiny") << true << "1" << 1;
}

void TestIoModelFile::weightGuardMatchesShapes() {
    QFETCH(bool, allFeatures);
    QFETCH(QString, layers);
    QFETCH(int, dim);
    TrainedModel model = makeModel(false, allFeatures);
    model.config.embeddingDim = dim;
    model.config.layers.clear();
    for (const QString& size : layers.split(',')) {
        model.config.layers.push_back(size.toInt());
    }
    const std::uint64_t expected =
        TwoTowerWeights::shaped(model.config, model.features).parameterCount();
    QCOMPARE(detail::expectedWeightValues(model.config, model.features), expected);
}

QTEST_APPLESS_MAIN(TestIoModelFile)
#include "test_io_model_file.moc"
