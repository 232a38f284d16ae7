#include "train/retrieval_task_loss.hpp"

#include "train/in_batch_softmax_loss.hpp"
#include "train/softmax_block_kernels.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <numeric>

namespace towerlab {

struct RetrievalTaskLoss::Batch {
    const RowMatrix& queries;
    const RowMatrix& candidates;
    std::span<const std::int32_t> ids;
    std::span<const float> logProbabilities;
};

RetrievalTaskLoss::RetrievalTaskLoss(const RetrievalOptions& options, int threads, Kernels kernels,
                                     LogitsPrecision logits)
    : m_options(options), m_threads(threads > 0 ? threads : omp_get_num_procs()),
      m_useKernels(kernels == Kernels::Auto), m_bf16Requested(logits == LogitsPrecision::Bf16) {}

double RetrievalTaskLoss::forwardBackward(const RowMatrix& queries, const RowMatrix& candidates,
                                          std::span<const std::int32_t> candidateIds,
                                          std::span<const float> logProbabilities, RowMatrix& dQ,
                                          RowMatrix& dC) {
    return run({queries, candidates, candidateIds, logProbabilities}, &dQ, &dC);
}

double RetrievalTaskLoss::forward(const RowMatrix& queries, const RowMatrix& candidates,
                                  std::span<const std::int32_t> candidateIds,
                                  std::span<const float> logProbabilities) {
    return run({queries, candidates, candidateIds, logProbabilities}, nullptr, nullptr);
}

double RetrievalTaskLoss::run(const Batch& batch, RowMatrix* dQ, RowMatrix* dC) {
    const Eigen::Index rowsTotal = batch.queries.rows();
    const Eigen::Index dim = batch.queries.cols();
    const bool gradients = dQ != nullptr;
    if (gradients) {
        dQ->resize(rowsTotal, dim);
        dC->resize(rowsTotal, dim);
    }
    const Eigen::Index blocks = (rowsTotal + kBlockRows - 1) / kBlockRows;
    const int chunks =
        static_cast<int>(std::min<Eigen::Index>(kChunks, std::max<Eigen::Index>(blocks, 1)));
    const int threads = std::min(m_threads, chunks);
    if (static_cast<int>(m_blockLogits.size()) < threads) {
        m_blockLogits.resize(static_cast<std::size_t>(threads));
        m_scratch.resize(static_cast<std::size_t>(threads));
    }
    for (Scratch& s : m_scratch) {
        s.columns.reserve(static_cast<std::size_t>(rowsTotal));
        s.values.reserve(static_cast<std::size_t>(rowsTotal));
    }
    if (gradients && static_cast<int>(m_partialDc.size()) < chunks) {
        m_partialDc.resize(static_cast<std::size_t>(chunks));
    }
    if (m_options.removeAccidentalHits) {
        groupByMovie(batch.ids);
    }
    m_fused = m_useKernels && softmax_kernels::available(dim);
    const Eigen::Index padded = (rowsTotal + softmax_kernels::kColumnTile - 1) /
                                softmax_kernels::kColumnTile * softmax_kernels::kColumnTile;
    m_bf16 = m_fused && m_bf16Requested && bf16_logits::available(dim);
    if (m_bf16) {
        m_packed.pack(batch.queries, batch.candidates, padded);
    } else if (m_fused) {
        // Cᵀ once per batch, zero-padded to whole column tiles, as the kernels read it.
        m_candidatesT.setZero(dim, padded);
        m_candidatesT.leftCols(rowsTotal) = batch.candidates.transpose();
    }
    std::array<double, kChunks> chunkLoss{};

#pragma omp parallel for schedule(static) num_threads(threads)
    for (int chunk = 0; chunk < chunks; ++chunk) {
        RowMatrix* partial = gradients ? &m_partialDc[static_cast<std::size_t>(chunk)] : nullptr;
        if (partial != nullptr) {
            partial->setZero(rowsTotal, dim);
        }
        const Eigen::Index firstBlock = blocks * chunk / chunks;
        const Eigen::Index endBlock = blocks * (chunk + 1) / chunks;
        double loss = 0.0;
        for (Eigen::Index b = firstBlock; b < endBlock; ++b) {
            const Eigen::Index r0 = b * kBlockRows;
            const Eigen::Index rows = std::min<Eigen::Index>(kBlockRows, rowsTotal - r0);
            loss += block(batch, r0, rows, padded, omp_get_thread_num(), gradients ? dQ : nullptr,
                          partial);
        }
        chunkLoss[static_cast<std::size_t>(chunk)] = loss;
    }

    return sumChunks(std::span(chunkLoss.data(), static_cast<std::size_t>(chunks)), m_partialDc,
                     gradients ? dC : nullptr);
}

void RetrievalTaskLoss::groupByMovie(std::span<const std::int32_t> ids) {
    const std::size_t n = ids.size();
    m_byMovie.resize(n);
    m_groupBegin.resize(n);
    m_groupEnd.resize(n);
    std::iota(m_byMovie.begin(), m_byMovie.end(), 0);
    std::sort(m_byMovie.begin(), m_byMovie.end(), [ids](std::int32_t a, std::int32_t b) {
        const auto ia = ids[static_cast<std::size_t>(a)];
        const auto ib = ids[static_cast<std::size_t>(b)];
        return ia < ib || (ia == ib && a < b);
    });
    for (std::size_t begin = 0; begin < n;) {
        std::size_t end = begin + 1;
        const auto id = ids[static_cast<std::size_t>(m_byMovie[begin])];
        while (end < n && ids[static_cast<std::size_t>(m_byMovie[end])] == id) {
            ++end;
        }
        for (std::size_t k = begin; k < end; ++k) {
            const auto column = static_cast<std::size_t>(m_byMovie[k]);
            m_groupBegin[column] = static_cast<std::int32_t>(begin);
            m_groupEnd[column] = static_cast<std::int32_t>(end);
        }
        begin = end;
    }
}

double RetrievalTaskLoss::block(const Batch& batch, Eigen::Index r0, Eigen::Index rows,
                                Eigen::Index padded, int thread, RowMatrix* dQ,
                                RowMatrix* partialDc) {
    const RowMatrix& Q = batch.queries;
    const RowMatrix& C = batch.candidates;
    const Eigen::Index columns = Q.rows();
    const Eigen::Index dim = Q.cols();
    RowMatrix& logits = m_blockLogits[static_cast<std::size_t>(thread)];
    Scratch& scratch = m_scratch[static_cast<std::size_t>(thread)];
    if (m_fused) {
        // Rows are `padded` wide; only the first `columns` of each are the batch's.
        logits.resize(rows, padded);
        if (m_bf16) {
            bf16_logits::blockLogits(m_packed.queryRow(r0), rows, dim, m_packed.candidatesT(),
                                     padded, logits.data());
        } else {
            softmax_kernels::blockLogits(Q.row(r0).data(), rows, dim, m_candidatesT.data(), padded,
                                         logits.data());
        }
    } else {
        logits.resize(rows, columns);
        logits.noalias() = Q.middleRows(r0, rows) * C.transpose();
    }

    const auto temperature = static_cast<float>(m_options.temperature);
    const bool scaled = m_options.temperature != 1.0;
    const bool logQ = m_options.logQ != LogQCorrection::Off;
    double loss = 0.0;
    for (Eigen::Index i = 0; i < rows; ++i) {
        auto row = logits.row(i).head(columns);
        if (scaled) {
            row.array() /= temperature;
        }
        if (logQ) {
            row -= Eigen::Map<const RowVector>(batch.logProbabilities.data(), columns);
        }
        loss += softmaxRow(row.data(), columns, r0 + i, scratch);
        if (scaled && dQ != nullptr) {
            row.array() /= temperature; // d(S / T) / dS
        }
    }
    if (dQ != nullptr && m_fused) {
        softmax_kernels::blockGradQueries(logits.data(), rows, padded, columns, C.data(), dim,
                                          dQ->row(r0).data());
        softmax_kernels::blockGradCandidates(logits.data(), rows, padded, columns, Q.row(r0).data(),
                                             dim, partialDc->data());
    } else if (dQ != nullptr) {
        dQ->middleRows(r0, rows).noalias() = logits * C;
        partialDc->noalias() += logits.transpose() * Q.middleRows(r0, rows);
    }
    return loss;
}

double RetrievalTaskLoss::softmaxRow(float* row, Eigen::Index columns, Eigen::Index label,
                                     Scratch& scratch) const {
    Eigen::Map<RowVector> logits(row, columns);
    const bool removeHits = m_options.removeAccidentalHits;
    const auto labelColumn = static_cast<std::size_t>(label);
    // The columns holding the label's movie (the label among them), from the per-batch
    // grouping: a row visits only its own movie's copies, not every column.
    const std::span<const std::int32_t> sameMovie =
        removeHits
            ? std::span<const std::int32_t>(m_byMovie).subspan(
                  static_cast<std::size_t>(m_groupBegin[labelColumn]),
                  static_cast<std::size_t>(m_groupEnd[labelColumn] - m_groupBegin[labelColumn]))
            : std::span<const std::int32_t>();
    for (const std::int32_t j : sameMovie) {
        if (j != label) {
            logits(j) += kAccidentalHitLogitOffset;
        }
    }
    const float positive = logits(label);

    const Eigen::Index negatives = columns - 1;
    const Eigen::Index hard = m_options.hardNegatives;
    if (hard == 0 || hard >= negatives) {
        // Every column stays. exp() of a masked logit is 0 in TensorFlow; Eigen's vectorised
        // exp clamps its argument instead, so masked columns are zeroed explicitly.
        const float maxLogit = logits.maxCoeff();
        logits = (logits.array() - maxLogit).exp();
        for (const std::int32_t j : sameMovie) {
            if (j != label) {
                logits(j) = 0.0f;
            }
        }
        const float sum = logits.sum();
        logits *= 1.0f / sum;
        logits(label) -= 1.0f;
        return static_cast<double>(maxLogit) + std::log(static_cast<double>(sum)) -
               static_cast<double>(positive);
    }

    // Hard-negative mining: the `hard` largest negatives, ties to the lower column as
    // tf.nn.top_k orders them. A non-finite row (a diverging run) cannot be ordered; its loss
    // is NaN and the trainer stops.
    if (!logits.allFinite()) {
        logits.setZero();
        return std::numeric_limits<double>::quiet_NaN();
    }
    std::vector<std::int32_t>& kept = scratch.columns;
    kept.clear();
    if (hard <= kHeapSelectionLimit) {
        // One pass with a heap of the `hard` best so far, its worst on top: most columns are
        // rejected by one comparison. Columns come in ascending order, so a later column
        // never displaces an equal earlier one.
        const auto better = [&logits](std::int32_t a, std::int32_t b) {
            return logits(a) > logits(b) || (logits(a) == logits(b) && a < b);
        };
        for (Eigen::Index j = 0; j < columns; ++j) {
            if (j == label) {
                continue;
            }
            const auto column = static_cast<std::int32_t>(j);
            if (static_cast<Eigen::Index>(kept.size()) < hard) {
                kept.push_back(column);
                std::push_heap(kept.begin(), kept.end(), better);
            } else if (better(column, kept.front())) {
                std::pop_heap(kept.begin(), kept.end(), better);
                kept.back() = column;
                std::push_heap(kept.begin(), kept.end(), better);
            }
        }
    } else {
        // Many to keep: the hard-th largest value, then every column above it and, of those
        // equal to it, the lowest ones. Selecting over the whole row is costly, so a sample
        // of every 8th value gives a bound t0 meant to sit below about 2N values; when at
        // least N values reach it, the N-th largest is among them and is selected there
        // (exactly), else the whole row is used.
        std::vector<float>& values = scratch.values;
        values.clear();
        for (Eigen::Index j = 0; j < columns; j += 8) {
            if (j != label) {
                values.push_back(logits(j));
            }
        }
        const auto sampleRank =
            std::min<std::size_t>(values.size() - 1, static_cast<std::size_t>(2 * hard / 8 + 4));
        std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(sampleRank),
                         values.end(), std::greater<float>());
        const float bound = values[sampleRank];
        values.clear();
        for (Eigen::Index j = 0; j < columns; ++j) {
            if (j != label && logits(j) >= bound) {
                values.push_back(logits(j));
            }
        }
        if (static_cast<Eigen::Index>(values.size()) < hard) {
            values.clear();
            for (Eigen::Index j = 0; j < columns; ++j) {
                if (j != label) {
                    values.push_back(logits(j));
                }
            }
        }
        std::nth_element(values.begin(), values.begin() + (hard - 1), values.end(),
                         std::greater<float>());
        const float threshold = values[static_cast<std::size_t>(hard - 1)];
        for (Eigen::Index j = 0; j < columns; ++j) {
            if (j != label && logits(j) > threshold) {
                kept.push_back(static_cast<std::int32_t>(j));
            }
        }
        for (Eigen::Index j = 0; j < columns && static_cast<Eigen::Index>(kept.size()) < hard;
             ++j) {
            if (j != label && logits(j) == threshold) {
                kept.push_back(static_cast<std::int32_t>(j));
            }
        }
    }
    kept.push_back(static_cast<std::int32_t>(label));

    float maxLogit = positive;
    for (const std::int32_t j : kept) {
        maxLogit = std::max(maxLogit, logits(j));
    }
    std::vector<float>& e = scratch.values;
    e.resize(kept.size());
    float sum = 0.0f;
    for (std::size_t k = 0; k < kept.size(); ++k) {
        e[k] = std::exp(logits(kept[k]) - maxLogit); // exactly 0 for a masked column
        sum += e[k];
    }
    logits.setZero();
    for (std::size_t k = 0; k < kept.size(); ++k) {
        logits(kept[k]) = e[k] / sum;
    }
    logits(label) -= 1.0f;
    return static_cast<double>(maxLogit) + std::log(static_cast<double>(sum)) -
           static_cast<double>(positive);
}

} // namespace towerlab
