#include "views/feature_availability_text.hpp"

#include "model/feature_availability.hpp"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <iterator>
#include <map>
#include <utility>
#include <vector>

namespace towerlab {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("FeatureAvailability", text);
}

QString labels(const std::string& commaList) {
    QStringList out;
    for (const QString& name : QString::fromStdString(commaList).split(',', Qt::SkipEmptyParts)) {
        out << featureLabel(name.toStdString());
    }
    return out.join(QStringLiteral(", "));
}

} // namespace

QString featureLabel(const std::string& coreName) {
    // Same words as the Train form's check boxes (ui/views/train_form.cpp).
    static const std::map<std::string, const char*> names{
        {"age", "Age group"},
        {"occupation", "Occupation"},
        {"gender", "Gender"},
        {"timestamp_bucket", "Time (1,000 slices)"},
        {"timestamp_norm", "Time (one number)"},
        {"user_id", "User id"},
        {"title_id", "Title"},
        {"title_text", "Title words"},
        {"genres", "Genres"},
    };
    const auto it = names.find(coreName);
    return it != names.end() ? tr(it->second) : QString::fromStdString(coreName);
}

QString featureAvailabilityHtml(const Dataset& dataset) {
    const FeatureSet offered = availableFeatures(dataset);
    QString text = tr("<b>Features it can feed:</b> user tower — %1; movie tower — %2.")
                       .arg(labels(offered.userFeatureList()), labels(offered.movieFeatureList()));
    FeatureSet every;
    every.userId = true;
    every.genres = true;
    const auto missing = unavailableFeatures(dataset, every);
    if (missing.empty()) {
        return text;
    }
    // Features that share a reason are named together, in the core's order.
    std::vector<std::pair<std::string, QStringList>> byReason;
    for (const UnavailableFeature& f : missing) {
        auto it = std::find_if(byReason.begin(), byReason.end(),
                               [&f](const auto& entry) { return entry.first == f.reason; });
        if (it == byReason.end()) {
            byReason.push_back({f.reason, {}});
            it = std::prev(byReason.end());
        }
        it->second << featureLabel(f.name);
    }
    for (const auto& [reason, names] : byReason) {
        text += QStringLiteral(" ") + tr("<b>Not available:</b> %1 — %2.")
                                          .arg(names.join(QStringLiteral(", ")),
                                               QString::fromStdString(reason).toHtmlEscaped());
    }
    return text;
}

} // namespace towerlab
