#include "models/catalogue_text.hpp"

#include "model/trained_model.hpp"

#include <QStringList>

namespace towerlab {

QString catalogueTitle(const Catalogue& catalogue, std::size_t movie) {
    return movie < catalogue.titles.size() ? QString::fromStdString(catalogue.titles[movie])
                                           : QString();
}

QString catalogueGenres(const Catalogue& catalogue, std::size_t movie) {
    QStringList names;
    if (movie < catalogue.genres.size()) {
        for (const int g : catalogue.genres[movie]) {
            if (g >= 0 && static_cast<std::size_t>(g) < catalogue.genreNames.size()) {
                names << QString::fromStdString(catalogue.genreNames[static_cast<std::size_t>(g)]);
            }
        }
    }
    return names.join(QStringLiteral(", "));
}

} // namespace towerlab
