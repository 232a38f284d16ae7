#include "cli_inputs.hpp"

#include "cli_error.hpp"

#include "data/dataset_loader.hpp"
#include "data/demo_dataset.hpp"
#include "io/model_file.hpp"
#include "util/atomic_file.hpp"

#include <iostream>
#include <system_error>

namespace towerlab::cli {

namespace fs = std::filesystem;

void addModelOption(po::options_description& options) {
    options.add_options()("model", arg("FILE"), "the model file (.tlm) to read");
}

void checkModelFlag(const std::string& command, const po::variables_map& vm) {
    const std::string path =
        requiredString(command, vm, "model", "the model file written by train --out");
    if (path.empty()) {
        throw UsageError(command, "--model: the path is empty");
    }
}

std::unique_ptr<TrainedModel> loadModelFlag(const std::string& command,
                                            const po::variables_map& vm) {
    checkModelFlag(command, vm);
    return loadModel(vm["model"].as<std::string>());
}

void addDatasetOptions(po::options_description& options, const std::string& purpose) {
    options.add_options()(
        "data", arg("PATH"),
        ("dataset folder or zip " + purpose + " (MovieLens 100K: u.data, u.item, u.user)").c_str())(
        "demo", ("the built-in demo dataset " + purpose + " (no download)").c_str());
}

bool datasetGiven(const po::variables_map& vm) {
    return has(vm, "data") || has(vm, "demo");
}

void checkDatasetFlags(const std::string& command, const po::variables_map& vm) {
    if (has(vm, "data") && has(vm, "demo")) {
        throw UsageError(command, "--data and --demo exclude each other; pass one");
    }
    if (!datasetGiven(vm)) {
        throw UsageError(command, "no dataset: pass --data FOLDER_OR_ZIP (e.g. the ml-100k "
                                  "folder or ml-100k.zip) or --demo for the built-in demo");
    }
    if (has(vm, "data") && vm["data"].as<std::string>().empty()) {
        throw UsageError(command, "--data: the path is empty");
    }
}

Dataset loadDatasetFlags(const std::string& command, const po::variables_map& vm) {
    checkDatasetFlags(command, vm);
    if (has(vm, "demo")) {
        return makeDemoDataset();
    }
    return loadDataset(vm["data"].as<std::string>());
}

void checkOutputFile(const std::string& command, const std::string& flag, const fs::path& path) {
    if (path.empty()) {
        throw UsageError(command, flag + ": the path is empty");
    }
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        throw FileWriteError(path,
                             flag + ": \"" + path.string() + "\" is a folder; give a file name");
    }
    const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
    if (!fs::is_directory(folder, ec)) {
        throw FileWriteError(path,
                             flag + ": the folder \"" + folder.string() + "\" does not exist");
    }
}

void Notes::operator()(const std::string& line) const {
    if (!m_quiet) {
        std::cerr << line << '\n';
    }
}

} // namespace towerlab::cli
