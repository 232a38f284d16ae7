#include "views/heading_label.hpp"

#include <QLabel>

namespace towerlab {

QLabel* headingLabel(const QString& text) {
    auto* label = new QLabel(text);
    QFont f = label->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    label->setFont(f);
    return label;
}

} // namespace towerlab
