#include "views/embeddings_view.hpp"

#include "charts/embedding_map.hpp"
#include "controllers/query_controller.hpp"
#include "controllers/training_controller.hpp"
#include "data/dataset.hpp"
#include "data/dataset_summary.hpp"
#include "io/projector_tsv.hpp"
#include "model/trained_model.hpp"
#include "models/catalogue_text.hpp"
#include "models/nearest_movies_model.hpp"
#include "views/embedding_colouring.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QThread>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <exception>

namespace towerlab {

namespace {

enum ExportChoice { ExportPng, ExportSvg, ExportMovieVectors, ExportUserVectors };

QString genreList(const Catalogue& c, std::size_t movie) {
    const QString names = catalogueGenres(c, movie);
    return names.isEmpty() ? QObject::tr("no genre") : names;
}

QString genderText(int gender) {
    return gender == 1 ? QObject::tr("male") : gender == 0 ? QObject::tr("female") : QString();
}

QString occupationText(int label) {
    return label >= 0 && static_cast<std::size_t>(label) < occupationLabels().size()
               ? QString::fromStdString(occupationLabels()[static_cast<std::size_t>(label)])
               : QString();
}

// "25-34 · student · male · 1997-11-08"
QString describeQuery(const UserQuery& q) {
    QStringList parts;
    parts << QString::fromStdString(ageBucketLabel(q.ageBucket));
    if (const QString o = occupationText(q.occupationLabel); !o.isEmpty()) {
        parts << o;
    }
    if (const QString g = genderText(q.gender); !g.isEmpty()) {
        parts << g;
    }
    parts << QDateTime::fromSecsSinceEpoch(q.timestamp, Qt::UTC).toString("yyyy-MM-dd");
    return parts.join(QStringLiteral(" · "));
}

// "1 rating", "12 ratings"
QString countText(int n, const QString& one, const QString& many) {
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

QList<QPointF> toPoints(const RowMatrix& xy) {
    QList<QPointF> points;
    points.reserve(xy.rows());
    for (Eigen::Index r = 0; r < xy.rows(); ++r) {
        points.append(QPointF(xy(r, 0), xy(r, 1)));
    }
    return points;
}

} // namespace

EmbeddingsView::EmbeddingsView(QueryController* query, TrainingController* training,
                               QWidget* parent)
    : QWidget(parent), m_query(query), m_training(training), m_runner(new ProjectionRunner(this)),
      m_map(new EmbeddingMap),
      m_neighbourModel(new NearestMoviesModel(
          tr("Double-click to select it and list its own neighbours."), this)) {
    setObjectName(QStringLiteral("embeddingsView"));
    buildControls();

    connect(m_runner, &ProjectionRunner::progress, this, &EmbeddingsView::onProgress);
    connect(m_runner, &ProjectionRunner::finished, this, &EmbeddingsView::onProjected);
    connect(m_runner, &ProjectionRunner::failed, this, [this](const QString& error) {
        m_progress->hide();
        m_cancel->hide();
        m_status->setText(tr("The projection failed: %1").arg(error));
        if (!m_xy) {
            m_map->clear(tr("The projection failed: %1").arg(error));
        }
        emit projectionFailed(error);
    });
    connect(m_runner, &ProjectionRunner::cancelled, this, [this] {
        m_progress->hide();
        m_cancel->hide();
        m_livePending = false;
        if (m_cancelRequested) { // not when the view itself dropped a projection
            m_cancelRequested = false;
            m_status->setText(m_xy ? tr("Projection cancelled; the map shows the previous one.")
                                   : tr("Projection cancelled."));
            if (!m_xy) {
                m_map->clear(tr("Cancelled: no map yet. Change the method or the points to "
                                "compute one."));
            }
        }
    });
    connect(m_map, &EmbeddingMap::pointHovered, this, &EmbeddingsView::onHovered);
    connect(m_map, &EmbeddingMap::pointClicked, this, &EmbeddingsView::clickPoint);
    connect(m_query, &QueryController::modelChanged, this, &EmbeddingsView::onModelChanged);
    connect(m_query, &QueryController::datasetChanged, this, [this] {
        if (m_points == Points::Users) {
            reproject(false);
        }
    });
    connect(m_query, &QueryController::queryChanged, this, [this] {
        if (m_points == Points::Movies && m_method == ProjectionMethod::Pca && m_xy) {
            reproject(true); // the star needs the PCA of the current map; a PCA takes ms
        } else {
            updateQueryOverlay();
        }
    });
    connect(m_query, &QueryController::movieSelected, this, &EmbeddingsView::onMovieSelected);
    if (m_training != nullptr) {
        connect(m_training, &TrainingController::epochSnapshot, this, &EmbeddingsView::onSnapshot);
    }
    m_model = m_query->model();
    updateCaption();
    updateQueryOverlay();
    reproject(false);
}

EmbeddingsView::~EmbeddingsView() {
    if (m_training != nullptr && m_liveBox->isChecked()) {
        m_training->setEpochSnapshotInterval(0);
    }
}

void EmbeddingsView::buildControls() {
    m_pointsBox = new QComboBox;
    m_pointsBox->setObjectName(QStringLiteral("embeddingPoints"));
    m_pointsBox->addItems({tr("Movies"), tr("Users")});
    m_pointsBox->setToolTip(tr("Movies: the candidate tower's vector of every catalogue movie.\n"
                               "Users: the query tower's vector of every user of the model's "
                               "dataset, from their age, occupation and gender at the median "
                               "time of their ratings."));
    m_methodBox = new QComboBox;
    m_methodBox->setObjectName(QStringLiteral("embeddingMethod"));
    m_methodBox->addItems({tr("PCA"), tr("t-SNE")});
    m_methodBox->setToolTip(
        tr("PCA: the two directions of largest variance; fast, keeps the global shape.\n"
           "t-SNE: keeps each point's neighbours together; slower, distances between clusters "
           "mean little."));
    m_perplexity = new QDoubleSpinBox;
    m_perplexity->setObjectName(QStringLiteral("tsnePerplexity"));
    m_perplexity->setRange(2.0, 100.0);
    m_perplexity->setValue(30.0);
    m_perplexity->setDecimals(0);
    m_perplexity->setPrefix(tr("perplexity "));
    m_perplexity->setToolTip(tr("t-SNE: roughly how many neighbours each point keeps close"));
    m_iterations = new QSpinBox;
    m_iterations->setObjectName(QStringLiteral("tsneIterations"));
    m_iterations->setRange(250, 5000);
    m_iterations->setSingleStep(250);
    m_iterations->setValue(1000);
    m_iterations->setSuffix(tr(" iterations"));
    m_iterations->setToolTip(tr("t-SNE: gradient steps, the first 250 with early exaggeration"));
    m_colourBox = new QComboBox;
    m_colourBox->setObjectName(QStringLiteral("embeddingColour"));
    m_colourBox->setToolTip(tr("Colours the points; changing it never re-projects"));
    m_sizeBox = new QCheckBox(tr("Size by popularity"));
    m_sizeBox->setObjectName(QStringLiteral("embeddingSize"));
    m_sizeBox->setToolTip(tr("Bigger markers for movies with more ratings in the training split"));
    m_liveBox = new QCheckBox(tr("Live"));
    m_liveBox->setObjectName(QStringLiteral("embeddingLive"));
    m_liveBox->setToolTip(tr("While a model trains, re-project every %1 epochs and move the "
                             "points to their new places")
                              .arg(kLiveEveryEpochs));
    m_liveBox->setEnabled(m_training != nullptr);
    m_search = new QLineEdit;
    m_search->setObjectName(QStringLiteral("embeddingSearch"));
    m_search->setPlaceholderText(tr("Find titles…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(220);
    m_searchCount = new QLabel;
    m_resetZoom = new QPushButton(tr("Reset zoom"));
    m_resetZoom->setObjectName(QStringLiteral("embeddingResetZoom"));
    m_resetZoom->setToolTip(tr("Wheel: zoom · left drag: zoom to a rectangle · right click: "
                               "zoom out · middle drag or Shift + drag: pan"));
    m_exportButton = new QToolButton;
    m_exportButton->setText(tr("Export"));
    m_exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(m_exportButton);
    exportMenu->addAction(tr("Map as PNG…"), this, [this] { chooseExport(ExportPng); });
    exportMenu->addAction(tr("Map as SVG…"), this, [this] { chooseExport(ExportSvg); });
    exportMenu->addSeparator();
    exportMenu->addAction(tr("Movie vectors for the Embedding Projector…"), this,
                          [this] { chooseExport(ExportMovieVectors); });
    exportMenu->addAction(tr("User vectors for the Embedding Projector…"), this,
                          [this] { chooseExport(ExportUserVectors); });
    m_exportButton->setMenu(exportMenu);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Map")));
    controls->addWidget(m_pointsBox);
    controls->addWidget(m_methodBox);
    controls->addWidget(m_perplexity);
    controls->addWidget(m_iterations);
    controls->addSpacing(8);
    controls->addWidget(new QLabel(tr("Colour by")));
    controls->addWidget(m_colourBox);
    controls->addWidget(m_sizeBox);
    controls->addWidget(m_liveBox);
    controls->addSpacing(8);
    controls->addWidget(m_search);
    controls->addWidget(m_searchCount);
    controls->addStretch(1);
    controls->addWidget(m_resetZoom);
    controls->addWidget(m_exportButton);

    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("embeddingProgress"));
    m_progress->setMaximumWidth(260);
    m_progress->setTextVisible(false);
    m_progress->hide();
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName(QStringLiteral("embeddingCancel"));
    m_cancel->hide();
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("embeddingStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_progress);
    statusRow->addWidget(m_cancel);
    statusRow->addWidget(m_status, 1);

    // Side panel: the selected point, its neighbours, the query.
    m_selectedTitle = new QLabel(tr("Click a point to select it."));
    m_selectedTitle->setObjectName(QStringLiteral("embeddingSelected"));
    m_selectedTitle->setWordWrap(true);
    QFont bold = m_selectedTitle->font();
    bold.setBold(true);
    m_selectedTitle->setFont(bold);
    m_selectedDetails = new QLabel;
    m_selectedDetails->setWordWrap(true);
    m_similarityBox = new QComboBox;
    m_similarityBox->setObjectName(QStringLiteral("embeddingSimilarity"));
    m_similarityBox->addItems({tr("cosine"), tr("dot product")});
    m_similarityBox->setToolTip(
        tr("Cosine compares directions only; the dot product (what the model scores with) "
           "also favours long vectors, often those of popular movies"));
    m_neighbourTable = new QTableView;
    m_neighbourTable->setObjectName(QStringLiteral("embeddingNeighbours"));
    m_neighbourTable->setModel(m_neighbourModel);
    m_neighbourTable->verticalHeader()->hide();
    m_neighbourTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_neighbourTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_neighbourTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    QHeaderView* neighbourHeader = m_neighbourTable->horizontalHeader();
    neighbourHeader->setSectionResizeMode(QHeaderView::ResizeToContents);
    neighbourHeader->setSectionResizeMode(NearestMoviesModel::Title, QHeaderView::Stretch);
    // The side panel is narrow: the title, year and similarity say enough.
    m_neighbourTable->setColumnHidden(NearestMoviesModel::Genres, true);
    m_showInScores = new QPushButton(tr("Show in Scores"));
    m_showInScores->setObjectName(QStringLiteral("embeddingShowInScores"));
    m_showInScores->setEnabled(false);
    m_useAsQuery = new QPushButton(tr("Use this user as the query"));
    m_useAsQuery->setObjectName(QStringLiteral("embeddingUseAsQuery"));
    m_useAsQuery->hide();
    // Neighbours are movies': the panel hides on the user map.
    m_neighbourPanel = new QWidget;
    auto* neighbourLayout = new QVBoxLayout(m_neighbourPanel);
    neighbourLayout->setContentsMargins(0, 0, 0, 0);
    auto* similarityRow = new QHBoxLayout;
    similarityRow->addWidget(new QLabel(tr("Nearest %1 by").arg(kNeighbours)));
    similarityRow->addWidget(m_similarityBox, 1);
    neighbourLayout->addLayout(similarityRow);
    neighbourLayout->addWidget(m_neighbourTable, 1);
    neighbourLayout->addWidget(m_showInScores);
    auto* selectedBox = new QGroupBox(tr("Selected"));
    auto* selectedLayout = new QVBoxLayout(selectedBox);
    selectedLayout->addWidget(m_selectedTitle);
    selectedLayout->addWidget(m_selectedDetails);
    selectedLayout->addWidget(m_neighbourPanel, 1);
    selectedLayout->addWidget(m_useAsQuery);
    selectedLayout->addStretch(0); // takes the panel's room on the user map
    m_selectedLayout = selectedLayout;
    m_queryText = new QLabel;
    m_queryText->setObjectName(QStringLiteral("embeddingQuery"));
    m_queryText->setWordWrap(true);
    // Word-wrapped labels get too little height in a crowded column; five lines always fit.
    m_queryText->setMinimumHeight(5 * m_queryText->fontMetrics().lineSpacing());
    auto* queryBox = new QGroupBox(tr("The query"));
    auto* queryLayout = new QVBoxLayout(queryBox);
    queryLayout->addWidget(m_queryText);
    m_caption = new QLabel;
    m_caption->setObjectName(QStringLiteral("embeddingCaption"));
    m_caption->setWordWrap(true);
    QPalette captionPalette = m_caption->palette();
    QColor dim = captionPalette.color(QPalette::WindowText);
    dim.setAlphaF(0.75f);
    captionPalette.setColor(QPalette::WindowText, dim);
    m_caption->setPalette(captionPalette);
    auto* side = new QWidget;
    auto* sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(selectedBox, 1);
    sideLayout->addWidget(queryBox);
    sideLayout->addWidget(m_caption);
    side->setMinimumWidth(280);

    auto* splitter = new QSplitter;
    splitter->setObjectName(QStringLiteral("embeddingSplitter"));
    splitter->addWidget(m_map);
    splitter->addWidget(side);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    splitter->setSizes({900, 330});

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(statusRow);
    layout->addWidget(splitter, 1);

    fillColourChoices();
    m_perplexity->setEnabled(false);
    m_iterations->setEnabled(false);

    connect(m_pointsBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { setPoints(index == 1 ? Points::Users : Points::Movies); });
    connect(m_methodBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        setMethod(index == 1 ? ProjectionMethod::Tsne : ProjectionMethod::Pca);
    });
    connect(m_perplexity, &QDoubleSpinBox::editingFinished, this, [this] {
        if (m_method == ProjectionMethod::Tsne) {
            reproject(false);
        }
    });
    connect(m_iterations, &QSpinBox::editingFinished, this, [this] {
        if (m_method == ProjectionMethod::Tsne) {
            reproject(false);
        }
    });
    connect(m_colourBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        (m_points == Points::Movies ? m_movieColour : m_userColour) = std::max(0, index);
        applyColouring();
    });
    connect(m_sizeBox, &QCheckBox::toggled, this, [this] { applySizes(); });
    connect(m_liveBox, &QCheckBox::toggled, this, &EmbeddingsView::setLive);
    connect(m_search, &QLineEdit::textChanged, this, [this] { updateSearch(); });
    connect(m_resetZoom, &QPushButton::clicked, m_map, &EmbeddingMap::resetZoom);
    connect(m_cancel, &QPushButton::clicked, this, &EmbeddingsView::cancelProjection);
    connect(m_similarityBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        m_similarity = index == 1 ? Similarity::Dot : Similarity::Cosine;
        updateSelection();
    });
    connect(m_showInScores, &QPushButton::clicked, this, [this] {
        if (m_query->selectedMovie() >= 0) {
            m_query->requestShowInScores(m_query->selectedMovie());
        }
    });
    connect(m_useAsQuery, &QPushButton::clicked, this, [this] {
        if (m_selectedUser >= 0 && static_cast<std::size_t>(m_selectedUser) < m_users.size() &&
            m_usersDataset) {
            const DatasetUserQuery& u = m_users[static_cast<std::size_t>(m_selectedUser)];
            m_query->setQuery(u.query, m_usersDataset->users[static_cast<std::size_t>(u.user)].id);
        }
    });
    connect(m_neighbourTable, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const int movie = index.data(static_cast<int>(NearestMoviesModel::Role::Movie)).toInt();
        m_query->selectMovie(movie);
    });
}

void EmbeddingsView::fillColourChoices() {
    const QSignalBlocker block(m_colourBox);
    m_colourBox->clear();
    if (m_points == Points::Movies) {
        m_colourBox->addItems({tr("Genre (first)"), tr("Release decade"), tr("Popularity")});
        m_colourBox->setCurrentIndex(m_movieColour);
    } else {
        m_colourBox->addItems({tr("Age group"), tr("Occupation"), tr("Gender")});
        m_colourBox->setCurrentIndex(m_userColour);
    }
}

void EmbeddingsView::setPoints(Points points) {
    if (m_pointsBox->currentIndex() != (points == Points::Users ? 1 : 0)) {
        m_pointsBox->setCurrentIndex(points == Points::Users ? 1 : 0); // comes back here
        return;
    }
    if (m_points == points) {
        return;
    }
    m_points = points;
    fillColourChoices();
    const bool movies = points == Points::Movies;
    m_sizeBox->setEnabled(movies);
    m_search->setEnabled(movies);
    m_neighbourPanel->setVisible(movies);
    m_useAsQuery->setVisible(!movies);
    m_selectedLayout->setStretch(m_selectedLayout->count() - 1, movies ? 0 : 1);
    m_selectedUser = -1;
    reproject(false);
}

void EmbeddingsView::setMethod(ProjectionMethod method) {
    const int index = method == ProjectionMethod::Tsne ? 1 : 0;
    if (m_methodBox->currentIndex() != index) {
        m_methodBox->setCurrentIndex(index);
        return;
    }
    if (m_method == method) {
        return;
    }
    m_method = method;
    m_perplexity->setEnabled(method == ProjectionMethod::Tsne);
    m_iterations->setEnabled(method == ProjectionMethod::Tsne);
    updateCaption();
    reproject(false);
}

void EmbeddingsView::setColouring(int index) {
    m_colourBox->setCurrentIndex(index);
}

void EmbeddingsView::setSizeByPopularity(bool on) {
    m_sizeBox->setChecked(on);
}

void EmbeddingsView::setSearchText(const QString& text) {
    m_search->setText(text);
}

void EmbeddingsView::setSimilarity(Similarity similarity) {
    m_similarityBox->setCurrentIndex(similarity == Similarity::Dot ? 1 : 0);
}

void EmbeddingsView::setTsneSettings(double perplexity, int iterations) {
    m_perplexity->setValue(perplexity);
    m_iterations->setValue(iterations);
    if (m_method == ProjectionMethod::Tsne) {
        reproject(false);
    }
}

void EmbeddingsView::setLive(bool on) {
    if (m_liveBox->isChecked() != on) {
        m_liveBox->setChecked(on); // comes back here
        return;
    }
    if (m_training == nullptr) {
        return;
    }
    m_training->setEpochSnapshotInterval(on ? kLiveEveryEpochs : 0);
    m_livePending = false;
    if (!on && m_model != m_query->model()) {
        m_model = m_query->model();
        reproject(true);
    }
    updateCaption();
}

bool EmbeddingsView::isProjecting() const {
    return m_runner->isRunning();
}

void EmbeddingsView::cancelProjection() {
    if (m_runner->isRunning()) {
        m_cancelRequested = true;
        m_runner->cancel();
    }
}

QString EmbeddingsView::statusText() const {
    return m_status->text();
}

QString EmbeddingsView::captionText() const {
    return m_caption->text();
}

void EmbeddingsView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    if (m_dirty) {
        reproject(m_xy.has_value());
    }
}

void EmbeddingsView::onModelChanged(const TrainedModelPtr& model) {
    m_model = model;
    m_livePending = false;
    reproject(true);
}

void EmbeddingsView::onSnapshot(int, const TrainedModelPtr& model) {
    if (!m_liveBox->isChecked() || !model) {
        return;
    }
    m_model = model;
    if (!isVisible()) {
        m_dirty = true; // projected when the tab is shown
        return;
    }
    if (m_runner->isRunning()) {
        m_livePending = true; // only the newest snapshot is projected
        return;
    }
    startProjection(m_model, true, true);
}

void EmbeddingsView::reproject(bool animate) {
    if (!isVisible()) {
        m_dirty = true;
        return;
    }
    m_dirty = false;
    startProjection(m_model, animate, false);
}

QString EmbeddingsView::userMapProblem(const TrainedModelPtr& model) const {
    const auto dataset = m_query->dataset();
    if (!dataset) {
        return tr("The user map needs the dataset the model was trained on (%1); no dataset is "
                  "open. Open it in the Data tab.")
            .arg(QString::fromStdString(model->datasetName));
    }
    if (dataset->fingerprint() != model->datasetFingerprint) {
        return tr("The user map needs the dataset the model was trained on (%1), but the open "
                  "dataset is %2, with other users or ratings. Open the model's dataset in the "
                  "Data tab.")
            .arg(QString::fromStdString(model->datasetName), QString::fromStdString(dataset->name));
    }
    return {};
}

void EmbeddingsView::startProjection(const TrainedModelPtr& model, bool animate, bool live) {
    if (!model) {
        m_runner->cancel();
        m_xy.reset();
        m_shown.reset();
        m_map->clear(tr("No model yet. Train one in the Train tab, or open a saved model "
                        "(File → Open model), to see where it puts every movie."));
        m_neighbourModel->clear();
        m_status->clear();
        updateQueryOverlay();
        return;
    }
    ProjectionRequest request;
    request.method = m_method;
    if (m_points == Points::Movies) {
        request.points = model->candidateEmbeddings;
        if (m_method == ProjectionMethod::Pca) {
            request.companions = queryEmbedding(*model, m_query->query());
            request.companionsAtPointScale = true;
        }
    } else {
        const QString problem = userMapProblem(model);
        if (!problem.isEmpty()) {
            m_runner->cancel();
            m_xy.reset();
            m_shown = model;
            m_map->clear(problem);
            m_status->setText(tr("No user map"));
            return;
        }
        const auto dataset = m_query->dataset();
        if (dataset != m_usersDataset) {
            m_users = datasetUserQueries(*dataset);
            m_usersDataset = dataset;
        }
        request.points = userQueryEmbeddings(*model, m_users);
    }
    if (request.points.rows() < 2) {
        m_runner->cancel();
        m_xy.reset();
        m_map->clear(tr("There are fewer than two points to map."));
        return;
    }
    request.perplexity = m_perplexity->value();
    request.iterations = m_iterations->value();
    // One core stays free for the GUI thread (OpenMP workers spin while they wait, and would
    // starve it on a small machine); live frames get one thread, training has the rest.
    request.threads = live ? 1 : std::max(1, QThread::idealThreadCount() - 1);
    request.measureTrustworthiness = !live;
    const bool sameKind = m_xy && m_xyPoints == m_points && m_xyMethod == m_method &&
                          m_xy->rows() == request.points.rows();
    if (sameKind && animate) {
        request.alignWith = *m_xy;
    }
    m_cancelRequested = false;
    m_projecting = model;
    m_projectingAnimate = sameKind && animate;
    m_projectingPoints = m_points;
    if (!m_xy) {
        m_map->clear(m_method == ProjectionMethod::Tsne ? tr("Computing the t-SNE map…")
                                                        : tr("Computing the map…"));
    }
    m_runner->start(std::move(request));
    m_progress->show();
    m_cancel->setVisible(!live);
}

void EmbeddingsView::onProgress(int done, int total, const QString& text) {
    m_progress->setRange(0, total);
    m_progress->setValue(done);
    m_status->setText(text);
}

void EmbeddingsView::onProjected(const ProjectionResult& result) {
    m_progress->hide();
    m_cancel->hide();
    if (m_projectingPoints != m_points || result.method != m_method) {
        return; // settings changed since; a newer projection is on its way
    }
    const bool catalogueChanged =
        !m_shown || !m_projecting || m_shown->catalogue.size() != m_projecting->catalogue.size();
    m_shown = m_projecting;
    m_xy = result.xy;
    m_xyPoints = m_points;
    m_xyMethod = result.method;
    m_pcaQuery.reset();
    if (result.companions.rows() == 1) {
        m_pcaQuery = QPointF(result.companions(0, 0), result.companions(0, 1));
    }
    if (catalogueChanged || !m_projectingAnimate) {
        const MapColouring colouring = currentColouring();
        m_map->setPoints(toPoints(result.xy), colouring.groups, colouring.groupOf);
    } else {
        m_map->setPositions(toPoints(result.xy), true); // same points, same colours: glide
    }
    m_map->setTitle((m_points == Points::Movies ? tr("%1 movies · %2 of the model after %3")
                                                : tr("%1 users · %2 of the model after %3"))
                        .arg(result.xy.rows())
                        .arg(result.method == ProjectionMethod::Pca ? tr("PCA") : tr("t-SNE"))
                        .arg(countText(m_shown->epochsTrained, tr("epoch"), tr("epochs"))));
    applySizes();
    updateQueryOverlay();
    updateSelection();
    updateSearch();
    QString status = result.summary;
    if (result.trustworthiness) {
        status += tr(" · trustworthiness@10 %1").arg(*result.trustworthiness, 0, 'f', 3);
    }
    status += tr(" · %1 s").arg(result.seconds, 0, 'f', 2);
    if (m_liveBox->isChecked() && m_shown != m_query->model()) {
        status += tr(" · live: training snapshot after epoch %1").arg(m_shown->epochsTrained);
    }
    m_summary = status;
    m_status->setText(status);
    emit projectionShown();
    if (m_livePending && m_liveBox->isChecked()) {
        m_livePending = false;
        startProjection(m_model, true, true);
    }
}

MapColouring EmbeddingsView::currentColouring() const {
    const int index = std::max(0, m_colourBox->currentIndex());
    if (!m_shown) {
        return {};
    }
    if (m_points == Points::Movies) {
        return colourMovies(m_shown->catalogue, static_cast<MovieColouring>(index));
    }
    if (m_usersDataset) {
        return colourUsers(*m_usersDataset, m_users, static_cast<UserColouring>(index));
    }
    return {};
}

void EmbeddingsView::applyColouring() {
    if (!m_shown || !m_xy) {
        return;
    }
    const MapColouring colouring = currentColouring();
    m_map->setGroups(colouring.groups, colouring.groupOf);
}

void EmbeddingsView::applySizes() {
    const bool sized = m_sizeBox->isChecked() && m_points == Points::Movies && m_shown;
    m_map->setSizes(sized ? popularitySizes(m_shown->catalogue) : std::vector<double>{});
}

void EmbeddingsView::updateQueryOverlay() {
    const UserQuery& query = m_query->query();
    QString who = describeQuery(query);
    if (m_query->realUser() >= 0) {
        who = tr("user %1: %2").arg(m_query->realUser()).arg(who);
    }
    if (!m_shown || !m_xy || m_points != Points::Movies) {
        m_map->setRecommended({});
        m_map->setQueryMarker(std::nullopt);
        m_queryText->setText(m_points == Points::Users
                                 ? tr("%1<br>The query is shown on the movie map.").arg(who)
                                 : who);
        return;
    }
    const std::vector<ScoredMovie> top = recommend(*m_shown, query, kRecommended);
    std::vector<int> ids;
    ids.reserve(top.size());
    for (const ScoredMovie& s : top) {
        ids.push_back(s.movie);
    }
    m_map->setRecommended(ids);
    std::optional<QPointF> marker;
    QString placement;
    if (m_xyMethod == ProjectionMethod::Pca) {
        marker = m_pcaQuery;
        placement = tr("The ★ is the query's vector, scaled to the movies' mean length (which "
                       "keeps its ranking), through the same PCA; the top %1 need not sit next "
                       "to it.")
                        .arg(kRecommended);
    } else if (!top.empty()) {
        // t-SNE has no mapping for a new point: stand in the middle of its best movies.
        QPointF sum;
        const std::size_t anchors = std::min<std::size_t>(kQueryAnchors, top.size());
        for (std::size_t i = 0; i < anchors; ++i) {
            const auto r = static_cast<Eigen::Index>(top[i].movie);
            sum += QPointF((*m_xy)(r, 0), (*m_xy)(r, 1));
        }
        marker = sum / static_cast<double>(anchors);
        placement = tr("t-SNE cannot place a new point: the ★ sits at the mean position of the "
                       "query's top %1 movies.")
                        .arg(anchors);
    }
    m_map->setQueryMarker(marker);
    m_queryText->setText(tr("%1<br>Black rings: its top %2 movies. %3")
                             .arg(who.toHtmlEscaped())
                             .arg(kRecommended)
                             .arg(placement));
}

void EmbeddingsView::onMovieSelected(int) {
    updateSelection();
}

void EmbeddingsView::updateSelection() {
    if (m_points == Points::Users) {
        m_map->setSelection(m_selectedUser, {});
        m_neighbourModel->clear();
        showUserDetails(m_selectedUser);
        return;
    }
    const int movie = m_query->selectedMovie();
    const bool valid = m_shown && m_xy && movie >= 0 &&
                       static_cast<std::size_t>(movie) < m_shown->catalogue.size();
    m_showInScores->setEnabled(valid);
    if (!valid) {
        m_map->setSelection(-1, {});
        m_neighbourModel->clear();
        m_selectedTitle->setText(tr("Click a point to select it."));
        m_selectedDetails->clear();
        return;
    }
    std::vector<ScoredMovie> neighbours = nearestMovies(*m_shown, movie, kNeighbours, m_similarity);
    std::vector<int> ids;
    for (const ScoredMovie& n : neighbours) {
        ids.push_back(n.movie);
    }
    m_map->setSelection(movie, ids);
    m_neighbourModel->setNeighbours(m_shown, movie, std::move(neighbours), m_similarity);
    const Catalogue& c = m_shown->catalogue;
    const auto m = static_cast<std::size_t>(movie);
    m_selectedTitle->setText(QString::fromStdString(c.titles[m]));
    m_selectedDetails->setText(
        tr("%1 · %2 · %3 in the training split")
            .arg(c.years[m] > 0 ? QString::number(c.years[m]) : tr("year unknown"))
            .arg(genreList(c, m))
            .arg(countText(c.popularity[m], tr("rating"), tr("ratings"))));
}

void EmbeddingsView::showUserDetails(int point) {
    const bool valid =
        point >= 0 && static_cast<std::size_t>(point) < m_users.size() && m_usersDataset != nullptr;
    m_useAsQuery->setEnabled(valid);
    if (!valid) {
        m_selectedTitle->setText(tr("Click a user to select them."));
        m_selectedDetails->clear();
        return;
    }
    const DatasetUserQuery& q = m_users[static_cast<std::size_t>(point)];
    const User& user = m_usersDataset->users[static_cast<std::size_t>(q.user)];
    m_selectedTitle->setText(tr("User %1").arg(user.id));
    m_selectedDetails->setText(describeQuery(q.query) +
                               tr("<br>(the date is the median of their ratings)"));
}

void EmbeddingsView::clickPoint(int point) {
    if (!m_xy || point < 0 || point >= m_xy->rows()) {
        return;
    }
    if (m_points == Points::Movies) {
        m_query->selectMovie(point); // movieSelected() updates the list and the map
    } else {
        m_selectedUser = point;
        updateSelection();
    }
}

void EmbeddingsView::updateSearch() {
    const QString text = m_search->text().trimmed();
    if (text.isEmpty() || !m_shown || !m_xy || m_points != Points::Movies) {
        m_map->setSearchMatches({});
        m_searchCount->clear();
        return;
    }
    const std::vector<std::int32_t> matches =
        searchTitles(*m_shown, text.toStdString(), m_shown->catalogue.size());
    m_map->setSearchMatches(std::vector<int>(matches.begin(), matches.end()));
    m_searchCount->setText(countText(static_cast<int>(matches.size()), tr("match"), tr("matches")));
}

void EmbeddingsView::updateCaption() {
    QString text =
        tr("A map squeezes every vector into two dimensions. Points close together are usually "
           "similar to the model, but distances are distorted, and the model ranks movies by "
           "dot products, which no 2-D map preserves: trust the nearest-neighbours list over "
           "the picture.");
    if (m_method == ProjectionMethod::Tsne) {
        text += tr(" t-SNE keeps neighbourhoods; gaps and sizes of clusters mean little.");
    }
    if (m_liveBox->isChecked()) {
        text += tr(" Live: each frame is rotated, mirrored and scaled onto the previous one "
                   "(Procrustes), so movement is change in the model, not in the picture.");
    }
    m_caption->setText(text);
}

void EmbeddingsView::onHovered(int point, const QPoint& globalPosition) {
    if (point < 0 || !m_shown) {
        QToolTip::hideText();
        return;
    }
    const QString text = m_points == Points::Movies ? movieTooltip(point) : userTooltip(point);
    QToolTip::showText(globalPosition, text, m_map);
}

QString EmbeddingsView::movieTooltip(int movie) const {
    const Catalogue& c = m_shown->catalogue;
    if (movie < 0 || static_cast<std::size_t>(movie) >= c.size()) {
        return {};
    }
    const auto m = static_cast<std::size_t>(movie);
    return tr("<b>%1</b><br>%2 · %3<br>popularity: %4 in the training split")
        .arg(QString::fromStdString(c.titles[m]).toHtmlEscaped(),
             c.years[m] > 0 ? QString::number(c.years[m]) : tr("year unknown"),
             genreList(c, m).toHtmlEscaped(),
             countText(c.popularity[m], tr("rating"), tr("ratings")));
}

QString EmbeddingsView::userTooltip(int point) const {
    if (point < 0 || static_cast<std::size_t>(point) >= m_users.size() || !m_usersDataset) {
        return {};
    }
    const DatasetUserQuery& q = m_users[static_cast<std::size_t>(point)];
    return tr("<b>User %1</b><br>%2")
        .arg(m_usersDataset->users[static_cast<std::size_t>(q.user)].id)
        .arg(describeQuery(q.query));
}

bool EmbeddingsView::exportMapImage(const QString& path, QString* error) {
    return m_map->exportImage(path, error);
}

bool EmbeddingsView::exportProjector(const QString& folder, Points points, QString* error) {
    const TrainedModelPtr model = m_shown ? m_shown : m_model;
    if (!model) {
        *error = tr("There is no model yet: train one or open one first.");
        return false;
    }
    try {
        if (points == Points::Movies) {
            const Catalogue& c = model->catalogue;
            std::vector<std::vector<std::string>> rows;
            rows.reserve(c.size());
            for (std::size_t m = 0; m < c.size(); ++m) {
                rows.push_back({c.titles[m], std::to_string(c.movieIds[m]),
                                c.years[m] > 0 ? std::to_string(c.years[m]) : std::string(),
                                genreList(c, m)
                                    .replace(QStringLiteral(", "), QStringLiteral("|"))
                                    .toStdString(),
                                std::to_string(c.popularity[m])});
            }
            writeProjectorTsv(model->candidateEmbeddings,
                              {"title", "movie_id", "year", "genres", "popularity"}, rows,
                              folder.toStdString());
            return true;
        }
        const QString problem = userMapProblem(model);
        if (!problem.isEmpty()) {
            *error = problem;
            return false;
        }
        const auto dataset = m_query->dataset();
        const std::vector<DatasetUserQuery> users = datasetUserQueries(*dataset);
        std::vector<std::vector<std::string>> rows;
        rows.reserve(users.size());
        for (const DatasetUserQuery& q : users) {
            const User& user = dataset->users[static_cast<std::size_t>(q.user)];
            rows.push_back({std::to_string(user.id),
                            user.ageBucket >= 0 ? ageBucketLabel(user.ageBucket) : std::string(),
                            occupationText(user.occupationLabel).toStdString(),
                            user.gender == 1 ? "M" : (user.gender == 0 ? "F" : ""),
                            std::to_string(q.query.timestamp)});
        }
        writeProjectorTsv(userQueryEmbeddings(*model, users),
                          {"user_id", "age_group", "occupation", "gender", "median_timestamp"},
                          rows, folder.toStdString());
        return true;
    } catch (const std::exception& e) {
        *error = QString::fromStdString(e.what());
        return false;
    }
}

void EmbeddingsView::chooseExport(int what) {
    QSettings settings;
    const QString dir =
        settings
            .value(QStringLiteral("dirs/exports"),
                   QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
            .toString();
    QString error;
    QString done;
    if (what == ExportPng || what == ExportSvg) {
        const QString suffix = what == ExportPng ? QStringLiteral("png") : QStringLiteral("svg");
        QString path = QFileDialog::getSaveFileName(
            this, tr("Export the map"),
            QDir(dir).filePath(QStringLiteral("towerlab-map.") + suffix),
            what == ExportPng ? tr("PNG images (*.png)") : tr("SVG images (*.svg)"));
        if (path.isEmpty()) {
            return;
        }
        if (QFileInfo(path).suffix().isEmpty()) {
            path += QLatin1Char('.') + suffix;
        }
        settings.setValue(QStringLiteral("dirs/exports"), QFileInfo(path).absolutePath());
        if (exportMapImage(path, &error)) {
            done = tr("Map saved to %1").arg(QDir::toNativeSeparators(path));
        }
    } else {
        const QString folder = QFileDialog::getExistingDirectory(
            this, tr("Folder for vectors.tsv and metadata.tsv"), dir);
        if (folder.isEmpty()) {
            return;
        }
        settings.setValue(QStringLiteral("dirs/exports"), folder);
        const Points points = what == ExportMovieVectors ? Points::Movies : Points::Users;
        if (exportProjector(folder, points, &error)) {
            done = tr("vectors.tsv and metadata.tsv written to %1 (load them at "
                      "projector.tensorflow.org)")
                       .arg(QDir::toNativeSeparators(folder));
        }
    }
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Export failed"), error);
        return;
    }
    emit message(done);
}

} // namespace towerlab
