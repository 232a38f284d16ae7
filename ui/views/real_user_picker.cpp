#include "views/real_user_picker.hpp"

#include "data/dataset.hpp"
#include "retrieval/rated_movies.hpp"
#include "views/query_text.hpp"

#include <QComboBox>
#include <QDateTime>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimeZone>

#include <algorithm>
#include <utility>
#include <vector>

namespace towerlab {

RealUserPicker::RealUserPicker(QWidget* parent) : QGroupBox(tr("Real user"), parent) {
    setObjectName(QStringLiteral("realUserPicker"));
    setCheckable(true);
    setChecked(false);
    m_tip = tr("Tick to take the query from a real user of the open dataset: their age group, "
               "occupation and gender, at the moment of one of their ratings. Their rated "
               "movies are then marked in the list.");
    m_user = new QSpinBox;
    m_user->setObjectName(QStringLiteral("realUserId"));
    m_user->setKeyboardTracking(false);
    m_user->setToolTip(tr("The user's id as in the dataset's files. Type an id or step "
                          "through the users with the arrows."));
    m_random = new QPushButton(tr("Random"));
    m_random->setObjectName(QStringLiteral("randomUser"));
    m_random->setToolTip(tr("Pick a user at random from the open dataset"));
    m_time = new QComboBox;
    m_time->setObjectName(QStringLiteral("ratingTime"));
    m_time->setToolTip(tr("One of this user's ratings, oldest first: the query uses its time. "
                          "\"test\" marks ratings the model never saw while training."));
    m_time->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_time->setMinimumContentsLength(16);
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("realUserSummary"));
    m_summary->setWordWrap(true);

    auto* grid = new QGridLayout(this);
    grid->addWidget(new QLabel(tr("User id")), 0, 0);
    grid->addWidget(m_user, 0, 1);
    grid->addWidget(m_random, 0, 2);
    grid->addWidget(new QLabel(tr("Rated at")), 1, 0);
    grid->addWidget(m_time, 1, 1, 1, 2);
    grid->addWidget(m_summary, 2, 0, 1, 3);
    grid->setColumnStretch(1, 1);

    connect(this, &QGroupBox::toggled, this, [this](bool on) {
        if (m_quiet) {
            return;
        }
        if (on) {
            fillTimes(true);
        } else {
            updateSummary();
            emit cleared();
        }
    });
    connect(m_user, &QSpinBox::valueChanged, this, [this] {
        if (!m_quiet) {
            fillTimes(true);
        }
    });
    connect(m_time, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_quiet) {
            emitPick();
        }
    });
    connect(m_random, &QPushButton::clicked, this, [this] {
        if (m_dataset && !m_dataset->users.empty()) {
            const auto at =
                QRandomGenerator::global()->bounded(static_cast<quint32>(m_dataset->users.size()));
            pickUser(m_dataset->users[at].id);
        }
    });
    setDataset(nullptr);
}

void RealUserPicker::setDataset(std::shared_ptr<const Dataset> dataset,
                                std::shared_ptr<const RatingsByUser> byUser,
                                std::shared_ptr<const UserLookup> lookup) {
    m_dataset = std::move(dataset);
    m_byUser = !m_dataset ? nullptr
               : byUser && byUser->userCount() == m_dataset->users.size()
                   ? std::move(byUser)
                   : std::make_shared<const RatingsByUser>(*m_dataset);
    m_rated.reset();
    m_indexOfId = !m_dataset                                   ? nullptr
                  : lookup && lookup->isOver(m_dataset->users) ? std::move(lookup)
                                                               : UserLookup::shared(m_dataset);
    m_quiet = true;
    setChecked(false);
    const bool any = m_indexOfId && !m_indexOfId->empty();
    m_user->setRange(any ? static_cast<int>(m_indexOfId->minId()) : 0,
                     any ? static_cast<int>(m_indexOfId->maxId()) : 0);
    setEnabled(any);
    m_time->clear();
    m_quiet = false;
    setToolTip(any ? m_tip
                   : m_tip + tr("\n\nOpen a dataset with users on the Data tab to pick one."));
    updateSummary();
}

void RealUserPicker::setRatedMovies(std::shared_ptr<const RatedMovies> rated) {
    m_rated = std::move(rated);
    if (isChecked()) {
        m_quiet = true;
        const int keep = m_time->currentIndex();
        fillTimes(false);
        m_time->setCurrentIndex(keep);
        m_quiet = false;
    }
    updateSummary();
}

bool RealUserPicker::pickUser(std::int64_t userId) {
    if (indexOfId(userId) < 0) {
        m_summary->setText(tr("No user with id %1 in the open dataset.").arg(userId));
        return false;
    }
    m_quiet = true;
    setChecked(true);
    m_user->setValue(static_cast<int>(userId));
    m_quiet = false;
    fillTimes(true);
    return true;
}

void RealUserPicker::showUser(std::int64_t userId) {
    m_quiet = true;
    if (userId < 0 || indexOfId(userId) < 0) {
        setChecked(false);
    } else {
        setChecked(true);
        const bool sameUser = m_user->value() == userId && m_time->count() > 0;
        m_user->setValue(static_cast<int>(userId));
        if (!sameUser) {
            fillTimes(false);
        }
    }
    m_quiet = false;
    updateSummary();
}

int RealUserPicker::userIndex() const {
    if (!isChecked()) {
        return -1;
    }
    return indexOfId(m_user->value());
}

int RealUserPicker::ratingIndex() const {
    return userIndex() >= 0 && m_time->currentIndex() >= 0 ? m_time->currentData().toInt() : -1;
}

void RealUserPicker::fillTimes(bool emitPickAfter) {
    const bool wasQuiet = m_quiet;
    m_quiet = true;
    m_time->clear();
    const int user = indexOfId(m_user->value());
    if (m_dataset && user >= 0) {
        std::vector<std::size_t> mine = m_byUser->of(static_cast<std::size_t>(user));
        std::stable_sort(mine.begin(), mine.end(), [this](std::size_t a, std::size_t b) {
            return m_dataset->ratings[a].timestamp < m_dataset->ratings[b].timestamp;
        });
        const bool tagged = m_rated && m_rated->available();
        for (const std::size_t i : mine) {
            const Rating& r = m_dataset->ratings[i];
            QString text = QDateTime::fromSecsSinceEpoch(r.timestamp, QTimeZone::utc())
                               .toString(QStringLiteral("yyyy-MM-dd HH:mm"));
            text += QStringLiteral(" · ★%1 ").arg(static_cast<double>(r.rating));
            const auto movie = static_cast<std::size_t>(r.movie);
            if (movie < m_dataset->movies.size()) {
                text += QString::fromStdString(m_dataset->movies[movie].title);
            }
            if (tagged) {
                text += m_rated->inTestSplit(static_cast<std::size_t>(i)) ? tr(" · test")
                                                                          : tr(" · train");
            }
            m_time->addItem(text, static_cast<int>(i));
        }
        // The middle rating: a moment well inside this user's own history.
        m_time->setCurrentIndex(static_cast<int>(mine.size()) / 2);
    }
    m_quiet = wasQuiet;
    updateSummary();
    if (emitPickAfter) {
        emitPick();
    }
}

void RealUserPicker::emitPick() {
    const int user = userIndex();
    if (!m_dataset || user < 0) {
        return;
    }
    const int rating = ratingIndex();
    // A user without ratings keeps their attributes at the query's current time (-1 = keep).
    const std::int64_t time =
        rating >= 0 ? std::int64_t{m_dataset->ratings[static_cast<std::size_t>(rating)].timestamp}
                    : std::int64_t{-1};
    emit userPicked(user, time);
}

void RealUserPicker::updateSummary() {
    const int user = userIndex();
    if (!m_dataset || user < 0) {
        m_summary->setText(
            m_dataset && !m_dataset->users.empty()
                ? tr("Tick the box to use one of the %1 users of %2.")
                      .arg(QLocale().toString(static_cast<qulonglong>(m_dataset->users.size())))
                      .arg(QString::fromStdString(m_dataset->name))
                : tr("No dataset with users is open."));
        return;
    }
    const User& u = m_dataset->users[static_cast<std::size_t>(user)];
    QString who = m_dataset->hasDemographics
                      ? tr("%1 (age %2) · %3 · %4")
                            .arg(ageGroupText(u.ageBucket))
                            .arg(u.rawAge)
                            .arg(occupationText(u.occupationLabel), genderText(u.gender))
                      : tr("%1 has no age, occupation or gender")
                            .arg(QString::fromStdString(m_dataset->name));
    QString counts = m_time->count() == 1 ? tr("1 rating") : tr("%1 ratings").arg(m_time->count());
    if (m_rated && m_rated->available()) {
        const UserRatedMovies& r = m_rated->ofUser(static_cast<std::size_t>(user));
        counts =
            tr("%1: %2 in training, %3 in test").arg(counts).arg(r.train.size()).arg(r.test.size());
    }
    m_summary->setText(who + QStringLiteral("\n") + counts);
}

} // namespace towerlab
