#pragma once
// "Did you mean" titles for a title the catalogue does not hold.

#include "model/trained_model.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace towerlab::cli {

// Up to `limit` catalogue indices whose titles resemble `title`: searchTitles() (case- and
// accent-insensitive substring) on ever shorter forms of it — without the "(year)", then
// fewer words, then fewer letters, then its longer single words — in that order, no repeats.
std::vector<std::int32_t> suggestTitles(const TrainedModel& model, const std::string& title,
                                        std::size_t limit = 5);

} // namespace towerlab::cli
