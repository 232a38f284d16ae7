// The SPLT section of model files (docs/model-file-format.md): which train/test split the
// model was trained on. Optional: files written before it (no section) used the random split.

#include "io/model_file_sections.hpp"

#include <string>

namespace towerlab::detail {

namespace {

constexpr std::uint32_t kRandomSplitCode = 0;
constexpr std::uint32_t kTimeSplitCode = 1;

} // namespace

void encodeSplitSection(ByteWriter& out, const TrainedModel& model) {
    out.u32(model.training.split == SplitKind::Time ? kTimeSplitCode : kRandomSplitCode);
}

void decodeSplitSection(ByteReader& in, TrainedModel& model) {
    const std::uint32_t code = in.u32("split kind");
    switch (code) {
    case kRandomSplitCode:
        model.training.split = SplitKind::Random;
        break;
    case kTimeSplitCode:
        model.training.split = SplitKind::Time;
        break;
    default:
        in.invalid("split kind", "unknown split kind code " + std::to_string(code) +
                                     " (0 = random, 1 = time; a newer TowerLab's split? this "
                                     "build cannot tell which ratings the model learned from)");
    }
}

} // namespace towerlab::detail
