#pragma once
// One training batch opened up: the B x B logits the loss saw, before and after the optimizer
// step that batch caused, and what the softmax of one row makes of them. The trainer fills a
// BatchInspection only when asked (Trainer::stepBatch), so ordinary training never pays for the
// B x B matrices.
//
// The row analysis below is written from TFRS's Retrieval task directly (temperature, logQ,
// accidental hits, hard negatives, in that order; see retrieval_task_loss.hpp) one row at a
// time, in double precision, and shares no code with the trainer's blocked loss, so summing it
// over the rows is an independent check of the loss the trainer reported.

#include "model/retrieval_options.hpp"
#include "nn/tensor.hpp"

#include <cstdint>
#include <vector>

namespace towerlab {

struct BatchInspection {
    int epoch = 0; // 1-based epoch the batch belongs to
    int batch = 0; // 1-based batch within that epoch
    int batchesPerEpoch = 0;
    // Per example (row i's query, column i's positive movie): the index of its rating in the
    // dataset, and the catalogue index of its movie.
    std::vector<std::int32_t> ratings;
    std::vector<std::int32_t> movies;
    // S = Q Cᵀ of the batch's towers (cosine when the model normalises), with the weights
    // before the step and with the weights the step produced. B x B.
    RowMatrix logitsBefore;
    RowMatrix logitsAfter;
    // log p(j) of each column's movie when a logQ correction is on, else empty. The same
    // values serve "after": the correction of the batch that was trained.
    std::vector<float> logProbabilities;
    RetrievalOptions options;
    bool l2Normalize = false;
    double loss = 0.0; // the trainer's summed loss of the batch (before the step)

    std::size_t size() const { return movies.size(); }
};

// Row i's logit of column j as the loss uses it: S[i][j] / T - log p(j). Columns that leave the
// row's softmax (accidental hits, negatives hard-negative mining drops) are told apart by
// batchRowSoftmax, not here.
double adjustedLogit(const BatchInspection& batch, bool after, std::size_t row, std::size_t column);

// Column j is an accidental hit of row i: another example of the batch with row i's movie.
bool isAccidentalHit(const BatchInspection& batch, std::size_t row, std::size_t column);

// A row's softmax without listing it: the loss and the positive's probability only.
struct BatchRowLoss {
    double loss = 0.0;
    double positiveProbability = 0.0;
};
BatchRowLoss batchRowLoss(const BatchInspection& batch, std::size_t row, bool after);

struct BatchRowSoftmax {
    // The columns in the row's softmax, most probable first (ties by column), and their
    // probabilities; the positive (column = row) is among them.
    std::vector<std::int32_t> columns;
    std::vector<double> probabilities;
    std::vector<std::int32_t> leftOut; // columns outside the softmax, ascending
    double positiveLogit = 0.0;        // adjusted
    double logSumExp = 0.0;            // over the kept columns' adjusted logits
    double positiveProbability = 0.0;  // exp(positiveLogit - logSumExp)
    double loss = 0.0;                 // logSumExp - positiveLogit
    int positiveRank = 0;              // 1 + kept columns more probable than the positive
};

// The softmax cross-entropy of one row, before or after the step.
BatchRowSoftmax batchRowSoftmax(const BatchInspection& batch, std::size_t row, bool after);

// Σ over rows of batchRowSoftmax(...).loss: the batch's loss computed row by row.
double batchLossByRows(const BatchInspection& batch, bool after);

// The loss the batch would have if every logit were equal (an untrained dot-product model is
// close to that): each row is uniform over its kept columns, so Σ ln(kept columns). For the
// tutorial's full batch of 2,048 with nothing left out that is 2048 · ln 2048 ≈ 15,615.
double uniformLoss(const BatchInspection& batch);

// The whole batch at a glance, for the view's summary and colour scale. Costs about two
// passes over the B x B logits: compute it off the GUI thread.
struct BatchOverview {
    double lossBefore = 0.0; // Σ row losses before the step (batchLossByRows)
    double lossAfter = 0.0;  // the same rows with the stepped weights
    double uniform = 0.0;    // uniformLoss
    int rowsUp = 0;          // rows whose positive's probability rose with the step
    int distinctMovies = 0;
    int duplicateColumns = 0; // columns whose movie occurs more than once
    // The range of the adjusted logits over both matrices, for one colour scale.
    double minLogit = 0.0;
    double maxLogit = 0.0;
};
BatchOverview overviewOf(const BatchInspection& batch);

// Columns whose movie occurs more than once in the batch (each copy is an accidental hit of
// the others' rows), ascending.
std::vector<std::int32_t> duplicateMovieColumns(const BatchInspection& batch);

} // namespace towerlab
