#include "io/history_csv.hpp"

#include "util/atomic_file.hpp"

#include <cstdio>

namespace towerlab {

namespace {

// Locale-independent: snprintf with %g follows LC_NUMERIC, which a desktop may set to a
// decimal comma, so the separator is fixed afterwards.
std::string number(double value) {
    char text[40];
    std::snprintf(text, sizeof text, "%.9g", value);
    std::string out = text;
    for (char& c : out) {
        if (c == ',') {
            c = '.';
        }
    }
    return out;
}

void appendMetrics(std::string& out, const RankingMetrics& m) {
    for (const double value : m.topK) {
        out += ',' + number(value);
    }
    out += ',' + number(m.mrr);
}

} // namespace

std::string historyCsv(const TrainingHistory& history) {
    std::string out = "epoch,mean_loss,last_batch_loss,seconds,examples_per_second,"
                      "top_1,top_5,top_10,top_50,top_100,mrr\n";
    for (const EpochRecord& e : history.epochs) {
        out += std::to_string(e.epoch) + ',' + number(e.meanLoss) + ',' + number(e.lastBatchLoss) +
               ',' + number(e.seconds) + ',' + number(e.examplesPerSecond);
        if (e.test) {
            appendMetrics(out, *e.test);
        } else {
            out += ",,,,,,";
        }
        out += '\n';
    }
    if (history.baseline) {
        out += "baseline,,,,";
        appendMetrics(out, *history.baseline);
        out += '\n';
    }
    return out;
}

void writeHistoryCsv(const TrainingHistory& history, const std::filesystem::path& path) {
    writeFileAtomically(path, historyCsv(history));
}

} // namespace towerlab
