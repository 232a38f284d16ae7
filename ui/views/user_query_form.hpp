#pragma once
// The attributes of a user query: age group, occupation, gender, a moment in time (UTC), for
// models with the user-id feature a user id, and a box for each other user feature of the
// feature table. Fields the current model does not use are
// disabled with a tooltip saying why; a time outside the data's range gets a note. The form
// holds no query state of its own beyond its widgets: the Recommend view decides where an
// edit goes (the shared QueryController, or the second query of a comparison).

#include "controllers/training_types.hpp"
#include "features/feature_space.hpp"

#include <QWidget>

#include <memory>
#include <utility>
#include <vector>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QSpinBox;

namespace towerlab {

class FeatureAvailability;

struct Dataset;

class UserQueryForm : public QWidget {
    Q_OBJECT

public:
    explicit UserQueryForm(QWidget* parent = nullptr);

    // Which fields are enabled, the time range of the note, the user-id range.
    void setModel(const TrainedModelPtr& model);
    // The open dataset only adds its reasons to the tooltips of fields it cannot feed.
    // `features`: the dataset's availability checked beforehand (null: checked here, once).
    void setDataset(const std::shared_ptr<const Dataset>& dataset,
                    std::shared_ptr<const FeatureAvailability> features = {});

    // Shows the query without emitting queryEdited.
    void setQuery(const UserQuery& query);
    UserQuery query() const;

signals:
    // The user changed a field (not emitted by setQuery).
    void queryEdited(const towerlab::UserQuery& query);

protected:
    // Typing T or 1 in the gender box picks Male, 0 picks Female (M and F work as in any box).
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void emitEdited();
    void updateAvailability();
    // The boxes of m_attributes list the model's vocabulary, keeping the chosen values.
    void fillAttributeBoxes();
    void updateTimeNote();

    QComboBox* m_age;
    QComboBox* m_occupation;
    QComboBox* m_gender;
    QDateTimeEdit* m_time;
    QLabel* m_timeNote;
    QSpinBox* m_userId;
    // One box per user feature of the core's table without a widget above (its values are
    // the model's vocabulary), in table order.
    std::vector<std::pair<const FeatureDescriptor*, QComboBox*>> m_attributes;
    TrainedModelPtr m_model;
    std::shared_ptr<const Dataset> m_dataset;
    std::shared_ptr<const FeatureAvailability> m_features; // of m_dataset, null without one
    UserQuery m_shown; // keeps values the widgets cannot show (e.g. an unknown age bucket)
};

} // namespace towerlab
