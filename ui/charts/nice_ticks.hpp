#pragma once
// Round tick values for a value axis: a step of 1, 2 or 5 times a power of ten, ticks at whole
// multiples of it (so zero, when in range, is a tick and prints as "0", never "-5e-17"), and
// the number of decimals that prints every tick exactly.

class QValueAxis;

namespace towerlab {

struct NiceTicks {
    double min = 0.0;  // a multiple of step, <= low
    double max = 1.0;  // a multiple of step, >= high
    double step = 0.5; // 1, 2 or 5 x 10^k
    int decimals = 1;  // digits after the point that print `step` exactly
};

// Ticks covering [low, high] with at most maxTicks intervals (at least 1). A zero or invalid
// span gets a unit-sized range around the value.
NiceTicks niceTicks(double low, double high, int maxTicks = 4);

// Sets the axis's range, ticks anchored at zero every `step`, and a "%.<decimals>f" format.
void applyNiceTicks(QValueAxis* axis, const NiceTicks& ticks);

} // namespace towerlab
