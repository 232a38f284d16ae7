// The score explanation on a model small enough to check by hand: one-wide embeddings, one
// dense layer per tower with chosen weights, so every score is a line of arithmetic.

#include "model/tower_layout.hpp"
#include "retrieval/retrieval.hpp"
#include "retrieval/score_explanation.hpp"

#include <QtTest>

using namespace towerlab;

namespace {

// Two users, two movies, four ratings at 100, 100, 300, 300: the normalizer's mean is 200 and
// its standard deviation 100, so timestamp 350 normalizes to exactly 1.5.
Dataset tinyDataset() {
    Dataset d;
    d.name = "tiny";
    d.genreNames = {"Drama"};
    d.users = {{1, 30, 25, 17, "student", 1, ""}, {2, 40, 35, 4, "doctor", 0, ""}};
    d.movies = {{10, "A (1990)", {0}, 1990}, {11, "B (1991)", {0}, 1991}};
    d.ratings = {{0, 0, 4.0f, 100}, {0, 1, 3.0f, 300}, {1, 0, 5.0f, 100}, {1, 1, 2.0f, 300}};
    return d;
}

// User tower: age, gender and the normalized timestamp into one unit,
//   q = age_emb + gender_emb + 2 * timestamp_norm + 0.5
// with age rows [OOV 0.5, 25 -> 1.0, 35 -> 2.0] and gender rows [OOV 0.25, F -1.0, M 3.0].
// Movie tower: title id into one unit, c = 2 * title_emb, title rows [OOV 0, A 1.5, B -2],
// so c(A) = 3 and c(B) = -4.
TrainedModel handModel() {
    const Dataset d = tinyDataset();
    TrainedModel m;
    m.config.features = FeatureSet{};
    m.config.features.set(FeatureId::Occupation, false);
    m.config.features.set(FeatureId::TimestampBucket, false);
    m.config.features.set(FeatureId::TitleText, false);
    m.config.embeddingDim = 1;
    m.config.layers = {1};
    m.features = FeatureSpace::fit(d);
    m.weights = TwoTowerWeights::shaped(m.config, m.features);
    m.weights.embedding(FeatureId::Age) << 0.5f, 1.0f, 2.0f;
    m.weights.embedding(FeatureId::Gender) << 0.25f, -1.0f, 3.0f;
    const TowerLayout layout = TowerLayout::of(m.config);
    m.weights.queryLayers[0].kernel(layout.offset(FeatureId::Age), 0) = 1.0f;
    m.weights.queryLayers[0].kernel(layout.offset(FeatureId::Gender), 0) = 1.0f;
    m.weights.queryLayers[0].kernel(layout.offset(FeatureId::TimestampNorm), 0) = 2.0f;
    m.weights.queryLayers[0].bias(0) = 0.5f;
    m.weights.embedding(FeatureId::TitleId) << 0.0f, 1.5f, -2.0f;
    m.weights.candidateLayers[0].kernel(layout.offset(FeatureId::TitleId), 0) = 2.0f;
    for (const Movie& movie : d.movies) {
        m.catalogue.movieIds.push_back(movie.id);
        m.catalogue.titles.push_back(movie.title);
        m.catalogue.genres.push_back(movie.genres);
        m.catalogue.years.push_back(movie.year);
        m.catalogue.popularity.push_back(1);
    }
    m.catalogue.genreNames = d.genreNames;
    m.finalize();
    return m;
}

const UserQuery kQuery{25, 17, 1, 350, -1, {}}; // q = 1.0 + 3.0 + 2 * 1.5 + 0.5 = 7.5

} // namespace

class TestScoreExplanation : public QObject {
    Q_OBJECT

private slots:
    void theHandModelIsWhatTheCommentSays() {
        const TrainedModel m = handModel();
        QCOMPARE(m.features.encode(kQuery).value(FeatureId::TimestampNorm), 1.5f);
        QCOMPARE(queryEmbedding(m, kQuery)(0), 7.5f);
        QCOMPARE(m.candidateEmbeddings(0, 0), 3.0f);
        QCOMPARE(m.candidateEmbeddings(1, 0), -4.0f);
    }

    void eachFeatureIsReplacedByItsNeutralValue() {
        const TrainedModel m = handModel();
        // Movie A: score 7.5 * 3 = 22.5.
        //   age OOV:        q = 0.5 + 3 + 3 + 0.5 = 7.0  -> 21.0,  contribution 1.5
        //   gender OOV:     q = 1 + 0.25 + 3 + 0.5 = 4.75 -> 14.25, contribution 8.25
        //   mean timestamp: q = 1 + 3 + 0 + 0.5 = 4.5    -> 13.5,  contribution 9.0
        const ScoreExplanation a = explainScore(m, kQuery, 0);
        QCOMPARE(a.movie, 0);
        QCOMPARE(a.score, 22.5f);
        QCOMPARE(a.features.size(), std::size_t(3)); // occupation and the bucket are off
        QCOMPARE(a.features[0].feature, FeatureId::Age);
        QCOMPARE(a.features[0].neutralScore, 21.0f);
        QCOMPARE(a.features[0].contribution, 1.5f);
        QCOMPARE(a.features[1].feature, FeatureId::Gender);
        QCOMPARE(a.features[1].neutralScore, 14.25f);
        QCOMPARE(a.features[1].contribution, 8.25f);
        QCOMPARE(a.features[2].feature, FeatureId::TimestampNorm);
        QCOMPARE(a.features[2].neutralScore, 13.5f);
        QCOMPARE(a.features[2].contribution, 9.0f);

        // Movie B has a negative vector (c = -4): every feature that raises q lowers its score.
        const ScoreExplanation b = explainScore(m, kQuery, 1);
        QCOMPARE(b.score, -30.0f);
        QCOMPARE(b.features[0].contribution, -2.0f);
        QCOMPARE(b.features[1].contribution, -11.0f);
        QCOMPARE(b.features[2].contribution, -12.0f);
    }

    void aFemaleUserOfAnotherAgeGivesOtherContributions() {
        const TrainedModel m = handModel();
        // q = 2.0 (35) - 1.0 (F) + 2 * (-1) (timestamp 100) + 0.5 = -0.5; score A = -1.5.
        const ScoreExplanation a = explainScore(m, UserQuery{35, 4, 0, 100, -1, {}}, 0);
        QCOMPARE(a.score, -1.5f);
        QCOMPARE(a.features[0].contribution, 3.0f * (2.0f - 0.5f));   // age: 4.5
        QCOMPARE(a.features[1].contribution, 3.0f * (-1.0f - 0.25f)); // gender: -3.75
        QCOMPARE(a.features[2].contribution, 3.0f * (-2.0f));         // timestamp: -6
        // An unknown age is already out of vocabulary: replacing it changes nothing.
        const ScoreExplanation unknown = explainScore(m, UserQuery{99, 4, 0, 100, -1, {}}, 0);
        QCOMPARE(unknown.features[0].contribution, 0.0f);
    }

    void theExplainedScoreIsTheListedScore() {
        const TrainedModel m = handModel();
        const auto top = recommend(m, kQuery, 2);
        for (const ScoredMovie& s : top) {
            QCOMPARE(explainScore(m, kQuery, s.movie).score, s.score);
        }
    }

    void neutralValues() {
        EncodedQuery e;
        e.setId(FeatureId::Age, 3);
        e.setId(FeatureId::Occupation, 4);
        e.setId(FeatureId::Gender, 2);
        e.setId(FeatureId::UserId, 9);
        e.setId(FeatureId::TimestampBucket, 17);
        e.setValue(FeatureId::TimestampNorm, 0.75f);
        QCOMPARE(withNeutralFeature(e, FeatureId::Age).id(FeatureId::Age), 0);
        QCOMPARE(withNeutralFeature(e, FeatureId::Age).id(FeatureId::Occupation), 4);
        QCOMPARE(withNeutralFeature(e, FeatureId::Occupation).id(FeatureId::Occupation), 0);
        QCOMPARE(withNeutralFeature(e, FeatureId::Gender).id(FeatureId::Gender), 0);
        QCOMPARE(withNeutralFeature(e, FeatureId::UserId).id(FeatureId::UserId), 0);
        QCOMPARE(withNeutralFeature(e, FeatureId::TimestampBucket).id(FeatureId::TimestampBucket),
                 0);
        QCOMPARE(withNeutralFeature(e, FeatureId::TimestampBucket).value(FeatureId::TimestampNorm),
                 0.75f);
        QCOMPARE(withNeutralFeature(e, FeatureId::TimestampNorm).value(FeatureId::TimestampNorm),
                 0.0f);
        QCOMPARE(withNeutralFeature(e, FeatureId::TimestampNorm).id(FeatureId::TimestampBucket),
                 17);
    }

    void featureListsFollowTheTowerOrder() {
        FeatureSet all;
        all.set(FeatureId::UserId, true);
        const auto features = all.enabled(Tower::Query);
        QCOMPARE(features.size(), std::size_t(6));
        QCOMPARE(features.front(), FeatureId::Age);
        QCOMPARE(features[3], FeatureId::TimestampBucket);
        QCOMPARE(features.back(), FeatureId::UserId);
        FeatureSet timeOnly;
        timeOnly.setUserFeatures("timestamp_norm");
        QCOMPARE(timeOnly.enabled(Tower::Query), std::vector<FeatureId>{FeatureId::TimestampNorm});
    }

    void aMovieOutsideTheCatalogueIsRefused() {
        const TrainedModel m = handModel();
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, explainScore(m, kQuery, 2));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, explainScore(m, kQuery, -1));
    }
};

QTEST_APPLESS_MAIN(TestScoreExplanation)
#include "test_retrieval_score_explanation.moc"
