#include "models/neighbour_table_model.hpp"

#include "model/trained_model.hpp"

namespace towerlab {

NeighbourTableModel::NeighbourTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void NeighbourTableModel::setNeighbours(TrainedModelPtr model, std::vector<ScoredMovie> neighbours,
                                        Similarity similarity) {
    beginResetModel();
    m_model = std::move(model);
    m_neighbours = std::move(neighbours);
    m_similarity = similarity;
    endResetModel();
    emit headerDataChanged(Qt::Horizontal, Score, Score);
}

void NeighbourTableModel::clear() {
    beginResetModel();
    m_model.reset();
    m_neighbours.clear();
    endResetModel();
}

int NeighbourTableModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_neighbours.size());
}

int NeighbourTableModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NeighbourTableModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || !m_model || index.row() >= rowCount()) {
        return {};
    }
    const ScoredMovie& n = m_neighbours[static_cast<std::size_t>(index.row())];
    const auto movie = static_cast<std::size_t>(n.movie);
    const Catalogue& c = m_model->catalogue;
    if (role == kMovieRole) {
        return n.movie;
    }
    if (role == Qt::TextAlignmentRole) {
        return index.column() == Title ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                       : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ToolTipRole && index.column() == Title) {
        return QString::fromStdString(c.titles[movie]);
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (index.column()) {
    case Rank:
        return index.row() + 1;
    case Title:
        return QString::fromStdString(c.titles[movie]);
    case Year:
        return c.years[movie] > 0 ? QVariant(c.years[movie]) : QVariant(QStringLiteral("–"));
    case Score:
        return QString::number(static_cast<double>(n.score), 'f', 3);
    default:
        return {};
    }
}

QVariant NeighbourTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case Rank:
        return tr("#");
    case Title:
        return tr("Title");
    case Year:
        return tr("Year");
    case Score:
        return m_similarity == Similarity::Cosine ? tr("Cosine") : tr("Dot");
    default:
        return {};
    }
}

} // namespace towerlab
