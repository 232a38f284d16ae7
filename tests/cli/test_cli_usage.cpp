// towerlab-cli's command-line contract: every usage error exits 2 with one line naming the
// problem, runtime errors exit 1 naming the file, and --help works for every command.

#include "cli_runner.hpp"

#include <QTemporaryDir>

using namespace towerlab::test;

class TestCliUsage : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_model;
    QString m_textFile;

    // Replaces the MODEL and TEXT placeholders of a data row's arguments.
    QStringList resolved(QStringList args) const {
        for (QString& arg : args) {
            if (arg == "MODEL") {
                arg = m_model;
            } else if (arg == "TEXT") {
                arg = m_textFile;
            } else if (arg.startsWith("DIR/")) {
                arg = m_dir.filePath(arg.mid(4));
            }
        }
        return args;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_model = m_dir.filePath("demo.tlm");
        TOWERLAB_EXPECT_EXIT(
            runCli({"train", "--demo", "--epochs", "1", "--quiet", "--out", m_model}), 0);
        m_textFile = m_dir.filePath("notes.tlm");
        QFile text(m_textFile);
        QVERIFY(text.open(QIODevice::WriteOnly));
        text.write("these are notes, not a model\n");
    }

    void errorsExitWithOneLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        const QStringList query = {"--age",    "25", "--occupation", "17",
                                   "--gender", "M",  "--timestamp",  "879024327"};
        const QStringList demo = {"train", "--demo"};
        const QStringList recommend = QStringList{"recommend", "--model", "MODEL"} + query;

        QTest::newRow("no command") << QStringList{} << 2 << "Usage: towerlab-cli COMMAND";
        QTest::newRow("unknown command")
            << QStringList{"trian"} << 2 << "unknown command \"trian\"";
        QTest::newRow("unknown top-level flag")
            << QStringList{"--frobnicate"} << 2 << "unknown option";
        QTest::newRow("unknown flag") << demo + QStringList{"--bogus"} << 2 << "--bogus";
        QTest::newRow("abbreviated flag") << QStringList{"train", "--dem"} << 2 << "--dem";
        QTest::newRow("stray word")
            << demo + QStringList{"extra"} << 2 << "unexpected argument \"extra\"";
        QTest::newRow("flag twice")
            << demo + QStringList{"--epochs", "1", "--epochs", "2"} << 2 << "more than once";
        QTest::newRow("missing value") << demo + QStringList{"--epochs"} << 2 << "--epochs";
        QTest::newRow("value to a switch") << demo + QStringList{"--quiet=yes"} << 2 << "--quiet";
        QTest::newRow("layers empty") << demo + QStringList{"--layers", ""} << 2 << "--layers";
        QTest::newRow("layers 0") << demo + QStringList{"--layers", "0"} << 2 << "--layers";
        QTest::newRow("layers negative") << demo + QStringList{"--layers", "-4"} << 2 << "--layers";
        QTest::newRow("layers trailing comma")
            << demo + QStringList{"--layers", "64,"} << 2 << "--layers";
        QTest::newRow("layers text")
            << demo + QStringList{"--layers", "wide"} << 2 << "not a whole number";
        QTest::newRow("embedding-dim 0")
            << demo + QStringList{"--embedding-dim", "0"} << 2 << "--embedding-dim";
        QTest::newRow("lr -1") << demo + QStringList{"--lr", "-1"} << 2 << "--lr";
        QTest::newRow("lr 0") << demo + QStringList{"--lr", "0"} << 2 << "--lr";
        QTest::newRow("lr nan") << demo + QStringList{"--lr", "nan"} << 2 << "--lr";
        QTest::newRow("batch 0") << demo + QStringList{"--batch", "0"} << 2 << "--batch";
        QTest::newRow("batch 2.5") << demo + QStringList{"--batch", "2.5"} << 2 << "--batch";
        QTest::newRow("epochs 0") << demo + QStringList{"--epochs", "0"} << 2 << "--epochs";
        QTest::newRow("temperature 0")
            << demo + QStringList{"--temperature", "0"} << 2 << "--temperature: must be";
        QTest::newRow("temperature nan")
            << demo + QStringList{"--temperature", "nan"} << 2 << "--temperature";
        QTest::newRow("temperature -1")
            << demo + QStringList{"--temperature", "-1"} << 2 << "--temperature: must be";
        QTest::newRow("logq unknown")
            << demo + QStringList{"--logq", "popularity"} << 2 << "--logq: unknown correction";
        QTest::newRow("logq-alpha without streaming")
            << demo + QStringList{"--logq-alpha", "0.1"} << 2 << "only to --logq streaming";
        QTest::newRow("logq-alpha 0")
            << demo + QStringList{"--logq", "streaming", "--logq-alpha", "0"} << 2
            << "--logq-alpha: must be in (0, 1]";
        QTest::newRow("hard-negatives 0")
            << demo + QStringList{"--hard-negatives", "0"} << 2 << "--hard-negatives: must be";
        QTest::newRow("hard-negatives = batch")
            << demo + QStringList{"--batch", "64", "--hard-negatives", "64"} << 2
            << "--hard-negatives: must be 0 (off) or from 1 to the batch size minus 1 (63)";
        QTest::newRow("value to --l2-normalize")
            << demo + QStringList{"--l2-normalize=yes"} << 2 << "--l2-normalize";
        QTest::newRow("epochs 3x") << demo + QStringList{"--epochs", "3x"} << 2 << "--epochs";
        QTest::newRow("eval-every -1")
            << demo + QStringList{"--eval-every", "-1"} << 2 << "--eval-every";
        QTest::newRow("seed -1") << demo + QStringList{"--seed", "-1"} << 2 << "--seed";
        QTest::newRow("threads -2") << demo + QStringList{"--threads", "-2"} << 2 << "--threads";
        QTest::newRow("train-fraction 1")
            << demo + QStringList{"--train-fraction", "1"} << 2 << "--train-fraction";
        QTest::newRow("optimizer")
            << demo + QStringList{"--optimizer", "rmsprop"} << 2 << "--optimizer";
        QTest::newRow("split unknown")
            << demo + QStringList{"--split", "weekly"} << 2
            << "--split: unknown split \"weekly\" (random: a seeded shuffle, as the tutorial; "
               "time: the latest ratings test)";
        QTest::newRow("split empty") << demo + QStringList{"--split", ""} << 2 << "--split";
        QTest::newRow("user feature")
            << demo + QStringList{"--user-features", "nope"} << 2 << "unknown feature \"nope\"";
        QTest::newRow("no user feature")
            << demo + QStringList{"--user-features", ""} << 2 << "--user-features";
        QTest::newRow("movie feature")
            << demo + QStringList{"--movie-features", "poster"} << 2 << "--movie-features";
        QTest::newRow("no dataset") << QStringList{"train", "--epochs", "1"} << 2 << "pass --data";
        QTest::newRow("data and demo") << demo + QStringList{"--data", "x"} << 2 << "--demo";
        QTest::newRow("out folder missing")
            << demo + QStringList{"--epochs", "1", "--out", "DIR/missing/m.tlm"} << 1
            << "does not exist";
        QTest::newRow("data missing")
            << QStringList{"train", "--data", "DIR/nothing-here"} << 1 << "nothing-here";

        QTest::newRow("gender X") << QStringList{"recommend",   "--model",  "MODEL",
                                                 "--age",       "25",       "--occupation",
                                                 "17",          "--gender", "X",
                                                 "--timestamp", "879024327"}
                                  << 2 << "--gender";
        QTest::newRow("occupation astronaut")
            << QStringList{"recommend", "--model",      "MODEL",     "--age",
                           "25",        "--occupation", "astronaut", "--gender",
                           "M",         "--timestamp",  "879024327"}
            << 2 << "19 tradesman/craftsman";
        QTest::newRow("occupation 22")
            << QStringList{"recommend", "--model",      "MODEL",    "--age",
                           "25",        "--occupation", "22",       "--gender",
                           "M",         "--timestamp",  "879024327"}
            << 2 << "--occupation";
        QTest::newRow("age negative")
            << QStringList{"recommend", "--model",      "MODEL",    "--age",
                           "-3",        "--occupation", "1",        "--gender",
                           "M",         "--timestamp",  "879024327"}
            << 2 << "--age";
        QTest::newRow("age text") << QStringList{"recommend",   "--model",  "MODEL",
                                                 "--age",       "young",    "--occupation",
                                                 "1",           "--gender", "M",
                                                 "--timestamp", "879024327"}
                                  << 2 << "--age";
        QTest::newRow("bad date") << QStringList{"recommend",   "--model",   "MODEL",
                                                 "--age",       "25",        "--occupation",
                                                 "1",           "--gender",  "M",
                                                 "--timestamp", "1997-02-30"}
                                  << 2 << "not a calendar date";
        QTest::newRow("bad time")
            << QStringList{"recommend",       "--model", "MODEL",    "--age", "25",
                           "--occupation",    "1",       "--gender", "M",     "--timestamp",
                           "1997-02-03T25:00"}
            << 2 << "--timestamp";
        QTest::newRow("timestamp words")
            << QStringList{"recommend", "--model",      "MODEL",    "--age",
                           "25",        "--occupation", "1",        "--gender",
                           "M",         "--timestamp",  "yesterday"}
            << 2 << "--timestamp";
        QTest::newRow("missing --model")
            << QStringList{"recommend"} + query << 2 << "--model is required";
        QTest::newRow("missing --age")
            << QStringList{"recommend", "--model",     "MODEL", "--occupation", "17", "--gender",
                           "M",         "--timestamp", "1"}
            << 2 << "pass --age";
        QTest::newRow("missing --timestamp")
            << QStringList{"recommend",    "--model", "MODEL",    "--age", "30",
                           "--occupation", "17",      "--gender", "M"}
            << 2 << "pass --timestamp";
        QTest::newRow("k 0") << recommend + QStringList{"-k", "0"} << 2 << "-k";
        QTest::newRow("k beyond catalogue")
            << recommend + QStringList{"-k", "100000"} << 2 << "catalogue";
        QTest::newRow("exclude-rated without user")
            << recommend + QStringList{"--demo", "--exclude-rated"} << 2 << "--user-id";
        QTest::newRow("exclude-rated without data")
            << recommend + QStringList{"--user-id", "1", "--exclude-rated"} << 2 << "--data";
        QTest::newRow("exclude-rated unknown user")
            << recommend + QStringList{"--user-id", "999999", "--demo", "--exclude-rated"} << 1
            << "999999";
        QTest::newRow("model is a text file")
            << QStringList{"recommend", "--model", "TEXT"} + query << 1 << "notes.tlm";
        QTest::newRow("model file missing")
            << QStringList{"info", "--model", "DIR/absent.tlm"} << 1 << "absent.tlm";
        QTest::newRow("score without titles")
            << QStringList{"score", "--model", "MODEL"} + query << 2 << "--title is required";
        QTest::newRow("embed neither")
            << QStringList{"embed", "--model", "MODEL", "--out", "x"} << 2 << "--movies";
        QTest::newRow("embed both") << QStringList{"embed",   "--model", "MODEL", "--movies",
                                                   "--users", "--demo",  "--out", "x"}
                                    << 2 << "--movies";
        QTest::newRow("embed users without data")
            << QStringList{"embed", "--model", "MODEL", "--users", "--out", "x"} << 2 << "--users";
        QTest::newRow("embed format")
            << QStringList{"embed", "--model", "MODEL", "--movies", "--format", "csv", "--out", "x"}
            << 2 << "--format";
        QTest::newRow("embed without out")
            << QStringList{"embed", "--model", "MODEL", "--movies"} << 2 << "--out";
        QTest::newRow("evaluate without data")
            << QStringList{"evaluate", "--model", "MODEL"} << 2 << "pass --data";
        QTest::newRow("evaluate text model")
            << QStringList{"evaluate", "--model", "TEXT", "--demo"} << 1 << "notes.tlm";
        QTest::newRow("info without model") << QStringList{"info"} << 2 << "--model";
        QTest::newRow("help for unknown command") << QStringList{"help", "fly"} << 2 << "fly";
    }
    void errorsExitWithOneLine() {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const CliRun run = runCli(resolved(args), m_dir.path());
        TOWERLAB_EXPECT_EXIT(run, code);
        QVERIFY2(run.errText().contains(message), run.err.constData());
        if (!args.isEmpty()) {
            QVERIFY2(run.err.startsWith("towerlab-cli: error: "), run.err.constData());
            QCOMPARE(run.err.count('\n'), 1);
        }
        if (code == 2 && !args.isEmpty()) {
            QVERIFY2(run.errText().contains("--help)"), run.err.constData());
        }
    }

    void helpForEveryCommand_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("usage");
        for (const char* command :
             {"train", "recommend", "score", "embed", "evaluate", "info", "generate"}) {
            const QString name = command;
            QTest::newRow(qPrintable(name + " --help"))
                << QStringList{name, "--help"} << "Usage: towerlab-cli " + name;
            QTest::newRow(qPrintable(name + " -h"))
                << QStringList{name, "-h"} << "Usage: towerlab-cli " + name;
            QTest::newRow(qPrintable("help " + name))
                << QStringList{"help", name} << "Usage: towerlab-cli " + name;
        }
        QTest::newRow("--help") << QStringList{"--help"} << "Usage: towerlab-cli COMMAND";
        QTest::newRow("help") << QStringList{"help"} << "Usage: towerlab-cli COMMAND";
    }
    void helpForEveryCommand() {
        QFETCH(QStringList, args);
        QFETCH(QString, usage);
        const CliRun run = runCli(args);
        TOWERLAB_EXPECT_EXIT(run, 0);
        QVERIFY2(run.outText().contains(usage), run.out.constData());
        QVERIFY(run.err.isEmpty());
        if (args.size() == 2) {
            QVERIFY(run.outText().contains("--help"));
            QVERIFY(run.outText().contains("Exit codes:"));
        }
    }

    void helpWinsOverOtherErrors() {
        // --help with an otherwise incomplete command line still only shows the help.
        const CliRun run = runCli({"recommend", "--help", "--age", "25"});
        TOWERLAB_EXPECT_EXIT(run, 0);
        QVERIFY(run.outText().contains("--occupation OCC"));
    }
};

QTEST_APPLESS_MAIN(TestCliUsage)
#include "test_cli_usage.moc"
