#pragma once
// Command-line parsing shared by every command: Boost.Program_options with exact long names
// (no prefix guessing), --help and --quiet on every command, and value parsers whose errors
// name the flag. Values are parsed here rather than by Boost so that "--seed -1" or
// "--epochs 3x" is refused instead of wrapped or truncated.

#include <boost/program_options.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace towerlab::cli {

namespace po = boost::program_options;

// What a command's --help shows above its options.
struct CommandInfo {
    std::string name;     // "train"
    std::string summary;  // one line, also listed by `towerlab-cli --help`
    std::string usage;    // "towerlab-cli train (--data PATH | --demo) [options]"
    std::string examples; // lines shown after the options; may be empty
};

// An empty option list laid out for 100-column help.
po::options_description makeOptions();
// A string-valued flag shown as "--flag NAME" in the help.
po::typed_value<std::string>* arg(const char* valueName);

// Adds --help and --quiet to `options`, parses `args` (the words after the command name) and
// returns the values, or std::nullopt after printing the help to stdout when --help was
// given. Throws UsageError for an unknown flag, a flag given twice that takes one value, a
// missing value, a flag value to a switch or a stray positional word.
std::optional<po::variables_map> parseCommandLine(const CommandInfo& info,
                                                  po::options_description& options,
                                                  const std::vector<std::string>& args);

// Prints the help of a command (usage, options, examples) to stdout.
void printCommandHelp(const CommandInfo& info, const po::options_description& options);

bool has(const po::variables_map& vm, const char* flag);
// The string value of a flag given on the command line; std::nullopt when it is absent.
std::optional<std::string> optionalString(const po::variables_map& vm, const char* flag);
// The value of a flag that must be present; UsageError "--flag is required (why)" otherwise.
std::string requiredString(const std::string& command, const po::variables_map& vm,
                           const char* flag, const std::string& why);

// Whole numbers in [min, max] ("--epochs: \"3x\" is not a whole number").
std::int64_t parseInteger(const std::string& command, const std::string& flag,
                          const std::string& text, std::int64_t min, std::int64_t max);
std::uint64_t parseUnsigned(const std::string& command, const std::string& flag,
                            const std::string& text);
// A finite decimal number.
double parseNumber(const std::string& command, const std::string& flag, const std::string& text);
// "64,32" -> {64, 32}; every entry a whole number in [min, max]; at least one entry.
std::vector<int> parseIntegerList(const std::string& command, const std::string& flag,
                                  const std::string& text, int min, int max);

// --eval-queries: "all" (TrainConfig::kAllTestQueries) or a whole number of test queries
// from 1 to INT_MAX; UsageError naming the flag otherwise.
int parseEvalQueries(const std::string& command, const std::string& text);

// Replaces line breaks so every error and progress message stays on one line.
std::string oneLine(std::string text);

} // namespace towerlab::cli
