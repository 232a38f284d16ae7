#pragma once
// The MovieLens archives TowerLab offers to download: where GroupLens publishes each, how big
// it is, what it holds, whether it has user demographics, its license text (a resource under
// resources/licenses/) and what the downloaded archive must be. One row per dataset; the
// menu, the license dialog and the downloader all read this table.

#include "controllers/dataset_downloader.hpp"

#include <QList>
#include <QString>
#include <QUrl>

namespace towerlab {

struct MovieLensDownload {
    QString key;             // "ml-1m": the archive's stem and the install folder's name
    QString name;            // "MovieLens 1M"
    QUrl url;                // the official GroupLens address, unless a mirror is given
    qint64 archiveBytes = 0; // size of the zip as GroupLens states it, rounded (for the dialog)
    QString contents;        // what is inside, one sentence
    bool hasDemographics = true;
    QString licenseResource; // ":/licenses/ml-1m.html"
    InstallCheck check;      // what the downloaded archive must be

    QString fileName() const { return key + QStringLiteral(".zip"); }
};

// ml-100k, ml-1m, ml-latest-small, ml-20m, ml-25m, in that order. An empty baseUrl means GroupLens;
// else each archive is fetched from baseUrl + "/" + fileName (a local mirror, or a test's server).
QList<MovieLensDownload> movieLensDownloads(const QString& baseUrl = {});
// The row with this key; nullptr when there is none.
const MovieLensDownload* findMovieLensDownload(const QList<MovieLensDownload>& list,
                                               const QString& key);

// The license text of a dataset (HTML, from the resource). Never empty: a missing resource
// is a build error that the tests catch, and then the text says so.
QString movieLensLicenseHtml(const MovieLensDownload& download);

// Where TowerLab installs downloaded datasets for this user: <app data>/datasets.
QString defaultDatasetsFolder();

// The spec to download `download` and install it in <datasetsFolder>/<key>. An empty
// datasetsFolder means defaultDatasetsFolder(). The size limit is 1.5 times the stated
// archive size, at least DownloadSpec's default.
DownloadSpec downloadSpecFor(const MovieLensDownload& download, const QString& datasetsFolder = {});

} // namespace towerlab
