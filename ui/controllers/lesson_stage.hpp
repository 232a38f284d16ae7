#pragma once
// What a lesson acts upon: the application, seen as a stage that can be put in a state and
// can perform a step's action. The main window provides the real one (WindowLessonStage);
// tests give LessonPlayer a scripted one.

#include "io/lesson_file.hpp"

#include <QString>

#include <functional>

namespace towerlab {

class LessonStage {
public:
    // Called once with "" when the work is done, or with a sentence saying why it failed.
    using Done = std::function<void(const QString& error)>;

    virtual ~LessonStage() = default;

    // Puts the application in the lesson's start state (dataset, settings, query, titles, map,
    // visible tabs and controls). May finish later (a dataset loads off the GUI thread).
    virtual void prepare(const LessonState& start, Done done) = 0;
    // Performs one action; training and maps finish later.
    virtual void perform(const LessonAction& action, Done done) = 0;
    // Stops waiting for the action in progress (its Done is never called) and stops what it
    // started when that can be stopped (training). Nothing to do when idle.
    virtual void cancel() = 0;
    // Draws the eye to a panel or control by its name; false when there is no such thing.
    virtual bool pointAt(const QString& name) = 0;
    // Shows every tab and control again (the lesson was closed).
    virtual void restore() = 0;
    // The application's current state, as a lesson's start would put it back.
    virtual LessonState currentState() const = 0;
};

} // namespace towerlab
