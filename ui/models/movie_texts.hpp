#pragma once
// The movie table's text, made once per dataset: titles as QString, the genre lists, and the
// folded titles a search compares with. For MovieLens 25M's 62,000 movies this takes about
// 150 ms, so the dataset controller makes it on its loading thread with the summary.

#include "data/dataset.hpp"

#include <QStringList>

namespace towerlab {

struct MovieTexts {
    QStringList titles;     // per movie, as QString (converted once, not per paint)
    QStringList genres;     // per movie, "Action, Sci-Fi"
    QStringList searchText; // per movie, the title folded for accent- and case-blind search
};

// Touches no widget: safe on any thread.
MovieTexts movieTextsOf(const Dataset& dataset);

} // namespace towerlab
