#include "model/two_tower_weights.hpp"

#include "features/feature_space.hpp"
#include "model/model_config.hpp"
#include "model/tower_layout.hpp"
#include "util/random.hpp"

namespace towerlab {

namespace {

// Row counts of every embedding table the config enables (0 when off).
struct TableRows {
    Eigen::Index age, occupation, gender, userId, timestamp, titleId, titleToken, genre;
};

TableRows tableRows(const ModelConfig& config, const FeatureSpace& features) {
    const FeatureSet& f = config.features;
    auto rows = [](bool on, std::size_t n) { return on ? static_cast<Eigen::Index>(n) : 0; };
    return {rows(f.age, features.age.tableRows()),
            rows(f.occupation, features.occupation.tableRows()),
            rows(f.gender, features.gender.tableRows()),
            rows(f.userId, features.userId.tableRows()),
            rows(f.timestampBucket, features.timestampBuckets.tableRows()),
            rows(f.titleId, features.title.tableRows()),
            rows(f.titleText, features.titleTokens.vocabularySize()),
            rows(f.genres, features.genreCount + 1)};
}

std::vector<int> layerInputs(int inputWidth, const std::vector<int>& layers) {
    std::vector<int> fanIn{inputWidth};
    fanIn.insert(fanIn.end(), layers.begin(), layers.end() - 1);
    return fanIn;
}

} // namespace

std::vector<TwoTowerWeights::NamedTensor> TwoTowerWeights::tensors() {
    std::vector<NamedTensor> out;
    auto matrix = [&out](const char* name, RowMatrix& m) {
        if (m.size() > 0) {
            out.push_back({name, &m, nullptr});
        }
    };
    matrix("query/age_embedding", ageEmbedding);
    matrix("query/occupation_embedding", occupationEmbedding);
    matrix("query/gender_embedding", genderEmbedding);
    matrix("query/timestamp_embedding", timestampEmbedding);
    matrix("query/user_id_embedding", userIdEmbedding);
    matrix("candidate/title_id_embedding", titleIdEmbedding);
    matrix("candidate/title_token_embedding", titleTokenEmbedding);
    matrix("candidate/genre_embedding", genreEmbedding);
    auto dense = [&out](const std::string& tower, std::vector<DenseWeights>& layers) {
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const std::string prefix = tower + "/dense_" + std::to_string(i);
            out.push_back({prefix + "/kernel", &layers[i].kernel, nullptr});
            out.push_back({prefix + "/bias", nullptr, &layers[i].bias});
        }
    };
    dense("query", queryLayers);
    dense("candidate", candidateLayers);
    return out;
}

std::size_t TwoTowerWeights::parameterCount() const {
    std::size_t n = 0;
    for (const auto& t : const_cast<TwoTowerWeights*>(this)->tensors()) {
        n += static_cast<std::size_t>(t.matrix != nullptr ? t.matrix->size() : t.vector->size());
    }
    return n;
}

TwoTowerWeights TwoTowerWeights::shaped(const ModelConfig& config, const FeatureSpace& features) {
    const TableRows rows = tableRows(config, features);
    const TowerLayout layout = TowerLayout::of(config);
    const int d = config.embeddingDim;
    auto table = [d](Eigen::Index n) { return n > 0 ? RowMatrix(RowMatrix::Zero(n, d)) : RowMatrix(); };
    TwoTowerWeights w;
    w.ageEmbedding = table(rows.age);
    w.occupationEmbedding = table(rows.occupation);
    w.genderEmbedding = table(rows.gender);
    w.userIdEmbedding = table(rows.userId);
    w.timestampEmbedding = table(rows.timestamp);
    w.titleIdEmbedding = table(rows.titleId);
    w.titleTokenEmbedding = table(rows.titleToken);
    w.genreEmbedding = table(rows.genre);
    auto stack = [&config](int inputWidth) {
        std::vector<DenseWeights> layers;
        const auto fanIn = layerInputs(inputWidth, config.layers);
        for (std::size_t i = 0; i < config.layers.size(); ++i) {
            layers.push_back({RowMatrix::Zero(fanIn[i], config.layers[i]),
                              RowVector::Zero(config.layers[i])});
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
