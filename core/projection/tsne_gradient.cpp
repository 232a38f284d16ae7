#include "projection/tsne_gradient.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace towerlab::detail {

namespace {

// Tasks per loop per thread: enough to balance uneven leaves, few enough to keep the task
// overhead well below the work.
constexpr int kTasksPerThread = 4;

// As in the quadtree: rows are summed kLanes entries at a time into separate partial sums,
// added in a fixed order, so vectorising never reorders an addition.
constexpr int kLanes = 8;
using Lanes = Eigen::Array<double, kLanes, 1>;

double total(const Lanes& s) {
    static_assert(kLanes == 8, "total() adds eight lanes");
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}

// Attraction on point i: sum over its row of p_ij w_ij (y_i - y_j), with the row's entries
// gathered into `buffer` first so the divisions run as vector instructions.
void attraction(const SparseAffinities& p, const Embedding& y, Eigen::Index i,
                GradientScratch::RowBuffer& buffer, double& ax, double& ay) {
    const int first = p.rowStart[i];
    const int count = p.rowStart[i + 1] - first;
    const double yi0 = y(i, 0);
    const double yi1 = y(i, 1);
    int k = 0;
    for (; k < count; ++k) {
        const int j = p.column[first + k];
        buffer.dx[k] = yi0 - y(j, 0);
        buffer.dy[k] = yi1 - y(j, 1);
        buffer.p[k] = p.value[first + k];
    }
    for (; k % kLanes != 0; ++k) {
        buffer.dx[k] = 0.0;
        buffer.dy[k] = 0.0;
        buffer.p[k] = 0.0;
    }
    Lanes sx = Lanes::Zero(), sy = Lanes::Zero();
    for (int b = 0; b < k; b += kLanes) {
        const Eigen::Map<const Lanes> dx(buffer.dx.data() + b);
        const Eigen::Map<const Lanes> dy(buffer.dy.data() + b);
        const Lanes pw = Eigen::Map<const Lanes>(buffer.p.data() + b) / (1.0 + dx * dx + dy * dy);
        sx += pw * dx;
        sy += pw * dy;
    }
    ax = total(sx);
    ay = total(sy);
}

double sumInOrder(const Eigen::VectorXd& v) {
    double sum = 0.0;
    for (Eigen::Index i = 0; i < v.size(); ++i) {
        sum += v(i);
    }
    return sum;
}

int taskCount() {
    return kTasksPerThread * omp_get_num_threads();
}

} // namespace

void GradientScratch::prepare(Eigen::Index n, int threads, bool exact, int longestRow) {
    if (exact) {
        perThread.resize(static_cast<std::size_t>(threads));
        for (auto& buffer : perThread) {
            buffer.resize(n);
        }
    } else {
        workspaces.resize(static_cast<std::size_t>(threads));
        rows.resize(static_cast<std::size_t>(threads));
        const auto padded = static_cast<std::size_t>(longestRow + kLanes);
        for (RowBuffer& row : rows) {
            row.dx.resize(padded);
            row.dy.resize(padded);
            row.p.resize(padded);
        }
    }
    z.resize(n);
    repulsion.resize(n, 2);
    kl.resize(n);
}

std::optional<double> exactGradient(const Eigen::MatrixXd& p, double exaggeration,
                                    const Embedding& y, bool computeKl, GradientScratch& scratch,
                                    Embedding& gradient) {
    const Eigen::Index n = y.rows();
    gradient.resize(n, 2);
    const auto xs = y.col(0).array();
    const auto ys = y.col(1).array();
    const int tasks = taskCount();

#pragma omp taskloop num_tasks(tasks) default(shared)
    for (Eigen::Index i = 0; i < n; ++i) {
        Eigen::ArrayXd& w = scratch.perThread[omp_get_thread_num()];
        const double yi0 = y(i, 0);
        const double yi1 = y(i, 1);
        w = 1.0 / (1.0 + (yi0 - xs).square() + (yi1 - ys).square());
        w(i) = 0.0; // no self-interaction (it has no displacement, but would count in Z)
        const auto pw = p.col(i).array() * w; // P is symmetric: column i is row i
        scratch.z(i) = w.sum();
        gradient(i, 0) = exaggeration * (pw * (yi0 - xs)).sum();
        gradient(i, 1) = exaggeration * (pw * (yi1 - ys)).sum();
        scratch.repulsion(i, 0) = (w.square() * (yi0 - xs)).sum();
        scratch.repulsion(i, 1) = (w.square() * (yi1 - ys)).sum();
    }
    const double z = sumInOrder(scratch.z);
    gradient = 4.0 * (gradient - scratch.repulsion / z);
    if (!computeKl) {
        return std::nullopt;
    }

    constexpr double eps = std::numeric_limits<double>::epsilon();
#pragma omp taskloop num_tasks(tasks) default(shared)
    for (Eigen::Index i = 0; i < n; ++i) {
        double sum = 0.0;
        for (Eigen::Index j = 0; j < n; ++j) {
            if (j != i) {
                const double dx = y(i, 0) - y(j, 0);
                const double dy = y(i, 1) - y(j, 1);
                const double q = std::max(1.0 / (1.0 + dx * dx + dy * dy) / z, eps);
                const double pij = exaggeration * p(j, i);
                sum += pij * std::log(std::max(pij, eps) / q);
            }
        }
        scratch.kl(i) = sum;
    }
    return sumInOrder(scratch.kl);
}

std::optional<double> barnesHutGradient(const SparseAffinities& p, double exaggeration,
                                        const Embedding& y, double theta, bool computeKl,
                                        QuadTree& tree, GradientScratch& scratch,
                                        Embedding& gradient) {
    const Eigen::Index n = y.rows();
    gradient.resize(n, 2);
    const int tasks = taskCount();

    // The attraction needs neither the tree nor Z: its tasks go out first, so the rest of the
    // team runs them while this thread builds the tree (the build is serial, and at 62,000
    // points it left the other core idle for a few milliseconds every iteration). Z is applied
    // once all tasks are done.
#pragma omp taskgroup
    {
#pragma omp taskloop num_tasks(tasks) default(shared) nogroup
        for (Eigen::Index i = 0; i < n; ++i) {
            double ax = 0.0, ay = 0.0;
            attraction(p, y, i, scratch.rows[omp_get_thread_num()], ax, ay);
            gradient(i, 0) = exaggeration * ax;
            gradient(i, 1) = exaggeration * ay;
        }
        tree.build(y);
        const int leaves = tree.leafCount();
#pragma omp taskloop num_tasks(tasks) default(shared) nogroup
        for (int leaf = 0; leaf < leaves; ++leaf) {
            tree.leafRepulsion(leaf, theta, scratch.workspaces[omp_get_thread_num()], scratch.z,
                               scratch.repulsion);
        }
    }
    const double z = sumInOrder(scratch.z);
    gradient = 4.0 * (gradient - scratch.repulsion / z);
    if (!computeKl) {
        return std::nullopt;
    }

    constexpr double tiny = std::numeric_limits<float>::min();
#pragma omp taskloop num_tasks(tasks) default(shared)
    for (Eigen::Index i = 0; i < n; ++i) {
        double kl = 0.0;
        for (int e = p.rowStart[i]; e < p.rowStart[i + 1]; ++e) {
            const int j = p.column[e];
            const double dx = y(i, 0) - y(j, 0);
            const double dy = y(i, 1) - y(j, 1);
            const double q = 1.0 / (1.0 + dx * dx + dy * dy) / z;
            const double pij = exaggeration * p.value[e];
            kl += pij * std::log(std::max(pij, tiny) / std::max(q, tiny));
        }
        scratch.kl(i) = kl;
    }
    return sumInOrder(scratch.kl);
}

} // namespace towerlab::detail
