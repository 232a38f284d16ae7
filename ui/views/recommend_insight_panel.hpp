#pragma once
// The Recommend tab's right column: why the selected movie scores as it does (one bar per
// user feature) and the query vector as bars and as text to copy. It only shows what the
// RecommendController computed.

#include "controllers/recommend_controller.hpp"

#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;

namespace towerlab {

class SignedBarChart;

class RecommendInsightPanel : public QWidget {
    Q_OBJECT

public:
    explicit RecommendInsightPanel(QWidget* parent = nullptr);

    // The explanation, or the hint to click a movie when there is none.
    void showExplanation(const std::optional<RecommendController::Explanation>& explanation,
                         const TrainedModel* model);
    void showVector(const RowVector& vector);
    // Says in the explanation's place why there is none (the towers are missing); empty
    // brings back the hint to click a movie.
    void setExplanationOff(const QString& why);

    SignedBarChart* explanationChart() const { return m_explainChart; }
    SignedBarChart* vectorChart() const { return m_vectorChart; }

private:
    SignedBarChart* m_explainChart;
    QLabel* m_explainHint;
    SignedBarChart* m_vectorChart;
    QPlainTextEdit* m_vectorText;
};

} // namespace towerlab
