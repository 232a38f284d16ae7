#pragma once
// The Recommend tab's left column: query A's form and the Tutorial example button, the real
// user picker, the list settings (k, hide rated, compare) and query B's form. It only shows
// and forwards; the RecommendController holds the state.

#include "controllers/recommend_controller.hpp"

#include <QScrollArea>

class QCheckBox;
class QGroupBox;
class QSpinBox;

namespace towerlab {

class RealUserPicker;
class UserQueryForm;

class RecommendQueryPanel : public QScrollArea {
    Q_OBJECT

public:
    explicit RecommendQueryPanel(QWidget* parent = nullptr);

    // Shows the controller's list settings and query B, without forwarding them back.
    void showSettings(const RecommendController& settings);

    UserQueryForm* formA() const { return m_formA; }
    UserQueryForm* formB() const { return m_formB; }
    RealUserPicker* picker() const { return m_picker; }

signals:
    void tutorialClicked();
    void kChosen(int k);
    void excludeRatedToggled(bool on);
    void compareToggled(bool on);
    void copyAToBClicked();
    void otherGenderClicked();

private:
    UserQueryForm* m_formA;
    UserQueryForm* m_formB;
    QGroupBox* m_groupB;
    RealUserPicker* m_picker;
    QSpinBox* m_k;
    QCheckBox* m_excludeRated;
    QCheckBox* m_compare;
};

} // namespace towerlab
