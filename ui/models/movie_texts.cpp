#include "models/movie_texts.hpp"

#include "retrieval/retrieval.hpp"

namespace towerlab {

MovieTexts movieTextsOf(const Dataset& dataset) {
    MovieTexts texts;
    const auto n = static_cast<qsizetype>(dataset.movies.size());
    texts.titles.reserve(n);
    texts.genres.reserve(n);
    texts.searchText.reserve(n);
    for (const Movie& movie : dataset.movies) {
        QStringList genres;
        for (const int g : movie.genres) {
            if (g >= 0 && static_cast<std::size_t>(g) < dataset.genreNames.size()) {
                genres << QString::fromStdString(dataset.genreNames[static_cast<std::size_t>(g)]);
            }
        }
        texts.titles << QString::fromStdString(movie.title);
        texts.genres << genres.join(QStringLiteral(", "));
        texts.searchText << QString::fromStdString(foldForSearch(movie.title));
    }
    return texts;
}

} // namespace towerlab
