#pragma once
// Keeps a long line series cheap to draw: at most four points per pixel column (the first, the
// lowest, the highest and the last of the column, in x order), so the line looks the same at
// that width while its point count stays bounded however long a run is.

#include <QList>
#include <QPointF>

namespace towerlab {

// `points` sorted by x. Returns them unchanged when there are at most 4 * columns.
QList<QPointF> decimateMinMax(const QList<QPointF>& points, int columns);

} // namespace towerlab
