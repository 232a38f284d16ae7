#pragma once
// Makes Qt Charts follow the application's palette (light or dark, as the system sets it)
// and font (so the View menu's zoom reaches chart labels too, for projectors).

#include <QColor>

class QChart;
class QFont;
class QPalette;

namespace towerlab {

// Applies a light or dark chart theme by the palette's window colour, then uses the palette's
// colours and the font (title a little larger) for backgrounds, labels and grid. Call again
// after a palette or font change; themes reset series pens, so restyle series afterwards.
void applyChartTheme(QChart* chart, const QPalette& palette, const QFont& font);

// The palette's text colour with the given opacity, for secondary lines and hints.
QColor chartTextColour(const QPalette& palette, double alpha);

bool isDarkPalette(const QPalette& palette);

} // namespace towerlab
