#pragma once
// Invented movie titles for the demo dataset. Some words carry a genre: a title only uses
// words of its own genres plus neutral words, so "Galaxy" in a title implies Sci-Fi.

#include "util/random.hpp"

#include <string>
#include <vector>

namespace towerlab::demo {

// Words that mark a genre (index as in u.genre; empty for "unknown"). No word is in two
// lists or among the neutral words.
const std::vector<std::string>& genreWords(int genre);
// Words that say nothing about the genre; some carry punctuation or diacritics (UTF-8).
const std::vector<std::string>& neutralWords();

// A title without its year for a movie whose genres are listed primary first.
std::string makeTitleStem(Random& rng, const std::vector<int>& genresPrimaryFirst);

} // namespace towerlab::demo
