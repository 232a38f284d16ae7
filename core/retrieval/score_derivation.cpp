#include "retrieval/score_derivation.hpp"

#include "features/feature_table.hpp"
#include "model/tower_layout.hpp"
#include "model/towers.hpp"
#include "nn/dense_stack.hpp"
#include "nn/l2_normalize.hpp"

#include <span>
#include <stdexcept>

namespace towerlab {
namespace {

std::vector<float> rowOf(const RowMatrix& m, Eigen::Index row = 0) {
    return std::vector<float>(m.row(row).data(), m.row(row).data() + m.cols());
}

std::string movieValue(const FeatureDescriptor& d, const Catalogue& catalogue, std::size_t movie) {
    switch (d.id) {
    case FeatureId::Genres: {
        std::string names;
        for (const int g : catalogue.genres[movie]) {
            names +=
                (names.empty() ? "" : ", ") + catalogue.genreNames.at(static_cast<std::size_t>(g));
        }
        return names.empty() ? std::string("no genre") : names;
    }
    case FeatureId::ReleaseYear:
        return catalogue.years[movie] > 0 ? std::to_string(catalogue.years[movie]) : "unknown";
    default:
        return catalogue.titles[movie];
    }
}

// Runs a tower's dense stack on one input row, keeping every layer's output.
void runTower(const std::vector<DenseWeights>& layers, bool l2Normalize, RowMatrix input,
              TowerPath& path) {
    DenseStackWorkspace ws;
    ws.activations.resize(1);
    ws.activations[0] = std::move(input);
    denseStackForward(layers, ws);
    for (std::size_t i = 1; i < ws.activations.size(); ++i) {
        path.layers.push_back(rowOf(ws.activations[i]));
    }
    path.normalized = l2Normalize;
    if (l2Normalize) {
        L2NormalizeWorkspace norm;
        l2NormalizeRows(ws.activations.back(), norm);
        path.output = rowOf(norm.output);
    } else {
        path.output = path.layers.back();
    }
}

void splitInputs(const RowMatrix& input, const ModelConfig& config, Tower tower,
                 std::vector<TowerInputPart>& parts) {
    const TowerLayout layout = TowerLayout::of(config);
    for (const FeatureId id : config.features.enabled(tower)) {
        const FeatureDescriptor& d = kFeatureTable[static_cast<std::size_t>(id)];
        const int width = d.kind == FeatureKind::Scalar ? 1 : config.embeddingDim;
        TowerInputPart part;
        part.feature = id;
        part.label = std::string(d.label);
        const float* begin = input.row(0).data() + layout.offset(id);
        part.numbers.assign(begin, begin + width);
        parts.push_back(std::move(part));
    }
}

} // namespace

ScoreDerivation deriveScore(const TrainedModel& model, const UserQuery& query, std::int32_t movie) {
    if (movie < 0 || static_cast<std::size_t>(movie) >= model.catalogue.size()) {
        throw std::out_of_range("deriveScore: movie " + std::to_string(movie) +
                                " is not in the catalogue of " +
                                std::to_string(model.catalogue.size()));
    }
    const TowerLayout layout = TowerLayout::of(model.config);
    ScoreDerivation d;
    d.movie = movie;

    const EncodedQuery encoded = model.features.encode(query);
    RowMatrix queryInput;
    gatherQueryInputs(layout, model.weights, std::span(&encoded, 1), queryInput);
    splitInputs(queryInput, model.config, Tower::Query, d.query.inputs);
    for (TowerInputPart& part : d.query.inputs) {
        part.value = queryValueText(kFeatureTable[static_cast<std::size_t>(part.feature)], query);
    }
    runTower(model.weights.queryLayers, model.config.l2Normalize, std::move(queryInput), d.query);

    RowMatrix movieInput;
    gatherCandidateInputs(layout, model.weights, model.encodedCatalogue, std::span(&movie, 1),
                          movieInput);
    splitInputs(movieInput, model.config, Tower::Candidate, d.candidate.inputs);
    for (TowerInputPart& part : d.candidate.inputs) {
        part.value = movieValue(kFeatureTable[static_cast<std::size_t>(part.feature)],
                                model.catalogue, static_cast<std::size_t>(movie));
    }
    runTower(model.weights.candidateLayers, model.config.l2Normalize, std::move(movieInput),
             d.candidate);

    d.products.resize(d.query.output.size());
    for (std::size_t i = 0; i < d.products.size(); ++i) {
        d.products[i] = d.query.output[i] * d.candidate.output[i];
        d.score += static_cast<double>(d.products[i]);
    }
    return d;
}

} // namespace towerlab
