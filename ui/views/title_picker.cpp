#include "views/title_picker.hpp"

#include "model/trained_model.hpp"
#include "models/title_search_model.hpp"
#include "retrieval/retrieval.hpp"

#include <QAbstractItemView>
#include <QCompleter>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>

namespace towerlab {

TitlePicker::TitlePicker(QWidget* parent)
    : QWidget(parent), m_edit(new QLineEdit), m_add(new QPushButton(tr("&Add"))),
      m_completer(new QCompleter(this)), m_search(new TitleSearchModel(this)) {
    m_edit->setObjectName(QStringLiteral("titleSearch"));
    m_edit->setPlaceholderText(tr("Type part of a title to add it, e.g. \"lion king\" — "
                                  "accents and case do not matter"));
    m_edit->setToolTip(tr("Search the current model's catalogue as you type. Case and accents "
                          "are ignored: \"miserables\" finds \"Misérables, Les (1995)\". Pick a "
                          "title from the list, or press Enter when only one title matches."));
    m_edit->setClearButtonEnabled(true);
    m_edit->setMinimumWidth(360);
    m_add->setObjectName(QStringLiteral("addTitleButton"));
    m_add->setToolTip(tr("Add the typed title to the chosen titles (the same as Enter)"));

    // The completer shows the search model as it is: the filtering is core searchTitles',
    // which folds accents as QCompleter's own prefix matching cannot.
    m_completer->setModel(m_search);
    m_completer->setCompletionMode(QCompleter::UnfilteredPopupCompletion);
    m_completer->setMaxVisibleItems(12);
    m_completer->setWidget(m_edit);
    m_completer->popup()->setObjectName(QStringLiteral("titleSearchPopup"));

    connect(m_edit, &QLineEdit::textEdited, this, &TitlePicker::onTextEdited);
    connect(m_edit, &QLineEdit::returnPressed, this, &TitlePicker::chooseTypedTitle);
    connect(m_add, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_completer->popup()->currentIndex();
        if (m_completer->popup()->isVisible() && current.isValid()) {
            choose(current.data(static_cast<int>(TitleSearchModel::Role::Movie)).toInt());
        } else {
            chooseTypedTitle();
        }
    });
    connect(m_completer, qOverload<const QModelIndex&>(&QCompleter::activated), this,
            [this](const QModelIndex& index) {
                choose(index.data(static_cast<int>(TitleSearchModel::Role::Movie)).toInt());
            });

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_add);
    setModel(nullptr);
}

void TitlePicker::setModel(TrainedModelPtr model) {
    setCatalogue(model ? std::shared_ptr<const Catalogue>(model, &model->catalogue) : nullptr);
}

void TitlePicker::setCatalogue(std::shared_ptr<const Catalogue> catalogue) {
    m_catalogue = std::move(catalogue);
    m_search->setCatalogue(m_catalogue);
    m_completer->popup()->hide();
    m_edit->setEnabled(m_catalogue != nullptr);
    m_add->setEnabled(m_catalogue != nullptr);
    if (!m_edit->text().isEmpty() && m_catalogue) {
        m_search->setSearchText(m_edit->text());
    }
}

void TitlePicker::onTextEdited(const QString& text) {
    m_search->setSearchText(text);
    if (m_search->rowCount() > 0) {
        m_completer->complete();
    } else {
        m_completer->popup()->hide();
    }
}

void TitlePicker::chooseTypedTitle() {
    if (!m_catalogue) {
        return;
    }
    const QString text = m_edit->text().trimmed();
    if (text.isEmpty()) {
        emit message(tr("Type part of a title first."));
        return;
    }
    // Enter reaches the line edit before the completer: with a row current in the open
    // popup, the completer activates that row next, so the typed text must not add another.
    if (m_completer->popup()->isVisible() && m_completer->popup()->currentIndex().isValid()) {
        return;
    }
    m_search->setSearchText(text);
    const int matches = m_search->rowCount();
    if (matches == 0) {
        emit message(tr("No title of this model's catalogue contains \"%1\".").arg(text));
        return;
    }
    if (matches == 1) {
        choose(m_search->movieAt(0));
        return;
    }
    const std::string folded = foldForSearch(text.toStdString());
    for (int row = 0; row < matches; ++row) {
        const auto movie = static_cast<std::size_t>(m_search->movieAt(row));
        if (foldForSearch(m_catalogue->titles[movie]) == folded) {
            choose(m_search->movieAt(row));
            return;
        }
    }
    emit message(tr("%1 titles contain \"%2\": pick one from the list.")
                     .arg(matches >= static_cast<int>(TitleSearchModel::kMaxResults)
                              ? tr("At least %1").arg(matches)
                              : QString::number(matches),
                          text));
    m_completer->complete();
}

void TitlePicker::choose(int catalogueIndex) {
    // The search results stay until the next keystroke: this may run inside the completer's
    // activated signal, which still holds an index into them.
    m_completer->popup()->hide();
    m_edit->clear();
    emit titleChosen(catalogueIndex);
}

} // namespace towerlab
