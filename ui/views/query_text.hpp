#pragma once
// How the parts of a user query read in the GUI: age groups as ranges ("25–34"), occupation
// names, gender words, UTC times, and the user features' names. The one place feature values
// become text: the query form, the real-user picker and the Recommend, Scores and Embeddings
// tabs all say the same thing. A value the dataset did not record (negative) reads "unknown";
// any other value outside the vocabulary reads "unknown (N)", keeping the number.

#include "features/feature_space.hpp"

#include <QString>

#include <cstdint>

namespace towerlab {

// "Under 18", "18–24", ..., "56+"; "unknown (N)" for another value (see above).
QString ageGroupText(int bucket);
// The occupation's name ("student"), "unknown (N)" outside 0..21 (see above).
QString occupationText(int label);
// "male" (1), "female" (0), "unknown (N)" for anything else (see above).
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
// The same with the day only, for a user described by a typical date: "25–34 · student ·
// male · 1997-11-08".
QString queryDateLine(const UserQuery& query);

} // namespace towerlab
