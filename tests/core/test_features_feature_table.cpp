// The feature table itself and the features added through it alone: the user's zip-code region
// and the movie's release years.

#include "features/feature_space.hpp"
#include "features/feature_table.hpp"

#include <QtTest>

#include <set>
#include <string>
#include <vector>

using namespace towerlab;

namespace {

User userWithZip(std::int64_t id, const char* zip) {
    User u;
    u.id = id;
    u.rawAge = 30;
    u.ageBucket = 25;
    u.occupationLabel = 4;
    u.gender = 1;
    u.zipCode = zip;
    return u;
}

Movie movieOf(std::int64_t id, const char* title, int year) {
    Movie m;
    m.id = id;
    m.title = title;
    m.year = year;
    return m;
}

// Four users (regions 0, 9, unknown, 6; the last has no rating) and four movies (1997, 1990,
// unknown, 1962).
Dataset regionsAndYears() {
    Dataset d;
    d.name = "regions";
    d.genreNames = {"Drama"};
    d.users = {userWithZip(1, "02139"), userWithZip(2, "94110"), userWithZip(3, "K1A0B"),
               userWithZip(4, "60601")};
    d.movies = {movieOf(10, "A (1997)", 1997), movieOf(11, "B (1990)", 1990), movieOf(12, "C", 0),
                movieOf(13, "D (1962)", 1962)};
    d.ratings = {{0, 0, 4.0f, 880000000},
                 {1, 1, 3.0f, 880001000},
                 {2, 2, 5.0f, 880002000},
                 {1, 3, 2.0f, 880003000}};
    return d;
}

} // namespace

class TestFeaturesFeatureTable : public QObject {
    Q_OBJECT

private slots:
    void namesBitsAndTensorsAreUnique() {
        std::set<std::string_view> names, tensors;
        std::uint32_t bits = 0;
        for (const FeatureDescriptor& f : kFeatureTable) {
            QVERIFY2(names.insert(f.name).second, f.name.data());
            QVERIFY2(std::has_single_bit(f.fileBit) && (bits & f.fileBit) == 0, f.name.data());
            bits |= f.fileBit;
            QCOMPARE(f.tensorName.empty(), f.kind == FeatureKind::Scalar);
            if (!f.tensorName.empty()) {
                QVERIFY2(tensors.insert(f.tensorName).second, f.tensorName.data());
                QVERIFY(
                    f.tensorName.starts_with(f.tower == Tower::Query ? "query/" : "candidate/"));
            }
            QVERIFY(!f.label.empty() && !f.tooltip.empty());
            QCOMPARE(findFeature(f.name), &f);
        }
        QCOMPARE(findFeature("no_such_feature"), nullptr);
    }

    // The model file's feature bits of the first format are fixed forever.
    void firstFormatBitsNeverChange() {
        const std::pair<FeatureId, std::uint32_t> fixed[] = {
            {FeatureId::Age, 1u << 0},           {FeatureId::Occupation, 1u << 1},
            {FeatureId::Gender, 1u << 2},        {FeatureId::TimestampBucket, 1u << 3},
            {FeatureId::TimestampNorm, 1u << 4}, {FeatureId::UserId, 1u << 5},
            {FeatureId::TitleId, 1u << 6},       {FeatureId::TitleText, 1u << 7},
            {FeatureId::Genres, 1u << 8}};
        for (const auto& [id, bit] : fixed) {
            QCOMPARE(describe(id).fileBit, bit);
        }
    }

    void zipRegionIsTheFirstDigitOfAUsZip() {
        const FeatureDescriptor& f = describe(FeatureId::ZipRegion);
        QCOMPARE(f.tower, Tower::Query);
        QCOMPARE(f.ofUser(userWithZip(1, "02139")), RawValue(0));
        QCOMPARE(f.ofUser(userWithZip(1, "94110")), RawValue(9));
        QCOMPARE(f.ofUser(userWithZip(1, "K1A0B")), RawValue()); // Canadian
        QCOMPARE(f.ofUser(userWithZip(1, "")), RawValue());
        QCOMPARE(f.valueText(9), std::string("9 (AK, CA, HI, OR, WA)"));
        QCOMPARE(f.valueText(12), std::string("unknown (12)"));
        QVERIFY(!f.tutorial);
    }

    void releaseYearsComeInFiveYearSpans() {
        const FeatureDescriptor& f = describe(FeatureId::ReleaseYear);
        QCOMPARE(f.tower, Tower::Candidate);
        QCOMPARE(f.ofMovie(movieOf(1, "x", 1997)), RawValue(1995));
        QCOMPARE(f.ofMovie(movieOf(1, "x", 1990)), RawValue(1990));
        QCOMPARE(f.ofMovie(movieOf(1, "x", 1994)), RawValue(1990));
        QCOMPARE(f.ofMovie(movieOf(1, "x", 0)), RawValue());
        QCOMPARE(f.valueText(1995), std::string("1995-1999"));
    }

    // A user's query carries the region in its attributes; the encoder looks it up.
    void queriesCarryTheRegion() {
        const Dataset d = regionsAndYears();
        const UserQuery q = queryOfUser(d.users[1], 880001000);
        QCOMPARE(q.attributes.at("zip_region"), std::int64_t{9});
        QCOMPARE(queryValueText(describe(FeatureId::ZipRegion), q),
                 std::string("9 (AK, CA, HI, OR, WA)"));
        UserQuery unknown = q;
        setQueryValue(describe(FeatureId::ZipRegion), unknown, std::nullopt);
        QVERIFY(unknown.attributes.empty());
        QCOMPARE(queryValueText(describe(FeatureId::ZipRegion), unknown), std::string("unknown"));
    }

    void fitAndEncode() {
        const Dataset d = regionsAndYears();
        const FeatureSpace space = FeatureSpace::fit(d);
        // Rated users only (user 4 has no rating; user 3 has no US zip).
        QCOMPARE(space.lookup(FeatureId::ZipRegion).vocabulary(),
                 (std::vector<std::int64_t>{0, 9}));
        QCOMPARE(space.tableRows(FeatureId::ZipRegion), std::size_t{3});
        // Every catalogue movie with a year.
        QCOMPARE(space.lookup(FeatureId::ReleaseYear).vocabulary(),
                 (std::vector<std::int64_t>{1960, 1990, 1995}));

        for (std::size_t r = 0; r < d.ratings.size(); ++r) {
            const Rating& rating = d.ratings[r];
            const EncodedQuery fromRating = space.encodeRating(d, rating);
            const EncodedQuery fromQuery = space.encode(
                queryOfUser(d.users[static_cast<std::size_t>(rating.user)], rating.timestamp));
            QCOMPARE(fromRating.inputs, fromQuery.inputs);
        }
        QCOMPARE(space.encodeRating(d, d.ratings[0]).id(FeatureId::ZipRegion), 1);
        QCOMPARE(space.encodeRating(d, d.ratings[1]).id(FeatureId::ZipRegion), 2);
        QCOMPARE(space.encodeRating(d, d.ratings[2]).id(FeatureId::ZipRegion), 0); // unknown

        const EncodedCatalogue c = space.encodeCatalogue(d);
        QCOMPARE(c.of(FeatureId::ReleaseYear).ids, (std::vector<std::int32_t>{3, 2, 0, 1}));
        QCOMPARE(c.of(FeatureId::ReleaseYear).offsets, (std::vector<std::int32_t>{0, 1, 2, 3, 4}));
    }

    void availabilityNamesWhatIsMissing() {
        Dataset d = regionsAndYears();
        QVERIFY(describe(FeatureId::ZipRegion).unavailableBecause(d).empty());
        QVERIFY(describe(FeatureId::ReleaseYear).unavailableBecause(d).empty());
        for (User& u : d.users) {
            u.zipCode.clear();
        }
        for (Movie& m : d.movies) {
            m.year = 0;
        }
        QCOMPARE(describe(FeatureId::ZipRegion).unavailableBecause(d),
                 std::string("the dataset \"regions\" has no US zip codes"));
        QCOMPARE(describe(FeatureId::ReleaseYear).unavailableBecause(d),
                 std::string("the dataset \"regions\" has no release years"));
        // Unavailable features are left empty, so every value is out of vocabulary.
        const FeatureSpace space = FeatureSpace::fit(d);
        QVERIFY(space.lookup(FeatureId::ZipRegion).vocabulary().empty());
        QVERIFY(space.lookup(FeatureId::ReleaseYear).vocabulary().empty());
    }
};

QTEST_APPLESS_MAIN(TestFeaturesFeatureTable)
#include "test_features_feature_table.moc"
