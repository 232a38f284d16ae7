#include "train/batch_inspection.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

namespace towerlab {

double adjustedLogit(const BatchInspection& batch, bool after, std::size_t row,
                     std::size_t column) {
    const RowMatrix& s = after ? batch.logitsAfter : batch.logitsBefore;
    double value =
        static_cast<double>(s(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(column)));
    if (batch.options.temperature != 1.0) {
        value /= batch.options.temperature;
    }
    if (!batch.logProbabilities.empty()) {
        value -= static_cast<double>(batch.logProbabilities[column]);
    }
    return value;
}

bool isAccidentalHit(const BatchInspection& batch, std::size_t row, std::size_t column) {
    return column != row && batch.movies[column] == batch.movies[row];
}

namespace {

// How many of the batch's examples hold each movie.
using MovieCopies = std::unordered_map<std::int32_t, std::size_t>;
MovieCopies movieCopies(const BatchInspection& batch) {
    MovieCopies copies;
    for (const std::int32_t m : batch.movies) {
        ++copies[m];
    }
    return copies;
}

// The columns of row `row`'s softmax (negatives, then the positive last) and those left out.
struct KeptColumns {
    std::vector<std::int32_t> kept;
    std::vector<std::int32_t> leftOut;
};

KeptColumns keptColumns(const BatchInspection& batch, std::size_t row, bool after) {
    const std::size_t n = batch.size();
    const bool removeHits = batch.options.removeAccidentalHits;
    // The negatives that may enter the softmax: with accidental hits removed, the other
    // copies of the row's movie have a logit of about -3.4e36 and an exp of exactly 0, so they
    // never count, even when hard-negative mining has to pick them to make up its number.
    std::vector<std::int32_t> negatives;
    std::vector<std::int32_t> leftOut;
    negatives.reserve(n);
    for (std::size_t j = 0; j < n; ++j) {
        if (j == row) {
            continue;
        }
        if (removeHits && isAccidentalHit(batch, row, j)) {
            leftOut.push_back(static_cast<std::int32_t>(j));
        } else {
            negatives.push_back(static_cast<std::int32_t>(j));
        }
    }
    const auto logit = [&](std::int32_t j) {
        return adjustedLogit(batch, after, row, static_cast<std::size_t>(j));
    };
    const auto hard = static_cast<std::size_t>(batch.options.hardNegatives);
    if (hard > 0 && hard < n - 1 && hard < negatives.size()) {
        // tf.nn.top_k: the N largest, ties to the lower column.
        std::vector<std::pair<double, std::int32_t>> ranked;
        ranked.reserve(negatives.size());
        for (const std::int32_t j : negatives) {
            ranked.emplace_back(logit(j), j);
        }
        const auto better = [](const auto& a, const auto& b) {
            return a.first > b.first || (a.first == b.first && a.second < b.second);
        };
        std::nth_element(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(hard),
                         ranked.end(), better);
        for (std::size_t k = hard; k < ranked.size(); ++k) {
            leftOut.push_back(ranked[k].second);
        }
        negatives.clear();
        for (std::size_t k = 0; k < hard; ++k) {
            negatives.push_back(ranked[k].second);
        }
    }
    std::sort(leftOut.begin(), leftOut.end());
    negatives.push_back(static_cast<std::int32_t>(row));
    return {std::move(negatives), std::move(leftOut)};
}

} // namespace

BatchRowLoss batchRowLoss(const BatchInspection& batch, std::size_t row, bool after) {
    const KeptColumns columns = keptColumns(batch, row, after);
    double maxLogit = -INFINITY;
    std::vector<double> logits(columns.kept.size());
    for (std::size_t k = 0; k < logits.size(); ++k) {
        logits[k] = adjustedLogit(batch, after, row, static_cast<std::size_t>(columns.kept[k]));
        maxLogit = std::max(maxLogit, logits[k]);
    }
    double sum = 0.0;
    for (const double v : logits) {
        sum += std::exp(v - maxLogit);
    }
    BatchRowLoss result;
    result.loss = maxLogit + std::log(sum) - logits.back();
    result.positiveProbability = std::exp(-result.loss);
    return result;
}

BatchRowSoftmax batchRowSoftmax(const BatchInspection& batch, std::size_t row, bool after) {
    KeptColumns kept = keptColumns(batch, row, after);
    const auto logit = [&](std::int32_t j) {
        return adjustedLogit(batch, after, row, static_cast<std::size_t>(j));
    };
    BatchRowSoftmax result;
    result.columns = std::move(kept.kept);
    std::vector<double> logits(result.columns.size());
    double maxLogit = -INFINITY;
    for (std::size_t k = 0; k < logits.size(); ++k) {
        logits[k] = logit(result.columns[k]);
        maxLogit = std::max(maxLogit, logits[k]);
    }
    double sum = 0.0;
    for (const double v : logits) {
        sum += std::exp(v - maxLogit);
    }
    result.positiveLogit = logit(static_cast<std::int32_t>(row));
    result.logSumExp = maxLogit + std::log(sum);
    result.loss = result.logSumExp - result.positiveLogit;
    result.positiveProbability = std::exp(-result.loss);

    std::vector<std::size_t> order(logits.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return logits[a] > logits[b] ||
               (logits[a] == logits[b] && result.columns[a] < result.columns[b]);
    });
    std::vector<std::int32_t> columns(order.size());
    result.probabilities.resize(order.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
        columns[k] = result.columns[order[k]];
        result.probabilities[k] = std::exp(logits[order[k]] - result.logSumExp);
        if (logits[order[k]] > result.positiveLogit) {
            ++result.positiveRank;
        }
    }
    ++result.positiveRank;
    result.columns = std::move(columns);
    result.leftOut = std::move(kept.leftOut);
    return result;
}

double batchLossByRows(const BatchInspection& batch, bool after) {
    double loss = 0.0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        loss += batchRowLoss(batch, i, after).loss;
    }
    return loss;
}

double uniformLoss(const BatchInspection& batch) {
    const std::size_t n = batch.size();
    const MovieCopies copies = movieCopies(batch);
    double loss = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        std::size_t negatives = n - 1;
        if (batch.options.removeAccidentalHits) {
            negatives -= copies.at(batch.movies[i]) - 1;
        }
        const auto hard = static_cast<std::size_t>(batch.options.hardNegatives);
        if (hard > 0 && hard < n - 1) {
            negatives = std::min(negatives, hard);
        }
        loss += std::log(static_cast<double>(negatives + 1));
    }
    return loss;
}

BatchOverview overviewOf(const BatchInspection& batch) {
    BatchOverview o;
    o.uniform = uniformLoss(batch);
    double low = INFINITY;
    double high = -INFINITY;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const BatchRowLoss before = batchRowLoss(batch, i, false);
        const BatchRowLoss after = batchRowLoss(batch, i, true);
        o.lossBefore += before.loss;
        o.lossAfter += after.loss;
        if (after.positiveProbability > before.positiveProbability) {
            ++o.rowsUp;
        }
        for (const bool stepped : {false, true}) {
            for (std::size_t j = 0; j < batch.size(); ++j) {
                const double v = adjustedLogit(batch, stepped, i, j);
                if (std::isfinite(v)) {
                    low = std::min(low, v);
                    high = std::max(high, v);
                }
            }
        }
    }
    o.minLogit = std::isfinite(low) ? low : 0.0;
    o.maxLogit = std::isfinite(high) ? high : 0.0;
    o.duplicateColumns = static_cast<int>(duplicateMovieColumns(batch).size());
    o.distinctMovies = static_cast<int>(movieCopies(batch).size());
    return o;
}

std::vector<std::int32_t> duplicateMovieColumns(const BatchInspection& batch) {
    const MovieCopies copies = movieCopies(batch);
    std::vector<std::int32_t> columns;
    for (std::size_t j = 0; j < batch.size(); ++j) {
        if (copies.at(batch.movies[j]) > 1) {
            columns.push_back(static_cast<std::int32_t>(j));
        }
    }
    return columns;
}

} // namespace towerlab
