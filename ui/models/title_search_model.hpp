#pragma once
// The titles of a model's catalogue that contain what the user has typed so far, ignoring
// case and accents (core searchTitles), as a list for a completer popup.

#include "controllers/training_types.hpp"

#include <QAbstractListModel>

#include <cstdint>
#include <memory>
#include <vector>

namespace towerlab {

struct Catalogue;

class TitleSearchModel : public QAbstractListModel {
    Q_OBJECT

public:
    enum class Role { Movie = Qt::UserRole }; // catalogue index (int)

    static constexpr std::size_t kMaxResults = 25;

    explicit TitleSearchModel(QObject* parent = nullptr);

    // The catalogue to search; the results are cleared.
    void setModel(TrainedModelPtr model);
    void setCatalogue(std::shared_ptr<const Catalogue> catalogue);
    // Runs the search; blank text gives no results (not the whole catalogue).
    void setSearchText(const QString& text);
    const QString& searchText() const { return m_text; }
    // The catalogue index of row `row`.
    int movieAt(int row) const { return m_movies[static_cast<std::size_t>(row)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const Catalogue> m_catalogue;
    QString m_text;
    std::vector<std::int32_t> m_movies;
};

} // namespace towerlab
