#include "charts/nice_ticks.hpp"

#include <QtCharts/QValueAxis>

#include <algorithm>
#include <cmath>

namespace towerlab {

NiceTicks niceTicks(double low, double high, int maxTicks) {
    maxTicks = std::max(1, maxTicks);
    if (!std::isfinite(low) || !std::isfinite(high)) {
        low = 0.0;
        high = 1.0;
    }
    if (low > high) {
        std::swap(low, high);
    }
    if (high - low < 1e-12 * std::max(1.0, std::abs(high))) {
        low -= 0.5;
        high += 0.5;
    }
    const double raw = (high - low) / maxTicks;
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    NiceTicks ticks;
    // The smallest 1-2-5 step whose rounded-out range has at most maxTicks intervals; rounding
    // out can add an interval, so the search may go past 10x the first power.
    for (int i = 0; i < 12; ++i) {
        static constexpr double kFactors[] = {1.0, 2.0, 5.0};
        ticks.step = kFactors[i % 3] * power * std::pow(10.0, i / 3);
        ticks.min = std::floor(low / ticks.step) * ticks.step;
        ticks.max = std::ceil(high / ticks.step) * ticks.step;
        if ((ticks.max - ticks.min) / ticks.step <= maxTicks + 1e-9) {
            break;
        }
    }
    ticks.decimals = std::max(0, static_cast<int>(-std::floor(std::log10(ticks.step) + 1e-9)));
    return ticks;
}

void applyNiceTicks(QValueAxis* axis, const NiceTicks& ticks) {
    axis->setRange(ticks.min, ticks.max);
    axis->setTickType(QValueAxis::TicksDynamic);
    axis->setTickAnchor(0.0);
    axis->setTickInterval(ticks.step);
    axis->setLabelFormat(QStringLiteral("%.") + QString::number(ticks.decimals) +
                         QStringLiteral("f"));
}

} // namespace towerlab
