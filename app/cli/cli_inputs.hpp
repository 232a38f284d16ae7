#pragma once
// The inputs several commands share: --model FILE and --data PATH | --demo.

#include "cli_options.hpp"

#include "data/dataset.hpp"
#include "model/trained_model.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace towerlab::cli {

void addModelOption(po::options_description& options);
// UsageError unless --model was given; commands call it with their other flag checks, before
// any work.
void checkModelFlag(const std::string& command, const po::variables_map& vm);
// Reads the --model file (UsageError when the flag is missing; ModelFileError from the
// reader names the file and the problem).
std::unique_ptr<TrainedModel> loadModelFlag(const std::string& command,
                                            const po::variables_map& vm);

// --data PATH and --demo; `purpose` completes the help text ("to train on").
void addDatasetOptions(po::options_description& options, const std::string& purpose);
bool datasetGiven(const po::variables_map& vm);
// UsageError when both or neither of --data and --demo is given, or --data is empty.
void checkDatasetFlags(const std::string& command, const po::variables_map& vm);
// The dataset of --data (a folder or zip, format detected) or --demo. UsageError as
// checkDatasetFlags; DataError from the reader.
Dataset loadDatasetFlags(const std::string& command, const po::variables_map& vm);

// Fails early (before minutes of work) when an output file cannot be written where asked:
// its folder is missing or it names a folder. `flag` labels the message.
void checkOutputFile(const std::string& command, const std::string& flag,
                     const std::filesystem::path& path);

// Informational lines on stderr, silenced by --quiet.
class Notes {
public:
    explicit Notes(const po::variables_map& vm) : m_quiet(vm.count("quiet") != 0) {}
    void operator()(const std::string& line) const;
    bool quiet() const { return m_quiet; }

private:
    bool m_quiet;
};

} // namespace towerlab::cli
