#pragma once
// Internal to core/io: the payload of each model-file section (docs/model-file-format.md).
// Encoders check that the model can be written faithfully (EncodeError otherwise); decoders
// validate every value and throw ModelFileError through the ByteReader. Decoders run in section
// order: each may rely on the ones before it (features need nothing, weights need config and
// features).

#include "io/byte_codec.hpp"
#include "model/trained_model.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace towerlab::detail {

// A model that cannot be saved as it is; encodeModel() turns it into a ModelFileError.
class EncodeError : public std::runtime_error {
public:
    EncodeError(std::string field, const std::string& reason)
        : std::runtime_error(field + ": " + reason), m_field(std::move(field)) {}
    const std::string& field() const { return m_field; }

private:
    std::string m_field;
};

void encodeConfigSection(ByteWriter& out, const TrainedModel& model);
void decodeConfigSection(ByteReader& in, TrainedModel& model);

void encodeFeaturesSection(ByteWriter& out, const FeatureSpace& features);
void decodeFeaturesSection(ByteReader& in, FeatureSpace& features);

// FVOC: the vocabularies of the feature table's attribute features that FEAT does not hold
// (every feature added after FEAT's layout was fixed), by feature name.
void encodeVocabularySection(ByteWriter& out, const FeatureSpace& features);
// Returns the names of the vocabularies it read (a newer build's unknown ones included).
std::vector<std::string> decodeVocabularySection(ByteReader& in, FeatureSpace& features);
// The name of a feature the config uses whose vocabulary belongs in FVOC but is not among
// `listed` (the file lacks it); empty when none. An empty vocabulary that is listed is valid.
std::string missingVocabulary(const ModelConfig& config, const std::vector<std::string>& listed);

void encodeCatalogueSection(ByteWriter& out, const Catalogue& catalogue,
                            const FeatureSpace& features);
void decodeCatalogueSection(ByteReader& in, const FeatureSpace& features, Catalogue& catalogue);

// Refuses (EncodeError) a tensor whose name or shape differs from what the config and
// features imply, or that holds NaN or infinity.
void encodeWeightsSection(ByteWriter& out, const TrainedModel& model);
void decodeWeightsSection(ByteReader& in, const ModelConfig& config, const FeatureSpace& features,
                          TwoTowerWeights& weights);

// RTSK (format version 2): the retrieval task — L2-normalised towers and the loss options.
// The decoder refuses option bits and codes it does not know, so a newer build's option is
// never silently dropped, and validates the values against the CONF batch size.
void encodeRetrievalSection(ByteWriter& out, const TrainedModel& model);
void decodeRetrievalSection(ByteReader& in, TrainedModel& model);

// SPLT (optional, no version bump): the split kind, u32 0 = random, 1 = time; the seed and
// the train fraction stay in CONF. Files without it used the random split. An unknown code is
// refused, naming the field "split kind".
void encodeSplitSection(ByteWriter& out, const TrainedModel& model);
void decodeSplitSection(ByteReader& in, TrainedModel& model);

// TEVL (optional, no version bump): i32 TrainConfig::evalQueries (0 = the whole test split),
// u64 TrainingHistory::testExamples (the split's size). Decode after HIST. Files without it
// evaluated the whole split: the reader keeps evalQueries = kAllTestQueries, testExamples = 0.
void encodeEvaluationSection(ByteWriter& out, const TrainedModel& model);
void decodeEvaluationSection(ByteReader& in, TrainedModel& model);

void encodeHistorySection(ByteWriter& out, const TrainingHistory& history);
void decodeHistorySection(ByteReader& in, TrainingHistory& history);

// The number of float values the weights of this config over these features hold, computed
// without allocating them; saturates at UINT64_MAX. Lets the reader refuse a config whose
// tensors the file cannot possibly contain before TwoTowerWeights::shaped() allocates them.
std::uint64_t expectedWeightValues(const ModelConfig& config, const FeatureSpace& features);

} // namespace towerlab::detail
