#pragma once
// How the parts of a user query read in the GUI: age groups as ranges ("25–34"), occupation
// names, gender words, UTC times, and the user features' names. Shared by the query form,
// the real-user picker and the Recommend view so they all say the same thing.

#include "features/feature_space.hpp"

#include <QString>

#include <cstdint>

namespace towerlab {

// "Under 18", "18–24", ..., "56+"; "unknown (N)" for a value outside the seven buckets.
QString ageGroupText(int bucket);
// The occupation's name ("student"), "unknown (N)" outside 0..21.
QString occupationText(int label);
// "male", "female", "unknown" for anything else.
QString genderText(int gender);
// "1997-11-08 21:25:27 UTC".
QString utcTimeText(std::int64_t timestamp);
// The feature as a person reads it: its label in the feature table ("Age group", ...).
QString queryFeatureText(FeatureId feature);
// The feature's value in this query, e.g. "25–34", "student", "bucket 412 of 1000"; for a
// feature without words of its own here, the table's value text.
QString queryFeatureValueText(FeatureId feature, const UserQuery& query,
                              const FeatureSpace& features);
// One line: "25–34 · student · male · 1997-11-08 21:25 UTC".
QString queryLine(const UserQuery& query);

} // namespace towerlab
