#include "nn/optimizer.hpp"

#include <cmath>

namespace towerlab {

namespace {
using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

void adagradUpdate(float* w, const float* g, float* a, Eigen::Index size, float lr, float eps) {
    ArrayMap weights(w, size);
    ConstArrayMap grad(g, size);
    ArrayMap acc(a, size);
    acc += grad.square();
    weights -= lr * grad / (acc.sqrt() + eps);
}
} // namespace

Adagrad::Adagrad(float learningRate, float initialAccumulator, float epsilon)
    : m_lr(learningRate), m_initial(initialAccumulator), m_epsilon(epsilon) {}

int Adagrad::addSlot(Eigen::Index rows, Eigen::Index cols) {
    m_accumulators.push_back(RowMatrix::Constant(rows, cols, m_initial));
    return static_cast<int>(m_accumulators.size()) - 1;
}

void Adagrad::applyDense(float* w, const float* g, Eigen::Index size, int slot) {
    adagradUpdate(w, g, m_accumulators[slot].data(), size, m_lr, m_epsilon);
}

void Adagrad::applySparse(RowMatrix& table, const SparseRowGradient& g, int slot) {
    RowMatrix& acc = m_accumulators[slot];
    const Eigen::Index dim = table.cols();
    const auto& touched = g.touched();
    for (std::size_t i = 0; i < touched.size(); ++i) {
        const Eigen::Index r = touched[i];
        adagradUpdate(table.row(r).data(), g.values().row(static_cast<Eigen::Index>(i)).data(),
                      acc.row(r).data(), dim, m_lr, m_epsilon);
    }
}

Adam::Adam(float learningRate, float beta1, float beta2, float epsilon)
    : m_lr(learningRate), m_beta1(beta1), m_beta2(beta2), m_epsilon(epsilon) {}

int Adam::addSlot(Eigen::Index rows, Eigen::Index cols) {
    m_m.push_back(RowMatrix::Zero(rows, cols));
    m_v.push_back(RowMatrix::Zero(rows, cols));
    return static_cast<int>(m_m.size()) - 1;
}

void Adam::beginStep() {
    ++m_step;
    const double t = static_cast<double>(m_step);
    m_stepSize = static_cast<float>(m_lr * std::sqrt(1.0 - std::pow(m_beta2, t)) /
                                    (1.0 - std::pow(m_beta1, t)));
}

void Adam::applyDense(float* w, const float* g, Eigen::Index size, int slot) {
    ArrayMap weights(w, size);
    ConstArrayMap grad(g, size);
    ArrayMap m(m_m[slot].data(), size);
    ArrayMap v(m_v[slot].data(), size);
    m = m_beta1 * m + (1.0f - m_beta1) * grad;
    v = m_beta2 * v + (1.0f - m_beta2) * grad.square();
    weights -= m_stepSize * m / (v.sqrt() + m_epsilon);
}

void Adam::applySparse(RowMatrix& table, const SparseRowGradient& g, int slot) {
    // Keras decays every row's moments and moves every row each step, so this is the dense
    // update with the touched rows' gradients scattered in.
    RowMatrix& m = m_m[slot];
    RowMatrix& v = m_v[slot];
    m *= m_beta1;
    v *= m_beta2;
    const auto& touched = g.touched();
    for (std::size_t i = 0; i < touched.size(); ++i) {
        const auto gi = g.values().row(static_cast<Eigen::Index>(i));
        m.row(touched[i]) += (1.0f - m_beta1) * gi;
        v.row(touched[i]) += (1.0f - m_beta2) * gi.cwiseAbs2();
    }
    table.array() -= m_stepSize * m.array() / (v.array().sqrt() + m_epsilon);
}

void Sgd::applyDense(float* w, const float* g, Eigen::Index size, int) {
    ArrayMap(w, size) -= m_lr * ConstArrayMap(g, size);
}

void Sgd::applySparse(RowMatrix& table, const SparseRowGradient& g, int) {
    const auto& touched = g.touched();
    for (std::size_t i = 0; i < touched.size(); ++i) {
        table.row(touched[i]) -= m_lr * g.values().row(static_cast<Eigen::Index>(i));
    }
}

} // namespace towerlab
