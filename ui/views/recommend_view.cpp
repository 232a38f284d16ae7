#include "views/recommend_view.hpp"

#include "controllers/approximate_index.hpp"
#include "controllers/query_controller.hpp"
#include "model/feature_availability.hpp"
#include "model/trained_model.hpp"
#include "models/recommendation_table_model.hpp"
#include "retrieval/external_embeddings.hpp"
#include "views/external_query_panel.hpp"
#include "views/query_text.hpp"
#include "views/real_user_picker.hpp"
#include "views/recommend_insight_panel.hpp"
#include "views/recommend_lists_panel.hpp"
#include "views/recommend_query_panel.hpp"
#include "views/score_derivation_dialog.hpp"
#include "views/user_query_form.hpp"

#include <QFileInfo>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace towerlab {

RecommendView::RecommendView(QueryController* query, QWidget* parent)
    : QWidget(parent), m_query(query), m_controller(new RecommendController(query, this)) {
    auto* emptyState = new QLabel;
    emptyState->setObjectName(QStringLiteral("recommendEmptyState"));
    emptyState->setAlignment(Qt::AlignCenter);
    emptyState->setWordWrap(true);
    emptyState->setTextFormat(Qt::RichText);
    emptyState->setText(
        tr("<h2>No model yet</h2>"
           "<p>The Recommend tab asks a trained model which movies a user would like.</p>"
           "<p>Train one on the <b>Train</b> tab (a few seconds on the demo data) or open a "
           "saved model with <b>File → Open model…</b>; its recommendations appear here.</p>"));
    emptyState->setMargin(40);

    m_queryPanel = new RecommendQueryPanel;
    m_externalPanel = new ExternalQueryPanel;
    m_leftStack = new QStackedWidget;
    m_leftStack->setObjectName(QStringLiteral("recommendQueryStack"));
    m_leftStack->addWidget(m_queryPanel);
    m_leftStack->addWidget(m_externalPanel);
    m_lists = new RecommendListsPanel(m_controller->listA(), m_controller->listB());
    m_insight = new RecommendInsightPanel;
    auto* content = new QSplitter(Qt::Horizontal);
    content->setObjectName(QStringLiteral("recommendSplitter"));
    content->setChildrenCollapsible(false);
    content->addWidget(m_leftStack);
    content->addWidget(m_lists);
    content->addWidget(m_insight);
    content->setStretchFactor(0, 0);
    content->setStretchFactor(1, 1);
    content->setStretchFactor(2, 0);
    content->setSizes({340, 580, 360});

    m_stack = new QStackedWidget;
    m_stack->addWidget(emptyState);
    m_stack->addWidget(content);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_stack);

    RecommendController* c = m_controller;
    RecommendQueryPanel* q = m_queryPanel;
    connect(q, &RecommendQueryPanel::tutorialClicked, c, &RecommendController::useTutorialQuery);
    connect(q, &RecommendQueryPanel::kChosen, c, &RecommendController::setK);
    connect(q, &RecommendQueryPanel::excludeRatedToggled, c, &RecommendController::setExcludeRated);
    connect(q, &RecommendQueryPanel::compareToggled, c, &RecommendController::setCompare);
    connect(q, &RecommendQueryPanel::copyAToBClicked, c, &RecommendController::copyAToB);
    connect(q, &RecommendQueryPanel::otherGenderClicked, c, &RecommendController::otherGenderToB);
    connect(formA(), &UserQueryForm::queryEdited, c, &RecommendController::editQueryA);
    connect(formB(), &UserQueryForm::queryEdited, c, &RecommendController::setQueryB);
    connect(userPicker(), &RealUserPicker::userPicked, c, &RecommendController::pickUser);
    connect(userPicker(), &RealUserPicker::cleared, c, &RecommendController::clearRealUser);

    connect(c, &RecommendController::modelChanged, this, &RecommendView::onModelChanged);
    connect(c, &RecommendController::externalChanged, this, &RecommendView::onExternalChanged);
    connect(m_query, &QueryController::externalQueryChanged, this,
            &RecommendView::showExternalQuery);
    ExternalQueryPanel* e = m_externalPanel;
    connect(e, &ExternalQueryPanel::openUsersClicked, this,
            &RecommendView::openUserVectorsRequested);
    connect(e, &ExternalQueryPanel::openQueryClicked, this,
            &RecommendView::openQueryVectorRequested);
    connect(e, &ExternalQueryPanel::userPicked, c, &RecommendController::pickExternalUser);
    connect(e, &ExternalQueryPanel::kChosen, c, &RecommendController::setK);
    connect(c, &RecommendController::datasetChanged, this,
            [this](const std::shared_ptr<const Dataset>& dataset) {
                userPicker()->setDataset(dataset, m_query->ratingsByUser(), m_query->userLookup());
                // One check of the dataset's features for both forms.
                const auto features =
                    dataset ? std::make_shared<const FeatureAvailability>(*dataset) : nullptr;
                formA()->setDataset(dataset, features);
                formB()->setDataset(dataset, features);
            });
    connect(c, &RecommendController::ratedMoviesChanged, userPicker(),
            &RealUserPicker::setRatedMovies);
    connect(c, &RecommendController::ratedMoviesReady, this, &RecommendView::ratedMoviesReady);
    connect(c, &RecommendController::settingsChanged, this, [this] {
        m_queryPanel->showSettings(*m_controller);
        m_externalPanel->showK(m_controller->k(), m_controller->maxK());
        m_lists->setCompare(m_controller->compare());
    });
    connect(c, &RecommendController::resultsChanged, this, &RecommendView::onResultsChanged);
    connect(m_lists, &RecommendListsPanel::approximateToggled, c,
            &RecommendController::setApproximate);
    connect(m_lists, &RecommendListsPanel::efChosen, c, &RecommendController::setEf);
    connect(m_lists, &RecommendListsPanel::cancelBuildClicked, c,
            &RecommendController::cancelIndexBuild);
    connect(c, &RecommendController::approximateChanged, this, &RecommendView::showApproximate);
    connect(c, &RecommendController::selectionChanged, this, &RecommendView::onSelectionChanged);
    connect(m_query, &QueryController::queryChanged, this, [this] {
        formA()->setQuery(m_query->query());
        userPicker()->showUser(m_query->realUser());
    });

    for (QTableView* table : {m_lists->tableA(), m_lists->tableB()}) {
        const auto side = table == m_lists->tableB() ? RecommendController::Side::B
                                                     : RecommendController::Side::A;
        connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                [this, side](const QModelIndex& current) {
                    if (!m_selecting && current.isValid()) {
                        m_controller->chooseMovie(
                            current.data(RecommendationTableModel::MovieRole).toInt(), side);
                    }
                });
        // Double-click: the score worked out, for that list's user.
        connect(table, &QTableView::doubleClicked, this, [this, side](const QModelIndex& index) {
            if (m_controller->isExternal()) {
                return; // no towers to derive the score through
            }
            const UserQuery query =
                side == RecommendController::Side::B ? m_controller->queryB() : m_query->query();
            ScoreDerivationDialog::open(m_controller->model(), query,
                                        index.data(RecommendationTableModel::MovieRole).toInt(),
                                        queryLine(query), this);
        });
    }

    // What happened before this view existed.
    userPicker()->setDataset(m_query->dataset(), m_query->ratingsByUser(), m_query->userLookup());
    formA()->setDataset(m_query->dataset());
    formB()->setDataset(m_query->dataset());
    userPicker()->setRatedMovies(m_controller->ratedMovies());
    onModelChanged(m_controller->model());
    onExternalChanged();
    m_queryPanel->showSettings(*m_controller);
    formA()->setQuery(m_query->query());
    userPicker()->showUser(m_query->realUser());
    onResultsChanged();
}

RecommendView::~RecommendView() = default;

UserQueryForm* RecommendView::formA() const {
    return m_queryPanel->formA();
}

UserQueryForm* RecommendView::formB() const {
    return m_queryPanel->formB();
}

RealUserPicker* RecommendView::userPicker() const {
    return m_queryPanel->picker();
}

SignedBarChart* RecommendView::explanationChart() const {
    return m_insight->explanationChart();
}

SignedBarChart* RecommendView::vectorChart() const {
    return m_insight->vectorChart();
}

QString RecommendView::explanationHintText() const {
    return m_insight->findChild<QLabel*>(QStringLiteral("explanationHint"))->text();
}

void RecommendView::onModelChanged(const TrainedModelPtr& model) {
    formA()->setModel(model);
    formB()->setModel(model);
    m_stack->setCurrentIndex(model || m_controller->isExternal() ? 1 : 0);
    m_lists->setModelLine(m_controller->modelLine());
}

void RecommendView::onExternalChanged() {
    const bool external = m_controller->isExternal();
    m_leftStack->setCurrentIndex(external ? 1 : 0);
    m_stack->setCurrentIndex(external || m_controller->model() ? 1 : 0);
    m_externalPanel->setNote(m_controller->externalNote());
    m_lists->setFromElsewhere(external);
    m_lists->setApproximateAvailable(!external,
                                     tr("Off for vectors from elsewhere: the HNSW index is built "
                                        "from a TowerLab model's movie vectors."));
    m_insight->setExplanationOff(
        external ? tr("No explanation: it takes the score apart feature by feature through the "
                      "query tower, and these vectors came without towers. Here a score is the "
                      "dot product of the query vector and the movie vector, nothing more.")
                 : QString());
    QStringList labels;
    QString source;
    if (const ExternalUsersPtr users = m_query->externalUsers()) {
        labels.reserve(static_cast<qsizetype>(users->labels.size()));
        for (const std::string& label : users->labels) {
            labels << QString::fromStdString(label);
        }
        source = QFileInfo(QString::fromStdString(users->source)).fileName();
    }
    m_externalPanel->setUsers(labels, source);
    m_externalPanel->showK(m_controller->k(), m_controller->maxK());
    m_lists->setModelLine(m_controller->modelLine());
    showExternalQuery();
}

void RecommendView::showExternalQuery() {
    const auto& q = m_query->externalQuery();
    m_externalPanel->setQueryText(q ? q->label : QString());
    m_externalPanel->showPickedUser(q ? q->userRow : -1);
    m_lists->setModelLine(m_controller->modelLine());
}

void RecommendView::onResultsChanged() {
    const TrainedModelPtr model = m_controller->model();
    m_queryPanel->showSettings(*m_controller); // hiding rated movies needs a matched real user
    if (model) {
        m_insight->showVector(m_controller->queryVector());
    }
    m_insight->showExplanation(m_controller->explanation(), model.get());
    selectRowsOfMovie(m_query->selectedMovie());
    if (const ExternalEmbeddingsPtr external = m_query->external()) {
        const auto& q = m_query->externalQuery();
        m_insight->showVector(q ? q->vector : RowVector());
        m_lists->setTitles(
            q ? tr("Top %1 for %2 (dot product)").arg(m_controller->k()).arg(q->label)
              : tr("No query yet: open user vectors and pick a user, or open a "
                   "query vector."),
            {});
        m_lists->setRecallText(m_controller->recallText());
        m_lists->setTiming(
            tr("%1 of %2 vectors scored and ranked in %3 ms")
                .arg(m_controller->listA()->rowCount())
                .arg(QLocale().toString(static_cast<qulonglong>(external->catalogue.size())))
                .arg(QLocale().toString(m_controller->lastUpdateMs(), 'f', 1)));
        showApproximate();
        return;
    }
    if (!model) {
        return;
    }
    const bool compare = m_controller->compare();
    const QString lineA = queryLine(m_query->query());
    m_lists->setTitles(compare ? tr("A: %1").arg(lineA) : lineA,
                       tr("B: %1").arg(queryLine(m_controller->queryB())));
    m_lists->setRecallText(m_controller->recallText());
    const QString ms = QLocale().toString(m_controller->lastUpdateMs(), 'f', 1);
    m_lists->setTiming(
        m_controller->listsAreApproximate()
            ? tr("%1 of %2 movies found by the HNSW index in %3 ms")
                  .arg(m_controller->listA()->rowCount())
                  .arg(QLocale().toString(static_cast<qulonglong>(model->catalogue.size())))
                  .arg(ms)
            : tr("%1 of %2 movies scored and ranked in %3 ms")
                  .arg(m_controller->listA()->rowCount())
                  .arg(QLocale().toString(static_cast<qulonglong>(model->catalogue.size())))
                  .arg(ms));
    showApproximate();
}

void RecommendView::showApproximate() {
    const ApproximateIndex* index = m_controller->approximateIndex();
    m_lists->showApproximate(m_controller->approximate(), m_controller->ef(), index->building(),
                             index->progress(), m_controller->approximateText());
}

void RecommendView::onSelectionChanged(int movie) {
    selectRowsOfMovie(movie);
    m_insight->showExplanation(m_controller->explanation(), m_controller->model().get());
}

void RecommendView::selectRowsOfMovie(int movie) {
    m_selecting = true;
    for (QTableView* table : {m_lists->tableA(), m_lists->tableB()}) {
        auto* model = static_cast<RecommendationTableModel*>(table->model());
        const int row = model->rowOfMovie(movie);
        if (row >= 0) {
            table->selectionModel()->setCurrentIndex(
                model->index(row, RecommendationTableModel::Title),
                QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        } else {
            table->selectionModel()->clearSelection();
        }
    }
    m_selecting = false;
}

} // namespace towerlab
