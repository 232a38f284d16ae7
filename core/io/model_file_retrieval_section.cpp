// The RTSK section of model files (docs/model-file-format.md): how the model scores (dot
// product or cosine) and which Retrieval task options trained it.

#include "io/model_file_sections.hpp"

#include <string>

namespace towerlab::detail {

namespace {

constexpr std::uint32_t kL2NormalizeBit = 1u << 0;
constexpr std::uint32_t kRemoveAccidentalHitsBit = 1u << 1;
constexpr std::uint32_t kKnownRetrievalBits = kL2NormalizeBit | kRemoveAccidentalHitsBit;

std::uint32_t logQCode(LogQCorrection mode) {
    switch (mode) {
    case LogQCorrection::Off:
        return 0;
    case LogQCorrection::Frequency:
        return 1;
    case LogQCorrection::Streaming:
        return 2;
    }
    return 0;
}

} // namespace

void encodeRetrievalSection(ByteWriter& out, const TrainedModel& model) {
    const RetrievalOptions& r = model.training.retrieval;
    std::uint32_t flags = 0;
    flags |= model.config.l2Normalize ? kL2NormalizeBit : 0u;
    flags |= r.removeAccidentalHits ? kRemoveAccidentalHitsBit : 0u;
    out.u32(flags);
    out.f64(r.temperature);
    out.u32(logQCode(r.logQ));
    out.f64(r.streamingAlpha);
    out.i32(r.hardNegatives);
}

void decodeRetrievalSection(ByteReader& in, TrainedModel& model) {
    const std::uint32_t flags = in.u32("retrieval flags");
    if ((flags & ~kKnownRetrievalBits) != 0) {
        in.invalid("retrieval flags", "unknown retrieval option bits " +
                                          std::to_string(flags & ~kKnownRetrievalBits) +
                                          " (a newer TowerLab's option? this build cannot "
                                          "score or describe such a model)");
    }
    model.config.l2Normalize = (flags & kL2NormalizeBit) != 0;
    RetrievalOptions& r = model.training.retrieval;
    r.removeAccidentalHits = (flags & kRemoveAccidentalHitsBit) != 0;
    r.temperature = in.f64("temperature");
    const std::uint32_t logQ = in.u32("logq");
    switch (logQ) {
    case 0:
        r.logQ = LogQCorrection::Off;
        break;
    case 1:
        r.logQ = LogQCorrection::Frequency;
        break;
    case 2:
        r.logQ = LogQCorrection::Streaming;
        break;
    default:
        in.invalid("logq", "unknown sampling-bias correction code " + std::to_string(logQ) +
                               " (a newer TowerLab's option?)");
    }
    r.streamingAlpha = in.f64("logq alpha");
    r.hardNegatives = in.i32("hard negatives");
    try {
        r.validate(model.training.batchSize);
    } catch (const ConfigError& e) {
        in.invalid(e.field(), e.what());
    }
}

} // namespace towerlab::detail
