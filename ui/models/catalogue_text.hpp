#pragma once
// How the query views name a catalogue movie: its title and its genres as text.

#include <QString>

#include <cstddef>

namespace towerlab {

struct Catalogue;

QString catalogueTitle(const Catalogue& catalogue, std::size_t movie);
// "Animation, Children's, Musical", or an empty string for a movie without genres.
QString catalogueGenres(const Catalogue& catalogue, std::size_t movie);

} // namespace towerlab
