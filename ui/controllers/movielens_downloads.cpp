#include "controllers/movielens_downloads.hpp"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <algorithm>

namespace towerlab {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("MovieLensDownloads", text);
}

// Sizes as GroupLens's dataset pages state them (rounded to whole megabytes).
constexpr qint64 kMB = 1000 * 1000;

const QString kGroupLens = QStringLiteral("https://files.grouplens.org/datasets/movielens/");

} // namespace

QList<MovieLensDownload> movieLensDownloads(const QString& baseUrl) {
    MovieLensDownload ml100k;
    ml100k.key = QStringLiteral("ml-100k");
    ml100k.name = QStringLiteral("MovieLens 100K");
    ml100k.archiveBytes = 5 * kMB;
    ml100k.contents = tr("100,000 ratings (1–5 stars) of 1,682 movies by 943 users, with the "
                         "users' age, gender, occupation and zip code; collected 1997–1998. "
                         "The dataset of the TensorFlow Recommenders tutorial.");
    ml100k.hasDemographics = true;
    ml100k.check = {DatasetFormat::MovieLens100k, kMovieLens100kCounts};

    MovieLensDownload ml1m;
    ml1m.key = QStringLiteral("ml-1m");
    ml1m.name = QStringLiteral("MovieLens 1M");
    ml1m.archiveBytes = 6 * kMB;
    ml1m.contents = tr("1,000,209 ratings (1–5 stars) of 3,706 movies (3,883 listed) by 6,040 "
                       "users who joined MovieLens in 2000, with age group, gender, occupation "
                       "and zip code. Ten times 100K: see what scale does.");
    ml1m.hasDemographics = true;
    ml1m.check = {DatasetFormat::MovieLens1m, kMovieLens1mCounts};

    MovieLensDownload small;
    small.key = QStringLiteral("ml-latest-small");
    small.name = QStringLiteral("MovieLens latest (small)");
    small.archiveBytes = 1 * kMB;
    small.contents = tr("About 100,000 ratings (half stars) of about 9,700 movies by about 600 "
                        "users, 1996–2018, in the CSV format of the current MovieLens "
                        "datasets. No demographics: users are ids only. A development dataset "
                        "that GroupLens may update.");
    small.hasDemographics = false;
    // No fixed counts: GroupLens regenerates "latest" datasets now and then.
    small.check = {DatasetFormat::MovieLensLatest, std::nullopt};

    // The large benchmark datasets: frozen, so their counts are checked; GroupLens's pages
    // state 190 MB and 250 MB.
    MovieLensDownload ml20m;
    ml20m.key = QStringLiteral("ml-20m");
    ml20m.name = QStringLiteral("MovieLens 20M");
    ml20m.archiveBytes = 190 * kMB;
    ml20m.contents =
        tr("20,000,263 ratings (half stars) of 26,744 movies (27,278 listed) by "
           "138,493 users, 1995–2015, in the latest CSV format. No demographics: "
           "users are ids only. A stable benchmark dataset; its ratings.csv is about 530 MB.");
    ml20m.hasDemographics = false;
    ml20m.check = {DatasetFormat::MovieLensLatest, kMovieLens20mCounts};

    MovieLensDownload ml25m;
    ml25m.key = QStringLiteral("ml-25m");
    ml25m.name = QStringLiteral("MovieLens 25M");
    ml25m.archiveBytes = 250 * kMB;
    ml25m.contents =
        tr("25,000,095 ratings (half stars) of 59,047 movies (62,423 listed) by "
           "162,541 users, 1995–2019, in the latest CSV format. No demographics: "
           "users are ids only. A stable benchmark dataset; its ratings.csv is about 680 MB.");
    ml25m.hasDemographics = false;
    ml25m.check = {DatasetFormat::MovieLensLatest, kMovieLens25mCounts};

    QList<MovieLensDownload> list{ml100k, ml1m, small, ml20m, ml25m};
    for (MovieLensDownload& d : list) {
        d.url = QUrl(baseUrl.isEmpty() ? kGroupLens + d.fileName()
                                       : baseUrl + QLatin1Char('/') + d.fileName());
        d.licenseResource = QStringLiteral(":/licenses/%1.html").arg(d.key);
    }
    return list;
}

const MovieLensDownload* findMovieLensDownload(const QList<MovieLensDownload>& list,
                                               const QString& key) {
    for (const MovieLensDownload& d : list) {
        if (d.key == key) {
            return &d;
        }
    }
    return nullptr;
}

QString movieLensLicenseHtml(const MovieLensDownload& download) {
    QFile file(download.licenseResource);
    if (!file.open(QIODevice::ReadOnly)) {
        return tr("<p>The license text of %1 is missing from this build of TowerLab. Read it "
                  "in the README inside the archive or at <a href='https://grouplens.org/"
                  "datasets/movielens/'>grouplens.org/datasets/movielens</a> before using the "
                  "data.</p>")
            .arg(download.name);
    }
    return QString::fromUtf8(file.readAll());
}

QString defaultDatasetsFolder() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("datasets"));
}

DownloadSpec downloadSpecFor(const MovieLensDownload& download, const QString& datasetsFolder) {
    DownloadSpec spec;
    spec.url = download.url;
    spec.targetFolder = QDir(datasetsFolder.isEmpty() ? defaultDatasetsFolder() : datasetsFolder)
                            .filePath(download.key);
    spec.check = download.check;
    // Room above the stated size (a rounded figure), and never below the default limit.
    spec.maxBytes = std::max(spec.maxBytes, download.archiveBytes * 3 / 2);
    return spec;
}

} // namespace towerlab
