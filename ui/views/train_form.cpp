#include "views/train_form.hpp"

#include "views/feature_choice.hpp"
#include "views/retrieval_task_panel.hpp"

#include "model/feature_availability.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

#include <limits>

namespace towerlab {

namespace {

QString fieldTitle(const QString& field) {
    static const std::map<QString, QString> titles{
        {QStringLiteral("user-features"), QObject::tr("User features")},
        {QStringLiteral("movie-features"), QObject::tr("Movie features")},
        {QStringLiteral("embedding-dim"), QObject::tr("Embedding width")},
        {QStringLiteral("layers"), QObject::tr("Layer sizes")},
        {QStringLiteral("optimizer"), QObject::tr("Optimizer")},
        {QStringLiteral("lr"), QObject::tr("Learning rate")},
        {QStringLiteral("batch"), QObject::tr("Batch size")},
        {QStringLiteral("epochs"), QObject::tr("Epochs")},
        {QStringLiteral("eval-every"), QObject::tr("Evaluate every")},
        {QStringLiteral("eval-queries"), QObject::tr("Test ratings ranked")},
        {QStringLiteral("train-fraction"), QObject::tr("Training share")},
        {QStringLiteral("split"), QObject::tr("Test ratings")},
        {QStringLiteral("threads"), QObject::tr("CPU threads")},
        {QStringLiteral("temperature"), QObject::tr("Temperature")},
        {QStringLiteral("logq"), QObject::tr("logQ correction")},
        {QStringLiteral("logq-alpha"), QObject::tr("Streaming α")},
        {QStringLiteral("hard-negatives"), QObject::tr("Hard negatives")},
    };
    const auto it = titles.find(field);
    return it != titles.end() ? it->second : field;
}

// The core's messages read "field: reason"; the form shows its own field title instead.
QString reasonOf(const ConfigError& error) {
    QString text = QString::fromStdString(error.what());
    const QString prefix = QString::fromStdString(error.field()) + QStringLiteral(": ");
    if (text.startsWith(prefix)) {
        text.remove(0, prefix.size());
    }
    return text;
}

QSpinBox* spinBox(int lo, int hi, const QString& tip) {
    auto* box = new QSpinBox;
    box->setRange(lo, hi);
    box->setToolTip(tip);
    box->setAccelerated(true);
    return box;
}

} // namespace

FormValues TrainForm::defaults() {
    FormValues v;
    // Keep a core for the window (and the rest of the desktop) while training.
    v.training.threads = std::max(1, QThread::idealThreadCount() - 1);
    return v;
}

TrainForm::TrainForm(QWidget* parent) : QWidget(parent) {
    m_features = new FeatureChoice;
    connect(m_features, &FeatureChoice::toggled, this, &TrainForm::validateLive);

    auto* modelBox = new QGroupBox(tr("Model"));
    auto* modelForm = new QFormLayout(modelBox);
    m_embeddingDim = spinBox(1, 1024,
                             tr("How many numbers describe each age group, occupation, title, "
                                "... (32 in the tutorial). Wider vectors can capture more, train "
                                "slower and may overfit."));
    m_embeddingDim->setObjectName(QStringLiteral("embeddingDim"));
    m_layers = new QLineEdit;
    m_layers->setObjectName(QStringLiteral("layers"));
    m_layers->setPlaceholderText(QStringLiteral("32  or  64,32"));
    m_layers->setToolTip(tr("Sizes of the dense layers on top of each tower, separated by commas. "
                            "32 is the tutorial's one-layer model, 64,32 its deeper one. The "
                            "last size is the length of the user and movie vectors whose dot "
                            "product is the score."));
    modelForm->addRow(tr("Embedding width"), m_embeddingDim);
    modelForm->addRow(tr("Layer sizes"), m_layers);

    auto* trainBox = new QGroupBox(tr("Training"));
    auto* trainForm = new QFormLayout(trainBox);
    m_optimizer = new QComboBox;
    m_optimizer->setObjectName(QStringLiteral("optimizer"));
    m_optimizer->addItem(tr("Adagrad"), QStringLiteral("adagrad"));
    m_optimizer->addItem(tr("Adam"), QStringLiteral("adam"));
    m_optimizer->addItem(tr("SGD"), QStringLiteral("sgd"));
    m_optimizer->setToolTip(tr("How the weights follow the gradient. Adagrad (the tutorial's, "
                               "learning rate 0.1) gives rarely seen embeddings bigger steps. "
                               "Adam (0.001) adapts each weight's step and adds momentum. SGD "
                               "(0.01) is the plain rule. Choosing one sets its usual learning "
                               "rate."));
    m_learningRate = new QLineEdit;
    m_learningRate->setObjectName(QStringLiteral("learningRate"));
    m_learningRate->setToolTip(tr("The step size of each update. Too high and the loss jumps "
                                  "around or becomes NaN (the run is then marked diverged and "
                                  "keeps its last good weights); too low and learning crawls."));
    m_batchSize = spinBox(1, 65536,
                          tr("Ratings per training step. The other movies in a batch serve as "
                             "the negatives of each rating (in-batch softmax), so a larger batch "
                             "means more negatives per step and fewer steps per epoch. The "
                             "tutorial uses 2048."));
    m_batchSize->setObjectName(QStringLiteral("batchSize"));
    m_epochs = spinBox(1, 100000, tr("Passes over all training ratings. The tutorial trains 50."));
    m_epochs->setObjectName(QStringLiteral("epochs"));
    m_evalEvery = spinBox(0, 100000,
                          tr("Measure top-k accuracy on the test ratings every N epochs, and "
                             "after the last. Each evaluation ranks every movie for every test "
                             "rating, which takes time. 0 = only at the end."));
    m_evalEvery->setObjectName(QStringLiteral("evalEvery"));
    m_evalEvery->setSpecialValueText(tr("only at the end"));
    const QString evalQueriesTip =
        tr("How many test ratings each evaluation ranks against the whole catalogue. A test "
           "split larger than this is evaluated over a sample of this many of its ratings, "
           "chosen uniformly with the run's seed, so every evaluation of the run (and every run "
           "with that seed) ranks the same ones and their numbers compare. Why: at 25M ratings "
           "every evaluation would rank 5 million test ratings against 62,000 movies; 20,000 "
           "take seconds, and a top-100 accuracy near 0.16 over 20,000 has a standard error of "
           "about 0.0026. A split this size or smaller (MovieLens 100K's 20,000) is evaluated "
           "whole. Tick \"all\" to rank every test rating (towerlab-cli --eval-queries all).");
    m_evalQueries = spinBox(1, std::numeric_limits<int>::max(), evalQueriesTip);
    m_evalQueries->setObjectName(QStringLiteral("evalQueries"));
    m_evalQueries->setGroupSeparatorShown(true);
    m_evalQueries->setSuffix(tr(" sampled"));
    m_evalAll = new QCheckBox(tr("all"));
    m_evalAll->setObjectName(QStringLiteral("evalQueriesAll"));
    m_evalAll->setToolTip(evalQueriesTip);
    m_evalQueriesRow = new QWidget;
    auto* evalQueriesLayout = new QHBoxLayout(m_evalQueriesRow);
    evalQueriesLayout->setContentsMargins(0, 0, 0, 0);
    evalQueriesLayout->addWidget(m_evalQueries, 1);
    evalQueriesLayout->addWidget(m_evalAll);
    connect(m_evalAll, &QCheckBox::toggled, m_evalQueries, &QWidget::setDisabled);
    m_excludeSeen = new QCheckBox(tr("Also with seen movies excluded"));
    m_excludeSeen->setObjectName(QStringLiteral("excludeSeen"));
    m_excludeSeen->setToolTip(
        tr("Each evaluation also ranks every test rating with the movies that user rated in "
           "training removed from the list (TensorFlow Recommenders' query_with_exclusions): "
           "a real recommender would not suggest them again. The test movie itself always "
           "stays. Both results are shown, labelled; training is not changed."));
    m_seed = spinBox(0, std::numeric_limits<int>::max(),
                     tr("Decides the train/test split, the starting weights and the shuffling. "
                        "The same seed with the same settings gives the same result; another "
                        "seed shows how much of a difference is luck."));
    m_seed->setObjectName(QStringLiteral("seed"));
    m_seedRepeats = spinBox(
        1, 10,
        tr("Train the same settings N times, with seeds Seed, Seed + 1, …, one after another. "
           "One run's number is partly luck: another seed gives another split, other starting "
           "weights and another order of batches, and top-100 moves by about a hundredth. "
           "With N of 2 or more the charts draw the seeds' mean with a band from the lowest "
           "to the highest seed, the run table shows mean ± sd, and two configurations "
           "trained with the same seeds can be compared with a paired test (below the run "
           "table). The feature ablation runs each variant with the same N seeds."));
    m_seedRepeats->setObjectName(QStringLiteral("seedRepeats"));
    m_seedRepeats->setSpecialValueText(tr("1 (a single run)"));
    m_seedRepeats->setSuffix(tr(" seeds"));
    m_trainFraction = new QDoubleSpinBox;
    m_trainFraction->setObjectName(QStringLiteral("trainFraction"));
    m_trainFraction->setRange(0.05, 0.95);
    m_trainFraction->setSingleStep(0.05);
    m_trainFraction->setDecimals(2);
    m_trainFraction->setToolTip(tr("Share of the ratings used for training; the rest test the "
                                   "model on ratings it never saw. The tutorial uses 0.8."));
    m_split = new QComboBox;
    m_split->setObjectName(QStringLiteral("split"));
    m_split->addItem(tr("Random (the tutorial's)"), QStringLiteral("random"));
    m_split->addItem(tr("The latest, by time"), QStringLiteral("time"));
    m_split->setToolTip(
        tr("Which ratings are held out to test the model.\n"
           "Random (the tutorial's): a shuffle decided by the seed. Test ratings come from every "
           "month, so the model also learns from ratings made after the ones it is tested on: "
           "it sees the future.\n"
           "By time: the latest ratings test (the last 20% with a training share of 0.8) and "
           "everything before them trains. It asks \"can the model predict what comes next?\", "
           "as a real recommender must, and a user seen only after the cut is new to the model. "
           "The Data tab shows where the cut falls."));
    m_threads = spinBox(0, 256,
                        tr("CPU threads for training; 0 = all cores. Leaving one core free "
                           "keeps this window and the rest of the computer responsive."));
    m_threads->setObjectName(QStringLiteral("threads"));
    m_threads->setSpecialValueText(tr("all cores"));
    trainForm->addRow(tr("Optimizer"), m_optimizer);
    trainForm->addRow(tr("Learning rate"), m_learningRate);
    trainForm->addRow(tr("Batch size"), m_batchSize);
    trainForm->addRow(tr("Epochs"), m_epochs);
    trainForm->addRow(tr("Evaluate every"), m_evalEvery);
    trainForm->addRow(tr("Test ratings ranked"), m_evalQueriesRow);
    trainForm->addRow(QString(), m_excludeSeen);
    trainForm->addRow(tr("Seed"), m_seed);
    trainForm->addRow(tr("Repeat with"), m_seedRepeats);
    trainForm->addRow(tr("Training share"), m_trainFraction);
    trainForm->addRow(tr("Test ratings"), m_split);
    trainForm->addRow(tr("CPU threads"), m_threads);

    m_retrieval = new RetrievalTaskPanel;
    connect(m_retrieval, &RetrievalTaskPanel::edited, this, &TrainForm::validateLive);

    m_problem = new QLabel;
    m_problem->setObjectName(QStringLiteral("validationMessage"));
    m_problem->setWordWrap(true);
    m_problem->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_problem->hide();

    auto* reset = new QPushButton(tr("Tutorial defaults"));
    reset->setObjectName(QStringLiteral("resetDefaults"));
    reset->setToolTip(tr("The settings of the TensorFlow Recommenders tutorial this lab "
                         "reproduces: five user features, title and title words, one layer of "
                         "32, Adagrad 0.1, batches of 2048, 50 epochs."));
    connect(reset, &QPushButton::clicked, this, &TrainForm::resetToDefaults);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_features);
    layout->addWidget(modelBox);
    layout->addWidget(trainBox);
    layout->addWidget(m_retrieval);
    layout->addWidget(m_problem);
    layout->addWidget(reset);
    layout->addStretch(1);

    connect(m_optimizer, &QComboBox::currentIndexChanged, this, [this] {
        const OptimizerKind kind =
            parseOptimizer(m_optimizer->currentData().toString().toStdString());
        m_learningRate->setText(QString::number(defaultLearningRate(kind)));
    });
    for (QLineEdit* edit : {m_layers, m_learningRate}) {
        connect(edit, &QLineEdit::textEdited, this, &TrainForm::validateLive);
    }
    for (QSpinBox* box :
         {m_embeddingDim, m_batchSize, m_epochs, m_evalEvery, m_evalQueries, m_seed, m_threads}) {
        connect(box, &QSpinBox::valueChanged, this, &TrainForm::validateLive);
    }
    connect(m_excludeSeen, &QCheckBox::toggled, this, &TrainForm::validateLive);
    connect(m_evalAll, &QCheckBox::toggled, this, &TrainForm::validateLive);
    connect(m_trainFraction, &QDoubleSpinBox::valueChanged, this, &TrainForm::validateLive);
    connect(m_split, &QComboBox::currentIndexChanged, this, &TrainForm::validateLive);
    resetToDefaults();
}

void TrainForm::resetToDefaults() {
    const FormValues v = defaults();
    m_seedRepeats->setValue(v.seedRepeats);
    setValues(v.model, v.training);
}

void TrainForm::setValues(const ModelConfig& model, const TrainConfig& training) {
    m_updating = true;
    m_features->setFeatures(model.features);
    m_embeddingDim->setValue(model.embeddingDim);
    QStringList layers;
    for (const int size : model.layers) {
        layers << QString::number(size);
    }
    m_layers->setText(layers.join(','));
    {
        const QSignalBlocker block(m_optimizer); // keep the given rate, not the default
        m_optimizer->setCurrentIndex(
            m_optimizer->findData(QString::fromStdString(optimizerName(training.optimizer))));
    }
    m_learningRate->setText(QString::number(training.learningRate, 'g', 10));
    m_batchSize->setValue(training.batchSize);
    m_epochs->setValue(training.epochs);
    m_evalEvery->setValue(training.evalEvery);
    // kAllTestQueries (0) is "all"; the spin box keeps the default to come back to.
    const bool all = training.evalQueries == TrainConfig::kAllTestQueries;
    m_evalAll->setChecked(all);
    m_evalQueries->setValue(all ? TrainConfig::kDefaultEvalQueries : training.evalQueries);
    m_excludeSeen->setChecked(training.excludeSeen);
    m_seed->setValue(static_cast<int>(std::min<std::uint64_t>(
        training.seed, static_cast<std::uint64_t>(std::numeric_limits<int>::max()))));
    m_trainFraction->setValue(training.trainFraction);
    m_split->setCurrentIndex(
        std::max(0, m_split->findData(QString::fromStdString(splitKindName(training.split)))));
    m_threads->setValue(training.threads);
    m_retrieval->setOptions(model.l2Normalize, training.retrieval);
    m_updating = false;
    validateLive();
}

void TrainForm::setDataset(const Dataset& dataset, const FeatureAvailability* availability) {
    m_features->setDataset(dataset, availability);
    validateLive();
}

std::optional<FormValues> TrainForm::values(QString* message) {
    FormValues v;
    auto problem = [&](const QString& field, const QString& text) -> std::optional<FormValues> {
        const QString full = QStringLiteral("%1: %2").arg(fieldTitle(field), text);
        showProblem(field, full);
        if (message != nullptr) {
            *message = full;
        }
        return std::nullopt;
    };
    v.model.features = m_features->features();
    v.model.embeddingDim = m_embeddingDim->value();

    v.model.layers.clear();
    const QString layerText = m_layers->text().trimmed();
    if (layerText.isEmpty()) {
        return problem(QStringLiteral("layers"),
                       tr("write at least one size, e.g. 32 (one layer) or 64,32 (two layers)"));
    }
    for (const QString& part : layerText.split(',')) {
        bool ok = false;
        const int size = part.trimmed().toInt(&ok);
        if (!ok) {
            return problem(QStringLiteral("layers"),
                           tr("\"%1\" is not a whole number; write sizes separated by commas, "
                              "e.g. 64,32")
                               .arg(part.trimmed()));
        }
        v.model.layers.push_back(size);
    }

    v.training.optimizer = parseOptimizer(m_optimizer->currentData().toString().toStdString());
    bool ok = false;
    // Both "0.1" and the user's locale ("0,1") are accepted.
    v.training.learningRate = m_learningRate->text().trimmed().toDouble(&ok);
    if (!ok) {
        v.training.learningRate = QLocale().toDouble(m_learningRate->text().trimmed(), &ok);
    }
    if (!ok) {
        return problem(QStringLiteral("lr"),
                       tr("\"%1\" is not a number; try %2, the usual rate for this optimizer")
                           .arg(m_learningRate->text().trimmed())
                           .arg(defaultLearningRate(v.training.optimizer)));
    }
    v.training.batchSize = m_batchSize->value();
    v.training.epochs = m_epochs->value();
    v.training.evalEvery = m_evalEvery->value();
    v.training.evalQueries =
        m_evalAll->isChecked() ? TrainConfig::kAllTestQueries : m_evalQueries->value();
    v.training.excludeSeen = m_excludeSeen->isChecked();
    v.training.seed = static_cast<std::uint64_t>(m_seed->value());
    v.seedRepeats = m_seedRepeats->value();
    v.training.trainFraction = m_trainFraction->value();
    v.training.split = parseSplitKind(m_split->currentData().toString().toStdString());
    v.training.threads = m_threads->value();
    v.model.l2Normalize = m_retrieval->l2Normalize();
    v.training.retrieval = m_retrieval->options();
    try {
        v.model.validate();
        v.training.validate();
    } catch (const ConfigError& error) {
        return problem(QString::fromStdString(error.field()), reasonOf(error));
    }
    clearProblem();
    return v;
}

TrainConfig TrainForm::splitSettings() const {
    TrainConfig t;
    t.seed = static_cast<std::uint64_t>(m_seed->value());
    t.trainFraction = m_trainFraction->value();
    t.split = parseSplitKind(m_split->currentData().toString().toStdString());
    return t;
}

void TrainForm::validateLive() {
    if (m_updating) {
        return; // setValues() validates once at its end
    }
    // Quietly: values() updates the message and the highlight.
    values(nullptr);
    emit edited();
}

QWidget* TrainForm::widgetForField(const QString& field) const {
    if (field == QLatin1String("user-features")) {
        return m_features->towerBox(Tower::Query);
    }
    if (field == QLatin1String("movie-features")) {
        return m_features->towerBox(Tower::Candidate);
    }
    if (QWidget* w = m_retrieval->widgetForField(field)) {
        return w;
    }
    const std::map<QString, QWidget*> widgets{
        {QStringLiteral("embedding-dim"), m_embeddingDim},
        {QStringLiteral("layers"), m_layers},
        {QStringLiteral("optimizer"), m_optimizer},
        {QStringLiteral("lr"), m_learningRate},
        {QStringLiteral("batch"), m_batchSize},
        {QStringLiteral("epochs"), m_epochs},
        {QStringLiteral("eval-every"), m_evalEvery},
        {QStringLiteral("eval-queries"), m_evalQueriesRow},
        {QStringLiteral("train-fraction"), m_trainFraction},
        {QStringLiteral("split"), m_split},
        {QStringLiteral("threads"), m_threads},
    };
    const auto it = widgets.find(field);
    return it != widgets.end() ? it->second : nullptr;
}

void TrainForm::showProblem(const QString& field, const QString& message) {
    clearProblem();
    m_problem->setText(message);
    QPalette p = m_problem->palette();
    p.setColor(QPalette::WindowText, QColor(0xd0, 0x30, 0x30));
    m_problem->setPalette(p);
    m_problem->show();
    // The field's label (or the feature group) turns red and bold. Palette and font, not a
    // style sheet: a style sheet, even once removed, would pin the widget to the palette of
    // that moment and break the switch between light and dark desktops.
    QWidget* target = widgetForField(field);
    if (target != nullptr && target->parentWidget() != nullptr) {
        if (auto* form = qobject_cast<QFormLayout*>(target->parentWidget()->layout())) {
            if (QWidget* label = form->labelForField(target)) {
                target = label;
            }
        }
    }
    m_highlighted = target;
    if (m_highlighted != nullptr) {
        m_highlighted->setProperty("invalid", true);
        QPalette p = m_highlighted->palette();
        p.setColor(QPalette::WindowText, QColor(0xd0, 0x30, 0x30));
        m_highlighted->setPalette(p);
        QFont bold = m_highlighted->font();
        bold.setBold(true);
        m_highlighted->setFont(bold);
    }
}

void TrainForm::clearProblem() {
    m_problem->hide();
    m_problem->clear();
    if (m_highlighted != nullptr) {
        m_highlighted->setProperty("invalid", false);
        // Default-constructed palette and font set nothing, so the widget inherits again.
        m_highlighted->setPalette(QPalette());
        m_highlighted->setFont(QFont());
        m_highlighted = nullptr;
    }
}

void TrainForm::saveSettings(QSettings& s) const {
    s.beginGroup(QStringLiteral("trainForm"));
    m_features->saveSettings(s);
    s.setValue(QStringLiteral("embeddingDim"), m_embeddingDim->value());
    s.setValue(QStringLiteral("layers"), m_layers->text());
    s.setValue(QStringLiteral("optimizer"), m_optimizer->currentData());
    s.setValue(QStringLiteral("learningRate"), m_learningRate->text());
    s.setValue(QStringLiteral("batchSize"), m_batchSize->value());
    s.setValue(QStringLiteral("epochs"), m_epochs->value());
    s.setValue(QStringLiteral("evalEvery"), m_evalEvery->value());
    s.setValue(QStringLiteral("excludeSeen"), m_excludeSeen->isChecked());
    s.setValue(QStringLiteral("evalQueries"), m_evalQueries->value());
    s.setValue(QStringLiteral("evalQueriesAll"), m_evalAll->isChecked());
    s.setValue(QStringLiteral("seed"), m_seed->value());
    s.setValue(QStringLiteral("seedRepeats"), m_seedRepeats->value());
    s.setValue(QStringLiteral("trainFraction"), m_trainFraction->value());
    s.setValue(QStringLiteral("split"), m_split->currentData());
    s.setValue(QStringLiteral("threads"), m_threads->value());
    m_retrieval->saveSettings(s);
    s.endGroup();
}

void TrainForm::loadSettings(const QSettings& s) {
    const QString g = QStringLiteral("trainForm/");
    if (!s.contains(g + QStringLiteral("layers"))) {
        return; // first start: keep the defaults
    }
    m_updating = true;
    m_features->loadSettings(s, g);
    m_embeddingDim->setValue(s.value(g + QStringLiteral("embeddingDim"), 32).toInt());
    m_layers->setText(s.value(g + QStringLiteral("layers")).toString());
    {
        const QSignalBlocker block(m_optimizer);
        const int index = m_optimizer->findData(s.value(g + QStringLiteral("optimizer")));
        m_optimizer->setCurrentIndex(index >= 0 ? index : 0);
    }
    m_learningRate->setText(s.value(g + QStringLiteral("learningRate"), "0.1").toString());
    m_batchSize->setValue(s.value(g + QStringLiteral("batchSize"), 2048).toInt());
    m_epochs->setValue(s.value(g + QStringLiteral("epochs"), 50).toInt());
    m_evalEvery->setValue(s.value(g + QStringLiteral("evalEvery"), 5).toInt());
    m_excludeSeen->setChecked(s.value(g + QStringLiteral("excludeSeen"), false).toBool());
    m_evalQueries->setValue(
        s.value(g + QStringLiteral("evalQueries"), TrainConfig::kDefaultEvalQueries).toInt());
    m_evalAll->setChecked(s.value(g + QStringLiteral("evalQueriesAll"), false).toBool());
    m_seed->setValue(s.value(g + QStringLiteral("seed"), 42).toInt());
    m_seedRepeats->setValue(s.value(g + QStringLiteral("seedRepeats"), 1).toInt());
    m_trainFraction->setValue(s.value(g + QStringLiteral("trainFraction"), 0.8).toDouble());
    {
        // A value this build does not know (or none, from before the split existed): random.
        const int index = m_split->findData(s.value(g + QStringLiteral("split")));
        m_split->setCurrentIndex(index >= 0 ? index : 0);
    }
    m_threads->setValue(
        s.value(g + QStringLiteral("threads"), defaults().training.threads).toInt());
    m_retrieval->loadSettings(s, g);
    m_updating = false;
    validateLive();
}

} // namespace towerlab
