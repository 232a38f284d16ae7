#include "train/trainer.hpp"

#include "data/split.hpp"
#include "model/feature_availability.hpp"
#include "model/tower_layout.hpp"
#include "model/towers.hpp"
#include "model/training_split.hpp"
#include "nn/dense_stack.hpp"
#include "nn/l2_normalize.hpp"
#include "nn/optimizer.hpp"
#include "train/amx_tiles.hpp"
#include "train/batch_inspection.hpp"
#include "train/bf16_logits.hpp"
#include "train/in_batch_softmax_loss.hpp"
#include "train/model_evaluation.hpp"
#include "train/ranking_evaluator.hpp"
#include "train/retrieval_task_loss.hpp"
#include "train/sampling_probability.hpp"
#include "train/test_evaluator.hpp"
#include "train/test_sample.hpp"
#include "train/weight_rollback.hpp"
#include "util/random.hpp"

#include <omp.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <sstream>

namespace towerlab {

namespace {

// Dataset::source as a model file keeps it: a folder or zip that exists becomes absolute, so
// the model can find it again from any working folder; anything else ("built-in", an in-memory
// name) is kept as it is.
std::string absoluteSource(const std::string& source) {
    std::error_code error;
    const std::filesystem::path path(source);
    if (source.empty() || !std::filesystem::exists(path, error)) {
        return source;
    }
    const std::filesystem::path absolute = std::filesystem::absolute(path, error);
    return error ? source : absolute.lexically_normal().string();
}

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::unique_ptr<Optimizer> makeOptimizer(const TrainConfig& c) {
    const auto lr = static_cast<float>(c.learningRate);
    switch (c.optimizer) {
    case OptimizerKind::Adagrad:
        return std::make_unique<Adagrad>(lr);
    case OptimizerKind::Adam:
        return std::make_unique<Adam>(lr);
    case OptimizerKind::Sgd:
        return std::make_unique<Sgd>(lr);
    }
    return std::make_unique<Adagrad>(lr);
}

void requireFeatures(const Dataset& dataset, const FeatureSet& f) {
    requireAvailableFeatures(dataset, f);
    if (dataset.ratings.size() < 2) {
        throw ConfigError("data", "the dataset needs at least 2 ratings to split");
    }
}

} // namespace

std::string outcomeName(TrainOutcome outcome) {
    switch (outcome) {
    case TrainOutcome::Completed:
        return "completed";
    case TrainOutcome::Cancelled:
        return "cancelled";
    case TrainOutcome::Diverged:
        return "diverged";
    }
    return "completed";
}

struct Trainer::State {
    ModelConfig config;
    TrainConfig training;
    TowerLayout layout;
    FeatureSpace features;
    Catalogue catalogue;
    EncodedCatalogue encodedCatalogue;
    std::string datasetName;
    std::string datasetFingerprint;
    std::string datasetSource;

    // Every rating, encoded once; the split holds indices into these.
    std::vector<EncodedQuery> queries;
    std::vector<std::int32_t> movies;
    std::vector<std::int32_t> users;
    TrainTestSplit split;
    std::unique_ptr<TestEvaluator> testEvaluator; // the test split, prepared once

    TwoTowerWeights weights;
    std::unique_ptr<Optimizer> optimizer;
    std::vector<int> denseSlots; // per tensor of weights.tensors() that is a dense layer
    std::array<int, kFeatureCount> tableSlots{}; // per feature's embedding table; -1 = none
    // Bf16 logits asked for where they cannot run: why, and the run uses Fp32 instead.
    std::string logitsNotice;
    LogitsPrecision logits;     // the precision in use
    InBatchSoftmaxLoss loss;    // the tutorial's loss: every retrieval option off
    RetrievalTaskLoss taskLoss; // with temperature, logQ, accidental hits or hard negatives
    std::vector<float> movieLogProbability;       // logQ by frequency: log p per movie
    StreamingFrequencyEstimate streamingEstimate; // logQ by streaming
    Random shuffleRandom;
    // Undoes the last step: the weights that last produced a finite loss, without copying
    // every table each batch.
    WeightRollback lastGood;

    // Batch buffers, reused.
    std::vector<std::int32_t> order;
    std::vector<EncodedQuery> batchQueries;
    std::vector<std::int32_t> batchMovies;
    DenseStackWorkspace queryWs, candidateWs;
    L2NormalizeWorkspace queryNorm, candidateNorm; // used with ModelConfig::l2Normalize
    std::vector<float> batchLogProbability;
    RowMatrix dQ, dC, dQueryInput, dCandidateInput;
    std::vector<DenseWeights> queryGrads, candidateGrads;
    EmbeddingGradients embeddingGrads;

    // Progress through the current epoch.
    int epochsDone = 0;
    // Its batches are all done and pendingRecord holds its record, but it is not in the
    // history yet: its evaluation (pendingEvaluation) was stopped before the end.
    bool epochClosing = false;
    EpochRecord pendingRecord;
    std::unique_ptr<TestEvaluationRun> pendingEvaluation;
    std::size_t nextBatch = 0; // 0 = the epoch has not started
    // The epoch's order is drawn. Separate from nextBatch because a cancel can land between
    // the shuffle and the first batch; resuming must not draw a second order, or the run
    // would no longer match an uninterrupted one.
    bool epochShuffled = false;
    double epochLossSum = 0.0;
    double lastBatchLoss = 0.0;
    double epochSeconds = 0.0;
    double totalTrainSeconds = 0.0;
    bool diverged = false;
    std::string divergenceMessage;
    TrainingHistory history;

    State(const ModelConfig& m, const TrainConfig& t)
        : config(m), training(t), layout(TowerLayout::of(m)),
          logitsNotice(t.logits == LogitsPrecision::Bf16
                           ? bf16_logits::unavailableReason(m.outputDim())
                           : std::string()),
          logits(logitsNotice.empty() ? t.logits : LogitsPrecision::Fp32),
          loss(t.threads, InBatchSoftmaxLoss::Kernels::Auto, logits),
          taskLoss(t.retrieval, t.threads, RetrievalTaskLoss::Kernels::Auto, logits),
          shuffleRandom(t.seed ^ 0x5EED5EED5EED5EEDULL),
          // Adam moves every row each step (as Keras); Adagrad and SGD only rows with a gradient.
          lastGood(t.optimizer == OptimizerKind::Adam) {}

    std::size_t batchesPerEpoch() const {
        const auto b = static_cast<std::size_t>(training.batchSize);
        return (split.train.size() + b - 1) / b;
    }

    void registerSlots() {
        for (const FeatureDescriptor& f : kFeatureTable) {
            const RowMatrix& table = weights.embedding(f.id);
            tableSlots[static_cast<std::size_t>(f.id)] =
                table.size() > 0 ? optimizer->addSlot(table.rows(), table.cols()) : -1;
        }
        for (auto* layers : {&weights.queryLayers, &weights.candidateLayers}) {
            for (DenseWeights& l : *layers) {
                denseSlots.push_back(optimizer->addSlot(l.kernel.rows(), l.kernel.cols()));
                denseSlots.push_back(optimizer->addSlot(1, l.bias.size()));
            }
        }
    }

    int sides() const {
        return std::min(2, training.threads > 0 ? training.threads : omp_get_num_procs());
    }
    const RowMatrix& queryOutput() const {
        return config.l2Normalize ? queryNorm.output : queryWs.activations.back();
    }
    const RowMatrix& candidateOutput() const {
        return config.l2Normalize ? candidateNorm.output : candidateWs.activations.back();
    }

    // Both towers on the batch in batchQueries / batchMovies. The two towers are independent
    // until the loss and after it, so each side runs on its own thread; every tensor is
    // written by one side only, so results do not depend on the thread count.
    void forward() {
        queryWs.activations.resize(1);
        candidateWs.activations.resize(1);
#pragma omp parallel for schedule(static, 1) num_threads(sides())
        for (int side = 0; side < 2; ++side) {
            if (side == 0) {
                gatherQueryInputs(layout, weights, batchQueries, queryWs.activations[0]);
                denseStackForward(weights.queryLayers, queryWs);
                if (config.l2Normalize) {
                    l2NormalizeRows(queryWs.activations.back(), queryNorm);
                }
            } else {
                gatherCandidateInputs(layout, weights, encodedCatalogue, batchMovies,
                                      candidateWs.activations[0]);
                denseStackForward(weights.candidateLayers, candidateWs);
                if (config.l2Normalize) {
                    l2NormalizeRows(candidateWs.activations.back(), candidateNorm);
                }
            }
        }
    }

    // One optimisation step on train examples order[begin, begin + n). Returns the loss;
    // when it is not finite nothing is updated. With `inspection`, also records the batch's
    // logits before the step and, by a second forward pass, after it.
    double step(std::size_t begin, std::size_t n, BatchInspection* inspection = nullptr) {
        batchQueries.resize(n);
        batchMovies.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
            const auto example = static_cast<std::size_t>(order[begin + i]);
            batchQueries[i] = queries[example];
            batchMovies[i] = movies[example];
        }
        forward();
        const RowMatrix& q = queryOutput();
        const RowMatrix& c = candidateOutput();
        const double batchLoss =
            training.retrieval.any() ? taskLossOn(q, c) : loss.forwardBackward(q, c, dQ, dC);
        if (!std::isfinite(batchLoss) || !dQ.allFinite() || !dC.allFinite()) {
            return std::numeric_limits<double>::quiet_NaN();
        }
        if (inspection != nullptr) {
            inspection->logitsBefore.noalias() = q * c.transpose();
            inspection->loss = batchLoss;
        }
        lastGood.begin();

        embeddingGrads.clear();
        optimizer->beginStep();
        const std::size_t queryDenseSlots = 2 * weights.queryLayers.size();
#pragma omp parallel for schedule(static, 1) num_threads(sides())
        for (int side = 0; side < 2; ++side) {
            const bool query = side == 0;
            auto& layers = query ? weights.queryLayers : weights.candidateLayers;
            auto& grads = query ? queryGrads : candidateGrads;
            if (config.l2Normalize) {
                l2NormalizeRowsBackward(query ? queryNorm : candidateNorm, query ? dQ : dC);
            }
            if (query) {
                denseStackBackward(layers, queryWs, dQ, grads, &dQueryInput);
                scatterQueryGradients(layout, batchQueries, dQueryInput, embeddingGrads);
            } else {
                denseStackBackward(layers, candidateWs, dC, grads, &dCandidateInput);
                scatterCandidateGradients(layout, encodedCatalogue, batchMovies, dCandidateInput,
                                          embeddingGrads);
            }
            lastGood.keep(query ? Tower::Query : Tower::Candidate, weights, embeddingGrads);
            std::size_t slot = query ? 0 : queryDenseSlots;
            for (std::size_t l = 0; l < layers.size(); ++l) {
                DenseWeights& w = layers[l];
                const DenseWeights& g = grads[l];
                optimizer->applyDense(w.kernel.data(), g.kernel.data(), w.kernel.size(),
                                      denseSlots[slot++]);
                optimizer->applyDense(w.bias.data(), g.bias.data(), w.bias.size(),
                                      denseSlots[slot++]);
            }
            const Tower tower = query ? Tower::Query : Tower::Candidate;
            for (const FeatureDescriptor& f : kFeatureTable) {
                const int tableSlot = tableSlots[static_cast<std::size_t>(f.id)];
                if (f.tower == tower && tableSlot >= 0) {
                    optimizer->applySparse(weights.embedding(f.id), embeddingGrads.of(f.id),
                                           tableSlot);
                }
            }
        }
        if (inspection != nullptr) {
            inspect(begin, n, *inspection);
        }
        return batchLoss;
    }

    // The rest of a BatchInspection, once the step has updated the weights: who the batch's
    // examples are, and its logits under the new weights (the batch buffers still hold it).
    void inspect(std::size_t begin, std::size_t n, BatchInspection& inspection) {
        inspection.ratings.assign(order.begin() + static_cast<std::ptrdiff_t>(begin),
                                  order.begin() + static_cast<std::ptrdiff_t>(begin + n));
        inspection.movies = batchMovies;
        inspection.options = training.retrieval;
        inspection.l2Normalize = config.l2Normalize;
        if (training.retrieval.logQ != LogQCorrection::Off) {
            inspection.logProbabilities = batchLogProbability;
        } else {
            inspection.logProbabilities.clear();
        }
        forward();
        inspection.logitsAfter.noalias() = queryOutput() * candidateOutput().transpose();
    }

    void beginEpoch();
    // Trains batch nextBatch of the epoch begun; false when its loss was not finite (the run
    // has diverged and the weights are back to the last good ones).
    bool trainNextBatch(ProgressSink& sink, BatchInspection* inspection);
    // Records the epoch whose batches are all done, evaluating first when due. False when
    // cancel stopped the evaluation: it stays pending, and the next call goes on with it.
    bool endEpoch(ProgressSink& sink, const std::atomic<bool>* cancel);

    // The options path of the loss; feeds it the batch's log sampling probabilities.
    double taskLossOn(const RowMatrix& q, const RowMatrix& c) {
        const LogQCorrection logQ = training.retrieval.logQ;
        batchLogProbability.resize(batchMovies.size());
        if (logQ == LogQCorrection::Streaming) {
            streamingEstimate.observe(batchMovies);
        }
        for (std::size_t j = 0; j < batchMovies.size(); ++j) {
            const auto m = static_cast<std::size_t>(batchMovies[j]);
            batchLogProbability[j] =
                logQ == LogQCorrection::Streaming
                    ? clippedLogProbability(streamingEstimate.probability(batchMovies[j]))
                : logQ == LogQCorrection::Frequency ? movieLogProbability[m]
                                                    : 0.0f;
        }
        return taskLoss.forwardBackward(q, c, batchMovies, batchLogProbability, dQ, dC);
    }

    // An evaluation of the current weights, to be advanced; the weights must not change until
    // it is done or dropped.
    std::unique_ptr<TestEvaluationRun> startEvaluation() {
        std::vector<std::int32_t> all(catalogue.size());
        std::iota(all.begin(), all.end(), 0);
        RowMatrix candidates = embedCandidates(config, weights, encodedCatalogue, all);
        const std::span<const EncodedQuery> testQueries = testEvaluator->examples().queries;
        return std::make_unique<TestEvaluationRun>(
            *testEvaluator, std::move(candidates),
            [this, testQueries](std::size_t begin, std::size_t count) {
                return embedQueries(config, weights, testQueries.subspan(begin, count));
            },
            training.threads);
    }

    // Copies a finished evaluation's metrics into record.
    static void fillTest(EpochRecord& record, TestEvaluation e) {
        record.test = e.ranking;
        record.testExcludingSeen = e.excludingSeen;
        record.beyond = e.beyond;
    }

    // Advances the pending evaluation; true when it is done.
    bool advanceEvaluation(ProgressSink& sink, const std::atomic<bool>* cancel, int epoch) {
        const auto start = Clock::now();
        const bool done = pendingEvaluation->advance(cancel, [&](EvaluationProgress p) {
            p.epoch = epoch;
            sink.onEvaluation(p);
        });
        history.evalSeconds += secondsSince(start);
        return done;
    }

    // The epoch whose batches are all done (pendingRecord) enters the history.
    void closeEpoch(ProgressSink& sink) {
        epochsDone = pendingRecord.epoch;
        nextBatch = 0;
        epochShuffled = false;
        epochClosing = false;
        history.trainSeconds = totalTrainSeconds;
        history.epochs.push_back(pendingRecord);
        sink.onEpoch(pendingRecord);
    }

    void prepareTest() {
        TestExamples test;
        const auto wanted = static_cast<std::size_t>(training.evalQueries);
        for (const auto e : sampleTestExamples(split.test, wanted, training.seed)) {
            test.queries.push_back(queries[static_cast<std::size_t>(e)]);
            test.positives.push_back(movies[static_cast<std::size_t>(e)]);
            test.users.push_back(users[static_cast<std::size_t>(e)]);
        }
        std::vector<std::int32_t> trainUsers, trainMovies;
        for (const auto e : split.train) {
            trainUsers.push_back(users[static_cast<std::size_t>(e)]);
            trainMovies.push_back(movies[static_cast<std::size_t>(e)]);
        }
        TrainingSplitInfo info;
        info.titleIds = encodedCatalogue.of(FeatureId::TitleId).ids;
        info.popularity = catalogue.popularity;
        info.genres = &catalogue.genres;
        info.genreCount = catalogue.genreNames.size();
        info.trainUsers = trainUsers;
        info.trainMovies = trainMovies;
        testEvaluator = std::make_unique<TestEvaluator>(std::move(test), config.features, info,
                                                        training.excludeSeen);
        const TestEvaluation b = testEvaluator->evaluateBaseline();
        history.testExamples = split.test.size();
        history.baseline = b.ranking;
        history.baselineExcludingSeen = b.excludingSeen;
        history.baselineBeyond = b.beyond;
    }
};

Trainer::Trainer(const Dataset& dataset, const ModelConfig& model, const TrainConfig& training) {
    model.validate();
    training.validate();
    requireFeatures(dataset, model.features);
    auto s = std::make_unique<State>(model, training);
    s->features = FeatureSpace::fit(dataset);
    s->datasetName = dataset.name;
    s->datasetFingerprint = dataset.fingerprint();
    s->datasetSource = absoluteSource(dataset.source);

    Catalogue& c = s->catalogue;
    c.genreNames = dataset.genreNames;
    for (const Movie& m : dataset.movies) {
        c.movieIds.push_back(m.id);
        c.titles.push_back(m.title);
        c.genres.push_back(m.genres);
        c.years.push_back(m.year);
    }
    c.popularity.assign(dataset.movies.size(), 0);
    s->encodedCatalogue = s->features.encodeCatalogue(dataset);

    s->queries.reserve(dataset.ratings.size());
    for (const Rating& r : dataset.ratings) {
        s->queries.push_back(s->features.encodeRating(dataset, r));
        s->movies.push_back(r.movie);
        s->users.push_back(r.user);
    }
    s->split = splitForTraining(dataset, training);
    for (const auto e : s->split.train) {
        ++c.popularity[static_cast<std::size_t>(s->movies[static_cast<std::size_t>(e)])];
    }
    if (s->split.test.empty()) {
        throw ConfigError("train-fraction", "leaves no test examples");
    }
    s->movieLogProbability = frequencyLogProbabilities(c.popularity, s->split.train.size());
    s->streamingEstimate = StreamingFrequencyEstimate(c.size(), training.retrieval.streamingAlpha,
                                                      static_cast<double>(s->batchesPerEpoch()));

    s->weights = TwoTowerWeights::initialized(model, s->features, training.seed);
    s->optimizer = makeOptimizer(training);
    s->registerSlots();
    s->embeddingGrads = EmbeddingGradients::forWeights(s->weights);
    s->order = s->split.train;
    s->prepareTest();
    m_state = std::move(s);
}

Trainer::~Trainer() = default;

void Trainer::State::beginEpoch() {
    if (!epochShuffled) {
        shuffleRandom.shuffle(order.begin(), order.end());
        epochLossSum = 0.0;
        epochSeconds = 0.0;
        epochShuffled = true;
    }
}

bool Trainer::State::trainNextBatch(ProgressSink& sink, BatchInspection* inspection) {
    const std::size_t batches = batchesPerEpoch();
    const auto batchSize = static_cast<std::size_t>(training.batchSize);
    const int epoch = epochsDone + 1;
    const auto start = Clock::now();
    const std::size_t begin = nextBatch * batchSize;
    const std::size_t n = std::min(batchSize, order.size() - begin);
    const double batchLoss = step(begin, n, inspection);
    const double seconds = secondsSince(start);
    epochSeconds += seconds;
    totalTrainSeconds += seconds;
    if (!std::isfinite(batchLoss)) {
        diverged = true;
        lastGood.restore(weights);
        std::ostringstream why;
        why << "the loss stopped being finite at epoch " << epoch << ", batch " << (nextBatch + 1)
            << " (learning rate " << training.learningRate
            << " may be too high); the weights of the last finite batch are kept";
        divergenceMessage = why.str();
        history.trainSeconds = totalTrainSeconds;
        return false;
    }
    if (inspection != nullptr) {
        inspection->epoch = epoch;
        inspection->batch = static_cast<int>(nextBatch + 1);
        inspection->batchesPerEpoch = static_cast<int>(batches);
    }
    ++nextBatch;
    epochLossSum += batchLoss;
    lastBatchLoss = batchLoss;
    history.batchLosses.push_back(static_cast<float>(batchLoss));
    const double done = static_cast<double>(std::min(nextBatch * batchSize, order.size()));
    sink.onBatch({epoch, static_cast<int>(nextBatch), static_cast<int>(batches), batchLoss,
                  epochSeconds > 0 ? done / epochSeconds : 0.0, totalTrainSeconds});
    return true;
}

bool Trainer::State::endEpoch(ProgressSink& sink, const std::atomic<bool>* cancel) {
    if (!epochClosing) {
        const int epoch = epochsDone + 1;
        EpochRecord& record = pendingRecord;
        record = EpochRecord{};
        record.epoch = epoch;
        record.meanLoss = epochLossSum / static_cast<double>(batchesPerEpoch());
        record.lastBatchLoss = lastBatchLoss;
        record.seconds = epochSeconds;
        record.examplesPerSecond =
            epochSeconds > 0 ? static_cast<double>(order.size()) / epochSeconds : 0.0;
        epochClosing = true;
        const int every = training.evalEvery;
        if ((every > 0 && epoch % every == 0) || epoch == training.epochs) {
            const auto start = Clock::now();
            pendingEvaluation = startEvaluation();
            history.evalSeconds += secondsSince(start);
        }
    }
    if (pendingEvaluation) {
        if (!advanceEvaluation(sink, cancel, pendingRecord.epoch)) {
            return false;
        }
        fillTest(pendingRecord, pendingEvaluation->result());
        pendingEvaluation.reset();
    }
    closeEpoch(sink);
    return true;
}

TrainOutcome Trainer::runEpoch(ProgressSink& sink, const std::atomic<bool>& cancel) {
    State& s = *m_state;
    if (s.diverged) {
        return TrainOutcome::Diverged;
    }
    if (!s.epochClosing) {
        s.beginEpoch();
        while (s.nextBatch < s.batchesPerEpoch()) {
            if (cancel.load(std::memory_order_relaxed)) {
                return TrainOutcome::Cancelled;
            }
            if (!s.trainNextBatch(sink, nullptr)) {
                return TrainOutcome::Diverged;
            }
        }
    }
    return s.endEpoch(sink, &cancel) ? TrainOutcome::Completed : TrainOutcome::Cancelled;
}

TrainOutcome Trainer::stepBatch(ProgressSink& sink, BatchInspection* inspection,
                                const std::atomic<bool>* cancel) {
    State& s = *m_state;
    // An evaluation the last batch began comes first; then the batch asked for, if any is left.
    if (s.epochClosing && !s.endEpoch(sink, cancel)) {
        return TrainOutcome::Cancelled;
    }
    if (finished()) {
        return s.diverged ? TrainOutcome::Diverged : TrainOutcome::Completed;
    }
    s.beginEpoch();
    if (!s.trainNextBatch(sink, inspection)) {
        return TrainOutcome::Diverged;
    }
    if (s.nextBatch == s.batchesPerEpoch() && !s.endEpoch(sink, cancel)) {
        return TrainOutcome::Cancelled;
    }
    return TrainOutcome::Completed;
}

bool Trainer::evaluationPending() const {
    return m_state->epochClosing;
}

void Trainer::skipPendingEvaluation(ProgressSink& sink) {
    State& s = *m_state;
    if (s.epochClosing) {
        s.pendingEvaluation.reset();
        s.closeEpoch(sink);
    }
}

TrainReport Trainer::fit(ProgressSink& sink, const std::atomic<bool>& cancel) {
    TrainReport report;
    while (!finished()) {
        const TrainOutcome outcome = runEpoch(sink, cancel);
        if (outcome == TrainOutcome::Cancelled) {
            report.outcome = outcome;
            report.message =
                evaluationPending()
                    ? "stopped by request while ranking the test examples after epoch " +
                          std::to_string(epochsDone() + 1)
                    : "stopped by request after " + std::to_string(epochsDone()) + " whole epochs";
            break;
        }
        if (outcome == TrainOutcome::Diverged) {
            report.outcome = outcome;
            report.message = m_state->divergenceMessage;
            break;
        }
    }
    report.model = snapshot();
    return report;
}

RankingMetrics Trainer::evaluateTest() {
    return *evaluateNow().test;
}

EpochRecord Trainer::evaluateNow(ProgressSink* sink) {
    EpochRecord record;
    record.epoch = m_state->epochsDone;
    const auto start = Clock::now();
    const std::unique_ptr<TestEvaluationRun> run = m_state->startEvaluation();
    run->advance(nullptr, [&](EvaluationProgress p) {
        if (sink != nullptr) {
            p.epoch = record.epoch;
            sink->onEvaluation(p);
        }
    });
    m_state->history.evalSeconds += secondsSince(start);
    State::fillTest(record, run->result());
    return record;
}

std::shared_ptr<const TrainedModel> Trainer::snapshot() const {
    const State& s = *m_state;
    auto model = std::make_shared<TrainedModel>();
    model->config = s.config;
    model->training = s.training;
    model->features = s.features;
    model->weights = s.weights;
    model->catalogue = s.catalogue;
    model->history = s.history;
    model->datasetName = s.datasetName;
    model->datasetFingerprint = s.datasetFingerprint;
    model->datasetSource = s.datasetSource;
    model->epochsTrained = s.epochsDone;
    model->finalize();
    return model;
}

const TrainingHistory& Trainer::history() const {
    return m_state->history;
}
int Trainer::epochsDone() const {
    return m_state->epochsDone;
}
bool Trainer::finished() const {
    return m_state->diverged || m_state->epochsDone >= m_state->training.epochs;
}
LogitsPrecision Trainer::logitsPrecision() const {
    return m_state->logits;
}

const std::string& Trainer::logitsNotice() const {
    return m_state->logitsNotice;
}

std::string Trainer::bf16Engine() const {
    const State& s = *m_state;
    if (s.logits != LogitsPrecision::Bf16) {
        return {};
    }
    const std::string avx512 =
        "the logits alone with AVX-512 BF16 dot products, the backward in fp32";
    if (s.training.retrieval.any()) {
        return avx512 + " (the retrieval-task options have no AMX path)";
    }
    const std::string amx = amx_tiles::unavailableReason(s.config.outputDim());
    if (!amx.empty()) {
        return avx512 + " (no AMX: " + amx + ")";
    }
    return "AMX tiles for the logits and both backward products (the softmax gradient rounded to "
           "bf16 for them), fp32 sums";
}

bool Trainer::diverged() const {
    return m_state->diverged;
}
const std::string& Trainer::divergenceMessage() const {
    return m_state->divergenceMessage;
}
std::size_t Trainer::trainExamples() const {
    return m_state->split.train.size();
}
std::size_t Trainer::testExamples() const {
    return m_state->split.test.size();
}
std::size_t Trainer::evaluatedTestExamples() const {
    return m_state->testEvaluator->examples().queries.size();
}

} // namespace towerlab
