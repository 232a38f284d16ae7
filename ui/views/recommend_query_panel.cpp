#include "views/recommend_query_panel.hpp"

#include "views/heading_label.hpp"
#include "views/query_text.hpp"
#include "views/real_user_picker.hpp"
#include "views/user_query_form.hpp"

#include <QCheckBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace towerlab {

RecommendQueryPanel::RecommendQueryPanel(QWidget* parent) : QScrollArea(parent) {
    auto* tutorial = new QPushButton(tr("Tutorial example"));
    tutorial->setObjectName(QStringLiteral("tutorialExample"));
    tutorial->setToolTip(tr("The TensorFlow Recommenders tutorial's query: age 25 (25–34), "
                            "student, male, timestamp 879024327 (%1).")
                             .arg(utcTimeText(879024327)));
    auto* top = new QHBoxLayout;
    top->addWidget(headingLabel(tr("Query")));
    top->addStretch(1);
    top->addWidget(tutorial);

    m_formA = new UserQueryForm;
    m_formA->setObjectName(QStringLiteral("queryFormA"));
    auto* groupA = new QGroupBox(tr("Query A — who and when"));
    groupA->setToolTip(tr("The user the model recommends for. Every change updates the list "
                          "at once; the Scores and Embeddings tabs use the same query."));
    (new QVBoxLayout(groupA))->addWidget(m_formA);

    m_picker = new RealUserPicker;

    auto* listBox = new QGroupBox(tr("List"));
    m_k = new QSpinBox;
    m_k->setObjectName(QStringLiteral("topK"));
    m_k->setRange(1, RecommendController::kDefaultK);
    m_k->setValue(RecommendController::kDefaultK);
    m_k->setKeyboardTracking(false);
    m_k->setToolTip(tr("How many movies to list, up to the whole catalogue. Recall is "
                       "measured at this k."));
    m_excludeRated = new QCheckBox(tr("Hide movies the user rated in training"));
    m_excludeRated->setObjectName(QStringLiteral("excludeRated"));
    m_compare = new QCheckBox(tr("Compare with a second query (B)"));
    m_compare->setObjectName(QStringLiteral("compareMode"));
    m_compare->setToolTip(tr("Show a second list for query B next to query A's, with how far "
                             "each movie moved (▲ up, ▼ down, new). Change one thing in B — "
                             "gender, age, time — to see what that feature does."));
    auto* kRow = new QHBoxLayout;
    kRow->addWidget(new QLabel(tr("Show top")));
    kRow->addWidget(m_k);
    kRow->addWidget(new QLabel(tr("movies")));
    kRow->addStretch(1);
    auto* listLayout = new QVBoxLayout(listBox);
    listLayout->addLayout(kRow);
    listLayout->addWidget(m_excludeRated);
    listLayout->addWidget(m_compare);

    m_groupB = new QGroupBox(tr("Query B — change one thing"));
    m_groupB->setObjectName(QStringLiteral("queryGroupB"));
    m_groupB->setToolTip(tr("The second query of the comparison. It starts as a copy of A."));
    m_formB = new UserQueryForm;
    m_formB->setObjectName(QStringLiteral("queryFormB"));
    auto* copy = new QPushButton(tr("Copy A"));
    copy->setObjectName(QStringLiteral("copyAToB"));
    copy->setToolTip(tr("Make B the same as A again"));
    auto* flip = new QPushButton(tr("A with other gender"));
    flip->setObjectName(QStringLiteral("otherGender"));
    flip->setToolTip(tr("B = A with the other gender: the quickest way to see what the gender "
                        "feature does"));
    auto* bButtons = new QHBoxLayout;
    bButtons->addWidget(copy);
    bButtons->addWidget(flip);
    bButtons->addStretch(1);
    auto* bLayout = new QVBoxLayout(m_groupB);
    bLayout->addLayout(bButtons);
    bLayout->addWidget(m_formB);
    m_groupB->setVisible(false);

    auto* column = new QWidget;
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(0, 0, 4, 0);
    layout->addLayout(top);
    layout->addWidget(groupA);
    layout->addWidget(m_picker);
    layout->addWidget(listBox);
    layout->addWidget(m_groupB);
    layout->addStretch(1);
    setObjectName(QStringLiteral("recommendFormScroll"));
    setWidget(column);
    setWidgetResizable(true);
    setFrameShape(QFrame::NoFrame);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setMinimumWidth(300);

    connect(tutorial, &QPushButton::clicked, this, &RecommendQueryPanel::tutorialClicked);
    connect(copy, &QPushButton::clicked, this, &RecommendQueryPanel::copyAToBClicked);
    connect(flip, &QPushButton::clicked, this, &RecommendQueryPanel::otherGenderClicked);
    connect(m_k, &QSpinBox::valueChanged, this, &RecommendQueryPanel::kChosen);
    connect(m_excludeRated, &QCheckBox::toggled, this, &RecommendQueryPanel::excludeRatedToggled);
    connect(m_compare, &QCheckBox::toggled, this, &RecommendQueryPanel::compareToggled);
}

void RecommendQueryPanel::showSettings(const RecommendController& settings) {
    const QSignalBlocker k(m_k);
    const QSignalBlocker exclude(m_excludeRated);
    const QSignalBlocker compare(m_compare);
    m_k->setMaximum(settings.maxK());
    m_k->setValue(settings.k());
    m_excludeRated->setChecked(settings.excludeRated());
    const bool canMark = settings.canMarkRated();
    m_excludeRated->setEnabled(canMark);
    m_excludeRated->setToolTip(
        canMark ? tr("Leave out the movies this user rated in the model's training split: the "
                     "model has seen those, the rest are real suggestions.")
                : tr("Pick a real user of the dataset the model was trained on to hide the "
                     "movies they rated in training."));
    m_compare->setChecked(settings.compare());
    m_groupB->setVisible(settings.compare());
    m_formB->setQuery(settings.queryB());
}

} // namespace towerlab
