// The score explanation on a model small enough to check by hand: one-wide embeddings, one
// dense layer per tower with chosen weights, so every score is a line of arithmetic.

#include "hand_model.hpp"
#include "model/tower_layout.hpp"
#include "retrieval/retrieval.hpp"
#include "retrieval/score_explanation.hpp"

#include <QtTest>

using namespace towerlab;

namespace {

using test::handModel;
using test::tinyDataset;

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
