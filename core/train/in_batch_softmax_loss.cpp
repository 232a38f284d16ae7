#include "train/in_batch_softmax_loss.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace towerlab {

InBatchSoftmaxLoss::InBatchSoftmaxLoss(int threads)
    : m_threads(threads > 0 ? threads : omp_get_num_procs()) {}

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
    const int chunks = static_cast<int>(std::min<Eigen::Index>(kChunks, std::max<Eigen::Index>(blocks, 1)));
    const int threads = std::min(m_threads, chunks);
    if (static_cast<int>(m_blockLogits.size()) < threads) {
        m_blockLogits.resize(static_cast<std::size_t>(threads));
    }
    if (gradients && static_cast<int>(m_partialDc.size()) < chunks) {
        m_partialDc.resize(static_cast<std::size_t>(chunks));
    }
    std::array<double, kChunks> chunkLoss{};

#pragma omp parallel for schedule(static) num_threads(threads)
    for (int chunk = 0; chunk < chunks; ++chunk) {
        RowMatrix& logits = m_blockLogits[static_cast<std::size_t>(omp_get_thread_num())];
        RowMatrix* partial = gradients ? &m_partialDc[static_cast<std::size_t>(chunk)] : nullptr;
        if (partial != nullptr) {
            partial->setZero(batch, dim);
        }
        const Eigen::Index firstBlock = blocks * chunk / chunks;
        const Eigen::Index endBlock = blocks * (chunk + 1) / chunks;
        double loss = 0.0;
        for (Eigen::Index block = firstBlock; block < endBlock; ++block) {
            const Eigen::Index r0 = block * kBlockRows;
            const Eigen::Index rows = std::min<Eigen::Index>(kBlockRows, batch - r0);
            logits.resize(rows, batch);
            logits.noalias() = Q.middleRows(r0, rows) * C.transpose();
            for (Eigen::Index i = 0; i < rows; ++i) {
                auto row = logits.row(i).array();
                const float positive = row(r0 + i);
                const float maxLogit = row.maxCoeff();
                row = (row - maxLogit).exp();
                const float sum = row.sum();
                loss += static_cast<double>(maxLogit) + std::log(static_cast<double>(sum)) -
                        static_cast<double>(positive);
                if (gradients) {
                    // d loss / d logit = softmax - one-hot(label).
                    row *= 1.0f / sum;
                    row(r0 + i) -= 1.0f;
                }
            }
            if (gradients) {
                dQ->middleRows(r0, rows).noalias() = logits * C;
                partial->noalias() += logits.transpose() * Q.middleRows(r0, rows);
            }
        }
        chunkLoss[static_cast<std::size_t>(chunk)] = loss;
    }

    double total = 0.0;
    for (int chunk = 0; chunk < chunks; ++chunk) {
        total += chunkLoss[static_cast<std::size_t>(chunk)];
    }
    if (gradients) {
        *dC = m_partialDc[0];
        for (int chunk = 1; chunk < chunks; ++chunk) {
            *dC += m_partialDc[static_cast<std::size_t>(chunk)];
        }
    }
    return total;
}

} // namespace towerlab
