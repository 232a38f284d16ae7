#include "views/recommend_view.hpp"

#include "charts/signed_bar_chart.hpp"
#include "controllers/query_controller.hpp"
#include "data/dataset.hpp"
#include "model/trained_model.hpp"
#include "models/recommendation_table_model.hpp"
#include "retrieval/rated_movies.hpp"
#include "retrieval/retrieval.hpp"
#include "retrieval/score_explanation.hpp"
#include "views/query_text.hpp"
#include "views/real_user_picker.hpp"
#include "views/user_query_form.hpp"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QElapsedTimer>
#include <QFontDatabase>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTextDocument>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>
#include <span>
#include <unordered_map>
#include <vector>

namespace towerlab {

namespace {

constexpr int kDefaultK = 50;

QLabel* heading(const QString& text) {
    auto* label = new QLabel(text);
    QFont f = label->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.15);
    label->setFont(f);
    return label;
}

QTableView* makeTable(RecommendationTableModel* model, const QString& name) {
    auto* table = new QTableView;
    table->setObjectName(name);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setAlternatingRowColors(false); // the rated-movie tints need a plain background
    table->setWordWrap(false);
    table->setTextElideMode(Qt::ElideRight);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 8);
    QHeaderView* h = table->horizontalHeader();
    h->setSectionResizeMode(QHeaderView::ResizeToContents);
    h->setSectionResizeMode(RecommendationTableModel::Title, QHeaderView::Stretch);
    h->setSectionResizeMode(RecommendationTableModel::Genres, QHeaderView::Interactive);
    h->resizeSection(RecommendationTableModel::Genres, 130);
    h->setHighlightSections(false);
    table->setToolTip(QObject::tr("The movies the model scores highest for this query, best "
                                  "first. Click a movie to explain its score on the right; "
                                  "hover a row for details."));
    return table;
}

// The list's rows, with the real user's marks and, for a comparison, each movie's move
// against the other list.
std::vector<RecommendationRow> rowsOf(const std::vector<ScoredMovie>& list,
                                      const UserRatedMovies* rated,
                                      const std::vector<ScoredMovie>* other) {
    std::unordered_map<std::int32_t, int> otherPosition;
    if (other != nullptr) {
        for (std::size_t i = 0; i < other->size(); ++i) {
            otherPosition.emplace((*other)[i].movie, static_cast<int>(i));
        }
    }
    std::vector<RecommendationRow> rows;
    rows.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        RecommendationRow row;
        row.movie = list[i];
        if (rated != nullptr) {
            const bool train =
                std::binary_search(rated->train.begin(), rated->train.end(), list[i].movie);
            const bool test =
                std::binary_search(rated->test.begin(), rated->test.end(), list[i].movie);
            row.mark = train && test ? RatedMark::Both
                       : train       ? RatedMark::Train
                       : test        ? RatedMark::Test
                                     : RatedMark::None;
        }
        if (other != nullptr) {
            row.hasChange = true;
            const auto it = otherPosition.find(list[i].movie);
            row.isNew = it == otherPosition.end();
            row.change = row.isNew ? 0 : it->second - static_cast<int>(i);
        }
        rows.push_back(row);
    }
    return rows;
}

// "+1.25", "-0.40", and "0.00" for what rounds to zero (never "-0.00").
QString signedText(double v, int decimals) {
    const QString text = QLocale().toString(std::abs(v), 'f', decimals);
    if (QLocale().toDouble(text) == 0.0) {
        return QLocale().toString(0.0, 'f', decimals);
    }
    return (v > 0 ? QStringLiteral("+") : QStringLiteral("-")) + text;
}

QString percent(double share) {
    return QLocale().toString(share * 100.0, 'f', 1) + " %";
}

} // namespace

RecommendView::RecommendView(QueryController* query, QWidget* parent)
    : QWidget(parent), m_query(query), m_modelA(new RecommendationTableModel(this)),
      m_modelB(new RecommendationTableModel(this)) {
    m_emptyState = new QLabel;
    m_emptyState->setObjectName(QStringLiteral("recommendEmptyState"));
    m_emptyState->setAlignment(Qt::AlignCenter);
    m_emptyState->setWordWrap(true);
    m_emptyState->setTextFormat(Qt::RichText);
    m_emptyState->setText(
        tr("<h2>No model yet</h2>"
           "<p>The Recommend tab asks a trained model which movies a user would like.</p>"
           "<p>Train one on the <b>Train</b> tab (a few seconds on the demo data) or open a "
           "saved model with <b>File → Open model…</b>; its recommendations appear here.</p>"));
    m_emptyState->setMargin(40);

    auto* content = new QSplitter(Qt::Horizontal);
    content->setObjectName(QStringLiteral("recommendSplitter"));
    content->setChildrenCollapsible(false);
    content->addWidget(buildForm());
    content->addWidget(buildLists());
    content->addWidget(buildInsight());
    content->setStretchFactor(0, 0);
    content->setStretchFactor(1, 1);
    content->setStretchFactor(2, 0);
    content->setSizes({340, 580, 360});

    m_stack = new QStackedWidget;
    m_stack->addWidget(m_emptyState);
    m_stack->addWidget(content);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_stack);

    connect(m_query, &QueryController::modelChanged, this, &RecommendView::onModelChanged);
    connect(m_query, &QueryController::datasetChanged, this, &RecommendView::onDatasetChanged);
    connect(m_query, &QueryController::queryChanged, this, &RecommendView::onQueryChanged);
    connect(m_query, &QueryController::movieSelected, this, [this](int movie) {
        selectRowsOfMovie(movie);
        updateExplanation();
    });
    connect(m_formA, &UserQueryForm::queryEdited, this, [this](const UserQuery& q) {
        // An edited attribute keeps the real user: "what if this user were female?" still
        // marks the movies they rated.
        m_query->setQuery(q, m_query->realUser());
    });
    connect(m_formB, &UserQueryForm::queryEdited, this, &RecommendView::setQueryB);
    connect(m_picker, &RealUserPicker::userPicked, this, &RecommendView::onUserPicked);
    connect(m_picker, &RealUserPicker::cleared, this, [this] {
        UserQuery q = m_query->query();
        q.userId = -1;
        m_query->setQuery(q, -1);
    });
    connect(m_tutorial, &QPushButton::clicked, this,
            [this] { m_query->setQuery(tutorialQuery(), -1); });

    for (QTableView* table : {m_tableA, m_tableB}) {
        connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
                [this, table](const QModelIndex& current) {
                    if (m_selecting || !current.isValid()) {
                        return;
                    }
                    m_explainSide = table == m_tableB ? Side::B : Side::A;
                    const int movie = current.data(RecommendationTableModel::MovieRole).toInt();
                    if (movie == m_query->selectedMovie()) {
                        selectRowsOfMovie(movie);
                        updateExplanation(); // same movie, maybe the other query
                    } else {
                        m_query->selectMovie(movie);
                    }
                });
    }

    onDatasetChanged();
    onModelChanged(m_query->model());
    onQueryChanged();
}

RecommendView::~RecommendView() = default;

UserQuery RecommendView::tutorialQuery() {
    return UserQuery{25, 17, 1, 879024327, -1, {}};
}

QWidget* RecommendView::buildForm() {
    m_tutorial = new QPushButton(tr("Tutorial example"));
    m_tutorial->setObjectName(QStringLiteral("tutorialExample"));
    m_tutorial->setToolTip(tr("The TensorFlow Recommenders tutorial's query: age 25 (25–34), "
                              "student, male, timestamp 879024327 (%1).")
                               .arg(utcTimeText(879024327)));
    auto* top = new QHBoxLayout;
    top->addWidget(heading(tr("Query")));
    top->addStretch(1);
    top->addWidget(m_tutorial);

    m_formA = new UserQueryForm;
    m_formA->setObjectName(QStringLiteral("queryFormA"));
    auto* groupA = new QGroupBox(tr("Query A — who and when"));
    groupA->setToolTip(tr("The user the model recommends for. Every change updates the list "
                          "at once; the Scores and Embeddings tabs use the same query."));
    (new QVBoxLayout(groupA))->addWidget(m_formA);

    m_picker = new RealUserPicker;

    auto* listBox = new QGroupBox(tr("List"));
    m_k = new QSpinBox;
    m_k->setObjectName(QStringLiteral("topK"));
    m_k->setRange(1, kDefaultK);
    m_k->setValue(kDefaultK);
    m_k->setKeyboardTracking(false);
    m_k->setToolTip(tr("How many movies to list, up to the whole catalogue. Recall is "
                       "measured at this k."));
    m_excludeRated = new QCheckBox(tr("Hide movies the user rated in training"));
    m_excludeRated->setObjectName(QStringLiteral("excludeRated"));
    m_compare = new QCheckBox(tr("Compare with a second query (B)"));
    m_compare->setObjectName(QStringLiteral("compareMode"));
    m_compare->setToolTip(tr("Show a second list for query B next to query A's, with how far "
                             "each movie moved (▲ up, ▼ down, new). Change one thing in B — "
                             "gender, age, time — to see what that feature does."));
    auto* kRow = new QHBoxLayout;
    kRow->addWidget(new QLabel(tr("Show top")));
    kRow->addWidget(m_k);
    kRow->addWidget(new QLabel(tr("movies")));
    kRow->addStretch(1);
    auto* listLayout = new QVBoxLayout(listBox);
    listLayout->addLayout(kRow);
    listLayout->addWidget(m_excludeRated);
    listLayout->addWidget(m_compare);

    m_groupB = new QGroupBox(tr("Query B — change one thing"));
    m_groupB->setObjectName(QStringLiteral("queryGroupB"));
    m_groupB->setToolTip(tr("The second query of the comparison. It starts as a copy of A."));
    m_formB = new UserQueryForm;
    m_formB->setObjectName(QStringLiteral("queryFormB"));
    auto* copy = new QPushButton(tr("Copy A"));
    copy->setObjectName(QStringLiteral("copyAToB"));
    copy->setToolTip(tr("Make B the same as A again"));
    auto* flip = new QPushButton(tr("A with other gender"));
    flip->setObjectName(QStringLiteral("otherGender"));
    flip->setToolTip(tr("B = A with the other gender: the quickest way to see what the gender "
                        "feature does"));
    auto* bButtons = new QHBoxLayout;
    bButtons->addWidget(copy);
    bButtons->addWidget(flip);
    bButtons->addStretch(1);
    auto* bLayout = new QVBoxLayout(m_groupB);
    bLayout->addLayout(bButtons);
    bLayout->addWidget(m_formB);
    m_groupB->setVisible(false);
    connect(copy, &QPushButton::clicked, this, [this] { setQueryB(m_query->query()); });
    connect(flip, &QPushButton::clicked, this, [this] {
        UserQuery q = m_query->query();
        q.gender = q.gender == 1 ? 0 : 1;
        setQueryB(q);
    });

    connect(m_k, &QSpinBox::valueChanged, this, [this] { refresh(); });
    connect(m_excludeRated, &QCheckBox::toggled, this, [this] { refresh(); });
    connect(m_compare, &QCheckBox::toggled, this, &RecommendView::setCompare);

    auto* column = new QWidget;
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 4, 0);
    layout->addLayout(top);
    layout->addWidget(groupA);
    layout->addWidget(m_picker);
    layout->addWidget(listBox);
    layout->addWidget(m_groupB);
    layout->addStretch(1);
    auto* scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("recommendFormScroll"));
    scroll->setWidget(column);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(300);
    return scroll;
}

QWidget* RecommendView::buildLists() {
    m_modelLine = new QLabel;
    m_modelLine->setObjectName(QStringLiteral("recommendModelLine"));
    m_modelLine->setWordWrap(true);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("recallLabel"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::RichText);
    m_status->setToolTip(tr("Recall@k: the share of the user's test-split movies (ratings the "
                            "model never saw) that this list contains."));
    m_titleA = new QLabel;
    m_titleA->setObjectName(QStringLiteral("listTitleA"));
    m_titleB = new QLabel;
    m_titleB->setObjectName(QStringLiteral("listTitleB"));
    for (QLabel* title : {m_titleA, m_titleB}) {
        QFont f = title->font();
        f.setBold(true);
        title->setFont(f);
        title->setWordWrap(true);
    }
    m_tableA = makeTable(m_modelA, QStringLiteral("recommendTableA"));
    m_tableB = makeTable(m_modelB, QStringLiteral("recommendTableB"));
    m_tableA->setColumnHidden(RecommendationTableModel::Change, true);
    m_timing = new QLabel;
    m_timing->setObjectName(QStringLiteral("recommendTiming"));
    m_timing->setForegroundRole(QPalette::PlaceholderText);
    m_timing->setToolTip(tr("How long the model took to score every movie and sort them"));

    auto* panelA = new QWidget;
    auto* aLayout = new QVBoxLayout(panelA);
    aLayout->setContentsMargins(0, 0, 0, 0);
    aLayout->addWidget(m_titleA);
    aLayout->addWidget(m_tableA, 1);
    m_panelB = new QWidget;
    auto* bLayout = new QVBoxLayout(m_panelB);
    bLayout->setContentsMargins(0, 0, 0, 0);
    bLayout->addWidget(m_titleB);
    bLayout->addWidget(m_tableB, 1);
    m_panelB->setVisible(false);
    auto* tables = new QHBoxLayout;
    tables->addWidget(panelA, 1);
    tables->addWidget(m_panelB, 1);

    auto* column = new QWidget;
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->addWidget(heading(tr("Recommendations")));
    layout->addWidget(m_modelLine);
    layout->addWidget(m_status);
    layout->addLayout(tables, 1);
    layout->addWidget(m_timing);
    column->setMinimumWidth(380);
    return column;
}

QWidget* RecommendView::buildInsight() {
    m_explainChart = new SignedBarChart(SignedBarChart::Orientation::Horizontal);
    m_explainChart->setObjectName(QStringLiteral("explanationChart"));
    m_explainChart->setMinimumHeight(200);
    m_explainChart->setVisible(false); // the hint takes its place until a movie is chosen
    m_explainChart->setToolTip(
        tr("How much each user feature adds to the selected movie's score: the score minus the "
           "score with that one feature replaced by its unknown (out-of-vocabulary) value — or, "
           "for the scaled time, the mean time. Blue pushes the movie up, orange down."));
    m_explainHint = new QLabel(tr("Click a movie in the list to see which of the user's "
                                  "features raise its score and which lower it."));
    m_explainHint->setObjectName(QStringLiteral("explanationHint"));
    m_explainHint->setWordWrap(true);
    m_explainHint->setAlignment(Qt::AlignCenter);
    m_explainHint->setMinimumHeight(200);
    m_explainHint->setFrameShape(QFrame::StyledPanel);
    m_explainHint->setForegroundRole(QPalette::PlaceholderText);
    m_explainHint->setToolTip(m_explainChart->toolTip());
    m_explainNote = new QLabel(tr("Each bar: the score minus the score without that feature "
                                  "(unknown value; mean time for the scaled time)."));
    m_explainNote->setWordWrap(true);
    m_explainNote->setForegroundRole(QPalette::PlaceholderText);

    m_vectorChart = new SignedBarChart(SignedBarChart::Orientation::Vertical);
    m_vectorChart->setObjectName(QStringLiteral("queryVectorChart"));
    m_vectorChart->setMinimumHeight(140);
    m_vectorChart->setToolTip(tr("The query tower's output for query A: one bar per dimension. "
                                 "A movie's score is the dot product of this vector with the "
                                 "movie's vector. Hover a bar for its value."));
    m_vectorText = new QPlainTextEdit;
    m_vectorText->setObjectName(QStringLiteral("queryVectorText"));
    m_vectorText->setReadOnly(true);
    m_vectorText->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // About four lines of numbers; the rest scrolls.
    m_vectorText->setFixedHeight(m_vectorText->fontMetrics().lineSpacing() * 5 +
                                 2 * m_vectorText->frameWidth() +
                                 static_cast<int>(2 * m_vectorText->document()->documentMargin()));
    m_vectorText->setToolTip(tr("The query vector's numbers, ready to paste into Python or a "
                                "spreadsheet"));
    m_copyVector = new QPushButton(tr("Copy vector"));
    m_copyVector->setObjectName(QStringLiteral("copyVector"));
    m_copyVector->setToolTip(tr("Copy the query vector to the clipboard as [x1, x2, …]"));
    connect(m_copyVector, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_vectorText->toPlainText()); });
    auto* vectorHead = new QHBoxLayout;
    vectorHead->addWidget(heading(tr("Query vector")));
    vectorHead->addStretch(1);
    vectorHead->addWidget(m_copyVector);

    auto* column = new QWidget;
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(4, 0, 0, 0);
    layout->addWidget(heading(tr("Why this movie?")));
    layout->addWidget(m_explainChart, 3);
    layout->addWidget(m_explainHint, 3);
    layout->addWidget(m_explainNote);
    layout->addSpacing(6);
    layout->addLayout(vectorHead);
    layout->addWidget(m_vectorChart, 2);
    layout->addWidget(m_vectorText);
    column->setMinimumWidth(280);
    return column;
}

void RecommendView::setQueryB(const UserQuery& query) {
    m_queryB = query;
    m_formB->setQuery(query);
    refresh();
}

void RecommendView::setCompare(bool on) {
    {
        const QSignalBlocker block(m_compare);
        m_compare->setChecked(on);
    }
    m_groupB->setVisible(on);
    m_panelB->setVisible(on);
    // Side by side, two lists need the room: year, genres and popularity stay in the tooltip.
    for (const int column : {RecommendationTableModel::Year, RecommendationTableModel::Genres,
                             RecommendationTableModel::Popularity}) {
        m_tableA->setColumnHidden(column, on);
        m_tableB->setColumnHidden(column, on);
    }
    if (on) {
        m_queryB = m_query->query();
        m_formB->setQuery(m_queryB);
    } else {
        m_explainSide = Side::A;
    }
    refresh();
}

void RecommendView::onModelChanged(const TrainedModelPtr& model) {
    m_model = model;
    m_formA->setModel(model);
    m_formB->setModel(model);
    m_modelA->setModel(model);
    m_modelB->setModel(model);
    m_stack->setCurrentIndex(model ? 1 : 0);
    if (model) {
        const QSignalBlocker block(m_k);
        const int wasMax = m_k->maximum();
        m_k->setMaximum(std::max(1, static_cast<int>(model->catalogue.size())));
        if (m_k->value() == wasMax && wasMax < kDefaultK) {
            m_k->setValue(std::min(kDefaultK, m_k->maximum()));
        }
        const QString epochs =
            model->epochsTrained == 1 ? tr("1 epoch") : tr("%1 epochs").arg(model->epochsTrained);
        m_modelLine->setText(
            tr("Model trained %1 on %2 · %3 movies · user features: %4")
                .arg(epochs, QString::fromStdString(model->datasetName),
                     QLocale().toString(static_cast<qulonglong>(model->catalogue.size())),
                     QString::fromStdString(model->config.features.userFeatureList())
                         .replace(QLatin1Char(','), QStringLiteral(", "))));
    }
    rebuildRatedMovies();
    if (model && m_query->realUser() < 0) {
        // The tutorial's moment (1997) is the default query, but a model trained on other
        // data (the built-in demo is from 2023) never saw it and would only extrapolate: start
        // such a model in the middle of its own time range. The Tutorial example button still
        // gives the exact tutorial query, with the out-of-range note.
        const UserQuery current = m_query->query();
        const auto& f = model->features;
        const bool untouchedDefault = current.ageBucket == tutorialQuery().ageBucket &&
                                      current.occupationLabel == tutorialQuery().occupationLabel &&
                                      current.gender == tutorialQuery().gender &&
                                      current.timestamp == tutorialQuery().timestamp;
        if (untouchedDefault && f.maxTimestamp > f.minTimestamp &&
            (current.timestamp < f.minTimestamp || current.timestamp > f.maxTimestamp)) {
            UserQuery q = current;
            q.timestamp = f.minTimestamp + (f.maxTimestamp - f.minTimestamp) / 2;
            m_query->setQuery(q);
        }
    }
    refresh();
}

void RecommendView::onDatasetChanged() {
    m_dataset = m_query->dataset();
    m_userIndexOfId.clear();
    if (m_dataset) {
        for (std::size_t i = 0; i < m_dataset->users.size(); ++i) {
            m_userIndexOfId.insert(m_dataset->users[i].id, static_cast<int>(i));
        }
    }
    m_picker->setDataset(m_dataset);
    m_formA->setDataset(m_dataset);
    m_formB->setDataset(m_dataset);
    rebuildRatedMovies();
    if (m_query->realUser() >= 0) {
        // The real user belonged to the previous dataset.
        m_query->setQuery(m_query->query(), -1);
    }
    refresh();
}

void RecommendView::rebuildRatedMovies() {
    m_rated.reset();
    m_ratedError.clear();
    m_picker->setRatedMovies(nullptr);
    const int generation = ++m_ratedGeneration;
    m_ratedPending = m_model && m_dataset;
    if (!m_ratedPending) {
        return;
    }
    // Hashing the dataset to compare fingerprints takes a while on a big dataset (about a
    // quarter of a second for MovieLens 1M), so it runs on the thread pool; the lists show at
    // once and the marks follow.
    struct Result {
        std::shared_ptr<const RatedMovies> rated;
        QString error;
    };
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcher<Result>::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_ratedGeneration) {
            return; // the model or dataset changed again meanwhile
        }
        const Result result = watcher->result();
        m_rated = result.rated;
        m_ratedError = result.error;
        m_ratedPending = false;
        m_picker->setRatedMovies(m_rated);
        refresh();
        emit ratedMoviesReady();
    });
    watcher->setFuture(QtConcurrent::run([model = m_model, dataset = m_dataset] {
        try {
            return Result{std::make_shared<const RatedMovies>(*model, *dataset), {}};
        } catch (const std::exception& e) {
            return Result{nullptr, QString::fromUtf8(e.what())};
        }
    }));
}

void RecommendView::onQueryChanged() {
    m_formA->setQuery(m_query->query());
    m_picker->showUser(m_query->realUser());
    refresh();
}

void RecommendView::onUserPicked(int userIndex, std::int64_t timestamp) {
    if (!m_dataset || userIndex < 0 ||
        static_cast<std::size_t>(userIndex) >= m_dataset->users.size()) {
        return;
    }
    const User& user = m_dataset->users[static_cast<std::size_t>(userIndex)];
    UserQuery q = m_query->query();
    // Attributes a dataset does not know (no demographics) keep the form's values.
    if (user.ageBucket >= 0) {
        q.ageBucket = user.ageBucket;
    }
    if (user.occupationLabel >= 0) {
        q.occupationLabel = user.occupationLabel;
    }
    if (user.gender >= 0) {
        q.gender = user.gender;
    }
    if (timestamp >= 0) {
        q.timestamp = timestamp;
    }
    q.userId = user.id;
    m_query->setQuery(q, user.id);
}

int RecommendView::realUserIndex() const {
    return m_query->realUser() >= 0 ? m_userIndexOfId.value(m_query->realUser(), -1) : -1;
}

void RecommendView::refresh() {
    if (!m_model) {
        m_modelA->setRows({});
        m_modelB->setRows({});
        updateExplanation();
        return;
    }
    QElapsedTimer timer;
    timer.start();
    const UserQuery qa = m_query->query();
    const int user = realUserIndex();
    const bool canMark = user >= 0 && m_rated && m_rated->available();
    const UserRatedMovies* rated =
        canMark ? &m_rated->ofUser(static_cast<std::size_t>(user)) : nullptr;
    m_excludeRated->setEnabled(canMark);
    m_excludeRated->setToolTip(
        canMark ? tr("Leave out the movies this user rated in the model's training split: the "
                     "model has seen those, the rest are real suggestions.")
                : tr("Pick a real user of the dataset the model was trained on to hide the "
                     "movies they rated in training."));
    const std::span<const std::int32_t> excluded = rated != nullptr && m_excludeRated->isChecked()
                                                       ? std::span<const std::int32_t>(rated->train)
                                                       : std::span<const std::int32_t>();
    const auto k = static_cast<std::size_t>(m_k->value());
    const std::vector<ScoredMovie> listA = recommend(*m_model, qa, k, excluded);
    std::vector<ScoredMovie> listB;
    const bool compare = m_compare->isChecked();
    if (compare) {
        listB = recommend(*m_model, m_queryB, k, excluded);
    }
    m_modelA->setRows(rowsOf(listA, rated, nullptr));
    m_modelB->setRows(compare ? rowsOf(listB, rated, &listA) : std::vector<RecommendationRow>{});
    updateVector(qa);
    updateExplanation();
    selectRowsOfMovie(m_query->selectedMovie());
    m_lastUpdateMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;

    m_titleA->setText((compare ? tr("A: %1") : QStringLiteral("%1")).arg(queryLine(qa)));
    m_titleB->setText(tr("B: %1").arg(queryLine(m_queryB)));
    updateStatus(listA.size(), listB.size());
    m_timing->setText(tr("%1 of %2 movies scored and ranked in %3 ms")
                          .arg(listA.size())
                          .arg(m_model->catalogue.size())
                          .arg(QLocale().toString(m_lastUpdateMs, 'f', 1)));
}

void RecommendView::updateStatus(std::size_t listedA, std::size_t listedB) {
    const std::int64_t id = m_query->realUser();
    const int user = realUserIndex();
    if (id < 0 || user < 0) {
        m_status->setText(tr("Tick <b>Real user</b> to mark the movies a user of the dataset "
                             "rated and to see how many of their held-out (test) movies this "
                             "list finds."));
        return;
    }
    if (m_ratedPending) {
        m_status->setText(
            tr("Matching user %1's ratings to the model's train/test split…").arg(id));
        return;
    }
    if (!m_rated || !m_rated->available()) {
        m_status->setText(
            tr("Cannot mark user %1's movies: %2. Open the dataset the model was trained on to "
               "see them.")
                .arg(id)
                .arg(m_rated ? QString::fromStdString(m_rated->unavailableReason()).toHtmlEscaped()
                     : !m_ratedError.isEmpty() ? tr("the dataset's ratings cannot be read (%1)")
                                                     .arg(m_ratedError.toHtmlEscaped())
                                               : tr("no model or dataset")));
        return;
    }
    const UserRatedMovies& rated = m_rated->ofUser(static_cast<std::size_t>(user));
    auto describe = [&](const RecommendationTableModel* model, std::size_t listed,
                        const QString& name) {
        int train = 0;
        int test = 0;
        for (const RecommendationRow& row : model->rows()) {
            train += row.mark == RatedMark::Train || row.mark == RatedMark::Both ? 1 : 0;
            test += row.mark == RatedMark::Test || row.mark == RatedMark::Both ? 1 : 0;
        }
        std::vector<ScoredMovie> list;
        for (const RecommendationRow& row : model->rows()) {
            list.push_back(row.movie);
        }
        const auto recall = recallOf(list, rated.test);
        const QString recallText = recall ? tr("<b>recall@%1 = %2</b> (%3 of %4 test movies)")
                                                .arg(listed)
                                                .arg(percent(*recall))
                                                .arg(test)
                                                .arg(rated.test.size())
                                          : tr("no test-split ratings, so no recall");
        return tr("%1%2 ★ test and %3 ✓ training movies listed · %4")
            .arg(name)
            .arg(test)
            .arg(train)
            .arg(recallText);
    };
    QString text = tr("User %1 rated %2 movies: %3 in the model's training split, %4 held out "
                      "for test.")
                       .arg(id)
                       .arg(rated.train.size() + rated.test.size())
                       .arg(rated.train.size())
                       .arg(rated.test.size());
    if (m_excludeRated->isChecked()) {
        text += tr(" Training movies hidden.");
    }
    text += QStringLiteral("<br>") +
            describe(m_modelA, listedA, m_compare->isChecked() ? tr("A: ") : QString());
    if (m_compare->isChecked()) {
        text += QStringLiteral("<br>") + describe(m_modelB, listedB, tr("B: "));
    }
    m_status->setText(text);
}

void RecommendView::updateVector(const UserQuery& query) {
    const RowVector q = queryEmbedding(*m_model, query);
    QStringList labels;
    std::vector<double> values;
    QStringList numbers;
    for (Eigen::Index i = 0; i < q.size(); ++i) {
        labels << QString::number(i + 1);
        values.push_back(static_cast<double>(q[i]));
        numbers << QString::number(static_cast<double>(q[i]), 'g', 7);
    }
    m_vectorChart->setValues(tr("%1 numbers, length %2")
                                 .arg(q.size())
                                 .arg(QLocale().toString(static_cast<double>(q.norm()), 'f', 3)),
                             labels, values);
    m_vectorText->setPlainText(QStringLiteral("[") + numbers.join(QStringLiteral(", ")) +
                               QStringLiteral("]"));
}

void RecommendView::updateExplanation() {
    const int movie = m_query->selectedMovie();
    if (!m_model || movie < 0 || static_cast<std::size_t>(movie) >= m_model->catalogue.size()) {
        m_explainChart->setValues(tr("Why this movie?"), {}, {});
        m_explainChart->setVisible(false);
        m_explainHint->setVisible(true);
        return;
    }
    m_explainHint->setVisible(false);
    m_explainChart->setVisible(true);
    const bool b = m_explainSide == Side::B && m_compare->isChecked();
    const UserQuery q = b ? m_queryB : m_query->query();
    const ScoreExplanation e = explainScore(*m_model, q, movie);
    QStringList labels;
    QStringList hover;
    std::vector<double> values;
    for (const FeatureContribution& c : e.features) {
        const double v = static_cast<double>(c.contribution);
        // Short labels keep the bars wide; the feature's value is in the hover text and the form.
        labels << QStringLiteral("%1 %2").arg(queryFeatureText(c.feature), signedText(v, 2));
        hover << tr("%1 = %2\nScore %3, without it %4: %5")
                     .arg(queryFeatureText(c.feature),
                          queryFeatureValueText(c.feature, q, m_model->features))
                     .arg(QLocale().toString(static_cast<double>(e.score), 'f', 3))
                     .arg(QLocale().toString(static_cast<double>(c.neutralScore), 'f', 3))
                     .arg(signedText(v, 3));
        values.push_back(v);
    }
    QString title =
        QString::fromStdString(m_model->catalogue.titles[static_cast<std::size_t>(movie)]);
    if (title.size() > 40) {
        title = title.left(38) + QStringLiteral("…");
    }
    m_explainChart->setValues(tr("%1\nscore %2 for query %3")
                                  .arg(title)
                                  .arg(QLocale().toString(static_cast<double>(e.score), 'f', 3))
                                  .arg(b ? QStringLiteral("B") : QStringLiteral("A")),
                              labels, values);
    m_explainChart->setHoverTexts(hover);
}

void RecommendView::selectRowsOfMovie(int movie) {
    m_selecting = true;
    for (QTableView* table : {m_tableA, m_tableB}) {
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
