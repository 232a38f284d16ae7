#pragma once
// The Recommend tab: describe a user (or pick a real one), see the current model's top-k
// movies update as the form changes, mark what a real user rated (train vs test split) with
// their recall, compare two queries side by side with rank changes, explain one movie's score
// feature by feature, and see the query vector. The query lives in the shared QueryController
// so the Scores and Embeddings tabs ask about the same user; the second query of a comparison
// is this tab's own.
//
// The RecommendController holds the state and computes; the three panels (query, lists,
// insight) show it, and this view puts them together and forwards their signals. With
// vectors from elsewhere the query column is an ExternalQueryPanel (user vectors, a query
// vector) and the parts that need the towers say why they are off.

#include "controllers/recommend_controller.hpp"

#include <QWidget>

class QStackedWidget;

namespace towerlab {

class ExternalQueryPanel;
class QueryController;
class RealUserPicker;
class RecommendInsightPanel;
class RecommendListsPanel;
class RecommendQueryPanel;
class RecommendationTableModel;
class SignedBarChart;
class UserQueryForm;

class RecommendView : public QWidget {
    Q_OBJECT

public:
    explicit RecommendView(QueryController* query, QWidget* parent = nullptr);
    ~RecommendView() override;

    // The TFRS tutorial's query: age 25 ("25–34"), student, male, timestamp 879024327.
    static UserQuery tutorialQuery() { return RecommendController::tutorialQuery(); }

    RecommendController* controller() const { return m_controller; }
    RecommendationTableModel* listA() const { return m_controller->listA(); }
    RecommendationTableModel* listB() const { return m_controller->listB(); }
    UserQueryForm* formA() const;
    UserQueryForm* formB() const;
    RealUserPicker* userPicker() const;
    ExternalQueryPanel* externalPanel() const { return m_externalPanel; }
    // The text in place of the score explanation (why it is off, or the hint to click).
    QString explanationHintText() const;
    SignedBarChart* explanationChart() const;
    SignedBarChart* vectorChart() const;
    // The second query of a comparison.
    const UserQuery& queryB() const { return m_controller->queryB(); }
    void setQueryB(const UserQuery& query) { m_controller->setQueryB(query); }
    // True while the real users' train/test split is matched to the model on the thread pool
    // (after a model or dataset change); ratedMoviesReady() follows.
    bool ratedMoviesPending() const { return m_controller->ratedMoviesPending(); }
    // Milliseconds the last update of the lists, vector and explanation took.
    double lastUpdateMs() const { return m_controller->lastUpdateMs(); }

signals:
    void ratedMoviesReady();
    // The external query panel's buttons: the window asks for the files and reads them.
    void openUserVectorsRequested();
    void openQueryVectorRequested();

private:
    void onModelChanged(const TrainedModelPtr& model);
    void onExternalChanged();
    void showExternalQuery();
    void onResultsChanged();
    void onSelectionChanged(int movie);
    void showApproximate();
    void selectRowsOfMovie(int movie);

    QueryController* m_query;
    RecommendController* m_controller;
    QStackedWidget* m_stack;
    QStackedWidget* m_leftStack; // the query form, or the external query panel
    RecommendQueryPanel* m_queryPanel;
    ExternalQueryPanel* m_externalPanel;
    RecommendListsPanel* m_lists;
    RecommendInsightPanel* m_insight;
    bool m_selecting = false; // row selections made here, not by the user
};

} // namespace towerlab
