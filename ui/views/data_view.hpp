#pragma once
// The Data tab: which dataset is loaded and how to load another, its summary (counts and
// small distribution charts) and a sortable, filterable table of its movies.

#include "model/model_config.hpp"

#include <QWidget>

class QAction;
class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QSettings;
class QSplitter;
class QTableView;

namespace towerlab {

class DatasetController;
class DistributionChart;
class MovieFilterProxy;
class MovieTableModel;
class SplitPreview;
struct SplitPreviewResult;

class DataView : public QWidget {
    Q_OBJECT

public:
    // The actions are the File menu's (demo, open folder, open zip, download), shown here as
    // buttons so the tab explains itself.
    DataView(DatasetController* data, const QList<QAction*>& sourceActions,
             QWidget* parent = nullptr);

    MovieTableModel* movieModel() const { return m_movies; }
    MovieFilterProxy* movieProxy() const { return m_proxy; }
    QTableView* movieTable() const { return m_table; }

    // The train/test split to show (its kind, seed and train fraction; the rest is ignored):
    // the Train form's, so the tab says what the next run will learn from and test on. The
    // split is built off the GUI thread by the function the trainer uses (splitForTraining).
    void setSplitSettings(const TrainConfig& settings);
    SplitPreview* splitPreview() const { return m_splitPreview; }
    QLabel* splitLabel() const { return m_split; }
    DistributionChart* timeChart() const { return m_time; }

    void saveSettings(QSettings& settings) const;
    void loadSettings(const QSettings& settings);

private:
    void showDataset();
    // The title and the source line (which showLoading replaces while a load runs).
    void showSource();
    void showLoading(const QString& what);
    void requestSplit();
    void showSplit(const SplitPreviewResult& result);

    DatasetController* m_data;
    QLabel* m_title;
    QLabel* m_source;
    QProgressBar* m_busy;
    QLabel* m_counts;
    QLabel* m_note;
    QLabel* m_split; // the train/test split of the Train form's settings
    TrainConfig m_splitSettings;
    SplitPreview* m_splitPreview;
    QLabel* m_features; // which model features the dataset can feed, and why not the others
    DistributionChart* m_perUser;
    DistributionChart* m_stars;
    DistributionChart* m_time;
    DistributionChart* m_ages;
    DistributionChart* m_genders;
    DistributionChart* m_occupations;
    DistributionChart* m_genres;
    MovieTableModel* m_movies;
    MovieFilterProxy* m_proxy;
    QTableView* m_table;
    QLineEdit* m_filter;
    QComboBox* m_genreFilter;
    QLabel* m_tableCount;
    QSplitter* m_splitter;
};

} // namespace towerlab
