#pragma once
// The Embeddings tab's two top rows: what to map and how (points, method, t-SNE settings,
// colour, size, live), the title search, Reset zoom and Export; then the progress bar, Cancel
// and the status line. It only shows and forwards: the EmbeddingsController holds the state.

#include "controllers/embeddings_controller.hpp"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace towerlab {

class EmbeddingsToolbar : public QWidget {
    Q_OBJECT

public:
    enum class Export { MapPng, MapSvg, MovieVectors, UserVectors };

    explicit EmbeddingsToolbar(bool canGoLive, QWidget* parent = nullptr);

    // Shows the controller's settings in the controls, without forwarding them back.
    void showSettings(const EmbeddingsController& settings);
    void setSearchText(const QString& text);
    void setSizeByPopularity(bool on);
    QString searchText() const;
    bool sizeByPopularity() const;
    void setSearchCount(const QString& text);
    // busy: the progress bar shows; cancellable: so does Cancel.
    void setBusy(bool busy, bool cancellable = false);
    void setProgress(int done, int total);
    void setStatus(const QString& text);
    QString statusText() const;

signals:
    void pointsChosen(towerlab::EmbeddingsController::Points points);
    void methodChosen(towerlab::ProjectionMethod method);
    void tsneSettingsEdited(double perplexity, int iterations);
    void tsneFullRunToggled(bool on);
    void colouringChosen(int index);
    void sizeToggled(bool on);
    void liveToggled(bool on);
    void searchEdited(const QString& text);
    void resetZoomClicked();
    void cancelClicked();
    void exportChosen(towerlab::EmbeddingsToolbar::Export what);

private:
    QComboBox* m_pointsBox;
    QComboBox* m_methodBox;
    QDoubleSpinBox* m_perplexity;
    QSpinBox* m_iterations;
    QCheckBox* m_fullRunBox;
    QComboBox* m_colourBox;
    QCheckBox* m_sizeBox;
    QCheckBox* m_liveBox;
    QLineEdit* m_search;
    QLabel* m_searchCount;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QLabel* m_status;
    bool m_showingMovies = true;
};

} // namespace towerlab
