#include "controllers/approximate_index.hpp"

#include "data/dataset.hpp"
#include "model/trained_model.hpp"
#include "retrieval/user_queries.hpp"
#include "util/random.hpp"

#include <QLocale>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace towerlab {

namespace {

// The HNSW build's own settings: hnswlib's defaults, every core.
HnswParams buildParams() {
    HnswParams p;
    p.threads = 0;
    return p;
}

} // namespace

ApproximateIndex::ApproximateIndex(QObject* parent) : QObject(parent) {
    connect(&m_buildWatcher, &QFutureWatcher<BuildResult>::finished, this,
            &ApproximateIndex::onBuilt);
    connect(&m_measureWatcher, &QFutureWatcher<MeasureResult>::finished, this,
            &ApproximateIndex::onMeasured);
    // Progress is read from the job's atomic counter rather than signalled per chunk, so a
    // fast build does not flood the event loop.
    m_progressTimer.setInterval(100);
    connect(&m_progressTimer, &QTimer::timeout, this, [this] {
        if (m_building && m_buildProgress) {
            m_progress = m_buildProgress->load();
            emit stateChanged();
        }
    });
}

ApproximateIndex::~ApproximateIndex() {
    if (m_cancel) {
        *m_cancel = true;
    }
    m_buildWatcher.waitForFinished();
    m_measureWatcher.waitForFinished();
}

void ApproximateIndex::setModel(TrainedModelPtr model, std::shared_ptr<const Dataset> dataset) {
    if (model == m_model && dataset == m_dataset) {
        return;
    }
    cancel();
    ++m_generation;
    m_model = std::move(model);
    m_dataset = std::move(dataset);
    m_index.reset();
    m_sample = RowMatrix();
    m_sampleSource.clear();
    m_measurement.reset();
    m_pending.reset();
    m_error.clear();
    emit stateChanged();
}

void ApproximateIndex::build() {
    if (!m_model || m_index || m_building) {
        return;
    }
    m_building = true;
    m_progress = 0.0;
    m_error.clear();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_buildProgress = std::make_shared<std::atomic<double>>(0.0);
    m_progressTimer.start();
    emit stateChanged();
    m_buildWatcher.setFuture(QtConcurrent::run([model = m_model, dataset = m_dataset,
                                                cancel = m_cancel, progress = m_buildProgress] {
        BuildResult out;
        try {
            auto index = HnswIndex::build(
                model->candidateEmbeddings, buildParams(),
                [&progress](std::size_t done, std::size_t total) {
                    *progress = static_cast<double>(done) / static_cast<double>(total);
                },
                cancel.get());
            if (!index) {
                return out; // cancelled
            }
            out.index = std::move(index);
            if (dataset) {
                // A seeded sample of the dataset's users, as the query tower sees them.
                std::vector<DatasetUserQuery> users = datasetUserQueries(*dataset);
                const auto total = users.size();
                Random random(20240601);
                random.shuffle(users.begin(), users.end());
                users.resize(std::min<std::size_t>(users.size(), kSampleQueries));
                if (!users.empty()) {
                    out.sample = userQueryEmbeddings(*model, users);
                    out.sampleSource = QObject::tr("%1 of %2 users' queries")
                                           .arg(users.size())
                                           .arg(QLocale().toString(static_cast<qulonglong>(total)));
                }
            }
        } catch (const std::exception& e) {
            out.index.reset();
            out.error = QString::fromUtf8(e.what());
        }
        return out;
    }));
}

void ApproximateIndex::cancel() {
    if (!m_building) {
        return;
    }
    *m_cancel = true;
    m_building = false;
    m_progressTimer.stop();
    m_buildWatcher.setFuture({}); // its result, when it comes, is for a dropped request
    emit stateChanged();
}

void ApproximateIndex::onBuilt() {
    if (!m_building || m_buildWatcher.isCanceled()) {
        return;
    }
    const BuildResult result = m_buildWatcher.result();
    m_building = false;
    m_progressTimer.stop();
    m_progress = 1.0;
    m_error = result.error;
    if (result.index) {
        m_index = result.index;
        m_sample = result.sample;
        m_sampleSource = result.sampleSource;
        emit stateChanged();
        emit ready();
        return;
    }
    emit stateChanged();
}

void ApproximateIndex::measure(std::size_t k, std::size_t ef, const RowVector& current) {
    if (!m_index) {
        return;
    }
    m_pending = MeasureRequest{k, ef, current};
    if (!m_measuring) {
        startMeasure();
    }
}

void ApproximateIndex::startMeasure() {
    if (!m_pending || !m_index) {
        return;
    }
    const MeasureRequest request = *m_pending;
    m_pending.reset();
    m_measuring = true;
    emit stateChanged();
    RowMatrix queries = m_sample;
    if (queries.rows() == 0) {
        queries = request.current; // no dataset: the query on screen
        m_sampleSource = tr("the current query (open the dataset to sample its users)");
    }
    m_measureWatcher.setFuture(QtConcurrent::run(
        [index = m_index, model = m_model, queries, request, generation = m_generation] {
            MeasureResult out;
            out.generation = generation;
            try {
                out.measurement =
                    measureHnsw(*index, model->candidateEmbeddings, queries, request.k, request.ef);
            } catch (const std::exception& e) {
                out.error = QString::fromUtf8(e.what());
            }
            return out;
        }));
}

void ApproximateIndex::onMeasured() {
    if (!m_measuring) {
        return;
    }
    const MeasureResult result = m_measureWatcher.result();
    m_measuring = false;
    if (m_index && result.generation == m_generation) {
        m_measurement = result.measurement;
        if (!result.error.isEmpty()) {
            m_error = result.error;
        }
    }
    if (m_pending) {
        startMeasure();
        return;
    }
    emit stateChanged();
}

} // namespace towerlab
