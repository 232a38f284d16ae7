#pragma once
// Keras optimizers (as TFRS uses them), applied tensor by tensor. Each tensor registers a slot
// that holds its optimizer state. Embedding tables may be updated sparsely: for Adagrad and
// SGD only the rows a batch touched change (TensorFlow's sparse apply); for Adam every row's
// moments decay each step (Keras applies Adam's sparse update densely), so it updates the
// whole table.

#include "nn/sparse_row_gradient.hpp"
#include "nn/tensor.hpp"

#include <vector>

namespace towerlab {

class Optimizer {
public:
    virtual ~Optimizer() = default;

    // Registers a tensor of rows x cols values; returns its slot.
    virtual int addSlot(Eigen::Index rows, Eigen::Index cols) = 0;
    // Call once per training step, before that step's updates.
    virtual void beginStep() {}
    // w and g hold size values (row-major), the tensor of `slot`.
    virtual void applyDense(float* w, const float* g, Eigen::Index size, int slot) = 0;
    // The sparse gradient of an embedding table registered at `slot`.
    virtual void applySparse(RowMatrix& table, const SparseRowGradient& g, int slot) = 0;

    // Copies of the optimizer state, for tests and for resuming.
    virtual std::vector<RowMatrix> stateOf(int slot) const = 0;
};

// acc += g^2; w -= lr * g / (sqrt(acc) + epsilon). Accumulators start at initialAccumulator.
class Adagrad final : public Optimizer {
public:
    explicit Adagrad(float learningRate, float initialAccumulator = 0.1f, float epsilon = 1e-7f);
    int addSlot(Eigen::Index rows, Eigen::Index cols) override;
    void applyDense(float* w, const float* g, Eigen::Index size, int slot) override;
    void applySparse(RowMatrix& table, const SparseRowGradient& g, int slot) override;
    std::vector<RowMatrix> stateOf(int slot) const override { return {m_accumulators[slot]}; }

private:
    float m_lr;
    float m_initial;
    float m_epsilon;
    std::vector<RowMatrix> m_accumulators;
};

// Keras Adam: m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
// w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + epsilon).
class Adam final : public Optimizer {
public:
    explicit Adam(float learningRate, float beta1 = 0.9f, float beta2 = 0.999f,
                  float epsilon = 1e-7f);
    int addSlot(Eigen::Index rows, Eigen::Index cols) override;
    void beginStep() override;
    void applyDense(float* w, const float* g, Eigen::Index size, int slot) override;
    void applySparse(RowMatrix& table, const SparseRowGradient& g, int slot) override;
    std::vector<RowMatrix> stateOf(int slot) const override { return {m_m[slot], m_v[slot]}; }

private:
    float m_lr;
    float m_beta1;
    float m_beta2;
    float m_epsilon;
    long m_step = 0;
    float m_stepSize = 0.0f; // lr * sqrt(1 - b2^t) / (1 - b1^t) for the current step
    std::vector<RowMatrix> m_m;
    std::vector<RowMatrix> m_v;
};

// w -= lr * g (no momentum, Keras SGD defaults).
class Sgd final : public Optimizer {
public:
    explicit Sgd(float learningRate) : m_lr(learningRate) {}
    int addSlot(Eigen::Index, Eigen::Index) override { return m_slots++; }
    void applyDense(float* w, const float* g, Eigen::Index size, int slot) override;
    void applySparse(RowMatrix& table, const SparseRowGradient& g, int slot) override;
    std::vector<RowMatrix> stateOf(int) const override { return {}; }

private:
    float m_lr;
    int m_slots = 0;
};

} // namespace towerlab
