// TitleTokenizer: Keras TextVectorization defaults on UTF-8 bytes (ASCII-only lower-casing,
// string.punctuation stripped, ASCII-whitespace split), IndexLookup vocabulary order and
// OOV handling. Every expected value here is worked out by hand.

#include "features/title_tokenizer.hpp"

#include <QtTest>

#include <stdexcept>
#include <string>
#include <vector>

using towerlab::TitleTokenizer;

namespace {

template <typename F> void expectInvalid(F&& f, const char* needle) {
    try {
        f();
    } catch (const towerlab::FeatureError& e) {
        QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
        return;
    }
    QFAIL(qPrintable(QStringLiteral("no FeatureError mentioning \"%1\"").arg(needle)));
}

QByteArrayList toList(const std::vector<std::string>& v) {
    QByteArrayList out;
    for (const std::string& s : v) {
        out.append(QByteArray::fromStdString(s));
    }
    return out;
}

QList<int> toList(const std::vector<std::int32_t>& v) {
    return {v.begin(), v.end()};
}

std::string_view view(const QByteArray& b) {
    return {b.constData(), std::size_t(b.size())};
}

// Titles whose vocabulary is worked out by hand: "the" x3; "dog", "1990" x2; "é", "z",
// "cat", "1991" x1. Ties go by descending bytes, so "dog" > "1990" and "é" (0xC3 0xA9) >
// "z" > "cat" > "1991".
const std::vector<std::string>& sampleTitles() {
    static const std::vector<std::string> titles{"The Cat (1990)", "the dog (1990)",
                                                 "Dog, The (1991)", "z \xC3\xA9"};
    return titles;
}

const QByteArrayList kSampleVocabulary{"",         "[UNK]", "the", "dog", "1990",
                                       "\xC3\xA9", "z",     "cat", "1991"};

} // namespace

class TestFeaturesTitleTokenizer : public QObject {
    Q_OBJECT

private slots:
    void split_data();
    void split();
    void vocabularyOrder();
    void duplicateTitlesCountTwice();
    void maxTokensTruncates_data();
    void maxTokensTruncates();
    void maxTokensBelowTwoThrows();
    void encode_data();
    void encode();
    void encodeMatchesSplit();
    void encodeIntoAppends();
    void constructorRoundTrip();
    void constructorRejects_data();
    void constructorRejects();
};

void TestFeaturesTitleTokenizer::split_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QByteArrayList>("tokens");
    QTest::newRow("UTF-8 accent") << QByteArray("Mis\xC3\xA9rables, Les (1995)")
                                  << QByteArrayList{"mis\xC3\xA9rables", "les", "1995"};
    QTest::newRow("non-ASCII capital kept") << QByteArray("\xC3\x81") << QByteArrayList{"\xC3\x81"};
    QTest::newRow("mixed capitals") << QByteArray("\xC3\x81"
                                                  "BC \xC3\x89T\xC3\x89")
                                    << QByteArrayList{"\xC3\x81"
                                                      "bc",
                                                      "\xC3\x89t\xC3\x89"};
    QTest::newRow("apostrophe") << QByteArray("L'Amour") << QByteArrayList{"lamour"};
    QTest::newRow("hyphen") << QByteArray("Jean-Luc") << QByteArrayList{"jeanluc"};
    QTest::newRow("spaced hyphen") << QByteArray("a - b") << QByteArrayList{"a", "b"};
    QTest::newRow("all punctuation")
        << QByteArray("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~") << QByteArrayList{};
    QTest::newRow("punctuation words") << QByteArray("... ?! (--)") << QByteArrayList{};
    QTest::newRow("empty") << QByteArray("") << QByteArrayList{};
    QTest::newRow("only spaces") << QByteArray("   ") << QByteArrayList{};
    QTest::newRow("tabs and runs of spaces") << QByteArray("\tAlpha  \t Beta\n\nGamma\v\fDelta\r")
                                             << QByteArrayList{"alpha", "beta", "gamma", "delta"};
    QTest::newRow("trailing space")
        << QByteArray("Two Friends (1986) ") << QByteArrayList{"two", "friends", "1986"};
    QTest::newRow("back-quote brackets pipes")
        << QByteArray("a`b{c}d|e\\f[g]h~i^j_k@l") << QByteArrayList{"abcdefghijkl"};
    QTest::newRow("digits and letters")
        << QByteArray("X2 3D 1995") << QByteArrayList{"x2", "3d", "1995"};
    // NBSP (U+00A0) is not ASCII whitespace, so TensorFlow does not split on it.
    QTest::newRow("no-break space joins") << QByteArray("a\xC2\xA0"
                                                        "b")
                                          << QByteArrayList{"a\xC2\xA0"
                                                            "b"};
    QTest::newRow("all letters lowered")
        << QByteArray("ABCDEFGHIJKLMNOPQRSTUVWXYZ") << QByteArrayList{"abcdefghijklmnopqrstuvwxyz"};
}

void TestFeaturesTitleTokenizer::split() {
    QFETCH(QByteArray, text);
    QFETCH(QByteArrayList, tokens);
    QCOMPARE(toList(TitleTokenizer::split(view(text))), tokens);
}

void TestFeaturesTitleTokenizer::vocabularyOrder() {
    const TitleTokenizer tokenizer = TitleTokenizer::fit(sampleTitles());
    QCOMPARE(toList(tokenizer.vocabulary()), kSampleVocabulary);
    QCOMPARE(tokenizer.vocabularySize(), std::size_t{9});
}

void TestFeaturesTitleTokenizer::duplicateTitlesCountTwice() {
    // "beta" comes from one title listed twice, so it counts 2 and leads; counted once per
    // distinct title it would tie with "zeta" and "alpha" and fall between them.
    const std::vector<std::string> titles{"Beta", "Zeta Alpha", "Beta"};
    const TitleTokenizer tokenizer = TitleTokenizer::fit(titles);
    QCOMPARE(toList(tokenizer.vocabulary()),
             (QByteArrayList{"", "[UNK]", "beta", "zeta", "alpha"}));
}

void TestFeaturesTitleTokenizer::maxTokensTruncates_data() {
    QTest::addColumn<int>("maxTokens");
    QTest::addColumn<int>("size");
    QTest::newRow("only reserved") << 2 << 2;
    QTest::newRow("one learned") << 3 << 3;
    QTest::newRow("cut inside the count-2 tie") << 4 << 4;
    QTest::newRow("cut between counts") << 5 << 5;
    QTest::newRow("cut inside the count-1 tie") << 7 << 7;
    QTest::newRow("exactly all") << 9 << 9;
    QTest::newRow("more than needed") << 10000 << 9;
}

void TestFeaturesTitleTokenizer::maxTokensTruncates() {
    QFETCH(int, maxTokens);
    QFETCH(int, size);
    const TitleTokenizer tokenizer =
        TitleTokenizer::fit(sampleTitles(), static_cast<std::size_t>(maxTokens));
    QCOMPARE(toList(tokenizer.vocabulary()), kSampleVocabulary.mid(0, size));
    // A token cut from the vocabulary is OOV.
    const std::vector<std::int32_t> ids = tokenizer.encode("the 1991");
    QCOMPARE(toList(ids), (QList<int>{size > 2 ? 2 : 1, size == 9 ? 8 : 1}));
}

void TestFeaturesTitleTokenizer::maxTokensBelowTwoThrows() {
    expectInvalid([] { TitleTokenizer::fit(sampleTitles(), 1); }, "at least 2");
    expectInvalid([] { TitleTokenizer::fit(sampleTitles(), 0); }, "got 0");
}

void TestFeaturesTitleTokenizer::encode_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QList<int>>("ids");
    // Vocabulary: 2 the, 3 dog, 4 1990, 5 é, 6 z, 7 cat, 8 1991.
    QTest::newRow("known and OOV") << QByteArray("The Dog (1992)") << QList<int>{2, 3, 1};
    QTest::newRow("upper case") << QByteArray("DOG") << QList<int>{3};
    QTest::newRow("punctuation inside") << QByteArray("d'o-g!") << QList<int>{3};
    QTest::newRow("prefix is OOV") << QByteArray("ca") << QList<int>{1};
    QTest::newRow("extension is OOV") << QByteArray("cats") << QList<int>{1};
    QTest::newRow("ASCII capital") << QByteArray("Z") << QList<int>{6};
    QTest::newRow("accent") << QByteArray("\xC3\xA9") << QList<int>{5};
    QTest::newRow("non-ASCII capital stays OOV") << QByteArray("\xC3\x89") << QList<int>{1};
    QTest::newRow("empty") << QByteArray("") << QList<int>{};
    QTest::newRow("all punctuation") << QByteArray("(!) - ...") << QList<int>{};
    QTest::newRow("trailing space") << QByteArray("cat 1991 ") << QList<int>{7, 8};
    QTest::newRow("reserved token text") << QByteArray("[UNK]") << QList<int>{1};
    QTest::newRow("padding never produced") << QByteArray("  \t ") << QList<int>{};
    QTest::newRow("repeated") << QByteArray("the the THE") << QList<int>{2, 2, 2};
}

void TestFeaturesTitleTokenizer::encode() {
    QFETCH(QByteArray, text);
    QFETCH(QList<int>, ids);
    const TitleTokenizer tokenizer = TitleTokenizer::fit(sampleTitles());
    QCOMPARE(toList(tokenizer.encode(view(text))), ids);
}

void TestFeaturesTitleTokenizer::encodeMatchesSplit() {
    // The allocation-free lookup must agree with a plain lookup of split()'s tokens.
    const TitleTokenizer tokenizer = TitleTokenizer::fit(sampleTitles());
    const auto& vocabulary = tokenizer.vocabulary();
    const std::vector<std::string> texts{"The Cat (1990)", "z \xC3\xA9 Z!", "Dog-gone 1991.",
                                         "?the? (dog)", "\xC3\xA9\xC3\xA9 zz"};
    for (const std::string& text : texts) {
        std::vector<std::int32_t> expected;
        for (const std::string& token : TitleTokenizer::split(text)) {
            std::int32_t id = TitleTokenizer::kUnknown;
            for (std::size_t i = 2; i < vocabulary.size(); ++i) {
                if (vocabulary[i] == token) {
                    id = static_cast<std::int32_t>(i);
                }
            }
            expected.push_back(id);
        }
        QCOMPARE(toList(tokenizer.encode(text)), toList(expected));
    }
}

void TestFeaturesTitleTokenizer::encodeIntoAppends() {
    const TitleTokenizer tokenizer = TitleTokenizer::fit(sampleTitles());
    std::vector<std::int32_t> out{42};
    QCOMPARE(tokenizer.encodeInto("cat dog", out), std::size_t{2});
    QCOMPARE(tokenizer.encodeInto("...", out), std::size_t{0});
    QCOMPARE(tokenizer.encodeInto("1990", out), std::size_t{1});
    QCOMPARE(toList(out), (QList<int>{42, 7, 3, 4}));
}

void TestFeaturesTitleTokenizer::constructorRoundTrip() {
    const TitleTokenizer fitted = TitleTokenizer::fit(sampleTitles());
    const TitleTokenizer restored(fitted.vocabulary());
    QCOMPARE(toList(restored.vocabulary()), kSampleVocabulary);
    QCOMPARE(toList(restored.encode("The Dog (1992) z")), (QList<int>{2, 3, 1, 6}));
    // Padding and [UNK] only: every token is unknown.
    const TitleTokenizer minimal(std::vector<std::string>{"", "[UNK]"});
    QCOMPARE(toList(minimal.encode("the dog")), (QList<int>{1, 1}));
}

void TestFeaturesTitleTokenizer::constructorRejects_data() {
    QTest::addColumn<QByteArrayList>("vocabulary");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty") << QByteArrayList{} << "must start with";
    QTest::newRow("no padding") << QByteArrayList{"[UNK]", "a"} << "must start with";
    QTest::newRow("no unknown") << QByteArrayList{"", "a"} << "must start with";
    QTest::newRow("duplicate") << QByteArrayList{"", "[UNK]", "a", "b", "a"}
                               << "\"a\" occurs twice";
    QTest::newRow("empty token") << QByteArrayList{"", "[UNK]", "a", ""} << "entry 3 is empty";
    QTest::newRow("upper case") << QByteArrayList{"", "[UNK]", "The"} << "not a standardized";
    QTest::newRow("punctuation") << QByteArrayList{"", "[UNK]", "it's"} << "not a standardized";
    QTest::newRow("space") << QByteArrayList{"", "[UNK]", "a b"} << "not a standardized";
    QTest::newRow("second unknown") << QByteArrayList{"", "[UNK]", "[UNK]"} << "not a standardized";
}

void TestFeaturesTitleTokenizer::constructorRejects() {
    QFETCH(QByteArrayList, vocabulary);
    QFETCH(QString, message);
    std::vector<std::string> values;
    for (const QByteArray& v : vocabulary) {
        values.push_back(v.toStdString());
    }
    expectInvalid([&] { TitleTokenizer{values}; }, qPrintable(message));
}

QTEST_APPLESS_MAIN(TestFeaturesTitleTokenizer)
#include "test_features_title_tokenizer.moc"
