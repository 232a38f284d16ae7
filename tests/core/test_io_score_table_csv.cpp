// The Scores view's CSV: quoting of awkward titles, numbers that read back exactly, a '.'
// decimal point in any locale, clear refusals, and atomic files that parse back as written.

#include "data/csv_line.hpp"
#include "io/score_table_csv.hpp"
#include "util/atomic_file.hpp"

#include <QtTest>

#include <clocale>
#include <fstream>
#include <limits>
#include <sstream>

using namespace towerlab;

namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        out.push_back(line);
    }
    return out;
}

std::vector<std::string> fields(const std::string& line) {
    std::vector<std::string> out;
    const std::string error = splitCsvLine(line, out);
    if (!error.empty()) {
        qFatal("unparsable CSV line \"%s\": %s", line.c_str(), error.c_str());
    }
    return out;
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Titles a careless writer would break: commas, quotes, both, a leading space, UTF-8.
const std::vector<ScoreTableRow> kAwkward = {
    {"Lion King, The (1994)", 4.5f, 1},
    {"Farinelli: il castrato (1994)", -0.1f, 7},
    {"\"Crocodile\" Dundee, Part \"II\" (1988)", 1.0f / 3.0f, 3},
    {" Mis\xC3\xA9rables, Les (1995)", 1e-7f, 400},
};

} // namespace

class TestScoreTableCsv : public QObject {
    Q_OBJECT

private slots:
    void fieldsAreQuotedOnlyWhenNeeded() {
        QCOMPARE(delimitedField("Rent-a-Kid (1995)"), std::string("Rent-a-Kid (1995)"));
        QCOMPARE(delimitedField("Lion King, The (1994)"), std::string("\"Lion King, The (1994)\""));
        QCOMPARE(delimitedField("say \"hi\""), std::string("\"say \"\"hi\"\"\""));
        QCOMPARE(delimitedField("two\nlines"), std::string("\"two\nlines\""));
        QCOMPARE(delimitedField(" padded"), std::string("\" padded\""));
        QCOMPARE(delimitedField(""), std::string(""));
        // With a tab separator a comma is ordinary text, a tab is not.
        QCOMPARE(delimitedField("Lion King, The (1994)", '\t'),
                 std::string("Lion King, The (1994)"));
        QCOMPARE(delimitedField("a\tb", '\t'), std::string("\"a\tb\""));
    }

    void scoreTableRoundTrips() {
        const std::string csv = scoreTableCsv(kAwkward, 400);
        const auto rows = lines(csv);
        QCOMPARE(rows.size(), kAwkward.size() + 1);
        QCOMPARE(rows[0], std::string("title,score,rank,catalogue_size"));
        for (std::size_t i = 0; i < kAwkward.size(); ++i) {
            const auto f = fields(rows[i + 1]);
            QCOMPARE(f.size(), std::size_t(4));
            QCOMPARE(f[0], kAwkward[i].title);
            QCOMPARE(std::stof(f[1]), kAwkward[i].score); // bit-exact, not approximately
            QCOMPARE(std::stoi(f[2]), kAwkward[i].rank);
            QCOMPARE(f[3], std::string("400"));
        }
        QCOMPARE(rows[1], std::string("\"Lion King, The (1994)\",4.5,1,400"));
    }

    void tabSeparatedForTheClipboard() {
        const std::string tsv = scoreTableCsv(kAwkward, 400, '\t');
        const auto rows = lines(tsv);
        QCOMPARE(rows[0], std::string("title\tscore\trank\tcatalogue_size"));
        QCOMPARE(rows[1], std::string("Lion King, The (1994)\t4.5\t1\t400"));
        QCOMPARE(rows[3], std::string("\"\"\"Crocodile\"\" Dundee, Part \"\"II\"\" (1988)\"\t"
                                      "0.33333334\t3\t400"));
    }

    void emptyTableIsJustTheHeader() {
        QCOMPARE(scoreTableCsv({}, 10), std::string("title,score,rank,catalogue_size\n"));
        QCOMPARE(similarityMatrixCsv({}, RowMatrix(0, 0)), std::string("title\n"));
    }

    void decimalPointWhateverTheLocale() {
        const char* previous = std::setlocale(LC_NUMERIC, nullptr);
        const std::string saved = previous != nullptr ? previous : "C";
        if (std::setlocale(LC_NUMERIC, "de_DE.UTF-8") == nullptr) {
            QSKIP("the de_DE.UTF-8 locale is not installed here");
        }
        const std::vector<ScoreTableRow> rows{{"A", 2.5f, 1}};
        const std::string csv = scoreTableCsv(rows, 1);
        std::setlocale(LC_NUMERIC, saved.c_str());
        QCOMPARE(lines(csv)[1], std::string("A,2.5,1,1"));
    }

    void badRowsAreRefusedWithTheTitle() {
        const std::vector<ScoreTableRow> nan{
            {"Broken (1990)", std::numeric_limits<float>::quiet_NaN(), 1}};
        QVERIFY_THROWS_EXCEPTION(ExportError, scoreTableCsv(nan, 5));
        try {
            scoreTableCsv(nan, 5);
        } catch (const ExportError& e) {
            QVERIFY(std::string(e.what()).find("Broken (1990)") != std::string::npos);
        }
        const std::vector<ScoreTableRow> rank0{{"Zero", 1.0f, 0}};
        QVERIFY_THROWS_EXCEPTION(ExportError, scoreTableCsv(rank0, 5));
        const std::vector<ScoreTableRow> rankTooHigh{{"High", 1.0f, 6}};
        QVERIFY_THROWS_EXCEPTION(ExportError, scoreTableCsv(rankTooHigh, 5));
    }

    void matrixRoundTrips() {
        const std::vector<std::string> titles{"Lion King, The (1994)", "Rent-a-Kid (1995)",
                                              "Say \"Yes\" (1990)"};
        RowMatrix m(3, 3);
        m << 1.0f, 0.25f, -0.5f, 0.2500001f, 1.0f, 1.0f / 7.0f, -0.5f, 0.1428571f, 0.99999994f;
        const auto rows = lines(similarityMatrixCsv(titles, m));
        QCOMPARE(rows.size(), std::size_t(4));
        const auto header = fields(rows[0]);
        QCOMPARE(header.size(), std::size_t(4));
        QCOMPARE(header[0], std::string("title"));
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(header[i + 1], titles[i]);
            const auto f = fields(rows[i + 1]);
            QCOMPARE(f.size(), std::size_t(4));
            QCOMPARE(f[0], titles[i]);
            for (std::size_t j = 0; j < 3; ++j) {
                QCOMPARE(std::stof(f[j + 1]),
                         m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
            }
        }
    }

    void badMatricesAreRefused() {
        const std::vector<std::string> titles{"A", "B"};
        QVERIFY_THROWS_EXCEPTION(ExportError, similarityMatrixCsv(titles, RowMatrix(2, 3)));
        QVERIFY_THROWS_EXCEPTION(ExportError, similarityMatrixCsv(titles, RowMatrix(3, 3)));
        RowMatrix inf = RowMatrix::Zero(2, 2);
        inf(1, 0) = std::numeric_limits<float>::infinity();
        try {
            similarityMatrixCsv(titles, inf);
            QFAIL("an infinite value was written");
        } catch (const ExportError& e) {
            QCOMPARE(std::string(e.what()),
                     std::string("the similarity of \"B\" and \"A\" is not a finite number"));
        }
    }

    void filesAreWrittenWholeOrNotAtAll() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::filesystem::path path = dir.filePath("scores.csv").toStdString();
        writeScoreTableCsv(kAwkward, 400, path);
        QCOMPARE(readFile(path), scoreTableCsv(kAwkward, 400));

        const std::vector<std::string> titles{"A, the first", "B"};
        const RowMatrix m = RowMatrix::Identity(2, 2);
        const std::filesystem::path matrixPath = dir.filePath("matrix.csv").toStdString();
        writeSimilarityMatrixCsv(titles, m, matrixPath);
        QCOMPARE(readFile(matrixPath), similarityMatrixCsv(titles, m));

        // A failing write leaves the previous file intact and says why.
        AtomicFileWriter::setFaultInjectionForTesting(std::size_t{10});
        QVERIFY_THROWS_EXCEPTION(FileWriteError, writeScoreTableCsv({}, 1, path));
        AtomicFileWriter::setFaultInjectionForTesting(std::nullopt);
        QCOMPARE(readFile(path), scoreTableCsv(kAwkward, 400));
        // A folder that does not exist is an error, not a crash.
        QVERIFY_THROWS_EXCEPTION(
            FileWriteError,
            writeScoreTableCsv(kAwkward, 400, dir.filePath("no/such/x.csv").toStdString()));
    }
};

QTEST_APPLESS_MAIN(TestScoreTableCsv)
#include "test_io_score_table_csv.moc"
