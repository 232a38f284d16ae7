// The 2-D map TSV of `towerlab-cli project`: header, one row per point in order, labels kept
// on one line, coordinates that read back as the same float32, and refusals of bad input.

#include "io/map_tsv.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string>

using towerlab::RowMatrix;
using towerlab::writeMapTsv;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

class TestIoMapTsv : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path path(const char* name) const { return fs::path(m_dir.path().toStdString()) / name; }

private slots:
    void writesHeaderAndRows() {
        RowMatrix xy(3, 2);
        xy << 0.1f, -2.5f, 1e-7f, 3.0f, 123456.79f, -0.0f;
        const fs::path file = path("map.tsv");
        writeMapTsv(file, "movie_id", "title", {7, 12, 3},
                    {"Toy Story (1995)", "Tab\there", "Line\nbreak"}, xy);
        QCOMPARE(QString::fromStdString(readAll(file)),
                 QStringLiteral("movie_id\ttitle\tx\ty\n"
                                "7\tToy Story (1995)\t0.1\t-2.5\n"
                                "12\tTab here\t1e-07\t3\n"
                                "3\tLine break\t123456.79\t-0\n"));
    }

    void coordinatesReadBackExactly() {
        RowMatrix xy(1, 2);
        xy << 0.3333333432674408f, 2.718281828f;
        const fs::path file = path("exact.tsv");
        writeMapTsv(file, "user_id", "label", {1}, {"u"}, xy);
        const std::string text = readAll(file);
        const auto row = text.substr(text.find('\n') + 1);
        const auto x = row.substr(row.find('\t', 2) + 1);
        QCOMPARE(std::stof(x), xy(0, 0));
        QCOMPARE(std::stof(x.substr(x.find('\t') + 1)), xy(0, 1));
    }

    void refusesBadInput() {
        RowMatrix xy(2, 2);
        xy.setZero();
        const fs::path file = path("bad.tsv");
        QVERIFY_THROWS_EXCEPTION(towerlab::ExportError,
                                 writeMapTsv(file, "id", "label", {1}, {"a", "b"}, xy));
        QVERIFY_THROWS_EXCEPTION(towerlab::ExportError,
                                 writeMapTsv(file, "id", "label", {1, 2}, {"a"}, xy));
        QVERIFY_THROWS_EXCEPTION(towerlab::ExportError,
                                 writeMapTsv(file, "", "label", {1, 2}, {"a", "b"}, xy));
        QVERIFY_THROWS_EXCEPTION(towerlab::ExportError,
                                 writeMapTsv(file, "id", "la\tbel", {1, 2}, {"a", "b"}, xy));
        RowMatrix three(2, 3);
        three.setZero();
        QVERIFY_THROWS_EXCEPTION(towerlab::ExportError,
                                 writeMapTsv(file, "id", "label", {1, 2}, {"a", "b"}, three));
        xy(1, 1) = std::numeric_limits<float>::quiet_NaN();
        QVERIFY_THROWS_EXCEPTION(towerlab::ExportError,
                                 writeMapTsv(file, "id", "label", {1, 2}, {"a", "b"}, xy));
        QVERIFY(!fs::exists(file)); // nothing half-written
    }
};

QTEST_APPLESS_MAIN(TestIoMapTsv)
#include "test_io_map_tsv.moc"
