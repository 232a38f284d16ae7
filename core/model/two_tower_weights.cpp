#include "model/two_tower_weights.hpp"

#include "features/feature_space.hpp"
#include "model/model_config.hpp"
#include "model/tower_layout.hpp"
#include "util/random.hpp"

namespace towerlab {

namespace {

std::vector<int> layerInputs(int inputWidth, const std::vector<int>& layers) {
    std::vector<int> fanIn{inputWidth};
    fanIn.insert(fanIn.end(), layers.begin(), layers.end() - 1);
    return fanIn;
}

template <typename Self, typename Tensor> std::vector<Tensor> namedTensors(Self& self) {
    std::vector<Tensor> out;
    for (const FeatureDescriptor& f : kFeatureTable) {
        auto& m = self.embedding(f.id);
        if (m.size() > 0) {
            out.push_back({std::string(f.tensorName), &m, nullptr});
        }
    }
    auto dense = [&out](const std::string& tower, auto& layers) {
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const std::string prefix = tower + "/dense_" + std::to_string(i);
            out.push_back({prefix + "/kernel", &layers[i].kernel, nullptr});
            out.push_back({prefix + "/bias", nullptr, &layers[i].bias});
        }
    };
    dense("query", self.queryLayers);
    dense("candidate", self.candidateLayers);
    return out;
}

} // namespace

std::vector<TwoTowerWeights::NamedTensor> TwoTowerWeights::tensors() {
    return namedTensors<TwoTowerWeights, NamedTensor>(*this);
}

std::vector<TwoTowerWeights::ConstNamedTensor> TwoTowerWeights::tensors() const {
    return namedTensors<const TwoTowerWeights, ConstNamedTensor>(*this);
}

std::size_t TwoTowerWeights::parameterCount() const {
    std::size_t n = 0;
    for (const auto& t : tensors()) {
        n += static_cast<std::size_t>(t.matrix != nullptr ? t.matrix->size() : t.vector->size());
    }
    return n;
}

TwoTowerWeights TwoTowerWeights::shaped(const ModelConfig& config, const FeatureSpace& features) {
    const TowerLayout layout = TowerLayout::of(config);
    const int d = config.embeddingDim;
    TwoTowerWeights w;
    for (const FeatureDescriptor& f : kFeatureTable) {
        const auto rows = static_cast<Eigen::Index>(features.tableRows(f.id));
        if (config.features.has(f.id) && f.kind != FeatureKind::Scalar && rows > 0) {
            w.embedding(f.id) = RowMatrix::Zero(rows, d);
        }
    }
    auto stack = [&config](int inputWidth) {
        std::vector<DenseWeights> layers;
        const auto fanIn = layerInputs(inputWidth, config.layers);
        for (std::size_t i = 0; i < config.layers.size(); ++i) {
            layers.push_back(
                {RowMatrix::Zero(fanIn[i], config.layers[i]), RowVector::Zero(config.layers[i])});
        }
        return layers;
    };
    w.queryLayers = stack(layout.queryWidth);
    w.candidateLayers = stack(layout.candidateWidth);
    return w;
}

TwoTowerWeights TwoTowerWeights::initialized(const ModelConfig& config,
                                             const FeatureSpace& features, std::uint64_t seed) {
    TwoTowerWeights w = shaped(config, features);
    // One generator per tensor, seeded from the run seed and the tensor's name, so turning
    // one feature off does not change the initial values of the others.
    for (auto& t : w.tensors()) {
        std::uint64_t nameHash = 1469598103934665603ULL;
        for (const char c : t.name) {
            nameHash = (nameHash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
        }
        Random random(seed ^ nameHash);
        if (t.vector != nullptr) {
            continue; // biases start at zero
        }
        RowMatrix& m = *t.matrix;
        if (t.name.ends_with("/kernel")) {
            m = glorotUniformDense(static_cast<int>(m.rows()), static_cast<int>(m.cols()), random)
                    .kernel;
        } else {
            m = uniformEmbedding(static_cast<int>(m.rows()), static_cast<int>(m.cols()), random);
        }
    }
    return w;
}

} // namespace towerlab
