#include "controllers/ablation.hpp"

#include <QObject>

namespace towerlab {

namespace {

constexpr std::size_t kTop100 = 4; // index of k = 100 in RankingMetrics::kCutoffs
constexpr std::size_t kTop10 = 2;

QStringList names(const std::string& commaList) {
    return QString::fromStdString(commaList).split(',', Qt::SkipEmptyParts);
}

} // namespace

AblationPlan planAblation(const FeatureSet& features) {
    AblationPlan plan;
    const QStringList user = names(features.userFeatureList());
    const QStringList movie = names(features.movieFeatureList());
    for (const bool isUser : {true, false}) {
        const QStringList& list = isUser ? user : movie;
        for (const QString& name : list) {
            if (list.size() == 1) {
                plan.skipped << QObject::tr("%1 is the only %2 feature, and a tower needs at "
                                            "least one input")
                                    .arg(name, isUser ? QObject::tr("user") : QObject::tr("movie"));
                continue;
            }
            QStringList rest = list;
            rest.removeAll(name);
            AblationVariant variant{name, features};
            const std::string joined = rest.join(',').toStdString();
            if (isUser) {
                variant.features.setUserFeatures(joined);
            } else {
                variant.features.setMovieFeatures(joined);
            }
            plan.variants.push_back(variant);
        }
    }
    return plan;
}

QString summarizeAblation(const std::optional<RankingMetrics>& reference,
                          const std::vector<AblationEntry>& entries) {
    if (!reference) {
        return QObject::tr("The run with all features did not finish, so there is nothing to "
                           "compare against.");
    }
    const AblationEntry* worst = nullptr;
    int finished = 0;
    for (const AblationEntry& e : entries) {
        if (!e.metrics) {
            continue;
        }
        ++finished;
        if (worst == nullptr || e.metrics->topK[kTop100] < worst->metrics->topK[kTop100]) {
            worst = &e;
        }
    }
    if (worst == nullptr) {
        return QObject::tr("No run without a feature finished.");
    }
    const double full = reference->topK[kTop100];
    const double without = worst->metrics->topK[kTop100];
    QString text;
    if (without < full) {
        text = QObject::tr("%1 matters most: without it top-100 accuracy falls from %2 to %3 "
                           "(top-10 from %4 to %5).")
                   .arg(worst->removedFeature)
                   .arg(full, 0, 'f', 3)
                   .arg(without, 0, 'f', 3)
                   .arg(reference->topK[kTop10], 0, 'f', 3)
                   .arg(worst->metrics->topK[kTop10], 0, 'f', 3);
    } else {
        text = QObject::tr("No single feature matters here: every run without one reaches at "
                           "least the full model's top-100 of %1.")
                   .arg(full, 0, 'f', 3);
    }
    if (finished < static_cast<int>(entries.size())) {
        text += QObject::tr(" (%1 of %2 runs finished.)").arg(finished).arg(entries.size());
    }
    return text;
}

} // namespace towerlab
