// towerlab-cli on the real MovieLens 100K: the tutorial's steps in order, as the README's "The
// tutorial in TowerLab" gives them — train one layer of 32 for 50 epochs (seed 42), the top 50
// for its query (gender written as the tutorial writes it, True), the query's and the three
// titles' vectors and scores, then the saved model loaded again giving the same top 10.
// Skipped when the data is absent (it is not redistributable, so it is not in the repository).
// $TOWERLAB_REALDATA_EPOCHS shortens the run (the sanitizer suite uses 2); the accuracy
// threshold is then one that a 2-epoch run meets (top-100 0.156, chance 0.06).

#include "cli_runner.hpp"
#include "test_support.hpp"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cmath>

using namespace towerlab::test;

namespace {

const QStringList kTutorialQuery = {"--age",    "25",   "--occupation", "17",
                                    "--gender", "true", "--timestamp",  "879024327"};

double dot(const QJsonArray& a, const QJsonArray& b) {
    double sum = 0.0;
    for (qsizetype i = 0; i < a.size(); ++i) {
        sum += a[i].toDouble() * b[i].toDouble();
    }
    return sum;
}

} // namespace

class TestCliRealData : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;

private slots:
    void tutorialRunThroughTheCli() {
        TOWERLAB_REQUIRE_ML100K(folder);
        QVERIFY(m_dir.isValid());
        const QString model = m_dir.filePath("m.tlm");
        const QString report = m_dir.filePath("run.json");

        const int epochs = realDataEpochs();
        QElapsedTimer timer;
        timer.start();
        const CliRun train = runCli({"train", "--data", QString::fromStdString(folder.string()),
                                     "--layers", "32", "--epochs", QString::number(epochs),
                                     "--seed", "42", "--out", model, "--json", report});
        const double seconds = static_cast<double>(timer.elapsed()) / 1000.0;
        TOWERLAB_EXPECT_EXIT(train, 0);
        const QJsonObject run = readJsonObject(report);
        const QJsonObject metrics = run.value("metrics").toObject();
        const QJsonObject baseline = run.value("baseline").toObject();
        qDebug("train --layers 32 --epochs %d: %.1f s wall (training %.1f s, evaluation %.1f s); "
               "test top-100 %.4f, top-50 %.4f, top-10 %.4f; baseline top-100 %.4f",
               epochs, seconds, run.value("train_seconds").toDouble(),
               run.value("eval_seconds").toDouble(), metrics.value("top_100").toDouble(),
               metrics.value("top_50").toDouble(), metrics.value("top_10").toDouble(),
               baseline.value("top_100").toDouble());

        QCOMPARE(run.value("dataset").toObject().value("ratings").toInt(), 100000);
        QCOMPARE(run.value("dataset").toObject().value("test_examples").toInt(), 20000);
        QCOMPARE(run.value("history").toArray().size(), epochs);
        // The tutorial reports 0.16; the reference implementation 0.164 +- 0.003 over seeds; a
        // 2-epoch run reaches 0.156 (chance is 0.06).
        QVERIFY2(metrics.value("top_100").toDouble() >= (epochs == 50 ? 0.15 : 0.10),
                 qPrintable(QString::number(metrics.value("top_100").toDouble())));
        QVERIFY2(baseline.value("top_100").toDouble() >= 0.25,
                 qPrintable(QString::number(baseline.value("top_100").toDouble())));

        const CliRun recommend = runCli(
            QStringList{"recommend", "--model", model, "-k", "50", "--json", "-"} + kTutorialQuery);
        TOWERLAB_EXPECT_EXIT(recommend, 0);
        const QJsonObject top50 = parseJsonObject(recommend.out);
        QCOMPARE(top50.value("query").toObject().value("gender").toString(), QString("M"));
        const QJsonArray results = top50.value("results").toArray();
        QCOMPARE(results.size(), 50);
        QSet<QString> titles;
        for (const QJsonValue& row : results) {
            titles.insert(row.toObject().value("title").toString());
        }
        QCOMPARE(titles.size(), 50);

        // The tutorial's three titles (from its published text, not from the data files).
        // Steps 5 and 6: the vectors, and each score is their dot product.
        const CliRun score = runCli(
            QStringList{"score", "--model", model, "--vectors", "--json", "-"} + kTutorialQuery +
            QStringList{"--title", "Red Rock West (1992)", "--title", "Palookaville (1996)",
                        "--title", "Beautiful Thing (1996)"});
        TOWERLAB_EXPECT_EXIT(score, 0);
        const QJsonObject scoreJson = parseJsonObject(score.out);
        const QJsonArray queryVector = scoreJson.value("query_vector").toArray();
        QCOMPARE(queryVector.size(), 32);
        const QJsonArray scored = scoreJson.value("results").toArray();
        QCOMPARE(scored.size(), 3);
        double bestScore = -1e30;
        QString best;
        for (const QJsonValue& value : scored) {
            const QJsonObject row = value.toObject();
            const int rank = row.value("rank").toInt();
            QVERIFY(rank >= 1 && rank <= 1682);
            const QJsonArray vector = row.value("vector").toArray();
            QCOMPARE(vector.size(), 32);
            const double expected = dot(queryVector, vector);
            QVERIFY2(std::abs(row.value("score").toDouble() - expected) <=
                         1e-4 * std::max(1.0, std::abs(expected)),
                     qPrintable(row.value("title").toString()));
            // A title ranked in the top 50 stands at that place of the list.
            if (rank <= 50) {
                QCOMPARE(results[rank - 1].toObject().value("title").toString(),
                         row.value("title").toString());
            }
            if (row.value("score").toDouble() > bestScore) {
                bestScore = row.value("score").toDouble();
                best = row.value("title").toString();
            }
        }
        QCOMPARE(scoreJson.value("best").toString(), best);
        QString summary;
        for (const QJsonValue& value : scored) {
            summary += QString("%1 %2 (rank %3); ")
                           .arg(value.toObject().value("title").toString())
                           .arg(value.toObject().value("score").toDouble(), 0, 'f', 2)
                           .arg(value.toObject().value("rank").toInt());
        }
        qDebug("tutorial scores: %s", qPrintable(summary));

        // Step 7: the saved model, loaded again from elsewhere, gives the same top 10.
        const QString moved = m_dir.filePath("elsewhere.tlm");
        QVERIFY(QFile::copy(model, moved));
        const CliRun reloaded = runCli(
            QStringList{"recommend", "--model", moved, "-k", "10", "--json", "-"} + kTutorialQuery);
        TOWERLAB_EXPECT_EXIT(reloaded, 0);
        const QJsonArray top10 = parseJsonObject(reloaded.out).value("results").toArray();
        QCOMPARE(top10.size(), 10);
        for (qsizetype i = 0; i < 10; ++i) {
            QCOMPARE(top10[i].toObject().value("title").toString(),
                     results[i].toObject().value("title").toString());
            QCOMPARE(top10[i].toObject().value("score").toDouble(),
                     results[i].toObject().value("score").toDouble());
        }

        const CliRun evaluate = runCli({"evaluate", "--model", model, "--data",
                                        QString::fromStdString(folder.string()), "--json", "-"});
        TOWERLAB_EXPECT_EXIT(evaluate, 0);
        QCOMPARE(parseJsonObject(evaluate.out).value("metrics").toObject(), metrics);
    }
};

TOWERLAB_REALDATA_APPLESS_MAIN(TestCliRealData)
#include "test_cli_realdata.moc"
