// Validation of the Retrieval task options: every absurd value is refused naming its field,
// and the limits themselves are accepted.

#include "model/model_config.hpp"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace towerlab;

class TestRetrievalOptions : public QObject {
    Q_OBJECT

private slots:
    void validation_data() {
        QTest::addColumn<double>("temperature");
        QTest::addColumn<double>("alpha");
        QTest::addColumn<int>("hard");
        QTest::addColumn<QString>("field"); // empty: valid
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        QTest::newRow("defaults") << 1.0 << 0.01 << 0 << "";
        QTest::newRow("smallest temperature") << 1e-4 << 0.01 << 0 << "";
        QTest::newRow("largest temperature") << 1e4 << 0.01 << 0 << "";
        QTest::newRow("temperature 0") << 0.0 << 0.01 << 0 << "temperature";
        QTest::newRow("negative temperature") << -0.1 << 0.01 << 0 << "temperature";
        QTest::newRow("NaN temperature") << nan << 0.01 << 0 << "temperature";
        QTest::newRow("infinite temperature") << inf << 0.01 << 0 << "temperature";
        QTest::newRow("alpha 1") << 1.0 << 1.0 << 0 << "";
        QTest::newRow("alpha 0") << 1.0 << 0.0 << 0 << "logq-alpha";
        QTest::newRow("alpha above 1") << 1.0 << 1.5 << 0 << "logq-alpha";
        QTest::newRow("1 hard negative") << 1.0 << 0.01 << 1 << "";
        QTest::newRow("batch - 1 hard negatives") << 1.0 << 0.01 << 2047 << "";
        QTest::newRow("batch hard negatives") << 1.0 << 0.01 << 2048 << "hard-negatives";
        QTest::newRow("negative hard negatives") << 1.0 << 0.01 << -3 << "hard-negatives";
    }

    void validation() {
        QFETCH(double, temperature);
        QFETCH(double, alpha);
        QFETCH(int, hard);
        QFETCH(QString, field);
        TrainConfig t; // batch 2048
        t.retrieval.temperature = temperature;
        t.retrieval.streamingAlpha = alpha;
        t.retrieval.hardNegatives = hard;
        try {
            t.validate();
            QVERIFY2(field.isEmpty(), "accepted an invalid value");
        } catch (const ConfigError& e) {
            QCOMPARE(QString::fromStdString(e.field()), field);
        }
    }

    void logQNames() {
        for (const auto mode :
             {LogQCorrection::Off, LogQCorrection::Frequency, LogQCorrection::Streaming}) {
            QCOMPARE(parseLogQ(logQName(mode)), mode);
        }
        try {
            (void)parseLogQ("popularity");
            QFAIL("accepted an unknown correction");
        } catch (const ConfigError& e) {
            QCOMPARE(e.field(), std::string("logq"));
        }
    }

    void description() {
        QCOMPARE(describeRetrievalTask(false, {}),
                 std::string("dot product, plain in-batch softmax"));
        RetrievalOptions o;
        o.temperature = 0.1;
        o.logQ = LogQCorrection::Frequency;
        o.removeAccidentalHits = true;
        o.hardNegatives = 10;
        QCOMPARE(describeRetrievalTask(true, o),
                 std::string("cosine, temperature 0.1, logQ frequency, accidental hits removed, "
                             "10 hard negatives"));
        QVERIFY(o.any());
    }
};

QTEST_GUILESS_MAIN(TestRetrievalOptions)
#include "test_model_retrieval_options.moc"
