#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace towerlab {

// Values an export (Projector TSV, map TSV, score-table CSV) cannot write faithfully: a
// non-finite score, vector or coordinate, shapes that do not match their labels, a column name
// its reader could not parse back. Nothing is written. what() names the export, the row or
// title and the problem, e.g. "writeMapTsv: point 3 has a non-finite coordinate"; field() is
// the part of the input at fault ("coordinates", "column name", "score", ...).
class ExportError : public std::runtime_error {
public:
    ExportError(std::string field, const std::string& what)
        : std::runtime_error(what), m_field(std::move(field)) {}

    const std::string& field() const { return m_field; }

private:
    std::string m_field;
};

} // namespace towerlab
