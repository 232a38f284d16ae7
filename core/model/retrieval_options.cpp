#include "model/retrieval_options.hpp"

#include "model/model_config.hpp"

#include <cmath>
#include <sstream>

namespace towerlab {

std::string logQName(LogQCorrection mode) {
    switch (mode) {
    case LogQCorrection::Off:
        return "off";
    case LogQCorrection::Frequency:
        return "frequency";
    case LogQCorrection::Streaming:
        return "streaming";
    }
    return "off";
}

LogQCorrection parseLogQ(const std::string& name) {
    for (const LogQCorrection mode :
         {LogQCorrection::Off, LogQCorrection::Frequency, LogQCorrection::Streaming}) {
        if (name == logQName(mode)) {
            return mode;
        }
    }
    throw ConfigError("logq", "unknown correction \"" + name + "\" (off, frequency or streaming)");
}

std::string describeRetrievalTask(bool l2Normalize, const RetrievalOptions& o) {
    std::ostringstream s;
    s << (l2Normalize ? "cosine" : "dot product");
    if (!o.any()) {
        s << ", plain in-batch softmax";
        return s.str();
    }
    if (o.temperature != 1.0) {
        s << ", temperature " << o.temperature;
    }
    if (o.logQ == LogQCorrection::Frequency) {
        s << ", logQ frequency";
    } else if (o.logQ == LogQCorrection::Streaming) {
        s << ", logQ streaming (alpha " << o.streamingAlpha << ")";
    }
    if (o.removeAccidentalHits) {
        s << ", accidental hits removed";
    }
    if (o.hardNegatives > 0) {
        s << ", " << o.hardNegatives << " hard negatives";
    }
    return s.str();
}

void RetrievalOptions::validate(int batchSize) const {
    // Below 1e-4 a logit of 1 becomes 1e4 and exp() overflows float whatever the shift; above
    // 1e4 every logit is ~0 and nothing is learned. Both are typing mistakes, not settings.
    if (!std::isfinite(temperature) || temperature < 1e-4 || temperature > 1e4) {
        std::ostringstream s;
        s << "must be a number from 0.0001 to 10000 (1 = off), got " << temperature;
        throw ConfigError("temperature", s.str());
    }
    if (!std::isfinite(streamingAlpha) || streamingAlpha <= 0.0 || streamingAlpha > 1.0) {
        std::ostringstream s;
        s << "must be in (0, 1], got " << streamingAlpha;
        throw ConfigError("logq-alpha", s.str());
    }
    if (hardNegatives < 0 || (hardNegatives > 0 && hardNegatives >= batchSize)) {
        throw ConfigError("hard-negatives",
                          "must be 0 (off) or from 1 to the batch size minus 1 (" +
                              std::to_string(batchSize - 1) + "), got " +
                              std::to_string(hardNegatives));
    }
}

} // namespace towerlab
