#pragma once
// The Train form's choice of features: one check box per feature of the core's feature table,
// in a box per tower, with the table's label and tooltip. Features the open dataset cannot
// feed are disabled, unchecked and say why.

#include "data/dataset.hpp"
#include "model/model_config.hpp"

#include <QString>
#include <QWidget>

#include <array>

class QCheckBox;
class QGroupBox;
class QSettings;

namespace towerlab {

class FeatureAvailability;

class FeatureChoice : public QWidget {
    Q_OBJECT

public:
    explicit FeatureChoice(QWidget* parent = nullptr);

    FeatureSet features() const;
    // Checks exactly these (those the dataset cannot feed stay unchecked); emits nothing.
    void setFeatures(const FeatureSet& features);
    // Offers only what the dataset can feed. If that empties a user tower that had features,
    // the core's default user features for this dataset are checked instead.
    // `availability`: the dataset's features checked beforehand (null: checked here).
    void setDataset(const Dataset& dataset, const FeatureAvailability* availability = nullptr);
    // The box of a tower, to point at when the core refuses its features.
    QGroupBox* towerBox(Tower tower) const;

    // Each box's state under "<group>/<feature name>"; features a setting does not name keep
    // their state.
    void saveSettings(QSettings& settings) const;
    void loadSettings(const QSettings& settings, const QString& group);

signals:
    // The user checked or unchecked a box.
    void toggled();

private:
    void applyAvailability();
    QCheckBox* box(FeatureId id) const { return m_boxes[static_cast<std::size_t>(id)]; }

    std::array<QCheckBox*, kFeatureCount> m_boxes{};
    std::array<QString, kFeatureCount> m_unavailable; // why the dataset cannot feed it, or ""
    QGroupBox* m_userBox;
    QGroupBox* m_movieBox;
};

} // namespace towerlab
