#pragma once
// A stack of dense layers (Keras Dense) with ReLU on all but the last, forward and backward
// on a batch held row-major. Buffers live in a workspace that is reused across batches, so the
// hot loop allocates only when the batch size changes.

#include "nn/tensor.hpp"

#include <vector>

namespace towerlab {

class Random;

struct DenseWeights {
    RowMatrix kernel; // fan_in x fan_out
    RowVector bias;   // fan_out
};

// Keras defaults: kernel Glorot-uniform with limit sqrt(6 / (fan_in + fan_out)), bias zero.
DenseWeights glorotUniformDense(int fanIn, int fanOut, Random& random);
// Keras Embedding default: uniform(-0.05, 0.05).
RowMatrix uniformEmbedding(int rows, int dim, Random& random);

struct DenseStackWorkspace {
    // activations[0] is the input; activations[i + 1] is layer i's output (after ReLU for
    // hidden layers). The last one is the stack's output.
    std::vector<RowMatrix> activations;
    std::vector<RowMatrix> deltas; // gradient w.r.t. each layer's pre-activation output
};

// Runs the stack on ws.activations[0] (set by the caller).
void denseStackForward(const std::vector<DenseWeights>& layers, DenseStackWorkspace& ws);

// Given dOutput (gradient of the loss w.r.t. the stack's output), adds nothing: it *writes*
// each layer's gradients into grads (same shapes as layers) and, when dInput is not null, the
// gradient w.r.t. the stack's input. Uses the activations of the last forward.
void denseStackBackward(const std::vector<DenseWeights>& layers, DenseStackWorkspace& ws,
                        const RowMatrix& dOutput, std::vector<DenseWeights>& grads,
                        RowMatrix* dInput);

} // namespace towerlab
