#pragma once
// Saves a widget (the charts) as a PNG raster or an SVG vector image.

class QString;
class QWidget;

namespace towerlab {

// The format follows the suffix: ".png" or ".svg" (case-insensitive). Returns false with a
// message in *error for another suffix or a file that cannot be written.
bool exportWidgetImage(QWidget* widget, const QString& path, QString* error);

} // namespace towerlab
