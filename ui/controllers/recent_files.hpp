#pragma once
// A most-recently-used list of paths kept in QSettings under one key.

#include <QString>
#include <QStringList>

namespace towerlab {

class RecentFiles {
public:
    explicit RecentFiles(QString settingsKey, int capacity = 8);

    QStringList paths() const;
    // Moves path to the front (adding it if new) and trims the list to the capacity.
    void add(const QString& path);
    void remove(const QString& path);
    void clear();

private:
    void store(const QStringList& paths) const;

    QString m_key;
    int m_capacity;
};

} // namespace towerlab
