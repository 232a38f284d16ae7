#pragma once
// The gradient of t-SNE's KL divergence (internal to the module), exact or Barnes-Hut:
//   dC/dy_i = 4 sum_j (a p_ij - q_ij) w_ij (y_i - y_j),  w_ij = 1 / (1 + |y_i - y_j|^2),
//   q_ij = w_ij / Z, Z = sum_{k != l} w_kl, a = the exaggeration,
// computed as 4 (a F_attract,i - F_repel,i / Z) with F_repel,i = sum_j w_ij^2 (y_i - y_j).
//
// Parallelism: the per-point loops are OpenMP tasks (taskloop), so they spread over the team
// of an enclosing parallel region whose one thread calls these functions, and run on the
// calling thread alone outside one. Tasks rather than worksharing loops because waiting for
// tasks is not waiting for threads: when the machine is busy and another thread of the team is
// not scheduled, the calling thread runs the remaining tasks itself instead of stalling at a
// barrier every iteration. Every point's terms are computed on their own and all sums run in
// index order, so which thread runs what never changes a result.

#include "projection/quadtree.hpp"
#include "projection/tsne_affinities.hpp"

#include <optional>
#include <vector>

namespace towerlab::detail {

// Reusable per-iteration buffers. Size them with prepare() before the parallel region.
struct GradientScratch {
    // Exact: one N-array of w per thread, each its own allocation so all start equally aligned
    // (Eigen's vectorised sums start where the data is aligned; a per-thread offset would
    // change the order of the additions, and with it the last bits, from one thread to another).
    std::vector<Eigen::ArrayXd> perThread;
    std::vector<QuadTree::Workspace> workspaces; // Barnes-Hut: one per thread
    // Barnes-Hut attraction: one per thread, a row's displacements and p gathered for the
    // vector loop.
    struct RowBuffer {
        std::vector<double> dx, dy, p;
    };
    std::vector<RowBuffer> rows;
    Eigen::VectorXd z;   // per point: its share of Z
    Embedding repulsion; // per point: F_repel
    Eigen::VectorXd kl;  // per point: its share of the divergence

    // For n points, a team of `threads` threads and the given method; longestRow is the most
    // entries in a row of the sparse P (Barnes-Hut).
    void prepare(Eigen::Index n, int threads, bool exact, int longestRow = 0);
};

// Exact gradient with dense P. Returns the KL divergence sum a p log(a p / q) (p and q
// floored at DBL_EPSILON, as scikit-learn) when computeKl, else nothing.
std::optional<double> exactGradient(const Eigen::MatrixXd& p, double exaggeration,
                                    const Embedding& y, bool computeKl, GradientScratch& scratch,
                                    Embedding& gradient);

// Barnes-Hut gradient with sparse P (rebuilds `tree`). The KL divergence is summed over P's
// entries only, with p and q floored at FLT_MIN (scikit-learn's Barnes-Hut error).
std::optional<double> barnesHutGradient(const SparseAffinities& p, double exaggeration,
                                        const Embedding& y, double theta, bool computeKl,
                                        QuadTree& tree, GradientScratch& scratch,
                                        Embedding& gradient);

} // namespace towerlab::detail
