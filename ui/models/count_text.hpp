#pragma once
// Counts in words for labels: "1 epoch", "12 epochs" (without translations, Qt's %n plural
// forms would print "1 epochs").

#include <QString>

namespace towerlab {

// "1 rating", "12 ratings"
QString countText(int n, const QString& one, const QString& many);
// "1 epoch", "50 epochs"
QString epochsText(int n);

} // namespace towerlab
