// Downloading MovieLens 100K, 1M and latest-small from the GUI, against a local HTTP server on
// 127.0.0.1 that serves zips this test makes from the invented fixture rows of
// tests/fixtures (nothing reaches the internet, no real MovieLens row is used). Choosing a
// dataset shows its own license; declining downloads nothing; accepting downloads, verifies,
// installs and opens it; an archive of the wrong format (a 100K zip offered as 1M) is refused
// with a message and nothing is installed. Opening a folder or zip the user already has works
// for all three formats, and the Train form and Data tab say which features each allows.
// With TOWERLAB_SCREENSHOT_DIR set, the download dialog, its menu and the Data tab on a
// latest-format dataset are written there as PNGs.

#include "controllers/dataset_controller.hpp"
#include "controllers/dataset_downloader.hpp"
#include "controllers/movielens_downloads.hpp"
#include "data/dataset_install.hpp"
#include "data/dataset_loader.hpp"
#include "main_window.hpp"
#include "ui_test_support.hpp"
#include "views/data_view.hpp"
#include "views/license_dialog.hpp"
#include "views/train_form.hpp"
#include "views/train_view.hpp"

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTimer>
#include <QToolButton>
#include <QtTest>

#include <atomic>
#include <functional>
#include <memory>

using namespace towerlab;

namespace {

QByteArray fixtureFile(const QString& folder, const QString& name) {
    QFile f(QStringLiteral(TOWERLAB_FIXTURES "/") + folder + QLatin1Char('/') + name);
    if (!f.open(QIODevice::ReadOnly)) {
        qFatal("missing fixture %s/%s", qPrintable(folder), qPrintable(name));
    }
    return f.readAll();
}

// A fixture dataset laid out as GroupLens's archive: everything under "<top>/", with the
// documentation files GroupLens adds (invented text here).
QByteArray fixtureZip(const QString& fixture, const QString& top, const QStringList& files,
                      const QList<QPair<QString, QByteArray>>& extras) {
    QList<QPair<QString, QByteArray>> entries;
    for (const QString& name : files) {
        entries.append({top + QLatin1Char('/') + name, fixtureFile(fixture, name)});
    }
    for (const auto& [name, bytes] : extras) {
        entries.append({top + QLatin1Char('/') + name, bytes});
    }
    return test::storedZip(entries);
}

QByteArray ml100kZip() {
    return fixtureZip(QStringLiteral("ml100k/valid"), QStringLiteral("ml-100k"),
                      {QStringLiteral("u.data"), QStringLiteral("u.item"), QStringLiteral("u.user"),
                       QStringLiteral("u.genre")},
                      {{QStringLiteral("README"), "invented test data\n"}});
}

QByteArray ml1mZip() {
    return fixtureZip(
        QStringLiteral("ml1m/valid"), QStringLiteral("ml-1m"),
        {QStringLiteral("ratings.dat"), QStringLiteral("movies.dat"), QStringLiteral("users.dat")},
        {{QStringLiteral("README"), "invented test data\n"}});
}

QByteArray latestZip() {
    return fixtureZip(QStringLiteral("ml-latest/valid"), QStringLiteral("ml-latest-small"),
                      {QStringLiteral("ratings.csv"), QStringLiteral("movies.csv")},
                      {{QStringLiteral("README.txt"), "invented test data\n"},
                       {QStringLiteral("links.csv"), "movieId,imdbId,tmdbId\n1,0000001,1\n"}});
}

QString fixtureFolder(const QString& key) {
    if (key == QLatin1String("ml-100k")) {
        return QStringLiteral(TOWERLAB_FIXTURES "/ml100k/valid");
    }
    if (key == QLatin1String("ml-1m")) {
        return QStringLiteral(TOWERLAB_FIXTURES "/ml1m/valid");
    }
    return QStringLiteral(TOWERLAB_FIXTURES "/ml-latest/valid");
}

ExpectedCounts countsOf(const QString& folder) {
    const Dataset d = loadDataset(folder.toStdString());
    return {d.users.size(), d.movies.size(), d.ratings.size()};
}

QStringList entriesOf(const QString& folder) {
    return QDir(folder).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
}

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class TestDatasetDownloadFormats : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    test::LocalHttpServer m_server;
    std::unique_ptr<QTemporaryDir> m_installs;
    std::unique_ptr<MainWindow> m_window;

    // The real table with the local server as the source and the fixtures' sizes in place of
    // GroupLens's counts (the format checks stay as they are).
    QList<MovieLensDownload> testDownloads() const {
        QList<MovieLensDownload> list = movieLensDownloads(m_server.url(QString()));
        for (MovieLensDownload& d : list) {
            if (d.check.counts) {
                d.check.counts = countsOf(fixtureFolder(d.key));
            }
        }
        return list;
    }

    template <typename T> T* child(const char* name) const {
        T* w = m_window->findChild<T*>(QString::fromLatin1(name));
        if (w == nullptr) {
            qFatal("no child named %s", name);
        }
        return w;
    }

    // Triggers `action`, which opens the modal license dialog; `answer` inspects it and
    // closes it (accept or decline). Returns whether the dialog appeared.
    bool throughLicenseDialog(QAction* action, const std::function<void(LicenseDialog*)>& answer) {
        bool seen = false;
        QTimer poll;
        poll.setInterval(20);
        connect(&poll, &QTimer::timeout, this, [&] {
            auto* dialog = qobject_cast<LicenseDialog*>(QApplication::activeModalWidget());
            if (dialog == nullptr) {
                return;
            }
            poll.stop();
            seen = true;
            answer(dialog);
            if (dialog->isVisible()) {
                dialog->reject(); // whatever `answer` checked, never hang in exec()
            }
        });
        poll.start();
        action->trigger(); // returns once the dialog is closed
        poll.stop();
        return seen;
    }

    static void acceptAndDownload(LicenseDialog* dialog) {
        auto* accept = dialog->findChild<QCheckBox*>(QStringLiteral("acceptLicense"));
        auto* download = dialog->findChild<QPushButton*>(QStringLiteral("downloadButton"));
        QVERIFY(accept != nullptr && download != nullptr);
        QVERIFY(!download->isEnabled()); // not before the license is accepted
        accept->setChecked(true);
        QVERIFY(download->isEnabled());
        QTest::mouseClick(download, Qt::LeftButton);
    }

    QAction* downloadAction(const QString& key) const {
        auto* action = m_window->findChild<QAction*>(QStringLiteral("download_") + key);
        if (action == nullptr) {
            qFatal("no download action for %s", qPrintable(key));
        }
        return action;
    }

    static void saveShot(const QImage& image, const QString& name) {
        const QByteArray dir = qgetenv("TOWERLAB_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QDir().mkpath(QString::fromLocal8Bit(dir));
            QVERIFY(image.save(QDir(QString::fromLocal8Bit(dir)).filePath(name + ".png")));
        }
    }

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        test::isolateSettings(m_settings);
        QVERIFY(m_server.listen());
    }

    void init() {
        m_server.setRoute(QStringLiteral("/ml-100k.zip"), {200, ml100kZip(), 0, 0});
        m_server.setRoute(QStringLiteral("/ml-1m.zip"), {200, ml1mZip(), 0, 0});
        m_server.setRoute(QStringLiteral("/ml-latest-small.zip"), {200, latestZip(), 0, 0});
        m_installs = std::make_unique<QTemporaryDir>();
        QVERIFY(m_installs->isValid());
        MainWindowOptions options;
        options.downloads = testDownloads();
        options.datasetsFolder = m_installs->path();
        m_window = std::make_unique<MainWindow>(options);
        m_window->resize(1280, 800);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_VERIFY_WITH_TIMEOUT(m_window->datasets()->dataset() != nullptr, 10000);
    }

    void cleanup() {
        m_window.reset();
        m_installs.reset();
    }

    void theTableNamesGroupLensAndEachLicense() {
        const QList<MovieLensDownload> real = movieLensDownloads();
        QCOMPARE(real.size(), 5);
        const QStringList keys{QStringLiteral("ml-100k"), QStringLiteral("ml-1m"),
                               QStringLiteral("ml-latest-small"), QStringLiteral("ml-20m"),
                               QStringLiteral("ml-25m")};
        for (int i = 0; i < real.size(); ++i) {
            const MovieLensDownload& d = real[i];
            QCOMPARE(d.key, keys[i]);
            QCOMPARE(d.url.toString(),
                     QStringLiteral("https://files.grouplens.org/datasets/movielens/") + keys[i] +
                         QStringLiteral(".zip"));
            QVERIFY(d.archiveBytes > 0 && d.archiveBytes < 300LL * 1000 * 1000);
            // The download limit leaves room above the stated size.
            QVERIFY(downloadSpecFor(d).maxBytes >= d.archiveBytes * 3 / 2);
            QVERIFY(d.check.format.has_value());
            // Each license comes from its own resource, which exists in this build.
            QVERIFY2(QFile::exists(d.licenseResource), qPrintable(d.licenseResource));
            const QString license = movieLensLicenseHtml(d);
            QVERIFY(license.contains(d.name));
            QVERIFY(license.contains(QStringLiteral("commercial")));
            QVERIFY(license.contains(QStringLiteral("Harper")));
            QVERIFY(license.contains(QStringLiteral("endorsement")));
        }
        QCOMPARE(real[0].check.format, std::optional{DatasetFormat::MovieLens100k});
        QCOMPARE(real[1].check.format, std::optional{DatasetFormat::MovieLens1m});
        QCOMPARE(real[1].check.counts->ratings, std::size_t{1000209});
        QCOMPARE(real[2].check.format, std::optional{DatasetFormat::MovieLensLatest});
        QVERIFY(!real[2].check.counts.has_value());
        QVERIFY(real[1].hasDemographics);
        QVERIFY(!real[2].hasDemographics);
        // 20M and 25M: frozen benchmark datasets in the latest format, so their counts are
        // checked; no demographics; 190 and 250 MB as GroupLens states them.
        for (int i : {3, 4}) {
            QCOMPARE(real[i].check.format, std::optional{DatasetFormat::MovieLensLatest});
            QVERIFY(real[i].check.counts.has_value());
            QVERIFY(!real[i].hasDemographics);
            QVERIFY(movieLensLicenseHtml(real[i]).contains(QStringLiteral("not redistribute")));
            QVERIFY(movieLensLicenseHtml(real[i]).contains(QStringLiteral("benchmark")));
        }
        QCOMPARE(real[3].name, QStringLiteral("MovieLens 20M"));
        QCOMPARE(real[3].check.counts->ratings, std::size_t{20000263});
        QCOMPARE(real[3].archiveBytes, 190LL * 1000 * 1000);
        QCOMPARE(real[4].name, QStringLiteral("MovieLens 25M"));
        QCOMPARE(real[4].check.counts->users, std::size_t{162541});
        QCOMPARE(real[4].check.counts->movies, std::size_t{62423});
        QCOMPARE(real[4].check.counts->ratings, std::size_t{25000095});
        QCOMPARE(real[4].archiveBytes, 250LL * 1000 * 1000);
        // 100K and 1M forbid redistribution; latest-small allows it under the same license.
        QVERIFY(movieLensLicenseHtml(real[0]).contains(QStringLiteral("not redistribute")));
        QVERIFY(movieLensLicenseHtml(real[1]).contains(QStringLiteral("not redistribute")));
        QVERIFY(movieLensLicenseHtml(real[2]).contains(QStringLiteral("same\nlicense")) ||
                movieLensLicenseHtml(real[2]).contains(QStringLiteral("same license")));
        QVERIFY(movieLensLicenseHtml(real[2]).contains(QStringLiteral("development")));
    }

    void menuAndDataTabOfferAllFive() {
        auto* menu = child<QMenu>("downloadMenu");
        QStringList names;
        for (QAction* a : menu->actions()) {
            names << a->objectName();
        }
        QCOMPARE(names, (QStringList{
                            QStringLiteral("download_ml-100k"), QStringLiteral("download_ml-1m"),
                            QStringLiteral("download_ml-latest-small"),
                            QStringLiteral("download_ml-20m"), QStringLiteral("download_ml-25m")}));
        QVERIFY(downloadAction(QStringLiteral("ml-1m"))->text().contains(QStringLiteral("6 MB")));
        // The Data tab's button opens the chooser and has the same list behind its arrow.
        QToolButton* button = nullptr;
        for (auto* b : m_window->dataView()->findChildren<QToolButton*>()) {
            if (b->defaultAction() != nullptr && b->defaultAction()->menu() == menu) {
                button = b;
            }
        }
        QVERIFY(button != nullptr);
        QCOMPARE(button->popupMode(), QToolButton::MenuButtonPopup);
        QVERIFY(button->text().contains(QStringLiteral("MovieLens")));
    }

    void helpShowsEveryLicenseWithoutDownloading() {
        QAction* help = nullptr;
        for (QAction* a : m_window->findChildren<QAction*>()) {
            if (a->text() == QLatin1String("MovieLens &licenses")) {
                help = a;
            }
        }
        QVERIFY(help != nullptr);
        const int requests = m_server.requests();
        QVERIFY(throughLicenseDialog(help, [](LicenseDialog* dialog) {
            QVERIFY(dialog->findChild<QCheckBox*>(QStringLiteral("acceptLicense")) == nullptr);
            QVERIFY(dialog->findChild<QPushButton*>(QStringLiteral("downloadButton")) == nullptr);
            auto* list = dialog->findChild<QListWidget*>(QStringLiteral("datasetChoice"));
            QCOMPARE(list->count(), 5);
            QStringList titles;
            for (int row = 0; row < list->count(); ++row) {
                list->setCurrentRow(row);
                QVERIFY(dialog->licenseHtml().contains(QStringLiteral("usage license")));
                titles << dialog->selectedKey();
            }
            QCOMPARE(titles, (QStringList{QStringLiteral("ml-100k"), QStringLiteral("ml-1m"),
                                          QStringLiteral("ml-latest-small"),
                                          QStringLiteral("ml-20m"), QStringLiteral("ml-25m")}));
            dialog->reject();
        }));
        QCOMPARE(m_server.requests(), requests);
        QCOMPARE(m_window->downloader()->stage(), DatasetDownloader::Stage::Idle);
    }

    void choosingADatasetShowsItsLicense_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("licenseTerm");
        QTest::addColumn<QString>("size");
        QTest::addColumn<bool>("demographics");
        QTest::newRow("100K") << "ml-100k"
                              << "not redistribute"
                              << "5 MB" << true;
        QTest::newRow("1M") << "ml-1m"
                            << "not redistribute"
                            << "6 MB" << true;
        QTest::newRow("latest-small") << "ml-latest-small"
                                      << "development"
                                      << "1 MB" << false;
        QTest::newRow("20M") << "ml-20m"
                             << "not redistribute"
                             << "190 MB" << false;
        QTest::newRow("25M") << "ml-25m"
                             << "not redistribute"
                             << "250 MB" << false;
    }
    void choosingADatasetShowsItsLicense() {
        QFETCH(QString, key);
        QFETCH(QString, licenseTerm);
        QFETCH(QString, size);
        QFETCH(bool, demographics);
        const int requests = m_server.requests();
        QSignalSpy changed(m_window->datasets(), &DatasetController::datasetChanged);
        const bool seen = throughLicenseDialog(downloadAction(key), [&](LicenseDialog* dialog) {
            QCOMPARE(dialog->selectedKey(), key);
            const QString license = dialog->licenseHtml();
            QVERIFY2(license.contains(licenseTerm), qPrintable(license));
            QVERIFY(license.contains(QStringLiteral("commercial")));
            QVERIFY(license.contains(QStringLiteral("Harper")));
            const QString details = dialog->detailsText();
            QVERIFY2(details.contains(key + QStringLiteral(".zip")), qPrintable(details));
            QVERIFY2(details.contains(size), qPrintable(details));
            QVERIFY(details.contains(m_server.url(QStringLiteral("/")) + key));
            // What the dataset allows, before anything is downloaded.
            QCOMPARE(details.contains(QStringLiteral("Not available")), !demographics);
            QCOMPARE(details.contains(QStringLiteral("user tower — Age group")), demographics);
            QVERIFY(details.contains(QStringLiteral("User id")));
            // Accepting one license does not carry over to another dataset.
            auto* accept = dialog->findChild<QCheckBox*>(QStringLiteral("acceptLicense"));
            accept->setChecked(true);
            auto* list = dialog->findChild<QListWidget*>(QStringLiteral("datasetChoice"));
            list->setCurrentRow((list->currentRow() + 1) % list->count());
            QVERIFY(!accept->isChecked());
            QVERIFY(
                !dialog->findChild<QPushButton*>(QStringLiteral("downloadButton"))->isEnabled());
            QVERIFY(!dialog->licenseHtml().isEmpty());
            // Declining downloads nothing.
            dialog->reject();
        });
        QVERIFY(seen);
        QTest::qWait(200);
        QCOMPARE(m_server.requests(), requests);
        QCOMPARE(m_window->downloader()->stage(), DatasetDownloader::Stage::Idle);
        QCOMPARE(entriesOf(m_installs->path()), QStringList{});
        QCOMPARE(changed.count(), 0);
    }

    void acceptingDownloadsInstallsAndOpens_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("readme");
        QTest::newRow("100K") << "ml-100k"
                              << "MovieLens 100K"
                              << "README";
        QTest::newRow("1M") << "ml-1m"
                            << "MovieLens 1M"
                            << "README";
        QTest::newRow("latest-small") << "ml-latest-small"
                                      << "MovieLens latest (small)"
                                      << "README.txt";
    }
    void acceptingDownloadsInstallsAndOpens() {
        QFETCH(QString, key);
        QFETCH(QString, name);
        QFETCH(QString, readme);
        const int requests = m_server.requests();
        QSignalSpy changed(m_window->datasets(), &DatasetController::datasetChanged);
        QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
        QVERIFY(throughLicenseDialog(downloadAction(key), acceptAndDownload));
        QTRY_VERIFY_WITH_TIMEOUT(changed.count() > 0 || !errors.isEmpty(), 15000);
        QVERIFY2(errors.isEmpty(),
                 errors.isEmpty() ? "" : qPrintable(errors.at(0).at(1).toString()));
        QCOMPARE(m_server.requests(), requests + 1);
        const auto dataset = m_window->datasets()->dataset();
        QCOMPARE(QString::fromStdString(dataset->name), name);
        const QString target = QDir(m_installs->path()).filePath(key);
        QCOMPARE(m_window->datasets()->path(), target);
        // Installed: the fixture's data, its README, nothing else left beside it.
        QCOMPARE(dataset->fingerprint(),
                 loadDataset(fixtureFolder(key).toStdString()).fingerprint());
        QVERIFY(QFile::exists(QDir(target).filePath(readme)));
        QVERIFY(!QFile::exists(QDir(target).filePath(QStringLiteral("links.csv"))));
        QCOMPARE(entriesOf(m_installs->path()), QStringList{key});
        QVERIFY(child<QLabel>("datasetStatus")->text().contains(name));

        // The Train form and the Data tab offer what this dataset allows.
        auto* age = child<QCheckBox>("feature_age");
        auto* features = child<QLabel>("datasetFeatures");
        // Features added through the core's feature table get their box too: every format has
        // release years; only 100K and 1M have the zip codes of the region.
        QVERIFY(child<QCheckBox>("feature_release_year")->isEnabled());
        auto* zip = child<QCheckBox>("feature_zip_region");
        QCOMPARE(zip->isEnabled(), dataset->hasDemographics);
        if (!dataset->hasDemographics) {
            QVERIFY2(zip->toolTip().contains(QStringLiteral("has no US zip codes")),
                     qPrintable(zip->toolTip()));
            QVERIFY(features->text().contains(QStringLiteral("Zip region")));
        }
        if (dataset->hasDemographics) {
            QVERIFY(age->isEnabled());
            QVERIFY(!features->text().contains(QStringLiteral("Not available")));
        } else {
            for (const char* f : {"feature_age", "feature_occupation", "feature_gender"}) {
                auto* box = child<QCheckBox>(f);
                QVERIFY(!box->isEnabled());
                QVERIFY(!box->isChecked());
                QVERIFY2(box->toolTip().contains(QStringLiteral("no user demographics")),
                         qPrintable(box->toolTip()));
            }
            QVERIFY(child<QCheckBox>("feature_user_id")->isEnabled());
            QVERIFY(features->text().contains(QStringLiteral("Not available")));
            QVERIFY(features->text().contains(QStringLiteral("no user demographics")));
            // What is left of the form's choice still trains: the time features remain.
            const auto values = m_window->trainView()->form()->values();
            QVERIFY(values.has_value());
            QVERIFY(values->model.features.anyUserFeature());
            QVERIFY(!values->model.features.has(FeatureId::Age) &&
                    !values->model.features.has(FeatureId::Gender));
        }

        // Asking again offers the installed copy instead of downloading it again.
        bool asked = false;
        QTimer poll;
        connect(&poll, &QTimer::timeout, this, [&] {
            auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
            if (box != nullptr && box->objectName() == QLatin1String("alreadyInstalled")) {
                asked = true;
                box->reject();
            }
        });
        poll.start(20);
        QVERIFY(throughLicenseDialog(downloadAction(key), acceptAndDownload));
        poll.stop();
        QVERIFY(asked);
        QCOMPARE(m_server.requests(), requests + 1);
    }

    void aWrongArchiveIsRefused_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("served"); // which archive the server hands out instead
        QTest::addColumn<QString>("holds");
        QTest::addColumn<QString>("expected");
        QTest::newRow("100K offered as 1M") << "ml-1m"
                                            << "ml-100k"
                                            << "MovieLens 100K"
                                            << "MovieLens 1M";
        QTest::newRow("1M offered as latest-small") << "ml-latest-small"
                                                    << "ml-1m"
                                                    << "MovieLens 1M"
                                                    << "MovieLens latest";
        QTest::newRow("latest offered as 100K") << "ml-100k"
                                                << "ml-latest-small"
                                                << "MovieLens latest"
                                                << "MovieLens 100K";
    }
    void aWrongArchiveIsRefused() {
        QFETCH(QString, key);
        QFETCH(QString, served);
        QFETCH(QString, holds);
        QFETCH(QString, expected);
        const QByteArray wrong = served == QLatin1String("ml-100k") ? ml100kZip()
                                 : served == QLatin1String("ml-1m") ? ml1mZip()
                                                                    : latestZip();
        m_server.setRoute(QLatin1Char('/') + key + QStringLiteral(".zip"), {200, wrong, 0, 0});
        QSignalSpy changed(m_window->datasets(), &DatasetController::datasetChanged);
        QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
        QVERIFY(throughLicenseDialog(downloadAction(key), acceptAndDownload));
        QTRY_COMPARE_WITH_TIMEOUT(errors.count(), 1, 15000);
        const QString message = errors.at(0).at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("holds ") + holds), qPrintable(message));
        QVERIFY2(message.contains(QStringLiteral("not the expected ") + expected),
                 qPrintable(message));
        QVERIFY2(message.contains(key + QStringLiteral(".zip")), qPrintable(message));
        QCOMPARE(entriesOf(m_installs->path()), QStringList{});
        QCOMPARE(changed.count(), 0);
        QCOMPARE(QString::fromStdString(m_window->datasets()->dataset()->name),
                 QStringLiteral("TowerLab demo"));
    }

    void opensFoldersAndZipsOfEveryFormat_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("zip");
        QTest::addColumn<QString>("name");
        for (const bool zip : {false, true}) {
            const char* how = zip ? "zip" : "folder";
            QTest::addRow("100K %s", how) << "ml-100k" << zip << "MovieLens 100K";
            QTest::addRow("1M %s", how) << "ml-1m" << zip << "MovieLens 1M";
            // A folder keeps the fixture's name; the zip is called as GroupLens names it.
            QTest::addRow("latest %s", how)
                << "ml-latest-small" << zip
                << (zip ? "MovieLens latest (small)" : "MovieLens latest format (valid)");
        }
    }
    void opensFoldersAndZipsOfEveryFormat() {
        QFETCH(QString, key);
        QFETCH(bool, zip);
        QFETCH(QString, name);
        QString path = fixtureFolder(key);
        if (zip) {
            path = QDir(m_installs->path()).filePath(key + QStringLiteral(".zip"));
            const QByteArray bytes = key == QLatin1String("ml-100k") ? ml100kZip()
                                     : key == QLatin1String("ml-1m") ? ml1mZip()
                                                                     : latestZip();
            QVERIFY(writeFile(path, bytes));
        }
        QSignalSpy changed(m_window->datasets(), &DatasetController::datasetChanged);
        QSignalSpy errors(m_window.get(), &MainWindow::errorShown);
        m_window->openDataset(path);
        QTRY_VERIFY_WITH_TIMEOUT(changed.count() > 0 || !errors.isEmpty(), 10000);
        QVERIFY2(errors.isEmpty(),
                 errors.isEmpty() ? "" : qPrintable(errors.at(0).at(1).toString()));
        QCOMPARE(QString::fromStdString(m_window->datasets()->dataset()->name), name);
        QCOMPARE(m_window->datasets()->dataset()->fingerprint(),
                 loadDataset(fixtureFolder(key).toStdString()).fingerprint());
        QCOMPARE(child<QCheckBox>("feature_age")->isEnabled(),
                 m_window->datasets()->dataset()->hasDemographics);
    }

    // The install stops at a cancel before the final rename and leaves an earlier copy as
    // it was (the downloader sets the flag when the user cancels while it unpacks).
    void cancelDuringInstallLeavesNothing() {
        QTemporaryDir parent;
        const QString zip = parent.filePath(QStringLiteral("ml-1m.zip"));
        QVERIFY(writeFile(zip, ml1mZip()));
        const QString target = parent.filePath(QStringLiteral("datasets/ml-1m"));
        const std::atomic<bool> cancel{true};
        QVERIFY_THROWS_EXCEPTION(
            InstallCancelled, installDataset(zip.toStdString(), target.toStdString(),
                                             {DatasetFormat::MovieLens1m, std::nullopt}, &cancel));
        QCOMPARE(entriesOf(parent.filePath(QStringLiteral("datasets"))), QStringList{});
        const std::atomic<bool> go{false};
        QCOMPARE(installDataset(zip.toStdString(), target.toStdString(),
                                {DatasetFormat::MovieLens1m, std::nullopt}, &go),
                 std::string("MovieLens 1M"));
        const std::string before = loadDataset(target.toStdString()).fingerprint();
        const QString other = parent.filePath(QStringLiteral("ml-100k.zip"));
        QVERIFY(writeFile(other, ml100kZip()));
        QVERIFY_THROWS_EXCEPTION(InstallError,
                                 installDataset(other.toStdString(), target.toStdString(),
                                                {DatasetFormat::MovieLens1m, std::nullopt}));
        QCOMPARE(loadDataset(target.toStdString()).fingerprint(), before);
        QCOMPARE(entriesOf(parent.filePath(QStringLiteral("datasets"))),
                 QStringList{QStringLiteral("ml-1m")});
    }

    void screenshots() {
        // The download dialog for each dataset (alone, and for latest-small over the 1280x800
        // window as the user sees it), the File menu's list, and the Data tab after the
        // latest-format fixture is loaded, at 1280x800.
        m_window->tabs()->setCurrentIndex(MainWindow::DataTab);
        QCoreApplication::processEvents();
        const QImage windowShot = m_window->grab().toImage();
        for (const QString& key : {QStringLiteral("ml-100k"), QStringLiteral("ml-1m"),
                                   QStringLiteral("ml-latest-small")}) {
            QImage dialogShot;
            QVERIFY(throughLicenseDialog(downloadAction(key), [&](LicenseDialog* dialog) {
                QCoreApplication::processEvents();
                dialogShot = dialog->grab().toImage();
                dialog->reject();
            }));
            QVERIFY(!dialogShot.isNull());
            QVERIFY(dialogShot.width() >= 700 && dialogShot.width() < 1280);
            saveShot(dialogShot, QStringLiteral("download-dialog-") + key);
        }
        // For the documentation: the dialog as a user sees it, with GroupLens's address and a
        // usual install folder, over the window.
        LicenseDialog real(movieLensDownloads(), QStringLiteral("ml-latest-small"),
                           LicenseDialog::Purpose::Download,
                           QStringLiteral("/home/you/.local/share/TowerLab/TowerLab/datasets"));
        real.show();
        QVERIFY(QTest::qWaitForWindowExposed(&real));
        const QImage dialogShot = real.grab().toImage();
        real.hide();
        QVERIFY(dialogShot.width() < windowShot.width() &&
                dialogShot.height() < windowShot.height());
        QImage composite = windowShot.convertToFormat(QImage::Format_RGB32);
        QPainter painter(&composite);
        painter.fillRect(composite.rect(), QColor(0, 0, 0, 90)); // the modal shade
        const QPoint at((composite.width() - dialogShot.width()) / 2,
                        (composite.height() - dialogShot.height()) / 2);
        painter.setPen(Qt::darkGray);
        painter.drawRect(QRect(at, dialogShot.size()).adjusted(-1, -1, 0, 0));
        painter.drawImage(at, dialogShot);
        painter.end();
        saveShot(composite, QStringLiteral("download"));

        auto* menu = child<QMenu>("downloadMenu");
        menu->popup(m_window->mapToGlobal(QPoint(40, 40)));
        QTRY_VERIFY(menu->isVisible());
        const QImage menuShot = menu->grab().toImage();
        menu->hide();
        QVERIFY(menuShot.width() > 100);
        saveShot(menuShot, QStringLiteral("download-menu"));

        QSignalSpy changed(m_window->datasets(), &DatasetController::datasetChanged);
        const QString zip =
            QDir(m_installs->path()).filePath(QStringLiteral("ml-latest-small.zip"));
        QVERIFY(writeFile(zip, latestZip()));
        m_window->openDataset(zip);
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 1, 10000);
        m_window->tabs()->setCurrentIndex(MainWindow::DataTab);
        QCoreApplication::processEvents();
        const QImage dataShot = m_window->grab().toImage();
        // Every tab's minimum size decides whether the window can be this small.
        QVERIFY2(dataShot.size() == QSize(1280, 800),
                 qPrintable(QStringLiteral("the window is %1x%2; its minimum size is %3x%4")
                                .arg(dataShot.width())
                                .arg(dataShot.height())
                                .arg(m_window->minimumSizeHint().width())
                                .arg(m_window->minimumSizeHint().height())));
        saveShot(dataShot, QStringLiteral("data-latest"));
    }
};

QTEST_MAIN(TestDatasetDownloadFormats)
#include "test_dataset_download_formats.moc"
