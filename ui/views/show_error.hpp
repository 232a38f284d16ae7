#pragma once
// The one way the GUI shows an error the user must see (a file that could not be read or
// written, a failed download or training): a window-modal but non-blocking warning box
// (object name "errorBox", its text selectable so it can be copied), and the same line in
// the status bar of the window, when it has one. Training and loading go on behind the box.
// Problems that belong to one tab's state (no model yet, a title not found) stay in that
// tab's own notice instead. GUI thread only.

#include <QString>

class QWidget;

namespace towerlab {

void showError(QWidget* parent, const QString& title, const QString& message);

} // namespace towerlab
