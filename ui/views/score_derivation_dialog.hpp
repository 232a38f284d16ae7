#pragma once
// "Where this number comes from": a score worked out with the model's own numbers. The 32
// (or however many) products of the query and movie vectors as bars with their sum, and each
// tower's path from its inputs through the dense layers to its vector. Opened by
// double-clicking a score in the Recommend lists or the Scores table.

#include "controllers/training_types.hpp"

#include "model/trained_model.hpp"
#include "retrieval/score_derivation.hpp"

#include <QDialog>

class QLabel;
class QTableView;

namespace towerlab {

class SignedBarChart;
class TowerPathModel;

class ScoreDerivationDialog : public QDialog {
    Q_OBJECT

public:
    // querySummary says who the user is ("25-34, student, male, 1997-10-09"). Throws
    // std::out_of_range for a movie outside the model's catalogue.
    ScoreDerivationDialog(TrainedModelPtr model, const UserQuery& query, int movie,
                          const QString& querySummary, QWidget* parent = nullptr);

    // Opens one (deleted when closed) or says in a message box why it cannot.
    static ScoreDerivationDialog* open(TrainedModelPtr model, const UserQuery& query, int movie,
                                       const QString& querySummary, QWidget* parent);

    const ScoreDerivation& derivation() const { return m_derivation; }
    SignedBarChart* productsChart() const { return m_products; }
    QLabel* sumText() const { return m_sum; }
    TowerPathModel* queryPath() const { return m_queryPath; }
    TowerPathModel* moviePath() const { return m_moviePath; }

private:
    TrainedModelPtr m_model;
    ScoreDerivation m_derivation;
    SignedBarChart* m_products;
    QLabel* m_sum;
    TowerPathModel* m_queryPath;
    TowerPathModel* m_moviePath;
};

} // namespace towerlab
