// The dataset vocabulary (occupation labels, age buckets), DataError messages and the
// dataset fingerprint.

#include "data/data_error.hpp"
#include "data/dataset.hpp"
#include "test_support.hpp"

#include <QtTest>

#include <cctype>
#include <string>

using namespace towerlab;

namespace {

Dataset tinyDataset() {
    Dataset data;
    data.name = "tiny";
    data.source = "memory";
    data.genreNames = {"unknown", "Drama"};
    User user;
    user.id = 3;
    user.rawAge = 30;
    user.ageBucket = 25;
    user.occupationLabel = 17;
    user.occupationText = "student";
    user.gender = 1;
    user.zipCode = "01234";
    data.users.push_back(user);
    Movie movie;
    movie.id = 9;
    movie.title = "Harbor Lights (1990)";
    movie.genres = {1};
    movie.year = 1990;
    data.movies.push_back(movie);
    data.ratings.push_back(Rating{0, 0, 4.0f, 880000000});
    return data;
}

} // namespace

class TestDataDataset : public QObject {
    Q_OBJECT

private slots:
    void bucketizeAgeEdges_data();
    void bucketizeAgeEdges();
    void ageBucketsAreTheSevenValues();
    void occupationTexts_data();
    void occupationTexts();
    void occupationTextIsExact_data();
    void occupationTextIsExact();
    void occupationLabelList();
    void dataErrorMessage_data();
    void dataErrorMessage();
    void fingerprintIsStableHex();
    void fingerprintIgnoresNameAndSource();
    void fingerprintSeesEveryField_data();
    void fingerprintSeesEveryField();
};

void TestDataDataset::bucketizeAgeEdges_data() {
    QTest::addColumn<int>("age");
    QTest::addColumn<int>("bucket");
    const int edges[][2] = {{0, 1},   {7, 1},   {17, 1},  {18, 18}, {24, 18}, {25, 25},
                            {34, 25}, {35, 35}, {44, 35}, {45, 45}, {49, 45}, {50, 50},
                            {55, 50}, {56, 56}, {73, 56}, {90, 56}};
    for (const auto& edge : edges) {
        QTest::addRow("age %d", edge[0]) << edge[0] << edge[1];
    }
}

void TestDataDataset::bucketizeAgeEdges() {
    QFETCH(int, age);
    QFETCH(int, bucket);
    QCOMPARE(bucketizeAge(age), bucket);
}

void TestDataDataset::ageBucketsAreTheSevenValues() {
    QCOMPARE(ageBuckets(), (std::vector<int>{1, 18, 25, 35, 45, 50, 56}));
    for (int bucket : ageBuckets()) {
        QCOMPARE(bucketizeAge(bucket), bucket);
    }
}

void TestDataDataset::occupationTexts_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("label");
    // The 21 texts of the 100K u.occupation and their label per reference-model.md.
    QTest::newRow("administrator") << "administrator"
                                   << "clerical/admin";
    QTest::newRow("artist") << "artist"
                            << "artist";
    QTest::newRow("doctor") << "doctor"
                            << "doctor/health care";
    QTest::newRow("educator") << "educator"
                              << "academic/educator";
    QTest::newRow("engineer") << "engineer"
                              << "technician/engineer";
    QTest::newRow("entertainment") << "entertainment"
                                   << "entertainment";
    QTest::newRow("executive") << "executive"
                               << "executive/managerial";
    QTest::newRow("healthcare") << "healthcare"
                                << "doctor/health care";
    QTest::newRow("homemaker") << "homemaker"
                               << "homemaker";
    QTest::newRow("lawyer") << "lawyer"
                            << "lawyer";
    QTest::newRow("librarian") << "librarian"
                               << "librarian";
    QTest::newRow("marketing") << "marketing"
                               << "sales/marketing";
    QTest::newRow("none") << "none"
                          << "other/not specified";
    QTest::newRow("other") << "other"
                           << "other/not specified";
    QTest::newRow("programmer") << "programmer"
                                << "programmer";
    QTest::newRow("retired") << "retired"
                             << "retired";
    QTest::newRow("salesman") << "salesman"
                              << "sales/marketing";
    QTest::newRow("scientist") << "scientist"
                               << "scientist";
    QTest::newRow("student") << "student"
                             << "student";
    QTest::newRow("technician") << "technician"
                                << "technician/engineer";
    QTest::newRow("writer") << "writer"
                            << "writer";
}

void TestDataDataset::occupationTexts() {
    QFETCH(QString, text);
    QFETCH(QString, label);
    const int index = occupationLabelFromText(text.toStdString());
    QVERIFY(index >= 0 && index < static_cast<int>(occupationLabels().size()));
    QCOMPARE(QString::fromStdString(occupationLabels()[static_cast<std::size_t>(index)]), label);
}

void TestDataDataset::occupationTextIsExact_data() {
    QTest::addColumn<QString>("text");
    QTest::newRow("capitalised") << "Student";
    QTest::newRow("trailing space") << "student ";
    QTest::newRow("label, not text") << "clerical/admin";
    QTest::newRow("1M-only label") << "farmer";
    QTest::newRow("empty") << "";
}

void TestDataDataset::occupationTextIsExact() {
    QFETCH(QString, text);
    QCOMPARE(occupationLabelFromText(text.toStdString()), -1);
}

void TestDataDataset::occupationLabelList() {
    const auto& labels = occupationLabels();
    QCOMPARE(labels.size(), std::size_t{22});
    QCOMPARE(labels[17], std::string("student"));
    QCOMPARE(labels[0], std::string("academic/educator"));
    QCOMPARE(labels[4], std::string("doctor/health care"));
    QCOMPARE(labels[11], std::string("other/not specified"));
    QCOMPARE(labels[21], std::string("writer"));
    QCOMPARE(occupationLabelFromText("healthcare"), 4);
    QCOMPARE(occupationLabelFromText("none"), 11);
    QCOMPARE(occupationLabelFromText("other"), 11);
}

void TestDataDataset::dataErrorMessage_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("message");
    QTest::newRow("full") << "u.data" << 17 << "rating"
                          << "value \"7\" is outside 1..5"
                          << "u.data:17: field 'rating': value \"7\" is outside 1..5";
    QTest::newRow("zip entry, no line") << "/x/ml-100k.zip:ml-100k/u.data" << 0 << ""
                                        << "file is empty"
                                        << "/x/ml-100k.zip:ml-100k/u.data: file is empty";
    QTest::newRow("line, no field") << "u.item" << 3 << ""
                                    << "expected 24 fields, found 8"
                                    << "u.item:3: expected 24 fields, found 8";
}

void TestDataDataset::dataErrorMessage() {
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(QString, field);
    QFETCH(QString, reason);
    QFETCH(QString, message);
    const DataError error(file.toStdString(), static_cast<std::size_t>(line), field.toStdString(),
                          reason.toStdString());
    QCOMPARE(QString::fromUtf8(error.what()), message);
    QCOMPARE(QString::fromStdString(error.file()), file);
    QCOMPARE(error.line(), static_cast<std::size_t>(line));
    QCOMPARE(QString::fromStdString(error.field()), field);
    QCOMPARE(QString::fromStdString(error.reason()), reason);
    const std::runtime_error& base = error; // catchable as a runtime_error
    QCOMPARE(QString::fromUtf8(base.what()), message);
}

void TestDataDataset::fingerprintIsStableHex() {
    const std::string fp = tinyDataset().fingerprint();
    QCOMPARE(fp.size(), std::size_t{16});
    for (const char c : fp) {
        QVERIFY2(std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'), fp.c_str());
    }
    // Model files store fingerprints, so the canonical serialization must never change
    // silently. This value was computed outside the C++ code (a few lines of Python) from
    // the format documented in dataset.cpp: FNV-1a 64 over counts and integers as 8-byte
    // little-endian, strings as length + bytes, ratings' stars as float bits.
    QCOMPARE(fp, std::string("50eba06593647f91"));
    QVERIFY(Dataset{}.fingerprint() != fp);
}

void TestDataDataset::fingerprintIgnoresNameAndSource() {
    Dataset other = tinyDataset();
    other.name = "another name";
    other.source = "/somewhere/else.zip";
    QCOMPARE(other.fingerprint(), tinyDataset().fingerprint());
}

void TestDataDataset::fingerprintSeesEveryField_data() {
    QTest::addColumn<int>("change");
    const char* names[] = {"user id",
                           "raw age",
                           "age bucket",
                           "occupation label",
                           "occupation text",
                           "gender",
                           "zip code",
                           "movie id",
                           "title",
                           "title trailing space",
                           "genres",
                           "year",
                           "rating user",
                           "rating movie",
                           "rating value",
                           "timestamp",
                           "bytes moved between two strings",
                           "extra rating"};
    for (int i = 0; i < static_cast<int>(std::size(names)); ++i) {
        QTest::newRow(names[i]) << i;
    }
}

void TestDataDataset::fingerprintSeesEveryField() {
    QFETCH(int, change);
    Dataset data = tinyDataset();
    data.users.push_back(data.users[0]);
    data.users[1].id = 4;
    data.movies.push_back(data.movies[0]);
    data.movies[1].id = 10;
    const std::string before = data.fingerprint();
    User& u = data.users[0];
    Movie& m = data.movies[0];
    Rating& r = data.ratings[0];
    switch (change) {
    case 0:
        u.id = 5;
        break;
    case 1:
        u.rawAge = 31;
        break;
    case 2:
        u.ageBucket = 18;
        break;
    case 3:
        u.occupationLabel = 16;
        break;
    case 4:
        u.occupationText = "students";
        break;
    case 5:
        u.gender = 0;
        break;
    case 6:
        u.zipCode = "01235";
        break;
    case 7:
        m.id = 8;
        break;
    case 8:
        m.title = "Harbor Lights (1991)";
        break;
    case 9:
        m.title += " ";
        break;
    case 10:
        m.genres = {0, 1};
        break;
    case 11:
        m.year = 1991;
        break;
    case 12:
        r.user = 1;
        break;
    case 13:
        r.movie = 1;
        break;
    case 14:
        r.rating = 4.5f;
        break;
    case 15:
        r.timestamp += 1;
        break;
    case 16: // "student" + "01234" -> "student0" + "1234": lengths are hashed too
        u.occupationText = "student0";
        u.zipCode = "1234";
        break;
    default:
        data.ratings.push_back(r);
        break;
    }
    QVERIFY(data.fingerprint() != before);
}

QTEST_APPLESS_MAIN(TestDataDataset)
#include "test_data_dataset.moc"
