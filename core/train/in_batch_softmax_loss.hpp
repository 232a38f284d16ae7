#pragma once
// The TFRS Retrieval task's loss: for B (query, positive candidate) pairs the logits are
// Q Cᵀ (B x B), row i's label is column i, and the loss is softmax cross-entropy from logits
// summed over the batch (Keras CategoricalCrossentropy(from_logits=True, reduction=SUM)).
//
// Fused: the B x B logits are never stored whole. Rows are processed in blocks small enough to
// stay in cache: one product forms a block's logits, a row-wise log-sum-exp turns them into
// the softmax gradient, and two products fold that block into dQ and dC at once. The products
// are AVX-512 kernels where the build allows (softmax_block_kernels.hpp), else Eigen GEMMs.
// Deterministic: blocks are grouped into a fixed number of chunks whose partial dC are summed
// in a fixed order, so the result does not depend on the number of threads.

#include "model/model_config.hpp"
#include "nn/tensor.hpp"
#include "train/amx_tiles.hpp"
#include "train/bf16_logits.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace towerlab {

// The end of a chunked loss (this one and RetrievalTaskLoss): the chunks' losses summed, and
// when dC is set, the chunks' partial dC summed into it, both in chunk order, so the result
// does not depend on which thread ran which chunk.
double sumChunks(std::span<const double> chunkLoss, const std::vector<RowMatrix>& partialDc,
                 RowMatrix* dC);

class InBatchSoftmaxLoss {
public:
    // Auto: the AVX-512 block kernels when the build and the dimension allow them (see
    // softmax_block_kernels.hpp), else Eigen's GEMM. EigenOnly: always Eigen (for tests and
    // benchmarks that compare the two).
    enum class Kernels { Auto, EigenOnly };

    // Which products a Bf16 loss runs in bf16, and on what. Amx: all three B x B products on
    // AMX tiles (the softmax gradient rounded to bf16 for the two backward ones) where
    // amx_tiles::available(D), else as Avx512. AmxLogitsOnly: only the logits on AMX, the
    // backward in fp32 (to measure the two steps apart). Avx512: only the logits, with
    // AVX-512 BF16 dot products.
    enum class Bf16Kernels { Amx, AmxLogitsOnly, Avx512 };

    // threads = 0 uses all cores. logits = Bf16 multiplies with bf16 operands where
    // bf16_logits::available(D) (callers check it to tell the user), else fp32.
    explicit InBatchSoftmaxLoss(int threads = 0, Kernels kernels = Kernels::Auto,
                                LogitsPrecision logits = LogitsPrecision::Fp32,
                                Bf16Kernels bf16Kernels = Bf16Kernels::Amx);

    // Returns the summed loss and writes dLoss/dQ and dLoss/dC (shapes of Q and C).
    // Q and C must have the same shape (B x D). A non-finite loss is returned as is.
    double forwardBackward(const RowMatrix& queries, const RowMatrix& candidates, RowMatrix& dQ,
                           RowMatrix& dC);

    // Loss only (no gradients), for checks.
    double forward(const RowMatrix& queries, const RowMatrix& candidates);

    static constexpr int kBlockRows = 64;
    static constexpr int kChunks = 8;

private:
    double run(const RowMatrix& queries, const RowMatrix& candidates, RowMatrix* dQ, RowMatrix* dC);

    // One row block: its loss, and (when dQ is set) its rows of dQ and its share of dC.
    double eigenBlock(const RowMatrix& Q, const RowMatrix& C, Eigen::Index r0, Eigen::Index rows,
                      RowMatrix& logits, RowMatrix* dQ, RowMatrix* partialDc);
    double fusedBlock(const RowMatrix& Q, const RowMatrix& C, Eigen::Index r0, Eigen::Index rows,
                      Eigen::Index padded, RowMatrix& logits, RowMatrix* dQ, RowMatrix* partialDc);

    // A thread's bf16 copies of one block's softmax gradient and scaled queries, and its dQ
    // rows before the 1/sum and the label are applied (amx_tiles.hpp has the layouts).
    struct AmxBlockBuffers {
        std::vector<std::uint16_t> gradientRows;
        std::vector<std::uint32_t> gradientPairs;
        std::vector<std::uint16_t> scaledQueriesT;
        std::vector<float> dq;
        RowVector scaledRow;
        std::vector<std::uint16_t> scaledRowBf16;
    };
    void amxBackward(const RowMatrix& Q, const RowMatrix& C, Eigen::Index r0, Eigen::Index rows,
                     Eigen::Index padded, const float* invSum, RowMatrix& dQ,
                     RowMatrix& partialDcT);

    int m_threads;
    bool m_useKernels;
    bool m_bf16Requested;
    Bf16Kernels m_bf16Kernels;
    bool m_bf16 = false;                       // this batch's logits are bf16 products
    bool m_amxLogits = false;                  // ... on AMX tiles
    bool m_amxBackward = false;                // and so are dQ and dC
    amx_tiles::BatchOperands m_amx;            // Q, Cᵀ and C for the tiles, when m_amxLogits
    std::vector<AmxBlockBuffers> m_amxBuffers; // per thread
    std::vector<RowMatrix> m_partialDcT;       // per chunk: D x B (padded), when m_amxBackward
    bf16_logits::PackedOperands m_packed;      // Q and Cᵀ in bf16, when m_bf16
    RowMatrix m_candidatesT;                   // Cᵀ, zero-padded to whole column tiles
    std::vector<RowMatrix> m_blockLogits;      // per thread: kBlockRows x B (padded)
    std::vector<RowMatrix> m_partialDc;        // per chunk: B x D
    std::vector<RowMatrix> m_scaledQueries;    // per thread: a block's queries times 1/sum
};

} // namespace towerlab
