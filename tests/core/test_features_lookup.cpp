// IntegerLookup / StringLookup: Keras semantics (OOV = 0, sorted unique vocabulary -> 1..n)
// and the validation of vocabularies read back from model files.

#include "features/lookup.hpp"

#include <QtTest>

#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

using towerlab::IntegerLookup;
using towerlab::StringLookup;

namespace {

// Runs f, which must throw FeatureError whose message contains `needle`.
template <typename F> void expectInvalid(F&& f, const char* needle) {
    try {
        f();
    } catch (const towerlab::FeatureError& e) {
        QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
        return;
    }
    QFAIL(qPrintable(QStringLiteral("no FeatureError mentioning \"%1\"").arg(needle)));
}

} // namespace

class TestFeaturesLookup : public QObject {
    Q_OBJECT

private slots:
    void integerFitIsSortedUnique();
    void integerIndex_data();
    void integerIndex();
    void integerExtremes();
    void integerEmpty();
    void integerRejectsBadVocabulary_data();
    void integerRejectsBadVocabulary();
    void stringFitSortsByBytes();
    void stringIndex_data();
    void stringIndex();
    void stringRejectsBadVocabulary_data();
    void stringRejectsBadVocabulary();
    void stringEmpty();
};

void TestFeaturesLookup::integerFitIsSortedUnique() {
    const std::vector<std::int64_t> values{56, 1, 18, 1, 25, 56, 18};
    const IntegerLookup lookup = IntegerLookup::fit(values);
    QCOMPARE(lookup.vocabulary(), (std::vector<std::int64_t>{1, 18, 25, 56}));
    QCOMPARE(lookup.tableRows(), std::size_t{5});
}

void TestFeaturesLookup::integerIndex_data() {
    QTest::addColumn<qint64>("value");
    QTest::addColumn<int>("expected");
    QTest::newRow("first") << qint64{1} << 1;
    QTest::newRow("second") << qint64{18} << 2;
    QTest::newRow("last") << qint64{56} << 4;
    QTest::newRow("below all") << qint64{0} << 0;
    QTest::newRow("negative") << qint64{-1} << 0;
    QTest::newRow("between entries") << qint64{19} << 0;
    QTest::newRow("above all") << qint64{57} << 0;
}

void TestFeaturesLookup::integerIndex() {
    QFETCH(qint64, value);
    QFETCH(int, expected);
    const IntegerLookup lookup(std::vector<std::int64_t>{1, 18, 25, 56});
    QCOMPARE(lookup.index(value), expected);
}

void TestFeaturesLookup::integerExtremes() {
    constexpr std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    const std::vector<std::int64_t> values{hi, 0, lo};
    const IntegerLookup lookup = IntegerLookup::fit(values);
    QCOMPARE(lookup.index(lo), 1);
    QCOMPARE(lookup.index(0), 2);
    QCOMPARE(lookup.index(hi), 3);
    QCOMPARE(lookup.index(lo + 1), 0);
}

void TestFeaturesLookup::integerEmpty() {
    const IntegerLookup unfitted;
    QCOMPARE(unfitted.tableRows(), std::size_t{1});
    QCOMPARE(unfitted.index(0), 0);
    const IntegerLookup fitted = IntegerLookup::fit(std::vector<std::int64_t>{});
    QVERIFY(fitted.vocabulary().empty());
    QCOMPARE(fitted.index(25), 0);
}

void TestFeaturesLookup::integerRejectsBadVocabulary_data() {
    QTest::addColumn<QList<qint64>>("vocabulary");
    QTest::addColumn<QString>("message");
    QTest::newRow("descending") << QList<qint64>{3, 1} << "unsorted";
    QTest::newRow("unsorted later") << QList<qint64>{1, 5, 4} << "unsorted at entry 2";
    QTest::newRow("duplicate") << QList<qint64>{1, 2, 2} << "duplicate at entry 2";
}

void TestFeaturesLookup::integerRejectsBadVocabulary() {
    QFETCH(QList<qint64>, vocabulary);
    QFETCH(QString, message);
    const std::vector<std::int64_t> values(vocabulary.begin(), vocabulary.end());
    expectInvalid([&] { IntegerLookup{values}; }, qPrintable(message));
}

void TestFeaturesLookup::stringFitSortsByBytes() {
    // UTF-8 lead bytes are >= 0x80, so accented words sort after every ASCII word (np.unique
    // on bytes); a signed-char comparison would put them first.
    const std::vector<std::string> values{"b", "a",  "\xC3\x81", "Z",  "\xC3\xA9", "a",
                                          "z", "x ", "x",        "ab", "\xC3\x81"};
    const StringLookup lookup = StringLookup::fit(values);
    const std::vector<std::string> expected{"Z",  "a", "ab",       "b",       "x",
                                            "x ", "z", "\xC3\x81", "\xC3\xA9"};
    QCOMPARE(lookup.vocabulary(), expected);
    QCOMPARE(lookup.tableRows(), std::size_t{10});
}

void TestFeaturesLookup::stringIndex_data() {
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("expected");
    QTest::newRow("first") << QByteArray("Gamma (1990)") << 1;
    QTest::newRow("trailing space kept") << QByteArray("Gamma (1990) ") << 2;
    QTest::newRow("lower case after upper") << QByteArray("alpha") << 3;
    QTest::newRow("non-ASCII last") << QByteArray("\xC3\x89t\xC3\xA9") << 4;
    QTest::newRow("trailing space missing") << QByteArray("Gamma (1990)  ") << 0;
    QTest::newRow("case differs") << QByteArray("Alpha") << 0;
    QTest::newRow("prefix") << QByteArray("alph") << 0;
    QTest::newRow("extension") << QByteArray("alphas") << 0;
    QTest::newRow("empty") << QByteArray("") << 0;
    QTest::newRow("accent stripped") << QByteArray("Ete") << 0;
}

void TestFeaturesLookup::stringIndex() {
    QFETCH(QByteArray, value);
    QFETCH(int, expected);
    const StringLookup lookup(
        std::vector<std::string>{"Gamma (1990)", "Gamma (1990) ", "alpha", "\xC3\x89t\xC3\xA9"});
    QCOMPARE(lookup.index(std::string_view(value.constData(), value.size())), expected);
}

void TestFeaturesLookup::stringRejectsBadVocabulary_data() {
    QTest::addColumn<QByteArrayList>("vocabulary");
    QTest::addColumn<QString>("message");
    QTest::newRow("unsorted") << QByteArrayList{"b", "a"} << "unsorted at entry 1";
    QTest::newRow("duplicate") << QByteArrayList{"a", "b", "b"} << "duplicate at entry 2";
    QTest::newRow("signed-char order") << QByteArrayList{"\xC3\xA9", "z"} << "unsorted";
}

void TestFeaturesLookup::stringRejectsBadVocabulary() {
    QFETCH(QByteArrayList, vocabulary);
    QFETCH(QString, message);
    std::vector<std::string> values;
    for (const QByteArray& v : vocabulary) {
        values.push_back(v.toStdString());
    }
    expectInvalid([&] { StringLookup{values}; }, qPrintable(message));
}

void TestFeaturesLookup::stringEmpty() {
    const StringLookup unfitted;
    QCOMPARE(unfitted.tableRows(), std::size_t{1});
    QCOMPARE(unfitted.index("anything"), 0);
    QCOMPARE(unfitted.index(""), 0);
}

QTEST_APPLESS_MAIN(TestFeaturesLookup)
#include "test_features_lookup.moc"
