#include "controllers/recent_files.hpp"

#include <QSettings>

#include <utility>

namespace towerlab {

RecentFiles::RecentFiles(QString settingsKey, int capacity)
    : m_key(std::move(settingsKey)), m_capacity(capacity) {}

QStringList RecentFiles::paths() const {
    return QSettings().value(m_key).toStringList();
}

void RecentFiles::add(const QString& path) {
    QStringList list = paths();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > m_capacity) {
        list.removeLast();
    }
    store(list);
}

void RecentFiles::remove(const QString& path) {
    QStringList list = paths();
    list.removeAll(path);
    store(list);
}

void RecentFiles::clear() {
    store({});
}

void RecentFiles::store(const QStringList& paths) const {
    QSettings().setValue(m_key, paths);
}

} // namespace towerlab
