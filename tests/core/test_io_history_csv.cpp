// historyCsv: one row per epoch, empty metric cells between evaluations, a baseline row.

#include "io/history_csv.hpp"

#include <QtTest>

#include <clocale>

using namespace towerlab;

namespace {

RankingMetrics metrics(double top100) {
    RankingMetrics m;
    m.topK = {0.001, 0.01, 0.02, 0.1, top100};
    m.mrr = 0.05;
    return m;
}

} // namespace

class TestHistoryCsv : public QObject {
    Q_OBJECT

private slots:
    void rowsAndCells() {
        TrainingHistory h;
        EpochRecord first;
        first.epoch = 1;
        first.meanLoss = 15560.5;
        first.lastBatchLoss = 620.25;
        first.seconds = 1.5;
        first.examplesPerSecond = 53333;
        h.epochs.push_back(first);
        EpochRecord second = first;
        second.epoch = 2;
        second.test = metrics(0.25);
        h.epochs.push_back(second);
        h.baseline = metrics(0.3);

        const std::string csv = historyCsv(h);
        const QStringList lines = QString::fromStdString(csv).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines[0], QString("epoch,mean_loss,last_batch_loss,seconds,examples_per_second,"
                                   "top_1,top_5,top_10,top_50,top_100,mrr"));
        QCOMPARE(lines[1], QString("1,15560.5,620.25,1.5,53333,,,,,,"));
        QCOMPARE(lines[2], QString("2,15560.5,620.25,1.5,53333,0.001,0.01,0.02,0.1,0.25,0.05"));
        QCOMPARE(lines[3], QString("baseline,,,,,0.001,0.01,0.02,0.1,0.3,0.05"));
        for (const QString& line : lines) {
            QCOMPARE(line.count(','), 10);
        }
    }

    void noBaselineNoBaselineRow() {
        TrainingHistory h;
        QCOMPARE(historyCsv(h), std::string("epoch,mean_loss,last_batch_loss,seconds,"
                                            "examples_per_second,top_1,top_5,top_10,top_50,"
                                            "top_100,mrr\n"));
    }

    void decimalPointWhateverTheLocale() {
        // A desktop in a decimal-comma locale must still get '.' (and so parsable CSV).
        const char* previous = std::setlocale(LC_NUMERIC, nullptr);
        const std::string saved = previous != nullptr ? previous : "C";
        if (std::setlocale(LC_NUMERIC, "de_DE.UTF-8") == nullptr) {
            QSKIP("the de_DE.UTF-8 locale is not installed here");
        }
        TrainingHistory h;
        EpochRecord e;
        e.epoch = 1;
        e.meanLoss = 2.5;
        h.epochs.push_back(e);
        const std::string csv = historyCsv(h);
        std::setlocale(LC_NUMERIC, saved.c_str());
        QVERIFY(csv.find("1,2.5,0,0,0,") != std::string::npos);
    }

    void writesFile() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        TrainingHistory h;
        h.baseline = metrics(0.3);
        const std::filesystem::path path = dir.filePath("h.csv").toStdString();
        writeHistoryCsv(h, path);
        QFile f(QString::fromStdString(path.string()));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll().toStdString(), historyCsv(h));
    }
};

QTEST_APPLESS_MAIN(TestHistoryCsv)
#include "test_io_history_csv.moc"
