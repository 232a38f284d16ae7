#pragma once
// Runs the towerlab-cli binary for the CLI suites, which test the program as a user runs it:
// they link Qt only, never the core.

#include <QByteArray>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QtTest>

namespace towerlab::test {

struct CliRun {
    int exitCode = -1;
    bool crashed = true; // killed by a signal, or never started / timed out
    QByteArray out;
    QByteArray err;

    QString errText() const { return QString::fromUtf8(err); }
    QString outText() const { return QString::fromUtf8(out); }
};

inline QString cliPath() {
    return QStringLiteral(TOWERLAB_CLI);
}

// Runs the CLI with args in workDir (the current folder when empty) and waits for it; env,
// when given, replaces the test's own environment.
inline CliRun runCli(const QStringList& args, const QString& workDir = {},
                     int timeoutMs = 10 * 60 * 1000,
                     const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess process;
    if (!workDir.isEmpty()) {
        process.setWorkingDirectory(workDir);
    }
    process.setProcessEnvironment(env);
    process.start(cliPath(), args);
    CliRun run;
    if (!process.waitForStarted() || !process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        run.err = "towerlab-cli did not start or did not finish in time: " +
                  process.errorString().toUtf8();
        return run;
    }
    run.crashed = process.exitStatus() != QProcess::NormalExit;
    run.exitCode = process.exitCode();
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

// A one-line description of a run for QVERIFY2 messages.
inline QByteArray describe(const CliRun& run) {
    return "exit " + QByteArray::number(run.exitCode) + (run.crashed ? " (crashed)" : "") +
           "; stderr: " + run.err.left(2000) + "; stdout: " + run.out.left(2000);
}

inline QJsonObject readJsonObject(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    return QJsonDocument::fromJson(file.readAll()).object();
}

inline QJsonObject parseJsonObject(const QByteArray& bytes) {
    return QJsonDocument::fromJson(bytes).object();
}

// The lines of a text file, without the final newline's empty line.
inline QStringList readLines(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        return {};
    }
    QStringList lines = QString::fromUtf8(file.readAll()).split('\n');
    if (!lines.isEmpty() && lines.back().isEmpty()) {
        lines.pop_back();
    }
    return lines;
}

} // namespace towerlab::test

// Fails the test with the run's output unless it exited normally with `code`.
#define TOWERLAB_EXPECT_EXIT(run, code)                                                            \
    QVERIFY2(                                                                                      \
        !(run).crashed && (run).exitCode == (code),                                                \
        ("expected exit " + QByteArray::number(code) + ", got " + towerlab::test::describe(run))   \
            .constData())
