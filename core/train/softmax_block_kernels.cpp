#include "train/softmax_block_kernels.hpp"

#include <Eigen/Core>

#if defined(__AVX512F__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cmath>
#include <utility>

namespace towerlab::softmax_kernels {

#if defined(__AVX512F__)

namespace {

constexpr int kLanes = 16;
constexpr int kLogitRows = 6; // 6 rows x 4 vectors = 24 accumulators of the 32 registers
constexpr int kGradQRows = 8; // 8 rows x 2 vectors = 16 accumulators
constexpr int kGradCCols = 8; // 8 candidates x 2 vectors

template <int R>
void logitsTile(const float* q, std::ptrdiff_t dim, const float* ct, std::ptrdiff_t ldct,
                float* out, std::ptrdiff_t ldo) {
    constexpr int T = kColumnTile / kLanes;
    __m512 acc[R][T];
    for (int r = 0; r < R; ++r) {
        for (int t = 0; t < T; ++t) {
            acc[r][t] = _mm512_setzero_ps();
        }
    }
    for (std::ptrdiff_t k = 0; k < dim; ++k) {
        const float* ck = ct + k * ldct;
        __m512 c[T];
        for (int t = 0; t < T; ++t) {
            c[t] = _mm512_loadu_ps(ck + t * kLanes);
        }
        for (int r = 0; r < R; ++r) {
            const __m512 qv = _mm512_set1_ps(q[r * dim + k]);
            for (int t = 0; t < T; ++t) {
                acc[r][t] = _mm512_fmadd_ps(qv, c[t], acc[r][t]);
            }
        }
    }
    for (int r = 0; r < R; ++r) {
        for (int t = 0; t < T; ++t) {
            _mm512_storeu_ps(out + r * ldo + t * kLanes, acc[r][t]);
        }
    }
}

template <int R, int W>
void gradQueriesTile(const float* g, std::ptrdiff_t ldg, std::ptrdiff_t batch, const float* c,
                     std::ptrdiff_t dim, float* dq) {
    __m512 acc[R][W];
    for (int r = 0; r < R; ++r) {
        for (int w = 0; w < W; ++w) {
            acc[r][w] = _mm512_setzero_ps();
        }
    }
    for (std::ptrdiff_t j = 0; j < batch; ++j) {
        const float* cj = c + j * dim;
        __m512 cv[W];
        for (int w = 0; w < W; ++w) {
            cv[w] = _mm512_loadu_ps(cj + w * kLanes);
        }
        for (int r = 0; r < R; ++r) {
            const __m512 gv = _mm512_set1_ps(g[r * ldg + j]);
            for (int w = 0; w < W; ++w) {
                acc[r][w] = _mm512_fmadd_ps(gv, cv[w], acc[r][w]);
            }
        }
    }
    for (int r = 0; r < R; ++r) {
        for (int w = 0; w < W; ++w) {
            _mm512_storeu_ps(dq + r * dim + w * kLanes, acc[r][w]);
        }
    }
}

template <int J, int W>
void gradCandidatesTile(const float* g, std::ptrdiff_t rows, std::ptrdiff_t ldg, const float* q,
                        std::ptrdiff_t dim, float* dc) {
    __m512 acc[J][W];
    for (int j = 0; j < J; ++j) {
        for (int w = 0; w < W; ++w) {
            acc[j][w] = _mm512_loadu_ps(dc + j * dim + w * kLanes);
        }
    }
    for (std::ptrdiff_t r = 0; r < rows; ++r) {
        const float* qr = q + r * dim;
        __m512 qv[W];
        for (int w = 0; w < W; ++w) {
            qv[w] = _mm512_loadu_ps(qr + w * kLanes);
        }
        const float* gr = g + r * ldg;
        for (int j = 0; j < J; ++j) {
            const __m512 gv = _mm512_set1_ps(gr[j]);
            for (int w = 0; w < W; ++w) {
                acc[j][w] = _mm512_fmadd_ps(gv, qv[w], acc[j][w]);
            }
        }
    }
    for (int j = 0; j < J; ++j) {
        for (int w = 0; w < W; ++w) {
            _mm512_storeu_ps(dc + j * dim + w * kLanes, acc[j][w]);
        }
    }
}

// Calls F<n>() for a run-time n in [1, N]: the tails of the tiled loops.
template <int N, typename F> void dispatchCount(int n, F&& f) {
    if constexpr (N >= 1) {
        if (n == N) {
            f.template operator()<N>();
            return;
        }
        dispatchCount<N - 1>(n, std::forward<F>(f));
    }
}

// W = 2 for a 32-wide slice of the dimension, 1 for the last 16 when dim is an odd multiple.
template <typename F> void forEachSlice(std::ptrdiff_t dim, F&& f) {
    std::ptrdiff_t d0 = 0;
    for (; d0 + 2 * kLanes <= dim; d0 += 2 * kLanes) {
        f.template operator()<2>(d0);
    }
    if (d0 < dim) {
        f.template operator()<1>(d0);
    }
}

} // namespace

bool available(std::ptrdiff_t dim) {
    return dim > 0 && dim % kLanes == 0;
}

float expShiftedSum(float* row, std::ptrdiff_t n, float shift) {
    using Eigen::internal::Packet16f;
    const Packet16f s = _mm512_set1_ps(shift);
    Packet16f acc = _mm512_setzero_ps();
    std::ptrdiff_t j = 0;
    for (; j + kLanes <= n; j += kLanes) {
        const Packet16f e = Eigen::internal::pexp(_mm512_sub_ps(_mm512_loadu_ps(row + j), s));
        _mm512_storeu_ps(row + j, e);
        acc = _mm512_add_ps(acc, e);
    }
    // A plain sum of the lanes (GCC 12's _mm512_reduce_add_ps trips -Wuninitialized).
    alignas(64) float lanes[kLanes];
    _mm512_store_ps(lanes, acc);
    float sum = 0.0f;
    for (const float lane : lanes) {
        sum += lane;
    }
    for (; j < n; ++j) {
        row[j] = std::exp(row[j] - shift);
        sum += row[j];
    }
    return sum;
}

void blockLogits(const float* q, std::ptrdiff_t rows, std::ptrdiff_t dim, const float* ct,
                 std::ptrdiff_t paddedBatch, float* logits) {
    // Column tiles outermost: one tile of Cᵀ (dim x 64 floats) stays in L1 while every row
    // of the block passes over it.
    for (std::ptrdiff_t j0 = 0; j0 < paddedBatch; j0 += kColumnTile) {
        std::ptrdiff_t r0 = 0;
        for (; r0 + kLogitRows <= rows; r0 += kLogitRows) {
            logitsTile<kLogitRows>(q + r0 * dim, dim, ct + j0, paddedBatch,
                                   logits + r0 * paddedBatch + j0, paddedBatch);
        }
        dispatchCount<kLogitRows - 1>(static_cast<int>(rows - r0), [&]<int R>() {
            logitsTile<R>(q + r0 * dim, dim, ct + j0, paddedBatch, logits + r0 * paddedBatch + j0,
                          paddedBatch);
        });
    }
}

void blockGradQueries(const float* g, std::ptrdiff_t rows, std::ptrdiff_t ldg, std::ptrdiff_t batch,
                      const float* c, std::ptrdiff_t dim, float* dq) {
    forEachSlice(dim, [&]<int W>(std::ptrdiff_t d0) {
        std::ptrdiff_t r0 = 0;
        for (; r0 + kGradQRows <= rows; r0 += kGradQRows) {
            gradQueriesTile<kGradQRows, W>(g + r0 * ldg, ldg, batch, c + d0, dim,
                                           dq + r0 * dim + d0);
        }
        dispatchCount<kGradQRows - 1>(static_cast<int>(rows - r0), [&]<int R>() {
            gradQueriesTile<R, W>(g + r0 * ldg, ldg, batch, c + d0, dim, dq + r0 * dim + d0);
        });
    });
}

void blockGradCandidates(const float* g, std::ptrdiff_t rows, std::ptrdiff_t ldg,
                         std::ptrdiff_t batch, const float* q, std::ptrdiff_t dim, float* dc) {
    forEachSlice(dim, [&]<int W>(std::ptrdiff_t d0) {
        std::ptrdiff_t j0 = 0;
        for (; j0 + kGradCCols <= batch; j0 += kGradCCols) {
            gradCandidatesTile<kGradCCols, W>(g + j0, rows, ldg, q + d0, dim, dc + j0 * dim + d0);
        }
        dispatchCount<kGradCCols - 1>(static_cast<int>(batch - j0), [&]<int J>() {
            gradCandidatesTile<J, W>(g + j0, rows, ldg, q + d0, dim, dc + j0 * dim + d0);
        });
    });
}

#else // no AVX-512: plain loops, correct but only used by tests (available() is false)

bool available(std::ptrdiff_t) {
    return false;
}

float expShiftedSum(float* row, std::ptrdiff_t n, float shift) {
    float sum = 0.0f;
    for (std::ptrdiff_t j = 0; j < n; ++j) {
        row[j] = std::exp(row[j] - shift);
        sum += row[j];
    }
    return sum;
}

void blockLogits(const float* q, std::ptrdiff_t rows, std::ptrdiff_t dim, const float* ct,
                 std::ptrdiff_t paddedBatch, float* logits) {
    for (std::ptrdiff_t r = 0; r < rows; ++r) {
        for (std::ptrdiff_t j = 0; j < paddedBatch; ++j) {
            float s = 0.0f;
            for (std::ptrdiff_t k = 0; k < dim; ++k) {
                s += q[r * dim + k] * ct[k * paddedBatch + j];
            }
            logits[r * paddedBatch + j] = s;
        }
    }
}

void blockGradQueries(const float* g, std::ptrdiff_t rows, std::ptrdiff_t ldg, std::ptrdiff_t batch,
                      const float* c, std::ptrdiff_t dim, float* dq) {
    std::fill(dq, dq + rows * dim, 0.0f);
    for (std::ptrdiff_t r = 0; r < rows; ++r) {
        for (std::ptrdiff_t j = 0; j < batch; ++j) {
            for (std::ptrdiff_t k = 0; k < dim; ++k) {
                dq[r * dim + k] += g[r * ldg + j] * c[j * dim + k];
            }
        }
    }
}

void blockGradCandidates(const float* g, std::ptrdiff_t rows, std::ptrdiff_t ldg,
                         std::ptrdiff_t batch, const float* q, std::ptrdiff_t dim, float* dc) {
    for (std::ptrdiff_t j = 0; j < batch; ++j) {
        for (std::ptrdiff_t r = 0; r < rows; ++r) {
            for (std::ptrdiff_t k = 0; k < dim; ++k) {
                dc[j * dim + k] += g[r * ldg + j] * q[r * dim + k];
            }
        }
    }
}

#endif

} // namespace towerlab::softmax_kernels
