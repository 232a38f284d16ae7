#pragma once
// Search-as-you-type for a catalogue title: a line edit whose popup lists the titles that
// contain the typed text, ignoring case and accents ("miserables" finds "Misérables, Les
// (1995)"), through core searchTitles. Choosing one (click, Enter in the popup, or Enter /
// Add when the text names exactly one title) emits titleChosen and clears the field.

#include "controllers/training_types.hpp"

#include <QWidget>

class QCompleter;
class QLineEdit;
class QPushButton;

namespace towerlab {

class TitleSearchModel;
struct Catalogue;

class TitlePicker : public QWidget {
    Q_OBJECT

public:
    explicit TitlePicker(QWidget* parent = nullptr);

    // The catalogue to search; nullptr disables the picker.
    void setModel(TrainedModelPtr model);
    // Any catalogue (vectors from elsewhere); null disables the picker.
    void setCatalogue(std::shared_ptr<const Catalogue> catalogue);

    QLineEdit* lineEdit() const { return m_edit; }
    QCompleter* completer() const { return m_completer; }
    TitleSearchModel* searchModel() const { return m_search; }
    QPushButton* addButton() const { return m_add; }

    // What Enter does (and Add, unless a row of the open popup is current): the typed text's
    // only match, or its exact (folded) match among several, is chosen; otherwise a message
    // says why nothing was added. With a popup row current, Enter leaves it to the completer.
    void chooseTypedTitle();

signals:
    void titleChosen(int catalogueIndex);
    // Why the typed text was not added (no match, several matches, nothing typed).
    void message(const QString& text);

private:
    void onTextEdited(const QString& text);
    void choose(int catalogueIndex);

    std::shared_ptr<const Catalogue> m_catalogue;
    QLineEdit* m_edit;
    QPushButton* m_add;
    QCompleter* m_completer;
    TitleSearchModel* m_search;
};

} // namespace towerlab
