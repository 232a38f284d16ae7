#include "interrupt.hpp"

#include <csignal>

namespace towerlab::cli {

namespace {

// Lock-free, so storing to it is async-signal-safe.
std::atomic<bool> g_interrupted{false};
static_assert(std::atomic<bool>::is_always_lock_free);

struct sigaction g_previous {};

extern "C" void onInterrupt(int) {
    g_interrupted.store(true, std::memory_order_relaxed);
}

} // namespace

InterruptGuard::InterruptGuard() {
    g_interrupted.store(false);
    struct sigaction action {};
    action.sa_handler = onInterrupt;
    sigemptyset(&action.sa_mask);
    // One-shot: after the first Ctrl-C the default action is back, so a second one stops a
    // process that is stuck writing its file.
    action.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &action, &g_previous);
}

InterruptGuard::~InterruptGuard() {
    sigaction(SIGINT, &g_previous, nullptr);
}

const std::atomic<bool>& InterruptGuard::flag() {
    return g_interrupted;
}

} // namespace towerlab::cli
