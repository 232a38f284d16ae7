#include "views/file_dialogs.hpp"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace towerlab {

namespace {

QString key(const QString& purpose) {
    return QStringLiteral("dirs/") + purpose;
}

} // namespace

QString lastDirectory(const QString& purpose) {
    return QSettings()
        .value(key(purpose), QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
        .toString();
}

void rememberDirectory(const QString& purpose, const QString& fileOrFolder) {
    const QFileInfo info(fileOrFolder);
    QSettings().setValue(key(purpose),
                         info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

QString chooseSaveFile(QWidget* parent, const QString& caption, const QString& purpose,
                       const QString& fileName, const QString& filter, const QString& suffix) {
    QString path = QFileDialog::getSaveFileName(
        parent, caption, QDir(lastDirectory(purpose)).filePath(fileName), filter);
    if (path.isEmpty()) {
        return {};
    }
    if (QFileInfo(path).suffix().isEmpty() && !suffix.isEmpty()) {
        path += QLatin1Char('.') + suffix;
    }
    rememberDirectory(purpose, path);
    return path;
}

QString chooseOpenFile(QWidget* parent, const QString& caption, const QString& purpose,
                       const QString& filter) {
    const QString path =
        QFileDialog::getOpenFileName(parent, caption, lastDirectory(purpose), filter);
    if (!path.isEmpty()) {
        rememberDirectory(purpose, path);
    }
    return path;
}

QString chooseFolder(QWidget* parent, const QString& caption, const QString& purpose) {
    const QString folder =
        QFileDialog::getExistingDirectory(parent, caption, lastDirectory(purpose));
    if (!folder.isEmpty()) {
        rememberDirectory(purpose, folder);
    }
    return folder;
}

} // namespace towerlab
