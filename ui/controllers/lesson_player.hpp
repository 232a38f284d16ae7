#pragma once
// Walks a class through a lesson: puts the application in the lesson's start state, then for
// each step shows its text, asks its question (the student answers before anything is
// revealed), performs its action on the stage and finally reveals what to look at. Back shows
// an earlier step as it ended, without doing it again. Lives on the GUI thread; the stage does
// the work, and anything slow there runs off it.

#include "controllers/lesson_stage.hpp"

#include "io/lesson_file.hpp"

#include <QObject>
#include <QString>
#include <QStringList>

#include <vector>

namespace towerlab {

class LessonPlayer : public QObject {
    Q_OBJECT

public:
    enum class Phase {
        Closed,
        Preparing,  // the stage is being put in the start state
        Asking,     // the step's question waits for an answer
        Performing, // the step's action runs
        Revealed,   // the step is done; its reveal (if any) is shown
        Failed,     // preparing or the action failed; error() says why; Next still works
    };

    // The stage must outlive every call into it; the player's destructor does not touch it.
    explicit LessonPlayer(LessonStage* stage, QObject* parent = nullptr);
    ~LessonPlayer() override;

    // Opens a lesson (closing the one open) and prepares its start state. source names it in
    // messages: a file path, or the built-in lesson's title.
    void open(Lesson lesson, const QString& source);
    // Cancels what runs, shows every tab and control again.
    void close();

    bool isOpen() const { return m_phase != Phase::Closed; }
    const Lesson& lesson() const { return m_lesson; }
    QString source() const { return m_source; }
    int stepIndex() const { return m_step; }
    int stepCount() const { return static_cast<int>(m_lesson.steps.size()); }
    const LessonStep* currentStep() const;
    Phase phase() const { return m_phase; }
    QString error() const { return m_error; }
    // The answer given at a step; empty when none was.
    QString answer(int step) const;

    // Answers the current step's question: a choice's text, or free text. An empty answer is
    // refused (false): the point is to commit to a prediction first.
    bool submitAnswer(const QString& answer);
    bool canNext() const;
    bool canBack() const;
    void next();
    void back();

    // A modified copy: the lesson's title, summary and steps with the stage's current state
    // as the start. Without an open lesson, a one-step lesson of the current state.
    Lesson snapshot(const QString& title) const;

signals:
    // Phase, step, error or answers changed.
    void changed();
    void opened();
    void closed();

private:
    void enterStep(int index);
    void perform();
    void finish(const QString& error);
    void setPhase(Phase phase);

    LessonStage* m_stage;
    Lesson m_lesson;
    QString m_source;
    int m_step = 0;
    Phase m_phase = Phase::Closed;
    QString m_error;
    std::vector<QString> m_answers;
    std::vector<Phase> m_ended;    // how each visited step ended (Closed = not yet visited)
    std::vector<QString> m_errors; // and why it failed, if it did
    // Bumped on close and on every new call into the stage, so a late Done of a cancelled
    // call is ignored.
    unsigned m_generation = 0;
};

} // namespace towerlab
