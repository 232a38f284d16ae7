#pragma once
// A section heading: the widget's font, bold and a little larger.

#include <QString>

class QLabel;

namespace towerlab {

QLabel* headingLabel(const QString& text);
// Gives every heading the application's current font (bold, larger); after a font change.
void updateHeadingFonts();

} // namespace towerlab
