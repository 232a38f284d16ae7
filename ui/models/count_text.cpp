#include "models/count_text.hpp"

#include <QObject>

namespace towerlab {

QString countText(int n, const QString& one, const QString& many) {
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

QString epochsText(int n) {
    return countText(n, QObject::tr("epoch"), QObject::tr("epochs"));
}

} // namespace towerlab
