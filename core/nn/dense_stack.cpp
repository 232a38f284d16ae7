#include "nn/dense_stack.hpp"

#include "util/random.hpp"

#include <cmath>

namespace towerlab {

DenseWeights glorotUniformDense(int fanIn, int fanOut, Random& random) {
    DenseWeights w;
    const float limit = static_cast<float>(std::sqrt(6.0 / (fanIn + fanOut)));
    w.kernel.resize(fanIn, fanOut);
    for (Eigen::Index i = 0; i < w.kernel.size(); ++i) {
        w.kernel.data()[i] = random.uniform(-limit, limit);
    }
    w.bias = RowVector::Zero(fanOut);
    return w;
}

RowMatrix uniformEmbedding(int rows, int dim, Random& random) {
    RowMatrix table(rows, dim);
    for (Eigen::Index i = 0; i < table.size(); ++i) {
        table.data()[i] = random.uniform(-0.05f, 0.05f);
    }
    return table;
}

void denseStackForward(const std::vector<DenseWeights>& layers, DenseStackWorkspace& ws) {
    ws.activations.resize(layers.size() + 1);
    const Eigen::Index batch = ws.activations[0].rows();
    for (std::size_t i = 0; i < layers.size(); ++i) {
        RowMatrix& out = ws.activations[i + 1];
        out.resize(batch, layers[i].kernel.cols());
        out.noalias() = ws.activations[i] * layers[i].kernel;
        out.rowwise() += layers[i].bias;
        if (i + 1 < layers.size()) {
            out = out.cwiseMax(0.0f);
        }
    }
}

void denseStackBackward(const std::vector<DenseWeights>& layers, DenseStackWorkspace& ws,
                        const RowMatrix& dOutput, std::vector<DenseWeights>& grads,
                        RowMatrix* dInput) {
    const std::size_t n = layers.size();
    ws.deltas.resize(n);
    grads.resize(n);
    ws.deltas[n - 1] = dOutput;
    for (std::size_t k = n; k-- > 0;) {
        const RowMatrix& delta = ws.deltas[k];
        grads[k].kernel.resize(layers[k].kernel.rows(), layers[k].kernel.cols());
        grads[k].kernel.noalias() = ws.activations[k].transpose() * delta;
        grads[k].bias = delta.colwise().sum();
        if (k > 0) {
            RowMatrix& prev = ws.deltas[k - 1];
            prev.resize(delta.rows(), layers[k].kernel.rows());
            prev.noalias() = delta * layers[k].kernel.transpose();
            // ReLU: the gradient passes where the activation was positive.
            prev = (ws.activations[k].array() > 0.0f).select(prev, 0.0f);
        } else if (dInput != nullptr) {
            dInput->resize(delta.rows(), layers[0].kernel.rows());
            dInput->noalias() = delta * layers[0].kernel.transpose();
        }
    }
}

} // namespace towerlab
