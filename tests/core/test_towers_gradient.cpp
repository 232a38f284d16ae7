// (Named outside the test_<module>_ pattern: it needs both the model and the train module.)
// Finite-difference check of the whole model: every embedding table (through gathers, mean
// pooling with repeated tokens, duplicate rows in a batch) and every dense layer of both towers,
// with the in-batch softmax loss on top; and the same with L2-normalised towers and the
// Retrieval task's options.

#include "features/feature_space.hpp"
#include "model/towers.hpp"
#include "nn/dense_stack.hpp"
#include "nn/l2_normalize.hpp"
#include "train/in_batch_softmax_loss.hpp"
#include "train/retrieval_task_loss.hpp"

#include <QtTest>

#include <cmath>

using namespace towerlab;

namespace {

Dataset tinyDataset() {
    Dataset d;
    d.name = "tiny";
    d.genreNames = {"Action", "Comedy", "Drama"};
    auto user = [](std::int64_t id, int age, int occupation, int gender) {
        User u;
        u.id = id;
        u.rawAge = age;
        u.ageBucket = age < 18 ? 1 : (age < 25 ? 18 : (age < 35 ? 25 : 35));
        u.occupationLabel = occupation;
        u.gender = gender;
        return u;
    };
    d.users = {user(10, 23, 17, 1), user(11, 40, 2, 0), user(12, 15, 17, 1), user(13, 30, 5, 0)};
    const char* zips[] = {"02139", "94110", "T8H1N", "90210"}; // regions 0, 9, unknown, 9
    for (std::size_t u = 0; u < d.users.size(); ++u) {
        d.users[u].zipCode = zips[u];
    }
    auto movie = [](std::int64_t id, const char* title, std::vector<int> genres) {
        Movie m;
        m.id = id;
        m.title = title;
        m.genres = std::move(genres);
        return m;
    };
    d.movies = {movie(1, "Love Love Story (1990)", {1, 2}), movie(2, "Night Story (1991)", {0}),
                movie(3, "Night Night Love (1992)", {0, 1, 2}), movie(4, "!!!", {}),
                movie(5, "Love Story (1993)", {2})};
    const int years[] = {1990, 1991, 1992, 0, 1996}; // buckets 1990, 1990, 1990, unknown, 1995
    for (std::size_t m = 0; m < d.movies.size(); ++m) {
        d.movies[m].year = years[m];
    }
    const int pairs[][2] = {{0, 0}, {1, 1}, {2, 2}, {3, 3}, {0, 2}, {1, 4}, {2, 0}, {3, 1}, {0, 4}};
    std::uint32_t t = 880000000;
    for (const auto& p : pairs) {
        d.ratings.push_back({p[0], p[1], 4.0f, t});
        t += 100000;
    }
    return d;
}

struct Fixture {
    Dataset dataset = tinyDataset();
    FeatureSpace features = FeatureSpace::fit(dataset);
    ModelConfig config;
    TowerLayout layout;
    TwoTowerWeights weights;
    EncodedCatalogue catalogue;
    std::vector<EncodedQuery> queries;
    std::vector<std::int32_t> movies;

    Fixture() {
        config.features = FeatureSet::all(); // every feature of the table
        config.embeddingDim = 3;
        config.layers = {5, 4};
        layout = TowerLayout::of(config);
        // Seed 99 put one hidden ReLU input of the zip-region query within h of zero (the
        // finite difference then straddles the kink; with h = 2e-4 it agreed); 100 does not.
        weights = TwoTowerWeights::initialized(config, features, 100);
        // Larger embeddings than Keras' ±0.05 so that gradients are well above float noise.
        for (auto& t : weights.tensors()) {
            if (t.matrix != nullptr && t.name.find("embedding") != std::string::npos) {
                *t.matrix *= 10.0f;
            }
        }
        catalogue = features.encodeCatalogue(dataset);
        // A batch with a repeated movie (index 4 twice) and a repeated user.
        const int rows[] = {0, 1, 2, 3, 5, 8, 4};
        for (const int r : rows) {
            const Rating& rating = dataset.ratings[static_cast<std::size_t>(r)];
            queries.push_back(features.encodeRating(dataset, rating));
            movies.push_back(rating.movie);
        }
    }

    RetrievalOptions options; // all off: the tutorial's loss
    std::vector<float> logP{-1.f, -2.f, -1.5f, -3.f, -0.5f, -2.5f, -0.5f}; // per batch row

    // The loss on the towers' outputs, as the trainer computes it: normalised first when the
    // config says so, then the plain or the options path; the gradients (when asked) are
    // w.r.t. the towers' raw outputs.
    double taskLoss(const RowMatrix& queryOut, const RowMatrix& candidateOut, RowMatrix* dQ,
                    RowMatrix* dC) const {
        L2NormalizeWorkspace qn, cn;
        const RowMatrix* q = &queryOut;
        const RowMatrix* c = &candidateOut;
        if (config.l2Normalize) {
            l2NormalizeRows(queryOut, qn);
            l2NormalizeRows(candidateOut, cn);
            q = &qn.output;
            c = &cn.output;
        }
        double value = 0.0;
        if (options.any()) {
            RetrievalTaskLoss loss(options, 1);
            value = dQ != nullptr ? loss.forwardBackward(*q, *c, movies, logP, *dQ, *dC)
                                  : loss.forward(*q, *c, movies, logP);
        } else {
            InBatchSoftmaxLoss loss(1);
            value = dQ != nullptr ? loss.forwardBackward(*q, *c, *dQ, *dC) : loss.forward(*q, *c);
        }
        if (dQ != nullptr && config.l2Normalize) {
            l2NormalizeRowsBackward(qn, *dQ);
            l2NormalizeRowsBackward(cn, *dC);
        }
        return value;
    }

    double loss() {
        DenseStackWorkspace q, c;
        q.activations.resize(1);
        c.activations.resize(1);
        gatherQueryInputs(layout, weights, queries, q.activations[0]);
        gatherCandidateInputs(layout, weights, catalogue, movies, c.activations[0]);
        denseStackForward(weights.queryLayers, q);
        denseStackForward(weights.candidateLayers, c);
        return taskLoss(q.activations.back(), c.activations.back(), nullptr, nullptr);
    }
};

} // namespace

class TestTowers : public QObject {
    Q_OBJECT

private slots:
    void layoutPlacesEveryFeature() {
        ModelConfig config;
        TowerLayout l = TowerLayout::of(config);
        QCOMPARE(l.queryWidth, 4 * 32 + 1); // the reference model's 129 inputs
        QCOMPARE(l.candidateWidth, 64);
        config.features.set(FeatureId::TimestampNorm, false);
        config.features.set(FeatureId::UserId, true);
        config.features.set(FeatureId::Genres, true);
        l = TowerLayout::of(config);
        QCOMPARE(l.queryWidth, 5 * 32);
        QCOMPARE(l.candidateWidth, 96);
        QCOMPARE(l.offset(FeatureId::TimestampNorm), -1);
    }

    void meanPoolingSkipsEmptyTitles() {
        Fixture f;
        RowMatrix input;
        const std::vector<std::int32_t> movie{3}; // "!!!" has no tokens
        gatherCandidateInputs(f.layout, f.weights, f.catalogue, movie, input);
        QCOMPARE(input.row(0).segment(f.layout.offset(FeatureId::TitleText), 3).cwiseAbs().sum(),
                 0.0f);
        QVERIFY(input.row(0).segment(f.layout.offset(FeatureId::TitleId), 3).cwiseAbs().sum() >
                0.0f);
    }

    void wholeModelGradientMatchesFiniteDifferences_data() {
        QTest::addColumn<bool>("cosine");
        QTest::addColumn<double>("temperature");
        QTest::addColumn<bool>("options"); // logQ, accidental hits (movie 4 twice), 4 hard
        QTest::newRow("tutorial") << false << 1.0 << false;
        QTest::newRow("cosine") << true << 1.0 << false;
        QTest::newRow("cosine, temperature 0.2") << true << 0.2 << false;
        QTest::newRow("dot, every loss option") << false << 0.5 << true;
        QTest::newRow("cosine, every loss option") << true << 0.2 << true;
    }

    void wholeModelGradientMatchesFiniteDifferences() {
        QFETCH(bool, cosine);
        QFETCH(double, temperature);
        QFETCH(bool, options);
        Fixture f;
        f.config.l2Normalize = cosine;
        f.options.temperature = temperature;
        if (options) {
            f.options.logQ = LogQCorrection::Frequency;
            f.options.removeAccidentalHits = true;
            f.options.hardNegatives = 4;
        }
        DenseStackWorkspace q, c;
        q.activations.resize(1);
        c.activations.resize(1);
        gatherQueryInputs(f.layout, f.weights, f.queries, q.activations[0]);
        gatherCandidateInputs(f.layout, f.weights, f.catalogue, f.movies, c.activations[0]);
        denseStackForward(f.weights.queryLayers, q);
        denseStackForward(f.weights.candidateLayers, c);
        RowMatrix dQ, dC, dQin, dCin;
        f.taskLoss(q.activations.back(), c.activations.back(), &dQ, &dC);
        std::vector<DenseWeights> qGrads, cGrads;
        denseStackBackward(f.weights.queryLayers, q, dQ, qGrads, &dQin);
        denseStackBackward(f.weights.candidateLayers, c, dC, cGrads, &dCin);
        EmbeddingGradients grads = EmbeddingGradients::forWeights(f.weights);
        scatterQueryGradients(f.layout, f.queries, dQin, grads);
        scatterCandidateGradients(f.layout, f.catalogue, f.movies, dCin, grads);

        auto check = [&f](float& p, float analytic, const std::string& what) {
            const float saved = p;
            // Small enough that no hidden ReLU input crosses zero (2e-3 crossed one with a
            // temperature of 0.2, whose logits move 5 times as far); the loss is summed in double.
            const float h = 5e-4f;
            p = saved + h;
            const double up = f.loss();
            p = saved - h;
            const double down = f.loss();
            p = saved;
            const double numeric = (up - down) / (2.0 * h);
            QVERIFY2(std::abs(numeric - analytic) < 2e-3 + 2e-2 * std::abs(numeric),
                     qPrintable(QString::fromStdString(what) +
                                QString(": numeric %1 analytic %2").arg(numeric).arg(analytic)));
        };
        const std::pair<RowMatrix*, SparseRowGradient*> tables[] = {
            {&f.weights.embedding(FeatureId::Age), &grads.of(FeatureId::Age)},
            {&f.weights.embedding(FeatureId::Occupation), &grads.of(FeatureId::Occupation)},
            {&f.weights.embedding(FeatureId::Gender), &grads.of(FeatureId::Gender)},
            {&f.weights.embedding(FeatureId::UserId), &grads.of(FeatureId::UserId)},
            {&f.weights.embedding(FeatureId::TimestampBucket),
             &grads.of(FeatureId::TimestampBucket)},
            {&f.weights.embedding(FeatureId::TitleId), &grads.of(FeatureId::TitleId)},
            {&f.weights.embedding(FeatureId::TitleText), &grads.of(FeatureId::TitleText)},
            {&f.weights.embedding(FeatureId::Genres), &grads.of(FeatureId::Genres)},
            {&f.weights.embedding(FeatureId::ZipRegion), &grads.of(FeatureId::ZipRegion)},
            {&f.weights.embedding(FeatureId::ReleaseYear), &grads.of(FeatureId::ReleaseYear)}};
        int checkedRows = 0;
        for (const auto& [table, grad] : tables) {
            QVERIFY(table->size() > 0);
            std::vector<Eigen::Index> slotOf(static_cast<std::size_t>(table->rows()), -1);
            for (std::size_t s = 0; s < grad->touched().size(); ++s) {
                slotOf[static_cast<std::size_t>(grad->touched()[s])] = static_cast<Eigen::Index>(s);
            }
            for (Eigen::Index r = 0; r < table->rows(); ++r) {
                for (Eigen::Index k = 0; k < table->cols(); ++k) {
                    const float analytic =
                        slotOf[static_cast<std::size_t>(r)] >= 0
                            ? grad->values()(slotOf[static_cast<std::size_t>(r)], k)
                            : 0.0f; // untouched rows have no gradient
                    check((*table)(r, k), analytic,
                          "table row " + std::to_string(r) + " col " + std::to_string(k));
                }
                checkedRows += slotOf[static_cast<std::size_t>(r)] >= 0;
            }
        }
        QVERIFY(checkedRows > 20);
        for (auto [layers, lgrads] : {std::pair{&f.weights.queryLayers, &qGrads},
                                      std::pair{&f.weights.candidateLayers, &cGrads}}) {
            for (std::size_t l = 0; l < layers->size(); ++l) {
                for (Eigen::Index i = 0; i < (*layers)[l].kernel.size(); ++i) {
                    check((*layers)[l].kernel.data()[i], (*lgrads)[l].kernel.data()[i], "kernel");
                }
                for (Eigen::Index i = 0; i < (*layers)[l].bias.size(); ++i) {
                    check((*layers)[l].bias.data()[i], (*lgrads)[l].bias.data()[i], "bias");
                }
            }
        }
    }

    void initializationIsPerTensorAndSeeded() {
        Fixture f;
        ModelConfig other = f.config;
        other.features.set(FeatureId::UserId, false);
        const TwoTowerWeights a = TwoTowerWeights::initialized(f.config, f.features, 5);
        const TwoTowerWeights b = TwoTowerWeights::initialized(other, f.features, 5);
        const TwoTowerWeights c = TwoTowerWeights::initialized(f.config, f.features, 6);
        // Turning the user id off does not change the other tables' initial values.
        QVERIFY(a.embedding(FeatureId::Age) == b.embedding(FeatureId::Age));
        QVERIFY(a.embedding(FeatureId::TitleText) == b.embedding(FeatureId::TitleText));
        QCOMPARE(b.embedding(FeatureId::UserId).size(), Eigen::Index(0));
        QVERIFY(a.embedding(FeatureId::Age) != c.embedding(FeatureId::Age));
        QCOMPARE(a.parameterCount(),
                 TwoTowerWeights::shaped(f.config, f.features).parameterCount());
    }
};

QTEST_GUILESS_MAIN(TestTowers)
#include "test_towers_gradient.moc"
