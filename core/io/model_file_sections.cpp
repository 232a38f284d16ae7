#include "io/model_file_sections.hpp"

#include "model/tower_layout.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

namespace towerlab::detail {

namespace {

// ---- CONF -----------------------------------------------------------------------------

// Each feature's bit is the table's fileBit (part of the format: never renumbered).
constexpr std::uint32_t kKnownFeatureBits = [] {
    std::uint32_t bits = 0;
    for (const FeatureDescriptor& f : kFeatureTable) {
        bits |= f.fileBit;
    }
    return bits;
}();

// The attribute vocabularies FEAT holds, in its order; every other attribute vocabulary of the
// feature table is in FVOC. Part of the format: never changes.
struct FeatLookup {
    FeatureId feature;
    const char* field;
};
constexpr FeatLookup kFeatLookups[] = {
    {FeatureId::Age, "age vocabulary"},
    {FeatureId::Occupation, "occupation vocabulary"},
    {FeatureId::Gender, "gender vocabulary"},
    {FeatureId::UserId, "user id vocabulary"},
};

bool inFeatSection(FeatureId feature) {
    for (const FeatLookup& l : kFeatLookups) {
        if (l.feature == feature) {
            return true;
        }
    }
    return false;
}

bool hasAttributeVocabulary(const FeatureDescriptor& f) {
    return f.vocabulary == Vocabulary::UserAttribute || f.vocabulary == Vocabulary::MovieAttribute;
}

// Optimizer codes are part of the file format, independent of the enum's order.
std::uint32_t optimizerCode(OptimizerKind kind) {
    switch (kind) {
    case OptimizerKind::Adagrad:
        return 0;
    case OptimizerKind::Adam:
        return 1;
    case OptimizerKind::Sgd:
        return 2;
    }
    throw EncodeError("optimizer", "unknown optimizer kind");
}

// ConfigError's what() is "field: reason"; the field is reported separately.
std::string reasonOf(const ConfigError& error) {
    const std::string what = error.what();
    const std::string prefix = error.field() + ": ";
    return what.starts_with(prefix) ? what.substr(prefix.size()) : what;
}

// ---- FEAT -----------------------------------------------------------------------------

void writeStrings(ByteWriter& out, const std::vector<std::string>& values, const char* field) {
    out.count(values.size(), field);
    for (const std::string& value : values) {
        out.string(value, field);
    }
}

std::vector<std::string> readStrings(ByteReader& in, const char* field) {
    const std::size_t n = in.count(field, 4);
    std::vector<std::string> values;
    values.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        values.push_back(in.string(field));
    }
    return values;
}

void writeIntegerLookup(ByteWriter& out, const IntegerLookup& lookup, const char* field) {
    out.count(lookup.vocabulary().size(), field);
    for (const std::int64_t value : lookup.vocabulary()) {
        out.i64(value);
    }
}

IntegerLookup readIntegerLookup(ByteReader& in, const char* field) {
    const std::size_t n = in.count(field, 8);
    std::vector<std::int64_t> vocabulary(n);
    for (std::int64_t& value : vocabulary) {
        value = in.i64(field);
    }
    try {
        return IntegerLookup(std::move(vocabulary));
    } catch (const FeatureError& e) {
        in.invalid(field, e.what());
    }
}

// ---- metrics (HIST) -------------------------------------------------------------------

void writeMetrics(ByteWriter& out, const RankingMetrics& metrics) {
    out.count(RankingMetrics::kCutoffs.size(), "metric cut-offs");
    for (const int cutoff : RankingMetrics::kCutoffs) {
        out.i32(cutoff);
    }
    for (const auto* values : {&metrics.topK, &metrics.recall, &metrics.ndcg}) {
        for (const double value : *values) {
            out.f64(value);
        }
    }
    out.f64(metrics.mrr);
    out.u64(metrics.examples);
}

RankingMetrics readMetrics(ByteReader& in) {
    constexpr auto& kCutoffs = RankingMetrics::kCutoffs;
    const std::size_t n = in.count("metric cut-offs", 4);
    if (n != kCutoffs.size()) {
        in.invalid("metric cut-offs", std::to_string(n) + " cut-offs, this build has " +
                                          std::to_string(kCutoffs.size()));
    }
    for (const int expected : kCutoffs) {
        const std::int32_t cutoff = in.i32("metric cut-offs");
        if (cutoff != expected) {
            in.invalid("metric cut-offs", "cut-off " + std::to_string(cutoff) +
                                              " where this build has " + std::to_string(expected));
        }
    }
    RankingMetrics metrics;
    for (auto* values : {&metrics.topK, &metrics.recall, &metrics.ndcg}) {
        for (double& value : *values) {
            value = in.f64("metric values");
        }
    }
    metrics.mrr = in.f64("mrr");
    const std::uint64_t examples = in.u64("example count");
    if (examples > std::numeric_limits<std::size_t>::max()) {
        in.invalid("example count", "does not fit this platform's size_t");
    }
    metrics.examples = static_cast<std::size_t>(examples);
    return metrics;
}

void writeOptionalMetrics(ByteWriter& out, const std::optional<RankingMetrics>& metrics) {
    out.u8(metrics.has_value() ? 1 : 0);
    if (metrics) {
        writeMetrics(out, *metrics);
    }
}

std::optional<RankingMetrics> readOptionalMetrics(ByteReader& in, const char* field) {
    if (!in.flag(field)) {
        return std::nullopt;
    }
    return readMetrics(in);
}

// ---- WGHT -----------------------------------------------------------------------------

struct TensorView {
    const float* data;
    Eigen::Index rows;
    Eigen::Index cols;
};

template <typename Tensor> TensorView viewOf(const Tensor& tensor) {
    if (tensor.matrix != nullptr) {
        return {tensor.matrix->data(), tensor.matrix->rows(), tensor.matrix->cols()};
    }
    return {tensor.vector->data(), tensor.vector->rows(), tensor.vector->cols()};
}

std::string shapeText(Eigen::Index rows, Eigen::Index cols) {
    return std::to_string(rows) + " x " + std::to_string(cols);
}

// Index of the first NaN or infinity, or -1.
Eigen::Index firstNonFinite(const float* data, Eigen::Index size) {
    for (Eigen::Index i = 0; i < size; ++i) {
        if (!std::isfinite(data[i])) {
            return i;
        }
    }
    return -1;
}

std::string describeNonFinite(const TensorView& view, Eigen::Index index) {
    const float value = view.data[index];
    return std::string(std::isnan(value) ? "NaN" : "infinity") + " at row " +
           std::to_string(index / view.cols) + ", column " + std::to_string(index % view.cols);
}

constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max();

std::uint64_t saturatingMul(std::uint64_t a, std::uint64_t b) {
    if (a != 0 && b > kSaturated / a) {
        return kSaturated;
    }
    return a * b;
}

std::uint64_t saturatingAdd(std::uint64_t a, std::uint64_t b) {
    return b > kSaturated - a ? kSaturated : a + b;
}

} // namespace

// ---- CONF -----------------------------------------------------------------------------

void encodeConfigSection(ByteWriter& out, const TrainedModel& model) {
    try {
        model.config.validate();
        model.training.validate();
    } catch (const ConfigError& e) {
        throw EncodeError(e.field(), reasonOf(e));
    }
    if (model.epochsTrained < 0) {
        throw EncodeError("epochs trained", "is negative");
    }
    std::uint32_t flags = 0;
    for (const FeatureDescriptor& f : kFeatureTable) {
        flags |= model.config.features.has(f.id) ? f.fileBit : 0u;
    }
    out.u32(flags);
    out.i32(model.config.embeddingDim);
    out.count(model.config.layers.size(), "layers");
    for (const int size : model.config.layers) {
        out.i32(size);
    }
    const TrainConfig& t = model.training;
    out.u32(optimizerCode(t.optimizer));
    out.f64(t.learningRate);
    out.i32(t.batchSize);
    out.i32(t.epochs);
    out.i32(t.evalEvery);
    out.u64(t.seed);
    out.f64(t.trainFraction);
    out.i32(t.threads);
    out.string(model.datasetName, "dataset name");
    out.string(model.datasetFingerprint, "dataset fingerprint");
    out.i32(model.epochsTrained);
}

void decodeConfigSection(ByteReader& in, TrainedModel& model) {
    const std::uint32_t flags = in.u32("feature flags");
    if ((flags & ~kKnownFeatureBits) != 0) {
        in.invalid("feature flags", "unknown feature bits " +
                                        std::to_string(flags & ~kKnownFeatureBits) +
                                        " (a newer TowerLab's feature?)");
    }
    for (const FeatureDescriptor& f : kFeatureTable) {
        model.config.features.set(f.id, (flags & f.fileBit) != 0);
    }
    model.config.embeddingDim = in.i32("embedding dimension");
    const std::size_t layerCount = in.count("layers", 4);
    model.config.layers.assign(layerCount, 0);
    for (int& size : model.config.layers) {
        size = in.i32("layers");
    }
    TrainConfig& t = model.training;
    const std::uint32_t optimizer = in.u32("optimizer");
    switch (optimizer) {
    case 0:
        t.optimizer = OptimizerKind::Adagrad;
        break;
    case 1:
        t.optimizer = OptimizerKind::Adam;
        break;
    case 2:
        t.optimizer = OptimizerKind::Sgd;
        break;
    default:
        in.invalid("optimizer", "unknown optimizer code " + std::to_string(optimizer));
    }
    t.learningRate = in.f64("learning rate");
    t.batchSize = in.i32("batch size");
    t.epochs = in.i32("epochs");
    t.evalEvery = in.i32("eval every");
    t.seed = in.u64("seed");
    t.trainFraction = in.f64("train fraction");
    t.threads = in.i32("threads");
    model.datasetName = in.string("dataset name");
    model.datasetFingerprint = in.string("dataset fingerprint");
    model.epochsTrained = in.i32("epochs trained");
    if (model.epochsTrained < 0) {
        in.invalid("epochs trained", "is negative (" + std::to_string(model.epochsTrained) + ")");
    }
    try {
        model.config.validate();
        model.training.validate();
    } catch (const ConfigError& e) {
        in.invalid(e.field(), reasonOf(e));
    }
}

// ---- FEAT -----------------------------------------------------------------------------

void encodeFeaturesSection(ByteWriter& out, const FeatureSpace& features) {
    for (const FeatLookup& l : kFeatLookups) {
        writeIntegerLookup(out, features.lookup(l.feature), l.field);
    }
    const std::vector<float>& boundaries = features.timestampBuckets.boundaries();
    out.count(boundaries.size(), "timestamp bucket boundaries");
    out.floats(boundaries.data(), boundaries.size());
    out.f64(features.timestampNormalizer.mean());
    out.f64(features.timestampNormalizer.variance());
    writeStrings(out, features.title.vocabulary(), "title vocabulary");
    writeStrings(out, features.titleTokens.vocabulary(), "title token vocabulary");
    out.u64(features.genreCount);
    out.i64(features.minTimestamp);
    out.i64(features.maxTimestamp);
}

void decodeFeaturesSection(ByteReader& in, FeatureSpace& features) {
    for (const FeatLookup& l : kFeatLookups) {
        features.lookup(l.feature) = readIntegerLookup(in, l.field);
    }

    const char* field = "timestamp bucket boundaries";
    std::vector<float> boundaries(in.count(field, 4));
    in.floats(boundaries.data(), boundaries.size(), field);
    try {
        features.timestampBuckets = TimestampBuckets(std::move(boundaries));
    } catch (const FeatureError& e) {
        in.invalid(field, e.what());
    }

    field = "timestamp normalizer";
    const double mean = in.f64(field);
    const double variance = in.f64(field);
    try {
        features.timestampNormalizer = Normalizer(mean, variance);
    } catch (const FeatureError& e) {
        in.invalid(field, e.what());
    }

    field = "title vocabulary";
    try {
        features.title = StringLookup(readStrings(in, field));
    } catch (const FeatureError& e) {
        in.invalid(field, e.what());
    }

    field = "title token vocabulary";
    std::vector<std::string> tokens = readStrings(in, field);
    if (tokens.empty()) {
        features.titleTokens = TitleTokenizer(); // a feature space that was never fitted
    } else {
        try {
            features.titleTokens = TitleTokenizer(std::move(tokens));
        } catch (const FeatureError& e) {
            in.invalid(field, e.what());
        }
    }

    const std::uint64_t genreCount = in.u64("genre count");
    // Genre ids 1..genreCount are int32 in the encoded catalogue.
    if (genreCount >= static_cast<std::uint64_t>(std::numeric_limits<std::int32_t>::max())) {
        in.invalid("genre count", std::to_string(genreCount) + " exceeds int32 ids");
    }
    features.genreCount = static_cast<std::size_t>(genreCount);
    features.minTimestamp = in.i64("min timestamp");
    features.maxTimestamp = in.i64("max timestamp");
    if (features.minTimestamp > features.maxTimestamp) {
        in.invalid("min timestamp", std::to_string(features.minTimestamp) + " exceeds max " +
                                        std::to_string(features.maxTimestamp));
    }
}

// ---- FVOC -----------------------------------------------------------------------------

void encodeVocabularySection(ByteWriter& out, const FeatureSpace& features) {
    std::vector<const FeatureDescriptor*> stored;
    for (const FeatureDescriptor& f : kFeatureTable) {
        if (hasAttributeVocabulary(f) && !inFeatSection(f.id)) {
            stored.push_back(&f);
        }
    }
    out.count(stored.size(), "feature vocabularies");
    for (const FeatureDescriptor* f : stored) {
        out.string(std::string(f->name), "feature name");
        writeIntegerLookup(out, features.lookup(f->id), "feature vocabulary");
    }
}

std::vector<std::string> decodeVocabularySection(ByteReader& in, FeatureSpace& features) {
    // Name length, vocabulary length.
    const std::size_t n = in.count("feature vocabularies", 4 + 4);
    std::vector<std::string> seen;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string name = in.string("feature name");
        const IntegerLookup lookup = readIntegerLookup(in, "feature vocabulary");
        if (std::find(seen.begin(), seen.end(), name) != seen.end()) {
            in.invalid("feature name", "the vocabulary of '" + name + "' is listed twice");
        }
        seen.push_back(name);
        const FeatureDescriptor* f = findFeature(name);
        if (f == nullptr) {
            continue; // a newer TowerLab's feature this model does not use (CONF would say)
        }
        if (!hasAttributeVocabulary(*f) || inFeatSection(f->id)) {
            in.invalid("feature name", "'" + name + "' has no vocabulary of this kind");
        }
        features.lookup(f->id) = lookup;
    }
    return seen;
}

std::string missingVocabulary(const ModelConfig& config, const std::vector<std::string>& listed) {
    for (const FeatureDescriptor& f : kFeatureTable) {
        if (config.features.has(f.id) && hasAttributeVocabulary(f) && !inFeatSection(f.id) &&
            std::find(listed.begin(), listed.end(), f.name) == listed.end()) {
            return std::string(f.name);
        }
    }
    return {};
}

// ---- CATL -----------------------------------------------------------------------------

void encodeCatalogueSection(ByteWriter& out, const Catalogue& catalogue,
                            const FeatureSpace& features) {
    const std::size_t n = catalogue.titles.size();
    if (catalogue.movieIds.size() != n || catalogue.genres.size() != n ||
        catalogue.years.size() != n || catalogue.popularity.size() != n) {
        throw EncodeError("catalogue",
                          "columns differ in length (" + std::to_string(n) + " titles, " +
                              std::to_string(catalogue.movieIds.size()) + " ids, " +
                              std::to_string(catalogue.genres.size()) + " genre lists, " +
                              std::to_string(catalogue.years.size()) + " years, " +
                              std::to_string(catalogue.popularity.size()) + " popularity counts)");
    }
    const std::size_t genreLimit = std::min(catalogue.genreNames.size(), features.genreCount);
    writeStrings(out, catalogue.genreNames, "genre names");
    out.count(n, "movies");
    for (std::size_t m = 0; m < n; ++m) {
        out.i64(catalogue.movieIds[m]);
        out.string(catalogue.titles[m], "title");
        out.count(catalogue.genres[m].size(), "movie genres");
        for (const int g : catalogue.genres[m]) {
            if (g < 0 || static_cast<std::size_t>(g) >= genreLimit) {
                throw EncodeError("movie genres",
                                  "movie " + std::to_string(m) + " has genre index " +
                                      std::to_string(g) + " but there are " +
                                      std::to_string(catalogue.genreNames.size()) +
                                      " genre names and " + std::to_string(features.genreCount) +
                                      " genres in the feature space");
            }
            out.i32(g);
        }
        out.i32(catalogue.years[m]);
        out.i32(catalogue.popularity[m]);
    }
}

void decodeCatalogueSection(ByteReader& in, const FeatureSpace& features, Catalogue& catalogue) {
    catalogue.genreNames = readStrings(in, "genre names");
    // id, title length, genre count, year, popularity.
    constexpr std::size_t kMinMovieBytes = 8 + 4 + 4 + 4 + 4;
    const std::size_t n = in.count("movies", kMinMovieBytes);
    catalogue.movieIds.reserve(n);
    catalogue.titles.reserve(n);
    catalogue.genres.reserve(n);
    catalogue.years.reserve(n);
    catalogue.popularity.reserve(n);
    const std::size_t genreLimit = std::min(catalogue.genreNames.size(), features.genreCount);
    for (std::size_t m = 0; m < n; ++m) {
        catalogue.movieIds.push_back(in.i64("movie id"));
        catalogue.titles.push_back(in.string("title"));
        std::vector<int>& genres = catalogue.genres.emplace_back(in.count("movie genres", 4));
        for (int& g : genres) {
            g = in.i32("movie genres");
            if (g < 0 || static_cast<std::size_t>(g) >= genreLimit) {
                in.invalid("movie genres",
                           "movie " + std::to_string(m) + " has genre index " + std::to_string(g) +
                               " but there are " + std::to_string(catalogue.genreNames.size()) +
                               " genre names and " + std::to_string(features.genreCount) +
                               " genres in the feature space");
            }
        }
        catalogue.years.push_back(in.i32("year"));
        const std::int32_t popularity = in.i32("popularity");
        if (popularity < 0) {
            in.invalid("popularity", "movie " + std::to_string(m) + " has a negative count");
        }
        catalogue.popularity.push_back(popularity);
    }
}

// ---- WGHT -----------------------------------------------------------------------------

std::uint64_t expectedWeightValues(const ModelConfig& config, const FeatureSpace& features) {
    const auto d = static_cast<std::uint64_t>(std::max(config.embeddingDim, 0));
    std::uint64_t total = 0;
    for (const FeatureDescriptor& f : kFeatureTable) {
        if (config.features.has(f.id) && f.kind != FeatureKind::Scalar) {
            // genreCount + 1 must not wrap for a hostile genre count.
            const std::uint64_t rows = f.vocabulary == Vocabulary::Genres
                                           ? saturatingAdd(features.genreCount, 1)
                                           : features.tableRows(f.id);
            total = saturatingAdd(total, saturatingMul(rows, d));
        }
    }
    const TowerLayout layout = TowerLayout::of(config);
    for (const int width : {layout.queryWidth, layout.candidateWidth}) {
        auto fanIn = static_cast<std::uint64_t>(std::max(width, 0));
        for (const int size : config.layers) {
            const auto fanOut = static_cast<std::uint64_t>(std::max(size, 0));
            total = saturatingAdd(total, saturatingMul(saturatingAdd(fanIn, 1), fanOut));
            fanIn = fanOut;
        }
    }
    return total;
}

void encodeWeightsSection(ByteWriter& out, const TrainedModel& model) {
    const auto tensors = model.weights.tensors();
    TwoTowerWeights reference = TwoTowerWeights::shaped(model.config, model.features);
    const auto expected = reference.tensors();
    if (tensors.size() != expected.size()) {
        throw EncodeError("tensors", std::to_string(tensors.size()) +
                                         " tensors but the config and features imply " +
                                         std::to_string(expected.size()));
    }
    out.count(tensors.size(), "tensors");
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const TensorView view = viewOf(tensors[i]);
        const TensorView want = viewOf(expected[i]);
        if (tensors[i].name != expected[i].name) {
            throw EncodeError("tensors", "tensor " + std::to_string(i) + " is '" + tensors[i].name +
                                             "', expected '" + expected[i].name + "'");
        }
        if (view.rows != want.rows || view.cols != want.cols) {
            throw EncodeError(tensors[i].name, "shape " + shapeText(view.rows, view.cols) +
                                                   " but the config and features imply " +
                                                   shapeText(want.rows, want.cols));
        }
        const Eigen::Index size = view.rows * view.cols;
        if (const Eigen::Index bad = firstNonFinite(view.data, size); bad >= 0) {
            throw EncodeError(tensors[i].name,
                              describeNonFinite(view, bad) + " (a diverged model cannot be saved)");
        }
        out.string(tensors[i].name, "tensor name");
        out.u32(static_cast<std::uint32_t>(view.rows));
        out.u32(static_cast<std::uint32_t>(view.cols));
        out.floats(view.data, static_cast<std::size_t>(size));
    }
}

void decodeWeightsSection(ByteReader& in, const ModelConfig& config, const FeatureSpace& features,
                          TwoTowerWeights& weights) {
    const std::uint64_t needed = expectedWeightValues(config, features);
    if (needed > in.remaining() / sizeof(float)) {
        in.invalid("tensors", "the config and features need " + std::to_string(needed) +
                                  " weight values but the section holds at most " +
                                  std::to_string(in.remaining() / sizeof(float)));
    }
    TwoTowerWeights loaded = TwoTowerWeights::shaped(config, features);
    const auto tensors = loaded.tensors();
    // Name length, rows, cols.
    const std::size_t n = in.count("tensors", 4 + 4 + 4);
    if (n != tensors.size()) {
        in.invalid("tensors", "the file has " + std::to_string(n) +
                                  " tensors but the config and features imply " +
                                  std::to_string(tensors.size()));
    }
    for (std::size_t i = 0; i < n; ++i) {
        const std::string name = in.string("tensor name");
        if (name != tensors[i].name) {
            in.invalid("tensors", "tensor " + std::to_string(i) + " is '" + name +
                                      "' in the file but this build expects '" + tensors[i].name +
                                      "'");
        }
        const std::uint32_t rows = in.u32(name.c_str());
        const std::uint32_t cols = in.u32(name.c_str());
        const TensorView want = viewOf(tensors[i]);
        if (rows != want.rows || cols != want.cols) {
            in.invalid(name, "shape " + shapeText(rows, cols) +
                                 " in the file but the config and "
                                 "features imply " +
                                 shapeText(want.rows, want.cols));
        }
        float* data =
            tensors[i].matrix != nullptr ? tensors[i].matrix->data() : tensors[i].vector->data();
        const Eigen::Index size = want.rows * want.cols;
        in.floats(data, static_cast<std::size_t>(size), name.c_str());
        if (const Eigen::Index bad = firstNonFinite(data, size); bad >= 0) {
            in.invalid(name, describeNonFinite(want, bad));
        }
    }
    weights = std::move(loaded);
}

// ---- HIST -----------------------------------------------------------------------------

void encodeHistorySection(ByteWriter& out, const TrainingHistory& history) {
    out.count(history.epochs.size(), "epochs");
    for (const EpochRecord& e : history.epochs) {
        out.i32(e.epoch);
        out.f64(e.meanLoss);
        out.f64(e.lastBatchLoss);
        out.f64(e.seconds);
        out.f64(e.examplesPerSecond);
        writeOptionalMetrics(out, e.test);
    }
    out.count(history.batchLosses.size(), "batch losses");
    out.floats(history.batchLosses.data(), history.batchLosses.size());
    writeOptionalMetrics(out, history.baseline);
    out.f64(history.trainSeconds);
    out.f64(history.evalSeconds);
}

void decodeHistorySection(ByteReader& in, TrainingHistory& history) {
    // epoch, four doubles, metrics flag.
    constexpr std::size_t kMinEpochBytes = 4 + 4 * 8 + 1;
    const std::size_t epochs = in.count("epochs", kMinEpochBytes);
    history.epochs.resize(epochs);
    for (EpochRecord& e : history.epochs) {
        e.epoch = in.i32("epoch number");
        e.meanLoss = in.f64("mean loss");
        e.lastBatchLoss = in.f64("last batch loss");
        e.seconds = in.f64("epoch seconds");
        e.examplesPerSecond = in.f64("examples per second");
        e.test = readOptionalMetrics(in, "epoch test metrics flag");
    }
    const char* field = "batch losses";
    history.batchLosses.resize(in.count(field, 4));
    in.floats(history.batchLosses.data(), history.batchLosses.size(), field);
    history.baseline = readOptionalMetrics(in, "baseline metrics flag");
    history.trainSeconds = in.f64("train seconds");
    history.evalSeconds = in.f64("eval seconds");
}

} // namespace towerlab::detail
