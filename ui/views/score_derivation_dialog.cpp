#include "views/score_derivation_dialog.hpp"

#include "charts/signed_bar_chart.hpp"
#include "models/tower_path_model.hpp"
#include "views/show_error.hpp"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <numeric>

namespace towerlab {
namespace {

QTableView* pathTable(TowerPathModel* model, const QString& name, QWidget* parent) {
    auto* table = new QTableView(parent);
    table->setObjectName(name);
    table->setModel(model);
    table->verticalHeader()->hide();
    table->setWordWrap(false);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->horizontalHeader()->setSectionResizeMode(TowerPathModel::Numbers, QHeaderView::Stretch);
    return table;
}

QLabel* heading(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    QFont bold = label->font();
    bold.setBold(true);
    label->setFont(bold);
    return label;
}

// A tower's heading over its path table.
QWidget* towerBox(const QString& title, TowerPathModel* model, const QString& tableName,
                  QWidget* parent) {
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(heading(title, box));
    layout->addWidget(pathTable(model, tableName, box));
    return box;
}

} // namespace

ScoreDerivationDialog::ScoreDerivationDialog(TrainedModelPtr model, const UserQuery& query,
                                             int movie, const QString& querySummary,
                                             QWidget* parent)
    : QDialog(parent), m_model(std::move(model)),
      m_derivation(deriveScore(*m_model, query, movie)) {
    setObjectName(QStringLiteral("scoreDerivation"));
    const QString title = QString::fromStdString(m_model->catalogue.titles[std::size_t(movie)]);
    setWindowTitle(tr("Where this score comes from: %1").arg(title));

    const ScoreDerivation& d = m_derivation;
    auto* intro = new QLabel(
        tr("<b>%1</b> for the user <b>%2</b> scores <b>%3</b>. The user tower turns the user "
           "into %4 numbers, the movie tower turns the movie into %4 numbers, and the score is "
           "the sum of their %4 products, one per dimension:")
            .arg(title.toHtmlEscaped(), querySummary.toHtmlEscaped())
            .arg(d.score, 0, 'f', 4)
            .arg(d.products.size()),
        this);
    intro->setWordWrap(true);

    m_products = new SignedBarChart(SignedBarChart::Orientation::Vertical, this);
    m_products->setObjectName(QStringLiteral("productsChart"));
    m_products->setMinimumHeight(220);
    QStringList labels;
    QStringList hovers;
    std::vector<double> values;
    for (std::size_t i = 0; i < d.products.size(); ++i) {
        labels << QString::number(i + 1);
        values.push_back(d.products[i]);
        hovers << tr("dimension %1: %2 × %3 = %4")
                      .arg(i + 1)
                      .arg(double(d.query.output[i]), 0, 'f', 4)
                      .arg(double(d.candidate.output[i]), 0, 'f', 4)
                      .arg(double(d.products[i]), 0, 'f', 4);
    }
    m_products->setValues(tr("Query × movie, dimension by dimension"), labels, values);
    m_products->setHoverTexts(hovers);

    // The sum, and the few dimensions that decide it, so the bars have a reading.
    std::vector<std::size_t> order(d.products.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::abs(d.products[a]) > std::abs(d.products[b]);
    });
    QStringList biggest;
    for (std::size_t i = 0; i < std::min<std::size_t>(3, order.size()); ++i) {
        biggest << tr("dimension %1 (%2)")
                       .arg(order[i] + 1)
                       .arg(double(d.products[order[i]]), 0, 'f', 3);
    }
    double positive = 0;
    double negative = 0;
    for (const float p : d.products) {
        (p >= 0 ? positive : negative) += p;
    }
    m_sum = new QLabel(tr("Sum of the bars: %1 + (%2) = <b>%3</b>. The largest: %4.")
                           .arg(positive, 0, 'f', 4)
                           .arg(negative, 0, 'f', 4)
                           .arg(d.score, 0, 'f', 4)
                           .arg(biggest.join(QStringLiteral(", "))),
                       this);
    m_sum->setObjectName(QStringLiteral("derivationSum"));
    m_sum->setWordWrap(true);

    m_queryPath = new TowerPathModel(this);
    m_queryPath->setPath(d.query, tr("query vector"));
    m_moviePath = new TowerPathModel(this);
    m_moviePath->setPath(d.candidate, tr("movie vector"));
    auto* towers = new QSplitter(Qt::Vertical, this);
    towers->addWidget(towerBox(tr("User tower: the user's features → their embeddings → the "
                                  "dense layers → the query vector"),
                               m_queryPath, QStringLiteral("queryPathTable"), towers));
    towers->addWidget(towerBox(tr("Movie tower: the title's id and words (and any other movie "
                                  "features) → the dense layers → the movie vector"),
                               m_moviePath, QStringLiteral("moviePathTable"), towers));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_products, 2);
    layout->addWidget(m_sum);
    layout->addWidget(towers, 3);
    layout->addWidget(buttons);
    resize(1000, 760);
}

ScoreDerivationDialog* ScoreDerivationDialog::open(TrainedModelPtr model, const UserQuery& query,
                                                   int movie, const QString& querySummary,
                                                   QWidget* parent) {
    if (!model) {
        showError(parent, tr("No model"), tr("There is no model yet: train one first."));
        return nullptr;
    }
    try {
        auto* dialog =
            new ScoreDerivationDialog(std::move(model), query, movie, querySummary, parent);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
        return dialog;
    } catch (const std::exception& error) {
        showError(parent, tr("Cannot work out this score"), QString::fromUtf8(error.what()));
        return nullptr;
    }
}

} // namespace towerlab
