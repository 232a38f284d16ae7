#include "train/bf16_logits.hpp"

#include "train/softmax_block_kernels.hpp"

#if defined(__AVX512F__)
#include <cpuid.h>
#include <immintrin.h>
#endif

#include <bit>
#include <stdexcept>

namespace towerlab::bf16_logits {

std::uint16_t toBf16(float x) {
    std::uint32_t bits = std::bit_cast<std::uint32_t>(x);
    if ((bits & 0x7fffffffU) > 0x7f800000U) {
        return static_cast<std::uint16_t>((bits >> 16) | 0x40U); // NaN: keep it a (quiet) NaN
    }
    // Adding 0x7fff rounds the upper half up when the lower half is above one half; the odd
    // bit of the upper half breaks the tie (ties to even), as VCVTNEPS2BF16 does.
    bits += 0x7fffU + ((bits >> 16) & 1U);
    return static_cast<std::uint16_t>(bits >> 16);
}

float fromBf16(std::uint16_t bits) {
    return std::bit_cast<float>(static_cast<std::uint32_t>(bits) << 16);
}

namespace {

std::uint32_t packPair(float even, float odd) {
    return static_cast<std::uint32_t>(toBf16(even)) |
           (static_cast<std::uint32_t>(toBf16(odd)) << 16);
}

} // namespace

void PackedOperands::pack(const RowMatrix& queries, const RowMatrix& candidates,
                          std::ptrdiff_t paddedBatch) {
    const std::ptrdiff_t batch = queries.rows();
    m_pairs = queries.cols() / 2;
    const auto words = static_cast<std::size_t>(batch * m_pairs);
    m_queries.resize(words);
    m_candidates.resize(words);
    const float* q = queries.data();
    const float* c = candidates.data();
    for (std::size_t w = 0; w < words; ++w) {
        m_queries[w] = packPair(q[2 * w], q[2 * w + 1]);
        m_candidates[w] = packPair(c[2 * w], c[2 * w + 1]);
    }
    m_candidatesT.assign(static_cast<std::size_t>(m_pairs * paddedBatch), 0U);
    for (std::ptrdiff_t j = 0; j < batch; ++j) {
        for (std::ptrdiff_t p = 0; p < m_pairs; ++p) {
            m_candidatesT[static_cast<std::size_t>(p * paddedBatch + j)] =
                m_candidates[static_cast<std::size_t>(j * m_pairs + p)];
        }
    }
}

#if defined(__AVX512F__)

// The x86-64-v4 engine is built without AVX-512 BF16 (not every AVX-512 CPU has it), so these
// functions enable it themselves and run only after the CPUID check below.
#define TOWERLAB_BF16_TARGET __attribute__((target("avx512f,avx512bw,avx512bf16")))

namespace {

constexpr int kLanes = 16;
constexpr int kRows = 6; // 6 rows x 4 vectors = 24 accumulators, as the fp32 logits kernel

bool cpuHasBf16() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    // Leaf 7, sub-leaf 1: EAX bit 5 is AVX512_BF16.
    return __get_cpuid_count(7, 1, &a, &b, &c, &d) != 0 && (a & (1U << 5)) != 0;
}

template <int R>
TOWERLAB_BF16_TARGET void logitsTile(const std::uint32_t* q, std::ptrdiff_t pairs,
                                     const std::uint32_t* ct, std::ptrdiff_t ldct, float* out,
                                     std::ptrdiff_t ldo) {
    constexpr int T = softmax_kernels::kColumnTile / kLanes;
    __m512 acc[R][T];
    for (int r = 0; r < R; ++r) {
        for (int t = 0; t < T; ++t) {
            acc[r][t] = _mm512_setzero_ps();
        }
    }
    for (std::ptrdiff_t p = 0; p < pairs; ++p) {
        const std::uint32_t* cp = ct + p * ldct;
        __m512i c[T];
        for (int t = 0; t < T; ++t) {
            c[t] = _mm512_loadu_si512(cp + t * kLanes);
        }
        for (int r = 0; r < R; ++r) {
            const __m512i qv = _mm512_set1_epi32(static_cast<int>(q[r * pairs + p]));
            for (int t = 0; t < T; ++t) {
                acc[r][t] = _mm512_dpbf16_ps(acc[r][t], (__m512bh)qv, (__m512bh)c[t]);
            }
        }
    }
    for (int r = 0; r < R; ++r) {
        for (int t = 0; t < T; ++t) {
            _mm512_storeu_ps(out + r * ldo + t * kLanes, acc[r][t]);
        }
    }
}

// The last rows of a block, fewer than kRows (no lambda: it would not inherit the target).
TOWERLAB_BF16_TARGET void tailTile(int rows, const std::uint32_t* q, std::ptrdiff_t pairs,
                                   const std::uint32_t* ct, std::ptrdiff_t ldct, float* out,
                                   std::ptrdiff_t ldo) {
    switch (rows) {
    case 1:
        logitsTile<1>(q, pairs, ct, ldct, out, ldo);
        break;
    case 2:
        logitsTile<2>(q, pairs, ct, ldct, out, ldo);
        break;
    case 3:
        logitsTile<3>(q, pairs, ct, ldct, out, ldo);
        break;
    case 4:
        logitsTile<4>(q, pairs, ct, ldct, out, ldo);
        break;
    case 5:
        logitsTile<5>(q, pairs, ct, ldct, out, ldo);
        break;
    default:
        break;
    }
}

} // namespace

std::string unavailableReason(std::ptrdiff_t dim) {
    static const bool cpu = cpuHasBf16();
    if (!cpu) {
        return "this CPU has no AVX-512 BF16 (avx512_bf16 in /proc/cpuinfo)";
    }
    if (!softmax_kernels::available(dim)) {
        return "bf16 logits need a tower output width that is a multiple of 16, got " +
               std::to_string(dim);
    }
    return {};
}

TOWERLAB_BF16_TARGET void blockLogits(const std::uint32_t* q, std::ptrdiff_t rows,
                                      std::ptrdiff_t dim, const std::uint32_t* ct,
                                      std::ptrdiff_t paddedBatch, float* logits) {
    const std::ptrdiff_t pairs = dim / 2;
    // Column tiles outermost, as the fp32 kernel: one tile of Cᵀ stays in L1 for the block.
    for (std::ptrdiff_t j0 = 0; j0 < paddedBatch; j0 += softmax_kernels::kColumnTile) {
        std::ptrdiff_t r0 = 0;
        for (; r0 + kRows <= rows; r0 += kRows) {
            logitsTile<kRows>(q + r0 * pairs, pairs, ct + j0, paddedBatch,
                              logits + r0 * paddedBatch + j0, paddedBatch);
        }
        tailTile(static_cast<int>(rows - r0), q + r0 * pairs, pairs, ct + j0, paddedBatch,
                 logits + r0 * paddedBatch + j0, paddedBatch);
    }
}

#else // the baseline x86-64 engine: no AVX-512 at all

std::string unavailableReason(std::ptrdiff_t) {
    return "this engine was built without AVX-512 (the baseline x86-64 engine; bf16 logits need "
           "the x86-64-v4 one and a CPU with AVX-512 BF16)";
}

void blockLogits(const std::uint32_t*, std::ptrdiff_t, std::ptrdiff_t, const std::uint32_t*,
                 std::ptrdiff_t, float*) {
    throw std::logic_error("bf16_logits::blockLogits called where available() is false");
}

#endif

} // namespace towerlab::bf16_logits
