#include "views/lesson_panel.hpp"

#include "controllers/lesson_player.hpp"

#include <QAbstractButton>
#include <QButtonGroup>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace towerlab {
namespace {

QLabel* wrapping(const QString& name, QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

LessonPanel::LessonPanel(LessonPlayer* player, QWidget* parent)
    : QWidget(parent), m_player(player) {
    setObjectName(QStringLiteral("lessonPanel"));
    m_title = wrapping(QStringLiteral("lessonTitle"), this);
    m_where = wrapping(QStringLiteral("lessonWhere"), this);
    m_where->setForegroundRole(QPalette::PlaceholderText);
    m_text = wrapping(QStringLiteral("lessonText"), this);

    m_question = new QWidget(this);
    m_question->setObjectName(QStringLiteral("lessonQuestion"));
    auto* questionLayout = new QVBoxLayout(m_question);
    questionLayout->setContentsMargins(0, 0, 0, 0);
    m_prompt = wrapping(QStringLiteral("lessonPrompt"), m_question);
    m_choices = new QVBoxLayout;
    m_choiceGroup = new QButtonGroup(this);
    m_freeAnswer = new QLineEdit(m_question);
    m_freeAnswer->setObjectName(QStringLiteral("lessonFreeAnswer"));
    m_freeAnswer->setPlaceholderText(tr("Your prediction"));
    m_answer = new QPushButton(tr("&Answer"), m_question);
    m_answer->setObjectName(QStringLiteral("lessonAnswer"));
    m_answer->setToolTip(tr("Commit to a prediction; then the step runs and shows what happened."));
    questionLayout->addWidget(m_prompt);
    questionLayout->addLayout(m_choices);
    questionLayout->addWidget(m_freeAnswer);
    questionLayout->addWidget(m_answer, 0, Qt::AlignLeft);

    m_given = wrapping(QStringLiteral("lessonGiven"), this);
    m_status = wrapping(QStringLiteral("lessonStatus"), this);
    m_reveal = wrapping(QStringLiteral("lessonReveal"), this);
    m_reveal->setFrameShape(QFrame::StyledPanel);
    m_reveal->setMargin(8);
    m_reveal->setAutoFillBackground(true);
    QPalette revealPalette = m_reveal->palette();
    revealPalette.setColor(QPalette::Window, revealPalette.color(QPalette::AlternateBase));
    m_reveal->setPalette(revealPalette);

    m_back = new QPushButton(tr("◀ &Back"), this);
    m_back->setObjectName(QStringLiteral("lessonBack"));
    m_back->setToolTip(tr("The previous step as it ended (Page Up)"));
    m_next = new QPushButton(tr("&Next ▶"), this);
    m_next->setObjectName(QStringLiteral("lessonNext"));
    m_next->setToolTip(tr("The next step (Page Down)"));
    m_next->setDefault(true);
    auto* close = new QPushButton(tr("Close lesson"), this);
    close->setObjectName(QStringLiteral("lessonClose"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addWidget(m_next);
    buttons->addStretch(1);
    buttons->addWidget(close);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_where);
    layout->addSpacing(6);
    layout->addWidget(m_text);
    layout->addWidget(m_question);
    layout->addWidget(m_given);
    layout->addWidget(m_status);
    layout->addWidget(m_reveal);
    layout->addStretch(1);
    layout->addLayout(buttons);

    applyFonts();
    connect(m_answer, &QPushButton::clicked, this, &LessonPanel::submit);
    connect(m_freeAnswer, &QLineEdit::returnPressed, this, &LessonPanel::submit);
    connect(m_back, &QPushButton::clicked, m_player, &LessonPlayer::back);
    connect(m_next, &QPushButton::clicked, m_player, &LessonPlayer::next);
    connect(close, &QPushButton::clicked, this, &LessonPanel::closeRequested);
    // A newly opened lesson's first step is another question than the last lesson's.
    connect(m_player, &LessonPlayer::opened, this, [this] { m_questionOf = -1; });
    connect(m_player, &LessonPlayer::changed, this, &LessonPanel::refresh);
    refresh();
}

void LessonPanel::changeEvent(QEvent* event) {
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        applyFonts(); // View → Larger text and presenter mode scale the application font
    }
}

// Sizes relative to the panel's font, so they follow the application's text size.
void LessonPanel::applyFonts() {
    const QFont base = font();
    QFont title = base;
    title.setBold(true);
    title.setPointSizeF(base.pointSizeF() * 1.25);
    m_title->setFont(title);
    QFont text = base;
    text.setPointSizeF(base.pointSizeF() * 1.15);
    m_text->setFont(text);
    QFont prompt = base;
    prompt.setBold(true);
    m_prompt->setFont(prompt);
}

void LessonPanel::submit() {
    QString answer;
    if (QAbstractButton* chosen = m_choiceGroup->checkedButton()) {
        answer = chosen->text();
        answer.remove(QLatin1Char('&'));
    } else if (m_freeAnswer->isVisible()) {
        answer = m_freeAnswer->text();
    }
    if (!m_player->submitAnswer(answer)) {
        m_status->setText(tr("Pick or type an answer first: predicting is the point."));
    }
}

void LessonPanel::rebuildQuestion() {
    for (QAbstractButton* button : m_choiceGroup->buttons()) {
        m_choiceGroup->removeButton(button);
        delete button;
    }
    m_freeAnswer->clear();
    const LessonStep* step = m_player->currentStep();
    m_questionOf = step != nullptr ? m_player->stepIndex() : -1;
    if (step == nullptr || !step->question) {
        return;
    }
    m_prompt->setText(QString::fromStdString(step->question->prompt));
    int id = 0;
    for (const std::string& choice : step->question->choices) {
        auto* button = new QRadioButton(QString::fromStdString(choice), m_question);
        button->setObjectName(QStringLiteral("lessonChoice%1").arg(id));
        m_choiceGroup->addButton(button, id++);
        m_choices->addWidget(button);
    }
    m_freeAnswer->setVisible(step->question->choices.empty());
}

void LessonPanel::refresh() {
    using Phase = LessonPlayer::Phase;
    const Phase phase = m_player->phase();
    const LessonStep* step = m_player->currentStep();
    setEnabled(m_player->isOpen());
    m_title->setText(QString::fromStdString(m_player->lesson().title));
    m_where->setText(
        m_player->isOpen()
            ? tr("Step %1 of %2").arg(m_player->stepIndex() + 1).arg(m_player->stepCount())
            : QString());
    const bool preparing = phase == Phase::Preparing;
    m_text->setText(step && !preparing ? QString::fromStdString(step->text) : QString());
    m_text->setVisible(!m_text->text().isEmpty());

    if (m_questionOf != m_player->stepIndex() || phase == Phase::Closed) {
        rebuildQuestion();
    }
    const bool asking = phase == Phase::Asking;
    m_question->setVisible(asking);
    const QString given = m_player->answer(m_player->stepIndex());
    m_given->setText(given.isEmpty() ? QString() : tr("Your prediction: %1").arg(given));
    m_given->setVisible(!asking && !given.isEmpty());

    QString status;
    QPalette statusPalette = palette();
    switch (phase) {
    case Phase::Preparing:
        status = tr("Setting up the lesson…");
        break;
    case Phase::Performing:
        status = tr("Working… (the result appears here when it is done)");
        break;
    case Phase::Failed:
        status = m_player->error();
        statusPalette.setColor(QPalette::WindowText, QColor(0xc9, 0x2a, 0x2a));
        break;
    case Phase::Revealed:
        if (m_player->stepIndex() + 1 == m_player->stepCount()) {
            status = tr("That was the last step.");
        }
        break;
    case Phase::Closed:
    case Phase::Asking:
        break;
    }
    m_status->setPalette(statusPalette);
    m_status->setText(status);
    m_status->setVisible(!status.isEmpty());

    const bool revealed = phase == Phase::Revealed && step && step->reveal;
    m_reveal->setText(revealed ? QString::fromStdString(step->reveal->text) : QString());
    m_reveal->setVisible(revealed);
    m_back->setEnabled(m_player->canBack());
    m_next->setEnabled(m_player->canNext());
}

} // namespace towerlab
