#include "io/lesson_file.hpp"

#include "data/dataset.hpp"
#include "util/atomic_file.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

namespace towerlab {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// Lessons are a few kilobytes; anything this large is not one.
constexpr std::size_t kMaxLessonBytes = 4u << 20;
constexpr int kMaxSeeds = 10;
constexpr int kMaxEpochs = 100000;
// Stepping is for looking: a few epochs' batches at most. A row is a batch's example.
constexpr int kMaxSteppedBatches = 1000;
constexpr int kMaxBatchSize = 65536;
constexpr std::size_t kMaxTextBytes = 20000;

const char* const kVersionKey = "towerlab_lesson";

std::string at(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
}

std::string at(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

// Refuses keys outside `known`: a misspelt key would otherwise be ignored without a word.
void onlyKeys(const Json& object, const std::string& path,
              std::initializer_list<const char*> known) {
    if (!object.is_object()) {
        throw JsonFieldError(path, "must be an object, got " + object.dump());
    }
    for (const auto& item : object.items()) {
        const std::string& key = item.key();
        if (std::none_of(known.begin(), known.end(), [&](const char* k) { return key == k; })) {
            std::string names;
            for (const char* k : known) {
                names += (names.empty() ? "" : ", ") + std::string(k);
            }
            throw JsonFieldError(at(path, key),
                                 "is not a key here (expected one of: " + names + ")");
        }
    }
}

std::string readText(const Json& v, const std::string& path, bool mayBeEmpty = false) {
    if (!v.is_string()) {
        throw JsonFieldError(path, "must be a string, got " + v.dump());
    }
    std::string s = v.get<std::string>();
    if (!mayBeEmpty && s.find_first_not_of(" \t\r\n") == std::string::npos) {
        throw JsonFieldError(path, "must not be empty");
    }
    if (s.size() > kMaxTextBytes) {
        throw JsonFieldError(path, "is longer than " + std::to_string(kMaxTextBytes) + " bytes");
    }
    return s;
}

std::int64_t readInteger(const Json& v, const std::string& path, std::int64_t lo, std::int64_t hi) {
    if (!v.is_number_integer()) {
        throw JsonFieldError(path, "must be a whole number, got " + v.dump());
    }
    if (v.is_number_unsigned() &&
        v.get<std::uint64_t>() >
            static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        throw JsonFieldError(path, "must be between " + std::to_string(lo) + " and " +
                                       std::to_string(hi) + ", got " + v.dump());
    }
    const std::int64_t x = v.get<std::int64_t>();
    if (x < lo || x > hi) {
        throw JsonFieldError(path, "must be between " + std::to_string(lo) + " and " +
                                       std::to_string(hi) + ", got " + v.dump());
    }
    return x;
}

std::vector<std::string> readTextList(const Json& v, const std::string& path) {
    if (!v.is_array()) {
        throw JsonFieldError(path, "must be a list of strings, got " + v.dump());
    }
    std::vector<std::string> out;
    for (std::size_t i = 0; i < v.size(); ++i) {
        out.push_back(readText(v[i], at(path, i)));
    }
    return out;
}

LessonTab readTab(const Json& v, const std::string& path) {
    const std::string name = readText(v, path);
    for (LessonTab tab : allLessonTabs()) {
        if (lessonTabName(tab) == name) {
            return tab;
        }
    }
    throw JsonFieldError(path, "is not a tab: \"" + name +
                                   "\" (expected data, train, recommend, scores or embeddings)");
}

std::string readDataset(const Json& v, const std::string& path) {
    const std::string name = readText(v, path);
    const bool movieLensKey =
        name.size() > 3 && name.rfind("ml-", 0) == 0 &&
        std::all_of(name.begin() + 3, name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        });
    if (name != "demo" && !movieLensKey) {
        throw JsonFieldError(
            path, "must be \"demo\" or a MovieLens key such as \"ml-100k\", got \"" + name + "\"");
    }
    return name;
}

// A panel's or control's name: what the application calls it (letters, digits, '_' and '.').
std::string readElementName(const Json& v, const std::string& path) {
    const std::string name = readText(v, path);
    if (!std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '_' || c == '.';
        })) {
        throw JsonFieldError(
            path, "must be a control's name (letters, digits, '_' and '.'), got \"" + name + "\"");
    }
    return name;
}

UserQuery readQuery(const Json& v, const std::string& path) {
    onlyKeys(v, path, {"age_bucket", "occupation", "gender", "timestamp", "user_id", "attributes"});
    UserQuery q;
    if (v.contains("age_bucket")) {
        q.ageBucket =
            static_cast<int>(readInteger(v["age_bucket"], at(path, "age_bucket"), 0, 200));
    }
    if (v.contains("occupation")) {
        const Json& o = v["occupation"];
        const std::string field = at(path, "occupation");
        const auto& labels = occupationLabels();
        if (o.is_string()) {
            const auto it = std::find(labels.begin(), labels.end(), o.get<std::string>());
            if (it == labels.end()) {
                throw JsonFieldError(field, "is not an occupation: " + o.dump());
            }
            q.occupationLabel = static_cast<int>(it - labels.begin());
        } else {
            q.occupationLabel = static_cast<int>(
                readInteger(o, field, 0, static_cast<std::int64_t>(labels.size()) - 1));
        }
    }
    if (v.contains("gender")) {
        const std::string g = readText(v["gender"], at(path, "gender"));
        if (g != "M" && g != "F") {
            throw JsonFieldError(at(path, "gender"), "must be \"M\" or \"F\", got \"" + g + "\"");
        }
        q.gender = g == "M" ? 1 : 0;
    }
    if (v.contains("timestamp")) {
        q.timestamp = readInteger(v["timestamp"], at(path, "timestamp"), 0,
                                  std::numeric_limits<std::int64_t>::max());
    }
    if (v.contains("user_id")) {
        q.userId = readInteger(v["user_id"], at(path, "user_id"), 0,
                               std::numeric_limits<std::int64_t>::max());
    }
    if (v.contains("attributes")) {
        const Json& a = v["attributes"];
        if (!a.is_object()) {
            throw JsonFieldError(at(path, "attributes"), "must be an object of feature values");
        }
        for (const auto& [name, value] : a.items()) {
            q.attributes[name] = readInteger(value, at(at(path, "attributes"), name),
                                             std::numeric_limits<std::int64_t>::min(),
                                             std::numeric_limits<std::int64_t>::max());
        }
    }
    return q;
}

LessonMap readMap(const Json& v, const std::string& path) {
    onlyKeys(v, path, {"points", "method", "perplexity", "iterations", "seed"});
    LessonMap map;
    if (v.contains("points")) {
        const std::string p = readText(v["points"], at(path, "points"));
        if (p != "movies" && p != "users") {
            throw JsonFieldError(at(path, "points"),
                                 "must be \"movies\" or \"users\", got \"" + p + "\"");
        }
        map.points = p == "movies" ? LessonMap::Points::Movies : LessonMap::Points::Users;
    }
    if (v.contains("method")) {
        const std::string m = readText(v["method"], at(path, "method"));
        if (m != "pca" && m != "tsne") {
            throw JsonFieldError(at(path, "method"),
                                 "must be \"pca\" or \"tsne\", got \"" + m + "\"");
        }
        map.method = m == "pca" ? LessonMap::Method::Pca : LessonMap::Method::Tsne;
    }
    if (v.contains("perplexity")) {
        const Json& p = v["perplexity"];
        if (!p.is_number() || !std::isfinite(p.get<double>()) || p.get<double>() < 2.0 ||
            p.get<double>() > 200.0) {
            throw JsonFieldError(at(path, "perplexity"),
                                 "must be a number from 2 to 200, got " + p.dump());
        }
        map.perplexity = p.get<double>();
    }
    if (v.contains("iterations")) {
        map.iterations =
            static_cast<int>(readInteger(v["iterations"], at(path, "iterations"), 50, 10000));
    }
    if (v.contains("seed")) {
        map.seed = static_cast<std::uint64_t>(
            readInteger(v["seed"], at(path, "seed"), 0, std::numeric_limits<std::int64_t>::max()));
    }
    return map;
}

int readSeeds(const Json& v, const std::string& path) {
    return static_cast<int>(readInteger(v, path, 1, kMaxSeeds));
}

LessonState readState(const Json& v, const std::string& path) {
    onlyKeys(v, path, {"dataset", "settings", "seeds", "query", "titles", "map", "tabs", "hidden"});
    LessonState s;
    if (v.contains("dataset")) {
        s.dataset = readDataset(v["dataset"], at(path, "dataset"));
    }
    if (v.contains("settings")) {
        s.settings = parseConfigPatch(v["settings"], at(path, "settings"));
    }
    if (v.contains("seeds")) {
        s.seeds = readSeeds(v["seeds"], at(path, "seeds"));
    }
    if (v.contains("query")) {
        s.query = readQuery(v["query"], at(path, "query"));
    }
    if (v.contains("titles")) {
        s.titles = readTextList(v["titles"], at(path, "titles"));
    }
    if (v.contains("map")) {
        s.map = readMap(v["map"], at(path, "map"));
    }
    if (v.contains("tabs")) {
        const Json& tabs = v["tabs"];
        const std::string field = at(path, "tabs");
        if (!tabs.is_array() || tabs.empty()) {
            throw JsonFieldError(field, "must be a non-empty list of tab names");
        }
        std::set<LessonTab> chosen;
        for (std::size_t i = 0; i < tabs.size(); ++i) {
            if (!chosen.insert(readTab(tabs[i], at(field, i))).second) {
                throw JsonFieldError(at(field, i), "names a tab twice");
            }
        }
        s.tabs.clear();
        for (LessonTab tab : allLessonTabs()) {
            if (chosen.count(tab)) {
                s.tabs.push_back(tab);
            }
        }
    }
    if (v.contains("hidden")) {
        const Json& hidden = v["hidden"];
        if (!hidden.is_array()) {
            throw JsonFieldError(at(path, "hidden"), "must be a list of control names");
        }
        for (std::size_t i = 0; i < hidden.size(); ++i) {
            s.hidden.push_back(readElementName(hidden[i], at(at(path, "hidden"), i)));
        }
    }
    return s;
}

const std::vector<std::pair<LessonAction::Kind, const char*>>& actionNames() {
    static const std::vector<std::pair<LessonAction::Kind, const char*>> names{
        {LessonAction::Kind::OpenTab, "open_tab"},
        {LessonAction::Kind::Set, "set"},
        {LessonAction::Kind::Train, "train"},
        {LessonAction::Kind::Query, "query"},
        {LessonAction::Kind::AddTitles, "add_titles"},
        {LessonAction::Kind::ClearTitles, "clear_titles"},
        {LessonAction::Kind::Map, "map"},
        {LessonAction::Kind::SaveModel, "save_model"},
        {LessonAction::Kind::ReloadModel, "reload_model"},
        {LessonAction::Kind::StepBatch, "step_batch"},
    };
    return names;
}

LessonAction readAction(const Json& v, const std::string& path) {
    if (!v.is_object() || !v.contains("do")) {
        throw JsonFieldError(at(path, "do"), "is missing (what the step does: open_tab, set, "
                                             "train, step_batch, query, add_titles, "
                                             "clear_titles, map, save_model or reload_model)");
    }
    const std::string kindName = readText(v["do"], at(path, "do"));
    const auto& names = actionNames();
    const auto it = std::find_if(names.begin(), names.end(),
                                 [&](const auto& n) { return kindName == n.second; });
    if (it == names.end()) {
        throw JsonFieldError(at(path, "do"), "is not an action: \"" + kindName + "\"");
    }
    LessonAction a;
    a.kind = it->first;
    auto need = [&](const char* key) -> const Json& {
        if (!v.contains(key)) {
            throw JsonFieldError(at(path, key), "is missing (\"" + kindName + "\" needs it)");
        }
        return v[key];
    };
    switch (a.kind) {
    case LessonAction::Kind::OpenTab:
        onlyKeys(v, path, {"do", "tab"});
        a.tab = readTab(need("tab"), at(path, "tab"));
        break;
    case LessonAction::Kind::Set:
        onlyKeys(v, path, {"do", "settings"});
        a.settings = parseConfigPatch(need("settings"), at(path, "settings"));
        if (a.settings.empty()) {
            throw JsonFieldError(at(path, "settings"), "sets nothing");
        }
        break;
    case LessonAction::Kind::Train:
        onlyKeys(v, path, {"do", "epochs", "seeds"});
        if (v.contains("epochs")) {
            a.epochs =
                static_cast<int>(readInteger(v["epochs"], at(path, "epochs"), 1, kMaxEpochs));
        }
        if (v.contains("seeds")) {
            a.seeds = readSeeds(v["seeds"], at(path, "seeds"));
        }
        break;
    case LessonAction::Kind::StepBatch:
        onlyKeys(v, path, {"do", "batches", "row"});
        if (v.contains("batches")) {
            a.batches = static_cast<int>(
                readInteger(v["batches"], at(path, "batches"), 1, kMaxSteppedBatches));
        }
        if (v.contains("row")) {
            a.row = static_cast<int>(readInteger(v["row"], at(path, "row"), 1, kMaxBatchSize));
        }
        break;
    case LessonAction::Kind::Query:
        onlyKeys(v, path, {"do", "query"});
        a.query = readQuery(need("query"), at(path, "query"));
        break;
    case LessonAction::Kind::AddTitles:
        onlyKeys(v, path, {"do", "titles"});
        a.titles = readTextList(need("titles"), at(path, "titles"));
        if (a.titles.empty()) {
            throw JsonFieldError(at(path, "titles"), "adds no title");
        }
        break;
    case LessonAction::Kind::Map:
        onlyKeys(v, path, {"do", "map"});
        a.map = readMap(need("map"), at(path, "map"));
        break;
    case LessonAction::Kind::ClearTitles:
    case LessonAction::Kind::SaveModel:
    case LessonAction::Kind::ReloadModel:
    case LessonAction::Kind::None:
        onlyKeys(v, path, {"do"});
        break;
    }
    return a;
}

LessonStep readStep(const Json& v, const std::string& path) {
    onlyKeys(v, path, {"text", "question", "action", "reveal"});
    LessonStep step;
    if (!v.contains("text")) {
        throw JsonFieldError(at(path, "text"), "is missing (every step says something)");
    }
    step.text = readText(v["text"], at(path, "text"));
    if (v.contains("question")) {
        const Json& q = v["question"];
        const std::string qp = at(path, "question");
        onlyKeys(q, qp, {"prompt", "choices"});
        if (!q.contains("prompt")) {
            throw JsonFieldError(at(qp, "prompt"), "is missing");
        }
        LessonQuestion question;
        question.prompt = readText(q["prompt"], at(qp, "prompt"));
        if (q.contains("choices")) {
            question.choices = readTextList(q["choices"], at(qp, "choices"));
            if (question.choices.size() < 2) {
                throw JsonFieldError(at(qp, "choices"),
                                     "needs at least two choices (or none for a free answer)");
            }
        }
        step.question = std::move(question);
    }
    if (v.contains("action")) {
        step.action = readAction(v["action"], at(path, "action"));
    }
    if (v.contains("reveal")) {
        const Json& r = v["reveal"];
        const std::string rp = at(path, "reveal");
        onlyKeys(r, rp, {"text", "point_at"});
        if (!r.contains("text")) {
            throw JsonFieldError(at(rp, "text"), "is missing");
        }
        LessonReveal reveal;
        reveal.text = readText(r["text"], at(rp, "text"));
        if (r.contains("point_at")) {
            reveal.pointAt = readElementName(r["point_at"], at(rp, "point_at"));
        }
        step.reveal = std::move(reveal);
    }
    return step;
}

Lesson readLessonJson(const Json& doc) {
    if (!doc.is_object() || !doc.contains(kVersionKey)) {
        throw JsonFieldError(kVersionKey, "is missing: this is not a TowerLab lesson");
    }
    const Json& version = doc[kVersionKey];
    if (!version.is_number_integer() || version.get<std::int64_t>() < 1) {
        throw JsonFieldError(kVersionKey,
                             "must be a format version (1 or more), got " + version.dump());
    }
    if (version.get<std::int64_t>() > kLessonFormatVersion) {
        throw JsonFieldError(kVersionKey, "is " + version.dump() +
                                              ": the lesson was written by a newer TowerLab "
                                              "(this one reads format " +
                                              std::to_string(kLessonFormatVersion) + ")");
    }
    onlyKeys(doc, "", {kVersionKey, "title", "summary", "start", "steps"});
    Lesson lesson;
    if (!doc.contains("title")) {
        throw JsonFieldError("title", "is missing");
    }
    lesson.title = readText(doc["title"], "title");
    if (doc.contains("summary")) {
        lesson.summary = readText(doc["summary"], "summary", true);
    }
    if (doc.contains("start")) {
        lesson.start = readState(doc["start"], "start");
    }
    if (!doc.contains("steps") || !doc["steps"].is_array() || doc["steps"].empty()) {
        throw JsonFieldError("steps", "must be a non-empty list of steps");
    }
    const Json& steps = doc["steps"];
    for (std::size_t i = 0; i < steps.size(); ++i) {
        lesson.steps.push_back(readStep(steps[i], at("steps", i)));
    }
    return lesson;
}

OrderedJson queryJson(const UserQuery& q) {
    OrderedJson json;
    json["age_bucket"] = q.ageBucket;
    const auto& labels = occupationLabels();
    if (q.occupationLabel >= 0 && static_cast<std::size_t>(q.occupationLabel) < labels.size()) {
        json["occupation"] = labels[static_cast<std::size_t>(q.occupationLabel)];
    } else {
        json["occupation"] = q.occupationLabel;
    }
    json["gender"] = q.gender == 1 ? "M" : "F";
    json["timestamp"] = q.timestamp;
    if (q.userId >= 0) {
        json["user_id"] = q.userId;
    }
    if (!q.attributes.empty()) {
        OrderedJson attributes = OrderedJson::object();
        for (const auto& [name, value] : q.attributes) {
            attributes[name] = value;
        }
        json["attributes"] = attributes;
    }
    return json;
}

OrderedJson mapJson(const LessonMap& map) {
    OrderedJson json;
    json["points"] = map.points == LessonMap::Points::Movies ? "movies" : "users";
    json["method"] = map.method == LessonMap::Method::Pca ? "pca" : "tsne";
    if (map.method == LessonMap::Method::Tsne) {
        json["perplexity"] = map.perplexity;
        json["iterations"] = map.iterations;
        if (map.seed) {
            json["seed"] = *map.seed;
        }
    }
    return json;
}

OrderedJson stateJson(const LessonState& s) {
    OrderedJson json = OrderedJson::object();
    json["dataset"] = s.dataset;
    if (!s.settings.empty()) {
        json["settings"] = configPatchToJson(s.settings);
    }
    if (s.seeds != 1) {
        json["seeds"] = s.seeds;
    }
    if (s.query) {
        json["query"] = queryJson(*s.query);
    }
    if (!s.titles.empty()) {
        json["titles"] = s.titles;
    }
    if (s.map) {
        json["map"] = mapJson(*s.map);
    }
    if (s.tabs != allLessonTabs()) {
        OrderedJson tabs = OrderedJson::array();
        for (LessonTab tab : s.tabs) {
            tabs.push_back(lessonTabName(tab));
        }
        json["tabs"] = tabs;
    }
    if (!s.hidden.empty()) {
        json["hidden"] = s.hidden;
    }
    return json;
}

OrderedJson actionJson(const LessonAction& a) {
    OrderedJson json;
    json["do"] = lessonActionName(a.kind);
    switch (a.kind) {
    case LessonAction::Kind::OpenTab:
        json["tab"] = lessonTabName(a.tab);
        break;
    case LessonAction::Kind::Set:
        json["settings"] = configPatchToJson(a.settings);
        break;
    case LessonAction::Kind::Train:
        if (a.epochs > 0) {
            json["epochs"] = a.epochs;
        }
        if (a.seeds != 1) {
            json["seeds"] = a.seeds;
        }
        break;
    case LessonAction::Kind::StepBatch:
        if (a.batches != 1) {
            json["batches"] = a.batches;
        }
        if (a.row > 0) {
            json["row"] = a.row;
        }
        break;
    case LessonAction::Kind::Query:
        json["query"] = queryJson(a.query);
        break;
    case LessonAction::Kind::AddTitles:
        json["titles"] = a.titles;
        break;
    case LessonAction::Kind::Map:
        json["map"] = mapJson(a.map);
        break;
    case LessonAction::Kind::ClearTitles:
    case LessonAction::Kind::SaveModel:
    case LessonAction::Kind::ReloadModel:
    case LessonAction::Kind::None:
        break;
    }
    return json;
}

std::string lineAndColumn(std::string_view text, std::size_t byte) {
    byte = std::min(byte, text.size());
    const std::size_t line =
        1 + static_cast<std::size_t>(
                std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
    const std::size_t lineStart = text.substr(0, byte).rfind('\n');
    const std::size_t column = lineStart == std::string_view::npos ? byte : byte - lineStart - 1;
    return "line " + std::to_string(line) + ", column " + std::to_string(column + 1);
}

} // namespace

std::string lessonTabName(LessonTab tab) {
    switch (tab) {
    case LessonTab::Data:
        return "data";
    case LessonTab::Train:
        return "train";
    case LessonTab::Batch:
        return "batch";
    case LessonTab::Recommend:
        return "recommend";
    case LessonTab::Scores:
        return "scores";
    case LessonTab::Embeddings:
        return "embeddings";
    }
    return "?";
}

const std::vector<LessonTab>& allLessonTabs() {
    static const std::vector<LessonTab> tabs{LessonTab::Data,   LessonTab::Train,
                                             LessonTab::Batch,  LessonTab::Recommend,
                                             LessonTab::Scores, LessonTab::Embeddings};
    return tabs;
}

std::string lessonActionName(LessonAction::Kind kind) {
    for (const auto& [k, name] : actionNames()) {
        if (k == kind) {
            return name;
        }
    }
    return "none";
}

LessonFileError::LessonFileError(std::string file, std::string where, const std::string& reason)
    : std::runtime_error(file + ": " + (where.empty() ? "" : where + ": ") + reason),
      m_file(std::move(file)), m_where(std::move(where)), m_reason(reason) {}

Lesson parseLesson(std::string_view text, const std::string& displayName) {
    if (text.size() > kMaxLessonBytes) {
        throw LessonFileError(displayName, "",
                              "is larger than a lesson can be (" +
                                  std::to_string(kMaxLessonBytes >> 20) + " MiB)");
    }
    Json doc;
    try {
        doc = Json::parse(text);
    } catch (const Json::parse_error& e) {
        // nlohmann's byte is one past the offending character.
        // nlohmann's message ends with what it expected ("...: syntax error while parsing
        // object separator - unexpected string literal; expected ':'").
        const std::string what = e.what();
        const std::size_t detail = what.find(": syntax error");
        throw LessonFileError(displayName, lineAndColumn(text, e.byte > 0 ? e.byte - 1 : 0),
                              "not valid JSON" + (detail == std::string::npos
                                                      ? std::string()
                                                      : " (" + what.substr(detail + 2) + ")"));
    } catch (const Json::exception& e) {
        // A number too large for any type (out_of_range.406) is not a syntax error and has no
        // position; its message names the number.
        const std::string what = e.what();
        const std::size_t bracket = what.find("] ");
        throw LessonFileError(displayName, "",
                              "not valid JSON (" +
                                  (bracket == std::string::npos ? what : what.substr(bracket + 2)) +
                                  ")");
    }
    try {
        return readLessonJson(doc);
    } catch (const JsonFieldError& e) {
        const std::string what = e.what();
        throw LessonFileError(displayName, e.field(), what.substr(e.field().size() + 2));
    }
}

Lesson readLesson(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw LessonFileError(path.string(), "", "cannot be opened (missing or unreadable)");
    }
    std::string bytes;
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        bytes.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (bytes.size() > kMaxLessonBytes) {
            throw LessonFileError(path.string(), "",
                                  "is larger than a lesson can be (" +
                                      std::to_string(kMaxLessonBytes >> 20) + " MiB)");
        }
    }
    if (in.bad()) {
        throw LessonFileError(path.string(), "", "could not be read");
    }
    return parseLesson(bytes, path.string());
}

std::string encodeLesson(const Lesson& lesson) {
    OrderedJson json;
    json[kVersionKey] = kLessonFormatVersion;
    json["title"] = lesson.title;
    if (!lesson.summary.empty()) {
        json["summary"] = lesson.summary;
    }
    json["start"] = stateJson(lesson.start);
    OrderedJson steps = OrderedJson::array();
    for (const LessonStep& step : lesson.steps) {
        OrderedJson s;
        s["text"] = step.text;
        if (step.question) {
            OrderedJson q;
            q["prompt"] = step.question->prompt;
            if (!step.question->choices.empty()) {
                q["choices"] = step.question->choices;
            }
            s["question"] = q;
        }
        if (step.action.kind != LessonAction::Kind::None) {
            s["action"] = actionJson(step.action);
        }
        if (step.reveal) {
            OrderedJson r;
            r["text"] = step.reveal->text;
            if (!step.reveal->pointAt.empty()) {
                r["point_at"] = step.reveal->pointAt;
            }
            s["reveal"] = r;
        }
        steps.push_back(s);
    }
    json["steps"] = steps;
    return json.dump(2) + "\n";
}

void writeLesson(const Lesson& lesson, const std::filesystem::path& path) {
    // Encoded and read back before anything touches the disk: a lesson this build could not
    // open again is refused, not written.
    const std::string bytes = encodeLesson(lesson);
    try {
        parseLesson(bytes, path.string());
    } catch (const LessonFileError& e) {
        throw LessonFileError(path.string(), e.where(), "cannot be written: " + e.reason());
    }
    writeFileAtomically(path, bytes);
}

} // namespace towerlab
