#include "views/show_error.hpp"

#include <QMainWindow>
#include <QMessageBox>
#include <QStatusBar>

namespace towerlab {

namespace {

constexpr int kErrorStatusMs = 30000;

} // namespace

void showError(QWidget* parent, const QString& title, const QString& message) {
    if (auto* window = qobject_cast<QMainWindow*>(parent != nullptr ? parent->window() : nullptr)) {
        window->statusBar()->showMessage(title + QStringLiteral(": ") + message, kErrorStatusMs);
    }
    auto* box = new QMessageBox(QMessageBox::Warning, title, message, QMessageBox::Ok, parent);
    box->setObjectName(QStringLiteral("errorBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse);
    box->open();
}

} // namespace towerlab
