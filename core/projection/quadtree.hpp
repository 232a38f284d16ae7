#pragma once
// The Barnes-Hut quadtree of t-SNE's 2-D embedding (internal to the module). Nodes live in
// one vector, children of a node side by side; a rebuild reuses the storage, so once it has
// grown to the embedding's shape rebuilding allocates nothing.
//
// The repulsion is computed per leaf ("group walk"): one traversal per leaf of up to
// kLeafSize points collects the cells that are far enough from every point of the leaf, and
// the points of the cells that are not, then each point of the leaf sums over that list with
// a fixed-width vector loop. The opening test is scikit-learn's (a cell of side s is taken
// whole when s < theta * d) with d the distance from the cell's centre of mass to the leaf's
// bounding box, so it holds for every point of the leaf: never coarser than the per-point
// walk, and much cheaper.

#include <Eigen/Core>

#include <vector>

namespace towerlab::detail {

// N x 2, column-major so each coordinate is one contiguous array.
using Embedding = Eigen::Matrix<double, Eigen::Dynamic, 2>;

class QuadTree {
public:
    // Leaves hold up to this many points (more only below kMaxDepth).
    static constexpr int kLeafSize = 16;
    // Deeper than this, coincident (or nearly) points share a leaf whatever their number;
    // leaves are evaluated point by point, so sharing costs no accuracy.
    static constexpr int kMaxDepth = 40;

    // One thread's interaction list, reused from leaf to leaf and iteration to iteration.
    class Workspace {
    public:
        void reset(std::size_t capacity);
        void add(double x, double y, double mass);
        // Pads with zero-mass entries to whole vector blocks.
        void pad();
        // Sum over the list of m w, m w^2 dx, m w^2 dy for the point (px, py),
        // w = 1 / (1 + |(px, py) - (x, y)|^2).
        void evaluate(double px, double py, double& z, double& fx, double& fy) const;

    private:
        std::vector<double> m_x, m_y, m_mass;
        int m_size = 0;
    };

    // Rebuilds the tree over the rows of y (at least one). Not thread-safe.
    void build(const Embedding& y);

    int leafCount() const { return static_cast<int>(m_leaves.size()); }
    int nodeCount() const { return static_cast<int>(m_nodes.size()); }

    // For every point i of leaf `leaf` (in [0, leafCount())), with y the rows last built on:
    // z(i) = sum over j != i of w_ij = 1 / (1 + |y_i - y_j|^2) and
    // force.row(i) = sum of w_ij^2 (y_i - y_j), far cells taken whole (see above). Cells holding
    // a point of the leaf are always opened, so no point repels itself. z and force must have
    // a row per point; only the leaf's rows are written. Distinct leaves may run on distinct
    // threads at once, each with its own workspace; a point's sums do not depend on which.
    void leafRepulsion(int leaf, double theta, Workspace& workspace, Eigen::VectorXd& z,
                       Embedding& force) const;

private:
    struct Node {
        double comX, comY;   // centre of mass
        double cellX, cellY; // cell centre
        double half;         // half the cell side
        int count;           // points below
        int firstChild;      // -1 for a leaf; children are contiguous
        int childCount;
        int begin; // its points are m_points[begin, begin + count)
    };
    struct TreePoint {
        double x, y;
        int index;
    };

    void split(int node, int begin, int end, double cellX, double cellY, double half, int depth);

    std::vector<Node> m_nodes;
    std::vector<TreePoint> m_points;
    std::vector<int> m_leaves; // node indices, in tree order
};

} // namespace towerlab::detail
