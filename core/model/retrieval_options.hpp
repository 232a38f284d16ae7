#pragma once
// The options of TFRS's Retrieval task (tfrs.tasks.Retrieval) that change how the batch's
// logits S = Q Cᵀ become a loss, applied in TFRS's order: temperature, sampling-bias (logQ)
// correction, removal of accidental hits, hard-negative mining. All off reproduces the
// tutorial's plain in-batch softmax bit for bit.
//
// L2-normalised towers are not here: they change the model itself (its scores at query time
// too), so they are ModelConfig::l2Normalize.

#include <string>

namespace towerlab {

// Where the sampling probability p(j) of a candidate comes from for S[i][j] - log p(j).
enum class LogQCorrection {
    Off,
    // p(j) = the movie's share of the training examples (its training ratings / all of them).
    Frequency,
    // p(j) = 1 / A[j], the streaming estimate of Yi et al. (RecSys 2019): A[j] follows the
    // number of batches between two batches that contain movie j (see sampling_probability.hpp).
    Streaming,
};
std::string logQName(LogQCorrection mode);         // "off", "frequency", "streaming"
LogQCorrection parseLogQ(const std::string& name); // throws ConfigError (field "logq")

struct RetrievalOptions {
    // S / T. 1 is TFRS's temperature=None: the division leaves every logit exactly as it is.
    double temperature = 1.0;
    LogQCorrection logQ = LogQCorrection::Off;
    // α of the streaming estimate (used only with LogQCorrection::Streaming).
    double streamingAlpha = 0.01;
    // A column whose movie is row i's positive movie (other than column i) leaves row i.
    bool removeAccidentalHits = false;
    // Each row keeps its positive and its N highest-scoring negatives; 0 = keep all.
    int hardNegatives = 0;

    // True when the loss differs from the plain in-batch softmax.
    bool any() const {
        return temperature != 1.0 || logQ != LogQCorrection::Off || removeAccidentalHits ||
               hardNegatives != 0;
    }
    // Throws ConfigError naming the field: "temperature" (positive, finite, 1e-4 .. 1e4),
    // "logq-alpha" (in (0, 1]), "hard-negatives" (0, or 1 .. batchSize - 1).
    void validate(int batchSize) const;
    bool operator==(const RetrievalOptions&) const = default;
};

// One line for logs, `info` and run tables, e.g. "cosine, temperature 0.1, logQ frequency,
// accidental hits removed, 10 hard negatives"; "dot product, plain in-batch softmax" when all
// is off.
std::string describeRetrievalTask(bool l2Normalize, const RetrievalOptions& options);

} // namespace towerlab
