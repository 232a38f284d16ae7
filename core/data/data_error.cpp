#include "data/data_error.hpp"

#include <utility>

namespace towerlab {

namespace {
// "file:line: field 'x': reason"; the line and the field are left out when they do not apply,
// so a missing file reads "path: file is missing".
std::string composeMessage(const std::string& file, std::size_t line, const std::string& field,
                           const std::string& reason) {
    std::string message = file;
    if (line > 0) {
        message += ':';
        message += std::to_string(line);
    }
    message += ": ";
    if (!field.empty()) {
        message += "field '";
        message += field;
        message += "': ";
    }
    message += reason;
    return message;
}
} // namespace

DataError::DataError(std::string file, std::size_t line, std::string field, const std::string& what)
    : std::runtime_error(composeMessage(file, line, field, what)), m_file(std::move(file)),
      m_line(line), m_field(std::move(field)), m_reason(what) {}

DatasetError::DatasetError(std::string dataset, const std::string& reason)
    : std::runtime_error(dataset.empty() ? reason : dataset + ": " + reason),
      m_dataset(std::move(dataset)), m_reason(reason) {}

} // namespace towerlab
