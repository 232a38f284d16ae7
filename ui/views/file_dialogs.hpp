#pragma once
// The file dialogs of the window and the tabs, with one memory of the last folder per purpose
// ("data", "models", "exports") kept in QSettings under dirs/<purpose>. GUI thread only.

#include <QString>

class QWidget;

namespace towerlab {

// The folder last used for this purpose, else the user's Documents folder.
QString lastDirectory(const QString& purpose);
// Remembers the folder of a file (or a folder itself) for this purpose.
void rememberDirectory(const QString& purpose, const QString& fileOrFolder);

// Asks where to save a file, starting in the purpose's last folder with fileName suggested.
// A name typed without a suffix gets `suffix` (no dot). Returns the path, or empty when the
// user cancelled; remembers the folder.
QString chooseSaveFile(QWidget* parent, const QString& caption, const QString& purpose,
                       const QString& fileName, const QString& filter, const QString& suffix);
// Asks for a file to open; returns it or empty, and remembers its folder.
QString chooseOpenFile(QWidget* parent, const QString& caption, const QString& purpose,
                       const QString& filter);
// Asks for a folder; returns it or empty, and remembers it.
QString chooseFolder(QWidget* parent, const QString& caption, const QString& purpose);

} // namespace towerlab
