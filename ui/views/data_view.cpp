#include "views/data_view.hpp"

#include "charts/distribution_chart.hpp"
#include "controllers/dataset_controller.hpp"
#include "models/movie_filter_proxy.hpp"
#include "models/movie_table_model.hpp"
#include "views/feature_availability_text.hpp"
#include "views/query_text.hpp"

#include "controllers/split_preview.hpp"
#include "data/split.hpp"
#include "model/training_split.hpp"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QProgressBar>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace towerlab {

namespace {

// The summary's age bins carry the core's labels ("25-34"); the GUI says age groups one way
// everywhere (ageGroupText: "25–34").
std::vector<CountBin> withAgeGroupText(std::vector<CountBin> bins) {
    for (CountBin& bin : bins) {
        for (const int bucket : ageBuckets()) {
            if (bin.label == ageBucketLabel(bucket)) {
                bin.label = ageGroupText(bucket).toStdString();
                break;
            }
        }
    }
    return bins;
}

} // namespace

DataView::DataView(DatasetController* data, const QList<QAction*>& sourceActions, QWidget* parent)
    : QWidget(parent), m_data(data) {
    // Header: what is loaded, and the ways to load something else.
    m_title = new QLabel;
    m_title->setObjectName(QStringLiteral("datasetTitle"));
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    m_title->setFont(big);
    m_source = new QLabel;
    m_source->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_source->setWordWrap(true);
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(120);
    m_busy->hide();
    auto* buttons = new QHBoxLayout;
    for (QAction* action : sourceActions) {
        auto* b = new QToolButton;
        b->setDefaultAction(action);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        if (action->menu() != nullptr) {
            // A click runs the action, the arrow offers its menu (e.g. one download per dataset).
            b->setPopupMode(QToolButton::MenuButtonPopup);
        }
        buttons->addWidget(b);
    }
    buttons->addStretch(1);
    auto* titleRow = new QHBoxLayout;
    titleRow->addWidget(m_title);
    titleRow->addWidget(m_busy);
    titleRow->addStretch(1);

    // Summary and distributions.
    m_counts = new QLabel;
    m_counts->setObjectName(QStringLiteral("datasetCounts"));
    m_counts->setTextFormat(Qt::RichText);
    m_counts->setWordWrap(true);
    m_note = new QLabel;
    m_note->setWordWrap(true);
    m_note->setForegroundRole(QPalette::PlaceholderText);
    m_splitPreview = new SplitPreview(this);
    connect(m_splitPreview, &SplitPreview::ready, this, &DataView::showSplit);
    m_split = new QLabel;
    m_split->setObjectName(QStringLiteral("datasetSplit"));
    m_split->setWordWrap(true);
    m_split->setTextFormat(Qt::RichText);
    m_split->setToolTip(tr("Which ratings the next run learns from and which it is tested on, "
                           "as the Train tab's seed, training share and test ratings are set. "
                           "A random split tests on ratings from every month; a split by time "
                           "tests on the latest ratings only."));
    m_features = new QLabel;
    m_features->setObjectName(QStringLiteral("datasetFeatures"));
    m_features->setWordWrap(true);
    m_features->setTextFormat(Qt::RichText);
    m_features->setToolTip(tr("Which inputs of the Train tab's towers this dataset can feed. "
                              "The Train tab offers only these."));
    using O = DistributionChart::Orientation;
    m_perUser = new DistributionChart(tr("Users by number of ratings"),
                                      tr("How many ratings each user gave. The MovieLens "
                                         "datasets keep only users with at least 20."),
                                      O::Horizontal);
    m_stars = new DistributionChart(tr("Ratings by stars"),
                                    tr("The retrieval model ignores the stars: every rating "
                                       "counts as 'this user watched this movie'."),
                                    O::Vertical);
    m_time = new DistributionChart(tr("Ratings over time"),
                                   tr("Ratings per month. The time features let the model see "
                                      "when tastes change. The bars are split as the Train tab's "
                                      "split is: its test ratings in the second colour."),
                                   O::Vertical);
    m_ages = new DistributionChart(
        tr("Users by age group"), tr("The seven age buckets the age feature uses."), O::Horizontal);
    m_genders = new DistributionChart(
        tr("Users by gender"), tr("The gender feature: one learned vector each."), O::Vertical);
    m_occupations = new DistributionChart(tr("Users by occupation"),
                                          tr("The 22 occupation labels the occupation feature "
                                             "uses (those that occur)."),
                                          O::Horizontal);
    m_genres = new DistributionChart(tr("Movies by genre"), tr("A movie can have several genres."),
                                     O::Horizontal);
    auto* chartsWidget = new QWidget;
    auto* grid = new QGridLayout(chartsWidget);
    grid->addWidget(m_counts, 0, 0, 1, 2);
    grid->addWidget(m_note, 1, 0, 1, 2);
    grid->addWidget(m_split, 2, 0, 1, 2);
    grid->addWidget(m_features, 3, 0, 1, 2);
    grid->addWidget(m_perUser, 4, 0);
    grid->addWidget(m_stars, 4, 1);
    // Wide charts get the full width: twelve months or twenty-one occupation names do not
    // fit under half of it without being cut.
    grid->addWidget(m_time, 5, 0, 1, 2);
    grid->addWidget(m_ages, 6, 0);
    grid->addWidget(m_genders, 6, 1);
    grid->addWidget(m_genres, 7, 0, 1, 2);
    grid->addWidget(m_occupations, 8, 0, 1, 2);
    grid->setRowStretch(9, 1);
    auto* chartsScroll = new QScrollArea;
    chartsScroll->setObjectName(QStringLiteral("summaryScroll"));
    chartsScroll->setWidget(chartsWidget);
    chartsScroll->setWidgetResizable(true);
    chartsScroll->setFrameShape(QFrame::NoFrame);

    // Movies.
    m_movies = new MovieTableModel(this);
    m_proxy = new MovieFilterProxy(this);
    m_proxy->setSourceModel(m_movies);
    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("movieTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    // The order the loading thread sorts a dataset's movies in (DatasetController::movieOrder).
    m_table->sortByColumn(MovieTableModel::kDefaultSortColumn, MovieTableModel::kDefaultSortOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    // Numbers get the width they need once per dataset (see showDataset); the title takes
    // what is left. Measuring every row on every change would cost on 1,682 movies.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(MovieTableModel::Title, QHeaderView::Stretch);
    m_filter = new QLineEdit;
    m_filter->setObjectName(QStringLiteral("movieFilter"));
    m_filter->setPlaceholderText(tr("Filter titles (accents and case ignored)"));
    m_filter->setClearButtonEnabled(true);
    m_genreFilter = new QComboBox;
    m_genreFilter->setObjectName(QStringLiteral("genreFilter"));
    m_tableCount = new QLabel;
    auto* filterRow = new QHBoxLayout;
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_genreFilter);
    auto* moviesPane = new QWidget;
    auto* moviesLayout = new QVBoxLayout(moviesPane);
    moviesLayout->setContentsMargins(0, 0, 0, 0);
    auto* moviesTitle = new QLabel(tr("<b>Movies</b> — the candidates the model ranks"));
    moviesLayout->addWidget(moviesTitle);
    moviesLayout->addLayout(filterRow);
    moviesLayout->addWidget(m_table, 1);
    moviesLayout->addWidget(m_tableCount);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->addWidget(chartsScroll);
    m_splitter->addWidget(moviesPane);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setSizes({640, 600}); // proportions, kept when the window is resized
    m_splitter->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(titleRow);
    layout->addWidget(m_source);
    layout->addLayout(buttons);
    layout->addWidget(m_splitter, 1);

    connect(m_filter, &QLineEdit::textChanged, m_proxy, &MovieFilterProxy::setTitleFilter);
    connect(m_genreFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_proxy->setGenreFilter(m_genreFilter->currentData().toInt()); });
    auto updateCount = [this] {
        m_tableCount->setText(tr("%1 of %2 movies shown")
                                  .arg(QLocale().toString(m_proxy->rowCount()))
                                  .arg(QLocale().toString(m_movies->rowCount())));
    };
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, updateCount);
    connect(data, &DatasetController::datasetChanged, this, &DataView::showDataset);
    connect(data, &DatasetController::loadingStarted, this, &DataView::showLoading);
    connect(data, &DatasetController::loadingFinished, this, [this] {
        m_busy->hide();
        // After a failed load only the lines showLoading replaced need to come back: the
        // rest still shows the open dataset (redrawing it all cost 30-50 ms at 62,000 movies).
        showSource();
    });
    showLoading(tr("the built-in demo dataset"));
}

void DataView::showLoading(const QString& what) {
    m_busy->show();
    if (!m_data->dataset()) {
        m_title->setText(tr("Loading…"));
    }
    m_source->setText(tr("Loading %1…").arg(what));
}

void DataView::showSource() {
    const auto dataset = m_data->dataset();
    if (!dataset) {
        return;
    }
    m_busy->setVisible(m_data->isLoading());
    m_title->setText(QString::fromStdString(dataset->name));
    const QString path = m_data->path();
    m_source->setText(path.isEmpty()
                          ? tr("Built into TowerLab: %1 invented users and %2 invented movies "
                               "with planted tastes (age, occupation, gender and time decide "
                               "which genres a user picks; new arrivals are watched most on the "
                               "weekend evenings after they arrive), so you can watch a model "
                               "find them.")
                                .arg(dataset->users.size())
                                .arg(dataset->movies.size())
                          : tr("From %1").arg(QDir::toNativeSeparators(path)));
}

void DataView::showDataset() {
    const auto dataset = m_data->dataset();
    const auto summary = m_data->summary();
    if (!dataset || !summary) {
        return;
    }
    showSource();
    const QLocale l;
    const auto day = [](std::int64_t t) {
        return QDateTime::fromSecsSinceEpoch(t, Qt::UTC).date().toString(Qt::ISODate);
    };
    const QString cell =
        QStringLiteral("<td><span style='font-size:x-large'><b>%1</b></span><br>%2</td>");
    QString titles;
    if (summary->distinctTitles != summary->movies) {
        titles =
            tr(" (%1 titles)").arg(l.toString(static_cast<qulonglong>(summary->distinctTitles)));
    }
    m_counts->setText(
        QStringLiteral("<table cellspacing=10><tr>") +
        cell.arg(l.toString(static_cast<qulonglong>(summary->users)), tr("users")) +
        cell.arg(l.toString(static_cast<qulonglong>(summary->movies)), tr("movies") + titles) +
        cell.arg(l.toString(static_cast<qulonglong>(summary->ratings)), tr("ratings")) +
        cell.arg(QString::number(summary->meanRating, 'f', 2), tr("mean stars")) +
        cell.arg(summary->ratings > 0 ? day(summary->firstTimestamp) : QStringLiteral("–"),
                 summary->ratings > 0 ? tr("to %1").arg(day(summary->lastTimestamp)) : QString()) +
        QStringLiteral("</tr></table>"));
    m_note->setText(tr("The model learns from which movies each user rated, not from the stars. "
                       "Training holds out part of the ratings (20% by default) as a test set "
                       "it never learns from."));
    const auto features = m_data->features();
    m_features->setText(features ? featureAvailabilityHtml(*features)
                                 : featureAvailabilityHtml(*dataset));
    const QString noDemographics = tr("(this dataset has no user demographics)");
    m_perUser->setBins(summary->ratingsPerUser);
    m_stars->setBins(summary->stars);
    m_time->setBins(summary->ratingsByMonth);
    if (const auto& shown = m_splitPreview->current(); shown && shown->dataset == dataset) {
        showSplit(*shown); // the bars were replaced: their parts go back on
    } else {
        m_split->setText(tr("<b>Train/test split</b>: working it out…"));
    }
    requestSplit();
    m_ages->setBins(withAgeGroupText(summary->ageGroups), noDemographics);
    m_genders->setBins(summary->genders, noDemographics);
    m_occupations->setBins(summary->occupations, noDemographics);
    m_genres->setBins(summary->genres);
    // Qt Charts hides a category label that gets less height than its text box (about
    // 22 pixels at normal size), so these charts grow with their number of bars.
    const int rowHeight = fontMetrics().height() + 10;
    m_occupations->setMinimumHeight(
        std::max<int>(260, rowHeight * static_cast<int>(summary->occupations.size()) + 90));
    m_genres->setMinimumHeight(
        std::max<int>(260, rowHeight * static_cast<int>(summary->genres.size()) + 90));
    m_movies->setDataset(dataset, summary, m_data->movieTexts(), m_data->movieOrder());
    // Numeric columns sized from their widest value, not by measuring rows: fitting 1,000 rows'
    // text took most of a 75 ms GUI-thread stall when 1M-sized data opened.
    std::int64_t maxId = 0;
    for (const Movie& movie : dataset->movies) {
        maxId = std::max(maxId, movie.id);
    }
    int maxCount = 0;
    for (const int count : summary->movieRatingCounts) {
        maxCount = std::max(maxCount, count);
    }
    const QFontMetrics metrics = m_table->fontMetrics();
    const QFontMetrics header = m_table->horizontalHeader()->fontMetrics();
    const auto fit = [&](int column, const QString& widest) {
        const QString title = m_movies->headerData(column, Qt::Horizontal).toString();
        // Room for the cell margins and the header's sort arrow.
        m_table->setColumnWidth(column, std::max(metrics.horizontalAdvance(widest) + 16,
                                                 header.horizontalAdvance(title) + 28));
    };
    fit(MovieTableModel::Id, QString::number(maxId));
    fit(MovieTableModel::Year, QStringLiteral("0000"));
    fit(MovieTableModel::Ratings, QString::number(maxCount));
    fit(MovieTableModel::MeanRating, QStringLiteral("0.00"));
    m_table->setColumnWidth(MovieTableModel::Genres, m_table->fontMetrics().horizontalAdvance(
                                                         QStringLiteral("Adventure, Sci-Fi__")));
    const int previous =
        m_genreFilter->currentData().isValid() ? m_genreFilter->currentData().toInt() : -1;
    {
        const QSignalBlocker block(m_genreFilter);
        m_genreFilter->clear();
        m_genreFilter->addItem(tr("All genres"), -1);
        for (std::size_t g = 0; g < dataset->genreNames.size(); ++g) {
            m_genreFilter->addItem(QString::fromStdString(dataset->genreNames[g]),
                                   static_cast<int>(g));
        }
        const int index = m_genreFilter->findData(previous);
        m_genreFilter->setCurrentIndex(index >= 0 ? index : 0);
    }
    m_proxy->setGenreFilter(m_genreFilter->currentData().toInt());
}

void DataView::setSplitSettings(const TrainConfig& settings) {
    m_splitSettings = settings;
    requestSplit();
}

void DataView::requestSplit() {
    m_splitPreview->request(m_data->dataset(), m_splitSettings);
}

void DataView::showSplit(const SplitPreviewResult& result) {
    if (result.dataset != m_data->dataset()) {
        return; // for a dataset no longer shown; the current one's is on its way
    }
    const TrainConfig& t = result.settings;
    const QString heading = tr("<b>Train/test split</b> (as the Train tab is set): ");
    if (!result.overview) {
        m_split->setText(heading + tr("none: %1").arg(result.error.toHtmlEscaped()));
        m_time->setParts({}, {}, {});
        return;
    }
    const SplitOverview& o = *result.overview;
    const QLocale l;
    const QString train = l.toString(static_cast<qulonglong>(o.train));
    const QString test = l.toString(static_cast<qulonglong>(o.test));
    const auto moment = [](std::int64_t ts) {
        return QDateTime::fromSecsSinceEpoch(ts, Qt::UTC)
                   .toString(QStringLiteral("yyyy-MM-dd hh:mm:ss")) +
               QStringLiteral(" UTC");
    };
    const QString trainName = tr("training ratings");
    const QString testName = tr("test ratings");
    if (t.split == SplitKind::Time) {
        const QString cut = moment(o.firstTestTimestamp);
        QString text =
            heading + tr("<b>by time</b> — the <b>%1</b> earliest ratings train, the <b>%2</b> "
                         "latest test. <b>The cut: %3</b>; the last training rating is of %4. "
                         "Nothing after the cut is learned from: the model must predict what "
                         "comes next.")
                          .arg(train, test, cut, moment(o.lastTrainTimestamp));
        if (o.lastTrainTimestamp == o.firstTestTimestamp) {
            text += tr(" Ratings made in the very second of the cut fall on both sides, the "
                       "earlier in the file training.");
        }
        m_split->setText(text);
        const QString cutDay = QDateTime::fromSecsSinceEpoch(o.firstTestTimestamp, Qt::UTC)
                                   .date()
                                   .toString(Qt::ISODate);
        m_time->setParts(o.testByMonth, trainName, testName, tr("test from %1 on").arg(cutDay));
    } else {
        m_split->setText(heading + tr("<b>random</b>, seed %1 — <b>%2</b> ratings train, "
                                      "<b>%3</b> test, drawn from every month: the model also "
                                      "learns from ratings made after some it is tested on.")
                                       .arg(t.seed)
                                       .arg(train, test));
        m_time->setParts(o.testByMonth, trainName, testName, tr("test ratings from every month"));
    }
}

void DataView::saveSettings(QSettings& s) const {
    s.setValue(QStringLiteral("dataView/splitter"), m_splitter->saveState());
}

void DataView::loadSettings(const QSettings& s) {
    m_splitter->restoreState(s.value(QStringLiteral("dataView/splitter")).toByteArray());
}

} // namespace towerlab
