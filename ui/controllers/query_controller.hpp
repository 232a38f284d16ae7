#pragma once
// The question the user is asking the current model: which model, which user query (the
// Recommend form's attributes, or a real user of the dataset) and which movie is selected.
// The Recommend, Scores and Embeddings views share one instance so a change in one shows in
// the others. Lives on the GUI thread; it holds state only, the views do the asking.
//
// Vectors made by another program (File → Open embeddings…) can stand in for the model: then
// the views ask them instead, with a query vector (a user's row of a user vector file, or a
// query file) in place of the form's query, and the selected movie indexes their catalogue.
// A model opened or trained afterwards (setModel with a new model) puts them away.

#include "controllers/training_types.hpp"
#include "data/ratings_by_user.hpp"
#include "data/user_lookup.hpp"
#include "features/feature_space.hpp"
#include "nn/tensor.hpp"

#include <QObject>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace towerlab {

struct Dataset;
struct ExternalEmbeddings;
struct ExternalUsers;
using ExternalEmbeddingsPtr = std::shared_ptr<const ExternalEmbeddings>;
using ExternalUsersPtr = std::shared_ptr<const ExternalUsers>;

// The vector whose top k is asked of vectors from elsewhere, and what it is.
struct ExternalQuery {
    RowVector vector;
    QString label;    // "alice (row 1 of users.tsv)", "the query vector of query.tsv"
    int userRow = -1; // its row of the external users, or -1 (a query file)
};

class QueryController : public QObject {
    Q_OBJECT

public:
    explicit QueryController(QObject* parent = nullptr);

    TrainedModelPtr model() const { return m_model; }
    // The dataset currently open in the Data tab (may differ from the model's; compare
    // fingerprints before using it for a model's users).
    std::shared_ptr<const Dataset> dataset() const { return m_dataset; }
    // Dataset::fingerprint() of dataset() (empty without one): compare it with a model's
    // datasetFingerprint to know whether the dataset is the model's.
    const std::string& datasetFingerprint() const { return m_fingerprint; }
    // The dataset's ratings by user, when whoever set the dataset had them made (null else).
    std::shared_ptr<const RatingsByUser> ratingsByUser() const { return m_ratingsByUser; }
    // A user's index from their id in dataset() (null without a dataset): the one made where
    // the dataset was loaded, else made by setDataset.
    std::shared_ptr<const UserLookup> userLookup() const { return m_userLookup; }
    const UserQuery& query() const { return m_query; }
    // The dataset user the query was taken from, or -1 for a hand-made query.
    std::int64_t realUser() const { return m_realUser; }
    // Catalogue index of the selected movie, or -1.
    int selectedMovie() const { return m_selectedMovie; }

    // Vectors from elsewhere shown instead of the model (null: none), the user vectors opened
    // for them and the query vector asked of them.
    ExternalEmbeddingsPtr external() const { return m_external; }
    ExternalUsersPtr externalUsers() const { return m_externalUsers; }
    const std::optional<ExternalQuery>& externalQuery() const { return m_externalQuery; }

    // A new non-null model also puts external vectors away (externalChanged after
    // modelChanged; both see the new state).
    void setModel(TrainedModelPtr model);
    // New external vectors (or none) drop the user vectors and the query vector of the old
    // ones and the selected movie (it indexed another catalogue). The model stays, unused,
    // until a new one is set.
    void setExternal(ExternalEmbeddingsPtr embeddings);
    // Ignored without external vectors.
    void setExternalUsers(ExternalUsersPtr users);
    void setExternalQuery(std::optional<ExternalQuery> query);
    // fingerprint: the dataset's Dataset::fingerprint(), hashed where the dataset was loaded;
    // ratingsByUser likewise made there (or null: the real-user picker and the rated-movie
    // matching make their own); userLookup too (or null, or one over other users: made here,
    // which costs nothing for users in ascending id order, as every reader lists them).
    void setDataset(std::shared_ptr<const Dataset> dataset, std::string fingerprint,
                    std::shared_ptr<const RatingsByUser> ratingsByUser = {},
                    std::shared_ptr<const UserLookup> userLookup = {});
    // The same, hashing the dataset here on the calling thread: for small datasets and tests.
    // (Hashing reads every rating, too slow for the GUI thread on a large dataset.)
    void setDataset(std::shared_ptr<const Dataset> dataset);
    // realUser: the dataset user the attributes come from, or -1.
    void setQuery(const UserQuery& query, std::int64_t realUser = -1);
    void selectMovie(int catalogueIndex);

signals:
    void modelChanged(const towerlab::TrainedModelPtr& model);
    void datasetChanged();
    void queryChanged(const towerlab::UserQuery& query);
    void movieSelected(int catalogueIndex);
    // external() or externalUsers() changed.
    void externalChanged();
    void externalQueryChanged();
    // A view asks for the Scores tab to show this movie (e.g. a click in the Embeddings map).
    void showInScoresRequested(int catalogueIndex);

public slots:
    void requestShowInScores(int catalogueIndex);

private:
    TrainedModelPtr m_model;
    std::shared_ptr<const Dataset> m_dataset;
    std::string m_fingerprint;
    std::shared_ptr<const RatingsByUser> m_ratingsByUser;
    std::shared_ptr<const UserLookup> m_userLookup;
    UserQuery m_query;
    std::int64_t m_realUser = -1;
    int m_selectedMovie = -1;
    ExternalEmbeddingsPtr m_external;
    ExternalUsersPtr m_externalUsers;
    std::optional<ExternalQuery> m_externalQuery;
};

} // namespace towerlab
