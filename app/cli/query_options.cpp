#include "query_options.hpp"

#include "cli_error.hpp"

#include "data/dataset.hpp"
#include "features/feature_space.hpp"
#include "model/trained_model.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace towerlab::cli {

namespace {

constexpr int kMaxAgeYears = 150;
// Unix seconds within years 1000..9999, the range the ISO form can also express.
constexpr std::int64_t kMinTimestamp = -30610224000LL;
constexpr std::int64_t kMaxTimestamp = 253402300799LL;

std::string lowered(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    });
    return text;
}

bool allDigits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](unsigned char c) { return c >= '0' && c <= '9'; });
}

int digitsValue(std::string_view text) {
    int value = 0;
    for (const char c : text) {
        value = value * 10 + (c - '0');
    }
    return value;
}

// "YYYY-MM-DD[(T| )HH:MM[:SS]][Z]" -> Unix seconds; std::nullopt when the shape is wrong.
std::optional<std::int64_t> parseIsoDate(const std::string& command, const std::string& text) {
    std::string_view s = text;
    if (!s.empty() && (s.back() == 'Z' || s.back() == 'z')) {
        s.remove_suffix(1);
    }
    if (s.size() < 10 || s[4] != '-' || s[7] != '-' || !allDigits(s.substr(0, 4)) ||
        !allDigits(s.substr(5, 2)) || !allDigits(s.substr(8, 2))) {
        return std::nullopt;
    }
    using namespace std::chrono;
    const year_month_day date{year{digitsValue(s.substr(0, 4))},
                              month{static_cast<unsigned>(digitsValue(s.substr(5, 2)))},
                              day{static_cast<unsigned>(digitsValue(s.substr(8, 2)))}};
    if (!date.ok()) {
        throw UsageError(command, "--timestamp: \"" + text + "\" is not a calendar date");
    }
    int hours = 0;
    int minutes = 0;
    int seconds = 0;
    if (s.size() > 10) {
        const std::string_view time = s.substr(11);
        const bool shaped = (s[10] == 'T' || s[10] == 't' || s[10] == ' ') &&
                            (time.size() == 5 || time.size() == 8) &&
                            allDigits(time.substr(0, 2)) && time[2] == ':' &&
                            allDigits(time.substr(3, 2)) &&
                            (time.size() == 5 || (time[5] == ':' && allDigits(time.substr(6, 2))));
        if (!shaped) {
            return std::nullopt;
        }
        hours = digitsValue(time.substr(0, 2));
        minutes = digitsValue(time.substr(3, 2));
        seconds = time.size() == 8 ? digitsValue(time.substr(6, 2)) : 0;
        if (hours > 23 || minutes > 59 || seconds > 59) {
            throw UsageError(command, "--timestamp: \"" + text + "\" is not a time of day");
        }
    }
    const sys_seconds at = sys_days{date} + std::chrono::hours{hours} +
                           std::chrono::minutes{minutes} + std::chrono::seconds{seconds};
    return at.time_since_epoch().count();
}

// The names --feature takes: the table's user features that UserQuery has no field for.
std::string fieldlessUserFeatures() {
    std::string names;
    for (const FeatureDescriptor& f : kFeatureTable) {
        if (f.tower == Tower::Query && f.ofQuery == nullptr) {
            names += names.empty() ? "" : ", ";
            names += f.name;
        }
    }
    return names.empty() ? std::string("none in this build") : names;
}

[[noreturn]] void missingFlag(const std::string& command, const std::string& flag,
                              const std::string& feature) {
    throw UsageError(command, "the model uses the " + feature + " feature: pass " + flag);
}

} // namespace

void addQueryOptions(po::options_description& options) {
    options.add_options()("age", arg("YEARS"),
                          "age in years (bucketized as in the dataset: 25 and 30 -> 25, 12 -> 1)")(
        "occupation", arg("OCC"),
        "label index 0..21, label name (\"sales/marketing\") or 100K occupation (salesman)")(
        "gender", arg("M|F"),
        "M, F, male, female, or as the tutorial writes it (TFDS user_gender) true = male, "
        "false = female, 1, 0 (any case)")(
        "timestamp", arg("TIME"), "Unix seconds, or a UTC date 1997-11-08 / 1997-11-08T12:00:00Z")(
        "user-id", arg("ID"),
        "the dataset's user id (for models with the user_id feature; otherwise ignored)")(
        "feature", po::value<std::vector<std::string>>()->value_name("NAME=VALUE"),
        ("a user feature without an option of its own, as a whole number; repeatable (" +
         fieldlessUserFeatures() + ")")
            .c_str());
}

QueryArguments parseQueryArguments(const std::string& command, const po::variables_map& vm) {
    QueryArguments args;
    if (auto text = optionalString(vm, "age")) {
        args.ageYears = parseAgeYears(command, *text);
    }
    if (auto text = optionalString(vm, "occupation")) {
        args.occupationLabel = parseOccupation(command, *text);
    }
    if (auto text = optionalString(vm, "gender")) {
        args.gender = parseGender(command, *text);
    }
    if (auto text = optionalString(vm, "timestamp")) {
        args.timestamp = parseTimestamp(command, *text);
    }
    if (auto text = optionalString(vm, "user-id")) {
        args.userId = parseInteger(command, "--user-id", *text, 0, INT64_MAX);
    }
    if (vm.count("feature") > 0) {
        for (const std::string& item : vm["feature"].as<std::vector<std::string>>()) {
            const auto eq = item.find('=');
            const std::string name = item.substr(0, eq);
            const FeatureDescriptor* f = findFeature(name);
            if (eq == std::string::npos || f == nullptr || f->tower != Tower::Query ||
                f->ofQuery != nullptr) {
                throw UsageError(command,
                                 "--feature: \"" + item +
                                     "\" is not NAME=VALUE for one of: " + fieldlessUserFeatures() +
                                     (f != nullptr && f->ofQuery != nullptr
                                          ? " (" + name + " has an option of its own)"
                                          : std::string()));
            }
            args.attributes[name] = parseInteger(command, "--feature " + name, item.substr(eq + 1),
                                                 INT64_MIN, INT64_MAX);
        }
    }
    return args;
}

UserQuery makeUserQuery(const std::string& command, const QueryArguments& args,
                        const TrainedModel& model, bool& unknownUser) {
    const FeatureSet& f = model.config.features;
    UserQuery query;
    if (f.has(FeatureId::Age)) {
        if (!args.ageYears) {
            missingFlag(command, "--age", "age");
        }
        query.ageBucket = bucketizeAge(*args.ageYears);
    }
    if (f.has(FeatureId::Occupation)) {
        if (!args.occupationLabel) {
            missingFlag(command, "--occupation", "occupation");
        }
        query.occupationLabel = *args.occupationLabel;
    }
    if (f.has(FeatureId::Gender)) {
        if (!args.gender) {
            missingFlag(command, "--gender", "gender");
        }
        query.gender = *args.gender;
    }
    if (f.has(FeatureId::TimestampBucket) || f.has(FeatureId::TimestampNorm)) {
        if (!args.timestamp) {
            missingFlag(command, "--timestamp", "timestamp");
        }
        query.timestamp = *args.timestamp;
    }
    query.userId = args.userId.value_or(-1);
    unknownUser = f.has(FeatureId::UserId) && !args.userId;
    for (const FeatureId id : f.enabled(Tower::Query)) {
        const FeatureDescriptor& d = describe(id);
        if (d.ofQuery != nullptr) {
            continue;
        }
        const auto it = args.attributes.find(d.name);
        if (it == args.attributes.end()) {
            missingFlag(command, "--feature " + std::string(d.name) + "=VALUE",
                        std::string(d.name));
        }
        query.attributes.insert(*it);
    }
    return query;
}

int parseAgeYears(const std::string& command, const std::string& text) {
    return static_cast<int>(parseInteger(command, "--age", text, 0, kMaxAgeYears));
}

int parseOccupation(const std::string& command, const std::string& text) {
    const auto& labels = occupationLabels();
    if (allDigits(text)) {
        const auto index = parseInteger(command, "--occupation", text, 0,
                                        static_cast<std::int64_t>(labels.size()) - 1);
        return static_cast<int>(index);
    }
    const std::string wanted = lowered(text);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        if (labels[i] == wanted) {
            return static_cast<int>(i);
        }
    }
    if (const int label = occupationLabelFromText(wanted); label >= 0) {
        return label;
    }
    std::string names;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        names += i == 0 ? "" : ", ";
        names += std::to_string(i);
        names += " ";
        names += labels[i];
    }
    throw UsageError(command, "--occupation: unknown occupation \"" + text +
                                  "\"; use an index or a name: " + names);
}

int parseGender(const std::string& command, const std::string& text) {
    const std::string g = lowered(text);
    // TFDS's user_gender, which the tutorial writes, is a bool: True is male.
    if (g == "m" || g == "male" || g == "true" || g == "1") {
        return 1;
    }
    if (g == "f" || g == "female" || g == "false" || g == "0") {
        return 0;
    }
    throw UsageError(command,
                     "--gender: \"" + text +
                         "\" is not M, F, male, female, true (male), false (female), 1 or 0");
}

std::int64_t parseTimestamp(const std::string& command, const std::string& text) {
    const bool numeric = allDigits(text) || (text.size() > 1 && text[0] == '-' &&
                                             allDigits(std::string_view(text).substr(1)));
    if (numeric) {
        return parseInteger(command, "--timestamp", text, kMinTimestamp, kMaxTimestamp);
    }
    if (auto seconds = parseIsoDate(command, text)) {
        return *seconds;
    }
    throw UsageError(command, "--timestamp: \"" + text +
                                  "\" is neither Unix seconds nor a date like 1997-11-08 or "
                                  "1997-11-08T12:00:00Z");
}

std::string formatTimestamp(std::int64_t unixSeconds) {
    using namespace std::chrono;
    const sys_seconds at{seconds{unixSeconds}};
    const sys_days day = floor<days>(at);
    const year_month_day date{day};
    const hh_mm_ss time{at - day};
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u %02lld:%02lld:%02lld UTC",
                  static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), static_cast<long long>(time.hours().count()),
                  static_cast<long long>(time.minutes().count()),
                  static_cast<long long>(time.seconds().count()));
    return text;
}

} // namespace towerlab::cli
