#pragma once
// The Train form's "Retrieval task" group: TFRS's Retrieval options (temperature, sampling-bias
// correction, accidental hits, hard negatives) and cosine scores, each with a tooltip that says
// what it does and when it helps. Shows and edits values; the core validates them.

#include "model/model_config.hpp"

#include <QString>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QSettings;
class QSpinBox;

namespace towerlab {

class RetrievalTaskPanel : public QWidget {
    Q_OBJECT

public:
    explicit RetrievalTaskPanel(QWidget* parent = nullptr);

    RetrievalOptions options() const;
    bool l2Normalize() const;
    // Shows these values; emits nothing.
    void setOptions(bool l2Normalize, const RetrievalOptions& options);

    // The control of a ConfigError field ("temperature", "logq", "logq-alpha",
    // "hard-negatives"), or nullptr.
    QWidget* widgetForField(const QString& field) const;

    // Under "<group>retrieval/..."; absent keys keep the current values.
    void saveSettings(QSettings& settings) const;
    void loadSettings(const QSettings& settings, const QString& group);

signals:
    // The user changed a value.
    void edited();

private:
    void updateEnabled();

    QCheckBox* m_cosine;
    QDoubleSpinBox* m_temperature;
    QComboBox* m_logQ;
    QDoubleSpinBox* m_alpha;
    QCheckBox* m_accidentalHits;
    QSpinBox* m_hardNegatives;
};

} // namespace towerlab
