#include "views/license_dialog.hpp"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace towerlab {

QString LicenseDialog::licenseHtml() {
    return tr(
        "<p>MovieLens 100K was collected by the <b>GroupLens Research Project at the University "
        "of Minnesota</b>. GroupLens publishes it for research use under these conditions "
        "(from the README inside the archive):</p><ul>"
        "<li>The user may not state or imply any endorsement from the University of Minnesota "
        "or the GroupLens Research Group.</li>"
        "<li>The user must acknowledge the use of the data set in publications resulting from "
        "the use of the data set.</li>"
        "<li>The user may not redistribute the data without separate permission.</li>"
        "<li>The user may not use this information for any commercial or revenue-bearing "
        "purposes without first obtaining permission from a faculty member of the GroupLens "
        "Research Project at the University of Minnesota.</li></ul>"
        "<p>Citation: F. Maxwell Harper and Joseph A. Konstan. 2015. The MovieLens Datasets: "
        "History and Context. ACM Transactions on Interactive Intelligent Systems (TiiS) 5, 4, "
        "Article 19. <a href='https://doi.org/10.1145/2827872'>doi:10.1145/2827872</a></p>"
        "<p>More: <a href='https://grouplens.org/datasets/movielens/100k/'>"
        "grouplens.org/datasets/movielens/100k</a></p>");
}

LicenseDialog::LicenseDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Download MovieLens 100K"));
    auto* intro = new QLabel(tr("TowerLab will download <b>ml-100k.zip</b> (about 5 MB) from "
                                "files.grouplens.org, check it, and keep it in your user data "
                                "folder. It is not part of TowerLab and is not shared further."));
    intro->setWordWrap(true);
    auto* terms = new QTextBrowser;
    terms->setOpenExternalLinks(true);
    terms->setHtml(licenseHtml());
    terms->setMinimumSize(520, 260);
    auto* accept = new QCheckBox(tr("I accept these terms"));
    accept->setObjectName(QStringLiteral("acceptLicense"));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    QPushButton* download = buttons->addButton(tr("Download"), QDialogButtonBox::AcceptRole);
    download->setEnabled(false);
    connect(accept, &QCheckBox::toggled, download, &QPushButton::setEnabled);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(terms, 1);
    layout->addWidget(accept);
    layout->addWidget(buttons);
}

} // namespace towerlab
