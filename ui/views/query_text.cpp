#include "views/query_text.hpp"

#include "data/dataset.hpp"
#include "data/dataset_summary.hpp"

#include <QCoreApplication>
#include <QDateTime>
#include <QTimeZone>

#include <algorithm>

namespace towerlab {

namespace {

QString tr(const char* text) {
    return QCoreApplication::translate("QueryText", text);
}

// A negative value is the datasets' "not recorded" (MovieLens latest has no demographics): a
// plain "unknown". Any other value outside the vocabulary (a model file from another version,
// a bad file) keeps its number, which is what one needs to find where it came from.
QString unknownText(int value) {
    return value < 0 ? tr("unknown") : tr("unknown (%1)").arg(value);
}

} // namespace

QString ageGroupText(int bucket) {
    const auto& buckets = ageBuckets();
    if (std::find(buckets.begin(), buckets.end(), bucket) == buckets.end()) {
        return unknownText(bucket);
    }
    // The core's label uses an ASCII hyphen; a range reads better with an en dash.
    QString label = QString::fromStdString(ageBucketLabel(bucket));
    label.replace(QLatin1Char('-'), QChar(0x2013));
    label[0] = label[0].toUpper();
    return label;
}

QString occupationText(int label) {
    const auto& labels = occupationLabels();
    if (label < 0 || label >= static_cast<int>(labels.size())) {
        return unknownText(label);
    }
    return QString::fromStdString(labels[static_cast<std::size_t>(label)]);
}

QString genderText(int gender) {
    if (gender == 1) {
        return tr("male");
    }
    if (gender == 0) {
        return tr("female");
    }
    return unknownText(gender);
}

QString utcTimeText(std::int64_t timestamp) {
    return QDateTime::fromSecsSinceEpoch(timestamp, QTimeZone::utc())
               .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) +
           QStringLiteral(" UTC");
}

QString queryFeatureText(FeatureId feature) {
    return tr(describe(feature).label.data());
}

QString queryFeatureValueText(FeatureId feature, const UserQuery& query,
                              const FeatureSpace& features) {
    switch (feature) {
    case FeatureId::Age:
        return ageGroupText(query.ageBucket);
    case FeatureId::Occupation:
        return occupationText(query.occupationLabel);
    case FeatureId::Gender:
        return genderText(query.gender);
    case FeatureId::TimestampBucket:
        return tr("bucket %1 of %2")
            .arg(features.timestampBuckets.bucket(query.timestamp))
            .arg(features.timestampBuckets.boundaries().size());
    case FeatureId::TimestampNorm:
        return QString::number(
            static_cast<double>(features.timestampNormalizer.apply(query.timestamp)), 'f', 2);
    case FeatureId::UserId:
        return query.userId >= 0 ? QString::number(query.userId) : tr("none");
    default:
        return QString::fromStdString(queryValueText(describe(feature), query));
    }
}

QString queryDateLine(const UserQuery& query) {
    return QStringLiteral("%1 · %2 · %3 · %4")
        .arg(ageGroupText(query.ageBucket), occupationText(query.occupationLabel),
             genderText(query.gender),
             QDateTime::fromSecsSinceEpoch(query.timestamp, QTimeZone::utc())
                 .toString(QStringLiteral("yyyy-MM-dd")));
}

QString queryLine(const UserQuery& query) {
    return QStringLiteral("%1 · %2 · %3 · %4")
        .arg(ageGroupText(query.ageBucket), occupationText(query.occupationLabel),
             genderText(query.gender),
             QDateTime::fromSecsSinceEpoch(query.timestamp, QTimeZone::utc())
                     .toString(QStringLiteral("yyyy-MM-dd HH:mm")) +
                 QStringLiteral(" UTC"));
}

} // namespace towerlab
