// towerlab-cli generate: MovieLens-shaped data of any size in the "latest" CSV format, for
// tests and benchmarks at the scale of MovieLens 20M/25M without downloading them.

#include "cli_error.hpp"
#include "cli_options.hpp"
#include "commands.hpp"

#include "data/synthetic_movielens.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

namespace towerlab::cli {

namespace {

const CommandInfo kInfo{
    "generate",
    "Write MovieLens-shaped data (latest CSV format) of any size with planted taste structure",
    "towerlab-cli generate --users N --movies M --ratings R [--seed S] --out FOLDER",
    "  towerlab-cli generate --users 610 --movies 9700 --ratings 100000 --out small\n"
    "  towerlab-cli generate --users 162000 --movies 62000 --ratings 25000000 --seed 1 "
    "--out ml-25m-shaped\n"};

std::string megabytes(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return text;
}

} // namespace

int runGenerate(const Arguments& args) {
    po::options_description options = makeOptions();
    options.add_options()("users", arg("N"), "number of users (each rates at least one movie)")(
        "movies", arg("M"), "number of movies in movies.csv")(
        "ratings", arg("R"), "number of ratings in ratings.csv (users <= R <= users x movies)")(
        "seed", arg("S"), "seeds everything; the same options give the same bytes (default: 1)")(
        "out", arg("FOLDER"),
        "folder to write README.txt, movies.csv and ratings.csv into (created; must be new "
        "or empty)");
    const auto vm = parseCommandLine(kInfo, options, args);
    if (!vm) {
        return kExitOk;
    }
    const std::string& cmd = kInfo.name;
    SyntheticOptions o;
    o.users = parseInteger(cmd, "--users",
                           requiredString(cmd, *vm, "users", "how many users to generate"), 1,
                           kSyntheticMaxUsers);
    o.movies = parseInteger(cmd, "--movies",
                            requiredString(cmd, *vm, "movies", "how many movies to generate"), 1,
                            kSyntheticMaxMovies);
    o.ratings = parseInteger(cmd, "--ratings",
                             requiredString(cmd, *vm, "ratings", "how many ratings to generate"), 1,
                             kSyntheticMaxRatings);
    if (auto seed = optionalString(*vm, "seed")) {
        o.seed = parseUnsigned(cmd, "--seed", *seed);
    }
    const std::string out = requiredString(cmd, *vm, "out", "the folder to write into");
    if (out.empty()) {
        throw UsageError(cmd, "--out: the path is empty");
    }
    if (const std::string problem = syntheticOptionsProblem(o); !problem.empty()) {
        throw UsageError(cmd, problem);
    }

    const bool quiet = has(*vm, "quiet");
    const bool terminal = ::isatty(STDERR_FILENO) != 0;
    int lastPercent = -1;
    const auto start = std::chrono::steady_clock::now();
    const auto progress = [&](std::uint64_t written, std::uint64_t total) {
        const int percent = total == 0 ? 100 : static_cast<int>(written * 100 / total);
        // On a terminal one line redrawn in place; in a log every 10%.
        if (quiet || percent == lastPercent || (!terminal && percent % 10 != 0)) {
            return;
        }
        lastPercent = percent;
        std::cerr << (terminal ? "\r" : "") << "generating: " << written << " of " << total
                  << " ratings (" << percent << "%)" << (terminal ? "" : "\n") << std::flush;
    };
    const SyntheticWriteResult result = writeSyntheticMovieLens(o, out, progress);
    if (!quiet && terminal) {
        std::cerr << '\n';
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char time[32];
    std::snprintf(time, sizeof time, "%.1f s", seconds);
    std::cout << "wrote " << out << ": " << result.users << " users, " << result.movies
              << " movies, " << result.ratings << " ratings (seed " << o.seed << "); ratings.csv "
              << megabytes(result.ratingsBytes) << ", movies.csv " << megabytes(result.moviesBytes)
              << "; " << time << '\n';
    return kExitOk;
}

} // namespace towerlab::cli
