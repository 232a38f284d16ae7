#include "views/feature_choice.hpp"

#include "model/feature_availability.hpp"

#include <QCheckBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QSettings>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace towerlab {

namespace {

QString text(std::string_view s) {
    return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size()));
}

} // namespace

FeatureChoice::FeatureChoice(QWidget* parent) : QWidget(parent) {
    m_userBox = new QGroupBox(tr("User tower inputs"));
    m_userBox->setToolTip(tr("What the query (user) tower sees about the person and the moment "
                             "of the rating. The tower turns them into one vector per user."));
    m_movieBox = new QGroupBox(tr("Movie tower inputs"));
    m_movieBox->setToolTip(tr("What the candidate (movie) tower sees about each movie. The "
                              "tower turns them into one vector per movie; a user's score for "
                              "a movie is the dot product of the two vectors."));
    auto* userLayout = new QGridLayout(m_userBox);
    auto* movieLayout = new QGridLayout(m_movieBox);
    int userCell = 0;
    int movieCell = 0;
    for (const FeatureDescriptor& f : kFeatureTable) {
        const bool user = f.tower == Tower::Query;
        auto* check = new QCheckBox(tr(f.label.data()));
        check->setObjectName(QStringLiteral("feature_") + text(f.name));
        connect(check, &QCheckBox::toggled, this, &FeatureChoice::toggled);
        int& cell = user ? userCell : movieCell;
        // Two columns of check boxes keep the whole form visible on a 800-pixel-high screen.
        (user ? userLayout : movieLayout)->addWidget(check, cell / 2, cell % 2);
        ++cell;
        m_boxes[static_cast<std::size_t>(f.id)] = check;
    }
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_userBox);
    layout->addWidget(m_movieBox);
    applyAvailability();
}

FeatureSet FeatureChoice::features() const {
    FeatureSet f = FeatureSet::none();
    for (const FeatureDescriptor& d : kFeatureTable) {
        f.set(d.id, box(d.id)->isChecked());
    }
    return f;
}

void FeatureChoice::setFeatures(const FeatureSet& features) {
    for (const FeatureDescriptor& d : kFeatureTable) {
        const QSignalBlocker block(box(d.id));
        box(d.id)->setChecked(features.has(d.id));
    }
    applyAvailability();
}

void FeatureChoice::setDataset(const Dataset& dataset, const FeatureAvailability* availability) {
    m_unavailable.fill(QString());
    const auto missing = availability != nullptr ? availability->unavailable(FeatureSet::all())
                                                 : unavailableFeatures(dataset, FeatureSet::all());
    for (const UnavailableFeature& f : missing) {
        m_unavailable[static_cast<std::size_t>(findFeature(f.name)->id)] =
            QString::fromStdString(f.reason);
    }
    const FeatureSet before = features();
    applyAvailability();
    // A dataset without demographics leaves the tutorial's user tower empty: then the core's
    // default user features for this dataset take their place.
    const FeatureSet now = features();
    if (!now.anyUserFeature() && before.anyUserFeature()) {
        setFeatures(withDefaultUserFeatures(dataset, now));
    }
}

QGroupBox* FeatureChoice::towerBox(Tower tower) const {
    return tower == Tower::Query ? m_userBox : m_movieBox;
}

void FeatureChoice::applyAvailability() {
    for (const FeatureDescriptor& d : kFeatureTable) {
        QCheckBox* check = box(d.id);
        const QString& reason = m_unavailable[static_cast<std::size_t>(d.id)];
        const QString tip = tr(d.tooltip.data());
        check->setEnabled(reason.isEmpty());
        check->setToolTip(reason.isEmpty() ? tip
                                           : tip + QStringLiteral("\n\n") +
                                                 tr("Not available: %1.").arg(reason));
        if (!reason.isEmpty()) {
            const QSignalBlocker block(check);
            check->setChecked(false);
        }
    }
}

void FeatureChoice::saveSettings(QSettings& settings) const {
    for (const FeatureDescriptor& d : kFeatureTable) {
        settings.setValue(text(d.name), box(d.id)->isChecked());
    }
}

void FeatureChoice::loadSettings(const QSettings& settings, const QString& group) {
    for (const FeatureDescriptor& d : kFeatureTable) {
        const QSignalBlocker block(box(d.id));
        box(d.id)->setChecked(
            settings.value(group + text(d.name), box(d.id)->isChecked()).toBool());
    }
    applyAvailability();
}

} // namespace towerlab
