#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace towerlab {

// Thrown by every reader of outside data. The message names the file, the 1-based line
// (0 when the problem is not tied to a line) and the field, so a user can fix the input.
class DataError : public std::runtime_error {
public:
    DataError(std::string file, std::size_t line, std::string field, const std::string& what);

    const std::string& file() const { return m_file; }
    std::size_t line() const { return m_line; }
    const std::string& field() const { return m_field; }
    // The bare reason, without the "file:line: field:" prefix that what() carries.
    const std::string& reason() const { return m_reason; }

private:
    std::string m_file;
    std::size_t m_line;
    std::string m_field;
    std::string m_reason;
};

// A dataset that cannot be used as asked although it was read (or generated) without error:
// too few ratings to split into a train and a test part, a rating naming a user or movie index
// the dataset lacks (a Dataset assembled in code rather than by a reader). what() is
// "<dataset>: <reason>", or the reason alone when the dataset's name is not known there.
class DatasetError : public std::runtime_error {
public:
    DatasetError(std::string dataset, const std::string& reason);

    const std::string& dataset() const { return m_dataset; }
    // The bare reason, without the "dataset: " prefix that what() carries.
    const std::string& reason() const { return m_reason; }

private:
    std::string m_dataset;
    std::string m_reason;
};

} // namespace towerlab
