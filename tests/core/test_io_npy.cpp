// .npy export: the exact bytes numpy.lib.format specifies for version 1.0 ('<f4', C order,
// header padded so data starts on a 64-byte boundary), round trips, and a reader that turns
// every malformed file into an NpyError.

#include "io/npy_writer.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <filesystem>
#include <limits>
#include <string>

using towerlab::NpyError;
using towerlab::RowMatrix;
namespace fs = std::filesystem;

namespace {

RowMatrix sample(Eigen::Index rows, Eigen::Index cols) {
    RowMatrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) {
        m.data()[i] = static_cast<float>(i) * 0.37f - 1.5f;
    }
    return m;
}

std::string npyWithHeader(std::string dict, std::size_t dataBytes, char major = 1) {
    std::string header = std::move(dict);
    header.push_back('\n');
    std::string out("\x93NUMPY", 6);
    out.push_back(major);
    out.push_back('\0');
    if (major == 1) {
        out.push_back(static_cast<char>(header.size() & 0xff));
        out.push_back(static_cast<char>(header.size() >> 8));
    } else {
        for (int i = 0; i < 4; ++i) {
            out.push_back(static_cast<char>((header.size() >> (8 * i)) & 0xff));
        }
    }
    out += header;
    out.append(dataBytes, '\0');
    return out;
}

} // namespace

class TestIoNpy : public QObject {
    Q_OBJECT

private slots:
    void exactHeaderFor2x3();
    void dataIsLittleEndianRowMajor();
    void headerAlignment_data();
    void headerAlignment();
    void roundTripThroughFile_data();
    void roundTripThroughFile();
    void readsFortranOrderAndVersion2();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void everyTruncationIsAnError();
    void emptyArraysOfAnyShapeReadInstantly_data();
    void emptyArraysOfAnyShapeReadInstantly();
    void readErrorsNameThePath();
};

void TestIoNpy::exactHeaderFor2x3() {
    const std::string bytes = towerlab::encodeNpy(sample(2, 3));
    QCOMPARE(bytes.substr(0, 6), std::string("\x93NUMPY", 6));
    QCOMPARE(static_cast<int>(bytes[6]), 1);
    QCOMPARE(static_cast<int>(bytes[7]), 0);
    const std::size_t headerLength =
        static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    QCOMPARE(headerLength, std::size_t{118}); // 10 + 118 = 128, a multiple of 64
    const std::string header = bytes.substr(10, headerLength);
    const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    QCOMPARE(header.substr(0, dict.size()), dict);
    QCOMPARE(header.back(), '\n');
    QCOMPARE(header.substr(dict.size(), headerLength - dict.size() - 1),
             std::string(headerLength - dict.size() - 1, ' '));
    QCOMPARE(bytes.size(), std::size_t{128 + 6 * 4});
}

void TestIoNpy::dataIsLittleEndianRowMajor() {
    RowMatrix m(2, 3);
    m << 1.0f, 2.0f, -0.5f, 0.0f, 3.25f, 1e-3f;
    const std::string bytes = towerlab::encodeNpy(m);
    const std::string data = bytes.substr(128);
    QCOMPARE(data.size(), std::size_t{24});
    // 1.0f = 0x3f800000, stored low byte first.
    QCOMPARE(data.substr(0, 4), std::string("\x00\x00\x80\x3f", 4));
    // -0.5f = 0xbf000000 is the third value of row 0.
    QCOMPARE(data.substr(8, 4), std::string("\x00\x00\x00\xbf", 4));
    // 3.25f = 0x40500000 is row 1, column 1: the fifth value.
    QCOMPARE(data.substr(16, 4), std::string("\x00\x00\x50\x40", 4));
}

void TestIoNpy::headerAlignment_data() {
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::newRow("0x0") << 0 << 0;
    QTest::newRow("1x1") << 1 << 1;
    QTest::newRow("1682x32") << 1682 << 32;
    QTest::newRow("wide digits") << 123456 << 7;
}

void TestIoNpy::headerAlignment() {
    QFETCH(int, rows);
    QFETCH(int, cols);
    const std::string bytes = towerlab::encodeNpy(RowMatrix::Zero(rows, cols));
    const std::size_t headerLength =
        static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    QCOMPARE((10 + headerLength) % 64, std::size_t{0});
    QCOMPARE(bytes[10 + headerLength - 1], '\n');
    std::string shape = "(";
    shape += std::to_string(rows) + ", " + std::to_string(cols) + ")";
    QVERIFY(bytes.substr(10, headerLength).find(shape) != std::string::npos);
    QCOMPARE(bytes.size(), 10 + headerLength + std::size_t(rows) * std::size_t(cols) * 4);
}

void TestIoNpy::roundTripThroughFile_data() {
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::newRow("2x3") << 2 << 3;
    QTest::newRow("empty") << 0 << 5;
    QTest::newRow("column") << 17 << 1;
    QTest::newRow("catalogue-sized") << 1682 << 32;
}

void TestIoNpy::roundTripThroughFile() {
    QFETCH(int, rows);
    QFETCH(int, cols);
    QTemporaryDir dir;
    const fs::path path = fs::path(dir.path().toStdString()) / "emb.npy";
    RowMatrix m = sample(rows, cols);
    if (m.size() > 0) {
        m(0, 0) = std::numeric_limits<float>::denorm_min();
        m(rows - 1, cols - 1) = -std::numeric_limits<float>::max();
    }
    towerlab::writeNpy(m, path);
    const RowMatrix back = towerlab::readNpy(path);
    QCOMPARE(back.rows(), m.rows());
    QCOMPARE(back.cols(), m.cols());
    // memcmp must not see the null data pointer of an empty matrix.
    QVERIFY(m.size() == 0 ||
            std::memcmp(back.data(), m.data(), sizeof(float) * std::size_t(m.size())) == 0);
}

void TestIoNpy::readsFortranOrderAndVersion2() {
    // Column-major data of [[1, 2, 3], [4, 5, 6]] is 1 4 2 5 3 6.
    std::string bytes =
        npyWithHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", 0, 2);
    for (const float v : {1.0f, 4.0f, 2.0f, 5.0f, 3.0f, 6.0f}) {
        char raw[4];
        std::memcpy(raw, &v, 4);
        bytes.append(raw, 4);
    }
    const RowMatrix m = towerlab::decodeNpy(bytes, "f.npy");
    RowMatrix expected(2, 3);
    expected << 1, 2, 3, 4, 5, 6;
    QCOMPARE(m, expected);
}

void TestIoNpy::rejectsBadInput_data() {
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("needle");
    auto raw = [](const std::string& s) { return QByteArray(s.data(), qsizetype(s.size())); };
    const std::string good = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    QTest::newRow("empty") << QByteArray() << "bad magic";
    QTest::newRow("png") << raw("\x89PNG\r\n\x1a\n") << "bad magic";
    QTest::newRow("text") << QByteArray("hello world\n") << "bad magic";
    QTest::newRow("version 4") << raw(npyWithHeader(good, 24, 4)) << "version 4.0";
    QTest::newRow("int32")
        << raw(npyWithHeader("{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }", 24))
        << "'descr': unsupported dtype '<i4'";
    QTest::newRow("big endian")
        << raw(npyWithHeader("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", 24))
        << "unsupported dtype '>f4'";
    QTest::newRow("3-D")
        << raw(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }", 24))
        << "3 dimensions";
    QTest::newRow("short data") << raw(npyWithHeader(good, 23)) << "needs 24 bytes";
    QTest::newRow("long data") << raw(npyWithHeader(good, 25)) << "needs 24 bytes";
    QTest::newRow("huge shape") << raw(npyWithHeader(
                                       "{'descr': '<f4', 'fortran_order': False, 'shape': "
                                       "(4611686018427387904, 4611686018427387904), }",
                                       24))
                                << "needs over 2^64 bytes";
    QTest::newRow("shape overflow")
        << raw(npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': "
                             "(99999999999999999999999, 1), }",
                             24))
        << "too large";
    QTest::newRow("missing key") << raw(npyWithHeader("{'descr': '<f4', 'shape': (2, 3), }", 24))
                                 << "lacks";
    QTest::newRow("unknown key") << raw(npyWithHeader(
                                        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), "
                                        "'x': 1}",
                                        24))
                                 << "unexpected key 'x'";
    QTest::newRow("not a dict") << raw(npyWithHeader("[1, 2]", 24)) << "expected '{'";
    QTest::newRow("unterminated") << raw(npyWithHeader("{'descr: '<f4'", 24))
                                  << "malformed .npy header";
    QTest::newRow("header longer than file")
        << raw(std::string("\x93NUMPY\x01\x00\xff\x7f{", 11)) << "truncated in the header";
}

void TestIoNpy::rejectsBadInput() {
    QFETCH(QByteArray, bytes);
    QFETCH(QString, needle);
    try {
        towerlab::decodeNpy(std::string_view(bytes.constData(), std::size_t(bytes.size())),
                            "bad.npy");
        QFAIL("no NpyError");
    } catch (const NpyError& e) {
        const QString what = QString::fromStdString(e.what());
        QVERIFY2(what.startsWith("bad.npy: "), e.what());
        QVERIFY2(what.contains(needle), e.what());
    }
}

void TestIoNpy::emptyArraysOfAnyShapeReadInstantly_data() {
    QTest::addColumn<QString>("shape");
    QTest::addColumn<qint64>("rows");
    QTest::addColumn<qint64>("cols");
    QTest::newRow("0 x 0") << "(0, 0)" << qint64(0) << qint64(0);
    QTest::newRow("0 x 32") << "(0, 32)" << qint64(0) << qint64(32);
    // The fuzzer's input (tests/fuzz/regressions/fuzz_npy): a row loop over 6e18 empty rows
    // never ended.
    QTest::newRow("6e18 x 0") << "(6222222222222222223, 0)" << qint64(6222222222222222223)
                              << qint64(0);
    QTest::newRow("0 x 6e18 Fortran")
        << "(0, 6222222222222222223)" << qint64(0) << qint64(6222222222222222223);
}

void TestIoNpy::emptyArraysOfAnyShapeReadInstantly() {
    QFETCH(QString, shape);
    QFETCH(qint64, rows);
    QFETCH(qint64, cols);
    const std::string order =
        QTest::currentDataTag() == QByteArray("0 x 6e18 Fortran") ? "True" : "False";
    const std::string bytes = npyWithHeader("{'descr': '<f4', 'fortran_order': " + order +
                                                ", 'shape': " + shape.toStdString() + ", }",
                                            0);
    const RowMatrix m = towerlab::decodeNpy(bytes, "empty.npy");
    QCOMPARE(qint64(m.rows()), rows);
    QCOMPARE(qint64(m.cols()), cols);
    QCOMPARE(m.size(), Eigen::Index(0));
}

void TestIoNpy::everyTruncationIsAnError() {
    const std::string bytes = towerlab::encodeNpy(sample(3, 4));
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        QVERIFY_THROWS_EXCEPTION(NpyError,
                                 towerlab::decodeNpy(std::string_view(bytes).substr(0, n), "t"));
    }
    QCOMPARE(towerlab::decodeNpy(bytes, "t"), sample(3, 4));
}

void TestIoNpy::readErrorsNameThePath() {
    QTemporaryDir dir;
    const fs::path missing = fs::path(dir.path().toStdString()) / "missing.npy";
    try {
        towerlab::readNpy(missing);
        QFAIL("no NpyError");
    } catch (const NpyError& e) {
        QVERIFY2(std::string(e.what()).find(missing.string()) != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(NpyError, towerlab::readNpy(dir.path().toStdString()));
    QVERIFY_THROWS_EXCEPTION(NpyError, towerlab::readNpy("/dev/zero"));
}

QTEST_APPLESS_MAIN(TestIoNpy)
#include "test_io_npy.moc"
