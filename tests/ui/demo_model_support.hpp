#pragma once
// The demo dataset and a model trained on it, shared by the GUI tests that need a real model
// (built once per test process).

#include "controllers/training_controller.hpp"
#include "data/demo_dataset.hpp"
#include "retrieval/retrieval.hpp"
#include "train/trainer.hpp"

#include <atomic>
#include <memory>
#include <vector>

namespace towerlab::test {

inline std::shared_ptr<const Dataset> demo() {
    static const auto data = std::make_shared<const Dataset>(makeDemoDataset());
    return data;
}

// The tutorial's model on the demo, on one thread, without evaluation.
inline TrainingJob demoJob(int epochs) {
    TrainingJob job;
    job.dataset = demo();
    job.training.epochs = epochs;
    job.training.evalEvery = 0;
    job.training.threads = 1;
    return job;
}

inline TrainedModelPtr trainDemo(int epochs) {
    const TrainingJob job = demoJob(epochs);
    Trainer trainer(*job.dataset, job.model, job.training);
    ProgressSink sink;
    const std::atomic<bool> cancel{false};
    trainer.fit(sink, cancel);
    return trainer.snapshot();
}

inline std::vector<int> movieIds(const std::vector<ScoredMovie>& movies) {
    std::vector<int> ids;
    for (const ScoredMovie& m : movies) {
        ids.push_back(m.movie);
    }
    return ids;
}

} // namespace towerlab::test
