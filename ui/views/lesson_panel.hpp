#pragma once
// The lesson side panel: the lesson's title, where the class is ("Step 3 of 7"), the step's
// text, its question with a place to answer before the reveal, what is being done, the reveal,
// and Back / Next. It shows a LessonPlayer and forwards the clicks to it.

#include <QWidget>

class QButtonGroup;
class QLabel;
class QLineEdit;
class QPushButton;
class QVBoxLayout;

namespace towerlab {

class LessonPlayer;

class LessonPanel : public QWidget {
    Q_OBJECT

public:
    explicit LessonPanel(LessonPlayer* player, QWidget* parent = nullptr);

    // Answers with the chosen or typed text, as the Answer button does.
    void submit();

    QLabel* stepText() const { return m_text; }
    QLabel* revealText() const { return m_reveal; }
    QLabel* statusText() const { return m_status; }
    QPushButton* nextButton() const { return m_next; }
    QPushButton* backButton() const { return m_back; }

signals:
    void closeRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void applyFonts();
    void refresh();
    void rebuildQuestion();

    LessonPlayer* m_player;
    QLabel* m_title;
    QLabel* m_where;
    QLabel* m_text;
    QWidget* m_question;
    QLabel* m_prompt;
    QVBoxLayout* m_choices;
    QButtonGroup* m_choiceGroup;
    QLineEdit* m_freeAnswer;
    QPushButton* m_answer;
    QLabel* m_given;
    QLabel* m_status;
    QLabel* m_reveal;
    QPushButton* m_back;
    QPushButton* m_next;
    int m_questionOf = -1; // the step whose choices are built
};

} // namespace towerlab
