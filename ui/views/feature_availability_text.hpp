#pragma once
// One sentence on which model features a dataset can feed and why the others cannot, for the
// Data tab and the download dialog. The answer itself comes from the core
// (model/feature_availability.hpp), the same one the Train form and the CLI use; this only
// words it with the Train form's names for the features.

#include "data/dataset.hpp"
#include "model/feature_availability.hpp"

#include <QString>

#include <string>

namespace towerlab {

// The Train form's label of a core feature name ("timestamp_bucket" -> "Time (1,000 slices)").
QString featureLabel(const std::string& coreName);

// Rich text: "Features: user tower — …; movie tower — …. Not available: Age group, … — reason."
QString featureAvailabilityHtml(const Dataset& dataset);
// The same from the dataset's availability checked beforehand (on the loading thread).
QString featureAvailabilityHtml(const FeatureAvailability& availability);

} // namespace towerlab
