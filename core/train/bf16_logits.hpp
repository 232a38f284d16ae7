#pragma once
// The batch logits Q Cᵀ with bfloat16 operands: every element of Q and C is rounded to bf16
// (round to nearest, ties to even) and the products are summed in fp32 by AVX-512 BF16's
// VDPBF16PS, two dimensions per instruction. That is twice the multiply-adds of an fp32 FMA
// per instruction; the price is 8 significant bits per operand instead of 24 (TrainConfig::
// logits, off by default). Only the logits: the softmax and every gradient stay fp32.
//
// Operands are packed once per batch in pairs along the dimension, as the instruction reads
// them: a 32-bit word holds dimensions 2p (low half) and 2p + 1 (high half). Each output is
// computed by the same sequence of instructions whatever the thread count or block position,
// so results are as reproducible as the fp32 kernels'.

#include "nn/tensor.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace towerlab::bf16_logits {

// x rounded to bf16 (round to nearest, ties to even; a NaN stays a quiet NaN), as its 16 bits.
std::uint16_t toBf16(float x);
float fromBf16(std::uint16_t bits);

// Empty when this process can compute bf16 logits for outputs of width `dim`: the engine was
// built for AVX-512, the CPU has AVX-512 BF16 (avx512_bf16) and dim suits the block kernels
// (a multiple of 16). Otherwise why not, in a sentence for the user.
std::string unavailableReason(std::ptrdiff_t dim);
inline bool available(std::ptrdiff_t dim) {
    return unavailableReason(dim).empty();
}

// logits[r][j] = Σ_p q[r][p] · ct[p][j] over pairs p < dim / 2, each a VDPBF16PS.
// q: rows x dim/2 pairs (row stride dim/2). ct: dim/2 x paddedBatch pairs (Cᵀ, zero beyond the
// batch). logits: rows x paddedBatch. paddedBatch is a multiple of softmax_kernels::kColumnTile.
// Only to be called when available(dim).
void blockLogits(const std::uint32_t* q, std::ptrdiff_t rows, std::ptrdiff_t dim,
                 const std::uint32_t* ct, std::ptrdiff_t paddedBatch, float* logits);

// One batch's Q and Cᵀ rounded to bf16 and packed in pairs, reused from batch to batch.
class PackedOperands {
public:
    // Q and C are B x dim (dim even); Cᵀ is padded with zeros to paddedBatch columns.
    void pack(const RowMatrix& queries, const RowMatrix& candidates, std::ptrdiff_t paddedBatch);
    const std::uint32_t* queryRow(std::ptrdiff_t row) const {
        return m_queries.data() + row * m_pairs;
    }
    const std::uint32_t* candidatesT() const { return m_candidatesT.data(); }

private:
    std::ptrdiff_t m_pairs = 0;
    std::vector<std::uint32_t> m_queries;     // B x dim/2
    std::vector<std::uint32_t> m_candidatesT; // dim/2 x paddedBatch
    std::vector<std::uint32_t> m_candidates;  // B x dim/2, before the transpose
};

} // namespace towerlab::bf16_logits
