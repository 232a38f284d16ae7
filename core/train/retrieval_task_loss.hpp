#pragma once
// TFRS's Retrieval task with its options (tasks/retrieval.py, layers/loss.py), in TFRS's order
// on the batch's logits S = Q Cᵀ (B x B, row i's label column i):
//   1. temperature:        S / T
//   2. logQ correction:    S[i][j] - log p(j)                 (every column, the label's too)
//   3. accidental hits:    S[i][j] + float32_min / 100 where movie(j) = movie(i), j != i
//   4. hard negatives:     row i keeps column i and its N largest other logits (ties: the
//                          lower column, as tf.nn.top_k), the rest leave the softmax
// then softmax cross-entropy from logits summed over the rows. A masked or dropped column
// contributes exactly 0 to its row's softmax and gets exactly 0 gradient, as in TFRS, where
// exp(-3.4e36) and the gathered-away columns are 0.
//
// The options path of the loss: with every option off the trainer uses InBatchSoftmaxLoss.
// This class calls the same AVX-512 block products (softmax_block_kernels.hpp) where they are
// available, else Eigen's GEMM, but not its fused softmax trick (1/sum folded into the
// products), since masking and mining need the whole gradient row. Same blocking and fixed
// chunking, so results do not depend on the thread count; buffers are reused, so a batch
// allocates nothing once the batch size has been seen.

#include "model/model_config.hpp"
#include "model/retrieval_options.hpp"
#include "nn/tensor.hpp"
#include "train/bf16_logits.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace towerlab {

// TFRS's MIN_FLOAT: np.finfo(np.float32).min / 100.
inline constexpr float kAccidentalHitLogitOffset = -3.40282347e38f / 100.0f;

class RetrievalTaskLoss {
public:
    // Auto: the AVX-512 block products when the build and the dimension allow them, else
    // Eigen. EigenOnly: always Eigen (tests compare the two).
    enum class Kernels { Auto, EigenOnly };

    // threads = 0 uses all cores. options must be valid (RetrievalOptions::validate).
    // logits = Bf16 as InBatchSoftmaxLoss: bf16 operands where bf16_logits::available(D).
    explicit RetrievalTaskLoss(const RetrievalOptions& options = {}, int threads = 0,
                               Kernels kernels = Kernels::Auto,
                               LogitsPrecision logits = LogitsPrecision::Fp32);

    // Returns the summed loss and writes dLoss/dQ and dLoss/dC. Q and C are B x D.
    // candidateIds (B values) identify each column's movie; read only when accidental hits
    // are removed. logProbabilities (B values) are log p of each column's movie, already
    // clipped; read only with a logQ correction. A non-finite loss is returned as is.
    double forwardBackward(const RowMatrix& queries, const RowMatrix& candidates,
                           std::span<const std::int32_t> candidateIds,
                           std::span<const float> logProbabilities, RowMatrix& dQ, RowMatrix& dC);
    double forward(const RowMatrix& queries, const RowMatrix& candidates,
                   std::span<const std::int32_t> candidateIds,
                   std::span<const float> logProbabilities);

    const RetrievalOptions& options() const { return m_options; }

    static constexpr int kBlockRows = 64;
    static constexpr int kChunks = 8;
    // Up to this many hard negatives a heap selects them; above, a selection of the threshold.
    static constexpr int kHeapSelectionLimit = 32;

private:
    struct Batch;
    double run(const Batch& batch, RowMatrix* dQ, RowMatrix* dC);
    // One row block: its loss, and (when dQ is set) its rows of dQ and its share of dC.
    double block(const Batch& batch, Eigen::Index r0, Eigen::Index rows, Eigen::Index padded,
                 int thread, RowMatrix* dQ, RowMatrix* partialDc);
    struct Scratch {
        std::vector<std::int32_t> columns; // the row's negatives, hard ones first
        std::vector<float> values;         // exp of the kept logits
    };
    // `row` holds the (temperature- and logQ-adjusted) logits of batch row `label`; applies
    // the accidental-hit mask and hard-negative mining, turns it into dLoss/dlogits (before
    // the 1/T) and returns the row's loss.
    double softmaxRow(float* row, Eigen::Index columns, Eigen::Index label, Scratch& scratch) const;

    // Columns grouped by movie, for accidental hits: m_byMovie lists the batch's columns by
    // movie, and column j's movie occupies m_byMovie[m_groupBegin[j], m_groupEnd[j]).
    void groupByMovie(std::span<const std::int32_t> ids);
    std::vector<std::int32_t> m_byMovie, m_groupBegin, m_groupEnd;

    RetrievalOptions m_options;
    int m_threads;
    bool m_useKernels;
    bool m_fused = false; // this batch uses the kernels
    bool m_bf16Requested;
    bool m_bf16 = false;                  // this batch's logits are bf16 products
    bf16_logits::PackedOperands m_packed; // Q and Cᵀ in bf16, when m_bf16
    RowMatrix m_candidatesT;              // Cᵀ, zero-padded, for the kernels
    std::vector<RowMatrix> m_blockLogits; // per thread: kBlockRows x B
    std::vector<Scratch> m_scratch;       // per thread
    std::vector<RowMatrix> m_partialDc;   // per chunk: B x D
};

} // namespace towerlab
