#pragma once
// The Recommend tab: describe a user (or pick a real one), see the current model's top-k
// movies update as the form changes, mark what a real user rated (train vs test split) with
// their recall, compare two queries side by side with rank changes, explain one movie's score
// feature by feature, and see the query vector. The query lives in the shared QueryController
// so the Scores and Embeddings tabs ask about the same user; the second query of a comparison
// is this view's own.

#include "controllers/training_types.hpp"
#include "features/feature_space.hpp"

#include <QWidget>

#include <QHash>

#include <cstdint>
#include <memory>

class QCheckBox;
class QGroupBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableView;

namespace towerlab {

class QueryController;
class RatedMovies;
class RealUserPicker;
class RecommendationTableModel;
class SignedBarChart;
class UserQueryForm;
struct Dataset;

class RecommendView : public QWidget {
    Q_OBJECT

public:
    explicit RecommendView(QueryController* query, QWidget* parent = nullptr);
    ~RecommendView() override;

    // The TFRS tutorial's query: age 25 ("25–34"), student, male, timestamp 879024327.
    static UserQuery tutorialQuery();

    RecommendationTableModel* listA() const { return m_modelA; }
    RecommendationTableModel* listB() const { return m_modelB; }
    UserQueryForm* formA() const { return m_formA; }
    UserQueryForm* formB() const { return m_formB; }
    RealUserPicker* userPicker() const { return m_picker; }
    SignedBarChart* explanationChart() const { return m_explainChart; }
    SignedBarChart* vectorChart() const { return m_vectorChart; }
    // The second query of a comparison.
    const UserQuery& queryB() const { return m_queryB; }
    void setQueryB(const UserQuery& query);
    // True while the real users' train/test split is matched to the model on the thread pool
    // (after a model or dataset change); ratedMoviesReady() follows.
    bool ratedMoviesPending() const { return m_ratedPending; }
    // Milliseconds the last update of the lists, vector and explanation took.
    double lastUpdateMs() const { return m_lastUpdateMs; }

signals:
    void ratedMoviesReady();

private:
    enum class Side { A, B };

    void onModelChanged(const TrainedModelPtr& model);
    void onDatasetChanged();
    void onQueryChanged();
    void onUserPicked(int userIndex, std::int64_t timestamp);
    void rebuildRatedMovies();
    void refresh();
    void updateVector(const UserQuery& query);
    void updateExplanation();
    void updateStatus(std::size_t listedA, std::size_t listedB);
    void selectRowsOfMovie(int movie);
    void setCompare(bool on);
    int realUserIndex() const;
    QWidget* buildForm();
    QWidget* buildLists();
    QWidget* buildInsight();

    QueryController* m_query;
    TrainedModelPtr m_model;
    std::shared_ptr<const Dataset> m_dataset;
    std::shared_ptr<const RatedMovies> m_rated;
    QString m_ratedError;
    int m_ratedGeneration = 0;
    bool m_ratedPending = false;
    QHash<qint64, int> m_userIndexOfId;
    UserQuery m_queryB;
    Side m_explainSide = Side::A;
    double m_lastUpdateMs = 0.0;
    bool m_selecting = false;

    QStackedWidget* m_stack;
    QLabel* m_emptyState;
    UserQueryForm* m_formA;
    UserQueryForm* m_formB;
    QGroupBox* m_groupB;
    RealUserPicker* m_picker;
    QPushButton* m_tutorial;
    QSpinBox* m_k;
    QCheckBox* m_excludeRated;
    QCheckBox* m_compare;
    QLabel* m_modelLine;
    QLabel* m_status;
    QLabel* m_titleA;
    QLabel* m_titleB;
    QWidget* m_panelB;
    QTableView* m_tableA;
    QTableView* m_tableB;
    RecommendationTableModel* m_modelA;
    RecommendationTableModel* m_modelB;
    SignedBarChart* m_explainChart;
    QLabel* m_explainHint;
    QLabel* m_explainNote;
    SignedBarChart* m_vectorChart;
    QPlainTextEdit* m_vectorText;
    QPushButton* m_copyVector;
    QLabel* m_timing;
};

} // namespace towerlab
