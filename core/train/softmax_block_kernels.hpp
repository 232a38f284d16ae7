#pragma once
// The three products of one row block of the fused in-batch softmax, written for AVX-512.
//
// Why not Eigen here: with an inner dimension of 32 (the tower output), Eigen's GEMM spends a
// fifth of its time re-packing C for every block and zeroing the destination before it
// accumulates. These kernels read C once per batch in the layout they want (Cᵀ, padded) and
// keep their tiles in registers, so the block's work stays bound by the FMA units.
//
// Every kernel computes each output element with the same sequence of operations whatever
// the thread count or block position, so results stay bit-identical across thread counts.

#include <cstddef>

namespace towerlab::softmax_kernels {

// Column padding of Cᵀ and of the logits buffer: a whole number of register tiles.
constexpr std::ptrdiff_t kColumnTile = 64;

// True when this build has the kernels (compiled for AVX-512) and `dim` suits them (a
// multiple of 16). Otherwise the caller uses its portable Eigen path.
bool available(std::ptrdiff_t dim);

// logits[r][j] = q[r] · ct[:, j] for r < rows, j < paddedBatch.
// q: rows x dim, row stride dim. ct: dim x paddedBatch (Cᵀ, zero beyond the batch).
// logits: rows x paddedBatch. paddedBatch is a multiple of kColumnTile.
void blockLogits(const float* q, std::ptrdiff_t rows, std::ptrdiff_t dim, const float* ct,
                 std::ptrdiff_t paddedBatch, float* logits);

// row[j] = exp(row[j] - shift) for j < n; returns their sum (Eigen's vectorized exp).
float expShiftedSum(float* row, std::ptrdiff_t n, float shift);

// dq[r] = Σ_{j < batch} g[r][j] c[j] for r < rows (overwrites dq).
// g: rows x ldg. c: batch x dim, row stride dim. dq: rows x dim, row stride dim.
void blockGradQueries(const float* g, std::ptrdiff_t rows, std::ptrdiff_t ldg, std::ptrdiff_t batch,
                      const float* c, std::ptrdiff_t dim, float* dq);

// dc[j] += Σ_{r < rows} g[r][j] q[r] for j < batch.
// g: rows x ldg. q: rows x dim. dc: batch x dim, row stride dim.
void blockGradCandidates(const float* g, std::ptrdiff_t rows, std::ptrdiff_t ldg,
                         std::ptrdiff_t batch, const float* q, std::ptrdiff_t dim, float* dc);

} // namespace towerlab::softmax_kernels
