// towerlab-cli: TowerLab's command line over the core library. Dispatches to one command,
// and turns every error into one line on stderr and the exit code of docs/cli.md.

#include "cli_error.hpp"
#include "cli_options.hpp"
#include "commands.hpp"

#include "data/data_error.hpp"
#include "io/model_file.hpp"
#include "model/model_config.hpp"
#include "util/atomic_file.hpp"
#include "util/engine_build.hpp"

#include <exception>
#include <iostream>
#include <new>

namespace towerlab::cli {

namespace {

const char* const kProgram = "towerlab-cli";

void printOverview(std::ostream& out) {
    out << "TowerLab " << TOWERLAB_VERSION
        << " - train and query two-tower retrieval models on MovieLens\n\n"
        << "Usage: " << kProgram << " COMMAND [options]\n\nCommands:\n";
    for (const Command& c : commands()) {
        std::string name = c.name;
        name.resize(12, ' ');
        out << "  " << name << c.summary << '\n';
    }
    out << "\nRun '" << kProgram << " COMMAND --help' for a command's options.\n"
        << "Options: --help, --version. Documentation: docs/cli.md\n";
}

const Command* findCommand(const std::string& name) {
    for (const Command& c : commands()) {
        if (name == c.name) {
            return &c;
        }
    }
    return nullptr;
}

std::string commandNames() {
    std::string names;
    for (const Command& c : commands()) {
        names += names.empty() ? "" : ", ";
        names += c.name;
    }
    return names;
}

int dispatch(const std::vector<std::string>& words) {
    if (words.empty()) {
        printOverview(std::cerr);
        return kExitUsage;
    }
    const std::string& first = words.front();
    if (first == "--help" || first == "-h") {
        printOverview(std::cout);
        return kExitOk;
    }
    if (first == "--version" || first == "-V") {
        std::cout << kProgram << " " << TOWERLAB_VERSION << " (model file format "
                  << kModelFileFormatVersion << ", engine " << towerlab::engineInstructionSet()
                  << ")\n";
        return kExitOk;
    }
    const Arguments rest(words.begin() + 1, words.end());
    if (first == "help") {
        if (rest.empty()) {
            printOverview(std::cout);
            return kExitOk;
        }
        const Command* command = findCommand(rest.front());
        if (command == nullptr) {
            throw UsageError("", "unknown command \"" + rest.front() +
                                     "\" (commands: " + commandNames() + ")");
        }
        return command->run({"--help"});
    }
    const Command* command = findCommand(first);
    if (command == nullptr) {
        const bool isFlag = !first.empty() && first[0] == '-';
        throw UsageError("", (isFlag ? "unknown option \"" : "unknown command \"") + first +
                                 "\" (commands: " + commandNames() + ")");
    }
    return command->run(rest);
}

void printError(const std::string& message) {
    std::cerr << kProgram << ": error: " << oneLine(message) << std::endl;
}

} // namespace

const std::vector<Command>& commands() {
    static const std::vector<Command> list = {
        {"train", "train a two-tower model on --data or --demo and save it", runTrain},
        {"recommend", "top-k movies of a model for a user query", runRecommend},
        {"score", "scores and ranks of chosen titles for a user query", runScore},
        {"embed", "export movie or user embeddings (Projector TSV or .npy)", runEmbed},
        {"project", "2-D map of movie or user embeddings (PCA or t-SNE) as TSV", runProject},
        {"evaluate", "test metrics of a model on a dataset, with the baseline", runEvaluate},
        {"info", "configuration, dataset, history and metrics of a model file", runInfo},
        {"compare", "verdict on configuration B against A over shared seeds", runCompare},
        {"generate", "write MovieLens-shaped data of any size (latest CSV format)", runGenerate},
        {"explore", "neighbours, top-k and lengths of embeddings made by another program",
         runExplore},
    };
    return list;
}

} // namespace towerlab::cli

int main(int argc, char** argv) {
    using namespace towerlab;
    using namespace towerlab::cli;
    try {
        return dispatch(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const UsageError& e) {
        const std::string helpCommand =
            e.command().empty() ? "towerlab-cli --help" : "towerlab-cli " + e.command() + " --help";
        printError(std::string(e.what()) + " (see " + helpCommand + ")");
        return kExitUsage;
    } catch (const std::bad_alloc&) {
        printError("out of memory");
        return kExitRuntimeError;
    } catch (const std::exception& e) {
        // DataError, ModelFileError, ConfigError, FileWriteError, NpyError, ...: their
        // messages name the file, line, section or field.
        printError(e.what());
        return kExitRuntimeError;
    } catch (...) {
        printError("unexpected error of an unknown type");
        return kExitRuntimeError;
    }
}
