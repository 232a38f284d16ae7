#include "charts/chart_export.hpp"

#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QPixmap>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>

namespace towerlab {

bool exportWidgetImage(QWidget* widget, const QString& path, QString* error) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QString shown = QDir::toNativeSeparators(path);
    if (suffix == QLatin1String("png")) {
        // Twice the screen resolution, so a slide or a printout stays sharp.
        QPixmap pixmap(widget->size() * 2);
        pixmap.setDevicePixelRatio(2.0);
        pixmap.fill(widget->palette().color(QPalette::Base));
        widget->render(&pixmap);
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || !pixmap.save(&file, "PNG") || !file.commit()) {
            *error = QObject::tr("Cannot write %1: %2").arg(shown, file.errorString());
            return false;
        }
        return true;
    }
    if (suffix == QLatin1String("svg")) {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly)) {
            *error = QObject::tr("Cannot write %1: %2").arg(shown, file.errorString());
            return false;
        }
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(widget->size());
        svg.setViewBox(QRect(QPoint(0, 0), widget->size()));
        svg.setTitle(QObject::tr("TowerLab training charts"));
        {
            QPainter painter(&svg);
            widget->render(&painter);
        }
        if (!file.commit()) {
            *error = QObject::tr("Cannot write %1: %2").arg(shown, file.errorString());
            return false;
        }
        return true;
    }
    *error = QObject::tr("%1: use a file name ending in .png or .svg").arg(shown);
    return false;
}

} // namespace towerlab
