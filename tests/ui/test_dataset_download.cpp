// Downloading MovieLens: against a local HTTP server on 127.0.0.1 serving a zip this test
// makes from invented fixture rows (nothing reaches the internet). A good archive is
// verified and installed; a missing page, a broken archive, wrong row counts and a cancel
// each leave no half-written dataset (and an earlier copy untouched). The install on its own
// is tested in tests/core/test_data_dataset_install.cpp.

#include "controllers/dataset_downloader.hpp"
#include "controllers/movielens_downloads.hpp"
#include "data/dataset_install.hpp"
#include "data/dataset_loader.hpp"
#include "ui_test_support.hpp"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QtTest>

using namespace towerlab;

namespace {

QByteArray fixtureFile(const char* name) {
    QFile f(QStringLiteral(TOWERLAB_FIXTURES "/ml100k/valid/") + QString::fromLatin1(name));
    if (!f.open(QIODevice::ReadOnly)) {
        qFatal("missing fixture %s", name);
    }
    return f.readAll();
}

// The fixture dataset as GroupLens lays out its archive: everything under "ml-100k/".
QByteArray fixtureZip() {
    QList<QPair<QString, QByteArray>> entries;
    for (const char* name : {"u.data", "u.item", "u.user", "u.genre"}) {
        entries.append({QStringLiteral("ml-100k/") + QString::fromLatin1(name), fixtureFile(name)});
    }
    entries.append({QStringLiteral("ml-100k/README"), QByteArray("invented test data\n")});
    return test::storedZip(entries);
}

ExpectedCounts fixtureCounts() {
    const Dataset d = loadDataset(TOWERLAB_FIXTURES "/ml100k/valid");
    return {d.users.size(), d.movies.size(), d.ratings.size()};
}

// Everything in the folder except what is expected, e.g. leftover temporary files.
QStringList entriesOf(const QString& folder) {
    return QDir(folder).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

} // namespace

class TestDatasetDownload : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    test::LocalHttpServer m_server;

    DownloadSpec spec(const QString& path, const QString& parent) {
        DownloadSpec s;
        s.url = QUrl(m_server.url(path));
        s.targetFolder = QDir(parent).filePath(QStringLiteral("ml-100k"));
        s.check = {DatasetFormat::MovieLens100k, fixtureCounts()};
        return s;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        test::isolateSettings(m_settings);
        QVERIFY(m_server.listen());
        const QByteArray zip = fixtureZip();
        m_server.setRoute(QStringLiteral("/ml-100k.zip"), {200, zip, 0, 0});
        m_server.setRoute(QStringLiteral("/slow.zip"),
                          {200, zip + QByteArray(400000, 'x'), 2048, 20});
        m_server.setRoute(QStringLiteral("/broken.zip"), {200, zip.left(zip.size() / 2), 0, 0});
        m_server.setRoute(QStringLiteral("/huge.zip"), {200, QByteArray(300000, 'z'), 0, 0});
    }

    void downloadsVerifiesAndInstalls() {
        QTemporaryDir parent;
        DatasetDownloader downloader;
        QSignalSpy finished(&downloader, &DatasetDownloader::finished);
        QSignalSpy failed(&downloader, &DatasetDownloader::failed);
        QSignalSpy progress(&downloader, &DatasetDownloader::progress);
        const DownloadSpec s = spec(QStringLiteral("/ml-100k.zip"), parent.path());
        QVERIFY(downloader.start(s));
        QVERIFY(!downloader.start(s)); // one at a time
        QTRY_COMPARE_WITH_TIMEOUT(finished.count() + failed.count(), 1, 10000);
        QVERIFY2(failed.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(finished.at(0).at(0).toString(), s.targetFolder);
        QCOMPARE(finished.at(0).at(1).toString(), QStringLiteral("MovieLens 100K"));
        QVERIFY(!progress.isEmpty());
        QCOMPARE(downloader.stage(), DatasetDownloader::Stage::Idle);
        // Installed files read back as the fixture; nothing else is left beside them.
        const Dataset installed = loadDataset(s.targetFolder.toStdString());
        QCOMPARE(installed.fingerprint(),
                 loadDataset(TOWERLAB_FIXTURES "/ml100k/valid").fingerprint());
        QVERIFY(QFile::exists(s.targetFolder + QStringLiteral("/README")));
        QCOMPARE(entriesOf(parent.path()), QStringList{QStringLiteral("ml-100k")});
    }

    void failuresLeaveNothingBehind_data() {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("wrongCounts");
        QTest::addColumn<QString>("expected");
        QTest::newRow("404") << "/missing.zip" << false << "404";
        QTest::newRow("truncated zip") << "/broken.zip" << false << "could not be installed";
        QTest::newRow("wrong counts") << "/ml-100k.zip" << true << "expected 943 users";
        QTest::newRow("too large") << "/huge.zip" << false << "The server sent more than";
    }
    void failuresLeaveNothingBehind() {
        QFETCH(QString, path);
        QFETCH(bool, wrongCounts);
        QFETCH(QString, expected);
        QTemporaryDir parent;
        // An earlier, good copy must survive a failed download.
        DownloadSpec s = spec(QStringLiteral("/ml-100k.zip"), parent.path());
        installDataset(TOWERLAB_FIXTURES "/ml100k/valid", s.targetFolder.toStdString(), {});
        const std::string before = loadDataset(s.targetFolder.toStdString()).fingerprint();

        s.url = QUrl(m_server.url(path));
        if (wrongCounts) {
            s.check.counts = kMovieLens100kCounts;
        }
        if (path == QLatin1String("/huge.zip")) {
            s.maxBytes = 100000;
        }
        DatasetDownloader downloader;
        QSignalSpy finished(&downloader, &DatasetDownloader::finished);
        QSignalSpy failed(&downloader, &DatasetDownloader::failed);
        QVERIFY(downloader.start(s));
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QCOMPARE(finished.count(), 0);
        const QString message = failed.at(0).at(0).toString();
        QVERIFY2(message.contains(expected), qPrintable(message));
        QCOMPARE(entriesOf(parent.path()), QStringList{QStringLiteral("ml-100k")});
        QCOMPARE(loadDataset(s.targetFolder.toStdString()).fingerprint(), before);
    }

    void cancelHalfway() {
        QTemporaryDir parent;
        DatasetDownloader downloader;
        QSignalSpy cancelled(&downloader, &DatasetDownloader::cancelled);
        QSignalSpy finished(&downloader, &DatasetDownloader::finished);
        QSignalSpy progress(&downloader, &DatasetDownloader::progress);
        QVERIFY(downloader.start(spec(QStringLiteral("/slow.zip"), parent.path())));
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(0).toLongLong() > 0,
                                 10000);
        const qint64 total = progress.last().at(1).toLongLong();
        QVERIFY(progress.last().at(0).toLongLong() < total);
        downloader.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.count(), 1, 5000);
        QCOMPARE(finished.count(), 0);
        QCOMPARE(downloader.stage(), DatasetDownloader::Stage::Idle);
        QCOMPARE(entriesOf(parent.path()), QStringList{});
    }

    void theRealSourceIsGroupLens() {
        const QList<MovieLensDownload> downloads = movieLensDownloads();
        const MovieLensDownload* ml100k =
            findMovieLensDownload(downloads, QStringLiteral("ml-100k"));
        QVERIFY(ml100k != nullptr);
        const DownloadSpec s = downloadSpecFor(*ml100k);
        QCOMPARE(s.url.toString(),
                 QStringLiteral("https://files.grouplens.org/datasets/movielens/ml-100k.zip"));
        QVERIFY(s.check.counts.has_value());
        QCOMPARE(s.check.counts->ratings, std::size_t{100000});
        QCOMPARE(s.check.format, std::optional{DatasetFormat::MovieLens100k});
        QVERIFY(s.targetFolder.endsWith(QStringLiteral("datasets/ml-100k")));
    }
};

QTEST_GUILESS_MAIN(TestDatasetDownload)
#include "test_dataset_download.moc"
