#include "models/run_table_model.hpp"

#include "controllers/run_collection.hpp"
#include "controllers/seed_sets.hpp"

#include <QBrush>
#include <QFont>

#include <array>
#include <optional>
#include <vector>

namespace towerlab {

namespace {

constexpr std::size_t kTop10 = 2;
constexpr std::size_t kTop50 = 3;
constexpr std::size_t kTop100 = 4;

QString formatSeconds(double seconds) {
    const int s = static_cast<int>(seconds + 0.5);
    if (s < 60) {
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', seconds < 10 ? 1 : 0);
    }
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

// The beyond-accuracy metric a column shows, at k = 100.
const std::array<double, 5>* beyondRow(const BeyondAccuracyMetrics& m, int column) {
    switch (column) {
    case RunTableModel::Coverage100:
        return &m.coverage;
    case RunTableModel::Popularity100:
        return &m.popularityPercentile;
    case RunTableModel::Gini100:
        return &m.gini;
    case RunTableModel::Novelty100:
        return &m.novelty;
    case RunTableModel::Diversity100:
        return m.hasDiversity ? &m.diversity : nullptr;
    default:
        return nullptr;
    }
}

bool isBeyondColumn(int column) {
    return column >= RunTableModel::Coverage100 && column <= RunTableModel::Diversity100;
}

// Text of a beyond-accuracy value: percentiles and bits with fewer decimals.
QString beyondText(int column, double value) {
    const int decimals =
        column == RunTableModel::Popularity100 ? 1 : (column == RunTableModel::Novelty100 ? 2 : 3);
    return QString::number(value, 'f', decimals);
}

} // namespace

RunTableModel::RunTableModel(RunCollection* runs, QObject* parent)
    : QAbstractTableModel(parent), m_runs(runs) {
    connect(runs, &RunCollection::runAboutToBeAdded, this,
            [this] { beginInsertRows({}, rowCount(), rowCount()); });
    connect(runs, &RunCollection::runAdded, this, [this](int id) {
        endInsertRows();
        addSeedSetOf(id);
    });
    connect(runs, &RunCollection::runAboutToBeRemoved, this, [this](int id) {
        const int row = runRow(id);
        beginRemoveRows({}, row, row);
    });
    connect(runs, &RunCollection::runRemoved, this, [this] {
        endRemoveRows();
        dropEmptySeedSets();
    });
    connect(runs, &RunCollection::seedSetVisibilityChanged, this, [this](const QString& set) {
        const int row = seedSetRow(set);
        if (row >= 0) {
            emit dataChanged(index(row, Run), index(row, Run), {Qt::CheckStateRole});
        }
    });
    connect(runs, &RunCollection::runChanged, this, &RunTableModel::rowChanged);
    connect(runs, &RunCollection::epochAppended, this, &RunTableModel::rowChanged);
    connect(runs, &RunCollection::visibilityChanged, this, [this](int id) {
        const int row = runRow(id);
        emit dataChanged(index(row, Run), index(row, Run), {Qt::CheckStateRole});
    });
}

int RunTableModel::runRow(int id) const {
    const int row = m_runs->rowOf(id);
    return row < 0 ? -1 : static_cast<int>(m_seedSets.size()) + row;
}

const RunRecord* RunTableModel::runAtRow(int row) const {
    const int r = row - static_cast<int>(m_seedSets.size());
    return r >= 0 && r < m_runs->count() ? &m_runs->at(r) : nullptr;
}

void RunTableModel::rowChanged(int id) {
    const int row = runRow(id);
    if (row >= 0) {
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        const RunRecord& run = *m_runs->find(id);
        if (const int setRow = seedSetRow(run.seedSet); setRow >= 0) {
            emit dataChanged(index(setRow, 0), index(setRow, ColumnCount - 1));
        }
        // Other runs of an ablation group compare against this one.
        if (!run.group.isEmpty() && run.removedFeature.isEmpty()) {
            emit dataChanged(index(0, Change100), index(rowCount() - 1, Change100));
        }
    }
}

void RunTableModel::addSeedSetOf(int id) {
    const RunRecord* run = m_runs->find(id);
    if (run == nullptr || run->seedSet.isEmpty()) {
        return;
    }
    if (const int row = seedSetRow(run->seedSet); row >= 0) {
        // One more run: the set's name and numbers change.
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    // Set rows come first, in the order the sets began.
    const int row = static_cast<int>(m_seedSets.size());
    beginInsertRows({}, row, row);
    m_seedSets.append(run->seedSet);
    endInsertRows();
}

void RunTableModel::dropEmptySeedSets() {
    for (int i = static_cast<int>(m_seedSets.size()); i-- > 0;) {
        if (seedSetRuns(*m_runs, m_seedSets[i]).empty()) {
            beginRemoveRows({}, i, i);
            m_seedSets.removeAt(i);
            endRemoveRows();
        } else {
            emit dataChanged(index(i, 0), index(i, ColumnCount - 1));
        }
    }
}

int RunTableModel::seedSetRow(const QString& seedSet) const {
    return seedSet.isEmpty() ? -1 : static_cast<int>(m_seedSets.indexOf(seedSet));
}

int RunTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : m_runs->count() + static_cast<int>(m_seedSets.size());
}

int RunTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

int RunTableModel::runIdAt(int row) const {
    const RunRecord* run = runAtRow(row);
    return run != nullptr ? run->id : 0;
}

QVariant RunTableModel::seedSetData(const QString& set, int column, int role) const {
    if (role == static_cast<int>(Role::RunId)) {
        return 0;
    }
    if (role == static_cast<int>(Role::SeedSet)) {
        return set;
    }
    const std::vector<int> ids = seedSetRuns(*m_runs, set);
    if (ids.empty()) {
        return {};
    }
    const RunRecord& first = *m_runs->find(ids.front());
    const bool sort = role == static_cast<int>(Role::Sort);
    if (column == Run && role == Qt::CheckStateRole) {
        return m_runs->seedSetVisible(set) ? Qt::Checked : Qt::Unchecked;
    }
    if (column == Run && role == Qt::DecorationRole) {
        return first.colour;
    }
    if (role == Qt::FontRole) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::TextAlignmentRole) {
        const bool text = column == Run || column == Status || column == Dataset;
        return QVariant::fromValue(text ? Qt::AlignLeft | Qt::AlignVCenter
                                        : Qt::AlignRight | Qt::AlignVCenter);
    }
    int done = 0;
    double seconds = 0.0;
    std::vector<double> baselines;
    for (const int id : ids) {
        const RunRecord& run = *m_runs->find(id);
        const bool finished = run.status == RunStatus::Completed || run.status == RunStatus::Loaded;
        done += finished ? 1 : 0;
        seconds += run.history.trainSeconds + run.history.evalSeconds;
        if (finished && run.history.baseline) {
            baselines.push_back(run.history.baseline->topK[kTop100]);
        }
    }
    const auto metricCell = [&](RunMetric metric) -> QVariant {
        const std::optional<SeedSummary> s = summarizeSeedSet(*m_runs, set, metric);
        if (!s) {
            return sort ? QVariant(-1.0) : QVariant(QString());
        }
        return sort ? QVariant(s->mean) : QVariant(summaryText(*s, metric));
    };
    if (role == Qt::ToolTipRole) {
        if (column == Run) {
            return tr("%1\nMean ± sample standard deviation over the %2 finished of %3 seeds "
                      "(completed runs only, as towerlab-cli train --seeds).")
                .arg(seedSetLabel(*m_runs, set))
                .arg(done)
                .arg(ids.size());
        }
        if (column == Change100 && !first.removedFeature.isEmpty()) {
            for (const QString& other : m_seedSets) {
                const std::vector<int> members = seedSetRuns(*m_runs, other);
                const RunRecord& o = *m_runs->find(members.front());
                if (o.group == first.group && o.removedFeature.isEmpty()) {
                    const SeedComparison c =
                        compareContenders(*m_runs, {other, 0}, {set, 0}, RunMetric::Top100);
                    return c.verdict ? QString::fromStdString(verdictSentence(
                                           *c.verdict, "top-100", "all features",
                                           "without " + first.removedFeature.toStdString()))
                                     : c.text;
                }
            }
        }
        return {};
    }
    if (role != Qt::DisplayRole && !sort) {
        return {};
    }
    switch (column) {
    case Run:
        // Just above its first run when sorted by this column.
        return sort ? QVariant(ids.front() - 0.5)
                    : QVariant(tr("%1 (mean)").arg(seedSetLabel(*m_runs, set)));
    case Status:
        return done == static_cast<int>(ids.size())
                   ? tr("%1 seeds done").arg(done)
                   : tr("%1 of %2 seeds done").arg(done).arg(ids.size());
    case Dataset:
        return first.datasetName;
    case Epochs:
        return sort ? QVariant(0) : QVariant(QString());
    case Top10:
        return metricCell(RunMetric::Top10);
    case Top50:
        return metricCell(RunMetric::Top50);
    case Top100:
        return metricCell(RunMetric::Top100);
    case Top100Unseen:
        return metricCell(RunMetric::Top100Unseen);
    case Coverage100:
        return metricCell(RunMetric::Coverage100);
    case Popularity100:
        return metricCell(RunMetric::Popularity100);
    case Gini100:
        return metricCell(RunMetric::Gini100);
    case Novelty100:
        return metricCell(RunMetric::Novelty100);
    case Diversity100:
        return metricCell(RunMetric::Diversity100);
    case Baseline100: {
        if (baselines.empty()) {
            return sort ? QVariant(-1.0) : QVariant(QString());
        }
        const SeedSummary s = summarizeSeeds(baselines);
        return sort ? QVariant(s.mean) : QVariant(summaryText(s, RunMetric::Top100));
    }
    case Change100: {
        // An ablation's seed set: the mean paired difference to the all-features set.
        if (first.removedFeature.isEmpty()) {
            return sort ? QVariant(0.0) : QVariant(QString());
        }
        for (const QString& other : m_seedSets) {
            const RunRecord& o = *m_runs->find(seedSetRuns(*m_runs, other).front());
            if (o.group != first.group || !o.removedFeature.isEmpty()) {
                continue;
            }
            const SeedComparison c =
                compareContenders(*m_runs, {other, 0}, {set, 0}, RunMetric::Top100);
            if (!c.verdict) {
                break;
            }
            const double change = c.verdict->difference;
            return sort ? QVariant(change)
                        : QVariant(QStringLiteral("%1 ± %2")
                                       .arg(QString::asprintf("%+.3f", change))
                                       .arg((c.verdict->high - c.verdict->low) / 2, 0, 'f', 3));
        }
        return sort ? QVariant(0.0) : QVariant(QString());
    }
    case Time:
        return sort ? QVariant(seconds)
                    : QVariant(seconds > 0 ? formatSeconds(seconds) : QString());
    default:
        return {};
    }
}

const RunRecord* RunTableModel::referenceOf(const RunRecord& run) const {
    if (run.group.isEmpty() || run.removedFeature.isEmpty()) {
        return nullptr;
    }
    // With several seeds, the reference run of the same seed (the same split).
    const RunRecord* any = nullptr;
    for (int i = 0; i < m_runs->count(); ++i) {
        const RunRecord& other = m_runs->at(i);
        if (other.group == run.group && other.removedFeature.isEmpty()) {
            if (other.training.seed == run.training.seed) {
                return &other;
            }
            any = any != nullptr ? any : &other;
        }
    }
    return run.seedSet.isEmpty() ? any : nullptr;
}

QVariant RunTableModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    if (index.row() < static_cast<int>(m_seedSets.size())) {
        return seedSetData(m_seedSets[index.row()], index.column(), role);
    }
    const RunRecord& run = *runAtRow(index.row());
    if (role == static_cast<int>(Role::RunId)) {
        return run.id;
    }
    if (role == static_cast<int>(Role::SeedSet)) {
        return QString();
    }
    const int column = index.column();
    if (column == Run && role == Qt::CheckStateRole) {
        return run.visible ? Qt::Checked : Qt::Unchecked;
    }
    if (column == Run && role == Qt::DecorationRole) {
        return run.colour;
    }
    if (role == Qt::TextAlignmentRole) {
        const bool text = column == Run || column == Status || column == Dataset;
        return QVariant::fromValue(text ? Qt::AlignLeft | Qt::AlignVCenter
                                        : Qt::AlignRight | Qt::AlignVCenter);
    }
    const RankingMetrics* metrics = run.finalMetrics();
    const bool sort = role == static_cast<int>(Role::Sort);
    if (role == Qt::ToolTipRole) {
        // A large test split is evaluated over a seeded sample (TrainConfig::evalQueries);
        // the top-k cells say so, since their numbers are then estimates.
        const QString sample =
            metrics != nullptr && metrics->examples < run.history.testExamples
                ? tr("Over %1 sampled test queries of %2 (seeded by the run's seed)")
                      .arg(metrics->examples)
                      .arg(run.history.testExamples)
                : QString();
        switch (column) {
        case Top10:
        case Top50:
        case Top100:
        case Change100:
            return sample.isEmpty() ? QVariant() : QVariant(sample);
        case Run:
            return tr("Run #%1: %2\nuser features: %3\nmovie features: %4\nembedding width %5, "
                      "seed %6")
                .arg(run.id)
                .arg(run.name, QString::fromStdString(run.model.features.userFeatureList()),
                     QString::fromStdString(run.model.features.movieFeatureList()))
                .arg(run.model.embeddingDim)
                .arg(run.training.seed);
        case Status:
            return run.message.isEmpty() ? QVariant() : QVariant(run.message);
        case Top100Unseen: {
            const auto& b = run.history.baselineExcludingSeen;
            QString text =
                b ? tr("Most popular, seen excluded: %1").arg(b->topK[kTop100], 0, 'f', 3)
                  : QString();
            if (!sample.isEmpty()) {
                text += (text.isEmpty() ? QString() : QStringLiteral("\n")) + sample;
            }
            return text.isEmpty() ? QVariant() : QVariant(text);
        }
        default:
            break;
        }
        if (isBeyondColumn(column) && run.history.baselineBeyond) {
            const auto* row = beyondRow(*run.history.baselineBeyond, column);
            return row != nullptr
                       ? QVariant(tr("Most popular: %1").arg(beyondText(column, (*row)[kTop100])))
                       : QVariant();
        }
        return {};
    }
    if (role != Qt::DisplayRole && !sort) {
        return {};
    }
    auto metric = [&](const RankingMetrics* m, std::size_t k) -> QVariant {
        if (m == nullptr) {
            return sort ? QVariant(-1.0) : QVariant(QString());
        }
        return sort ? QVariant(m->topK[k]) : QVariant(QString::number(m->topK[k], 'f', 3));
    };
    switch (column) {
    case Run: {
        if (sort) {
            return static_cast<double>(run.id);
        }
        QString text = QStringLiteral("#%1  %2").arg(run.id).arg(run.name);
        if (!run.seedSet.isEmpty()) {
            // The set's row above names the configuration.
            text = QStringLiteral("#%1     └ seed %2").arg(run.id).arg(run.training.seed);
        } else if (!run.removedFeature.isEmpty()) {
            text = QStringLiteral("#%1  − %2").arg(run.id).arg(run.removedFeature);
        } else if (!run.group.isEmpty()) {
            text += tr("  (all features)");
        }
        return text;
    }
    case Status:
        return runStatusText(run.status);
    case Dataset:
        return run.datasetName;
    case Epochs:
        if (sort) {
            return static_cast<int>(run.history.epochs.size());
        }
        return QStringLiteral("%1 / %2").arg(run.history.epochs.size()).arg(run.training.epochs);
    case Top10:
        return metric(metrics, kTop10);
    case Top50:
        return metric(metrics, kTop50);
    case Top100:
        return metric(metrics, kTop100);
    case Baseline100:
        return metric(run.history.baseline ? &*run.history.baseline : nullptr, kTop100);
    case Change100: {
        const RunRecord* reference = referenceOf(run);
        const RankingMetrics* base = reference != nullptr ? reference->finalMetrics() : nullptr;
        if (metrics == nullptr || base == nullptr) {
            return sort ? QVariant(0.0) : QVariant(QString());
        }
        const double change = metrics->topK[kTop100] - base->topK[kTop100];
        return sort ? QVariant(change) : QVariant(QString::asprintf("%+.3f", change));
    }
    case Top100Unseen: {
        const EpochRecord* last = run.finalEvaluation();
        return metric(last != nullptr && last->testExcludingSeen ? &*last->testExcludingSeen
                                                                 : nullptr,
                      kTop100);
    }
    case Coverage100:
    case Popularity100:
    case Gini100:
    case Novelty100:
    case Diversity100: {
        const EpochRecord* last = run.finalEvaluation();
        const auto* row =
            last != nullptr && last->beyond ? beyondRow(*last->beyond, column) : nullptr;
        if (row == nullptr) {
            return sort ? QVariant(-1.0) : QVariant(QString());
        }
        const double value = (*row)[kTop100];
        return sort ? QVariant(value) : QVariant(beyondText(column, value));
    }
    case Time: {
        const double seconds = run.history.trainSeconds + run.history.evalSeconds;
        if (sort) {
            return seconds;
        }
        return run.history.epochs.empty() ? QString() : formatSeconds(seconds);
    }
    default:
        return {};
    }
}

bool RunTableModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid) || index.column() != Run ||
        role != Qt::CheckStateRole) {
        return false;
    }
    const bool checked = value.value<Qt::CheckState>() == Qt::Checked;
    if (index.row() < static_cast<int>(m_seedSets.size())) {
        m_runs->setSeedSetVisible(m_seedSets[index.row()], checked);
    } else {
        m_runs->setVisible(runAtRow(index.row())->id, checked);
    }
    return true;
}

Qt::ItemFlags RunTableModel::flags(const QModelIndex& index) const {
    if (!index.isValid()) {
        return Qt::NoItemFlags;
    }
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (index.column() == Run) {
        f |= Qt::ItemIsUserCheckable;
    }
    return f;
}

QVariant RunTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Run:
            return tr("Run (config)");
        case Status:
            return tr("Status");
        case Dataset:
            return tr("Dataset");
        case Epochs:
            return tr("Epochs");
        case Top10:
            return tr("Top-10");
        case Top50:
            return tr("Top-50");
        case Top100:
            return tr("Top-100");
        case Baseline100:
            return tr("Popular");
        case Change100:
            return tr("Δ top-100");
        case Top100Unseen:
            return tr("Top-100 unseen");
        case Coverage100:
            return tr("Coverage");
        case Popularity100:
            return tr("Pop. pct");
        case Gini100:
            return tr("Gini");
        case Novelty100:
            return tr("Novelty");
        case Diversity100:
            return tr("Diversity");
        case Time:
            return tr("Time");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Run:
            return tr("Tick to show the run's curves in the charts. The name lists what differs "
                      "from the tutorial's model. A seed group's row (Repeat with N seeds) "
                      "shows each metric as mean ± sd over its finished seeds and, ticked, "
                      "its mean curve with the band from the lowest to the highest seed; the "
                      "seeds' own curves are unticked at first.");
        case Top10:
        case Top50:
        case Top100:
            return tr("Share of test ratings whose movie is among the model's k best-scored "
                      "movies for that user, at the latest evaluation");
        case Baseline100:
            return tr("Top-100 of a model that recommends the most popular movies to "
                      "everybody: the bar a personalised model should clear");
        case Change100:
            return tr("Ablation: top-100 of this run minus top-100 of the run with every "
                      "feature. The most negative number marks the feature that matters most.");
        case Top100Unseen:
            return tr("Top-100 with the movies each user rated in training removed from the "
                      "ranking (the test movie always stays), when the run was trained with "
                      "\"Also with seen movies excluded\". The cell's tooltip has the "
                      "most-popular baseline's.");
        case Coverage100:
            return tr("Catalogue coverage at 100: the share of all movies that appear in at "
                      "least one test query's top 100. Low = the same few movies for "
                      "everybody. Hover a cell for the most-popular baseline's.");
        case Popularity100:
            return tr("Mean popularity percentile of the top-100 movies (0-100, by training "
                      "ratings; the whole catalogue averages 50). High = mainstream.");
        case Gini100:
            return tr("Gini coefficient of how often each movie is in a top 100: 0 = every "
                      "movie recommended equally often, near 1 = a few movies for everybody.");
        case Novelty100:
            return tr("Mean self-information of the top-100 movies, -log2 of each movie's "
                      "share of training ratings (add-one smoothed), in bits. High = "
                      "unfamiliar movies.");
        case Diversity100:
            return tr("Intra-list genre diversity of the top 100: mean over pairs of 1 - "
                      "Jaccard similarity of their genre sets. 0 = one kind of movie.");
        case Time:
            return tr("Training plus evaluation time");
        default:
            return {};
        }
    }
    return {};
}

} // namespace towerlab
