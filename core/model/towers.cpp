#include "model/towers.hpp"

#include "nn/dense_stack.hpp"
#include "nn/l2_normalize.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

namespace towerlab {

namespace {

void copyRow(const RowMatrix& table, std::int32_t index, float* dst) {
    const float* src = table.row(index).data();
    std::copy(src, src + table.cols(), dst);
}

// dst = mean of the table rows named by ids (zero for none).
void meanOfRows(const RowMatrix& table, std::span<const std::int32_t> ids, float* dst) {
    const Eigen::Index d = table.cols();
    Eigen::Map<Eigen::RowVectorXf> out(dst, d);
    out.setZero();
    if (ids.empty()) {
        return;
    }
    for (const std::int32_t id : ids) {
        out += table.row(id);
    }
    out /= static_cast<float>(ids.size());
}

void addToRows(SparseRowGradient& grad, std::span<const std::int32_t> ids, const float* src) {
    if (ids.empty()) {
        return;
    }
    const Eigen::Index d = grad.dim();
    const float scale = 1.0f / static_cast<float>(ids.size());
    Eigen::Map<const Eigen::RowVectorXf> g(src, d);
    for (const std::int32_t id : ids) {
        Eigen::Map<Eigen::RowVectorXf>(grad.row(id), d) += scale * g;
    }
}

void addToRow(SparseRowGradient& grad, std::int32_t id, const float* src) {
    const Eigen::Index d = grad.dim();
    Eigen::Map<Eigen::RowVectorXf>(grad.row(id), d) += Eigen::Map<const Eigen::RowVectorXf>(src, d);
}

SparseRowGradient gradientFor(const RowMatrix& table) {
    return table.size() > 0 ? SparseRowGradient(table.rows(), table.cols()) : SparseRowGradient();
}

// A model with L2-normalised towers scores cosines everywhere: in training, in queries and in
// the candidate embeddings a saved model rebuilds.
RowMatrix normalizedIfConfigured(const ModelConfig& config, RowMatrix embeddings) {
    if (!config.l2Normalize) {
        return embeddings;
    }
    L2NormalizeWorkspace ws;
    l2NormalizeRows(embeddings, ws);
    return std::move(ws.output);
}

template <typename Gather>
RowMatrix embedInChunks(const std::vector<DenseWeights>& layers, std::size_t count, Gather gather) {
    constexpr std::size_t kChunk = 4096;
    RowMatrix out(static_cast<Eigen::Index>(count), layers.back().kernel.cols());
    DenseStackWorkspace ws;
    ws.activations.resize(1);
    for (std::size_t begin = 0; begin < count; begin += kChunk) {
        const std::size_t n = std::min(kChunk, count - begin);
        gather(begin, n, ws.activations[0]);
        denseStackForward(layers, ws);
        out.middleRows(static_cast<Eigen::Index>(begin), static_cast<Eigen::Index>(n)) =
            ws.activations.back();
    }
    return out;
}

} // namespace

void gatherQueryInputs(const TowerLayout& layout, const TwoTowerWeights& w,
                       std::span<const EncodedQuery> queries, RowMatrix& out) {
    out.resize(static_cast<Eigen::Index>(queries.size()), layout.queryWidth);
    for (std::size_t i = 0; i < queries.size(); ++i) {
        float* row = out.row(static_cast<Eigen::Index>(i)).data();
        const EncodedQuery& q = queries[i];
        for (const FeatureId f : kTowerFeatures<Tower::Query>) {
            const int offset = layout.offset(f);
            if (offset < 0) {
                continue;
            }
            if (describe(f).kind == FeatureKind::Scalar) {
                row[offset] = q.value(f);
            } else {
                copyRow(w.embedding(f), q.id(f), row + offset);
            }
        }
    }
}

void gatherCandidateInputs(const TowerLayout& layout, const TwoTowerWeights& w,
                           const EncodedCatalogue& catalogue, std::span<const std::int32_t> movies,
                           RowMatrix& out) {
    out.resize(static_cast<Eigen::Index>(movies.size()), layout.candidateWidth);
    for (std::size_t i = 0; i < movies.size(); ++i) {
        float* row = out.row(static_cast<Eigen::Index>(i)).data();
        const auto m = static_cast<std::size_t>(movies[i]);
        for (const FeatureId f : kTowerFeatures<Tower::Candidate>) {
            const int offset = layout.offset(f);
            if (offset < 0) {
                continue;
            }
            if (describe(f).kind == FeatureKind::MeanEmbedding) {
                meanOfRows(w.embedding(f), catalogue.ids(f, m), row + offset);
            } else {
                copyRow(w.embedding(f), catalogue.ids(f, m)[0], row + offset);
            }
        }
    }
}

EmbeddingGradients EmbeddingGradients::forWeights(const TwoTowerWeights& w) {
    EmbeddingGradients g;
    for (const FeatureDescriptor& f : kFeatureTable) {
        g.of(f.id) = gradientFor(w.embedding(f.id));
    }
    return g;
}

void EmbeddingGradients::clear() {
    for (SparseRowGradient& g : tables) {
        g.clear();
    }
}

void scatterQueryGradients(const TowerLayout& layout, std::span<const EncodedQuery> queries,
                           const RowMatrix& dInput, EmbeddingGradients& grads) {
    for (std::size_t i = 0; i < queries.size(); ++i) {
        const float* row = dInput.row(static_cast<Eigen::Index>(i)).data();
        const EncodedQuery& q = queries[i];
        for (const FeatureId f : kTowerFeatures<Tower::Query>) {
            const int offset = layout.offset(f);
            if (offset >= 0 && describe(f).kind != FeatureKind::Scalar) {
                addToRow(grads.of(f), q.id(f), row + offset);
            }
        }
    }
}

void scatterCandidateGradients(const TowerLayout& layout, const EncodedCatalogue& catalogue,
                               std::span<const std::int32_t> movies, const RowMatrix& dInput,
                               EmbeddingGradients& grads) {
    for (std::size_t i = 0; i < movies.size(); ++i) {
        const float* row = dInput.row(static_cast<Eigen::Index>(i)).data();
        const auto m = static_cast<std::size_t>(movies[i]);
        for (const FeatureId f : kTowerFeatures<Tower::Candidate>) {
            const int offset = layout.offset(f);
            if (offset < 0) {
                continue;
            }
            if (describe(f).kind == FeatureKind::MeanEmbedding) {
                addToRows(grads.of(f), catalogue.ids(f, m), row + offset);
            } else {
                addToRow(grads.of(f), catalogue.ids(f, m)[0], row + offset);
            }
        }
    }
}

RowMatrix embedQueries(const ModelConfig& config, const TwoTowerWeights& weights,
                       std::span<const EncodedQuery> queries) {
    const TowerLayout layout = TowerLayout::of(config);
    return normalizedIfConfigured(
        config, embedInChunks(weights.queryLayers, queries.size(),
                              [&](std::size_t begin, std::size_t n, RowMatrix& input) {
                                  gatherQueryInputs(layout, weights, queries.subspan(begin, n),
                                                    input);
                              }));
}

RowMatrix embedCandidates(const ModelConfig& config, const TwoTowerWeights& weights,
                          const EncodedCatalogue& catalogue, std::span<const std::int32_t> movies) {
    const TowerLayout layout = TowerLayout::of(config);
    return normalizedIfConfigured(
        config, embedInChunks(weights.candidateLayers, movies.size(),
                              [&](std::size_t begin, std::size_t n, RowMatrix& input) {
                                  gatherCandidateInputs(layout, weights, catalogue,
                                                        movies.subspan(begin, n), input);
                              }));
}

} // namespace towerlab
