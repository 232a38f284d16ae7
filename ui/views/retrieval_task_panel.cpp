#include "views/retrieval_task_panel.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace towerlab {

namespace {

QLabel* labelFor(const QString& text, QWidget* buddy) {
    auto* label = new QLabel(text);
    label->setBuddy(buddy);
    label->setToolTip(buddy->toolTip());
    return label;
}

} // namespace

RetrievalTaskPanel::RetrievalTaskPanel(QWidget* parent) : QWidget(parent) {
    auto* box = new QGroupBox(tr("Retrieval task"));
    box->setObjectName(QStringLiteral("retrievalTaskBox"));
    box->setToolTip(tr("How the scores of a batch become the loss: the options of TensorFlow "
                       "Recommenders' Retrieval task, applied in its order (temperature, "
                       "sampling-bias correction, accidental hits, hard negatives). All off is "
                       "the tutorial's plain in-batch softmax."));

    m_cosine = new QCheckBox(tr("Cosine scores"));
    m_cosine->setObjectName(QStringLiteral("l2Normalize"));
    m_cosine->setToolTip(tr("Divides every user and movie vector by its length, so a score is "
                            "the cosine of their angle (-1 to 1) and no movie wins just by "
                            "having a long vector. Part of the model: recommendations use it "
                            "too. Pair it with a temperature such as 0.1."));
    m_accidentalHits = new QCheckBox(tr("Remove accidental hits"));
    m_accidentalHits->setObjectName(QStringLiteral("removeAccidentalHits"));
    m_accidentalHits->setToolTip(tr("When a batch holds two ratings of the same movie, each "
                                    "copy is a false 'negative' for the other. This leaves such "
                                    "copies out of the softmax; it matters most for popular "
                                    "movies and large batches."));

    m_temperature = new QDoubleSpinBox;
    m_temperature->setObjectName(QStringLiteral("temperature"));
    m_temperature->setRange(0.0001, 10000.0);
    m_temperature->setDecimals(4);
    m_temperature->setSingleStep(0.05);
    m_temperature->setToolTip(tr("Divides every score of the batch by this before the softmax. "
                                 "Below 1 (e.g. 0.1) the softmax gets sharper, so training "
                                 "pushes hardest on negatives that score close to the right "
                                 "movie; cosine scores need it. 1 = off."));

    m_hardNegatives = new QSpinBox;
    m_hardNegatives->setObjectName(QStringLiteral("hardNegatives"));
    m_hardNegatives->setRange(0, 65535);
    m_hardNegatives->setSpecialValueText(tr("all"));
    m_hardNegatives->setToolTip(tr("Each rating's softmax keeps only the N movies of the batch "
                                   "that score highest among the wrong ones, focusing training "
                                   "on those the model confuses with the right one. 'all' is "
                                   "the tutorial; try 10 to 100."));

    m_logQ = new QComboBox;
    m_logQ->setObjectName(QStringLiteral("logQ"));
    m_logQ->addItem(tr("Off"), QString::fromStdString(logQName(LogQCorrection::Off)));
    m_logQ->addItem(tr("Training frequency"),
                    QString::fromStdString(logQName(LogQCorrection::Frequency)));
    m_logQ->addItem(tr("Streaming estimate"),
                    QString::fromStdString(logQName(LogQCorrection::Streaming)));
    m_logQ->setToolTip(tr("Popular movies turn up as negatives in many batches, so plain "
                          "in-batch softmax pushes them down too hard. The logQ correction "
                          "subtracts log p(movie) from each score while training: p is the "
                          "movie's share of the training ratings, or a streaming estimate of "
                          "how often a batch holds it (Yi et al. 2019)."));

    m_alpha = new QDoubleSpinBox;
    m_alpha->setObjectName(QStringLiteral("logQAlpha"));
    m_alpha->setRange(0.0001, 1.0);
    m_alpha->setDecimals(4);
    m_alpha->setSingleStep(0.01);
    m_alpha->setToolTip(tr("How fast the streaming estimate follows the batches: each batch "
                           "moves a movie's estimated gap between appearances this share of "
                           "the way to the gap just seen. Smaller is smoother but slower."));

    auto* grid = new QGridLayout(box);
    // Two columns, label and field, so the form keeps the width of the groups above it and
    // the charts keep theirs at 1280 px.
    grid->addWidget(m_cosine, 0, 0, 1, 2);
    grid->addWidget(m_accidentalHits, 1, 0, 1, 2);
    grid->addWidget(labelFor(tr("Temperature"), m_temperature), 2, 0);
    grid->addWidget(m_temperature, 2, 1);
    grid->addWidget(labelFor(tr("Hard negatives"), m_hardNegatives), 3, 0);
    grid->addWidget(m_hardNegatives, 3, 1);
    grid->addWidget(labelFor(tr("logQ correction"), m_logQ), 4, 0);
    grid->addWidget(m_logQ, 4, 1);
    grid->addWidget(labelFor(tr("Streaming α"), m_alpha), 5, 0);
    grid->addWidget(m_alpha, 5, 1);
    grid->setColumnStretch(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(box);

    for (QCheckBox* check : {m_cosine, m_accidentalHits}) {
        connect(check, &QCheckBox::toggled, this, &RetrievalTaskPanel::edited);
    }
    for (QDoubleSpinBox* spin : {m_temperature, m_alpha}) {
        connect(spin, &QDoubleSpinBox::valueChanged, this, &RetrievalTaskPanel::edited);
    }
    connect(m_hardNegatives, &QSpinBox::valueChanged, this, &RetrievalTaskPanel::edited);
    connect(m_logQ, &QComboBox::currentIndexChanged, this, [this] {
        updateEnabled();
        emit edited();
    });
    setOptions(false, RetrievalOptions{});
}

RetrievalOptions RetrievalTaskPanel::options() const {
    RetrievalOptions o;
    o.temperature = m_temperature->value();
    o.logQ = parseLogQ(m_logQ->currentData().toString().toStdString());
    o.streamingAlpha = m_alpha->value();
    o.removeAccidentalHits = m_accidentalHits->isChecked();
    o.hardNegatives = m_hardNegatives->value();
    return o;
}

bool RetrievalTaskPanel::l2Normalize() const {
    return m_cosine->isChecked();
}

void RetrievalTaskPanel::setOptions(bool l2Normalize, const RetrievalOptions& o) {
    const QSignalBlocker b1(m_cosine), b2(m_temperature), b3(m_logQ), b4(m_alpha),
        b5(m_accidentalHits), b6(m_hardNegatives);
    m_cosine->setChecked(l2Normalize);
    m_temperature->setValue(o.temperature);
    m_logQ->setCurrentIndex(m_logQ->findData(QString::fromStdString(logQName(o.logQ))));
    m_alpha->setValue(o.streamingAlpha);
    m_accidentalHits->setChecked(o.removeAccidentalHits);
    m_hardNegatives->setValue(o.hardNegatives);
    updateEnabled();
}

void RetrievalTaskPanel::updateEnabled() {
    // α only means something for the streaming estimate.
    m_alpha->setEnabled(m_logQ->currentData().toString() ==
                        QString::fromStdString(logQName(LogQCorrection::Streaming)));
}

QWidget* RetrievalTaskPanel::widgetForField(const QString& field) const {
    if (field == QLatin1String("temperature")) {
        return m_temperature;
    }
    if (field == QLatin1String("logq")) {
        return m_logQ;
    }
    if (field == QLatin1String("logq-alpha")) {
        return m_alpha;
    }
    if (field == QLatin1String("hard-negatives")) {
        return m_hardNegatives;
    }
    return nullptr;
}

void RetrievalTaskPanel::saveSettings(QSettings& s) const {
    s.setValue(QStringLiteral("retrieval/l2Normalize"), m_cosine->isChecked());
    s.setValue(QStringLiteral("retrieval/temperature"), m_temperature->value());
    s.setValue(QStringLiteral("retrieval/logq"), m_logQ->currentData());
    s.setValue(QStringLiteral("retrieval/logqAlpha"), m_alpha->value());
    s.setValue(QStringLiteral("retrieval/removeAccidentalHits"), m_accidentalHits->isChecked());
    s.setValue(QStringLiteral("retrieval/hardNegatives"), m_hardNegatives->value());
}

void RetrievalTaskPanel::loadSettings(const QSettings& s, const QString& group) {
    const QString g = group + QStringLiteral("retrieval/");
    RetrievalOptions o = options();
    o.temperature = s.value(g + QStringLiteral("temperature"), o.temperature).toDouble();
    const int logQ = m_logQ->findData(s.value(g + QStringLiteral("logq"), m_logQ->currentData()));
    if (logQ >= 0) {
        o.logQ = parseLogQ(m_logQ->itemData(logQ).toString().toStdString());
    }
    o.streamingAlpha = s.value(g + QStringLiteral("logqAlpha"), o.streamingAlpha).toDouble();
    o.removeAccidentalHits =
        s.value(g + QStringLiteral("removeAccidentalHits"), o.removeAccidentalHits).toBool();
    o.hardNegatives = s.value(g + QStringLiteral("hardNegatives"), o.hardNegatives).toInt();
    setOptions(s.value(g + QStringLiteral("l2Normalize"), l2Normalize()).toBool(), o);
}

} // namespace towerlab
