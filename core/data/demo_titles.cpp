#include "data/demo_titles.hpp"

#include "data/demo_taste.hpp"

#include <array>

namespace towerlab::demo {

namespace {

const std::string& pick(Random& rng, const std::vector<std::string>& words) {
    return words[static_cast<std::size_t>(rng.below(words.size()))];
}

} // namespace

const std::vector<std::string>& genreWords(int genre) {
    // Non-ASCII letters are written as UTF-8 escapes so the source compiles the same with any
    // source character set.
    static const std::array<std::vector<std::string>, kGenreCount> words = {{
        {},
        {"Bullet", "Strike", "Fury", "Agent", "Blast", "Velocity"},
        {"Quest", "Treasure", "Island", "Expedition", "Jungle", "Voyage"},
        {"Cartoon", "Toon", "Pixel", "Doodle", "Crayon"},
        {"Puppy", "Kitten", "Teddy", "Playground", "Lollipop"},
        {"Oops", "Banana", "Giggle", "Prank", "Pickle", "Hiccup"},
        {"Heist", "Gangster", "Robbery", "Alibi", "Racket"},
        {"Chronicle", "Portrait", "Report", "Archive", "Testimony"},
        {"Tears", "Silence", "Promise", "Letters", "Inheritance", "Widow"},
        {"Dragon", "Wizard", "Enchanted", "Sorcerer", "Unicorn"},
        {"Shadow", "Smoke", "Dame", "Fedora", "Neon"},
        {"Blood", "Night", "Scream", "Grave", "Zombie", "Crypt"},
        {"Song", "Melody", "Dance", "Rhythm", "Rock 'n' Roll"},
        {"Riddle", "Clue", "Secret", "Enigma", "Cipher"},
        {"Love", "Wedding", "Kiss", "Heart", "L'Amour", "Valentine"},
        {"Galaxy", "Starship", "Robot", "Planet", "Android", "Nebula"},
        {"Pursuit", "Hostage", "Panic", "Conspiracy", "Deadline"},
        {"Battalion", "Trenches", "Soldier", "Frontline", "Armistice"},
        {"Saloon", "Outlaw", "Frontier", "Rodeo", "Cowboy", "Sheriff"},
    }};
    return words[static_cast<std::size_t>(genre)];
}

const std::vector<std::string>& neutralWords() {
    static const std::vector<std::string> words = {
        "Harbor",      "Summer",       "City",       "River",        "Road",     "Blue",
        "Last",        "Lost",         "Golden",     "Winter",       "Morning",  "Paper",
        "Silver",      "Garden",       "Tomorrow",   "Station",      "Mountain", "Avenue",
        "Seven",       "Street",       "Sunday",     "Ocean",        "Velvet",   "Crossing",
        "Caf\xC3\xA9", "Se\xC3\xB1or", "Zo\xC3\xAB", "Cr\xC3\xA8me", "Jean-Luc", "Mr. Brown",
    };
    return words;
}

std::string makeTitleStem(Random& rng, const std::vector<int>& genresPrimaryFirst) {
    const std::string& p = pick(rng, genreWords(genresPrimaryFirst.front()));
    const std::string& s = genresPrimaryFirst.size() > 1
                               ? pick(rng, genreWords(genresPrimaryFirst[1]))
                               : pick(rng, neutralWords());
    const std::string& n = pick(rng, neutralWords());
    switch (rng.below(10)) {
    case 0:
        return p + " " + n;
    case 1:
        return n + " " + p;
    case 2:
        return "The " + p + " of " + n;
    case 3:
        return p + " and " + s;
    case 4:
        return p + " & " + s;
    case 5:
        return p + " " + n + ", The"; // the MovieLens way of filing "The ..."
    case 6:
        return p + ": " + n + " " + s;
    case 7:
        return "Return of the " + p;
    case 8:
        return p + " " + n + "!";
    default:
        return n + " " + p + " II";
    }
}

} // namespace towerlab::demo
