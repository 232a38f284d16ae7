#include "views/embedding_colouring.hpp"

#include "data/dataset.hpp"
#include "data/dataset_summary.hpp"
#include "model/trained_model.hpp"
#include "retrieval/user_queries.hpp"
#include "views/query_text.hpp"

#include <QObject>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace towerlab {

namespace {

// Distinct colours for unordered groups (genres, occupations): Tableau 20 reordered so the
// first ten are the strong ones.
const std::array<QColor, 20> kQualitative = {
    QColor(31, 119, 180),  QColor(255, 127, 14),  QColor(44, 160, 44),   QColor(214, 39, 40),
    QColor(148, 103, 189), QColor(140, 86, 75),   QColor(227, 119, 194), QColor(127, 127, 127),
    QColor(188, 189, 34),  QColor(23, 190, 207),  QColor(174, 199, 232), QColor(255, 187, 120),
    QColor(152, 223, 138), QColor(255, 152, 150), QColor(197, 176, 213), QColor(196, 156, 148),
    QColor(247, 182, 210), QColor(199, 199, 199), QColor(219, 219, 141), QColor(158, 218, 229)};

QColor qualitative(int i) {
    return kQualitative[static_cast<std::size_t>(i) % kQualitative.size()];
}

// Ordered groups (decades, popularity, age) from dark blue through green to yellow, a
// viridis-like ramp that stays readable in grey and for colour-blind readers.
QColor sequential(int i, int count) {
    static const std::array<QColor, 5> stops = {QColor(68, 1, 84), QColor(59, 82, 139),
                                                QColor(33, 145, 140), QColor(94, 201, 98),
                                                QColor(253, 231, 37)};
    const double t = count <= 1 ? 0.0 : static_cast<double>(i) / (count - 1);
    const double x = t * (stops.size() - 1);
    const auto k = std::min(static_cast<std::size_t>(x), stops.size() - 2);
    const double f = x - static_cast<double>(k);
    const QColor& a = stops[k];
    const QColor& b = stops[k + 1];
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * f),
                            static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * f),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * f));
}

// Groups keyed by an ordered value: keys present in the data, in order, one group each.
MapColouring byKey(const std::vector<int>& keyOf, const std::map<int, QString>& names,
                   bool ordered) {
    MapColouring out;
    std::map<int, int> groupOfKey;
    for (const auto& [key, name] : names) {
        if (std::find(keyOf.begin(), keyOf.end(), key) != keyOf.end()) {
            groupOfKey[key] = static_cast<int>(out.groups.size());
            out.groups.append({name, QColor()});
        }
    }
    const int count = static_cast<int>(out.groups.size());
    for (int g = 0; g < count; ++g) {
        out.groups[g].colour = ordered ? sequential(g, count) : qualitative(g);
    }
    out.groupOf.reserve(keyOf.size());
    for (const int key : keyOf) {
        const auto it = groupOfKey.find(key);
        out.groupOf.push_back(it == groupOfKey.end() ? -1 : it->second);
    }
    return out;
}

// Ratings in the training split: thresholds chosen for MovieLens, where half the movies
// have fewer than ~30 ratings and a few have hundreds.
constexpr std::array<int, 5> kPopularityEdges = {5, 20, 50, 100, 200};

int popularityBin(int ratings) {
    int bin = 0;
    while (bin < static_cast<int>(kPopularityEdges.size()) &&
           ratings >= kPopularityEdges[static_cast<std::size_t>(bin)]) {
        ++bin;
    }
    return bin;
}

} // namespace

MapColouring colourMovies(const Catalogue& catalogue, MovieColouring by) {
    const std::size_t n = catalogue.size();
    std::vector<int> keys(n, -1);
    std::map<int, QString> names;
    switch (by) {
    case MovieColouring::Genre:
        for (std::size_t m = 0; m < n; ++m) {
            if (!catalogue.genres[m].empty()) {
                keys[m] = catalogue.genres[m].front();
            }
        }
        for (std::size_t g = 0; g < catalogue.genreNames.size(); ++g) {
            names[static_cast<int>(g)] = QString::fromStdString(catalogue.genreNames[g]);
        }
        return byKey(keys, names, false);
    case MovieColouring::Year: {
        // Decades; everything before 1940 is one group (few movies, long span).
        for (std::size_t m = 0; m < n; ++m) {
            const int year = catalogue.years[m];
            if (year > 0) {
                keys[m] = std::max(1930, year / 10 * 10);
            }
        }
        for (const int key : keys) {
            if (key > 0) {
                names[key] = key == 1930 ? QObject::tr("before 1940") : QObject::tr("%1s").arg(key);
            }
        }
        return byKey(keys, names, true);
    }
    case MovieColouring::Popularity:
        for (std::size_t m = 0; m < n; ++m) {
            keys[m] = popularityBin(catalogue.popularity[m]);
        }
        for (std::size_t b = 0; b <= kPopularityEdges.size(); ++b) {
            const int low = b == 0 ? 0 : kPopularityEdges[b - 1];
            names[static_cast<int>(b)] =
                b == kPopularityEdges.size()
                    ? QObject::tr("%1+ ratings").arg(low)
                    : QObject::tr("%1–%2 ratings").arg(low).arg(kPopularityEdges[b] - 1);
        }
        return byKey(keys, names, true);
    }
    return {};
}

MapColouring colourUsers(const Dataset& dataset, const std::vector<DatasetUserQuery>& users,
                         UserColouring by) {
    std::vector<int> keys;
    keys.reserve(users.size());
    std::map<int, QString> names;
    for (const DatasetUserQuery& q : users) {
        const User& user = dataset.users[static_cast<std::size_t>(q.user)];
        switch (by) {
        case UserColouring::AgeGroup:
            keys.push_back(user.ageBucket);
            break;
        case UserColouring::Occupation:
            keys.push_back(user.occupationLabel);
            break;
        case UserColouring::Gender:
            keys.push_back(user.gender);
            break;
        }
    }
    switch (by) {
    case UserColouring::AgeGroup:
        for (const int bucket : ageBuckets()) {
            names[bucket] = ageGroupText(bucket);
        }
        return byKey(keys, names, true);
    case UserColouring::Occupation:
        for (std::size_t o = 0; o < occupationLabels().size(); ++o) {
            names[static_cast<int>(o)] = occupationText(static_cast<int>(o));
        }
        return byKey(keys, names, false);
    case UserColouring::Gender: {
        names[0] = genderText(0);
        names[1] = genderText(1);
        MapColouring out = byKey(keys, names, false);
        for (MapGroup& g : out.groups) {
            g.colour = g.name == names[0] ? QColor(214, 39, 40) : QColor(31, 119, 180);
        }
        return out;
    }
    }
    return {};
}

std::vector<double> popularitySizes(const Catalogue& catalogue) {
    const std::int32_t most =
        catalogue.popularity.empty()
            ? 0
            : *std::max_element(catalogue.popularity.begin(), catalogue.popularity.end());
    std::vector<double> sizes(catalogue.size(), 0.0);
    if (most <= 0) {
        return sizes;
    }
    for (std::size_t m = 0; m < catalogue.size(); ++m) {
        sizes[m] = std::log1p(static_cast<double>(catalogue.popularity[m])) /
                   std::log1p(static_cast<double>(most));
    }
    return sizes;
}

} // namespace towerlab
