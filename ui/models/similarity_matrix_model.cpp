#include "models/similarity_matrix_model.hpp"

#include "model/trained_model.hpp"
#include "models/catalogue_text.hpp"

#include <QLocale>

#include <algorithm>
#include <array>
#include <cmath>

namespace towerlab {

namespace {

constexpr int kDecimals = 3;

// ColorBrewer RdBu (7 classes) from -1 to 1: colour-blind safe, white at zero.
constexpr std::array<QRgb, 7> kStops = {0x2166ac, 0x67a9cf, 0xd1e5f0, 0xf7f7f7,
                                        0xfddbc7, 0xef8a62, 0xb2182b};
// The diagonal (a movie with itself) is not part of the comparison: a neutral grey.
constexpr QRgb kDiagonal = 0xdcdcdc;

QString similarityName(Similarity s) {
    return s == Similarity::Cosine ? SimilarityMatrixModel::tr("cosine similarity")
                                   : SimilarityMatrixModel::tr("dot product");
}

} // namespace

SimilarityMatrixModel::SimilarityMatrixModel(QObject* parent) : QAbstractTableModel(parent) {}

QColor SimilarityMatrixModel::heatColour(float value, float scale) {
    const float t =
        scale > 0.0f && std::isfinite(value) ? std::clamp(value / scale, -1.0f, 1.0f) : 0.0f;
    const float position = (t + 1.0f) * 0.5f * static_cast<float>(kStops.size() - 1);
    const auto low = std::min(static_cast<std::size_t>(position), kStops.size() - 2);
    const float f = position - static_cast<float>(low);
    const QColor a(kStops[low]);
    const QColor b(kStops[low + 1]);
    auto mix = [f](int x, int y) { return static_cast<int>(std::lround(x + (y - x) * f)); };
    return QColor(mix(a.red(), b.red()), mix(a.green(), b.green()), mix(a.blue(), b.blue()));
}

QColor SimilarityMatrixModel::textColourOn(const QColor& background) {
    // Relative luminance (sRGB, WCAG): black text keeps a contrast of at least 4.5:1 down to
    // a luminance of about 0.18, white text takes over below that.
    auto linear = [](int channel) {
        const double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    const double luminance = 0.2126 * linear(background.red()) +
                             0.7152 * linear(background.green()) +
                             0.0722 * linear(background.blue());
    return luminance > 0.18 ? QColor(0x11, 0x11, 0x11) : QColor(0xff, 0xff, 0xff);
}

void SimilarityMatrixModel::setMatrix(TrainedModelPtr model, std::vector<std::int32_t> movies,
                                      RowMatrix values, Similarity similarity) {
    setMatrix(model ? std::shared_ptr<const Catalogue>(model, &model->catalogue) : nullptr,
              std::move(movies), std::move(values), similarity);
}

void SimilarityMatrixModel::setMatrix(std::shared_ptr<const Catalogue> catalogue,
                                      std::vector<std::int32_t> movies, RowMatrix values,
                                      Similarity similarity) {
    const auto n = static_cast<Eigen::Index>(movies.size());
    if (!catalogue || values.rows() != n || values.cols() != n) {
        clear();
        return;
    }
    beginResetModel();
    m_catalogue = std::move(catalogue);
    m_movies = std::move(movies);
    m_values = std::move(values);
    m_similarity = similarity;
    m_titles.clear();
    for (const std::int32_t m : m_movies) {
        m_titles << catalogueTitle(*m_catalogue, static_cast<std::size_t>(m));
    }
    m_scale = 1.0f;
    if (similarity == Similarity::Dot) {
        float largest = 0.0f;
        for (Eigen::Index i = 0; i < n; ++i) {
            for (Eigen::Index j = 0; j < n; ++j) {
                if (i != j && std::isfinite(m_values(i, j))) {
                    largest = std::max(largest, std::abs(m_values(i, j)));
                }
            }
        }
        m_scale = largest > 0.0f ? largest : 1.0f;
    }
    endResetModel();
}

void SimilarityMatrixModel::clear() {
    beginResetModel();
    m_catalogue.reset();
    m_movies.clear();
    m_values.resize(0, 0);
    m_titles.clear();
    m_scale = 1.0f;
    endResetModel();
}

std::vector<std::string> SimilarityMatrixModel::titles() const {
    std::vector<std::string> out;
    for (const std::int32_t m : m_movies) {
        out.push_back(m_catalogue->titles[static_cast<std::size_t>(m)]);
    }
    return out;
}

int SimilarityMatrixModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_movies.size());
}

int SimilarityMatrixModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_movies.size());
}

QVariant SimilarityMatrixModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const int r = index.row();
    const int c = index.column();
    const float value = m_values(r, c);
    const bool diagonal = r == c;
    switch (role) {
    case Qt::DisplayRole:
        return QLocale().toString(value, 'f', kDecimals);
    case Qt::ToolTipRole:
        if (diagonal) {
            return tr("<b>%1</b> with itself: %2 %3 (not coloured: it is not a comparison)")
                .arg(m_titles[r].toHtmlEscaped(), similarityName(m_similarity))
                .arg(QLocale().toString(value, 'g', 7));
        }
        return tr("%1 of<br><b>%2</b> (row %3) and<br><b>%4</b> (column %5):<br>%6")
            .arg(similarityName(m_similarity))
            .arg(m_titles[r].toHtmlEscaped())
            .arg(r + 1)
            .arg(m_titles[c].toHtmlEscaped())
            .arg(c + 1)
            .arg(QLocale().toString(value, 'g', 7));
    case Qt::TextAlignmentRole:
        return QVariant::fromValue(Qt::AlignCenter);
    case Qt::BackgroundRole:
        return diagonal ? QColor(kDiagonal) : heatColour(value, m_scale);
    case Qt::ForegroundRole:
        return textColourOn(diagonal ? QColor(kDiagonal) : heatColour(value, m_scale));
    case static_cast<int>(Role::Value):
        return value;
    case static_cast<int>(Role::RowMovie):
        return static_cast<int>(m_movies[static_cast<std::size_t>(r)]);
    case static_cast<int>(Role::ColumnMovie):
        return static_cast<int>(m_movies[static_cast<std::size_t>(c)]);
    default:
        return {};
    }
}

QVariant SimilarityMatrixModel::headerData(int section, Qt::Orientation orientation,
                                           int role) const {
    if (section < 0 || section >= static_cast<int>(m_movies.size())) {
        return {};
    }
    if (role == Qt::DisplayRole) {
        return orientation == Qt::Horizontal
                   ? QString::number(section + 1)
                   : QStringLiteral("%1  %2").arg(section + 1).arg(m_titles[section]);
    }
    if (role == Qt::ToolTipRole) {
        return tr("%1. %2").arg(section + 1).arg(m_titles[section]);
    }
    return {};
}

} // namespace towerlab
