#include "views/external_query_panel.hpp"

#include "views/heading_label.hpp"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStringListModel>
#include <QVBoxLayout>

namespace towerlab {

ExternalQueryPanel::ExternalQueryPanel(QWidget* parent) : QScrollArea(parent) {
    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("externalQueryNote"));
    m_note->setWordWrap(true);
    m_note->setTextFormat(Qt::RichText);
    m_note->setFrameShape(QFrame::StyledPanel);
    m_note->setMargin(6);

    auto* openUsers = new QPushButton(tr("Open user vectors…"));
    openUsers->setObjectName(QStringLiteral("openUserVectors"));
    openUsers->setToolTip(tr("User vectors of the same model (Embedding Projector TSV or NumPy "
                             ".npy, the same dimensions as the movie vectors) with a metadata "
                             "TSV of their labels; pick a user below to list their top k"));
    auto* openQuery = new QPushButton(tr("Open query vector…"));
    openQuery->setObjectName(QStringLiteral("openQueryVector"));
    openQuery->setToolTip(tr("A file of exactly one vector (TSV or .npy) of the movie vectors' "
                             "dimensions: its top k by dot product"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(openUsers);
    buttons->addWidget(openQuery);
    buttons->addStretch(1);

    m_query = new QLabel;
    m_query->setObjectName(QStringLiteral("externalQueryLabel"));
    m_query->setWordWrap(true);

    auto* usersBox = new QGroupBox(tr("Users"));
    m_usersLine = new QLabel;
    m_usersLine->setObjectName(QStringLiteral("externalUsersLine"));
    m_usersLine->setWordWrap(true);
    m_usersLine->setForegroundRole(QPalette::PlaceholderText);
    m_filter = new QLineEdit;
    m_filter->setObjectName(QStringLiteral("externalUserFilter"));
    m_filter->setPlaceholderText(tr("Search users by label…"));
    m_filter->setClearButtonEnabled(true);
    m_users = new QStringListModel(this);
    m_filtered = new QSortFilterProxyModel(this);
    m_filtered->setSourceModel(m_users);
    m_filtered->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_list = new QListView;
    m_list->setObjectName(QStringLiteral("externalUserList"));
    m_list->setModel(m_filtered);
    m_list->setUniformItemSizes(true); // a list of 100,000s of users lays out at once
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setMinimumHeight(160);
    auto* usersLayout = new QVBoxLayout(usersBox);
    usersLayout->addWidget(m_usersLine);
    usersLayout->addWidget(m_filter);
    usersLayout->addWidget(m_list, 1);

    m_k = new QSpinBox;
    m_k->setObjectName(QStringLiteral("externalTopK"));
    m_k->setKeyboardTracking(false);
    m_k->setToolTip(tr("How many movies to list, up to all the vectors"));
    auto* kRow = new QHBoxLayout;
    kRow->addWidget(new QLabel(tr("Show top")));
    kRow->addWidget(m_k);
    kRow->addWidget(new QLabel(tr("movies")));
    kRow->addStretch(1);

    auto* column = new QWidget;
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 4, 0);
    layout->addWidget(headingLabel(tr("Query from elsewhere")));
    layout->addWidget(m_note);
    layout->addLayout(buttons);
    layout->addWidget(m_query);
    layout->addWidget(usersBox, 1);
    layout->addLayout(kRow);
    setObjectName(QStringLiteral("externalQueryPanel"));
    setWidget(column);
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setMinimumWidth(300);

    connect(openUsers, &QPushButton::clicked, this, &ExternalQueryPanel::openUsersClicked);
    connect(openQuery, &QPushButton::clicked, this, &ExternalQueryPanel::openQueryClicked);
    connect(m_filter, &QLineEdit::textChanged, this, &ExternalQueryPanel::setFilterText);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                if (current.isValid() && !m_showing) {
                    emit userPicked(m_filtered->mapToSource(current).row());
                }
            });
    connect(m_k, &QSpinBox::valueChanged, this, &ExternalQueryPanel::kChosen);
    setUsers({}, {});
    setQueryText({});
}

void ExternalQueryPanel::setNote(const QString& html) {
    m_note->setText(html);
}

void ExternalQueryPanel::setUsers(const QStringList& labels, const QString& source) {
    m_showing = true;
    m_users->setStringList(labels);
    m_showing = false;
    m_filter->setEnabled(!labels.isEmpty());
    m_list->setEnabled(!labels.isEmpty());
    m_usersLine->setText(
        labels.isEmpty() ? tr("No user vectors open. Open a file of them to pick a user here.")
                         : tr("%1 users from %2").arg(QLocale().toString(labels.size()), source));
}

void ExternalQueryPanel::setQueryText(const QString& text) {
    m_query->setText(text.isEmpty() ? tr("<b>Query:</b> none yet: open user vectors and pick a "
                                         "user, or open a query vector.")
                                    : tr("<b>Query:</b> %1").arg(text.toHtmlEscaped()));
}

void ExternalQueryPanel::showPickedUser(int row) {
    m_showing = true;
    const QModelIndex index = m_filtered->mapFromSource(m_users->index(row, 0));
    if (row >= 0 && index.isValid()) {
        m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
        m_list->scrollTo(index);
    } else {
        m_list->selectionModel()->clearSelection();
    }
    m_showing = false;
}

void ExternalQueryPanel::showK(int k, int maxK) {
    const QSignalBlocker block(m_k);
    m_k->setRange(1, std::max(1, maxK));
    m_k->setValue(k);
}

void ExternalQueryPanel::setFilterText(const QString& text) {
    if (m_filter->text() != text) {
        m_filter->setText(text); // comes back here through textChanged
        return;
    }
    m_filtered->setFilterFixedString(text.trimmed());
}

QList<int> ExternalQueryPanel::visibleUsers() const {
    QList<int> rows;
    for (int r = 0; r < m_filtered->rowCount(); ++r) {
        rows << m_filtered->mapToSource(m_filtered->index(r, 0)).row();
    }
    return rows;
}

void ExternalQueryPanel::clickVisibleUser(int n) {
    const QModelIndex index = m_filtered->index(n, 0);
    if (index.isValid()) {
        m_list->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    }
}

} // namespace towerlab
