// Embedding Projector export: vectors.tsv without a header and with round-tripping floats,
// metadata.tsv with a header only for several columns, values sanitised so rows stay aligned
// with the Projector's parser (which splits on tabs and newlines and skips blank lines).

#include "io/projector_tsv.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using towerlab::RowMatrix;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> split(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::string part;
    std::istringstream in(text);
    while (std::getline(in, part, separator)) {
        parts.push_back(part);
    }
    return parts;
}

using Rows = std::vector<std::vector<std::string>>;

} // namespace

class TestIoProjectorTsv : public QObject {
    Q_OBJECT

private slots:
    void init();
    void twoColumnsGetAHeader();
    void oneColumnHasNoHeader();
    void valuesRoundTripAsFloat32();
    void sanitisesValues();
    void blankRowsStayAligned();
    void createsPrefixFolderAndReplacesFiles();
    void rejectsBadArguments_data();
    void rejectsBadArguments();

private:
    std::optional<QTemporaryDir> m_dir;
    fs::path prefix() const { return fs::path(m_dir->path().toStdString()) / "export"; }
};

void TestIoProjectorTsv::init() {
    m_dir.emplace();
    QVERIFY(m_dir->isValid());
}

void TestIoProjectorTsv::twoColumnsGetAHeader() {
    RowMatrix v(2, 3);
    v << 1.0f, -2.5f, 0.0f, 0.125f, 3.0f, 100.0f;
    towerlab::writeProjectorTsv(v, {"title", "genres"},
                                Rows{{"Moon Garden (1994)", "Drama"}, {"Tin Clock (1990)", ""}},
                                prefix());
    QCOMPARE(readAll(prefix() / "vectors.tsv"), std::string("1\t-2.5\t0\n0.125\t3\t100\n"));
    QCOMPARE(readAll(prefix() / "metadata.tsv"),
             std::string("title\tgenres\nMoon Garden (1994)\tDrama\nTin Clock (1990)\t\n"));
}

void TestIoProjectorTsv::oneColumnHasNoHeader() {
    const RowMatrix v = RowMatrix::Ones(2, 2);
    towerlab::writeProjectorTsv(v, {"title"}, Rows{{"Paper Lanterns"}, {"Quiet Harbour"}},
                                prefix());
    QCOMPARE(readAll(prefix() / "metadata.tsv"), std::string("Paper Lanterns\nQuiet Harbour\n"));
}

void TestIoProjectorTsv::valuesRoundTripAsFloat32() {
    RowMatrix v(3, 4);
    v << 0.1f, 1.0f / 3.0f, std::numeric_limits<float>::denorm_min(),
        std::numeric_limits<float>::max(), -std::numeric_limits<float>::min(), 123456.789f, -7e-20f,
        16777217.0f, 0.3f, -0.0f, 2.0f / 3.0f, 1e38f;
    towerlab::writeProjectorTsv(v, {"id"}, Rows{{"a"}, {"b"}, {"c"}}, prefix());
    const auto lines = split(readAll(prefix() / "vectors.tsv"), '\n');
    QCOMPARE(lines.size(), std::size_t{3});
    for (std::size_t r = 0; r < lines.size(); ++r) {
        const auto cells = split(lines[r], '\t');
        QCOMPARE(cells.size(), std::size_t{4});
        for (std::size_t c = 0; c < cells.size(); ++c) {
            float parsed = 0.0f;
            const auto result =
                std::from_chars(cells[c].data(), cells[c].data() + cells[c].size(), parsed);
            QVERIFY(result.ec == std::errc());
            QCOMPARE(result.ptr, cells[c].data() + cells[c].size());
            const float expected = v(Eigen::Index(r), Eigen::Index(c));
            QVERIFY2(std::memcmp(&parsed, &expected, sizeof(float)) == 0, cells[c].c_str());
        }
    }
}

void TestIoProjectorTsv::sanitisesValues() {
    const RowMatrix v = RowMatrix::Zero(2, 2);
    towerlab::writeProjectorTsv(v, {"ti\ttle", "year"},
                                Rows{{"Two\tLines\nHere", "1999\r"}, {"Plain", "2001"}}, prefix());
    QCOMPARE(readAll(prefix() / "metadata.tsv"),
             std::string("ti tle\tyear\nTwo Lines Here\t1999 \nPlain\t2001\n"));
    // A tab in a single-column value would make the Projector read the row as a header.
    towerlab::writeProjectorTsv(v, {"title"}, Rows{{"A\tB"}, {"C"}}, prefix());
    QCOMPARE(readAll(prefix() / "metadata.tsv"), std::string("A B\nC\n"));
}

void TestIoProjectorTsv::blankRowsStayAligned() {
    const RowMatrix v = RowMatrix::Zero(3, 2);
    towerlab::writeProjectorTsv(v, {"title"}, Rows{{"First"}, {" \t"}, {"Third"}}, prefix());
    QCOMPARE(readAll(prefix() / "metadata.tsv"), std::string("First\n(blank)\nThird\n"));
    towerlab::writeProjectorTsv(v, {"title", "genre"}, Rows{{"First", "x"}, {"", ""}, {"T", "y"}},
                                prefix());
    const auto lines = split(readAll(prefix() / "metadata.tsv"), '\n');
    QCOMPARE(lines.size(), std::size_t{4});
    QCOMPARE(lines[2], std::string("(blank)\t"));
}

void TestIoProjectorTsv::createsPrefixFolderAndReplacesFiles() {
    const fs::path deep = prefix() / "run-1" / "query";
    towerlab::writeProjectorTsv(RowMatrix::Ones(1, 2), {"id"}, Rows{{"old"}}, deep);
    towerlab::writeProjectorTsv(RowMatrix::Zero(1, 2), {"id"}, Rows{{"new"}}, deep);
    QCOMPARE(readAll(deep / "vectors.tsv"), std::string("0\t0\n"));
    QCOMPARE(readAll(deep / "metadata.tsv"), std::string("new\n"));
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& entry : fs::directory_iterator(deep)) {
        ++files;
    }
    QCOMPARE(files, std::size_t{2}); // no temporary files left
}

void TestIoProjectorTsv::rejectsBadArguments_data() {
    QTest::addColumn<int>("rows");
    QTest::addColumn<int>("cols");
    QTest::addColumn<QStringList>("columns");
    QTest::addColumn<int>("metadataRows");
    QTest::addColumn<int>("valuesPerRow");
    QTest::addColumn<bool>("nan");
    QTest::addColumn<QString>("needle");
    QTest::newRow("row count") << 3 << 2 << QStringList{"t"} << 2 << 1 << false
                               << "3 vectors but 2";
    QTest::newRow("value count") << 2 << 2 << QStringList{"t", "g"} << 2 << 1 << false
                                 << "has 1 values for 2 columns";
    QTest::newRow("no columns") << 1 << 2 << QStringList{} << 1 << 0 << false
                                << "at least one column";
    QTest::newRow("blank column") << 1 << 2 << QStringList{"t", " "} << 1 << 2 << false
                                  << "column name 1 is blank";
    QTest::newRow("one dimension")
        << 1 << 1 << QStringList{"t"} << 1 << 1 << false << "at least 2 dimensions";
    QTest::newRow("nan") << 2 << 2 << QStringList{"t"} << 2 << 1 << true << "non-finite";
}

void TestIoProjectorTsv::rejectsBadArguments() {
    QFETCH(int, rows);
    QFETCH(int, cols);
    QFETCH(QStringList, columns);
    QFETCH(int, metadataRows);
    QFETCH(int, valuesPerRow);
    QFETCH(bool, nan);
    QFETCH(QString, needle);
    RowMatrix v = RowMatrix::Zero(rows, cols);
    if (nan) {
        v(rows - 1, cols - 1) = std::numeric_limits<float>::quiet_NaN();
    }
    std::vector<std::string> names;
    for (const QString& c : columns) {
        names.push_back(c.toStdString());
    }
    const Rows metadata(std::size_t(metadataRows),
                        std::vector<std::string>(std::size_t(valuesPerRow), "x"));
    try {
        towerlab::writeProjectorTsv(v, names, metadata, prefix());
        QFAIL("no ExportError");
    } catch (const towerlab::ExportError& e) {
        QVERIFY2(QString::fromStdString(e.what()).contains(needle), e.what());
    }
    QVERIFY(!fs::exists(prefix()));
}

QTEST_APPLESS_MAIN(TestIoProjectorTsv)
#include "test_io_projector_tsv.moc"
