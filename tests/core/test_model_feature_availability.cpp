// Which features a dataset allows: with and without demographics, the defaults, the
// ConfigError that the Trainer and the CLI raise for a feature the dataset lacks, and the
// same answers checked once for every feature (FeatureAvailability).

#include "data/dataset.hpp"
#include "model/feature_availability.hpp"
#include "model/model_config.hpp"

#include <QtTest>

using namespace towerlab;

namespace {

Dataset dataset(bool demographics) {
    Dataset d;
    d.name = demographics ? "with" : "without";
    d.hasDemographics = demographics;
    return d;
}

} // namespace

class TestFeatureAvailability : public QObject {
    Q_OBJECT

private slots:
    void withDemographicsEverythingIsAvailable() {
        const Dataset d = dataset(true);
        const FeatureSet all = availableFeatures(d);
        QVERIFY(all.has(FeatureId::Age) && all.has(FeatureId::Occupation) &&
                all.has(FeatureId::Gender) && all.has(FeatureId::UserId) &&
                all.has(FeatureId::Genres));
        QVERIFY(unavailableFeatures(d, all).empty());
        QCOMPARE(defaultFeatures(d), FeatureSet{});
    }

    void withoutDemographicsOnlyIdsAndTime() {
        const Dataset d = dataset(false);
        const FeatureSet offer = availableFeatures(d);
        QVERIFY(!offer.has(FeatureId::Age) && !offer.has(FeatureId::Occupation) &&
                !offer.has(FeatureId::Gender));
        QVERIFY(offer.has(FeatureId::UserId) && offer.has(FeatureId::TimestampBucket) &&
                offer.has(FeatureId::TimestampNorm));
        QVERIFY(offer.has(FeatureId::TitleId) && offer.has(FeatureId::TitleText) &&
                offer.has(FeatureId::Genres));
        const FeatureSet def = defaultFeatures(d);
        QCOMPARE(def.userFeatureList(), std::string("timestamp_bucket,timestamp_norm,user_id"));
        QCOMPARE(def.movieFeatureList(), FeatureSet{}.movieFeatureList());
        QVERIFY(unavailableFeatures(d, def).empty());
    }

    void reportsEachMissingFeatureWithAReason() {
        const Dataset d = dataset(false);
        FeatureSet wanted;
        wanted.setUserFeatures("age,gender,user_id");
        const auto missing = unavailableFeatures(d, wanted);
        QCOMPARE(missing.size(), std::size_t(2));
        QCOMPARE(missing[0].name, std::string("age"));
        QCOMPARE(missing[1].name, std::string("gender"));
        QVERIFY(missing[0].reason.find("no user demographics") != std::string::npos);
        try {
            requireAvailableFeatures(d, wanted);
            QFAIL("no ConfigError");
        } catch (const ConfigError& e) {
            QCOMPARE(e.field(), std::string("user-features"));
            const std::string text = e.what();
            QVERIFY2(text.find("age, gender are not available") != std::string::npos, e.what());
            QVERIFY2(text.find("\"without\"") != std::string::npos, e.what());
        }
        requireAvailableFeatures(dataset(true), wanted); // does not throw
    }

    // Checked once, the answers are those of the per-call functions for every wanted set:
    // with and without demographics, zip codes and release years.
    void checkedOnceAnswersTheSame_data() {
        QTest::addColumn<bool>("demographics");
        QTest::addColumn<bool>("zip");
        QTest::addColumn<bool>("years");
        QTest::newRow("demographics, zip codes, years") << true << true << true;
        QTest::newRow("demographics only") << true << false << false;
        QTest::newRow("none") << false << false << false;
        QTest::newRow("years only") << false << false << true;
    }
    void checkedOnceAnswersTheSame() {
        QFETCH(bool, demographics);
        QFETCH(bool, zip);
        QFETCH(bool, years);
        Dataset d = dataset(demographics);
        d.users.resize(3);
        d.users[2].zipCode = zip ? "94110" : "T8H1N";
        d.movies.resize(2);
        d.movies[1].year = years ? 1997 : 0;
        const FeatureAvailability once(d);
        QCOMPARE(once.available(), availableFeatures(d));
        QCOMPARE(once.available().has(FeatureId::ZipRegion), zip);
        QCOMPARE(once.available().has(FeatureId::ReleaseYear), years);
        FeatureSet someUser;
        someUser.setUserFeatures("age,zip_region,user_id");
        for (const FeatureSet& wanted : {FeatureSet::all(), someUser, FeatureSet::none()}) {
            const auto a = once.unavailable(wanted);
            const auto b = unavailableFeatures(d, wanted);
            QCOMPARE(a.size(), b.size());
            for (std::size_t i = 0; i < a.size(); ++i) {
                QCOMPARE(a[i].name, b[i].name);
                QCOMPARE(a[i].reason, b[i].reason);
            }
        }
        // Nothing checked: everything available.
        QCOMPARE(FeatureAvailability().available(), FeatureSet::all());
        QVERIFY(FeatureAvailability().unavailable(FeatureSet::all()).empty());
    }

    void defaultUserFeaturesKeepTheMovieChoice() {
        FeatureSet chosen;
        chosen.setMovieFeatures("genres");
        const FeatureSet f = withDefaultUserFeatures(dataset(false), chosen);
        QCOMPARE(f.movieFeatureList(), std::string("genres"));
        QVERIFY(!f.has(FeatureId::Age) && f.has(FeatureId::UserId));
    }
};

QTEST_APPLESS_MAIN(TestFeatureAvailability)
#include "test_model_feature_availability.moc"
