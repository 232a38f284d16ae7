#include "cli_options.hpp"

#include "cli_error.hpp"

#include "model/model_config.hpp"

#include <charconv>
#include <climits>
#include <cmath>
#include <iostream>
#include <sstream>

namespace towerlab::cli {

namespace {

constexpr unsigned kHelpWidth = 100;

bool looksLikeNegativeNumber(const std::string& word) {
    return word.size() >= 2 && word[0] == '-' &&
           (std::isdigit(static_cast<unsigned char>(word[1])) != 0 || word[1] == '.');
}

// Whether `word` ("--lr" or "-k") names an option of `options` that takes a value.
bool takesValue(const po::options_description& options, const std::string& word) {
    for (const auto& option : options.options()) {
        const bool named =
            (word.rfind("--", 0) == 0 && option->long_name() == word.substr(2)) ||
            (word.size() == 2 &&
             option->canonical_display_name(po::command_line_style::allow_dash_for_short) == word);
        if (named) {
            return option->semantic()->max_tokens() > 0;
        }
    }
    return false;
}

// Boost reads "--lr -1" as the flag --lr followed by an option "-1". Gluing the two into
// "--lr=-1" lets the value reach the flag's own check, which then says what is wrong with it.
std::vector<std::string> glueNegativeValues(const po::options_description& options,
                                            const std::vector<std::string>& args) {
    std::vector<std::string> out;
    out.reserve(args.size());
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& word = args[i];
        if (i + 1 < args.size() && looksLikeNegativeNumber(args[i + 1]) &&
            word.find('=') == std::string::npos && takesValue(options, word)) {
            out.push_back(word.rfind("--", 0) == 0 ? word + "=" + args[i + 1] : word + args[i + 1]);
            ++i;
        } else {
            out.push_back(word);
        }
    }
    return out;
}

std::string trimmed(const std::string& text) {
    const auto b = text.find_first_not_of(" \t");
    if (b == std::string::npos) {
        return {};
    }
    const auto e = text.find_last_not_of(" \t");
    return text.substr(b, e - b + 1);
}

} // namespace

po::options_description makeOptions() {
    return po::options_description("Options", kHelpWidth, kHelpWidth / 2);
}

po::typed_value<std::string>* arg(const char* valueName) {
    return po::value<std::string>()->value_name(valueName);
}

std::optional<po::variables_map> parseCommandLine(const CommandInfo& info,
                                                  po::options_description& options,
                                                  const std::vector<std::string>& args) {
    options.add_options()("quiet,q", "no progress or notes on stderr (errors are still shown)")(
        "help,h", "show this help and exit");
    po::variables_map vm;
    try {
        const auto style =
            po::command_line_style::unix_style ^ po::command_line_style::allow_guessing;
        const po::parsed_options parsed = po::command_line_parser(glueNegativeValues(options, args))
                                              .options(options)
                                              .style(style)
                                              .run();
        // Without a positional description Boost keeps stray words as nameless options.
        for (const po::option& option : parsed.options) {
            if (option.position_key >= 0 || option.string_key.empty()) {
                const std::string word =
                    option.original_tokens.empty() ? std::string() : option.original_tokens.front();
                throw UsageError(info.name, "unexpected argument \"" + word +
                                                "\" (every value follows its flag, e.g. "
                                                "--epochs 5)");
            }
        }
        po::store(parsed, vm);
        po::notify(vm);
    } catch (const po::error& e) {
        throw UsageError(info.name, e.what());
    }
    if (vm.count("help") != 0) {
        printCommandHelp(info, options);
        return std::nullopt;
    }
    return vm;
}

void printCommandHelp(const CommandInfo& info, const po::options_description& options) {
    std::cout << info.summary << "\n\nUsage: " << info.usage << "\n\n";
    std::cout << options;
    if (!info.examples.empty()) {
        std::cout << "\nExamples:\n" << info.examples;
    }
    std::cout << "\nExit codes: 0 success, 1 runtime error (data, model file, writing), "
                 "2 usage error"
              << (info.name == "train"     ? ", 3 diverged, 130 interrupted"
                  : info.name == "project" ? ", 130 interrupted"
                                           : "")
              << ".\n";
}

bool has(const po::variables_map& vm, const char* flag) {
    return vm.count(flag) != 0;
}

std::optional<std::string> optionalString(const po::variables_map& vm, const char* flag) {
    if (!has(vm, flag)) {
        return std::nullopt;
    }
    return vm[flag].as<std::string>();
}

std::string requiredString(const std::string& command, const po::variables_map& vm,
                           const char* flag, const std::string& why) {
    if (!has(vm, flag)) {
        throw UsageError(command, std::string("--") + flag + " is required (" + why + ")");
    }
    return vm[flag].as<std::string>();
}

std::int64_t parseInteger(const std::string& command, const std::string& flag,
                          const std::string& text, std::int64_t min, std::int64_t max) {
    const std::string value = trimmed(text);
    std::int64_t result = 0;
    const char* end = value.data() + value.size();
    const auto [ptr, ec] = std::from_chars(value.data(), end, result);
    if (value.empty() || ec == std::errc::invalid_argument || ptr != end) {
        throw UsageError(command, flag + ": \"" + text + "\" is not a whole number");
    }
    if (ec == std::errc::result_out_of_range || result < min || result > max) {
        throw UsageError(command, flag + ": must be between " + std::to_string(min) + " and " +
                                      std::to_string(max) + ", got " + text);
    }
    return result;
}

std::uint64_t parseUnsigned(const std::string& command, const std::string& flag,
                            const std::string& text) {
    const std::string value = trimmed(text);
    std::uint64_t result = 0;
    const char* end = value.data() + value.size();
    const auto [ptr, ec] = std::from_chars(value.data(), end, result);
    if (value.empty() || ec == std::errc::invalid_argument || ptr != end) {
        throw UsageError(command, flag + ": \"" + text + "\" is not a whole number of 0 or more");
    }
    if (ec == std::errc::result_out_of_range) {
        throw UsageError(command, flag + ": " + text + " is larger than 2^64 - 1");
    }
    return result;
}

double parseNumber(const std::string& command, const std::string& flag, const std::string& text) {
    const std::string value = trimmed(text);
    double result = 0.0;
    const char* end = value.data() + value.size();
    const auto [ptr, ec] = std::from_chars(value.data(), end, result);
    if (value.empty() || ec != std::errc{} || ptr != end || !std::isfinite(result)) {
        throw UsageError(command, flag + ": \"" + text + "\" is not a finite number");
    }
    return result;
}

std::vector<int> parseIntegerList(const std::string& command, const std::string& flag,
                                  const std::string& text, int min, int max) {
    std::vector<int> values;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        if (trimmed(item).empty()) {
            throw UsageError(command, flag + ": \"" + text +
                                          "\" has an empty entry (expected e.g. 32 or 64,32)");
        }
        values.push_back(static_cast<int>(parseInteger(command, flag, item, min, max)));
    }
    if (values.empty()) {
        throw UsageError(command, flag + ": needs at least one value (e.g. 32 or 64,32)");
    }
    if (!text.empty() && text.back() == ',') {
        throw UsageError(command, flag + ": \"" + text + "\" ends with a comma");
    }
    return values;
}

int parseEvalQueries(const std::string& command, const std::string& text) {
    if (text == "all") {
        return TrainConfig::kAllTestQueries;
    }
    const std::int64_t n = parseInteger(command, "--eval-queries", text, INT64_MIN, INT64_MAX);
    if (n < 1 || n > INT_MAX) {
        throw UsageError(command, "--eval-queries: must be a number of test queries from 1 to " +
                                      std::to_string(INT_MAX) + " or all, got " + text);
    }
    return static_cast<int>(n);
}

std::string oneLine(std::string text) {
    for (char& c : text) {
        if (c == '\n' || c == '\r') {
            c = ' ';
        }
    }
    return text;
}

} // namespace towerlab::cli
