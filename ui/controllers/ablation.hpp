#pragma once
// One-click feature ablation: the current configuration once per enabled feature with that
// feature removed, next to the full configuration, to show which feature matters most.

#include "model/model_config.hpp"
#include "model/ranking_metrics.hpp"

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace towerlab {

struct AblationVariant {
    QString removedFeature; // core feature name, e.g. "gender", "title_text"
    FeatureSet features;
};

struct AblationPlan {
    std::vector<AblationVariant> variants;
    QStringList skipped; // sentences saying which features could not be removed and why
};

// One variant per enabled feature. A feature whose removal would leave a tower without
// inputs is skipped (the core refuses such a model), with the reason in `skipped`.
AblationPlan planAblation(const FeatureSet& features);

struct AblationEntry {
    QString removedFeature;
    std::optional<RankingMetrics> metrics; // final test metrics; empty if the run did not end
};

// A sentence naming the feature whose removal costs the most top-100 accuracy (and by how
// much), or saying that no run finished. reference = the run with every feature.
QString summarizeAblation(const std::optional<RankingMetrics>& reference,
                          const std::vector<AblationEntry>& entries);

} // namespace towerlab
