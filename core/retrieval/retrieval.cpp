#include "retrieval/retrieval.hpp"

#include "retrieval/movie_space.hpp"

#include "model/towers.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

namespace towerlab {

namespace {

std::int32_t rankOf(const Eigen::VectorXf& scores, float score) {
    return 1 + static_cast<std::int32_t>((scores.array() > score).count());
}

// The k best not-excluded movies, best first (ties: lower index first), each with its rank
// among the whole catalogue (excluded movies included), as rankOf gives it. A query over a
// 62k catalogue must take well under a millisecond, so neither a sort of every candidate nor
// a pass over the catalogue per result: a linear selection, then the ranks from the list
// itself and the few excluded scores.
std::vector<ScoredMovie> topK(const Eigen::VectorXf& scores, std::size_t k,
                              std::span<const std::int32_t> excluded, std::int32_t alsoExclude) {
    std::vector<char> skip(static_cast<std::size_t>(scores.size()), 0);
    std::vector<float> excludedScores; // one per distinct excluded movie
    auto exclude = [&](std::int32_t e) {
        if (e >= 0 && e < scores.size() && skip[static_cast<std::size_t>(e)] == 0) {
            skip[static_cast<std::size_t>(e)] = 1;
            excludedScores.push_back(scores[e]);
        }
    };
    for (const std::int32_t e : excluded) {
        exclude(e);
    }
    exclude(alsoExclude);
    std::vector<std::int32_t> ids;
    ids.reserve(skip.size());
    for (std::size_t i = 0; i < skip.size(); ++i) {
        if (skip[i] == 0) {
            ids.push_back(static_cast<std::int32_t>(i));
        }
    }
    k = std::min(k, ids.size());
    // A strict total order, so the k best and their order are the same however found.
    auto better = [&scores](std::int32_t a, std::int32_t b) {
        return scores[a] > scores[b] || (scores[a] == scores[b] && a < b);
    };
    const auto kth = ids.begin() + static_cast<std::ptrdiff_t>(k);
    if (k > 0 && kth != ids.end()) {
        std::nth_element(ids.begin(), kth - 1, ids.end(), better);
    }
    std::sort(ids.begin(), kth, better);
    std::sort(excludedScores.begin(), excludedScores.end(), std::greater<>());
    std::vector<ScoredMovie> out;
    out.reserve(k);
    std::size_t firstOfScore = 0; // the list's first position holding the current score
    for (std::size_t i = 0; i < k; ++i) {
        const float score = scores[ids[i]];
        if (i > 0 && score != scores[ids[i - 1]]) {
            firstOfScore = i;
        }
        // Not-excluded movies scoring strictly higher all come before it in the list; the
        // excluded ones are counted from their sorted scores.
        const auto higherExcluded = std::lower_bound(excludedScores.begin(), excludedScores.end(),
                                                     score, std::greater<>()) -
                                    excludedScores.begin();
        out.push_back({ids[i], score,
                       1 + static_cast<std::int32_t>(firstOfScore) +
                           static_cast<std::int32_t>(higherExcluded)});
    }
    return out;
}

void checkMovie(const Catalogue& catalogue, std::int32_t movie) {
    if (movie < 0 || static_cast<std::size_t>(movie) >= catalogue.size()) {
        throw std::out_of_range("movie index " + std::to_string(movie) +
                                " is outside the catalogue of " + std::to_string(catalogue.size()) +
                                " movies");
    }
}

} // namespace

MovieSpace movieSpace(const TrainedModel& model) {
    return {model.catalogue, model.candidateEmbeddings};
}

RowVector queryEmbedding(const TrainedModel& model, const UserQuery& query) {
    const EncodedQuery encoded = model.features.encode(query);
    return embedQueries(model.config, model.weights, std::span(&encoded, 1));
}

Eigen::VectorXf scoreAll(const TrainedModel& model, const RowVector& q) {
    return model.candidateEmbeddings * q.transpose();
}

std::vector<ScoredMovie> topKOfScores(const Eigen::VectorXf& scores, std::size_t k,
                                      std::span<const std::int32_t> excluded) {
    return topK(scores, k, excluded, -1);
}

std::vector<ScoredMovie> recommend(const TrainedModel& model, const UserQuery& query, std::size_t k,
                                   std::span<const std::int32_t> excluded) {
    return topK(scoreAll(model, queryEmbedding(model, query)), k, excluded, -1);
}

std::vector<ScoredMovie> recommendForVector(const MovieSpace& space, const RowVector& query,
                                            std::size_t k, std::span<const std::int32_t> excluded) {
    if (query.cols() != space.vectors.cols()) {
        throw std::invalid_argument("the query vector has " + std::to_string(query.cols()) +
                                    " dimensions, the movie vectors " +
                                    std::to_string(space.vectors.cols()));
    }
    // The same product scoreAll() computes, so a model's list agrees to the bit.
    const Eigen::VectorXf scores = space.vectors * query.transpose();
    return topK(scores, k, excluded, -1);
}

std::vector<ScoredMovie> scoreMoviesForVector(const MovieSpace& space, const RowVector& query,
                                              std::span<const std::int32_t> movies) {
    if (query.cols() != space.vectors.cols()) {
        throw std::invalid_argument("the query vector has " + std::to_string(query.cols()) +
                                    " dimensions, the movie vectors " +
                                    std::to_string(space.vectors.cols()));
    }
    const Eigen::VectorXf scores = space.vectors * query.transpose();
    std::vector<ScoredMovie> out;
    out.reserve(movies.size());
    for (const std::int32_t m : movies) {
        checkMovie(space.catalogue, m);
        out.push_back({m, scores[m], rankOf(scores, scores[m])});
    }
    return out;
}

std::vector<ScoredMovie> scoreMovies(const TrainedModel& model, const UserQuery& query,
                                     std::span<const std::int32_t> movies) {
    const Eigen::VectorXf scores = scoreAll(model, queryEmbedding(model, query));
    std::vector<ScoredMovie> out;
    for (const std::int32_t m : movies) {
        checkMovie(model.catalogue, m);
        out.push_back({m, scores[m], rankOf(scores, scores[m])});
    }
    return out;
}

std::vector<ScoredMovie> nearestMovies(const TrainedModel& model, std::int32_t movie, std::size_t k,
                                       Similarity similarity) {
    return nearestMovies(movieSpace(model), movie, k, similarity);
}

std::vector<ScoredMovie> nearestMovies(const MovieSpace& space, std::int32_t movie, std::size_t k,
                                       Similarity similarity) {
    checkMovie(space.catalogue, movie);
    const RowMatrix& c = space.vectors;
    Eigen::VectorXf scores = c * c.row(movie).transpose();
    if (similarity == Similarity::Cosine) {
        const Eigen::VectorXf norms = c.rowwise().norm();
        const float own = norms[movie];
        for (Eigen::Index i = 0; i < scores.size(); ++i) {
            const float denom = norms[i] * own;
            scores[i] = denom > 0.0f ? scores[i] / denom : 0.0f;
        }
    }
    return topK(scores, k, {}, movie);
}

std::optional<std::int32_t> findTitle(const TrainedModel& model, std::string_view title) {
    return findTitle(model.catalogue, title);
}

std::optional<std::int32_t> findTitle(const Catalogue& catalogue, std::string_view title) {
    const auto& titles = catalogue.titles;
    for (std::size_t i = 0; i < titles.size(); ++i) {
        if (titles[i] == title) {
            return static_cast<std::int32_t>(i);
        }
    }
    return std::nullopt;
}

std::string foldForSearch(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
            continue;
        }
        // Two-byte UTF-8 sequences of Latin-1 (U+00C0..U+00FF) fold to their base letter.
        if ((c == 0xC3) && i + 1 < s.size()) {
            const auto cp =
                static_cast<unsigned char>(0xC0 + (static_cast<unsigned char>(s[i + 1]) & 0x3F));
            static constexpr const char* kBase =
                "aaaaaaaceeeeiiiidnooooo/ouuuuyts"  // U+00C0..U+00DF
                "aaaaaaaceeeeiiiidnooooo/ouuuuyty"; // U+00E0..U+00FF
            const char base = kBase[cp - 0xC0];
            if (cp == 0xC6 || cp == 0xE6) {
                out += "ae";
            } else if (cp == 0xDF) {
                out += "ss";
            } else {
                out += base;
            }
            ++i;
            continue;
        }
        out += static_cast<char>(c);
    }
    return out;
}

std::vector<std::int32_t> searchTitles(const TrainedModel& model, std::string_view text,
                                       std::size_t limit) {
    return searchTitles(model.catalogue, text, limit);
}

std::vector<std::int32_t> searchTitles(const Catalogue& catalogue, std::string_view text,
                                       std::size_t limit) {
    const std::string needle = foldForSearch(text);
    std::vector<std::int32_t> out;
    const auto& titles = catalogue.titles;
    for (std::size_t i = 0; i < titles.size() && out.size() < limit; ++i) {
        if (foldForSearch(titles[i]).find(needle) != std::string::npos) {
            out.push_back(static_cast<std::int32_t>(i));
        }
    }
    return out;
}

} // namespace towerlab
