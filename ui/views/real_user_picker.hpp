#pragma once
// Picks a real user of the open dataset and one of their rating times, so a query can be
// "this person, at the moment they rated that movie". It only says who and when (userPicked);
// the Recommend view turns that into a query and asks the model.

#include "data/ratings_by_user.hpp"
#include "data/user_lookup.hpp"

#include <QGroupBox>

#include <cstdint>
#include <memory>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace towerlab {

struct Dataset;
class RatedMovies;

class RealUserPicker : public QGroupBox {
    Q_OBJECT

public:
    explicit RealUserPicker(QWidget* parent = nullptr);

    // The users to pick from; unchecks the box (a user of another dataset means nothing here).
    // `byUser` is the dataset's ratings by user and `lookup` its users by id (the ones the
    // window made on the loading thread), each made here (on this thread) when missing.
    void setDataset(std::shared_ptr<const Dataset> dataset,
                    std::shared_ptr<const RatingsByUser> byUser = {},
                    std::shared_ptr<const UserLookup> lookup = {});
    // The model's split of this dataset, to tag each rating time "train" or "test"; may be
    // null or unavailable (then the times carry no tag).
    void setRatedMovies(std::shared_ptr<const RatedMovies> rated);

    // Checks the box and picks the user with this id (as in the dataset's files) at their
    // middle rating time; emits userPicked. False (and a message in the box) for an unknown id.
    bool pickUser(std::int64_t userId);
    // Shows the user (or unchecks for -1) without emitting anything, e.g. when another view
    // set the query.
    void showUser(std::int64_t userId);
    // Index into Dataset::users of the picked user, or -1 when the box is unchecked.
    int userIndex() const;
    // Index into Dataset::ratings of the chosen rating time, or -1.
    int ratingIndex() const;
    // The users by id it searches (null without a dataset).
    std::shared_ptr<const UserLookup> userLookup() const { return m_indexOfId; }

signals:
    // A user and one of their rating times were chosen (timestamp = that rating's time).
    void userPicked(int userIndex, std::int64_t timestamp);
    // The box was unchecked: the query no longer comes from a real user.
    void cleared();

private:
    void fillTimes(bool emitPick);
    void emitPick();
    void updateSummary();
    int indexOfId(std::int64_t id) const { return m_indexOfId ? m_indexOfId->indexOf(id) : -1; }

    QSpinBox* m_user;
    QPushButton* m_random;
    QComboBox* m_time;
    QLabel* m_summary;
    std::shared_ptr<const Dataset> m_dataset;
    std::shared_ptr<const RatedMovies> m_rated;
    std::shared_ptr<const UserLookup> m_indexOfId; // over m_dataset's users; null without one
    std::shared_ptr<const RatingsByUser> m_byUser;
    QString m_tip;
    bool m_quiet = false; // true while showUser fills the widgets
};

} // namespace towerlab
