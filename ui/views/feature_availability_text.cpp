#include "views/feature_availability_text.hpp"

#include "model/feature_availability.hpp"

#include <QCoreApplication>
#include <QStringList>

#include <algorithm>
#include <iterator>
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
    const FeatureDescriptor* f = findFeature(coreName);
    return f != nullptr ? tr(f->label.data()) : QString::fromStdString(coreName);
}

QString featureAvailabilityHtml(const Dataset& dataset) {
    return featureAvailabilityHtml(FeatureAvailability(dataset));
}

QString featureAvailabilityHtml(const FeatureAvailability& availability) {
    const FeatureSet offered = availability.available();
    QString text = tr("<b>Features it can feed:</b> user tower — %1; movie tower — %2.")
                       .arg(labels(offered.userFeatureList()), labels(offered.movieFeatureList()));
    const auto missing = availability.unavailable(FeatureSet::all());
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
