// The Train form's feature check boxes: one per feature of the core's table, what the dataset
// cannot feed disabled with the reason, the fallback user features, and settings.

#include "views/feature_choice.hpp"

#include "features/feature_table.hpp"

#include <QCheckBox>
#include <QGroupBox>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace towerlab;

namespace {

QCheckBox* boxOf(const FeatureChoice& choice, std::string_view name) {
    return choice.findChild<QCheckBox*>(QStringLiteral("feature_") +
                                        QString::fromUtf8(name.data(), qsizetype(name.size())));
}

// A dataset without demographics or zip codes (as MovieLens latest), with release years.
Dataset idsOnly() {
    Dataset d;
    d.name = "ids only";
    d.hasDemographics = false;
    User u;
    u.id = 1;
    Movie m;
    m.id = 1;
    m.title = "A (1995)";
    m.year = 1995;
    d.users = {u};
    d.movies = {m};
    d.ratings = {{0, 0, 4.0f, 880000000}};
    return d;
}

} // namespace

class TestFeatureChoice : public QObject {
    Q_OBJECT

private slots:
    void oneBoxPerFeatureInItsTowersBox() {
        FeatureChoice choice;
        for (const FeatureDescriptor& f : kFeatureTable) {
            QCheckBox* box = boxOf(choice, f.name);
            QVERIFY2(box != nullptr, f.name.data());
            QVERIFY(choice.towerBox(f.tower)->isAncestorOf(box));
            QCOMPARE(box->text(), QString::fromUtf8(f.label.data()));
        }
    }

    void setAndReadFeatures() {
        FeatureChoice choice;
        QSignalSpy toggled(&choice, &FeatureChoice::toggled);
        FeatureSet wanted;
        wanted.set(FeatureId::ZipRegion);
        wanted.set(FeatureId::TitleText, false);
        choice.setFeatures(wanted);
        QCOMPARE(choice.features(), wanted);
        QCOMPARE(toggled.count(), 0); // programmatic: no signal
        boxOf(choice, "genres")->click();
        QCOMPARE(toggled.count(), 1);
        QVERIFY(choice.features().has(FeatureId::Genres));
    }

    void unavailableFeaturesSayWhyAndUserDefaultsTakeOver() {
        FeatureChoice choice;
        choice.setFeatures(FeatureSet{}); // the tutorial's: all of its user features go away
        choice.setDataset(idsOnly());
        for (const char* name : {"age", "occupation", "gender", "zip_region"}) {
            QCheckBox* box = boxOf(choice, name);
            QVERIFY2(!box->isEnabled() && !box->isChecked(), name);
            QVERIFY2(box->toolTip().contains(QStringLiteral("Not available: the dataset")),
                     qPrintable(box->toolTip()));
        }
        QVERIFY(boxOf(choice, "release_year")->isEnabled());
        // What is left of the choice still trains: the time features.
        QCOMPARE(choice.features().userFeatureList(),
                 std::string("timestamp_bucket,timestamp_norm"));
        QCOMPARE(choice.features().movieFeatureList(), std::string("title_id,title_text"));

        // A choice the dataset leaves empty gets the core's defaults for it.
        FeatureChoice demographicsOnly;
        FeatureSet demographics;
        demographics.setUserFeatures("age,gender");
        demographicsOnly.setFeatures(demographics);
        demographicsOnly.setDataset(idsOnly());
        QCOMPARE(demographicsOnly.features().userFeatureList(),
                 std::string("timestamp_bucket,timestamp_norm,user_id"));
    }

    void settingsRoundTrip() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath("s.ini"), QSettings::IniFormat);
        FeatureChoice a;
        FeatureSet wanted = FeatureSet::all();
        wanted.set(FeatureId::Age, false);
        a.setFeatures(wanted);
        settings.beginGroup("form");
        a.saveSettings(settings);
        settings.endGroup();
        FeatureChoice b;
        b.loadSettings(settings, "form/");
        QCOMPARE(b.features(), wanted);
    }
};

QTEST_MAIN(TestFeatureChoice)
#include "test_feature_choice.moc"
