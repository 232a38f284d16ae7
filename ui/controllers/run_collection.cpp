#include "controllers/run_collection.hpp"

#include "model/trained_model.hpp"

#include <QStringList>

#include <algorithm>
#include <array>

namespace towerlab {

namespace {

// Ten colours that stay distinguishable on light and dark backgrounds (Tableau 10).
constexpr std::array<QRgb, 10> kRunColours{0x4e79a7, 0xf28e2b, 0xe15759, 0x76b7b2, 0x59a14f,
                                           0xedc948, 0xb07aa1, 0xff9da7, 0x9c755f, 0xbab0ac};

QStringList featureNames(const std::string& commaList) {
    return QString::fromStdString(commaList).split(',', Qt::SkipEmptyParts);
}

} // namespace

QString runStatusText(RunStatus status) {
    switch (status) {
    case RunStatus::Queued:
        return QObject::tr("queued");
    case RunStatus::Preparing:
        return QObject::tr("preparing");
    case RunStatus::Training:
        return QObject::tr("training");
    case RunStatus::Paused:
        return QObject::tr("paused");
    case RunStatus::Completed:
        return QObject::tr("completed");
    case RunStatus::Stopped:
        return QObject::tr("stopped");
    case RunStatus::Diverged:
        return QObject::tr("diverged");
    case RunStatus::Failed:
        return QObject::tr("failed");
    case RunStatus::Loaded:
        return QObject::tr("opened");
    }
    return {};
}

bool RunRecord::lastBatchIsPartial() const {
    return batchesPerEpoch > 0 && trainExamples > 0 && training.batchSize > 0 &&
           trainExamples % static_cast<std::size_t>(training.batchSize) != 0;
}

const RankingMetrics* RunRecord::finalMetrics() const {
    const EpochRecord* record = finalEvaluation();
    return record != nullptr ? &*record->test : nullptr;
}

const EpochRecord* RunRecord::finalEvaluation() const {
    for (auto it = history.epochs.rbegin(); it != history.epochs.rend(); ++it) {
        if (it->test) {
            return &*it;
        }
    }
    return nullptr;
}

QString describeConfig(const ModelConfig& model, const TrainConfig& training) {
    QStringList layers;
    for (const int size : model.layers) {
        layers << QString::number(size);
    }
    QString text =
        QStringLiteral("[%1] %2 %3")
            .arg(layers.join(','), QString::fromStdString(optimizerName(training.optimizer)))
            .arg(training.learningRate);
    // Settings at the tutorial's value are left out, so legend entries stay short.
    const TrainConfig tutorialTraining;
    if (training.batchSize != tutorialTraining.batchSize) {
        text += QStringLiteral(" · bs %1").arg(training.batchSize);
    }
    if (training.seed != tutorialTraining.seed) {
        text += QStringLiteral(" · seed %1").arg(training.seed);
    }
    if (training.split == SplitKind::Time) {
        text += QStringLiteral(" · time split"); // another test set: the numbers differ
    }
    if (model.embeddingDim != ModelConfig{}.embeddingDim) {
        text += QStringLiteral(" · emb %1").arg(model.embeddingDim);
    }
    const FeatureSet tutorial;
    QStringList changes;
    const QStringList before =
        featureNames(tutorial.userFeatureList() + "," + tutorial.movieFeatureList());
    const QStringList after =
        featureNames(model.features.userFeatureList() + "," + model.features.movieFeatureList());
    for (const QString& name : after) {
        if (!before.contains(name)) {
            changes << QStringLiteral("+") + name;
        }
    }
    for (const QString& name : before) {
        if (!after.contains(name)) {
            changes << QStringLiteral("−") + name;
        }
    }
    if (!changes.isEmpty()) {
        text += QStringLiteral(" · ") + changes.join(' ');
    }
    // The Retrieval task, only what differs from the tutorial's: runs that differ by one
    // option must not share a name in the table and the legend.
    const RetrievalOptions& r = training.retrieval;
    QStringList task;
    if (model.l2Normalize) {
        task << QStringLiteral("cos");
    }
    if (r.temperature != 1.0) {
        task << QStringLiteral("T %1").arg(r.temperature);
    }
    if (r.logQ == LogQCorrection::Frequency) {
        task << QStringLiteral("logQ");
    } else if (r.logQ == LogQCorrection::Streaming) {
        task << QStringLiteral("logQ stream α %1").arg(r.streamingAlpha);
    }
    if (r.removeAccidentalHits) {
        task << QStringLiteral("−hits");
    }
    if (r.hardNegatives > 0) {
        task << QStringLiteral("hn %1").arg(r.hardNegatives);
    }
    if (!task.isEmpty()) {
        text += QStringLiteral(" · ") + task.join(' ');
    }
    return text;
}

RunCollection::RunCollection(QObject* parent) : QObject(parent) {}
RunCollection::~RunCollection() = default;

int RunCollection::add(RunRecord run) {
    run.id = m_nextId++;
    run.colour =
        QColor::fromRgb(kRunColours[static_cast<std::size_t>(run.id - 1) % kRunColours.size()]);
    // The seeds of one configuration are one thing to compare: one colour.
    if (!run.seedSet.isEmpty()) {
        for (const auto& other : m_runs) {
            if (other->seedSet == run.seedSet) {
                run.colour = other->colour;
                break;
            }
        }
    }
    if (run.name.isEmpty()) {
        run.name = describeConfig(run.model, run.training);
    }
    const int id = run.id;
    emit runAboutToBeAdded();
    m_runs.push_back(std::make_unique<RunRecord>(std::move(run)));
    emit runAdded(id);
    return id;
}

void RunCollection::remove(int id) {
    const int row = rowOf(id);
    if (row < 0) {
        return;
    }
    emit runAboutToBeRemoved(id);
    m_runs.erase(m_runs.begin() + row);
    emit runRemoved(id);
}

void RunCollection::clear() {
    while (!m_runs.empty()) {
        remove(m_runs.back()->id);
    }
}

int RunCollection::rowOf(int id) const {
    for (std::size_t i = 0; i < m_runs.size(); ++i) {
        if (m_runs[i]->id == id) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

const RunRecord* RunCollection::find(int id) const {
    const int row = rowOf(id);
    return row < 0 ? nullptr : m_runs[static_cast<std::size_t>(row)].get();
}

RunRecord* RunCollection::findMutable(int id) {
    const int row = rowOf(id);
    return row < 0 ? nullptr : m_runs[static_cast<std::size_t>(row)].get();
}

void RunCollection::setStatus(int id, RunStatus status, const QString& message) {
    if (RunRecord* run = findMutable(id)) {
        run->status = status;
        if (!message.isEmpty()) {
            run->message = message;
        }
        emit runChanged(id);
    }
}

void RunCollection::setStartInfo(int id, const RunStartInfo& info) {
    if (RunRecord* run = findMutable(id)) {
        run->trainExamples = info.trainExamples;
        run->batchesPerEpoch = info.batchesPerEpoch;
        run->history.testExamples = info.testExamples;
        run->history.baseline = info.baseline;
        run->history.baselineExcludingSeen = info.baselineExcludingSeen;
        run->history.baselineBeyond = info.baselineBeyond;
        emit runChanged(id);
    }
}

void RunCollection::appendBatches(int id, const BatchUpdate& update) {
    RunRecord* run = findMutable(id);
    if (run == nullptr || update.losses.isEmpty()) {
        return;
    }
    const int first = static_cast<int>(run->history.batchLosses.size());
    run->history.batchLosses.insert(run->history.batchLosses.end(), update.losses.begin(),
                                    update.losses.end());
    run->lastBatch = update.last;
    emit batchesAppended(id, first, static_cast<int>(update.losses.size()));
}

void RunCollection::appendEpoch(int id, const EpochRecord& record) {
    if (RunRecord* run = findMutable(id)) {
        run->history.epochs.push_back(record);
        run->history.trainSeconds += record.seconds;
        emit epochAppended(id, static_cast<int>(run->history.epochs.size()) - 1);
    }
}

void RunCollection::setTrainedModel(int id, TrainedModelPtr model) {
    if (RunRecord* run = findMutable(id)) {
        if (model) {
            // The trainer's own clock is exact; the sum of epoch times misses partial epochs.
            run->history.trainSeconds = model->history.trainSeconds;
            run->history.evalSeconds = model->history.evalSeconds;
        }
        run->trainedModel = std::move(model);
        emit runChanged(id);
    }
}

void RunCollection::setFilePath(int id, const QString& path) {
    if (RunRecord* run = findMutable(id)) {
        run->filePath = path;
        emit runChanged(id);
    }
}

void RunCollection::setVisible(int id, bool visible) {
    RunRecord* run = findMutable(id);
    if (run != nullptr && run->visible != visible) {
        run->visible = visible;
        emit visibilityChanged(id, visible);
    }
}

void RunCollection::setSeedSetVisible(const QString& seedSet, bool visible) {
    if (seedSetVisible(seedSet) == visible) {
        return;
    }
    if (visible) {
        m_hiddenSeedSets.removeAll(seedSet);
    } else {
        m_hiddenSeedSets.append(seedSet);
    }
    emit seedSetVisibilityChanged(seedSet, visible);
}

bool RunCollection::seedSetVisible(const QString& seedSet) const {
    return !m_hiddenSeedSets.contains(seedSet);
}

} // namespace towerlab
