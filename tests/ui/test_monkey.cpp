// A student clicking everything: seeded random input to the real window on the demo data —
// clicks anywhere on visible widgets, keys, typed text, drags, tab switches and the training
// shortcuts (F5 train, F6 pause/resume, F10 step, Esc stop) — for a fixed number of events.
// It fails on a crash (the test process dies), a hang (the event loop not serving a 10 ms
// probe timer for more than 2 s), or a Qt warning that signals a bug (a connect to a missing
// signal or slot, a model index from another model, an out-of-range index, ...).
//
// CI runs TOWERLAB_MONKEY_EVENTS' default (600 events); set it for a longer run by hand, and
// TOWERLAB_MONKEY_SEED to replay or vary one. Dialogs the monkey opens (file pickers, the
// download licence, message boxes) are closed again by a watchdog, and downloads point at a
// closed local port, so nothing leaves the machine and nothing waits for a person.

#include "controllers/movielens_downloads.hpp"
#include "controllers/query_controller.hpp"
#include "controllers/training_controller.hpp"
#include "event_loop_probe.hpp"
#include "main_window.hpp"
#include "test_support.hpp"
#include "ui_test_support.hpp"
#include "util/random.hpp"

#include <QAbstractButton>
#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QMenu>
#include <QPointer>
#include <QTemporaryDir>
#include <QTimer>
#include <QWheelEvent>
#include <QtTest>

#include <memory>
#include <vector>

using namespace towerlab;

namespace {

// Qt messages that mean the program did something wrong, not the user.
const QStringList kBugWarnings = {
    QStringLiteral("QObject::connect"),
    QStringLiteral("No such signal"),
    QStringLiteral("No such slot"),
    QStringLiteral("QAbstractItemModel"),
    QStringLiteral("index from wrong model"),
    QStringLiteral("out of range"),
    QStringLiteral("QSortFilterProxyModel"),
    QStringLiteral("invalid index"),
    QStringLiteral("ASSERT"),
    QStringLiteral("QPainter::"),
    QStringLiteral("QWidget::setParent"),
    QStringLiteral("QObject::setParent"),
    QStringLiteral("Cannot create children"),
    QStringLiteral("QTimer can only be used"),
    QStringLiteral("QBasicTimer"),
    QStringLiteral("destroyed while thread"),
};

QStringList g_bugMessages;
QtMessageHandler g_previousHandler = nullptr;

void monkeyMessageHandler(QtMsgType type, const QMessageLogContext& context, const QString& text) {
    if (type != QtDebugMsg && type != QtInfoMsg) {
        for (const QString& pattern : kBugWarnings) {
            if (text.contains(pattern)) {
                g_bugMessages << text;
                break;
            }
        }
    }
    // The offscreen platform's own notes on raise(), keyboard grabs, ... are not findings.
    if (g_previousHandler != nullptr && !text.startsWith(QLatin1String("This plugin does not"))) {
        g_previousHandler(type, context, text);
    }
}

int envInt(const char* name, int fallback) {
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok && value > 0 ? value : fallback;
}

} // namespace

class TestMonkey : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<Random> m_random;
    int m_dialogsClosed = 0;
    QStringList m_log; // the last events, for a failure's message

    int below(int n) { return n <= 0 ? 0 : static_cast<int>(m_random->next() % std::uint64_t(n)); }

    // Visible, enabled widgets of the window that take input.
    std::vector<QPointer<QWidget>> targets() const {
        std::vector<QPointer<QWidget>> out;
        for (QWidget* w : m_window->findChildren<QWidget*>()) {
            if (w->isVisible() && w->isEnabled() && w->width() > 2 && w->height() > 2 &&
                w->window() == m_window.get()) {
                out.emplace_back(w);
            }
        }
        return out;
    }

    void remember(const QString& what) {
        m_log << what;
        if (m_log.size() > 12) {
            m_log.removeFirst();
        }
    }

    void randomEvent() {
        const int kind = below(100);
        if (kind < 6) {
            // A training shortcut, as a student would press it.
            static const Qt::Key keys[] = {Qt::Key_F5, Qt::Key_F6, Qt::Key_F10, Qt::Key_Escape};
            const Qt::Key key = keys[below(4)];
            remember(QStringLiteral("shortcut %1").arg(key));
            QTest::keyClick(m_window.get(), key);
            return;
        }
        if (kind < 14) {
            const int tab = below(5);
            remember(QStringLiteral("Ctrl+%1").arg(tab + 1));
            QTest::keyClick(m_window.get(), static_cast<Qt::Key>(Qt::Key_1 + tab),
                            Qt::ControlModifier);
            return;
        }
        const auto all = targets();
        if (all.empty()) {
            return;
        }
        QPointer<QWidget> target =
            all[static_cast<std::size_t>(below(static_cast<int>(all.size())))];
        const QPoint at(below(target->width()), below(target->height()));
        const QString name = QString::fromLatin1(target->metaObject()->className()) + " '" +
                             target->objectName() + "'";
        if (kind < 55) {
            remember(QStringLiteral("click %1 at %2,%3").arg(name).arg(at.x()).arg(at.y()));
            QTest::mouseClick(target, below(6) == 0 ? Qt::RightButton : Qt::LeftButton,
                              Qt::NoModifier, at);
        } else if (kind < 62) {
            remember(QStringLiteral("double-click %1").arg(name));
            QTest::mouseDClick(target, Qt::LeftButton, Qt::NoModifier, at);
        } else if (kind < 72) {
            const QPoint to(below(target->width()), below(target->height()));
            remember(QStringLiteral("drag on %1").arg(name));
            QTest::mousePress(target, Qt::LeftButton, Qt::NoModifier, at);
            if (target) {
                QTest::mouseMove(target, (at + to) / 2);
            }
            if (target) {
                QTest::mouseMove(target, to);
            }
            if (target) {
                QTest::mouseRelease(target, Qt::LeftButton, Qt::NoModifier, to);
            }
        } else if (kind < 82) {
            // Text, where text goes: titles, numbers, nonsense.
            static const char* texts[] = {"lion", "red rock", "0",  "-3",       "99999999",   "1e9",
                                          "abc",  "é",        "  ", "64,32",    "2023-01-01", "nan",
                                          "1..5", "\t",       "((", "Beautiful"};
            const QString text = QString::fromUtf8(texts[below(16)]);
            remember(QStringLiteral("type '%1' into %2").arg(text, name));
            target->setFocus();
            for (const QChar c : text) {
                if (!target) {
                    break;
                }
                if (c.unicode() < 128) {
                    QTest::keyClick(target, c.toLatin1());
                } else { // QTest's own key table is ASCII only
                    QTest::sendKeyEvent(QTest::Click, target, Qt::Key_unknown, QString(c),
                                        Qt::NoModifier);
                }
            }
            if (target && below(2) == 0) {
                QTest::keyClick(target, Qt::Key_Return);
            }
        } else if (kind < 92) {
            static const Qt::Key keys[] = {Qt::Key_Up,        Qt::Key_Down,     Qt::Key_Left,
                                           Qt::Key_Right,     Qt::Key_PageDown, Qt::Key_Home,
                                           Qt::Key_End,       Qt::Key_Space,    Qt::Key_Delete,
                                           Qt::Key_Backspace, Qt::Key_Tab,      Qt::Key_Return};
            const Qt::Key key = keys[below(12)];
            remember(QStringLiteral("key %1 on %2").arg(key).arg(name));
            QTest::keyClick(target, key);
        } else {
            remember(QStringLiteral("wheel on %1").arg(name));
            QWheelEvent wheel(QPointF(at), QPointF(target->mapToGlobal(at)), QPoint(),
                              QPoint(0, below(2) == 0 ? 120 : -120), Qt::NoButton, Qt::NoModifier,
                              Qt::NoScrollPhase, false);
            QApplication::sendEvent(target, &wheel);
        }
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        test::isolateSettings(m_settings);
        g_previousHandler = qInstallMessageHandler(monkeyMessageHandler);
    }

    void cleanupTestCase() { qInstallMessageHandler(g_previousHandler); }

    void randomInputNeitherCrashesNorHangsNorWarns() {
        const int events = envInt("TOWERLAB_MONKEY_EVENTS", 600);
        const int seed = envInt("TOWERLAB_MONKEY_SEED", 1);
        m_random = std::make_unique<Random>(static_cast<std::uint64_t>(seed));
        MainWindowOptions options;
        // Downloads go to a closed local port: they fail at once and never leave the machine.
        options.downloads = movieLensDownloads(QStringLiteral("http://127.0.0.1:9"));
        options.datasetsFolder = m_settings.filePath(QStringLiteral("datasets"));
        m_window = std::make_unique<MainWindow>(options);
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->query()->dataset() != nullptr, 10000);

        // Whatever the monkey opens that waits for a person is closed again.
        QTimer watchdog;
        connect(&watchdog, &QTimer::timeout, this, [this] {
            if (QWidget* popup = QApplication::activePopupWidget()) {
                popup->close();
                ++m_dialogsClosed;
            }
            if (QWidget* modal = QApplication::activeModalWidget()) {
                if (auto* dialog = qobject_cast<QDialog*>(modal)) {
                    dialog->reject();
                } else {
                    modal->close();
                }
                ++m_dialogsClosed;
            }
            for (QWidget* top : QApplication::topLevelWidgets()) {
                if (top != m_window.get() && top->isVisible() && qobject_cast<QDialog*>(top)) {
                    top->close();
                    ++m_dialogsClosed;
                }
            }
        });
        watchdog.start(150);

        test::EventLoopProbe probe;
        probe.start();
        QElapsedTimer clock;
        clock.start();
        double worstGapMs = 0;
        for (int i = 0; i < events; ++i) {
            randomEvent();
            QTest::qWait(below(4) == 0 ? 30 : 5);
            worstGapMs = std::max(worstGapMs, probe.maxGapMs());
            QVERIFY2(g_bugMessages.isEmpty(),
                     qPrintable(QStringLiteral("event %1: %2\nlast events:\n%3")
                                    .arg(i)
                                    .arg(g_bugMessages.join('\n'), m_log.join('\n'))));
            TOWERLAB_TIMING_CHECK(
                QVERIFY2(probe.maxGapMs() < 2000,
                         qPrintable(QStringLiteral("event %1: the event loop stalled %2 ms\n%3")
                                        .arg(i)
                                        .arg(probe.maxGapMs())
                                        .arg(m_log.join('\n')))));
        }
        probe.stop();
        watchdog.stop();
        qDebug("monkey: %d events (seed %d) in %.1f s, %d dialogs or menus closed, longest "
               "event-loop gap %.0f ms, training state at the end %d",
               events, seed, static_cast<double>(clock.elapsed()) / 1000.0, m_dialogsClosed,
               worstGapMs, static_cast<int>(m_window->training()->state()));

        // Still a working window: it stops and closes cleanly.
        m_window->training()->stop();
        QTRY_COMPARE_WITH_TIMEOUT(m_window->training()->state(), TrainingController::State::Idle,
                                  60000);
        m_window->close();
        m_window.reset();
        QVERIFY2(g_bugMessages.isEmpty(), qPrintable(g_bugMessages.join('\n')));
    }
};

QTEST_MAIN(TestMonkey)
#include "test_monkey.moc"
