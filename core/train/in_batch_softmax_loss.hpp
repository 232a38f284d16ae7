#pragma once
// The TFRS Retrieval task's loss: for B (query, positive candidate) pairs the logits are
// Q Cᵀ (B x B), row i's label is column i, and the loss is softmax cross-entropy from logits
// summed over the batch (Keras CategoricalCrossentropy(from_logits=True, reduction=SUM)).
//
// Fused: the B x B logits are never stored whole. Rows are processed in blocks small enough to
// stay in cache: one GEMM forms a block's logits, a row-wise log-sum-exp turns them into the
// softmax gradient in place, and two GEMMs fold that block into dQ and dC at once.
// Deterministic: blocks are grouped into a fixed number of chunks whose partial dC are summed
// in a fixed order, so the result does not depend on the number of threads.

#include "nn/tensor.hpp"

#include <vector>

namespace towerlab {

class InBatchSoftmaxLoss {
public:
    // threads = 0 uses all cores.
    explicit InBatchSoftmaxLoss(int threads = 0);

    // Returns the summed loss and writes dLoss/dQ and dLoss/dC (shapes of Q and C).
    // Q and C must have the same shape (B x D). A non-finite loss is returned as is.
    double forwardBackward(const RowMatrix& queries, const RowMatrix& candidates, RowMatrix& dQ,
                           RowMatrix& dC);

    // Loss only (no gradients), for checks.
    double forward(const RowMatrix& queries, const RowMatrix& candidates);

    static constexpr int kBlockRows = 64;
    static constexpr int kChunks = 8;

private:
    double run(const RowMatrix& queries, const RowMatrix& candidates, RowMatrix* dQ,
               RowMatrix* dC);

    int m_threads;
    std::vector<RowMatrix> m_blockLogits; // per thread: kBlockRows x B
    std::vector<RowMatrix> m_partialDc;   // per chunk: B x D
};

} // namespace towerlab
