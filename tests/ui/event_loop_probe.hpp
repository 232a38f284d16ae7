#pragma once
// Measures how responsive the GUI thread's event loop is: a 10 ms timer records the largest
// wall-clock gap between two of its ticks, and how much CPU time the thread itself spent in
// that window (a long gap with little CPU means the operating system did not schedule the
// thread, not that the application was busy).

#include "test_support.hpp"

#include <QElapsedTimer>
#include <QObject>
#include <QThread>
#include <QTimer>
#include <QtGlobal>

#include <algorithm>
#include <cstdlib>
#include <ctime>

namespace towerlab::test {

class EventLoopProbe : public QObject {
public:
    EventLoopProbe() {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(10);
        connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
    }

    void start() {
        m_ticks = 0;
        m_maxGap = m_maxBusy = m_busyAtMaxGap = 0;
        m_clock.start();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }

    int ticks() const { return m_ticks; }
    double maxGapMs() const { return static_cast<double>(m_maxGap) / 1e6; }
    double busyAtMaxGapMs() const { return static_cast<double>(m_busyAtMaxGap) / 1e6; }
    double maxBusyMs() const { return static_cast<double>(m_maxBusy) / 1e6; }
    double elapsedMs() const { return static_cast<double>(m_clock.elapsed()); }

    // More runnable work than cores: the scheduler alone may then hold a thread back > 50 ms.
    static bool machineOverloaded(double* load) {
        return getloadavg(load, 1) == 1 && *load > QThread::idealThreadCount();
    }

private:
    static qint64 threadCpuNs() {
        timespec t{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        return static_cast<qint64>(t.tv_sec) * 1000000000 + t.tv_nsec;
    }

    void tick() {
        const qint64 now = m_clock.nsecsElapsed();
        const qint64 cpu = threadCpuNs();
        if (m_ticks > 0) {
            if (now - m_last > m_maxGap) {
                m_maxGap = now - m_last;
                m_busyAtMaxGap = cpu - m_lastCpu;
            }
            m_maxBusy = std::max(m_maxBusy, cpu - m_lastCpu);
        }
        m_last = now;
        m_lastCpu = cpu;
        ++m_ticks;
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_lastCpu = 0;
    qint64 m_maxGap = 0;
    qint64 m_maxBusy = 0;
    qint64 m_busyAtMaxGap = 0;
    int m_ticks = 0;
};

} // namespace towerlab::test

// Fails when the GUI thread itself was busy > 50 ms between ticks, or when the wall-clock gap
// exceeded 50 ms on a machine that was not overloaded; on an overloaded one it warns instead.
// A timing check (tests/support/test_support.hpp): where timing checks are off it only logs.
#define TOWERLAB_CHECK_RESPONSIVE(probe)                                                           \
    do {                                                                                           \
        qDebug("event loop: %d ticks over %.0f ms, largest gap %.1f ms (GUI thread busy %.1f ms "  \
               "of it), most GUI-thread CPU between two ticks %.1f ms",                            \
               (probe).ticks(), (probe).elapsedMs(), (probe).maxGapMs(), (probe).busyAtMaxGapMs(), \
               (probe).maxBusyMs());                                                               \
        if (!towerlab::test::timingChecksOn()) {                                                   \
            break;                                                                                 \
        }                                                                                          \
        QVERIFY((probe).ticks() > 10);                                                             \
        QVERIFY2((probe).maxBusyMs() <= 50.0, "the GUI thread was busy > 50 ms between ticks");    \
        double load_ = 0.0;                                                                        \
        if ((probe).maxGapMs() > 50.0 &&                                                           \
            towerlab::test::EventLoopProbe::machineOverloaded(&load_)) {                           \
            qWarning("largest gap %.1f ms, but the machine is overloaded (load %.1f on %d cores)", \
                     (probe).maxGapMs(), load_, QThread::idealThreadCount());                      \
        } else {                                                                                   \
            QVERIFY2((probe).maxGapMs() <= 50.0, "the event loop stalled > 50 ms");                \
        }                                                                                          \
    } while (false)
