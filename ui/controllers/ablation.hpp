#pragma once
// One-click feature ablation: the current configuration once per enabled feature with that
// feature removed, next to the full configuration, to show which feature matters most.

#include "controllers/seed_sets.hpp"
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

// An ablation run with several seeds: each removed feature's comparison (A = all features,
// B = without it) over the seeds both finished.
struct AblationVerdict {
    QString removedFeature;
    SeedComparison comparison;
};

struct AblationVerdictText {
    // "Feature ablation over 3 seeds, top-100 against all features (paired t-test):" and one
    // line per feature, most harmful first: "without user_id: worse by 0.030 ± 0.010
    // (p = 0.004)", "without gender: no difference this test can detect (-0.002, 95%
    // interval -0.010 to 0.006)".
    QString summary;
    // Each feature's verdictSentence, named "all features" and "without <feature>".
    QString details;
};
AblationVerdictText summarizeSeededAblation(const std::vector<AblationVerdict>& verdicts, int seeds,
                                            RunMetric metric);

} // namespace towerlab
