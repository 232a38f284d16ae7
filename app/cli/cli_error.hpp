#pragma once
// How the CLI ends: the exit codes of the contract in docs/cli.md and the one exception type
// that means "the command line itself is wrong".

#include <stdexcept>
#include <string>

namespace towerlab::cli {

enum ExitCode : int {
    kExitOk = 0,
    kExitRuntimeError = 1, // bad data, unreadable model, failed write, ...
    kExitUsage = 2,        // unknown command or flag, bad or missing value
    kExitDiverged = 3,     // training stopped on a non-finite loss
    kExitCancelled = 130,  // training interrupted with SIGINT (128 + 2, the shell convention)
};

// A command line that cannot be run as given. `command` names the command whose --help
// explains the fix ("" for the top level).
class UsageError : public std::runtime_error {
public:
    UsageError(std::string command, const std::string& what)
        : std::runtime_error(what), m_command(std::move(command)) {}
    const std::string& command() const { return m_command; }

private:
    std::string m_command;
};

} // namespace towerlab::cli
