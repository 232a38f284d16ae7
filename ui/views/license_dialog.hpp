#pragma once
// Choose a MovieLens dataset to download and read its usage license first. Each dataset has
// its own license text (resources/licenses/); the Download button is enabled only once the
// user ticks that they accept the license of the dataset shown, and choosing another
// dataset clears that tick. The dialog also says how big the archive is, where it comes from
// and goes to, and which model features the dataset can feed. In read-only mode (Help →
// MovieLens licenses) it only shows the texts.

#include "controllers/movielens_downloads.hpp"

#include <QDialog>
#include <QList>

class QCheckBox;
class QLabel;
class QListWidget;
class QPushButton;
class QTextBrowser;

namespace towerlab {

class LicenseDialog : public QDialog {
    Q_OBJECT

public:
    enum class Purpose { Download, ReadOnly };

    // `downloads` is the table to offer (movieLensDownloads(), or a test's copy);
    // `datasetsFolder` is where downloads are installed (shown to the user).
    LicenseDialog(const QList<MovieLensDownload>& downloads, const QString& initialKey,
                  Purpose purpose, const QString& datasetsFolder, QWidget* parent = nullptr);

    QString selectedKey() const;
    void select(const QString& key);
    // The license text currently shown (HTML), and the one-line description above it.
    QString licenseHtml() const;
    QString detailsText() const;

private:
    void showSelected();

    QList<MovieLensDownload> m_downloads;
    QString m_datasetsFolder;
    QListWidget* m_list;
    QLabel* m_title;
    QLabel* m_details;
    QTextBrowser* m_license;
    QCheckBox* m_accept = nullptr;
    QPushButton* m_download = nullptr;
};

} // namespace towerlab
