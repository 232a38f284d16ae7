#pragma once
// The three B x B products of the in-batch softmax loss with AMX tile products (TDPBF16PS):
// operands rounded to bf16, products summed in fp32 in 16 x 16 accumulator tiles. One tile
// instruction does 16 x 16 x 32 multiply-adds, many times what AVX-512 (fp32 FMA or BF16 dot
// products) does per cycle, and the three products are two thirds of a training step.
//
// Layouts. TDPBF16PS multiplies an A tile (16 rows of 32 bf16 along the inner dimension K)
// by a B tile in "pair" (VNNI) layout: row p holds, for each of 16 output columns, the two
// bf16 of K = 2p and 2p + 1 in one 32-bit word — the layout of bf16_logits::PackedOperands.
// Every tile here is 16 rows x 64 bytes; operands are zero-padded to whole tiles, so padding
// adds nothing to any sum. Each output tile is computed by the same sequence of instructions
// whatever the thread count or block position, so results are reproducible like the fp32
// kernels'.
//
// Usable only where unavailableReason() is empty: the CPU has AMX-TILE, AMX-BF16 and AVX-512
// BF16 (the conversions), this is the AVX-512 engine, and Linux granted this process the tile
// state (arch_prctl ARCH_REQ_XCOMP_PERM, asked for once, by the first call).

#include "nn/tensor.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace towerlab::amx_tiles {

// Empty when the tile kernels can run here for outputs of width `dim` (a multiple of 16),
// else why not, in a sentence for the user.
std::string unavailableReason(std::ptrdiff_t dim);
inline bool available(std::ptrdiff_t dim) {
    return unavailableReason(dim).empty();
}

// Rows and K are padded to these.
constexpr std::ptrdiff_t kTile = 16;         // rows of a tile, columns of an fp32 tile
constexpr std::ptrdiff_t kPairsPerTile = 16; // bf16 pairs along K in one A tile row
constexpr std::ptrdiff_t kRowGroup = 32;     // two row tiles: the logits' and dQ's row unit
constexpr std::ptrdiff_t kColumnGroup = 32;  // two column tiles

std::ptrdiff_t roundUp(std::ptrdiff_t n, std::ptrdiff_t unit);

// One batch's Q and C rounded to bf16, in the layouts the products read, reused batch to batch.
class BatchOperands {
public:
    // Q and C are B x dim (dim a multiple of 16); paddedBatch is a multiple of kColumnGroup
    // and at least B. Rounded by toBf16 below.
    void pack(const RowMatrix& queries, const RowMatrix& candidates, std::ptrdiff_t paddedBatch);

    std::ptrdiff_t kPairs() const { return m_kPairs; }
    // Q: roundUp(B, kRowGroup) x kPairs pairs along the dimension (A of the logits).
    const std::uint32_t* queries() const { return m_queries.data(); }
    // Cᵀ: kPairs x paddedBatch pairs along the dimension (B of the logits).
    const std::uint32_t* candidatesT() const { return m_candidatesT.data(); }
    // C: paddedBatch / 2 x dim, word [p][d] = (C[2p][d], C[2p + 1][d]) (B of dQ = G C).
    const std::uint32_t* candidatePairs() const { return m_candidatePairs.data(); }

private:
    std::ptrdiff_t m_kPairs = 0;
    std::vector<std::uint32_t> m_queries;
    std::vector<std::uint32_t> m_candidatesT;
    std::vector<std::uint32_t> m_candidatePairs;
    std::vector<std::uint16_t> m_candidates; // C in bf16, paddedBatch x dim, zero past B
    std::vector<std::uint16_t> m_rowBuffer;
};

// out[i] = x rounded to bf16 (to nearest, ties to even, by VCVTNE2PS2BF16) for i < n. As that
// instruction, a denormal becomes a zero of its sign; TDPBF16PS would read one as zero anyway.
// Everywhere else the result is bf16_logits::toBf16's.
void toBf16(const float* in, std::ptrdiff_t n, std::uint16_t* out);

// logits[r][j] = Σ_p q[r][p] · ct[p][j] for r < rows (a multiple of kRowGroup), j < paddedBatch.
// q: rows x kPairs (row stride kPairs, a multiple of kPairsPerTile); ct: kPairs x paddedBatch.
// logits: rows x paddedBatch.
void blockLogits(const std::uint32_t* q, std::ptrdiff_t rows, std::ptrdiff_t kPairs,
                 const std::uint32_t* ct, std::ptrdiff_t paddedBatch, float* logits);

// A row of a block's softmax gradient before its 1/sum: out[j] = exp(row[j] - shift) rounded
// to bf16 for j < n, zero for n <= j < paddedN; returns the sum of the unrounded values, the
// same float as softmax_kernels::expShiftedSum(row, n, shift) (which stores them in fp32,
// then re-read for the fp32 backward: here one pass writes what the tiles read).
float expToBf16(const float* row, std::ptrdiff_t n, std::ptrdiff_t paddedN, float shift,
                std::uint16_t* out);

// gPairs[p][j] = (gRows[2p][j], gRows[2p + 1][j]) for p < rowsPadded / 2, j < paddedBatch: the
// gradient rows (rowsPadded x paddedBatch bf16, the A of dQ) in the pair layout of the B of dCᵀ.
void pairRows(const std::uint16_t* gRows, std::ptrdiff_t rowsPadded, std::ptrdiff_t paddedBatch,
              std::uint32_t* gPairs);

// dq[r][d] = Σ_j gRows[r][j] · c[j][d] for r < rowsPadded, d < dim (overwrites dq, row stride
// dim). cPairs: BatchOperands::candidatePairs().
void blockGradQueries(const std::uint16_t* gRows, std::ptrdiff_t rowsPadded,
                      std::ptrdiff_t paddedBatch, const std::uint32_t* cPairs, std::ptrdiff_t dim,
                      float* dq);

// dct[d][j] += Σ_r qt[d][r] · gPairs[r][j] for d < dim, j < paddedBatch: dCᵀ accumulated.
// qt: dim x rowsPadded bf16 (the block's scaled queries, transposed, zero beyond its rows).
// dct: dim x paddedBatch fp32.
void blockGradCandidatesT(const std::uint16_t* qt, std::ptrdiff_t rowsPadded, std::ptrdiff_t dim,
                          const std::uint32_t* gPairs, std::ptrdiff_t paddedBatch, float* dct);

} // namespace towerlab::amx_tiles
