// towerlab-cli train, evaluate and info on the built-in demo dataset: the JSON report, the
// progress lines, cancellation by SIGINT, divergence, and that a saved model evaluates to
// exactly the metrics its training reported.

#include "cli_runner.hpp"

#include <QTemporaryDir>

#include <cmath>
#include <csignal>
#include <sys/types.h>

using namespace towerlab::test;

namespace {

const QStringList kCutoffs = {"1", "5", "10", "50", "100"};

void verifyMetricsObject(const QJsonObject& metrics, const char* what) {
    for (const char* prefix : {"top_", "recall_", "ndcg_"}) {
        for (const QString& k : kCutoffs) {
            const QString key = prefix + k;
            QVERIFY2(metrics.contains(key), qPrintable(QString(what) + " lacks " + key));
            const double value = metrics.value(key).toDouble(-1.0);
            QVERIFY2(value >= 0.0 && value <= 1.0,
                     qPrintable(QString(what) + "." + key + " = " + QString::number(value)));
        }
    }
    const double mrr = metrics.value("mrr").toDouble(-1.0);
    QVERIFY2(mrr > 0.0 && mrr <= 1.0, qPrintable(QString(what) + ".mrr = " + QString::number(mrr)));
    QVERIFY(metrics.value("examples").toInt() > 0);
    // Hit rates cannot fall as k grows.
    for (int i = 1; i < kCutoffs.size(); ++i) {
        QVERIFY(metrics.value("top_" + kCutoffs[i]).toDouble() >=
                metrics.value("top_" + kCutoffs[i - 1]).toDouble());
    }
}

// BEYOND: every metric at every cut-off, in range; diversity null at k = 1 only.
void verifyBeyondObject(const QJsonObject& beyond, const char* what) {
    QVERIFY2(beyond.value("queries").toInt() > 0, what);
    for (const QString& k : kCutoffs) {
        for (const char* prefix : {"coverage_", "gini_"}) {
            const double v = beyond.value(prefix + k).toDouble(-1.0);
            QVERIFY2(v >= 0.0 && v <= 1.0, qPrintable(QString(what) + " " + prefix + k));
        }
        const double percentile = beyond.value("popularity_percentile_" + k).toDouble(-1.0);
        QVERIFY2(percentile > 0.0 && percentile < 100.0, qPrintable(QString(what) + " pct " + k));
        QVERIFY2(beyond.value("novelty_" + k).toDouble(-1.0) > 0.0, what);
        const QJsonValue diversity = beyond.value("genre_diversity_" + k);
        if (k == "1") {
            QVERIFY2(diversity.isNull(), what);
        } else {
            QVERIFY2(diversity.toDouble(-1.0) >= 0.0 && diversity.toDouble(2.0) <= 1.0, what);
        }
    }
    // Coverage cannot fall as the lists grow.
    for (int i = 1; i < kCutoffs.size(); ++i) {
        QVERIFY(beyond.value("coverage_" + kCutoffs[i]).toDouble() >=
                beyond.value("coverage_" + kCutoffs[i - 1]).toDouble());
    }
}

} // namespace

class TestCliTrain : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QJsonObject m_run;

    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const CliRun run = runCli({"train", "--demo", "--epochs", "2", "--out", path("demo.tlm"),
                                   "--json", path("run.json")});
        TOWERLAB_EXPECT_EXIT(run, 0);
        m_run = readJsonObject(path("run.json"));
        QVERIFY2(!m_run.isEmpty(), "run.json is missing or not a JSON object");
    }

    void trainJsonHasTheContractKeys() {
        QCOMPARE(m_run.value("outcome").toString(), QString("completed"));
        QCOMPARE(m_run.value("epochs_trained").toInt(), 2);
        verifyMetricsObject(m_run.value("metrics").toObject(), "metrics");
        verifyMetricsObject(m_run.value("baseline").toObject(), "baseline");
        QVERIFY(m_run.value("train_seconds").toDouble(-1) > 0.0);
        QVERIFY(m_run.value("total_seconds").toDouble() >= m_run.value("train_seconds").toDouble());

        const QJsonArray history = m_run.value("history").toArray();
        QCOMPARE(history.size(), 2);
        for (int i = 0; i < history.size(); ++i) {
            const QJsonObject epoch = history[i].toObject();
            QCOMPARE(epoch.value("epoch").toInt(), i + 1);
            for (const char* key :
                 {"mean_loss", "last_batch_loss", "seconds", "examples_per_second"}) {
                QVERIFY2(epoch.value(key).toDouble(-1) > 0.0, key);
            }
        }
        // --eval-every defaults to 5, so only the last epoch is evaluated, and the final
        // metrics are that evaluation.
        QVERIFY(!history[0].toObject().contains("test"));
        QCOMPARE(history[1].toObject().value("test").toObject(), m_run.value("metrics").toObject());

        const QJsonObject config = m_run.value("config").toObject();
        QCOMPARE(config.value("layers").toArray(), QJsonArray({32}));
        QCOMPARE(config.value("optimizer").toString(), QString("adagrad"));
        QCOMPARE(config.value("learning_rate").toDouble(), 0.1);
        QCOMPARE(config.value("batch_size").toInt(), 2048);
        QCOMPARE(config.value("seed").toInt(), 42);
        QCOMPARE(config.value("split").toString(), QString("random"));
        QCOMPARE(config.value("user_features").toArray(),
                 QJsonArray({"age", "occupation", "gender", "timestamp_bucket", "timestamp_norm"}));
        QCOMPARE(config.value("movie_features").toArray(), QJsonArray({"title_id", "title_text"}));
        // Every Retrieval option off: the tutorial's task.
        QCOMPARE(config.value("l2_normalize").toBool(true), false);
        QCOMPARE(config.value("temperature").toDouble(), 1.0);
        QCOMPARE(config.value("logq").toString(), QString("off"));
        QCOMPARE(config.value("remove_accidental_hits").toBool(true), false);
        QCOMPARE(config.value("hard_negatives").toInt(-1), 0);
        QCOMPARE(config.value("logits").toString(), QString("fp32"));
        QCOMPARE(m_run.value("logits_in_use").toString(), QString("fp32"));

        const QJsonObject dataset = m_run.value("dataset").toObject();
        QCOMPARE(dataset.value("name").toString(), QString("TowerLab demo"));
        QCOMPARE(dataset.value("fingerprint").toString().size(), 16);
        QCOMPARE(dataset.value("train_examples").toInt() + dataset.value("test_examples").toInt(),
                 dataset.value("ratings").toInt());
        QCOMPARE(m_run.value("model_file").toString(), path("demo.tlm"));
    }

    void trainPrintsOneProgressLinePerEpoch() {
        const CliRun run = runCli({"train", "--demo", "--epochs", "3", "--eval-every", "2"});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QStringList lines = run.errText().split('\n', Qt::SkipEmptyParts);
        QStringList epochLines;
        for (const QString& line : lines) {
            if (line.startsWith("epoch ")) {
                epochLines << line;
            }
        }
        QCOMPARE(epochLines.size(), 3);
        QVERIFY(epochLines[0].startsWith("epoch 1/3  loss "));
        QVERIFY(epochLines[0].contains(" ex/s"));
        QVERIFY(!epochLines[0].contains("top-100"));
        QVERIFY(epochLines[1].contains("test top-1 "));
        QVERIFY(epochLines[2].contains("top-100"));
        // stderr is not a terminal here, so there is no in-place batch line.
        QVERIFY(!run.err.contains('\r'));
        QVERIFY(run.outText().contains("outcome: completed after 3 of 3 epochs"));
        QVERIFY(run.outText().contains("top-k accuracy"));
    }

    void quietSilencesProgress() {
        const CliRun run = runCli({"train", "--demo", "--epochs", "1", "--quiet"});
        TOWERLAB_EXPECT_EXIT(run, 0);
        QVERIFY2(run.err.isEmpty(), run.err.constData());
        QVERIFY(run.outText().contains("outcome: completed"));
    }

    void jsonToStdout() {
        const CliRun run = runCli({"train", "--demo", "--epochs", "1", "--quiet", "--json", "-"});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QJsonObject json = parseJsonObject(run.out);
        QCOMPARE(json.value("outcome").toString(), QString("completed"));
        QVERIFY(json.value("model_file").isNull());
    }

    void evaluateReproducesTheTrainingMetrics() {
        const CliRun run = runCli(
            {"evaluate", "--model", path("demo.tlm"), "--demo", "--json", path("eval.json")});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QJsonObject eval = readJsonObject(path("eval.json"));
        QVERIFY(eval.value("same_dataset").toBool());
        // Same split, same weights: the numbers are the same, not merely close.
        QCOMPARE(eval.value("metrics").toObject(), m_run.value("metrics").toObject());
        QCOMPARE(eval.value("baseline").toObject(), m_run.value("baseline").toObject());
        QCOMPARE(eval.value("test_examples").toInt(),
                 m_run.value("dataset").toObject().value("test_examples").toInt());

        const CliRun text = runCli({"evaluate", "--model", path("demo.tlm"), "--demo"});
        TOWERLAB_EXPECT_EXIT(text, 0);
        QVERIFY(text.outText().contains("the one the model was trained on"));
        QVERIFY(text.outText().contains("most popular"));
    }

    void beyondAccuracyAndSeenExclusion() {
        // Without --exclude-seen: beyond accuracy for the model and the baseline, nothing
        // seen-excluded.
        verifyBeyondObject(m_run.value("beyond_accuracy").toObject(), "beyond_accuracy");
        verifyBeyondObject(m_run.value("baseline_beyond_accuracy").toObject(), "baseline beyond");
        QVERIFY(m_run.value("metrics_excluding_seen").isNull());
        QVERIFY(m_run.value("baseline_excluding_seen").isNull());
        QCOMPARE(m_run.value("config").toObject().value("exclude_seen").toBool(true), false);
        const QJsonObject last = m_run.value("history").toArray().last().toObject();
        QCOMPARE(last.value("beyond_accuracy").toObject(),
                 m_run.value("beyond_accuracy").toObject());
        QVERIFY(!last.contains("test_excluding_seen"));

        // evaluate reproduces them, and with --exclude-seen adds the labelled second numbers.
        const CliRun run = runCli({"evaluate", "--model", path("demo.tlm"), "--demo",
                                   "--exclude-seen", "--json", path("eval_seen.json")});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QJsonObject eval = readJsonObject(path("eval_seen.json"));
        QVERIFY(eval.value("exclude_seen").toBool());
        QCOMPARE(eval.value("beyond_accuracy").toObject(),
                 m_run.value("beyond_accuracy").toObject());
        QCOMPARE(eval.value("metrics").toObject(), m_run.value("metrics").toObject());
        for (const char* key : {"metrics", "baseline"}) {
            const QJsonObject plain = eval.value(key).toObject();
            const QJsonObject seen = eval.value(QString(key) + "_excluding_seen").toObject();
            verifyMetricsObject(seen, key);
            // Removing candidates can only lift the positive: never a lower hit rate.
            for (const QString& k : kCutoffs) {
                QVERIFY(seen.value("top_" + k).toDouble() >= plain.value("top_" + k).toDouble());
            }
            QVERIFY(seen.value("mrr").toDouble() > plain.value("mrr").toDouble());
        }

        const CliRun text =
            runCli({"evaluate", "--model", path("demo.tlm"), "--demo", "--exclude-seen"});
        TOWERLAB_EXPECT_EXIT(text, 0);
        for (const char* label :
             {"top-k, seen excluded", "catalogue coverage", "popularity percentile",
              "gini of exposure", "novelty (bits)", "genre diversity"}) {
            QVERIFY2(text.outText().contains(label), label);
        }

        // train --exclude-seen measures both and trains exactly as without.
        const CliRun trained = runCli(
            {"train", "--demo", "--epochs", "2", "--exclude-seen", "--quiet", "--json", "-"});
        TOWERLAB_EXPECT_EXIT(trained, 0);
        const QJsonObject json = parseJsonObject(trained.out);
        QVERIFY(json.value("config").toObject().value("exclude_seen").toBool());
        QCOMPARE(json.value("metrics").toObject(), m_run.value("metrics").toObject());
        QCOMPARE(json.value("metrics_excluding_seen").toObject(),
                 eval.value("metrics_excluding_seen").toObject());
        QCOMPARE(json.value("baseline_excluding_seen").toObject(),
                 eval.value("baseline_excluding_seen").toObject());
        QCOMPARE(json.value("history").toArray().last().toObject().value("test_excluding_seen"),
                 json.value("metrics_excluding_seen"));
    }

    void infoDescribesTheModel() {
        const CliRun run = runCli({"info", "--model", path("demo.tlm")});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QString out = run.outText();
        QVERIFY(out.contains("dataset: TowerLab demo"));
        QVERIFY(
            out.contains("user features: age,occupation,gender,timestamp_bucket,timestamp_norm"));
        QVERIFY(out.contains("movie features: title_id,title_text"));
        QVERIFY(out.contains("epochs trained: 2 of 2"));
        QVERIFY(out.contains("test metrics after epoch 2"));

        const CliRun json = runCli({"info", "--model", path("demo.tlm"), "--json", "-"});
        TOWERLAB_EXPECT_EXIT(json, 0);
        const QJsonObject info = parseJsonObject(json.out);
        QCOMPARE(info.value("config").toObject(), m_run.value("config").toObject());
        QCOMPARE(info.value("metrics").toObject(), m_run.value("metrics").toObject());
        QCOMPARE(info.value("baseline").toObject(), m_run.value("baseline").toObject());
        QCOMPARE(info.value("epochs_trained").toInt(), 2);
        QCOMPARE(info.value("history").toArray().size(), 2);
        QCOMPARE(info.value("dataset").toObject().value("fingerprint"),
                 m_run.value("dataset").toObject().value("fingerprint"));
    }

    void trainOptionsReachTheModel() {
        const CliRun run = runCli({"train",
                                   "--demo",
                                   "--epochs",
                                   "1",
                                   "--layers",
                                   "16,8",
                                   "--embedding-dim",
                                   "8",
                                   "--optimizer",
                                   "adam",
                                   "--batch",
                                   "512",
                                   "--seed",
                                   "7",
                                   "--user-features",
                                   "age,user_id",
                                   "--movie-features",
                                   "genres,title_text",
                                   "--threads",
                                   "1",
                                   "--quiet",
                                   "--json",
                                   "-"});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QJsonObject config = parseJsonObject(run.out).value("config").toObject();
        QCOMPARE(config.value("layers").toArray(), QJsonArray({16, 8}));
        QCOMPARE(config.value("embedding_dim").toInt(), 8);
        QCOMPARE(config.value("optimizer").toString(), QString("adam"));
        QCOMPARE(config.value("learning_rate").toDouble(), 0.001); // Adam's default
        QCOMPARE(config.value("batch_size").toInt(), 512);
        QCOMPARE(config.value("seed").toInt(), 7);
        QCOMPARE(config.value("threads").toInt(), 1);
        QCOMPARE(config.value("user_features").toArray(), QJsonArray({"age", "user_id"}));
        QCOMPARE(config.value("movie_features").toArray(), QJsonArray({"title_text", "genres"}));
    }

    // --logits bf16 runs as bf16 where the CPU can, and otherwise as fp32 with a reason on
    // stderr, even with --quiet; where it runs, the notes say on what. An unknown precision
    // is a usage error naming the flag.
    void logitsOptionReachesTheTrainer() {
        const CliRun run = runCli({"train", "--demo", "--epochs", "1", "--eval-every", "0",
                                   "--logits", "bf16", "--quiet", "--json", "-"});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QJsonObject report = parseJsonObject(run.out);
        QCOMPARE(report.value("config").toObject().value("logits").toString(), QString("bf16"));
        const QString inUse = report.value("logits_in_use").toString();
        QVERIFY2(inUse == "bf16" || inUse == "fp32", qPrintable(inUse));
        if (inUse == "fp32") {
            QVERIFY2(run.errText().contains("--logits bf16 unavailable"), run.err.constData());
        } else {
            QVERIFY2(run.err.isEmpty(), run.err.constData());
            // Without --quiet the run says what multiplies: AMX tiles or AVX-512 BF16 (the
            // latter always with a retrieval-task option, whose loss has no tile path).
            const CliRun told = runCli(
                {"train", "--demo", "--epochs", "1", "--eval-every", "0", "--logits", "bf16"});
            TOWERLAB_EXPECT_EXIT(told, 0);
            const QString all = told.outText() + told.errText();
            QVERIFY2(all.contains("logits: bf16 operands, AMX tiles") ||
                         all.contains("logits: bf16 operands, the logits alone with AVX-512 BF16"),
                     qPrintable(all));
            const CliRun withOption = runCli({"train", "--demo", "--epochs", "1", "--eval-every",
                                              "0", "--logits", "bf16", "--temperature", "0.5"});
            TOWERLAB_EXPECT_EXIT(withOption, 0);
            const QString optionText = withOption.outText() + withOption.errText();
            QVERIFY2(optionText.contains("AVX-512 BF16") &&
                         optionText.contains("the retrieval-task options have no AMX path"),
                     qPrintable(optionText));
        }
        const CliRun bad = runCli({"train", "--demo", "--logits", "fp16"});
        TOWERLAB_EXPECT_EXIT(bad, 2);
        QVERIFY2(bad.errText().contains("--logits") && bad.errText().contains("fp16"),
                 bad.err.constData());
    }

    // The Retrieval options reach the trainer, the JSON, the model file and `info`.
    void retrievalOptionsReachTheModel() {
        const QString model = path("options.tlm");
        const CliRun run = runCli({"train",
                                   "--demo",
                                   "--epochs",
                                   "1",
                                   "--batch",
                                   "512",
                                   "--temperature",
                                   "0.1",
                                   "--logq",
                                   "streaming",
                                   "--logq-alpha",
                                   "0.05",
                                   "--remove-accidental-hits",
                                   "--hard-negatives",
                                   "10",
                                   "--l2-normalize",
                                   "--quiet",
                                   "--out",
                                   model,
                                   "--json",
                                   "-"});
        TOWERLAB_EXPECT_EXIT(run, 0);
        const QJsonObject config = parseJsonObject(run.out).value("config").toObject();
        QCOMPARE(config.value("l2_normalize").toBool(), true);
        QCOMPARE(config.value("temperature").toDouble(), 0.1);
        QCOMPARE(config.value("logq").toString(), QString("streaming"));
        QCOMPARE(config.value("logq_alpha").toDouble(), 0.05);
        QCOMPARE(config.value("remove_accidental_hits").toBool(), true);
        QCOMPARE(config.value("hard_negatives").toInt(), 10);

        const CliRun info = runCli({"info", "--model", model});
        TOWERLAB_EXPECT_EXIT(info, 0);
        QVERIFY2(info.outText().contains(
                     "retrieval task: cosine, temperature 0.1, logQ streaming (alpha 0.05), "
                     "accidental hits removed, 10 hard negatives"),
                 info.out.constData());
        const CliRun infoJson = runCli({"info", "--model", model, "--json", "-"});
        QCOMPARE(parseJsonObject(infoJson.out).value("config").toObject(), config);

        // A cosine model's scores are cosines.
        const CliRun top =
            runCli({"recommend", "--model", model, "--age", "25", "--occupation", "17", "--gender",
                    "M", "--timestamp", "879024327", "-k", "3", "--json", "-"});
        TOWERLAB_EXPECT_EXIT(top, 0);
        const QJsonArray hits = parseJsonObject(top.out).value("results").toArray();
        QCOMPARE(hits.size(), 3);
        for (const auto& hit : hits) {
            QVERIFY(std::abs(hit.toObject().value("score").toDouble()) <= 1.0 + 1e-6);
        }
        const CliRun help = runCli({"train", "--help"});
        for (const char* flag :
             {"--temperature", "--logq", "--logq-alpha", "--remove-accidental-hits",
              "--hard-negatives", "--l2-normalize"}) {
            QVERIFY2(help.outText().contains(flag), flag);
        }
    }

    // --split time reaches the trainer, the JSON, the model file, `info` and `evaluate`: the
    // latest 20% of the demo's ratings test, and the saved model's split is rebuilt exactly.
    // --eval-queries: fewer queries than the demo's 12,006 test ratings are a seeded sample,
    // and every output says so; evaluate draws the same sample; "all" ranks every one.
    void sampledEvaluationIsLabelled() {
        const QString model = path("sampled.tlm");
        const CliRun run = runCli({"train", "--demo", "--epochs", "1", "--eval-queries", "500",
                                   "--out", model, "--json", "-"});
        TOWERLAB_EXPECT_EXIT(run, 0);
        QVERIFY2(run.errText().contains("evaluation: 500 sampled test queries"),
                 run.err.constData());
        const QJsonObject report = parseJsonObject(run.out);
        QCOMPARE(report.value("config").toObject().value("eval_queries").toInt(), 500);
        const QJsonObject dataset = report.value("dataset").toObject();
        const int testExamples = dataset.value("test_examples").toInt();
        QVERIFY(testExamples > 500);
        QCOMPARE(dataset.value("evaluated_test_examples").toInt(), 500);
        QVERIFY(dataset.value("test_examples_sampled").toBool(false));
        QCOMPARE(report.value("metrics").toObject().value("examples").toInt(), 500);
        QCOMPARE(report.value("baseline").toObject().value("examples").toInt(), 500);
        // The default (20,000) is more than the demo's test split: every test rating.
        QCOMPARE(m_run.value("dataset").toObject().value("evaluated_test_examples").toInt(),
                 testExamples);
        QVERIFY(!m_run.value("dataset").toObject().value("test_examples_sampled").toBool(true));
        QCOMPARE(m_run.value("config").toObject().value("eval_queries").toInt(), 20000);

        const CliRun eval = runCli(
            {"evaluate", "--model", model, "--demo", "--eval-queries", "500", "--json", "-"});
        TOWERLAB_EXPECT_EXIT(eval, 0);
        const QJsonObject sampled = parseJsonObject(eval.out);
        QCOMPARE(sampled.value("metrics").toObject(), report.value("metrics").toObject());
        QCOMPARE(sampled.value("test_examples").toInt(), testExamples);
        QCOMPARE(sampled.value("evaluated_test_examples").toInt(), 500);
        QVERIFY(sampled.value("test_examples_sampled").toBool(false));
        const CliRun text =
            runCli({"evaluate", "--model", model, "--demo", "--eval-queries", "500"});
        QVERIFY2(text.outText().contains("500 sampled of " + QString::number(testExamples)),
                 text.out.constData());
        const CliRun all = runCli(
            {"evaluate", "--model", model, "--demo", "--eval-queries", "all", "--json", "-"});
        TOWERLAB_EXPECT_EXIT(all, 0);
        const QJsonObject whole = parseJsonObject(all.out);
        QCOMPARE(whole.value("evaluated_test_examples").toInt(), testExamples);
        QVERIFY(!whole.value("test_examples_sampled").toBool(true));
        QCOMPARE(whole.value("eval_queries").toString(), QString("all"));

        const CliRun info = runCli({"info", "--model", model});
        TOWERLAB_EXPECT_EXIT(info, 0);
        QVERIFY2(info.outText().contains("eval queries 500"), info.out.constData());
        QVERIFY2(info.outText().contains("500 sampled of " + QString::number(testExamples)),
                 info.out.constData());

        for (const char* bad : {"0", "-5", "some", "3000000000"}) {
            const CliRun refused =
                runCli({"train", "--demo", "--epochs", "1", "--eval-queries", bad});
            TOWERLAB_EXPECT_EXIT(refused, 2);
            QVERIFY2(refused.errText().contains("--eval-queries"), refused.err.constData());
        }
        QVERIFY(runCli({"train", "--help"}).outText().contains("--eval-queries N|all"));
        QVERIFY(runCli({"evaluate", "--help"}).outText().contains("--eval-queries N|all"));
    }

    void timeSplitReachesTheModel() {
        const QString model = path("time.tlm");
        const CliRun run = runCli(
            {"train", "--demo", "--epochs", "2", "--split", "time", "--out", model, "--json", "-"});
        TOWERLAB_EXPECT_EXIT(run, 0);
        QVERIFY2(run.errText().contains(
                     "split: time, 80% train (the latest 20% of the ratings by timestamp test)"),
                 run.err.constData());
        const QJsonObject report = parseJsonObject(run.out);
        const QJsonObject config = report.value("config").toObject();
        QCOMPARE(config.value("split").toString(), QString("time"));
        // The same sizes as the random split: round(0.8 n) train.
        const QJsonObject dataset = report.value("dataset").toObject();
        const QJsonObject randomDataset = m_run.value("dataset").toObject();
        QCOMPARE(dataset.value("train_examples").toInt(),
                 randomDataset.value("train_examples").toInt());
        QCOMPARE(dataset.value("test_examples").toInt(),
                 randomDataset.value("test_examples").toInt());
        // Another test set: the most-popular baseline, which depends only on the split, moves.
        QVERIFY(report.value("baseline").toObject() != m_run.value("baseline").toObject());

        const CliRun info = runCli({"info", "--model", model});
        TOWERLAB_EXPECT_EXIT(info, 0);
        QVERIFY2(info.outText().contains(
                     "split: time, 80% train (the latest 20% of the ratings by timestamp test)"),
                 info.out.constData());
        const CliRun infoJson = runCli({"info", "--model", model, "--json", "-"});
        QCOMPARE(parseJsonObject(infoJson.out).value("config").toObject(), config);
        const CliRun randomInfo = runCli({"info", "--model", path("demo.tlm")});
        QVERIFY(randomInfo.outText().contains("split: random (seed 42), 80% train"));

        // evaluate rebuilds the time split from the file: the training metrics, exactly.
        const CliRun eval = runCli({"evaluate", "--model", model, "--demo", "--json", "-"});
        TOWERLAB_EXPECT_EXIT(eval, 0);
        const QJsonObject evaluation = parseJsonObject(eval.out);
        QCOMPARE(evaluation.value("split").toString(), QString("time"));
        QCOMPARE(evaluation.value("metrics").toObject(), report.value("metrics").toObject());
        QCOMPARE(evaluation.value("baseline").toObject(), report.value("baseline").toObject());
        const CliRun text = runCli({"evaluate", "--model", model, "--demo"});
        QVERIFY2(text.outText().contains("split: time, 80% train"), text.out.constData());

        const CliRun help = runCli({"train", "--help"});
        QVERIFY(help.outText().contains("--split KIND"));
    }

    // Features added through the feature table alone reach training, the model file, the query
    // flags (--feature for a user feature without a flag of its own) and the JSON.
    void tableFeaturesTrainAndQuery() {
        const QString data = QStringLiteral(TOWERLAB_FIXTURES) + "/ml100k/valid";
        const CliRun train =
            runCli({"train", "--data", data, "--epochs", "2", "--batch", "4", "--quiet",
                    "--user-features", "age,timestamp_norm,zip_region", "--movie-features",
                    "title_id,release_year", "--out", path("table.tlm"), "--json", "-"});
        TOWERLAB_EXPECT_EXIT(train, 0);
        const QJsonObject config = parseJsonObject(train.out).value("config").toObject();
        QCOMPARE(config.value("user_features").toArray(),
                 QJsonArray({"age", "timestamp_norm", "zip_region"}));
        QCOMPARE(config.value("movie_features").toArray(),
                 QJsonArray({"title_id", "release_year"}));

        const QStringList query{
            "recommend", "--model", path("table.tlm"), "--age", "30", "--timestamp", "880000000",
            "-k",        "3",       "--json",          "-"};
        const CliRun west = runCli(query + QStringList{"--feature", "zip_region=9"});
        TOWERLAB_EXPECT_EXIT(west, 0);
        const QJsonObject westJson = parseJsonObject(west.out);
        QCOMPARE(westJson.value("query").toObject().value("zip_region").toInt(), 9);
        // Another region is another query-tower input, so another score.
        const CliRun east = runCli(query + QStringList{"--feature", "zip_region=0"});
        TOWERLAB_EXPECT_EXIT(east, 0);
        QVERIFY(westJson.value("results").toArray() !=
                parseJsonObject(east.out).value("results").toArray());

        const CliRun missing = runCli(query);
        TOWERLAB_EXPECT_EXIT(missing, 2);
        QVERIFY2(missing.errText().contains("--feature zip_region=VALUE"),
                 qPrintable(missing.errText()));
        const CliRun wrong = runCli(query + QStringList{"--feature", "age=25"});
        TOWERLAB_EXPECT_EXIT(wrong, 2);
        QVERIFY2(wrong.errText().contains("age has an option of its own"),
                 qPrintable(wrong.errText()));

        const CliRun trainHelp = runCli({"train", "--help"});
        QVERIFY(trainHelp.outText().contains("zip_region") &&
                trainHelp.outText().contains("release_year"));
    }

    void versionAndTopLevelHelp() {
        const CliRun version = runCli({"--version"});
        TOWERLAB_EXPECT_EXIT(version, 0);
        QVERIFY(version.outText().startsWith("towerlab-cli "));
        const CliRun help = runCli({"--help"});
        TOWERLAB_EXPECT_EXIT(help, 0);
        for (const char* command : {"train", "recommend", "score", "embed", "evaluate", "info"}) {
            QVERIFY2(help.outText().contains(QString("\n  ") + command + " "), command);
        }
    }

    void sigintCancelsAndSavesTheModel() {
        QProcess process;
        process.start(cliPath(), {"train", "--demo", "--epochs", "100000", "--out",
                                  path("cancelled.tlm"), "--json", path("cancelled.json")});
        QVERIFY(process.waitForStarted());
        QByteArray err;
        QElapsedTimer timer;
        timer.start();
        while (!err.contains("epoch 1/") && timer.elapsed() < 120000) {
            process.waitForReadyRead(1000);
            err += process.readAllStandardError();
        }
        QVERIFY2(err.contains("epoch 1/"), err.constData());
        ::kill(static_cast<pid_t>(process.processId()), SIGINT);
        QVERIFY(process.waitForFinished(120000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 130);

        const QJsonObject json = readJsonObject(path("cancelled.json"));
        QCOMPARE(json.value("outcome").toString(), QString("cancelled"));
        QVERIFY(json.value("message").toString().contains("stopped by request"));
        const int epochs = json.value("epochs_trained").toInt();
        QVERIFY(epochs >= 1 && epochs < 100000);
        verifyMetricsObject(json.value("metrics").toObject(), "metrics");

        const CliRun info = runCli({"info", "--model", path("cancelled.tlm"), "--json", "-"});
        TOWERLAB_EXPECT_EXIT(info, 0);
        QCOMPARE(parseJsonObject(info.out).value("epochs_trained").toInt(), epochs);
    }

    void divergedRunSavesTheLastGoodModelAndExits3() {
        const CliRun run =
            runCli({"train", "--demo", "--epochs", "3", "--optimizer", "sgd", "--lr", "1000000",
                    "--out", path("diverged.tlm"), "--json", path("diverged.json")});
        TOWERLAB_EXPECT_EXIT(run, 3);
        const QJsonObject json = readJsonObject(path("diverged.json"));
        QCOMPARE(json.value("outcome").toString(), QString("diverged"));
        QVERIFY(json.value("message").toString().contains("finite"));
        QVERIFY(run.errText().contains("diverged"));
        const CliRun info = runCli({"info", "--model", path("diverged.tlm")});
        TOWERLAB_EXPECT_EXIT(info, 0);
    }

    void outIsReplacedOnlyByASuccessfulRun() {
        const QString target = path("existing.tlm");
        {
            QFile file(target);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("previous contents");
        }
        const CliRun failed =
            runCli({"train", "--data", path("no-such-folder"), "--epochs", "1", "--out", target});
        TOWERLAB_EXPECT_EXIT(failed, 1);
        {
            QFile file(target);
            QVERIFY(file.open(QIODevice::ReadOnly));
            QCOMPARE(file.readAll(), QByteArray("previous contents"));
        }
        const CliRun ok = runCli({"train", "--demo", "--epochs", "1", "--quiet", "--out", target});
        TOWERLAB_EXPECT_EXIT(ok, 0);
        TOWERLAB_EXPECT_EXIT(runCli({"info", "--model", target}), 0);
        // No temporary file is left beside the target.
        const QStringList left = QDir(m_dir.path()).entryList({"existing.tlm*"}, QDir::Files);
        QCOMPARE(left, QStringList({"existing.tlm"}));
    }

    void unknownDatasetFolderNamesWhatItExpected() {
        QTemporaryDir folder;
        QFile file(folder.filePath("notes.txt"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        const CliRun run = runCli({"train", "--data", folder.path(), "--epochs", "1"});
        TOWERLAB_EXPECT_EXIT(run, 1);
        QVERIFY2(run.errText().contains("u.data, u.item, u.user"), run.err.constData());
        QVERIFY2(run.errText().contains("notes.txt"), run.err.constData());
        QCOMPARE(run.err.count('\n'), 1);
    }
};

QTEST_APPLESS_MAIN(TestCliTrain)
#include "test_cli_train.moc"
