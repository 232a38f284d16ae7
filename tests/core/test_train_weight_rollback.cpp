// WeightRollback undoes one optimizer step exactly: with only the rows that had gradients kept
// (Adagrad, SGD) and with whole tables kept (Adam, which moves every row); nothing kept means
// nothing restored; and keeping only touched rows cannot undo a change to another row (what
// the whole-table mode is for).

#include "data/demo_dataset.hpp"
#include "features/feature_space.hpp"
#include "model/towers.hpp"
#include "nn/optimizer.hpp"
#include "train/weight_rollback.hpp"

#include <QtTest>

#include <memory>

using namespace towerlab;

namespace {

struct Setup {
    ModelConfig config;
    FeatureSpace features;
    TwoTowerWeights weights;
    EmbeddingGradients grads;
};

Setup setup() {
    static const Dataset d = makeDemoDataset();
    Setup s;
    s.config.features.set(FeatureId::UserId); // a large table next to the tutorial's
    s.features = FeatureSpace::fit(d);
    s.weights = TwoTowerWeights::initialized(s.config, s.features, 3);
    s.grads = EmbeddingGradients::forWeights(s.weights);
    // A few rows of every table, some twice, as a batch gives them.
    for (const FeatureDescriptor& f : kFeatureTable) {
        const RowMatrix& table = s.weights.embedding(f.id);
        if (table.size() == 0) {
            continue;
        }
        for (const std::int32_t r : {1, 5, 2, 5}) {
            if (r < table.rows()) {
                float* g = s.grads.of(f.id).row(r);
                for (Eigen::Index c = 0; c < table.cols(); ++c) {
                    g[c] += 0.25f * static_cast<float>(r + c + 1);
                }
            }
        }
    }
    return s;
}

// Optimizer steps on every tensor: the dense layers with a constant gradient, the tables with
// the sparse gradients. Slots are added once, so moments carry over between steps.
class Stepper {
public:
    Stepper(Optimizer& optimizer, Setup& s) : m_optimizer(optimizer), m_s(s) {
        for (const FeatureDescriptor& f : kFeatureTable) {
            const RowMatrix& table = s.weights.embedding(f.id);
            m_tableSlots.push_back(table.size() > 0 ? optimizer.addSlot(table.rows(), table.cols())
                                                    : -1);
        }
        for (auto* layers : {&s.weights.queryLayers, &s.weights.candidateLayers}) {
            for (const DenseWeights& l : *layers) {
                m_denseSlots.push_back(optimizer.addSlot(1, l.kernel.size()));
                m_denseSlots.push_back(optimizer.addSlot(1, l.bias.size()));
            }
        }
    }

    void step() {
        m_optimizer.beginStep();
        std::size_t slot = 0;
        for (auto* layers : {&m_s.weights.queryLayers, &m_s.weights.candidateLayers}) {
            for (DenseWeights& l : *layers) {
                const std::vector<float> gk(static_cast<std::size_t>(l.kernel.size()), 0.5f);
                m_optimizer.applyDense(l.kernel.data(), gk.data(), l.kernel.size(),
                                       m_denseSlots[slot++]);
                const std::vector<float> gb(static_cast<std::size_t>(l.bias.size()), 0.5f);
                m_optimizer.applyDense(l.bias.data(), gb.data(), l.bias.size(),
                                       m_denseSlots[slot++]);
            }
        }
        for (const FeatureDescriptor& f : kFeatureTable) {
            const int tableSlot = m_tableSlots[static_cast<std::size_t>(f.id)];
            if (tableSlot >= 0) {
                m_optimizer.applySparse(m_s.weights.embedding(f.id), m_s.grads.of(f.id), tableSlot);
            }
        }
    }

private:
    Optimizer& m_optimizer;
    Setup& m_s;
    std::vector<int> m_tableSlots;
    std::vector<int> m_denseSlots;
};

bool same(const TwoTowerWeights& a, const TwoTowerWeights& b) {
    const auto ta = a.tensors();
    const auto tb = b.tensors();
    for (std::size_t i = 0; i < ta.size(); ++i) {
        if (ta[i].matrix != nullptr ? *ta[i].matrix != *tb[i].matrix
                                    : *ta[i].vector != *tb[i].vector) {
            return false;
        }
    }
    return ta.size() == tb.size();
}

} // namespace

class TestTrainWeightRollback : public QObject {
    Q_OBJECT
private slots:
    void undoesOneStepExactly_data() {
        QTest::addColumn<QString>("optimizer");
        QTest::addColumn<bool>("wholeTables");
        QTest::newRow("adagrad, touched rows") << "adagrad" << false;
        QTest::newRow("sgd, touched rows") << "sgd" << false;
        QTest::newRow("adam, whole tables") << "adam" << true;
        QTest::newRow("adagrad, whole tables") << "adagrad" << true;
    }

    void undoesOneStepExactly() {
        QFETCH(QString, optimizer);
        QFETCH(bool, wholeTables);
        Setup s = setup();
        std::unique_ptr<Optimizer> opt;
        if (optimizer == "adam") {
            opt = std::make_unique<Adam>(0.01f);
        } else if (optimizer == "sgd") {
            opt = std::make_unique<Sgd>(0.1f);
        } else {
            opt = std::make_unique<Adagrad>(0.1f);
        }
        Stepper stepper(*opt, s);
        WeightRollback rollback(wholeTables);
        // A first save point that the second replaces.
        rollback.begin();
        rollback.keep(Tower::Query, s.weights, s.grads);
        stepper.step();
        const TwoTowerWeights before = s.weights;
        rollback.begin();
        rollback.keep(Tower::Query, s.weights, s.grads);
        rollback.keep(Tower::Candidate, s.weights, s.grads);
        stepper.step();
        QVERIFY(!same(s.weights, before)); // the step moved something
        rollback.restore(s.weights);
        QVERIFY(same(s.weights, before));
    }

    void nothingKeptRestoresNothing() {
        Setup s = setup();
        WeightRollback rollback(false);
        Sgd sgd(0.1f);
        Stepper(sgd, s).step();
        const TwoTowerWeights after = s.weights;
        rollback.restore(s.weights); // never kept
        QVERIFY(same(s.weights, after));
        rollback.begin();
        rollback.restore(s.weights); // a save point with nothing kept
        QVERIFY(same(s.weights, after));
    }

    // Adam moves rows without a gradient: only whole tables undo it.
    void touchedRowsCannotUndoAnUpdateOfEveryRow() {
        Setup s = setup();
        Adam adam(0.01f);
        Stepper stepper(adam, s);
        stepper.step(); // moments now non-zero in the touched rows
        s.grads.clear();
        s.grads.of(FeatureId::UserId).row(1)[0] = 1.0f;
        const TwoTowerWeights before = s.weights;
        WeightRollback rows(false);
        rows.begin();
        rows.keep(Tower::Query, s.weights, s.grads);
        rows.keep(Tower::Candidate, s.weights, s.grads);
        stepper.step();
        rows.restore(s.weights);
        QVERIFY(!same(s.weights, before));
    }
};

QTEST_APPLESS_MAIN(TestTrainWeightRollback)
#include "test_train_weight_rollback.moc"
