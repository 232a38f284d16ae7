#pragma once
// Shows the MovieLens 100K usage license before anything is downloaded; the download starts
// only when the user ticks that they accept it.

#include <QDialog>

namespace towerlab {

class LicenseDialog : public QDialog {
    Q_OBJECT

public:
    explicit LicenseDialog(QWidget* parent = nullptr);

    // The GroupLens terms as shown in the dialog (also in Help → About).
    static QString licenseHtml();
};

} // namespace towerlab
