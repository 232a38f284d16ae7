#include "views/license_dialog.hpp"

#include "views/feature_availability_text.hpp"

#include "data/dataset_loader.hpp"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace towerlab {

namespace {

// "about 6 MB": GroupLens states its sizes rounded.
QString approximateSize(qint64 bytes) {
    return QObject::tr("about %1")
        .arg(QLocale().formattedDataSize(bytes, 0, QLocale::DataSizeSIFormat));
}

} // namespace

LicenseDialog::LicenseDialog(const QList<MovieLensDownload>& downloads, const QString& initialKey,
                             Purpose purpose, const QString& datasetsFolder, QWidget* parent)
    : QDialog(parent), m_downloads(downloads), m_datasetsFolder(datasetsFolder) {
    setWindowTitle(purpose == Purpose::Download ? tr("Download MovieLens")
                                                : tr("MovieLens licenses"));
    m_list = new QListWidget;
    m_list->setObjectName(QStringLiteral("datasetChoice"));
    for (const MovieLensDownload& d : m_downloads) {
        auto* item =
            new QListWidgetItem(d.name + QLatin1Char('\n') +
                                tr("%1 · %2").arg(d.fileName(), approximateSize(d.archiveBytes)));
        item->setData(Qt::UserRole, d.key);
        item->setToolTip(d.contents);
        m_list->addItem(item);
    }
    m_list->setSpacing(3);
    // As wide as the longest entry: the list never scrolls sideways.
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_list->setFixedWidth(m_list->sizeHintForColumn(0) + 2 * m_list->frameWidth() + 16);

    m_title = new QLabel;
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_title->setFont(big);
    m_details = new QLabel;
    m_details->setObjectName(QStringLiteral("datasetDetails"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::RichText);
    m_details->setOpenExternalLinks(true);
    m_license = new QTextBrowser;
    m_license->setObjectName(QStringLiteral("licenseText"));
    m_license->setOpenExternalLinks(true);
    m_license->setMinimumSize(480, 240);

    auto* right = new QVBoxLayout;
    right->addWidget(m_title);
    right->addWidget(m_details);
    right->addWidget(m_license, 1);
    auto* buttons = new QDialogButtonBox;
    if (purpose == Purpose::Download) {
        m_accept = new QCheckBox;
        m_accept->setObjectName(QStringLiteral("acceptLicense"));
        right->addWidget(m_accept);
        buttons->addButton(QDialogButtonBox::Cancel);
        m_download = buttons->addButton(tr("Download"), QDialogButtonBox::AcceptRole);
        m_download->setObjectName(QStringLiteral("downloadButton"));
        m_download->setEnabled(false);
        connect(m_accept, &QCheckBox::toggled, m_download, &QPushButton::setEnabled);
    } else {
        buttons->addButton(QDialogButtonBox::Close);
    }
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* columns = new QHBoxLayout;
    columns->addWidget(m_list);
    columns->addLayout(right, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(columns, 1);
    layout->addWidget(buttons);

    connect(m_list, &QListWidget::currentRowChanged, this, &LicenseDialog::showSelected);
    select(initialKey);
    if (m_list->currentRow() < 0 && m_list->count() > 0) {
        m_list->setCurrentRow(0);
    }
    resize(860, 600);
}

QString LicenseDialog::selectedKey() const {
    const QListWidgetItem* item = m_list->currentItem();
    return item != nullptr ? item->data(Qt::UserRole).toString() : QString();
}

void LicenseDialog::select(const QString& key) {
    for (int row = 0; row < m_list->count(); ++row) {
        if (m_list->item(row)->data(Qt::UserRole).toString() == key) {
            m_list->setCurrentRow(row);
            return;
        }
    }
}

QString LicenseDialog::licenseHtml() const {
    return m_license->toHtml();
}

QString LicenseDialog::detailsText() const {
    return m_details->text();
}

void LicenseDialog::showSelected() {
    const MovieLensDownload* d = findMovieLensDownload(m_downloads, selectedKey());
    if (d == nullptr) {
        return;
    }
    // The core decides which features a dataset can feed; a sample with the format's fields
    // lets the dialog say it before download, by the same rules as once it is loaded.
    Dataset probe = d->check.format ? formatSample(*d->check.format) : Dataset{};
    probe.name = d->name.toStdString();
    probe.hasDemographics = probe.hasDemographics && d->hasDemographics;
    m_title->setText(d->name);
    m_details->setText(
        QStringLiteral("<p>%1</p><p>%2</p><p>%3</p>")
            .arg(d->contents.toHtmlEscaped(),
                 tr("<b>%1</b> (%2) from <a href='%3'>%3</a>, checked and kept in %4. It is "
                    "not part of TowerLab and is not shared further.")
                     .arg(d->fileName(), approximateSize(d->archiveBytes),
                          d->url.toString().toHtmlEscaped(),
                          QDir::toNativeSeparators(QDir(m_datasetsFolder).filePath(d->key))
                              .toHtmlEscaped()),
                 featureAvailabilityHtml(probe)));
    m_license->setHtml(movieLensLicenseHtml(*d));
    if (m_accept != nullptr) {
        // Accepting one license says nothing about another.
        m_accept->setChecked(false);
        m_accept->setText(tr("I accept the license of %1").arg(d->name));
    }
}

} // namespace towerlab
