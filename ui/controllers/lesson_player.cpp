#include "controllers/lesson_player.hpp"

#include <QPointer>

#include <utility>

namespace towerlab {

LessonPlayer::LessonPlayer(LessonStage* stage, QObject* parent) : QObject(parent), m_stage(stage) {}

// The stage may already be gone (the window destroys its children in creation order), so
// the player leaves it alone here; whoever owns both closes the lesson first if it must.
LessonPlayer::~LessonPlayer() = default;

void LessonPlayer::open(Lesson lesson, const QString& source) {
    if (isOpen()) {
        close();
    }
    m_lesson = std::move(lesson);
    m_source = source;
    m_step = 0;
    m_error.clear();
    m_answers.assign(m_lesson.steps.size(), QString());
    m_ended.assign(m_lesson.steps.size(), Phase::Closed);
    m_errors.assign(m_lesson.steps.size(), QString());
    emit opened();
    setPhase(Phase::Preparing);
    const unsigned generation = ++m_generation;
    QPointer<LessonPlayer> self(this);
    m_stage->prepare(m_lesson.start, [self, generation](const QString& error) {
        if (!self || self->m_generation != generation) {
            return;
        }
        if (!error.isEmpty()) {
            self->m_error = tr("The lesson could not set up its start: %1").arg(error);
            if (!self->m_errors.empty()) {
                self->m_errors[0] = self->m_error;
                self->m_ended[0] = Phase::Failed;
            }
            self->setPhase(Phase::Failed);
            return;
        }
        self->enterStep(0);
    });
}

void LessonPlayer::close() {
    if (!isOpen()) {
        return;
    }
    ++m_generation;
    m_stage->cancel();
    m_stage->restore();
    m_lesson = Lesson{};
    m_answers.clear();
    m_ended.clear();
    m_errors.clear();
    m_error.clear();
    m_step = 0;
    setPhase(Phase::Closed);
    emit closed();
}

const LessonStep* LessonPlayer::currentStep() const {
    if (!isOpen() || m_step < 0 || m_step >= stepCount()) {
        return nullptr;
    }
    return &m_lesson.steps[static_cast<std::size_t>(m_step)];
}

QString LessonPlayer::answer(int step) const {
    if (step < 0 || step >= static_cast<int>(m_answers.size())) {
        return {};
    }
    return m_answers[static_cast<std::size_t>(step)];
}

bool LessonPlayer::submitAnswer(const QString& answer) {
    if (m_phase != Phase::Asking || answer.trimmed().isEmpty()) {
        return false;
    }
    m_answers[static_cast<std::size_t>(m_step)] = answer.trimmed();
    perform();
    return true;
}

bool LessonPlayer::canNext() const {
    return (m_phase == Phase::Revealed || m_phase == Phase::Failed) && m_step + 1 < stepCount();
}

bool LessonPlayer::canBack() const {
    return m_step > 0 && m_phase != Phase::Performing && m_phase != Phase::Preparing &&
           m_phase != Phase::Closed;
}

void LessonPlayer::next() {
    if (canNext()) {
        enterStep(m_step + 1);
    }
}

void LessonPlayer::back() {
    if (canBack()) {
        enterStep(m_step - 1);
    }
}

void LessonPlayer::enterStep(int index) {
    m_step = index;
    const auto i = static_cast<std::size_t>(index);
    // A step already done is shown as it ended: its action is not run twice.
    if (m_ended[i] != Phase::Closed) {
        m_error = m_errors[i];
        setPhase(m_ended[i]);
        return;
    }
    m_error.clear();
    if (m_lesson.steps[i].question) {
        setPhase(Phase::Asking);
        return;
    }
    perform();
}

void LessonPlayer::perform() {
    const LessonStep& step = m_lesson.steps[static_cast<std::size_t>(m_step)];
    if (step.action.kind == LessonAction::Kind::None) {
        finish({});
        return;
    }
    setPhase(Phase::Performing);
    const unsigned generation = ++m_generation;
    QPointer<LessonPlayer> self(this);
    m_stage->perform(step.action, [self, generation](const QString& error) {
        if (self && self->m_generation == generation) {
            self->finish(error);
        }
    });
}

void LessonPlayer::finish(const QString& error) {
    const auto i = static_cast<std::size_t>(m_step);
    m_error = error;
    m_errors[i] = error;
    m_ended[i] = error.isEmpty() ? Phase::Revealed : Phase::Failed;
    setPhase(m_ended[i]);
    const LessonStep& step = m_lesson.steps[i];
    if (error.isEmpty() && step.reveal && !step.reveal->pointAt.empty()) {
        m_stage->pointAt(QString::fromStdString(step.reveal->pointAt));
    }
}

void LessonPlayer::setPhase(Phase phase) {
    m_phase = phase;
    emit changed();
}

Lesson LessonPlayer::snapshot(const QString& title) const {
    Lesson copy;
    if (isOpen()) {
        copy = m_lesson;
    } else {
        LessonStep step;
        step.text = tr("This is where we start.").toStdString();
        copy.steps = {step};
    }
    if (!title.trimmed().isEmpty()) {
        copy.title = title.trimmed().toStdString();
    }
    if (copy.title.empty()) {
        copy.title = tr("Untitled lesson").toStdString();
    }
    copy.start = m_stage->currentState();
    return copy;
}

} // namespace towerlab
