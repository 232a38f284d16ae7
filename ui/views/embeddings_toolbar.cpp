#include "views/embeddings_toolbar.hpp"

#include "projection/tsne_subsample.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace towerlab {

using Points = EmbeddingsController::Points;

EmbeddingsToolbar::EmbeddingsToolbar(bool canGoLive, QWidget* parent) : QWidget(parent) {
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
    m_fullRunBox = new QCheckBox(tr("All points"));
    m_fullRunBox->setObjectName(QStringLiteral("tsneFullRun"));
    m_fullRunBox->setToolTip(
        tr("t-SNE: map every point however many there are. Off, a set of more than %L1 points "
           "maps its %L1 most-rated movies (a random sample of users) and places the rest near "
           "their nearest mapped neighbours, because a full run takes over a minute")
            .arg(kTsneFullRunLimit));
    m_sizeBox = new QCheckBox(tr("Size by popularity"));
    m_sizeBox->setObjectName(QStringLiteral("embeddingSize"));
    m_sizeBox->setToolTip(tr("Bigger markers for movies with more ratings in the training split"));
    m_liveBox = new QCheckBox(tr("Live"));
    m_liveBox->setObjectName(QStringLiteral("embeddingLive"));
    m_liveBox->setToolTip(tr("While a model trains, re-project every %1 epochs and move the "
                             "points to their new places")
                              .arg(EmbeddingsController::kLiveEveryEpochs));
    m_liveBox->setEnabled(canGoLive);
    m_search = new QLineEdit;
    m_search->setObjectName(QStringLiteral("embeddingSearch"));
    m_search->setPlaceholderText(tr("Find titles…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMaximumWidth(220);
    m_searchCount = new QLabel;
    auto* resetZoom = new QPushButton(tr("Reset zoom"));
    resetZoom->setObjectName(QStringLiteral("embeddingResetZoom"));
    resetZoom->setToolTip(tr("Wheel: zoom · left drag: zoom to a rectangle · right click: "
                             "zoom out · middle drag or Shift + drag: pan"));
    auto* exportButton = new QToolButton;
    exportButton->setText(tr("Export"));
    exportButton->setPopupMode(QToolButton::InstantPopup);
    auto* exportMenu = new QMenu(exportButton);
    exportMenu->addAction(tr("Map as PNG…"), this, [this] { emit exportChosen(Export::MapPng); });
    exportMenu->addAction(tr("Map as SVG…"), this, [this] { emit exportChosen(Export::MapSvg); });
    exportMenu->addSeparator();
    exportMenu->addAction(tr("Movie vectors for the Embedding Projector…"), this,
                          [this] { emit exportChosen(Export::MovieVectors); });
    exportMenu->addAction(tr("User vectors for the Embedding Projector…"), this,
                          [this] { emit exportChosen(Export::UserVectors); });
    exportButton->setMenu(exportMenu);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Map")));
    controls->addWidget(m_pointsBox);
    controls->addWidget(m_methodBox);
    controls->addWidget(m_perplexity);
    controls->addWidget(m_iterations);
    controls->addWidget(m_fullRunBox);
    controls->addSpacing(8);
    controls->addWidget(new QLabel(tr("Colour by")));
    controls->addWidget(m_colourBox);
    controls->addWidget(m_sizeBox);
    controls->addWidget(m_liveBox);
    controls->addSpacing(8);
    controls->addWidget(m_search);
    controls->addWidget(m_searchCount);
    controls->addStretch(1);
    controls->addWidget(resetZoom);
    controls->addWidget(exportButton);

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

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(controls);
    layout->addLayout(statusRow);

    connect(m_pointsBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { emit pointsChosen(index == 1 ? Points::Users : Points::Movies); });
    connect(m_methodBox, &QComboBox::currentIndexChanged, this, [this](int index) {
        emit methodChosen(index == 1 ? ProjectionMethod::Tsne : ProjectionMethod::Pca);
    });
    auto tsneEdited = [this] {
        emit tsneSettingsEdited(m_perplexity->value(), m_iterations->value());
    };
    connect(m_perplexity, &QDoubleSpinBox::editingFinished, this, tsneEdited);
    connect(m_iterations, &QSpinBox::editingFinished, this, tsneEdited);
    connect(m_colourBox, &QComboBox::currentIndexChanged, this,
            [this](int index) { emit colouringChosen(std::max(0, index)); });
    connect(m_fullRunBox, &QCheckBox::toggled, this, &EmbeddingsToolbar::tsneFullRunToggled);
    connect(m_sizeBox, &QCheckBox::toggled, this, &EmbeddingsToolbar::sizeToggled);
    connect(m_liveBox, &QCheckBox::toggled, this, &EmbeddingsToolbar::liveToggled);
    connect(m_search, &QLineEdit::textChanged, this, &EmbeddingsToolbar::searchEdited);
    connect(resetZoom, &QPushButton::clicked, this, &EmbeddingsToolbar::resetZoomClicked);
    connect(m_cancel, &QPushButton::clicked, this, &EmbeddingsToolbar::cancelClicked);

    m_colourBox->addItems({tr("Genre (first)"), tr("Release decade"), tr("Popularity")});
    m_perplexity->setEnabled(false);
    m_iterations->setEnabled(false);
    m_fullRunBox->setEnabled(false);
}

void EmbeddingsToolbar::showSettings(const EmbeddingsController& settings) {
    const QSignalBlocker points(m_pointsBox);
    const QSignalBlocker method(m_methodBox);
    const QSignalBlocker colour(m_colourBox);
    const QSignalBlocker live(m_liveBox);
    const QSignalBlocker fullRun(m_fullRunBox);
    const bool movies = settings.points() == Points::Movies;
    m_pointsBox->setCurrentIndex(movies ? 0 : 1);
    const bool tsne = settings.method() == ProjectionMethod::Tsne;
    m_methodBox->setCurrentIndex(tsne ? 1 : 0);
    m_perplexity->setEnabled(tsne);
    m_iterations->setEnabled(tsne);
    m_fullRunBox->setEnabled(tsne);
    m_fullRunBox->setChecked(settings.tsneFullRun());
    if (m_perplexity->value() != settings.perplexity()) {
        m_perplexity->setValue(settings.perplexity());
    }
    if (m_iterations->value() != settings.iterations()) {
        m_iterations->setValue(settings.iterations());
    }
    if (movies != m_showingMovies) {
        m_showingMovies = movies;
        m_colourBox->clear();
        if (movies) {
            m_colourBox->addItems({tr("Genre (first)"), tr("Release decade"), tr("Popularity")});
        } else {
            m_colourBox->addItems({tr("Age group"), tr("Occupation"), tr("Gender")});
        }
    }
    m_colourBox->setCurrentIndex(settings.colouring());
    m_sizeBox->setEnabled(movies);
    m_search->setEnabled(movies);
    m_liveBox->setChecked(settings.isLive());
}

void EmbeddingsToolbar::setSearchText(const QString& text) {
    m_search->setText(text);
}

void EmbeddingsToolbar::setSizeByPopularity(bool on) {
    m_sizeBox->setChecked(on);
}

QString EmbeddingsToolbar::searchText() const {
    return m_search->text();
}

bool EmbeddingsToolbar::sizeByPopularity() const {
    return m_sizeBox->isChecked();
}

void EmbeddingsToolbar::setSearchCount(const QString& text) {
    m_searchCount->setText(text);
}

void EmbeddingsToolbar::setBusy(bool busy, bool cancellable) {
    m_progress->setVisible(busy);
    m_cancel->setVisible(busy && cancellable);
}

void EmbeddingsToolbar::setProgress(int done, int total) {
    m_progress->setRange(0, total);
    m_progress->setValue(done);
}

void EmbeddingsToolbar::setStatus(const QString& text) {
    m_status->setText(text);
}

QString EmbeddingsToolbar::statusText() const {
    return m_status->text();
}

} // namespace towerlab
