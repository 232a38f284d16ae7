// Lesson files (.tllesson) and the settings patches inside them: a full lesson survives a
// round trip, defaults stay out of the file, and every bad file is refused naming the field.

#include "io/config_json.hpp"
#include "io/lesson_file.hpp"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

using namespace towerlab;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void writeAll(const fs::path& path, const std::string& bytes) {
    std::ofstream(path, std::ios::binary) << bytes;
}

// The message of the LessonFileError that parsing `text` throws ("" when it does not throw).
std::string refusal(const std::string& text) {
    try {
        parseLesson(text, "l.tllesson");
    } catch (const LessonFileError& e) {
        return e.what();
    }
    return {};
}

std::string minimal(const std::string& extra) {
    return R"({"towerlab_lesson": 1, "title": "T", )" + extra + "}";
}

Lesson everyPart() {
    Lesson lesson;
    lesson.title = "Popularity bias";
    lesson.summary = "Why most-popular wins, and what logQ does.";
    lesson.start.dataset = "ml-100k";
    lesson.start.settings = parseConfigPatch(
        nlohmann::json::parse(R"({"layers": [64, 32], "epochs": 5, "logq": "frequency"})"),
        "settings");
    lesson.start.seeds = 3;
    UserQuery query;
    query.ageBucket = 35;
    query.occupationLabel = 4;
    query.gender = 0;
    query.timestamp = 880000000;
    query.userId = 42;
    query.attributes["zip_region"] = 9;
    lesson.start.query = query;
    lesson.start.titles = {"Star Wars (1977)", "Contact (1997)"};
    lesson.start.map = LessonMap{LessonMap::Points::Users, LessonMap::Method::Tsne, 15.0, 500, 3};
    lesson.start.tabs = {LessonTab::Train, LessonTab::Scores};
    lesson.start.hidden = {"retrievalTask", "train.ablate"};

    LessonStep open;
    open.text = "Look at the Train tab.";
    open.action.kind = LessonAction::Kind::OpenTab;
    open.action.tab = LessonTab::Train;
    LessonStep set;
    set.text = "Two layers now.";
    set.action.kind = LessonAction::Kind::Set;
    set.action.settings =
        parseConfigPatch(nlohmann::json::parse(R"({"optimizer": "adam"})"), "settings");
    LessonStep train;
    train.text = "Train.";
    train.question = LessonQuestion{"Will top-100 go up?", {"yes", "no", "it depends"}};
    train.action.kind = LessonAction::Kind::Train;
    train.action.epochs = 7;
    train.action.seeds = 2;
    train.reveal = LessonReveal{"It went up.", "topKChart"};
    LessonStep ask;
    ask.text = "Pick a user.";
    ask.question = LessonQuestion{"What will they like?", {}};
    ask.action.kind = LessonAction::Kind::Query;
    ask.action.query = query;
    LessonStep add;
    add.text = "Add titles.";
    add.action.kind = LessonAction::Kind::AddTitles;
    add.action.titles = {"Fargo (1996)"};
    LessonStep map;
    map.text = "Map it.";
    map.action.kind = LessonAction::Kind::Map;
    map.action.map = LessonMap{LessonMap::Points::Movies, LessonMap::Method::Pca, 30.0, 1000, {}};
    LessonStep clear;
    clear.text = "Clear.";
    clear.action.kind = LessonAction::Kind::ClearTitles;
    LessonStep save;
    save.text = "Save.";
    save.action.kind = LessonAction::Kind::SaveModel;
    LessonStep reload;
    reload.text = "Reload.";
    reload.action.kind = LessonAction::Kind::ReloadModel;
    LessonStep step;
    step.text = "Inside a batch.";
    step.action.kind = LessonAction::Kind::StepBatch;
    step.action.batches = 3;
    step.action.row = 17;
    LessonStep talk;
    talk.text = "Just words.";
    lesson.steps = {open, set, train, ask, add, map, clear, save, reload, step, talk};
    return lesson;
}

} // namespace

class TestIoLessonFile : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    fs::path path(const char* name) const { return fs::path(m_dir.path().toStdString()) / name; }

private slots:
    void everyPartSurvivesARoundTrip() {
        const Lesson lesson = everyPart();
        const fs::path file = path("every.tllesson");
        writeLesson(lesson, file);
        const Lesson back = readLesson(file);
        QVERIFY(back == lesson);
        // And the text is stable: writing what was read gives the same bytes.
        QCOMPARE(encodeLesson(back), readAll(file));
    }

    void defaultsStayOutOfTheFile() {
        Lesson lesson;
        lesson.title = "Hello";
        LessonStep step;
        step.text = "Hi.";
        lesson.steps = {step};
        QCOMPARE(encodeLesson(lesson), std::string(R"({
  "towerlab_lesson": 1,
  "title": "Hello",
  "start": {
    "dataset": "demo"
  },
  "steps": [
    {
      "text": "Hi."
    }
  ]
}
)"));
        const Lesson back = parseLesson(encodeLesson(lesson), "x");
        QVERIFY(back == lesson);
        QCOMPARE(back.start.tabs.size(), std::size_t(6));
        QCOMPARE(back.start.seeds, 1);
    }

    void tabsAreKeptInTheApplicationsOrder() {
        const Lesson l = parseLesson(
            minimal(R"("start": {"tabs": ["scores", "data"]}, "steps": [{"text": "x"}])"), "x");
        QCOMPARE(l.start.tabs, (std::vector<LessonTab>{LessonTab::Data, LessonTab::Scores}));
    }

    void queryAcceptsAnOccupationByNameOrNumber() {
        const auto& labels = occupationLabels();
        const Lesson byName =
            parseLesson(minimal(R"("start": {"query": {"occupation": ")" + labels[3] +
                                R"(", "gender": "F"}}, "steps": [{"text": "x"}])"),
                        "x");
        QCOMPARE(byName.start.query->occupationLabel, 3);
        QCOMPARE(byName.start.query->gender, 0);
        QCOMPARE(byName.start.query->ageBucket, UserQuery{}.ageBucket); // absent: the default
        const Lesson byNumber = parseLesson(
            minimal(R"("start": {"query": {"occupation": 3}}, "steps": [{"text": "x"}])"), "x");
        QCOMPARE(byNumber.start.query->occupationLabel, 3);
    }

    void refusesWhatIsNotALesson_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json")
            << "{\n  \"towerlab_lesson\": 1,\n  \"title\" \"T\"\n}"
            << "l.tllesson: line 3, column 13: not valid JSON (syntax error while parsing "
               "object separator - unexpected string literal; expected "
               "':')";
        QTest::newRow("number too large")
            << R"({"towerlab_lesson": 1, "title": "T", "steps": [{"text": "x"}], "n": 8E800})"
            << "l.tllesson: not valid JSON (number overflow parsing '8E800')";
        QTest::newRow("no version") << R"({"title": "T", "steps": [{"text": "x"}]})"
                                    << "l.tllesson: towerlab_lesson: is missing: this is not a "
                                       "TowerLab lesson";
        QTest::newRow("newer version")
            << R"({"towerlab_lesson": 2, "title": "T", "steps": [{"text": "x"}]})"
            << "l.tllesson: towerlab_lesson: is 2: the lesson was written by a newer TowerLab "
               "(this one reads format 1)";
        QTest::newRow("version text")
            << R"({"towerlab_lesson": "1", "title": "T", "steps": []})"
            << "l.tllesson: towerlab_lesson: must be a format version (1 or more), got \"1\"";
        QTest::newRow("array") << "[1, 2]"
                               << "l.tllesson: towerlab_lesson: is missing: this is not a "
                                  "TowerLab lesson";
        QTest::newRow("no title") << R"({"towerlab_lesson": 1, "steps": [{"text": "x"}]})"
                                  << "l.tllesson: title: is missing";
        QTest::newRow("no steps") << minimal(R"("steps": [])").c_str()
                                  << "l.tllesson: steps: must be a non-empty list of steps";
        QTest::newRow("typo at top") << minimal(R"("step": [{"text": "x"}])").c_str()
                                     << "l.tllesson: step: is not a key here (expected one of: "
                                        "towerlab_lesson, title, summary, start, steps)";
        QTest::newRow("empty text") << minimal(R"("steps": [{"text": "  "}])").c_str()
                                    << "l.tllesson: steps[0].text: must not be empty";
        QTest::newRow("step without text")
            << minimal(R"("steps": [{"text": "a"}, {"reveal": {"text": "b"}}])").c_str()
            << "l.tllesson: steps[1].text: is missing (every step says something)";
        QTest::newRow("unknown action")
            << minimal(R"("steps": [{"text": "a", "action": {"do": "dance"}}])").c_str()
            << "l.tllesson: steps[0].action.do: is not an action: \"dance\"";
        QTest::newRow("action without do")
            << minimal(R"("steps": [{"text": "a", "action": {"epochs": 3}}])").c_str()
            << "l.tllesson: steps[0].action.do: is missing (what the step does: open_tab, set, "
               "train, step_batch, query, add_titles, clear_titles, map, save_model or "
               "reload_model)";
        QTest::newRow("action misses its value")
            << minimal(R"("steps": [{"text": "a", "action": {"do": "open_tab"}}])").c_str()
            << "l.tllesson: steps[0].action.tab: is missing (\"open_tab\" needs it)";
        QTest::newRow("epochs out of range")
            << minimal(R"("steps": [{"text": "a", "action": {"do": "train", "epochs": 0}}])")
                   .c_str()
            << "l.tllesson: steps[0].action.epochs: must be between 1 and 100000, got 0";
        QTest::newRow("no batches to step")
            << minimal(R"("steps": [{"text": "a", "action": {"do": "step_batch", "batches": 0}}])")
                   .c_str()
            << "l.tllesson: steps[0].action.batches: must be between 1 and 1000, got 0";
        QTest::newRow("row 0")
            << minimal(R"("steps": [{"text": "a", "action": {"do": "step_batch", "row": 0}}])")
                   .c_str()
            << "l.tllesson: steps[0].action.row: must be between 1 and 65536, got 0";
        QTest::newRow("key of another action")
            << minimal(R"("steps": [{"text": "a", "action": {"do": "train", "tab": "data"}}])")
                   .c_str()
            << "l.tllesson: steps[0].action.tab: is not a key here (expected one of: do, "
               "epochs, seeds)";
        QTest::newRow("bad layer")
            << minimal(R"("steps": [{"text": "a", "action": {"do": "set", "settings":
                          {"layers": [64, "32"]}}}])")
                   .c_str()
            << "l.tllesson: steps[0].action.settings.layers[1]: must be a whole number, got "
               "\"32\"";
        QTest::newRow("layer too wide")
            << minimal(R"("start": {"settings": {"layers": [5000]}}, "steps": [{"text": "a"}])")
                   .c_str()
            << "l.tllesson: start.settings.layers: each layer size must be between 1 and 4096, "
               "got 5000";
        QTest::newRow("unknown feature")
            << minimal(R"("start": {"settings": {"user_features": ["age", "shoe_size"]}},
                          "steps": [{"text": "a"}])")
                   .c_str()
            << "";
        QTest::newRow("unknown tab")
            << minimal(R"("start": {"tabs": ["train", "kitchen"]}, "steps": [{"text": "a"}])")
                   .c_str()
            << "l.tllesson: start.tabs[1]: is not a tab: \"kitchen\" (expected data, train, "
               "recommend, scores or embeddings)";
        QTest::newRow("tab twice")
            << minimal(R"("start": {"tabs": ["train", "train"]}, "steps": [{"text": "a"}])").c_str()
            << "l.tllesson: start.tabs[1]: names a tab twice";
        QTest::newRow("dataset")
            << minimal(R"("start": {"dataset": "../etc"}, "steps": [{"text": "a"}])").c_str()
            << "l.tllesson: start.dataset: must be \"demo\" or a MovieLens key such as "
               "\"ml-100k\", got \"../etc\"";
        QTest::newRow("one choice")
            << minimal(R"("steps": [{"text": "a", "question": {"prompt": "?", "choices":
                          ["only"]}}])")
                   .c_str()
            << "l.tllesson: steps[0].question.choices: needs at least two choices (or none for "
               "a free answer)";
        QTest::newRow("gender")
            << minimal(R"("start": {"query": {"gender": "X"}}, "steps": [{"text": "a"}])").c_str()
            << "l.tllesson: start.query.gender: must be \"M\" or \"F\", got \"X\"";
        QTest::newRow("perplexity")
            << minimal(R"("start": {"map": {"method": "tsne", "perplexity": 1000}},
                          "steps": [{"text": "a"}])")
                   .c_str()
            << "l.tllesson: start.map.perplexity: must be a number from 2 to 200, got 1000";
        QTest::newRow("seeds")
            << minimal(R"("start": {"seeds": 11}, "steps": [{"text": "a"}])").c_str()
            << "l.tllesson: start.seeds: must be between 1 and 10, got 11";
        QTest::newRow("control name")
            << minimal(R"("steps": [{"text": "a", "reveal": {"text": "b", "point_at":
                          "x y"}}])")
                   .c_str()
            << "l.tllesson: steps[0].reveal.point_at: must be a control's name (letters, digits, "
               "'_' and '.'), got \"x y\"";
    }
    void refusesWhatIsNotALesson() {
        QFETCH(QString, text);
        QFETCH(QString, message);
        const QString got = QString::fromStdString(refusal(text.toStdString()));
        if (message.isEmpty()) {
            // The feature table's own message: only its place is pinned here.
            QVERIFY2(got.startsWith("l.tllesson: start.settings.user_features: "), qPrintable(got));
            QVERIFY2(got.contains("shoe_size"), qPrintable(got));
        } else {
            QCOMPARE(got, message);
        }
    }

    void settingsPatchAppliesOverTheCurrentSettings() {
        ModelConfig model;
        TrainConfig training;
        training.epochs = 9;
        const ConfigPatch patch =
            parseConfigPatch(nlohmann::json::parse(R"({"optimizer": "adam", "layers": [64, 32],
                                      "user_features": "age,user_id", "temperature": 0.1})"),
                             "settings");
        applyConfigPatch(patch, model, training, "settings");
        QCOMPARE(model.layers, (std::vector<int>{64, 32}));
        QVERIFY(training.optimizer == OptimizerKind::Adam);
        QCOMPARE(training.learningRate, defaultLearningRate(OptimizerKind::Adam));
        QCOMPARE(training.epochs, 9); // untouched
        QCOMPARE(training.retrieval.temperature, 0.1);
        QCOMPARE(model.features.userFeatureList(), std::string("age,user_id"));

        // A learning rate given with the optimizer wins, whatever the order.
        const ConfigPatch both = parseConfigPatch(
            nlohmann::json::parse(R"({"learning_rate": 0.05, "optimizer": "sgd"})"), "s");
        applyConfigPatch(both, model, training, "s");
        QCOMPARE(training.learningRate, 0.05);
    }

    // eval_queries: a number of sampled test queries or "all"; written back the same way.
    void evalQueriesSetting() {
        ModelConfig model;
        TrainConfig training;
        QCOMPARE(configToJson(model, training)["eval_queries"], nlohmann::ordered_json(20000));
        nlohmann::json all;
        all["eval_queries"] = "all";
        applyConfigPatch(parseConfigPatch(all, "settings"), model, training, "settings");
        QCOMPARE(training.evalQueries, TrainConfig::kAllTestQueries);
        QCOMPARE(configToJson(model, training)["eval_queries"], nlohmann::ordered_json("all"));
        nlohmann::json some;
        some["eval_queries"] = 5000;
        applyConfigPatch(parseConfigPatch(some, "settings"), model, training, "settings");
        QCOMPARE(training.evalQueries, 5000);
        for (const nlohmann::json& bad :
             {nlohmann::json(0), nlohmann::json(-3), nlohmann::json("some"), nlohmann::json(1.5),
              nlohmann::json(4294967296LL)}) {
            nlohmann::json patch;
            patch["eval_queries"] = bad;
            try {
                (void)parseConfigPatch(patch, "settings");
                QFAIL(qPrintable(QString::fromStdString("accepted " + bad.dump())));
            } catch (const JsonFieldError& e) {
                QCOMPARE(e.field(), std::string("settings.eval_queries"));
            }
        }
    }

    void aPatchThatFailsChangesNothing() {
        ModelConfig model;
        TrainConfig training;
        training.batchSize = 64;
        // Valid against the tutorial's batch of 2048, not against this form's 64.
        const ConfigPatch patch = parseConfigPatch(
            nlohmann::json::parse(R"({"layers": [16], "hard_negatives": 100})"), "settings");
        const ModelConfig modelBefore = model;
        const TrainConfig trainingBefore = training;
        try {
            applyConfigPatch(patch, model, training, "steps[3].action.settings");
            QFAIL("expected a JsonFieldError");
        } catch (const JsonFieldError& e) {
            QCOMPARE(e.field(), std::string("steps[3].action.settings.hard_negatives"));
        }
        QVERIFY(model == modelBefore);
        QVERIFY(training == trainingBefore);
    }

    void everySettingReadsBackAsWritten() {
        ModelConfig model;
        model.layers = {128, 64, 16};
        model.embeddingDim = 24;
        model.l2Normalize = true;
        model.features.setUserFeatures("gender,user_id");
        TrainConfig training;
        training.optimizer = OptimizerKind::Sgd;
        training.learningRate = 0.25;
        training.batchSize = 512;
        training.epochs = 12;
        training.evalEvery = 3;
        training.excludeSeen = true;
        training.seed = 7;
        training.trainFraction = 0.75;
        training.split = SplitKind::Time;
        training.threads = 1;
        training.retrieval.temperature = 0.2;
        training.retrieval.logQ = LogQCorrection::Streaming;
        training.retrieval.streamingAlpha = 0.05;
        training.retrieval.removeAccidentalHits = true;
        training.retrieval.hardNegatives = 20;
        ModelConfig m2;
        TrainConfig t2;
        applyConfigPatch(
            parseConfigPatch(nlohmann::json::parse(configToJson(model, training).dump()),
                             "settings"),
            m2, t2, "settings");
        QVERIFY(m2 == model);
        QVERIFY(t2 == training);
    }

    void missingFileIsNamed() {
        const fs::path file = path("nowhere.tllesson");
        try {
            readLesson(file);
            QFAIL("expected a LessonFileError");
        } catch (const LessonFileError& e) {
            QCOMPARE(QString(e.what()),
                     QString::fromStdString(file.string() +
                                            ": cannot be opened (missing or unreadable)"));
        }
    }

    void aFileTooLargeIsNotRead() {
        const fs::path file = path("huge.tllesson");
        writeAll(file, std::string(5u << 20, ' '));
        QVERIFY_THROWS_EXCEPTION(LessonFileError, readLesson(file));
    }

    void anInvalidLessonNeverReplacesAFile() {
        const fs::path file = path("kept.tllesson");
        writeLesson(everyPart(), file);
        const std::string before = readAll(file);
        Lesson bad = everyPart();
        bad.steps[0].text = ""; // could not be read back
        QVERIFY_THROWS_EXCEPTION(LessonFileError, writeLesson(bad, file));
        QCOMPARE(readAll(file), before);
    }
};

QTEST_APPLESS_MAIN(TestIoLessonFile)
#include "test_io_lesson_file.moc"
