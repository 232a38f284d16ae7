// The engine is built twice, for baseline x86-64 and for x86-64-v4, and the dynamic loader picks
// one at run time (core/CMakeLists.txt). These tests run the CLI as a user would and check that
// a CPU with AVX-512 gets the AVX-512 engine, that masking AVX-512 out of the loader's view
// (as on a CPU without it) gets the baseline engine, and that both train the same model.

#include "cli_runner.hpp"

#include <QTemporaryDir>

#include <cmath>

using namespace towerlab::test;

namespace {

#if TOWERLAB_CPU_DISPATCH
// Only a build with run-time dispatch has two engines to choose between; a native or sanitizer
// build (TOWERLAB_CPU_DISPATCH 0) has one, so these would go unused there (-Wunused-function).

// What glibc's loader checks for its glibc-hwcaps/x86-64-v4 folder. The test command also runs
// the suite with AVX-512 masked out of the loader's view (GLIBC_TUNABLES), as on an older CPU.
bool cpuHasX86_64_v4() {
    if (qgetenv("GLIBC_TUNABLES").contains("-AVX512")) {
        return false;
    }
#if defined(__x86_64__) && defined(__GNUC__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl");
#else
    return false;
#endif
}

// The environment of a process on a CPU without AVX-512, as far as the loader can tell.
QProcessEnvironment withoutAvx512() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("GLIBC_TUNABLES", "glibc.cpu.hwcaps=-AVX512F");
    return env;
}
#endif

QString engineOf(const CliRun& run) {
    const QString out = run.outText().trimmed();
    const qsizetype at = out.indexOf("engine ");
    return at < 0 ? QString() : out.mid(at + 7).chopped(1);
}

} // namespace

class TestCliEngineDispatch : public QObject {
    Q_OBJECT

private slots:
    void versionNamesTheEngine() {
        const CliRun run = runCli({"--version"});
        QVERIFY2(run.exitCode == 0 && !run.crashed, describe(run).constData());
        const QString engine = engineOf(run);
#if TOWERLAB_CPU_DISPATCH
        QCOMPARE(engine,
                 cpuHasX86_64_v4() ? QString("x86-64-v4 (AVX-512)") : QString("x86-64 (baseline)"));
#else
        QVERIFY2(engine.startsWith("native") || engine == "generic", qPrintable(engine));
#endif
    }

    void maskedAvx512LoadsTheBaselineEngine() {
#if !TOWERLAB_CPU_DISPATCH
        QSKIP("built without run-time dispatch (TOWERLAB_NATIVE or a sanitizer build)");
#else
        const CliRun run = runCli({"--version"}, {}, 60 * 1000, withoutAvx512());
        QVERIFY2(run.exitCode == 0 && !run.crashed, describe(run).constData());
        QCOMPARE(engineOf(run), QString("x86-64 (baseline)"));
#endif
    }

    // Both engines train the same model: the same data, split and batches, and metrics that
    // differ only by rounding (AVX-512 fuses multiply-adds, baseline SSE2 does not).
    void bothEnginesTrainTheSameModel() {
#if !TOWERLAB_CPU_DISPATCH
        QSKIP("built without run-time dispatch (TOWERLAB_NATIVE or a sanitizer build)");
#else
        if (!cpuHasX86_64_v4()) {
            QSKIP("no AVX-512 here (or it is masked): only the baseline engine can run");
        }
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString fast = dir.filePath("v4.json");
        const QString base = dir.filePath("baseline.json");
        const QStringList args = {"train", "--demo", "--epochs", "3", "--seed", "7", "--quiet"};
        const CliRun a = runCli(args + QStringList{"--json", fast});
        QVERIFY2(a.exitCode == 0 && !a.crashed, describe(a).constData());
        const CliRun b =
            runCli(args + QStringList{"--json", base}, {}, 10 * 60 * 1000, withoutAvx512());
        QVERIFY2(b.exitCode == 0 && !b.crashed, describe(b).constData());
        const QJsonObject ja = readJsonObject(fast);
        const QJsonObject jb = readJsonObject(base);
        QCOMPARE(jb["dataset"].toObject(), ja["dataset"].toObject());
        QCOMPARE(jb["epochs_trained"].toInt(), 3);
        const QJsonObject ma = ja["metrics"].toObject();
        const QJsonObject mb = jb["metrics"].toObject();
        QVERIFY(!ma.isEmpty());
        for (const QString key : {"top_1", "top_10", "top_50", "top_100", "ndcg_100"}) {
            QVERIFY2(ma.contains(key), qPrintable(key));
            const double x = ma[key].toDouble();
            const double y = mb[key].toDouble();
            QVERIFY2(std::abs(x - y) < 0.01,
                     qPrintable(QString("%1: AVX-512 %2, baseline %3").arg(key).arg(x).arg(y)));
        }
        const QJsonArray ha = ja["history"].toArray();
        const QJsonArray hb = jb["history"].toArray();
        QCOMPARE(hb.size(), ha.size());
        for (qsizetype e = 0; e < ha.size(); ++e) {
            const double x = ha[e].toObject()["mean_loss"].toDouble();
            const double y = hb[e].toObject()["mean_loss"].toDouble();
            QVERIFY2(x > 0 && std::abs(x - y) <= 1e-3 * x,
                     qPrintable(QString("epoch %1 mean loss: AVX-512 %2, baseline %3")
                                    .arg(e + 1)
                                    .arg(x)
                                    .arg(y)));
        }
#endif
    }
};

QTEST_APPLESS_MAIN(TestCliEngineDispatch)
#include "test_cli_engine_dispatch.moc"
