#include "controllers/ablation.hpp"

#include <QObject>

#include <algorithm>

namespace towerlab {

namespace {

constexpr std::size_t kTop100 = 4; // index of k = 100 in RankingMetrics::kCutoffs
constexpr std::size_t kTop10 = 2;

QString number(double value) {
    QString text = QString::number(value, 'f', 3);
    return text == QLatin1String("-0.000") ? QStringLiteral("0.000") : text;
}

QString pText(double p) {
    return p < 0.001 ? QStringLiteral("p < 0.001") : QStringLiteral("p = %1").arg(p, 0, 'f', 3);
}

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

AblationVerdictText summarizeSeededAblation(const std::vector<AblationVerdict>& verdicts, int seeds,
                                            RunMetric metric) {
    std::vector<const AblationVerdict*> order;
    for (const AblationVerdict& v : verdicts) {
        order.push_back(&v);
    }
    // Most harmful removal first; features without a verdict last.
    std::stable_sort(order.begin(), order.end(), [](const auto* x, const auto* y) {
        const auto& a = x->comparison.verdict;
        const auto& b = y->comparison.verdict;
        if (a.has_value() != b.has_value()) {
            return a.has_value();
        }
        return a.has_value() && a->difference < b->difference;
    });
    const QString metricName = runMetricName(metric);
    AblationVerdictText text;
    text.summary = QObject::tr("Feature ablation over %1 seeds, %2 without each feature against "
                               "all features (paired t-test over the seeds):")
                       .arg(seeds)
                       .arg(metricName);
    QStringList details;
    for (const AblationVerdict* v : order) {
        const QString without = QObject::tr("without %1").arg(v->removedFeature);
        QString line;
        if (!v->comparison.verdict) {
            line = QObject::tr("not tested: %1 seed(s) finished both with and without it, a "
                               "paired test needs 2")
                       .arg(v->comparison.sharedSeeds.size());
        } else {
            const DifferenceVerdict& d = *v->comparison.verdict;
            const QString by = QStringLiteral("%1 ± %2").arg(number(std::abs(d.difference)),
                                                             number((d.high - d.low) / 2));
            switch (d.kind) {
            case VerdictKind::FirstBetter:
                line = QObject::tr("worse by %1 (%2)").arg(by, pText(d.pValue));
                break;
            case VerdictKind::SecondBetter:
                line = QObject::tr("better by %1 (%2)").arg(by, pText(d.pValue));
                break;
            case VerdictKind::NoDetectableDifference:
                line = QObject::tr("no difference this test can detect (%1, 95% interval %2 to "
                                   "%3)")
                           .arg(number(d.difference), number(d.low), number(d.high));
                break;
            }
            details << QString::fromStdString(verdictSentence(
                d, metricName.toStdString(), "all features", without.toStdString()));
        }
        text.summary += QLatin1Char('\n') + without + QStringLiteral(": ") + line;
    }
    text.details = details.join(QLatin1Char('\n'));
    return text;
}

} // namespace towerlab
