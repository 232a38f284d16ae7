// A model saved and loaded answers every query exactly as the model that was saved.

#include "data/demo_dataset.hpp"
#include "io/model_file.hpp"
#include "retrieval/retrieval.hpp"
#include "train/model_evaluation.hpp"
#include "train/trainer.hpp"

#include <QTemporaryDir>
#include <QtTest>

using namespace towerlab;

class TestSavedModelQueries : public QObject {
    Q_OBJECT

private slots:
    void loadedModelGivesIdenticalAnswers() {
        const Dataset demo = makeDemoDataset();
        ModelConfig config;
        config.layers = {64, 32};
        config.features.set(FeatureId::Genres, true);
        TrainConfig training;
        training.epochs = 2;
        training.batchSize = 512;
        Trainer trainer(demo, config, training);
        ProgressSink sink;
        std::atomic<bool> cancel{false};
        const auto original = trainer.fit(sink, cancel).model;

        QTemporaryDir dir;
        const std::filesystem::path path = dir.filePath("m.tlm").toStdString();
        saveModel(*original, path);
        const std::unique_ptr<TrainedModel> loaded = loadModel(path);

        QVERIFY(loaded->candidateEmbeddings == original->candidateEmbeddings);
        for (const UserQuery& q : {UserQuery{}, UserQuery{56, 13, 0, demo.ratings[5].timestamp, -1, {}},
                                   UserQuery{1, 3, 1, 0, -1, {}}}) {
            const auto a = recommend(*original, q, 50);
            const auto b = recommend(*loaded, q, 50);
            QCOMPARE(a.size(), b.size());
            for (std::size_t i = 0; i < a.size(); ++i) {
                QCOMPARE(a[i].movie, b[i].movie);
                QCOMPARE(a[i].score, b[i].score);
                QCOMPARE(a[i].rank, b[i].rank);
            }
            const std::vector<std::int32_t> three{2, 40, 77};
            const auto sa = scoreMovies(*original, q, three);
            const auto sb = scoreMovies(*loaded, q, three);
            for (std::size_t i = 0; i < 3; ++i) {
                QCOMPARE(sa[i].score, sb[i].score);
            }
        }
        QCOMPARE(evaluateModel(*loaded, demo).model.topK,
                 evaluateModel(*original, demo).model.topK);
        QCOMPARE(loaded->history.epochs.size(), original->history.epochs.size());
        QCOMPARE(loaded->history.batchLosses, original->history.batchLosses);
        QCOMPARE(loaded->datasetFingerprint, demo.fingerprint());
    }
};

QTEST_APPLESS_MAIN(TestSavedModelQueries)
#include "test_saved_model_queries.moc"
