#pragma once
// The commands of towerlab-cli. Each takes the words after its name, prints its results on
// stdout and returns the exit code; errors are exceptions (UsageError for the command line,
// the core's typed errors for everything else) that main() turns into one line on stderr.

#include <string>
#include <vector>

namespace towerlab::cli {

using Arguments = std::vector<std::string>;

int runTrain(const Arguments& args);
int runRecommend(const Arguments& args);
int runScore(const Arguments& args);
int runEmbed(const Arguments& args);
int runProject(const Arguments& args);
int runEvaluate(const Arguments& args);
int runInfo(const Arguments& args);
int runCompare(const Arguments& args);
int runGenerate(const Arguments& args);
int runExplore(const Arguments& args);

struct Command {
    const char* name;
    const char* summary; // one line, shown by `towerlab-cli --help`
    int (*run)(const Arguments& args);
};

// In the order `towerlab-cli --help` lists them.
const std::vector<Command>& commands();

} // namespace towerlab::cli
