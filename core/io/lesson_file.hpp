#pragma once
// TowerLab lessons (".tllesson"): a prepared state a teacher hands out and the steps a class
// walks through. JSON, versioned, specified in docs/lesson-format.md. This file reads and
// writes it; performing a step is the application's job.

#include "features/user_query.hpp"
#include "io/config_json.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace towerlab {

// The newest lesson format this build reads and writes.
inline constexpr int kLessonFormatVersion = 1;

// The application's tabs, by their names in the file: "data", "train", "recommend",
// "scores", "embeddings".
enum class LessonTab { Data, Train, Batch, Recommend, Scores, Embeddings };
std::string lessonTabName(LessonTab tab);
const std::vector<LessonTab>& allLessonTabs();

// What the Embeddings tab maps and how.
struct LessonMap {
    enum class Points { Movies, Users };
    enum class Method { Pca, Tsne };
    Points points = Points::Movies;
    Method method = Method::Pca;
    double perplexity = 30.0; // t-SNE only
    int iterations = 1000;    // t-SNE only
    // t-SNE only: start from random positions drawn with this seed; none = from the PCA map.
    std::optional<std::uint64_t> seed;

    bool operator==(const LessonMap&) const = default;
};

// The state a lesson opens in. Every part is optional in the file; what is absent is the
// application's default (the tutorial's settings, every tab shown, no titles, ...).
struct LessonState {
    std::string dataset = "demo";    // "demo" or a MovieLens key: "ml-100k", "ml-1m", ...
    ConfigPatch settings;            // over the tutorial's settings
    int seeds = 1;                   // runs per configuration (seeds s, s+1, ...)
    std::optional<UserQuery> query;  // the Recommend form's user
    std::vector<std::string> titles; // the Scores tab's chosen titles, exactly as catalogued
    std::optional<LessonMap> map;
    std::vector<LessonTab> tabs = allLessonTabs(); // shown, in the application's order
    std::vector<std::string> hidden;               // names of panels and controls to hide

    bool operator==(const LessonState&) const = default;
};

// What the application does when the step is shown (after the question, if any, is answered).
struct LessonAction {
    enum class Kind {
        None,
        OpenTab,     // tab
        Set,         // settings: changes the Train form
        Train,       // trains the form's settings for `epochs` (0 = the form's) and `seeds`
        Query,       // query: fills the Recommend form
        AddTitles,   // titles: adds them to the Scores tab
        ClearTitles, // empties the Scores tab
        Map,         // map: shows the Embeddings tab's map with these options
        SaveModel,   // saves the current model to a temporary file ...
        ReloadModel, // ... and opens it again (the tutorial's save-and-load)
        StepBatch,   // trains `batches` single batches (starting a run when none is paused)
                     // and shows the last in the Batch tab, at `row` (1-based; 0 = as it was)
    };
    Kind kind = Kind::None;
    LessonTab tab = LessonTab::Train;
    ConfigPatch settings;
    int epochs = 0;
    int seeds = 1;
    int batches = 1;
    int row = 0;
    UserQuery query;
    std::vector<std::string> titles;
    LessonMap map;

    bool operator==(const LessonAction&) const = default;
};
std::string lessonActionName(LessonAction::Kind kind); // "open_tab", "set", "train", ...

// Asked before the reveal, so a student commits to a prediction. No choices = a free answer.
struct LessonQuestion {
    std::string prompt;
    std::vector<std::string> choices;

    bool operator==(const LessonQuestion&) const = default;
};

// Shown after the action: what to look at, and where (a panel's or control's name, as
// `hidden` uses them; empty = nowhere in particular).
struct LessonReveal {
    std::string text;
    std::string pointAt;

    bool operator==(const LessonReveal&) const = default;
};

struct LessonStep {
    std::string text;
    std::optional<LessonQuestion> question;
    LessonAction action;
    std::optional<LessonReveal> reveal;

    bool operator==(const LessonStep&) const = default;
};

struct Lesson {
    std::string title;
    std::string summary;
    LessonState start;
    std::vector<LessonStep> steps;

    bool operator==(const Lesson&) const = default;
};

// A lesson file that cannot be read or written. what() is "<file>: <where>: <reason>", where
// `where` is a JSON path ("steps[2].action.epochs") or "line L, column C" for a syntax error.
class LessonFileError : public std::runtime_error {
public:
    LessonFileError(std::string file, std::string where, const std::string& reason);
    const std::string& file() const { return m_file; }
    const std::string& where() const { return m_where; }
    const std::string& reason() const { return m_reason; }

private:
    std::string m_file;
    std::string m_where;
    std::string m_reason;
};

// Parses a lesson. Refuses, naming the field: a file that is not JSON or not a lesson, a
// newer format version, an unknown key anywhere (a typo must not be silently ignored), a
// value of the wrong type or out of range, a step without text, an action missing what it
// needs. displayName names the source in errors.
Lesson parseLesson(std::string_view text, const std::string& displayName);
Lesson readLesson(const std::filesystem::path& path);

// The lesson as JSON text (indented, keys in a fixed order, defaults left out).
std::string encodeLesson(const Lesson& lesson);
// Writes atomically: an existing file is replaced only by a complete new one.
void writeLesson(const Lesson& lesson, const std::filesystem::path& path);

} // namespace towerlab
