#include "movie_text.hpp"

#include "query_options.hpp"

#include "data/dataset.hpp"

#include <cstdio>

namespace towerlab::cli {

std::string describeQuery(const UserQuery& query, const TrainedModel& model) {
    const FeatureSet& f = model.config.features;
    std::vector<std::string> parts;
    if (f.has(FeatureId::Age)) {
        parts.push_back("age bucket " + std::to_string(query.ageBucket));
    }
    if (f.has(FeatureId::Occupation)) {
        parts.push_back("occupation " + std::to_string(query.occupationLabel) + " (" +
                        occupationLabels().at(static_cast<std::size_t>(query.occupationLabel)) +
                        ")");
    }
    if (f.has(FeatureId::Gender)) {
        parts.push_back(std::string("gender ") + (query.gender == 1 ? "M" : "F"));
    }
    if (f.has(FeatureId::TimestampBucket) || f.has(FeatureId::TimestampNorm)) {
        parts.push_back("time " + std::to_string(query.timestamp) + " (" +
                        formatTimestamp(query.timestamp) + ")");
    }
    if (f.has(FeatureId::UserId)) {
        parts.push_back(query.userId >= 0 ? "user " + std::to_string(query.userId)
                                          : std::string("unknown user"));
    }
    for (const FeatureId id : f.enabled(Tower::Query)) {
        const FeatureDescriptor& d = describe(id);
        if (d.ofQuery == nullptr) {
            parts.push_back(std::string(d.name) + " " + queryValueText(d, query));
        }
    }
    std::string text;
    for (const auto& part : parts) {
        text += text.empty() ? "" : ", ";
        text += part;
    }
    return text;
}

std::string genreText(const TrainedModel& model, std::int32_t movie) {
    const Catalogue& c = model.catalogue;
    std::string text;
    for (const int g : c.genres[static_cast<std::size_t>(movie)]) {
        text += text.empty() ? "" : "|";
        text += c.genreNames.at(static_cast<std::size_t>(g));
    }
    return text.empty() ? "-" : text;
}

void printMovieTable(std::ostream& out, const TrainedModel& model,
                     const std::vector<ScoredMovie>& movies, MovieTableRank rank) {
    out << "rank     score  title  [year; genres]\n";
    char cell[64];
    for (std::size_t i = 0; i < movies.size(); ++i) {
        const ScoredMovie& m = movies[i];
        const auto index = static_cast<std::size_t>(m.movie);
        const long shownRank =
            rank == MovieTableRank::Position ? static_cast<long>(i + 1) : static_cast<long>(m.rank);
        std::snprintf(cell, sizeof cell, "%4ld  %8.4f  ", shownRank, static_cast<double>(m.score));
        out << cell << model.catalogue.titles[index] << "  [";
        const int year = model.catalogue.years[index];
        out << (year > 0 ? std::to_string(year) : std::string("-")) << "; "
            << genreText(model, m.movie) << "]\n";
    }
}

} // namespace towerlab::cli
