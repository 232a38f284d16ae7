// Opening embeddings made elsewhere: the Projector TSV and .npy readers (what other programs
// write, and what TowerLab's own writers write, back to the bit), their refusals naming file,
// line and field, and matching the labels to a dataset's titles.

#include "data/dataset.hpp"
#include "io/embedding_import.hpp"
#include "io/npy_writer.hpp"
#include "io/projector_tsv.hpp"
#include "retrieval/movie_space.hpp"
#include "retrieval/similarity_matrix.hpp"
#include "retrieval/vector_lengths.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

using towerlab::EmbeddingFileError;
using towerlab::RowMatrix;
namespace fs = std::filesystem;

namespace {

const fs::path kFixtures = fs::path(TOWERLAB_FIXTURES) / "embeddings";

void writeFile(const fs::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

// Invented titles; "Café Noir" is matched by folding the metadata's "cafe noir".
towerlab::Dataset smallDataset() {
    towerlab::Dataset d;
    d.name = "hand-made";
    d.genreNames = {"Sci-Fi", "Mystery", "Film-Noir", "Western"};
    auto movie = [&d](std::int64_t id, std::string title, std::vector<int> genres, int year) {
        d.movies.push_back({id, std::move(title), std::move(genres), year});
    };
    movie(10, "Starship Riddle (1994)", {0, 1}, 1994);
    movie(11, "Starship Riddle II (1996)", {0}, 1996);
    movie(12, "Caf\xC3\xA9 Noir (1952)", {2}, 1952);
    movie(13, "Cowboy Melody (1971)", {3}, 1971);
    movie(14, "Silent Crypt (1988)", {}, 1988);
    d.users.push_back({});
    d.ratings = {{0, 1, 4.0f, 1}, {0, 1, 3.0f, 2}, {0, 2, 5.0f, 3}};
    return d;
}

std::string npy(const std::string& dict, const std::string& data) {
    std::string header = dict;
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header.push_back('\n');
    std::string out("\x93NUMPY\x01\x00", 8);
    out.push_back(static_cast<char>(header.size() & 0xff));
    out.push_back(static_cast<char>(header.size() >> 8));
    return out + header + data;
}

std::string f64(std::initializer_list<double> values) {
    std::string out;
    for (const double v : values) {
        const auto bits = std::bit_cast<std::uint64_t>(v);
        for (int b = 0; b < 8; ++b) {
            out.push_back(static_cast<char>((bits >> (8 * b)) & 0xff));
        }
    }
    return out;
}

} // namespace

class TestIoEmbeddingImport : public QObject {
    Q_OBJECT

private slots:
    void readsPythonStyleProjectorTsv();
    void readsWindowsLineEndsAndOneColumn();
    void roundTripsTowerLabsOwnWriters();
    void readsFloat64Npy();
    void refusesBadVectors_data();
    void refusesBadVectors();
    void refusesBadMetadata_data();
    void refusesBadMetadata();
    void refusesMismatchedFiles();
    void refusesNonFiniteNpyNamingRowAndColumn();
    void matchesTitlesExactThenFolded();
    void worksWithoutADataset();
    void userAndQueryVectors();
    void movieSpaceAnswersLikeAModel();
    void userAndQueryVectorsOpenedAfterwards();
    void findsTheLabelsOfEmbedsUserVectors();
    void cancelStopsTheRead();
};

void TestIoEmbeddingImport::readsPythonStyleProjectorTsv() {
    const RowMatrix m = towerlab::readVectorFile(kFixtures / "projector" / "vectors.tsv");
    QCOMPARE(m.rows(), 6);
    QCOMPARE(m.cols(), 4);
    QCOMPARE(m(1, 2), 1e-05f);
    QCOMPARE(m(3, 0), -0.012345678901234568f);
    const auto table = towerlab::readMetadataFile(kFixtures / "projector" / "metadata.tsv");
    QVERIFY(table.hasHeader);
    QCOMPARE(table.columns.size(), std::size_t(3));
    QCOMPARE(table.rows.size(), std::size_t(6));
    QCOMPARE(table.rows[1][2], std::string());
}

void TestIoEmbeddingImport::readsWindowsLineEndsAndOneColumn() {
    const RowMatrix m = towerlab::readVectorFile(kFixtures / "one_column" / "vectors.tsv");
    QCOMPARE(m.rows(), 3);
    QCOMPARE(m(2, 0), 1e-3f);
    QCOMPARE(m(2, 1), 2.0f);
    const auto table = towerlab::readMetadataFile(kFixtures / "one_column" / "metadata.tsv");
    QVERIFY(!table.hasHeader);
    QCOMPARE(table.rows.size(), std::size_t(3));
    QCOMPARE(table.rows[0][0], std::string("Starship Riddle (1994)"));
}

void TestIoEmbeddingImport::roundTripsTowerLabsOwnWriters() {
    QTemporaryDir dir;
    RowMatrix m(3, 5);
    m << 1.0f / 3.0f, -2.5e-8f, 123456.78f, 0.0f, -0.0f, 1e30f, -1e-30f, 7.0f, 0.1f, 0.2f,
        std::numeric_limits<float>::max(), std::numeric_limits<float>::denorm_min(), 1.0f, -1.0f,
        3.14159f;
    const fs::path root = dir.path().toStdString();
    towerlab::writeProjectorTsv(m, {"title"}, {{"a"}, {""}, {"c"}}, root / "tsv");
    const RowMatrix fromTsv = towerlab::readVectorFile(root / "tsv" / "vectors.tsv");
    QCOMPARE(fromTsv.rows(), m.rows());
    QVERIFY(std::memcmp(fromTsv.data(), m.data(), sizeof(float) * 15) == 0); // to the bit
    const auto table = towerlab::readMetadataFile(root / "tsv" / "metadata.tsv");
    QCOMPARE(table.rows.size(), std::size_t(3)); // the blank label came back as "(blank)"
    QCOMPARE(table.rows[1][0], std::string("(blank)"));
    towerlab::writeNpy(m, root / "m.npy");
    const RowMatrix fromNpy = towerlab::readVectorFile(root / "m.npy");
    QVERIFY(std::memcmp(fromNpy.data(), m.data(), sizeof(float) * 15) == 0);
    // embed --format npy names its labels m_metadata.tsv; a metadata.tsv beside is the fallback.
    QCOMPARE(towerlab::metadataBeside(root / "m.npy"), root / "metadata.tsv");
    writeFile(root / "m_metadata.tsv", "a\nb\nc\n");
    QCOMPARE(towerlab::metadataBeside(root / "m.npy"), root / "m_metadata.tsv");
    const auto plain = towerlab::importEmbeddings({root / "m.npy", {}, {}, {}, {}}, nullptr);
    QCOMPARE(plain.catalogue.titles[1], std::string("b"));
    QVERIFY(!plain.popularityFromMetadata);
    // A popularity column (as embed writes one) is the popularity, and says so.
    writeFile(root / "m_metadata.tsv", "title\tpopularity\na\t5\nb\t\nc\t7\n");
    const auto counted = towerlab::importEmbeddings({root / "m.npy", {}, {}, {}, {}}, nullptr);
    QVERIFY(counted.popularityFromMetadata);
    QCOMPARE(counted.catalogue.popularity[2], 7);
}

void TestIoEmbeddingImport::readsFloat64Npy() {
    QTemporaryDir dir;
    const fs::path path = fs::path(dir.path().toStdString()) / "v.npy";
    // What numpy.save(np.array([[1.5, -2], [1e-3, 4]])) writes: float64 by default.
    writeFile(path, npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
                        f64({1.5, -2.0, 1e-3, 4.0})));
    const RowMatrix m = towerlab::readVectorFile(path);
    QCOMPARE(m.rows(), 2);
    QCOMPARE(m(0, 1), -2.0f);
    QCOMPARE(m(1, 0), static_cast<float>(1e-3));
}

void TestIoEmbeddingImport::refusesBadVectors_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("needle");
    QTest::newRow("empty") << QByteArray() << "v.tsv: the file has no vectors";
    QTest::newRow("only newlines") << QByteArray("\n\n") << "no vectors";
    QTest::newRow("ragged") << QByteArray("1\t2\n3\t4\n5\n") << "v.tsv, line 3: has 1 values";
    QTest::newRow("word") << QByteArray("1\t2\n3\tabc\n")
                          << "line 2, value 2: 'abc' is not a number";
    QTest::newRow("nan") << QByteArray("1\tnan\n") << "line 1, value 2: the value is 'nan'";
    QTest::newRow("inf") << QByteArray("1\t2\n-inf\t2\n") << "line 2, value 1";
    QTest::newRow("too large") << QByteArray("1\t1e39\n") << "beyond float's range";
    QTest::newRow("double tab") << QByteArray("1\t\t2\n") << "line 1, value 2: empty value";
    QTest::newRow("trailing tab") << QByteArray("1\t2\t\n") << "value 3: empty value";
    QTest::newRow("blank inside") << QByteArray("1\t2\n\n3\t4\n") << "line 2: blank line";
    QTest::newRow("space separated") << QByteArray("1 2\n") << "'1 2' is not a number";
    QTest::newRow("npy-like text") << QByteArray("\x93NUMP") << "is not a number";
}

void TestIoEmbeddingImport::refusesBadVectors() {
    QFETCH(QByteArray, text);
    QFETCH(QString, needle);
    QTemporaryDir dir;
    const fs::path path = fs::path(dir.path().toStdString()) / "v.tsv";
    writeFile(path, text.toStdString());
    try {
        (void)towerlab::readVectorFile(path);
        QFAIL("accepted");
    } catch (const EmbeddingFileError& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(needle), e.what());
        QCOMPARE(e.file(), path.string());
    }
    // The in-memory parser says the same.
    QVERIFY_THROWS_EXCEPTION(EmbeddingFileError,
                             towerlab::parseVectorsTsv(text.toStdString(), "v.tsv"));
}

void TestIoEmbeddingImport::refusesBadMetadata_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("needle");
    QTest::newRow("empty") << QByteArray() << "m.tsv: the file is empty";
    QTest::newRow("header only") << QByteArray("title\tyear\n") << "header line but no labels";
    QTest::newRow("ragged") << QByteArray("title\tyear\na\t1\nb\n")
                            << "m.tsv, line 3: has 1 values";
    QTest::newRow("tab after one column")
        << QByteArray("a\nb\tc\n") << "line 2: has a tab, but line 1 has none";
    QTest::newRow("blank column name") << QByteArray("title\t \na\tb\n") << "line 1, column 2";
}

void TestIoEmbeddingImport::refusesBadMetadata() {
    QFETCH(QByteArray, text);
    QFETCH(QString, needle);
    try {
        (void)towerlab::parseMetadataTsv(text.toStdString(), "m.tsv");
        QFAIL("accepted");
    } catch (const EmbeddingFileError& e) {
        QVERIFY2(QString::fromUtf8(e.what()).contains(needle), e.what());
    }
}

void TestIoEmbeddingImport::refusesMismatchedFiles() {
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    writeFile(root / "vectors.tsv", "1\t2\n3\t4\n5\t6\n");
    writeFile(root / "two.tsv", "a\nb\n");
    writeFile(root / "year.tsv", "title\tyear\na\t1990\nb\tsoon\nc\t\n");
    writeFile(root / "q3.tsv", "1\t2\t3\n");
    writeFile(root / "q2rows.tsv", "1\t2\n3\t4\n");
    auto message = [](const towerlab::EmbeddingImportRequest& r) {
        try {
            (void)towerlab::importEmbeddings(r, nullptr);
        } catch (const EmbeddingFileError& e) {
            return QString::fromUtf8(e.what());
        }
        return QString();
    };
    const QString noMeta = message({root / "vectors.tsv", {}, {}, {}, {}});
    QVERIFY2(noMeta.contains("no metadata file beside it"), qPrintable(noMeta));
    const QString count = message({root / "vectors.tsv", root / "two.tsv", {}, {}, {}});
    QVERIFY2(count.contains("two.tsv: 2 label rows, but") && count.contains("has 3 vectors"),
             qPrintable(count));
    const QString year = message({root / "vectors.tsv", root / "year.tsv", {}, {}, {}});
    QVERIFY2(year.contains("year.tsv, line 3, column 'year': 'soon'"), qPrintable(year));
    writeFile(root / "year.tsv", "title\tyear\na\t1990\nb\t\nc\t\n");
    const QString dims2 =
        message({root / "vectors.tsv", root / "year.tsv", {}, {}, root / "q3.tsv"});
    QVERIFY2(dims2.contains("q3.tsv: its vectors have 3 dimensions"), qPrintable(dims2));
    const QString rows =
        message({root / "vectors.tsv", root / "year.tsv", {}, {}, root / "q2rows.tsv"});
    QVERIFY2(rows.contains("q2rows.tsv: has 2 vectors; a query file holds exactly one"),
             qPrintable(rows));
    const QString missing = message({root / "nothing.tsv", root / "two.tsv", {}, {}, {}});
    QVERIFY2(missing.contains("nothing.tsv: no such file"), qPrintable(missing));
    const QString folder = message({root, root / "two.tsv", {}, {}, {}});
    QVERIFY2(folder.contains("is a folder"), qPrintable(folder));
}

void TestIoEmbeddingImport::refusesNonFiniteNpyNamingRowAndColumn() {
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    writeFile(root / "nan.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
                                    f64({1.0, 2.0, 3.0, std::nan("")})));
    try {
        (void)towerlab::readVectorFile(root / "nan.npy");
        QFAIL("accepted");
    } catch (const EmbeddingFileError& e) {
        QVERIFY2(QString(e.what()).contains("nan.npy, row 2, column 2"), e.what());
    }
    // A float64 beyond float's range cannot be kept.
    writeFile(root / "big.npy", npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2), }",
                                    f64({1e300, 2.0})));
    QVERIFY_THROWS_EXCEPTION(EmbeddingFileError, towerlab::readVectorFile(root / "big.npy"));
    writeFile(root / "int.npy",
              npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2), }", f64({1.0, 2.0})));
    try {
        (void)towerlab::readVectorFile(root / "int.npy");
        QFAIL("accepted");
    } catch (const towerlab::NpyError& e) {
        QVERIFY2(
            QString(e.what()).contains("int.npy: header field 'descr': unsupported dtype '<i8'"),
            e.what());
    }
    writeFile(root / "empty.npy",
              npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 4), }", ""));
    QVERIFY_THROWS_EXCEPTION(EmbeddingFileError, towerlab::readVectorFile(root / "empty.npy"));
}

void TestIoEmbeddingImport::matchesTitlesExactThenFolded() {
    const towerlab::Dataset d = smallDataset();
    const auto e =
        towerlab::importEmbeddings({kFixtures / "projector" / "vectors.tsv", {}, {}, {}, {}}, &d);
    QCOMPARE(e.catalogue.size(), std::size_t(6));
    QVERIFY(e.matches.againstDataset);
    QCOMPARE(e.matches.exact, std::size_t(4));
    QCOMPARE(e.matches.folded, std::size_t(1)); // "cafe noir (1952)"
    QCOMPARE(e.matches.unmatched, std::size_t(1));
    QCOMPARE(e.datasetMovies[2], 2);
    QCOMPARE(e.catalogue.movieIds[2], std::int64_t(12));
    QCOMPARE(e.catalogue.titles[2], std::string("cafe noir (1952)")); // its own label stays
    QCOMPARE(e.datasetMovies[5], -1);
    QCOMPARE(e.catalogue.titles[5], std::string("A Film Nobody Catalogued (2031)"));
    QCOMPARE(e.catalogue.years[5], 2031);   // from the metadata
    QCOMPARE(e.catalogue.years[1], 1996);   // empty in the metadata: the matched movie's
    QCOMPARE(e.catalogue.popularity[1], 2); // the dataset's ratings of the matched movie
    QCOMPARE(e.catalogue.popularity[5], 0);
    // Genres by name from the metadata; a new name joins the list.
    const auto& names = e.catalogue.genreNames;
    QCOMPARE(names[static_cast<std::size_t>(e.catalogue.genres[0][0])], std::string("Sci-Fi"));
    QCOMPARE(e.catalogue.genres[0].size(), std::size_t(2));
    QCOMPARE(names[static_cast<std::size_t>(e.catalogue.genres[5][0])], std::string("Documentary"));
    QCOMPARE(names.size(), std::size_t(7)); // 4 + Musical, Horror, Documentary

    const auto one =
        towerlab::importEmbeddings({kFixtures / "one_column" / "vectors.tsv", {}, {}, {}, {}}, &d);
    QCOMPARE(one.matches.exact, std::size_t(1));
    QCOMPARE(one.matches.folded, std::size_t(1));           // "CAFÉ NOIR (1952)"
    QCOMPARE(one.catalogue.genres[1], std::vector<int>{2}); // no genre column: the movie's
}

void TestIoEmbeddingImport::worksWithoutADataset() {
    const auto e = towerlab::importEmbeddings({kFixtures / "one_column" / "vectors.tsv",
                                               kFixtures / "one_column" / "metadata.tsv",
                                               {},
                                               {},
                                               {}},
                                              nullptr);
    QVERIFY(!e.matches.againstDataset);
    QCOMPARE(e.matches.unmatched, std::size_t(3));
    QCOMPARE(e.catalogue.titles[2], std::string("Unknown Picture (2000)"));
    QCOMPARE(e.catalogue.movieIds[0], std::int64_t(-1));
}

void TestIoEmbeddingImport::userAndQueryVectors() {
    const fs::path p = kFixtures / "projector";
    const auto e = towerlab::importEmbeddings(
        {p / "vectors.tsv", {}, p / "users.tsv", p / "users_metadata.tsv", p / "query.tsv"},
        nullptr);
    QCOMPARE(e.userVectors.rows(), 2);
    QCOMPARE(e.userLabels, (std::vector<std::string>{"alice", "bob"}));
    QVERIFY(e.queryVector.has_value());
    // Dot products: movies 0 and 2 score 0.5, movie 1 (0.9, 0.1, ...) 0.5 up to rounding, never
    // more; ties keep catalogue order.
    const auto top = towerlab::recommendForVector(e.movies(), *e.queryVector, 3);
    QCOMPARE(top.size(), std::size_t(3));
    QCOMPARE(top[0].movie, 0);
    QCOMPARE(top[0].score, 0.5f);
    const auto bob = towerlab::recommendForVector(e.movies(), e.userVectors.row(1), 1);
    QCOMPARE(bob[0].movie, 5);
    QCOMPARE(bob[0].score, 2.0f);
    const auto noUsers =
        towerlab::importEmbeddings({p / "vectors.tsv", {}, p / "users.tsv", {}, {}}, nullptr);
    QCOMPARE(noUsers.userLabels[1], std::string("user 2"));
}

void TestIoEmbeddingImport::movieSpaceAnswersLikeAModel() {
    const auto e = towerlab::importEmbeddings(
        {kFixtures / "projector" / "vectors.tsv", {}, {}, {}, {}}, nullptr);
    const auto near = towerlab::nearestMovies(e.movies(), 0, 2, towerlab::Similarity::Cosine);
    QCOMPARE(near.size(), std::size_t(2));
    QCOMPARE(near[0].movie, 1); // (0.9, 0.1, ...) is nearest to (1, 0, 0, 0)
    const std::vector<std::int32_t> pick{0, 1};
    const RowMatrix s = towerlab::similarityMatrix(e.movies(), pick, towerlab::Similarity::Cosine);
    QCOMPARE(s(0, 1), near[0].score); // the matrix agrees with the list to the bit
    const auto lengths = towerlab::candidateVectorLengths(e.movies());
    QCOMPARE(lengths.length.size(), std::size_t(6));
    QCOMPARE(lengths.length[5], 1.0);
    QVERIFY_THROWS_EXCEPTION(std::out_of_range, towerlab::nearestMovies(e.movies(), 6, 2));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             towerlab::recommendForVector(e.movies(), RowMatrix::Ones(1, 3), 2));
}

// The window opens user vectors and query files after the movie vectors: the same rows and
// labels as a single import, and the same refusals naming the file.
void TestIoEmbeddingImport::userAndQueryVectorsOpenedAfterwards() {
    const fs::path p = kFixtures / "projector";
    const auto movies = towerlab::importEmbeddings({p / "vectors.tsv", {}, {}, {}, {}}, nullptr);
    const auto users =
        towerlab::importUserVectors(p / "users.tsv", p / "users_metadata.tsv", movies);
    QCOMPARE(users.vectors.rows(), 2);
    QCOMPARE(users.labels, (std::vector<std::string>{"alice", "bob"}));
    QCOMPARE(users.source, (p / "users.tsv").string());
    const auto together = towerlab::importEmbeddings(
        {p / "vectors.tsv", {}, p / "users.tsv", p / "users_metadata.tsv", {}}, nullptr);
    QVERIFY(users.vectors == together.userVectors);
    const auto numbered = towerlab::importUserVectors(p / "users.tsv", {}, movies);
    QCOMPARE(numbered.labels, (std::vector<std::string>{"user 1", "user 2"}));
    QCOMPARE(towerlab::userMetadataBeside(p / "users.tsv"), p / "users_metadata.tsv");
    QVERIFY(towerlab::userMetadataBeside(p / "query.tsv").empty());
    const RowMatrix query = towerlab::importQueryVector(p / "query.tsv", movies);
    QCOMPARE(query.cols(), 4);

    // Chosen movies scored for a vector: the same scores and ranks as its top list.
    const auto top = towerlab::recommendForVector(movies.movies(), users.vectors.row(1), 6);
    const std::vector<std::int32_t> pick{top[3].movie, top[0].movie};
    const auto scored = towerlab::scoreMoviesForVector(movies.movies(), users.vectors.row(1), pick);
    QCOMPARE(scored[0].movie, top[3].movie);
    QCOMPARE(scored[0].score, top[3].score);
    QCOMPARE(scored[0].rank, top[3].rank);
    QCOMPARE(scored[1].rank, 1);
    QCOMPARE(towerlab::findTitle(movies.catalogue, "Silent Crypt (1988)").value_or(-1), 4);

    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    writeFile(root / "users3.tsv", "1\t2\t3\n4\t5\t6\n");
    writeFile(root / "one_label.tsv", "user_id\tcountry\nalice\tNZ\n");
    auto message = [](auto read) {
        try {
            read();
        } catch (const EmbeddingFileError& e) {
            return QString::fromUtf8(e.what());
        }
        return QString();
    };
    const QString dims =
        message([&] { towerlab::importUserVectors(root / "users3.tsv", {}, movies); });
    QVERIFY2(dims.contains("users3.tsv: its vectors have 3 dimensions, the movie vectors"),
             qPrintable(dims));
    const QString labels = message(
        [&] { towerlab::importUserVectors(p / "users.tsv", root / "one_label.tsv", movies); });
    QVERIFY2(labels.contains("one_label.tsv: 1 label rows (after its header line), but") &&
                 labels.contains("users.tsv has 2 vectors"),
             qPrintable(labels));
    const QString many = message([&] { towerlab::importQueryVector(p / "users.tsv", movies); });
    QVERIFY2(many.contains("users.tsv: has 2 vectors; a query file holds exactly one"),
             qPrintable(many));
    QVERIFY_THROWS_EXCEPTION(
        std::invalid_argument,
        towerlab::scoreMoviesForVector(movies.movies(), RowMatrix::Ones(1, 3), pick));
}

// `towerlab-cli embed --users` writes users/vectors.tsv + users/metadata.tsv (--format tsv) or
// users.npy + users_metadata.tsv (--format npy), beside the movies' own files; the window must
// find those labels for user vectors without asking. Written here with the core writers and
// the columns embed uses.
void TestIoEmbeddingImport::findsTheLabelsOfEmbedsUserVectors() {
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    RowMatrix movies(3, 4);
    movies << 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0;
    towerlab::writeProjectorTsv(movies, {"title", "movie_id", "year", "genres", "popularity"},
                                {{"a (1990)", "1", "1990", "Drama", "3"},
                                 {"b (1991)", "2", "1991", "Comedy", "2"},
                                 {"c (1992)", "3", "1992", "", "1"}},
                                root / "movies");
    RowMatrix users(2, 4);
    users << 0.5f, 0, 0, 0, 0, 0, 0.5f, 0;
    const std::vector<std::string> columns{"user_id", "age_bucket", "occupation", "gender",
                                           "median_timestamp"};
    const std::vector<std::vector<std::string>> rows{{"7", "25", "student", "M", "100"},
                                                     {"9", "35", "writer", "F", "200"}};
    towerlab::writeProjectorTsv(users, columns, rows, root / "users");
    const fs::path userVectors = root / "users" / "vectors.tsv";
    QCOMPARE(towerlab::userMetadataBeside(userVectors), root / "users" / "metadata.tsv");
    const auto opened =
        towerlab::importEmbeddings({root / "movies" / "vectors.tsv", {}, {}, {}, {}}, nullptr);
    const auto labelled =
        towerlab::importUserVectors(userVectors, towerlab::userMetadataBeside(userVectors), opened);
    QCOMPARE(labelled.labels, (std::vector<std::string>{"7", "9"}));

    // --format npy: users.npy and users_metadata.tsv (as embed writes it: a header line and
    // the rows, tab-separated).
    towerlab::writeNpy(users, root / "users.npy");
    writeFile(root / "users_metadata.tsv", "user_id\tage_bucket\toccupation\tgender\t"
                                           "median_timestamp\n7\t25\tstudent\tM\t100\n"
                                           "9\t35\twriter\tF\t200\n");
    QCOMPARE(towerlab::userMetadataBeside(root / "users.npy"), root / "users_metadata.tsv");

    // A vectors.tsv without its metadata.tsv has no labels to find; nor has a file of another
    // name beside a metadata.tsv (the peer's users.tsv beside the movies' pair).
    fs::remove(root / "users" / "metadata.tsv");
    QVERIFY(towerlab::userMetadataBeside(userVectors).empty());
    fs::copy_file(userVectors, root / "movies" / "users.tsv");
    QVERIFY(towerlab::userMetadataBeside(root / "movies" / "users.tsv").empty());
}

void TestIoEmbeddingImport::cancelStopsTheRead() {
    std::atomic<bool> cancel{true};
    towerlab::ReadControl control;
    control.cancel = &cancel;
    QVERIFY_THROWS_EXCEPTION(
        towerlab::EmbeddingReadCancelled,
        towerlab::readVectorFile(kFixtures / "projector" / "vectors.tsv", control));
    int calls = 0;
    double last = 0.0;
    towerlab::ReadControl progress;
    progress.progress = [&](double f) {
        ++calls;
        last = f;
    };
    (void)towerlab::readVectorFile(kFixtures / "projector" / "vectors.tsv", progress);
    QVERIFY(calls >= 1);
    QCOMPARE(last, 1.0);
}

QTEST_APPLESS_MAIN(TestIoEmbeddingImport)
#include "test_io_embedding_import.moc"
