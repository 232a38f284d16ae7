#pragma once
// The place of a view whose own issue comes later (Recommend, Scores, Embeddings): it says
// what will be there and which model it will use, so the window's structure is complete and
// honest about what is not built yet.

#include "controllers/training_types.hpp"

#include <QWidget>

class QLabel;

namespace towerlab {

class PlaceholderView : public QWidget {
    Q_OBJECT

public:
    PlaceholderView(const QString& title, const QString& description, QWidget* parent = nullptr);

    // Shows which model the view will work with.
    void setCurrentModel(const TrainedModelPtr& model, const QString& origin);

private:
    QLabel* m_model;
};

} // namespace towerlab
