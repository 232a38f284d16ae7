#pragma once
// SIGINT (Ctrl-C) as a cancellation request for training: the first one sets the flag the
// trainer checks before every batch; a second one ends the process the usual way.

#include <atomic>

namespace towerlab::cli {

// Installs the handler for the lifetime of the guard and restores the previous one after.
class InterruptGuard {
public:
    InterruptGuard();
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard&) = delete;
    InterruptGuard& operator=(const InterruptGuard&) = delete;

    // Set (from the signal handler) once SIGINT arrived.
    static const std::atomic<bool>& flag();
};

} // namespace towerlab::cli
