#include "train/in_batch_softmax_loss.hpp"

#include "train/softmax_block_kernels.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace towerlab {

double sumChunks(std::span<const double> chunkLoss, const std::vector<RowMatrix>& partialDc,
                 RowMatrix* dC) {
    double total = 0.0;
    for (const double loss : chunkLoss) {
        total += loss;
    }
    if (dC != nullptr) {
        *dC = partialDc[0];
        for (std::size_t chunk = 1; chunk < chunkLoss.size(); ++chunk) {
            *dC += partialDc[chunk];
        }
    }
    return total;
}

InBatchSoftmaxLoss::InBatchSoftmaxLoss(int threads, Kernels kernels, LogitsPrecision logits,
                                       Bf16Kernels bf16Kernels)
    : m_threads(threads > 0 ? threads : omp_get_num_procs()),
      m_useKernels(kernels == Kernels::Auto), m_bf16Requested(logits == LogitsPrecision::Bf16),
      m_bf16Kernels(bf16Kernels) {}

double InBatchSoftmaxLoss::forwardBackward(const RowMatrix& queries, const RowMatrix& candidates,
                                           RowMatrix& dQ, RowMatrix& dC) {
    return run(queries, candidates, &dQ, &dC);
}

double InBatchSoftmaxLoss::forward(const RowMatrix& queries, const RowMatrix& candidates) {
    return run(queries, candidates, nullptr, nullptr);
}

double InBatchSoftmaxLoss::run(const RowMatrix& Q, const RowMatrix& C, RowMatrix* dQ,
                               RowMatrix* dC) {
    const Eigen::Index batch = Q.rows();
    const Eigen::Index dim = Q.cols();
    const bool gradients = dQ != nullptr;
    if (gradients) {
        dQ->resize(batch, dim);
        dC->resize(batch, dim);
    }
    const Eigen::Index blocks = (batch + kBlockRows - 1) / kBlockRows;
    const int chunks =
        static_cast<int>(std::min<Eigen::Index>(kChunks, std::max<Eigen::Index>(blocks, 1)));
    const int threads = std::min(m_threads, chunks);
    if (static_cast<int>(m_blockLogits.size()) < threads) {
        m_blockLogits.resize(static_cast<std::size_t>(threads));
        m_scaledQueries.resize(static_cast<std::size_t>(threads));
    }
    if (gradients && static_cast<int>(m_partialDc.size()) < chunks) {
        m_partialDc.resize(static_cast<std::size_t>(chunks));
    }
    const bool fused = m_useKernels && softmax_kernels::available(dim);
    const Eigen::Index padded = (batch + softmax_kernels::kColumnTile - 1) /
                                softmax_kernels::kColumnTile * softmax_kernels::kColumnTile;
    m_bf16 = fused && m_bf16Requested && bf16_logits::available(dim);
    m_amxLogits = m_bf16 && m_bf16Kernels != Bf16Kernels::Avx512 && amx_tiles::available(dim);
    m_amxBackward = m_amxLogits && gradients && m_bf16Kernels == Bf16Kernels::Amx;
    if (m_amxBackward) {
        if (static_cast<int>(m_amxBuffers.size()) < threads) {
            m_amxBuffers.resize(static_cast<std::size_t>(threads));
        }
        if (static_cast<int>(m_partialDcT.size()) < chunks) {
            m_partialDcT.resize(static_cast<std::size_t>(chunks));
        }
    }
    if (m_amxLogits) {
        m_amx.pack(Q, C, padded);
    } else if (m_bf16) {
        m_packed.pack(Q, C, padded);
    } else if (fused) {
        // Cᵀ once per batch, zero-padded to whole column tiles; every block reads it.
        m_candidatesT.setZero(dim, padded);
        m_candidatesT.leftCols(batch) = C.transpose();
    }
    std::array<double, kChunks> chunkLoss{};

#pragma omp parallel for schedule(static) num_threads(threads)
    for (int chunk = 0; chunk < chunks; ++chunk) {
        RowMatrix& logits = m_blockLogits[static_cast<std::size_t>(omp_get_thread_num())];
        RowMatrix* partial = gradients ? &m_partialDc[static_cast<std::size_t>(chunk)] : nullptr;
        // On AMX tiles the chunk's dC is accumulated transposed (candidates along the tiles'
        // columns, see amx_tiles.hpp) and turned into rows of dC once, at the end.
        RowMatrix* partialT =
            m_amxBackward ? &m_partialDcT[static_cast<std::size_t>(chunk)] : nullptr;
        if (partialT != nullptr) {
            partialT->setZero(dim, padded);
        } else if (partial != nullptr) {
            partial->setZero(batch, dim);
        }
        const Eigen::Index firstBlock = blocks * chunk / chunks;
        const Eigen::Index endBlock = blocks * (chunk + 1) / chunks;
        double loss = 0.0;
        for (Eigen::Index block = firstBlock; block < endBlock; ++block) {
            const Eigen::Index r0 = block * kBlockRows;
            const Eigen::Index rows = std::min<Eigen::Index>(kBlockRows, batch - r0);
            if (fused) {
                loss += fusedBlock(Q, C, r0, rows, padded, logits, gradients ? dQ : nullptr,
                                   partialT != nullptr ? partialT : partial);
            } else {
                loss += eigenBlock(Q, C, r0, rows, logits, gradients ? dQ : nullptr, partial);
            }
        }
        if (partialT != nullptr) {
            *partial = partialT->leftCols(batch).transpose();
            const Eigen::Index firstRow = firstBlock * kBlockRows;
            const Eigen::Index endRow = std::min<Eigen::Index>(endBlock * kBlockRows, batch);
            partial->middleRows(firstRow, endRow - firstRow) -=
                Q.middleRows(firstRow, endRow - firstRow);
        }
        chunkLoss[static_cast<std::size_t>(chunk)] = loss;
    }

    return sumChunks(std::span(chunkLoss.data(), static_cast<std::size_t>(chunks)), m_partialDc,
                     gradients ? dC : nullptr);
}

double InBatchSoftmaxLoss::eigenBlock(const RowMatrix& Q, const RowMatrix& C, Eigen::Index r0,
                                      Eigen::Index rows, RowMatrix& logits, RowMatrix* dQ,
                                      RowMatrix* partialDc) {
    const Eigen::Index batch = Q.rows();
    logits.resize(rows, batch);
    logits.noalias() = Q.middleRows(r0, rows) * C.transpose();
    double loss = 0.0;
    for (Eigen::Index i = 0; i < rows; ++i) {
        auto row = logits.row(i).array();
        const float positive = row(r0 + i);
        const float maxLogit = row.maxCoeff();
        row = (row - maxLogit).exp();
        const float sum = row.sum();
        loss += static_cast<double>(maxLogit) + std::log(static_cast<double>(sum)) -
                static_cast<double>(positive);
        if (dQ != nullptr) {
            // d loss / d logit = softmax - one-hot(label).
            row *= 1.0f / sum;
            row(r0 + i) -= 1.0f;
        }
    }
    if (dQ != nullptr) {
        dQ->middleRows(r0, rows).noalias() = logits * C;
        partialDc->noalias() += logits.transpose() * Q.middleRows(r0, rows);
    }
    return loss;
}

double InBatchSoftmaxLoss::fusedBlock(const RowMatrix& Q, const RowMatrix& C, Eigen::Index r0,
                                      Eigen::Index rows, Eigen::Index padded, RowMatrix& logits,
                                      RowMatrix* dQ, RowMatrix* partialDc) {
    const Eigen::Index batch = Q.rows();
    const Eigen::Index dim = Q.cols();
    if (m_amxLogits) {
        // Whole pairs of row tiles: the rows past the block's are Q's zero padding.
        const Eigen::Index tileRows = amx_tiles::roundUp(rows, amx_tiles::kRowGroup);
        logits.resize(tileRows, padded);
        amx_tiles::blockLogits(m_amx.queries() + r0 * m_amx.kPairs(), tileRows, m_amx.kPairs(),
                               m_amx.candidatesT(), padded, logits.data());
    } else if (m_bf16) {
        logits.resize(rows, padded);
        bf16_logits::blockLogits(m_packed.queryRow(r0), rows, dim, m_packed.candidatesT(), padded,
                                 logits.data());
    } else {
        logits.resize(rows, padded);
        softmax_kernels::blockLogits(Q.row(r0).data(), rows, dim, m_candidatesT.data(), padded,
                                     logits.data());
    }
    // The block's rows become exp(logit - max); the 1/sum of the softmax and the one-hot label
    // are applied to the (small) inputs and outputs of the gradient products instead of to
    // the rows x B block, which saves a pass over it.
    float invSum[kBlockRows];
    double loss = 0.0;
    // On AMX the backward reads the block's exp in bf16 only: written straight from the logits.
    std::uint16_t* gradientRows = nullptr;
    if (m_amxBackward && dQ != nullptr) {
        AmxBlockBuffers& b = m_amxBuffers[static_cast<std::size_t>(omp_get_thread_num())];
        b.gradientRows.resize(
            static_cast<std::size_t>(amx_tiles::roundUp(rows, amx_tiles::kRowGroup) * padded));
        gradientRows = b.gradientRows.data();
    }
    for (Eigen::Index i = 0; i < rows; ++i) {
        float* row = logits.row(i).data();
        const float positive = row[r0 + i];
        const float maxLogit = logits.row(i).head(batch).maxCoeff();
        const float sum =
            gradientRows != nullptr
                ? amx_tiles::expToBf16(row, batch, padded, maxLogit, gradientRows + i * padded)
                : softmax_kernels::expShiftedSum(row, batch, maxLogit);
        loss += static_cast<double>(maxLogit) + std::log(static_cast<double>(sum)) -
                static_cast<double>(positive);
        invSum[i] = 1.0f / sum;
    }
    if (dQ == nullptr) {
        return loss;
    }
    if (m_amxBackward) {
        amxBackward(Q, C, r0, rows, padded, invSum, *dQ, *partialDc);
        return loss;
    }
    float* dq = dQ->row(r0).data();
    softmax_kernels::blockGradQueries(logits.data(), rows, padded, batch, C.data(), dim, dq);
    RowMatrix& scaledQ = m_scaledQueries[static_cast<std::size_t>(omp_get_thread_num())];
    scaledQ.resize(rows, dim);
    for (Eigen::Index i = 0; i < rows; ++i) {
        dQ->row(r0 + i) = dQ->row(r0 + i) * invSum[i] - C.row(r0 + i);
        scaledQ.row(i) = Q.row(r0 + i) * invSum[i];
    }
    softmax_kernels::blockGradCandidates(logits.data(), rows, padded, batch, scaledQ.data(), dim,
                                         partialDc->data());
    partialDc->middleRows(r0, rows) -= Q.middleRows(r0, rows);
    return loss;
}

// fusedBlock's backward with its two products on AMX tiles: G (exp of the shifted logits,
// already in the thread's gradientRows) and the scaled queries rounded to bf16, C already in
// bf16 (BatchOperands), sums in fp32. The 1/sum and the label are applied in fp32, as in the
// fp32 backward.
void InBatchSoftmaxLoss::amxBackward(const RowMatrix& Q, const RowMatrix& C, Eigen::Index r0,
                                     Eigen::Index rows, Eigen::Index padded, const float* invSum,
                                     RowMatrix& dQ, RowMatrix& partialDcT) {
    const Eigen::Index dim = Q.cols();
    const Eigen::Index rowsPadded = amx_tiles::roundUp(rows, amx_tiles::kRowGroup);
    AmxBlockBuffers& b = m_amxBuffers[static_cast<std::size_t>(omp_get_thread_num())];
    // fusedBlock wrote the block's rows of G; the rows past them up to the tile pair are zero.
    std::fill(b.gradientRows.begin() + rows * padded, b.gradientRows.end(), std::uint16_t{0});
    b.gradientPairs.resize(static_cast<std::size_t>(rowsPadded / 2 * padded));
    amx_tiles::pairRows(b.gradientRows.data(), rowsPadded, padded, b.gradientPairs.data());

    b.dq.resize(static_cast<std::size_t>(rowsPadded * dim));
    amx_tiles::blockGradQueries(b.gradientRows.data(), rowsPadded, padded, m_amx.candidatePairs(),
                                dim, b.dq.data());
    for (Eigen::Index i = 0; i < rows; ++i) {
        const Eigen::Map<const RowVector> raw(b.dq.data() + i * dim, dim);
        dQ.row(r0 + i) = raw * invSum[i] - C.row(r0 + i);
    }

    b.scaledQueriesT.assign(static_cast<std::size_t>(dim * rowsPadded), 0);
    b.scaledRow.resize(dim);
    b.scaledRowBf16.resize(static_cast<std::size_t>(dim));
    for (Eigen::Index i = 0; i < rows; ++i) {
        b.scaledRow = Q.row(r0 + i) * invSum[i];
        amx_tiles::toBf16(b.scaledRow.data(), dim, b.scaledRowBf16.data());
        for (Eigen::Index d = 0; d < dim; ++d) {
            b.scaledQueriesT[static_cast<std::size_t>(d * rowsPadded + i)] =
                b.scaledRowBf16[static_cast<std::size_t>(d)];
        }
    }
    amx_tiles::blockGradCandidatesT(b.scaledQueriesT.data(), rowsPadded, dim,
                                    b.gradientPairs.data(), padded, partialDcT.data());
}

} // namespace towerlab
