#include "views/recommend_insight_panel.hpp"

#include "charts/signed_bar_chart.hpp"
#include "model/trained_model.hpp"
#include "views/heading_label.hpp"
#include "views/query_text.hpp"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTextDocument>
#include <QVBoxLayout>

#include <cmath>

namespace towerlab {

namespace {

// "+1.25", "-0.40", and "0.00" for what rounds to zero (never "-0.00").
QString signedText(double v, int decimals) {
    const QString text = QLocale().toString(std::abs(v), 'f', decimals);
    if (QLocale().toDouble(text) == 0.0) {
        return QLocale().toString(0.0, 'f', decimals);
    }
    return (v > 0 ? QStringLiteral("+") : QStringLiteral("-")) + text;
}

} // namespace

RecommendInsightPanel::RecommendInsightPanel(QWidget* parent) : QWidget(parent) {
    m_explainChart = new SignedBarChart(SignedBarChart::Orientation::Horizontal);
    m_explainChart->setObjectName(QStringLiteral("explanationChart"));
    m_explainChart->setMinimumHeight(200);
    m_explainChart->setVisible(false); // the hint takes its place until a movie is chosen
    m_explainChart->setToolTip(
        tr("How much each user feature adds to the selected movie's score: the score minus the "
           "score with that one feature replaced by its unknown (out-of-vocabulary) value — or, "
           "for the scaled time, the mean time. Blue pushes the movie up, orange down."));
    m_explainHint = new QLabel;
    setExplanationOff({});
    m_explainHint->setObjectName(QStringLiteral("explanationHint"));
    m_explainHint->setWordWrap(true);
    m_explainHint->setAlignment(Qt::AlignCenter);
    m_explainHint->setMinimumHeight(200);
    m_explainHint->setFrameShape(QFrame::StyledPanel);
    m_explainHint->setForegroundRole(QPalette::PlaceholderText);
    m_explainHint->setToolTip(m_explainChart->toolTip());
    auto* explainNote = new QLabel(tr("Each bar: the score minus the score without that feature "
                                      "(unknown value; mean time for the scaled time)."));
    explainNote->setWordWrap(true);
    explainNote->setForegroundRole(QPalette::PlaceholderText);

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
    auto* copyVector = new QPushButton(tr("Copy vector"));
    copyVector->setObjectName(QStringLiteral("copyVector"));
    copyVector->setToolTip(tr("Copy the query vector to the clipboard as [x1, x2, …]"));
    connect(copyVector, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_vectorText->toPlainText()); });
    auto* vectorHead = new QHBoxLayout;
    vectorHead->addWidget(headingLabel(tr("Query vector")));
    vectorHead->addStretch(1);
    vectorHead->addWidget(copyVector);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 0, 0, 0);
    layout->addWidget(headingLabel(tr("Why this movie?")));
    layout->addWidget(m_explainChart, 3);
    layout->addWidget(m_explainHint, 3);
    layout->addWidget(explainNote);
    layout->addSpacing(6);
    layout->addLayout(vectorHead);
    layout->addWidget(m_vectorChart, 2);
    layout->addWidget(m_vectorText);
    setMinimumWidth(280);
}

void RecommendInsightPanel::setExplanationOff(const QString& why) {
    m_explainHint->setText(why.isEmpty() ? tr("Click a movie in the list to see which of the "
                                              "user's features raise its score and which lower "
                                              "it.")
                                         : why);
}

void RecommendInsightPanel::showExplanation(
    const std::optional<RecommendController::Explanation>& explanation, const TrainedModel* model) {
    if (!explanation || model == nullptr) {
        m_explainChart->setValues(tr("Why this movie?"), {}, {});
        m_explainChart->setVisible(false);
        m_explainHint->setVisible(true);
        return;
    }
    m_explainHint->setVisible(false);
    m_explainChart->setVisible(true);
    const ScoreExplanation& e = explanation->score;
    QStringList labels;
    QStringList hover;
    std::vector<double> values;
    for (const FeatureContribution& c : e.features) {
        const double v = static_cast<double>(c.contribution);
        // Short labels keep the bars wide; the feature's value is in the hover text and the form.
        labels << QStringLiteral("%1 %2").arg(queryFeatureText(c.feature), signedText(v, 2));
        hover << tr("%1 = %2\nScore %3, without it %4: %5")
                     .arg(queryFeatureText(c.feature),
                          queryFeatureValueText(c.feature, explanation->query, model->features))
                     .arg(QLocale().toString(static_cast<double>(e.score), 'f', 3))
                     .arg(QLocale().toString(static_cast<double>(c.neutralScore), 'f', 3))
                     .arg(signedText(v, 3));
        values.push_back(v);
    }
    QString title = QString::fromStdString(
        model->catalogue.titles[static_cast<std::size_t>(explanation->movie)]);
    if (title.size() > 40) {
        title = title.left(38) + QStringLiteral("…");
    }
    const bool b = explanation->side == RecommendController::Side::B;
    m_explainChart->setValues(tr("%1\nscore %2 for query %3")
                                  .arg(title)
                                  .arg(QLocale().toString(static_cast<double>(e.score), 'f', 3))
                                  .arg(b ? QStringLiteral("B") : QStringLiteral("A")),
                              labels, values);
    m_explainChart->setHoverTexts(hover);
}

void RecommendInsightPanel::showVector(const RowVector& q) {
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

} // namespace towerlab
