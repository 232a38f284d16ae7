#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace towerlab {

// A preprocessing layer that cannot be built or applied as asked: a vocabulary read from a
// model file that is unsorted, duplicated or too large, bucket boundaries or normalizer
// statistics that are not finite, a dataset that cannot be fitted (no ratings, a rating naming
// a user or movie the dataset lacks, a missing demographic value). what() is
// "<layer>: <reason>", the layer being "IntegerLookup", "TitleTokenizer", "FeatureSpace", ...;
// the model-file reader adds the file and the field it was reading.
class FeatureError : public std::runtime_error {
public:
    FeatureError(std::string layer, const std::string& reason)
        : std::runtime_error(layer + ": " + reason), m_layer(std::move(layer)), m_reason(reason) {}

    const std::string& layer() const { return m_layer; }
    // The bare reason, without the "layer: " prefix that what() carries.
    const std::string& reason() const { return m_reason; }

private:
    std::string m_layer;
    std::string m_reason;
};

} // namespace towerlab
