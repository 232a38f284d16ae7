#pragma once
// The current dataset. Loading (reading files or generating the demo) and summarising run on
// a pool thread through QtConcurrent; the GUI gets the result, or the core's error message
// (which names file, line and field), through signals. Lives on the GUI thread.

#include "data/dataset.hpp"
#include "data/dataset_summary.hpp"
#include "data/ratings_by_user.hpp"
#include "data/user_lookup.hpp"
#include "model/feature_availability.hpp"
#include "models/movie_order.hpp"
#include "models/movie_texts.hpp"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>
#include <string>

namespace towerlab {

struct LoadedDataset {
    std::shared_ptr<const Dataset> dataset;
    std::shared_ptr<const DatasetSummary> summary;
    std::shared_ptr<const MovieTexts> movieTexts; // for the Data tab's table
    // Its movies in the table's first order (MovieTableModel::kDefaultSortColumn): sorting
    // 62,000 movies took about 20 ms of GUI thread when a dataset opened.
    std::shared_ptr<const MovieOrder> movieOrder;
    // Which model features it can feed, asked by the Data tab, the Train form and the
    // Recommend forms; some checks scan every user.
    std::shared_ptr<const FeatureAvailability> features;
    std::shared_ptr<const RatingsByUser> ratingsByUser; // for the real-user picker
    // A user's index from their id, for the Recommend tab and its real-user picker: made here
    // once instead of once by each.
    std::shared_ptr<const UserLookup> userLookup;
    QString error; // set instead of dataset when loading failed
    QString path;  // empty for the built-in demo
    // Dataset::fingerprint(), hashed on the loading thread: it reads every rating, which on a
    // large dataset is too slow for the GUI thread.
    std::string fingerprint;
};

class DatasetController : public QObject {
    Q_OBJECT

public:
    explicit DatasetController(QObject* parent = nullptr);
    ~DatasetController() override;

    // Start loading; a load started later supersedes one still running (its result is
    // dropped). Both return at once.
    void loadDemo();
    // `alreadyRead`, when given, is the dataset of that folder as it was just read (by an
    // install): it is summarised, not read again.
    void open(const QString& folderOrZip, std::shared_ptr<Dataset> alreadyRead = {});

    bool isLoading() const { return m_watcher.isRunning(); }
    std::shared_ptr<const Dataset> dataset() const { return m_current.dataset; }
    std::shared_ptr<const DatasetSummary> summary() const { return m_current.summary; }
    std::shared_ptr<const MovieTexts> movieTexts() const { return m_current.movieTexts; }
    std::shared_ptr<const MovieOrder> movieOrder() const { return m_current.movieOrder; }
    std::shared_ptr<const FeatureAvailability> features() const { return m_current.features; }
    std::shared_ptr<const RatingsByUser> ratingsByUser() const { return m_current.ratingsByUser; }
    std::shared_ptr<const UserLookup> userLookup() const { return m_current.userLookup; }
    QString path() const { return m_current.path; }
    const std::string& fingerprint() const { return m_current.fingerprint; }

signals:
    void loadingStarted(const QString& what);
    void datasetChanged(const std::shared_ptr<const towerlab::Dataset>& dataset);
    void loadFailed(const QString& what, const QString& message);
    void loadingFinished();

private:
    void startLoad(const QString& what, const QString& path,
                   std::shared_ptr<Dataset> alreadyRead = {});
    void onFinished();

    QFutureWatcher<LoadedDataset> m_watcher;
    LoadedDataset m_current;
    QString m_loadingWhat;
    QString m_pendingPath;
    std::shared_ptr<Dataset> m_pendingDataset;
    bool m_pending = false;
};

} // namespace towerlab
