// The TEVL section of model files (docs/model-file-format.md): over which test examples the
// history's test metrics were measured. Optional: files written before it (no section)
// evaluated the whole test split and did not record its size.

#include "io/model_file_sections.hpp"

#include <limits>
#include <string>

namespace towerlab::detail {

void encodeEvaluationSection(ByteWriter& out, const TrainedModel& model) {
    out.i32(model.training.evalQueries);
    out.u64(model.history.testExamples);
}

void decodeEvaluationSection(ByteReader& in, TrainedModel& model) {
    const std::int32_t evalQueries = in.i32("eval queries");
    if (evalQueries < 0) {
        in.invalid("eval queries", "is negative (" + std::to_string(evalQueries) +
                                       "; 0 means the whole test split)");
    }
    const std::uint64_t testExamples = in.u64("test examples");
    if (testExamples > std::numeric_limits<std::size_t>::max()) {
        in.invalid("test examples", "does not fit this platform's size_t");
    }
    model.training.evalQueries = evalQueries;
    model.history.testExamples = static_cast<std::size_t>(testExamples);
}

} // namespace towerlab::detail
