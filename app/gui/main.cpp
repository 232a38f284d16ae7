// towerlab: the desktop application. Wires QApplication to the main window; everything else
// lives in the towerlab_ui library. Without a display it says so and runs the command-line
// demo instead, so the README's first command does something useful on a server too.

#include "main_window.hpp"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QIcon>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

namespace {

bool displayAvailable() {
#if defined(Q_OS_LINUX) || defined(Q_OS_FREEBSD)
    for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"}) {
        const char* value = std::getenv(name);
        if (value != nullptr && *value != '\0') {
            return true;
        }
    }
    return false;
#else
    return true;
#endif
}

// Replaces this process with `towerlab-cli train --demo`, found next to this executable (the
// build tree and the installed bin/ folder both keep them side by side).
int runCliDemo(const char* argv0) {
    std::error_code ec;
    std::filesystem::path self = std::filesystem::canonical("/proc/self/exe", ec);
    if (ec) {
        self = argv0;
    }
    const std::string cli = (self.parent_path() / "towerlab-cli").string();
    std::fprintf(stderr,
                 "towerlab: no display found (DISPLAY and WAYLAND_DISPLAY are not set), so the "
                 "window cannot open.\nRunning the command-line demo instead: %s train --demo "
                 "--epochs 10\n\n",
                 cli.c_str());
    std::fflush(stderr);
    execl(cli.c_str(), cli.c_str(), "train", "--demo", "--epochs", "10",
          static_cast<char*>(nullptr));
    std::fprintf(stderr, "towerlab: cannot run %s: %s\n", cli.c_str(), std::strerror(errno));
    return 1;
}

} // namespace

int main(int argc, char** argv) {
    if (!displayAvailable()) {
        return runCliDemo(argv[0]);
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("TowerLab"));
    QApplication::setApplicationName(QStringLiteral("TowerLab"));
    QApplication::setApplicationVersion(QStringLiteral(TOWERLAB_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("towerlab"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/towerlab.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("A desktop lab for two-tower retrieval models. Opens on the built-in demo "
                       "dataset; give a MovieLens 100K folder or zip to open it instead, or a "
                       ".tlm file to open a saved model."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("A dataset folder or zip, or a .tlm model."),
                                 QStringLiteral("[file]"));
    parser.process(app);

    towerlab::MainWindow window;
    window.show();
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty()) {
        const QString file = files.first();
        if (QFileInfo(file).suffix().compare(QStringLiteral("tlm"), Qt::CaseInsensitive) == 0) {
            window.openModel(file);
        } else {
            window.openDataset(file);
        }
    }
    return QApplication::exec();
}
