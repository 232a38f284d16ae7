#include "views/placeholder_view.hpp"

#include "model/trained_model.hpp"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace towerlab {

PlaceholderView::PlaceholderView(const QString& title, const QString& description, QWidget* parent)
    : QWidget(parent) {
    auto* heading = new QLabel(title);
    QFont big = heading->font();
    big.setPointSizeF(big.pointSizeF() * 1.5);
    big.setBold(true);
    heading->setFont(big);
    auto* text = new QLabel(description);
    text->setWordWrap(true);
    text->setTextFormat(Qt::RichText);
    auto* status = new QLabel(tr("This view is not built yet: it comes with its own issue. Its "
                                 "place in the window is reserved so you can see where it "
                                 "will be."));
    status->setWordWrap(true);
    status->setForegroundRole(QPalette::PlaceholderText);
    m_model = new QLabel;
    m_model->setObjectName(QStringLiteral("placeholderModel"));
    m_model->setWordWrap(true);

    auto* column = new QWidget;
    column->setMinimumWidth(480);
    column->setMaximumWidth(760);
    auto* columnLayout = new QVBoxLayout(column);
    columnLayout->addWidget(heading);
    columnLayout->addSpacing(8);
    columnLayout->addWidget(text);
    columnLayout->addSpacing(12);
    columnLayout->addWidget(m_model);
    columnLayout->addSpacing(12);
    columnLayout->addWidget(status);

    auto* row = new QHBoxLayout;
    row->addStretch(1);
    row->addWidget(column, 4);
    row->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addStretch(1);
    layout->addLayout(row);
    layout->addStretch(2);
    setCurrentModel(nullptr, {});
}

void PlaceholderView::setCurrentModel(const TrainedModelPtr& model, const QString& origin) {
    if (!model) {
        m_model->setText(tr("<b>Model it will use:</b> none yet. Train one on the Train tab or "
                            "open a saved .tlm file (File → Open model…)."));
        return;
    }
    m_model->setText(tr("<b>Model it will use:</b> %1 — trained %2 epochs on %3, %4 movies.")
                         .arg(origin.toHtmlEscaped())
                         .arg(model->epochsTrained)
                         .arg(QString::fromStdString(model->datasetName).toHtmlEscaped())
                         .arg(model->catalogue.size()));
}

} // namespace towerlab
