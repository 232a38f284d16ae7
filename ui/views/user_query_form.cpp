#include "views/user_query_form.hpp"

#include "data/dataset.hpp"
#include "model/feature_availability.hpp"
#include "model/trained_model.hpp"
#include "views/query_text.hpp"

#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QFormLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimeZone>

#include <algorithm>
#include <limits>
#include <map>

namespace towerlab {

namespace {

QDateTime utc(std::int64_t timestamp) {
    return QDateTime::fromSecsSinceEpoch(timestamp, QTimeZone::utc());
}

void selectData(QComboBox* box, int value) {
    const int at = box->findData(value);
    if (at >= 0) {
        box->setCurrentIndex(at);
    }
}

} // namespace

UserQueryForm::UserQueryForm(QWidget* parent) : QWidget(parent) {
    m_age = new QComboBox;
    m_age->setObjectName(QStringLiteral("age"));
    for (const int bucket : ageBuckets()) {
        m_age->addItem(ageGroupText(bucket), bucket);
    }
    m_occupation = new QComboBox;
    m_occupation->setObjectName(QStringLiteral("occupation"));
    m_occupation->setMaxVisibleItems(22);
    for (int label = 0; label < static_cast<int>(occupationLabels().size()); ++label) {
        m_occupation->addItem(occupationText(label), label);
    }
    m_gender = new QComboBox;
    m_gender->setObjectName(QStringLiteral("gender"));
    // The tutorial writes gender as TFDS's bool user_gender (True = male): say so beside M/F.
    m_gender->addItem(tr("Male (True)"), 1);
    m_gender->addItem(tr("Female (False)"), 0);
    m_gender->setToolTip(tr("MovieLens records M or F. The TFRS tutorial writes TFDS's "
                            "user_gender, where True is male and False is female (1 and 0); "
                            "type M, F, T or 1, 0 here."));
    m_gender->installEventFilter(this);
    m_time = new QDateTimeEdit;
    m_time->setObjectName(QStringLiteral("timestamp"));
    m_time->setTimeSpec(Qt::UTC);
    m_time->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss 'UTC'"));
    m_time->setDateTimeRange(utc(0), utc(std::int64_t{4102444800})); // 1970 .. 2100
    m_time->setCalendarPopup(true);
    m_timeNote = new QLabel;
    m_timeNote->setObjectName(QStringLiteral("timeNote"));
    m_timeNote->setWordWrap(true);
    m_timeNote->setVisible(false);
    m_userId = new QSpinBox;
    m_userId->setObjectName(QStringLiteral("userId"));
    m_userId->setRange(-1, std::numeric_limits<int>::max());
    m_userId->setSpecialValueText(tr("none (unknown user)"));
    m_userId->setKeyboardTracking(false);

    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Age group"), m_age);
    form->addRow(tr("Occupation"), m_occupation);
    form->addRow(tr("Gender"), m_gender);
    form->addRow(tr("Time"), m_time);
    form->addRow(m_timeNote);
    form->addRow(tr("User id"), m_userId);
    for (const FeatureDescriptor& f : kFeatureTable) {
        if (f.tower == Tower::Query && f.ofQuery == nullptr) {
            auto* box = new QComboBox;
            box->setObjectName(QString::fromUtf8(f.name.data(), static_cast<int>(f.name.size())));
            form->addRow(tr(f.label.data()), box);
            connect(box, &QComboBox::currentIndexChanged, this, [this] { emitEdited(); });
            m_attributes.emplace_back(&f, box);
        }
    }
    fillAttributeBoxes();

    connect(m_age, &QComboBox::currentIndexChanged, this, [this] { emitEdited(); });
    connect(m_occupation, &QComboBox::currentIndexChanged, this, [this] { emitEdited(); });
    connect(m_gender, &QComboBox::currentIndexChanged, this, [this] { emitEdited(); });
    connect(m_time, &QDateTimeEdit::dateTimeChanged, this, [this] {
        updateTimeNote();
        emitEdited();
    });
    connect(m_userId, &QSpinBox::valueChanged, this, [this] { emitEdited(); });
    setQuery(UserQuery{});
    updateAvailability();
}

void UserQueryForm::setModel(const TrainedModelPtr& model) {
    m_model = model;
    if (m_model) {
        const auto& ids = m_model->features.lookup(FeatureId::UserId).vocabulary();
        const int top = ids.empty() ? 0
                                    : static_cast<int>(std::min<std::int64_t>(
                                          ids.back(), std::numeric_limits<int>::max()));
        const QSignalBlocker block(m_userId);
        m_userId->setMaximum(std::max(top, 0));
    }
    fillAttributeBoxes();
    updateAvailability();
    updateTimeNote();
}

void UserQueryForm::setDataset(const std::shared_ptr<const Dataset>& dataset,
                               std::shared_ptr<const FeatureAvailability> features) {
    m_dataset = dataset;
    // Checked once per dataset, not at each model change (some checks scan every user).
    m_features = !dataset   ? nullptr
                 : features ? std::move(features)
                            : std::make_shared<const FeatureAvailability>(*dataset);
    updateAvailability();
}

void UserQueryForm::setQuery(const UserQuery& query) {
    const QSignalBlocker a(m_age);
    const QSignalBlocker o(m_occupation);
    const QSignalBlocker g(m_gender);
    const QSignalBlocker t(m_time);
    const QSignalBlocker u(m_userId);
    m_shown = query;
    selectData(m_age, query.ageBucket);
    selectData(m_occupation, query.occupationLabel);
    selectData(m_gender, query.gender);
    m_time->setDateTime(utc(query.timestamp));
    m_userId->setValue(
        static_cast<int>(std::clamp<std::int64_t>(query.userId, -1, m_userId->maximum())));
    for (const auto& [feature, box] : m_attributes) {
        const QSignalBlocker b(box);
        const RawValue value = queryValue(*feature, query);
        const int at = value ? box->findData(QVariant::fromValue<qlonglong>(*value)) : 0;
        box->setCurrentIndex(std::max(at, 0));
    }
    updateTimeNote();
}

void UserQueryForm::fillAttributeBoxes() {
    for (const auto& [feature, box] : m_attributes) {
        const QSignalBlocker b(box);
        const QVariant before = box->currentData();
        box->clear();
        box->addItem(tr("unknown"), QVariant());
        if (m_model) {
            for (const std::int64_t v : m_model->features.lookup(feature->id).vocabulary()) {
                box->addItem(feature->valueText ? QString::fromStdString(feature->valueText(v))
                                                : QString::number(v),
                             QVariant::fromValue<qlonglong>(v));
            }
        }
        box->setCurrentIndex(std::max(box->findData(before), 0));
    }
}

UserQuery UserQueryForm::query() const {
    UserQuery q = m_shown;
    // A value the widgets cannot show (say an age bucket from a query made elsewhere) stays as
    // it was until the user picks another in that very field.
    if (m_age->findData(q.ageBucket) >= 0) {
        q.ageBucket = m_age->currentData().toInt();
    }
    if (m_occupation->findData(q.occupationLabel) >= 0) {
        q.occupationLabel = m_occupation->currentData().toInt();
    }
    if (m_gender->findData(q.gender) >= 0) {
        q.gender = m_gender->currentData().toInt();
    }
    q.timestamp = m_time->dateTime().toSecsSinceEpoch();
    if (q.userId <= m_userId->maximum()) {
        q.userId = m_userId->value();
    }
    for (const auto& [feature, box] : m_attributes) {
        const QVariant v = box->currentData();
        setQueryValue(*feature, q, v.isValid() ? RawValue(v.toLongLong()) : std::nullopt);
    }
    return q;
}

bool UserQueryForm::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_gender && event->type() == QEvent::KeyPress) {
        const QString key = static_cast<QKeyEvent*>(event)->text().toLower();
        const int gender = key == QLatin1String("t") || key == QLatin1String("1") ? 1
                           : key == QLatin1String("0")                            ? 0
                                                                                  : -1;
        if (gender >= 0) {
            m_gender->setCurrentIndex(m_gender->findData(gender));
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void UserQueryForm::emitEdited() {
    // The field the user touched takes its widget's value even if the old one was unknown.
    UserQuery q = query();
    const QObject* from = sender();
    if (from == m_age) {
        q.ageBucket = m_age->currentData().toInt();
    } else if (from == m_occupation) {
        q.occupationLabel = m_occupation->currentData().toInt();
    } else if (from == m_gender) {
        q.gender = m_gender->currentData().toInt();
    } else if (from == m_userId) {
        q.userId = m_userId->value();
    }
    m_shown = q;
    emit queryEdited(q);
}

void UserQueryForm::updateAvailability() {
    // The open dataset's reasons, when it cannot feed a feature at all (no demographics).
    std::map<std::string, std::string> datasetReasons;
    if (m_features) {
        for (const UnavailableFeature& u : m_features->unavailable(FeatureSet::all())) {
            datasetReasons[u.name] = u.reason;
        }
    }
    struct Field {
        QWidget* widget;
        bool used;
        const char* name; // the table's name, e.g. "age"
        QString label;
        QString tip;
    };
    const FeatureSet f = m_model ? m_model->config.features : FeatureSet{};
    std::vector<Field> fields{
        {m_age, f.has(FeatureId::Age), "age", tr("age"),
         tr("The user's age group. The model learned one vector per group; the seven groups "
            "are those of MovieLens.")},
        {m_occupation, f.has(FeatureId::Occupation), "occupation", tr("occupation"),
         tr("The user's occupation, one of the 22 MovieLens occupations, each with its own "
            "learned vector.")},
        {m_gender, f.has(FeatureId::Gender), "gender", tr("gender"),
         tr("The user's gender as MovieLens records it, each value with its own learned "
            "vector.")},
        {m_time, f.has(FeatureId::TimestampBucket) || f.has(FeatureId::TimestampNorm),
         "timestamp_bucket", tr("time"),
         tr("The moment of the query, in UTC. Tastes change over time, so the model sees when "
            "a rating was made: as one of 1,000 time slices and/or as one scaled number.")},
        {m_userId, f.has(FeatureId::UserId), "user_id", tr("user id"),
         tr("The id of a user of the training data: the model learned a vector per user. "
            "'none' is an unknown (new) user.")},
    };
    for (const auto& [feature, box] : m_attributes) {
        fields.push_back({box, f.has(feature->id), feature->name.data(),
                          tr(feature->label.data()).toLower(), tr(feature->tooltip.data())});
    }
    for (const Field& field : fields) {
        const bool enabled = m_model != nullptr && field.used;
        field.widget->setEnabled(enabled);
        QString tip = field.tip;
        if (!m_model) {
            tip += tr("\n\nNo model yet: train one on the Train tab or open a saved model.");
        } else if (!field.used) {
            tip += tr("\n\nDisabled: the current model was trained without the %1 feature, so "
                      "changing it cannot change its recommendations.")
                       .arg(field.label);
            const auto reason = datasetReasons.find(field.name);
            if (reason != datasetReasons.end()) {
                tip +=
                    QStringLiteral(" ") + tr("(%1.)").arg(QString::fromStdString(reason->second));
            }
        }
        field.widget->setToolTip(tip);
    }
    m_timeNote->setToolTip(m_time->toolTip());
}

void UserQueryForm::updateTimeNote() {
    if (!m_model || m_model->features.maxTimestamp <= m_model->features.minTimestamp) {
        m_timeNote->setVisible(false);
        return;
    }
    const std::int64_t t = m_time->dateTime().toSecsSinceEpoch();
    const std::int64_t lo = m_model->features.minTimestamp;
    const std::int64_t hi = m_model->features.maxTimestamp;
    const QString range = tr("%1 to %2")
                              .arg(utc(lo).toString(QStringLiteral("yyyy-MM-dd")),
                                   utc(hi).toString(QStringLiteral("yyyy-MM-dd")));
    if (t >= lo && t <= hi) {
        m_timeNote->setText(tr("Inside the data's time range (%1).").arg(range));
        m_timeNote->setPalette(QPalette());
        m_timeNote->setForegroundRole(QPalette::PlaceholderText);
    } else {
        m_timeNote->setText(
            tr("⚠ Outside the data's time range (%1): the model never saw this moment. %2 The "
               "scaled time is extrapolated.")
                .arg(range, t < lo ? tr("It falls before the first time slice, whose vector no "
                                        "rating trained.")
                                   : tr("It falls in the last time slice.")));
        QPalette warn;
        warn.setColor(QPalette::WindowText, QColor(0xc0, 0x59, 0x0a));
        m_timeNote->setPalette(warn);
        m_timeNote->setForegroundRole(QPalette::WindowText);
    }
    m_timeNote->setVisible(true);
}

} // namespace towerlab
