#include "charts/decimation.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace towerlab {

QList<QPointF> decimateMinMax(const QList<QPointF>& points, int columns) {
    columns = std::max(1, columns);
    if (points.size() <= 4 * static_cast<qsizetype>(columns)) {
        return points;
    }
    const double x0 = points.front().x();
    const double width = std::max(points.back().x() - x0, 1e-300);
    QList<QPointF> out;
    out.reserve(4 * columns);
    const auto columnOf = [&](const QPointF& p) {
        return std::min<qsizetype>(columns - 1,
                                   static_cast<qsizetype>((p.x() - x0) / width * columns));
    };
    qsizetype begin = 0;
    while (begin < points.size()) {
        // The run of points that falls into the column of points[begin].
        const qsizetype column = columnOf(points[begin]);
        qsizetype end = begin + 1;
        while (end < points.size() && columnOf(points[end]) == column) {
            ++end;
        }
        qsizetype low = begin;
        qsizetype high = begin;
        for (qsizetype i = begin + 1; i < end; ++i) {
            low = points[i].y() < points[low].y() ? i : low;
            high = points[i].y() > points[high].y() ? i : high;
        }
        std::array<qsizetype, 4> keep = {begin, std::min(low, high), std::max(low, high), end - 1};
        qsizetype last = -1;
        for (const qsizetype i : keep) {
            if (i != last) {
                out.append(points[i]);
                last = i;
            }
        }
        begin = end;
    }
    return out;
}

} // namespace towerlab
