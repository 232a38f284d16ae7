#pragma once
// The Train tab's form: every option the core's ModelConfig and TrainConfig offer, with the
// tutorial's values as defaults, tooltips that explain each option, and validation that says
// what is wrong and how to fix it (the core's own validate() has the last word).

#include "data/dataset.hpp"
#include "model/model_config.hpp"

#include <QString>
#include <QWidget>

#include <map>
#include <optional>
#include <string>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSettings;
class QSpinBox;

namespace towerlab {

class FeatureAvailability;

class FeatureChoice;
class RetrievalTaskPanel;

struct FormValues {
    ModelConfig model;
    TrainConfig training;
    // "Repeat with N seeds": train the configuration with seeds seed, seed + 1, ...,
    // seed + seedRepeats - 1 (1 = a single run).
    int seedRepeats = 1;
};

class TrainForm : public QWidget {
    Q_OBJECT

public:
    explicit TrainForm(QWidget* parent = nullptr);

    // The values, or std::nullopt when something is invalid; then the message (also shown
    // under the form) says which field and why, and that field is highlighted.
    std::optional<FormValues> values(QString* message = nullptr);
    void setValues(const ModelConfig& model, const TrainConfig& training);
    void resetToDefaults();
    // Offers only the features the dataset can feed (the core decides which; the others are
    // disabled with the reason in their tooltip). If that leaves no user feature, the
    // core's default user features for this dataset are selected.
    // `availability`: the dataset's features checked beforehand (null: checked here).
    void setDataset(const Dataset& dataset, const FeatureAvailability* availability = nullptr);

    // The split the form's values describe (split kind, seed and train fraction set, the rest
    // default), read from the fields without validating them: the Data tab shows it.
    TrainConfig splitSettings() const;

    void saveSettings(QSettings& settings) const;
    void loadSettings(const QSettings& settings);

    // The tutorial's model as the form shows it by default (threads chosen for this machine).
    static FormValues defaults();

signals:
    void edited();

private:
    void validateLive();
    void showProblem(const QString& field, const QString& message);
    void clearProblem();
    QWidget* widgetForField(const QString& field) const;

    FeatureChoice* m_features;
    QSpinBox* m_embeddingDim;
    QLineEdit* m_layers;
    QComboBox* m_optimizer;
    QLineEdit* m_learningRate;
    QSpinBox* m_batchSize;
    QSpinBox* m_epochs;
    QSpinBox* m_evalEvery;
    QCheckBox* m_excludeSeen;
    QWidget* m_evalQueriesRow; // the two below, one row of the form
    QSpinBox* m_evalQueries;   // how many test ratings each evaluation ranks
    QCheckBox* m_evalAll;      // every test rating instead
    QSpinBox* m_seed;
    QSpinBox* m_seedRepeats;
    QDoubleSpinBox* m_trainFraction;
    QComboBox* m_split;
    QSpinBox* m_threads;
    RetrievalTaskPanel* m_retrieval;
    QLabel* m_problem;
    QWidget* m_highlighted = nullptr;
    bool m_updating = false;
};

} // namespace towerlab
