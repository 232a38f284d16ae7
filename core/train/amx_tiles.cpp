#include "train/amx_tiles.hpp"

#include "train/bf16_logits.hpp"

#if defined(__AVX512F__) && defined(__x86_64__) && defined(__linux__)
#define TOWERLAB_HAVE_AMX_CODE 1
#include <cpuid.h>
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#endif

#include <algorithm>
#include <stdexcept>

namespace towerlab::amx_tiles {

std::ptrdiff_t roundUp(std::ptrdiff_t n, std::ptrdiff_t unit) {
    return (n + unit - 1) / unit * unit;
}

#if defined(TOWERLAB_HAVE_AMX_CODE)

// Tile code needs AMX and the conversions AVX-512 BF16, which the x86-64-v4 engine is not
// built with (not every AVX-512 CPU has them): these functions enable them themselves and run
// only after the checks of unavailableReason().
#define TOWERLAB_AMX_TARGET                                                                        \
    __attribute__((target("amx-tile,amx-bf16,avx512f,avx512bw,avx512bf16"), noinline))

namespace {

// GCC's tile intrinsics are asm statements that do not tell the compiler they read or write
// memory: a barrier before and after each kernel keeps ordinary loads and stores of the
// buffers on the right side of the tile loads and stores.
inline void compilerBarrier() {
    asm volatile("" ::: "memory");
}

// Palette 1, tiles 0-7 all 16 rows x 64 bytes (the largest); the rest unused.
struct alignas(64) TileConfig {
    std::uint8_t palette;
    std::uint8_t startRow;
    std::uint8_t reserved[14];
    std::uint16_t colsb[16];
    std::uint8_t rows[16];
};

constexpr TileConfig kConfig = {1,
                                0,
                                {},
                                {64, 64, 64, 64, 64, 64, 64, 64, 0, 0, 0, 0, 0, 0, 0, 0},
                                {16, 16, 16, 16, 16, 16, 16, 16, 0, 0, 0, 0, 0, 0, 0, 0}};

// The tile configuration belongs to a thread, and tilerelease at the end keeps the 8 KB of
// tile state out of the thread's context switches between kernels.
struct TileScope {
    TOWERLAB_AMX_TARGET TileScope() {
        compilerBarrier();
        _tile_loadconfig(&kConfig);
    }
    TOWERLAB_AMX_TARGET ~TileScope() {
        _tile_release();
        compilerBarrier();
    }
    TileScope(const TileScope&) = delete;
    TileScope& operator=(const TileScope&) = delete;
};

std::string cpuReason() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    // Leaf 7, sub-leaf 0: EDX bit 22 is AMX-BF16, bit 24 AMX-TILE.
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) == 0 || (d & (1U << 24)) == 0 ||
        (d & (1U << 22)) == 0) {
        return "this CPU has no AMX bf16 tiles (amx_tile and amx_bf16 in /proc/cpuinfo)";
    }
    constexpr long kArchReqXcompPerm = 0x1023;
    constexpr long kXfeatureXtiledata = 18;
    if (syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) != 0) {
        return std::string("Linux did not grant this process the AMX tile state "
                           "(arch_prctl ARCH_REQ_XCOMP_PERM: ") +
               std::strerror(errno) + ")";
    }
    return {};
}

// Indices for _mm512_permutex2var_epi16 interleaving two rows of 32 bf16 (a, then b at 32):
// words (a0, b0), (a1, b1), ... for the low 16 columns, then for the high 16.
alignas(64) constexpr std::uint16_t kInterleaveLow[32] = {
    0, 32, 1, 33, 2,  34, 3,  35, 4,  36, 5,  37, 6,  38, 7,  39,
    8, 40, 9, 41, 10, 42, 11, 43, 12, 44, 13, 45, 14, 46, 15, 47};
alignas(64) constexpr std::uint16_t kInterleaveHigh[32] = {
    16, 48, 17, 49, 18, 50, 19, 51, 20, 52, 21, 53, 22, 54, 23, 55,
    24, 56, 25, 57, 26, 58, 27, 59, 28, 60, 29, 61, 30, 62, 31, 63};

} // namespace

TOWERLAB_AMX_TARGET void toBf16(const float* in, std::ptrdiff_t n, std::uint16_t* out) {
    compilerBarrier();
    std::ptrdiff_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m512 lo = _mm512_loadu_ps(in + i);
        const __m512 hi = _mm512_loadu_ps(in + i + 16);
        _mm512_storeu_si512(out + i, (__m512i)_mm512_cvtne2ps_pbh(hi, lo));
    }
    for (; i < n; ++i) {
        // The scalar tail rounds as the instruction: a denormal becomes a signed zero.
        out[i] = std::abs(in[i]) < std::numeric_limits<float>::min()
                     ? static_cast<std::uint16_t>(std::signbit(in[i]) ? 0x8000U : 0U)
                     : bf16_logits::toBf16(in[i]);
    }
    compilerBarrier();
}

namespace {

// out[j] = (a[j], b[j]) as one word for j < n: two rows of bf16 into one row of pairs.
TOWERLAB_AMX_TARGET void interleaveRows(const std::uint16_t* a, const std::uint16_t* b,
                                        std::ptrdiff_t n, std::uint32_t* out) {
    compilerBarrier();
    const __m512i low = _mm512_load_si512(kInterleaveLow);
    const __m512i high = _mm512_load_si512(kInterleaveHigh);
    std::ptrdiff_t j = 0;
    for (; j + 32 <= n; j += 32) {
        const __m512i va = _mm512_loadu_si512(a + j);
        const __m512i vb = _mm512_loadu_si512(b + j);
        _mm512_storeu_si512(out + j, _mm512_permutex2var_epi16(va, low, vb));
        _mm512_storeu_si512(out + j + 16, _mm512_permutex2var_epi16(va, high, vb));
    }
    for (; j < n; ++j) {
        out[j] = static_cast<std::uint32_t>(a[j]) | (static_cast<std::uint32_t>(b[j]) << 16);
    }
    compilerBarrier();
}

} // namespace

void BatchOperands::pack(const RowMatrix& queries, const RowMatrix& candidates,
                         std::ptrdiff_t paddedBatch) {
    const std::ptrdiff_t batch = queries.rows();
    const std::ptrdiff_t dim = queries.cols();
    const std::ptrdiff_t pairs = dim / 2;
    m_kPairs = roundUp(pairs, kPairsPerTile);
    const std::ptrdiff_t rows = roundUp(batch, kRowGroup);
    // A row of bf16 in memory order is a row of pairs along it: Q's rows are its A tiles'.
    m_queries.assign(static_cast<std::size_t>(rows * m_kPairs), 0U);
    m_rowBuffer.resize(static_cast<std::size_t>(dim));
    for (std::ptrdiff_t i = 0; i < batch; ++i) {
        toBf16(queries.data() + i * dim, dim, m_rowBuffer.data());
        std::memcpy(m_queries.data() + i * m_kPairs, m_rowBuffer.data(),
                    static_cast<std::size_t>(dim) * 2);
    }
    m_candidates.assign(static_cast<std::size_t>(paddedBatch * dim), 0U);
    toBf16(candidates.data(), batch * dim, m_candidates.data());
    m_candidatesT.assign(static_cast<std::size_t>(m_kPairs * paddedBatch), 0U);
    for (std::ptrdiff_t i = 0; i < batch; ++i) {
        std::uint32_t word = 0;
        for (std::ptrdiff_t p = 0; p < pairs; ++p) {
            std::memcpy(&word, m_candidates.data() + i * dim + 2 * p, sizeof word);
            m_candidatesT[static_cast<std::size_t>(p * paddedBatch + i)] = word;
        }
    }
    m_candidatePairs.resize(static_cast<std::size_t>(paddedBatch / 2 * dim));
    for (std::ptrdiff_t p = 0; p < paddedBatch / 2; ++p) {
        // Rows past the batch are zeros in m_candidates: zero words.
        interleaveRows(m_candidates.data() + 2 * p * dim, m_candidates.data() + (2 * p + 1) * dim,
                       dim, m_candidatePairs.data() + p * dim);
    }
}

std::string unavailableReason(std::ptrdiff_t dim) {
    // Asked once per process: the permission, once granted, holds for every thread.
    static const std::string cpu = cpuReason();
    if (!cpu.empty()) {
        return cpu;
    }
    // The gradient's conversion to bf16 uses AVX-512 BF16, and the width rule is the same.
    return bf16_logits::unavailableReason(dim);
}

TOWERLAB_AMX_TARGET void blockLogits(const std::uint32_t* q, std::ptrdiff_t rows,
                                     std::ptrdiff_t kPairs, const std::uint32_t* ct,
                                     std::ptrdiff_t paddedBatch, float* logits) {
    const TileScope scope;
    const long ldq = static_cast<long>(kPairs * 4);
    const long ldc = static_cast<long>(paddedBatch * 4);
    // Tiles 0-3: a 32 x 32 block of logits; 4, 5: two row tiles of Q; 6, 7: two of Cᵀ.
    for (std::ptrdiff_t r0 = 0; r0 < rows; r0 += kRowGroup) {
        const std::uint32_t* q0 = q + r0 * kPairs;
        const std::uint32_t* q1 = q0 + kTile * kPairs;
        for (std::ptrdiff_t j0 = 0; j0 < paddedBatch; j0 += kColumnGroup) {
            _tile_zero(0);
            _tile_zero(1);
            _tile_zero(2);
            _tile_zero(3);
            for (std::ptrdiff_t k = 0; k < kPairs; k += kPairsPerTile) {
                _tile_loadd(4, q0 + k, ldq);
                _tile_loadd(5, q1 + k, ldq);
                _tile_loadd(6, ct + k * paddedBatch + j0, ldc);
                _tile_loadd(7, ct + k * paddedBatch + j0 + kTile, ldc);
                _tile_dpbf16ps(0, 4, 6);
                _tile_dpbf16ps(1, 4, 7);
                _tile_dpbf16ps(2, 5, 6);
                _tile_dpbf16ps(3, 5, 7);
            }
            float* out = logits + r0 * paddedBatch + j0;
            _tile_stored(0, out, ldc);
            _tile_stored(1, out + kTile, ldc);
            _tile_stored(2, out + kTile * paddedBatch, ldc);
            _tile_stored(3, out + kTile * paddedBatch + kTile, ldc);
        }
    }
}

TOWERLAB_AMX_TARGET float expToBf16(const float* row, std::ptrdiff_t n, std::ptrdiff_t paddedN,
                                    float shift, std::uint16_t* out) {
    compilerBarrier();
    // softmax_kernels::expShiftedSum's operations in its order, so the sum (and the loss) is
    // the same as the fp32 backward's for the same logits.
    using Eigen::internal::Packet16f;
    const Packet16f s = _mm512_set1_ps(shift);
    Packet16f acc = _mm512_setzero_ps();
    std::ptrdiff_t j = 0;
    for (; j + 16 <= n; j += 16) {
        const Packet16f e = Eigen::internal::pexp(_mm512_sub_ps(_mm512_loadu_ps(row + j), s));
        acc = _mm512_add_ps(acc, e);
        // VCVTNEPS2BF16 rounds to nearest, ties to even, as toBf16.
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + j), (__m256i)_mm512_cvtneps_pbh(e));
    }
    alignas(64) float lanes[16];
    _mm512_store_ps(lanes, acc);
    float sum = 0.0f;
    for (const float lane : lanes) {
        sum += lane;
    }
    for (; j < n; ++j) {
        const float e = std::exp(row[j] - shift);
        sum += e;
        toBf16(&e, 1, out + j);
    }
    // Columns from n on are the padding of the batch: no gradient.
    std::fill(out + n, out + paddedN, std::uint16_t{0});
    compilerBarrier();
    return sum;
}

void pairRows(const std::uint16_t* gRows, std::ptrdiff_t rowsPadded, std::ptrdiff_t paddedBatch,
              std::uint32_t* gPairs) {
    for (std::ptrdiff_t p = 0; p < rowsPadded / 2; ++p) {
        const std::uint16_t* a = gRows + 2 * p * paddedBatch;
        interleaveRows(a, a + paddedBatch, paddedBatch, gPairs + p * paddedBatch);
    }
}

TOWERLAB_AMX_TARGET void blockGradQueries(const std::uint16_t* gRows, std::ptrdiff_t rowsPadded,
                                          std::ptrdiff_t paddedBatch, const std::uint32_t* cPairs,
                                          std::ptrdiff_t dim, float* dq) {
    const TileScope scope;
    const long ldg = static_cast<long>(paddedBatch * 2);
    const long ldc = static_cast<long>(dim * 4);
    constexpr std::ptrdiff_t kStep = 2 * kPairsPerTile; // candidates j per tile product
    for (std::ptrdiff_t r0 = 0; r0 < rowsPadded; r0 += kRowGroup) {
        const std::uint16_t* g0 = gRows + r0 * paddedBatch;
        const std::uint16_t* g1 = g0 + kTile * paddedBatch;
        float* out = dq + r0 * dim;
        std::ptrdiff_t d0 = 0;
        // Tiles 0-3: 32 rows x 32 dimensions of dQ; 4, 5: two row tiles of G; 6, 7: of C.
        for (; d0 + 2 * kTile <= dim; d0 += 2 * kTile) {
            _tile_zero(0);
            _tile_zero(1);
            _tile_zero(2);
            _tile_zero(3);
            for (std::ptrdiff_t k = 0; k < paddedBatch; k += kStep) {
                _tile_loadd(4, g0 + k, ldg);
                _tile_loadd(5, g1 + k, ldg);
                _tile_loadd(6, cPairs + k / 2 * dim + d0, ldc);
                _tile_loadd(7, cPairs + k / 2 * dim + d0 + kTile, ldc);
                _tile_dpbf16ps(0, 4, 6);
                _tile_dpbf16ps(1, 4, 7);
                _tile_dpbf16ps(2, 5, 6);
                _tile_dpbf16ps(3, 5, 7);
            }
            _tile_stored(0, out + d0, ldc);
            _tile_stored(1, out + d0 + kTile, ldc);
            _tile_stored(2, out + kTile * dim + d0, ldc);
            _tile_stored(3, out + kTile * dim + d0 + kTile, ldc);
        }
        if (d0 < dim) { // the last 16 dimensions when dim is an odd multiple of 16
            _tile_zero(0);
            _tile_zero(2);
            for (std::ptrdiff_t k = 0; k < paddedBatch; k += kStep) {
                _tile_loadd(4, g0 + k, ldg);
                _tile_loadd(5, g1 + k, ldg);
                _tile_loadd(6, cPairs + k / 2 * dim + d0, ldc);
                _tile_dpbf16ps(0, 4, 6);
                _tile_dpbf16ps(2, 5, 6);
            }
            _tile_stored(0, out + d0, ldc);
            _tile_stored(2, out + kTile * dim + d0, ldc);
        }
    }
}

TOWERLAB_AMX_TARGET void blockGradCandidatesT(const std::uint16_t* qt, std::ptrdiff_t rowsPadded,
                                              std::ptrdiff_t dim, const std::uint32_t* gPairs,
                                              std::ptrdiff_t paddedBatch, float* dct) {
    const TileScope scope;
    const long ldq = static_cast<long>(rowsPadded * 2);
    const long ldc = static_cast<long>(paddedBatch * 4);
    constexpr std::ptrdiff_t kStep = 2 * kPairsPerTile; // block rows r per tile product
    std::ptrdiff_t d0 = 0;
    // Tiles 0-3: 32 dimensions x 32 candidates of dCᵀ; 4, 5: two row tiles of Qᵀ; 6, 7: of G.
    // G, the large operand, is read once for every 32 dimensions.
    for (; d0 + 2 * kTile <= dim; d0 += 2 * kTile) {
        const std::uint16_t* q0 = qt + d0 * rowsPadded;
        const std::uint16_t* q1 = q0 + kTile * rowsPadded;
        float* out0 = dct + d0 * paddedBatch;
        float* out1 = out0 + kTile * paddedBatch;
        for (std::ptrdiff_t j0 = 0; j0 < paddedBatch; j0 += kColumnGroup) {
            _tile_loadd(0, out0 + j0, ldc);
            _tile_loadd(1, out0 + j0 + kTile, ldc);
            _tile_loadd(2, out1 + j0, ldc);
            _tile_loadd(3, out1 + j0 + kTile, ldc);
            for (std::ptrdiff_t k = 0; k < rowsPadded; k += kStep) {
                _tile_loadd(4, q0 + k, ldq);
                _tile_loadd(5, q1 + k, ldq);
                _tile_loadd(6, gPairs + k / 2 * paddedBatch + j0, ldc);
                _tile_loadd(7, gPairs + k / 2 * paddedBatch + j0 + kTile, ldc);
                _tile_dpbf16ps(0, 4, 6);
                _tile_dpbf16ps(1, 4, 7);
                _tile_dpbf16ps(2, 5, 6);
                _tile_dpbf16ps(3, 5, 7);
            }
            _tile_stored(0, out0 + j0, ldc);
            _tile_stored(1, out0 + j0 + kTile, ldc);
            _tile_stored(2, out1 + j0, ldc);
            _tile_stored(3, out1 + j0 + kTile, ldc);
        }
    }
    if (d0 < dim) { // the last 16 dimensions when dim is an odd multiple of 16
        const std::uint16_t* q0 = qt + d0 * rowsPadded;
        float* out0 = dct + d0 * paddedBatch;
        for (std::ptrdiff_t j0 = 0; j0 < paddedBatch; j0 += kColumnGroup) {
            _tile_loadd(0, out0 + j0, ldc);
            _tile_loadd(1, out0 + j0 + kTile, ldc);
            for (std::ptrdiff_t k = 0; k < rowsPadded; k += kStep) {
                _tile_loadd(4, q0 + k, ldq);
                _tile_loadd(6, gPairs + k / 2 * paddedBatch + j0, ldc);
                _tile_loadd(7, gPairs + k / 2 * paddedBatch + j0 + kTile, ldc);
                _tile_dpbf16ps(0, 4, 6);
                _tile_dpbf16ps(1, 4, 7);
            }
            _tile_stored(0, out0 + j0, ldc);
            _tile_stored(1, out0 + j0 + kTile, ldc);
        }
    }
}

#else // no AVX-512 engine or not x86-64 Linux: the callers use the other paths

std::string unavailableReason(std::ptrdiff_t) {
    return "this engine was built without AVX-512 or not for x86-64 Linux (AMX tiles need the "
           "x86-64-v4 engine on Linux)";
}

namespace {
[[noreturn]] void unavailable() {
    throw std::logic_error("amx_tiles kernel called where available() is false");
}
} // namespace

void blockLogits(const std::uint32_t*, std::ptrdiff_t, std::ptrdiff_t, const std::uint32_t*,
                 std::ptrdiff_t, float*) {
    unavailable();
}
void toBf16(const float*, std::ptrdiff_t, std::uint16_t*) {
    unavailable();
}
void BatchOperands::pack(const RowMatrix&, const RowMatrix&, std::ptrdiff_t) {
    unavailable();
}
float expToBf16(const float*, std::ptrdiff_t, std::ptrdiff_t, float, std::uint16_t*) {
    unavailable();
}
void pairRows(const std::uint16_t*, std::ptrdiff_t, std::ptrdiff_t, std::uint32_t*) {
    unavailable();
}
void blockGradQueries(const std::uint16_t*, std::ptrdiff_t, std::ptrdiff_t, const std::uint32_t*,
                      std::ptrdiff_t, float*) {
    unavailable();
}
void blockGradCandidatesT(const std::uint16_t*, std::ptrdiff_t, std::ptrdiff_t,
                          const std::uint32_t*, std::ptrdiff_t, float*) {
    unavailable();
}

#endif

} // namespace towerlab::amx_tiles
