#include "projection/quadtree.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>

namespace towerlab::detail {

namespace {

// The interaction lists are summed kLanes entries at a time into kLanes separate partial
// sums, added up in a fixed order at the end: the compiler turns the lane loop into vector
// instructions without reordering any addition, so the result is the same on every thread and
// whatever the alignment of the buffers.
constexpr int kLanes = 8;

} // namespace

void QuadTree::Workspace::reset(std::size_t capacity) {
    if (m_x.size() < capacity) {
        m_x.resize(capacity);
        m_y.resize(capacity);
        m_mass.resize(capacity);
    }
    m_size = 0;
}

void QuadTree::Workspace::add(double x, double y, double mass) {
    m_x[m_size] = x;
    m_y[m_size] = y;
    m_mass[m_size] = mass;
    ++m_size;
}

void QuadTree::Workspace::pad() {
    while (m_size % kLanes != 0) {
        add(0.0, 0.0, 0.0);
    }
}

void QuadTree::Workspace::evaluate(double px, double py, double& z, double& fx, double& fy) const {
    using Lanes = Eigen::Array<double, kLanes, 1>;
    Lanes sz = Lanes::Zero(), sx = Lanes::Zero(), sy = Lanes::Zero();
    for (int j = 0; j < m_size; j += kLanes) {
        const Lanes dx = px - Eigen::Map<const Lanes>(m_x.data() + j);
        const Lanes dy = py - Eigen::Map<const Lanes>(m_y.data() + j);
        const Lanes w = 1.0 / (1.0 + dx * dx + dy * dy);
        const Lanes mw = Eigen::Map<const Lanes>(m_mass.data() + j) * w;
        sz += mw;
        sx += mw * w * dx;
        sy += mw * w * dy;
    }
    static_assert(kLanes == 8, "total() adds eight lanes");
    const auto total = [](const Lanes& s) {
        return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
    };
    z = total(sz);
    fx = total(sx);
    fy = total(sy);
}

void QuadTree::build(const Embedding& y) {
    const auto n = static_cast<int>(y.rows());
    assert(n >= 1);
    m_points.resize(n);
    double minX = y(0, 0), maxX = y(0, 0), minY = y(0, 1), maxY = y(0, 1);
    for (int i = 0; i < n; ++i) {
        m_points[i] = {y(i, 0), y(i, 1), i};
        minX = std::min(minX, y(i, 0));
        maxX = std::max(maxX, y(i, 0));
        minY = std::min(minY, y(i, 1));
        maxY = std::max(maxY, y(i, 1));
    }
    double half = 0.5 * std::max(maxX - minX, maxY - minY);
    if (half <= 0.0) {
        half = 1.0; // all points coincide: any cell will do, they end in one leaf
    }
    m_nodes.clear();
    m_leaves.clear();
    m_nodes.emplace_back();
    split(0, 0, n, 0.5 * (minX + maxX), 0.5 * (minY + maxY), half, 0);
}

void QuadTree::split(int node, int begin, int end, double cellX, double cellY, double half,
                     int depth) {
    const int count = end - begin;
    {
        Node& self = m_nodes[node];
        self.cellX = cellX;
        self.cellY = cellY;
        self.half = half;
        self.count = count;
        self.firstChild = -1;
        self.childCount = 0;
        self.begin = begin;
    }
    if (count <= kLeafSize || depth == kMaxDepth) {
        double sumX = 0.0, sumY = 0.0;
        for (int k = begin; k < end; ++k) {
            sumX += m_points[k].x;
            sumY += m_points[k].y;
        }
        m_nodes[node].comX = sumX / count;
        m_nodes[node].comY = sumY / count;
        m_leaves.push_back(node);
        return;
    }
    // Quadrants in the order (low x, low y), (high x, low y), (low x, high y), (high x, high y).
    const auto first = m_points.begin() + begin;
    const auto last = m_points.begin() + end;
    const auto midY =
        std::partition(first, last, [cellY](const TreePoint& p) { return p.y < cellY; });
    const auto lowX = [cellX](const TreePoint& p) { return p.x < cellX; };
    const auto bottomMid = std::partition(first, midY, lowX);
    const auto topMid = std::partition(midY, last, lowX);
    const std::array<int, 5> bounds{begin, static_cast<int>(bottomMid - m_points.begin()),
                                    static_cast<int>(midY - m_points.begin()),
                                    static_cast<int>(topMid - m_points.begin()), end};
    int children = 0;
    for (int q = 0; q < 4; ++q) {
        children += bounds[q + 1] > bounds[q] ? 1 : 0;
    }
    const int firstChild = static_cast<int>(m_nodes.size());
    m_nodes.resize(m_nodes.size() + children); // may move the nodes: index, never hold references
    m_nodes[node].firstChild = firstChild;
    m_nodes[node].childCount = children;
    const double quarter = 0.5 * half;
    int child = firstChild;
    double sumX = 0.0, sumY = 0.0;
    for (int q = 0; q < 4; ++q) {
        if (bounds[q + 1] == bounds[q]) {
            continue;
        }
        const double childX = (q & 1) != 0 ? cellX + quarter : cellX - quarter;
        const double childY = (q & 2) != 0 ? cellY + quarter : cellY - quarter;
        split(child, bounds[q], bounds[q + 1], childX, childY, quarter, depth + 1);
        sumX += m_nodes[child].comX * m_nodes[child].count;
        sumY += m_nodes[child].comY * m_nodes[child].count;
        ++child;
    }
    m_nodes[node].comX = sumX / count;
    m_nodes[node].comY = sumY / count;
}

void QuadTree::leafRepulsion(int leafIndex, double theta, Workspace& list, Eigen::VectorXd& z,
                             Embedding& force) const {
    const double thetaSq = theta * theta;
    // A cell holding a point of the leaf has its centre of mass within the cell's diagonal of
    // that point, so with theta <= 1/sqrt(2) it is never taken whole; beyond that it is checked.
    const bool checkOverlap = thetaSq >= 0.5;
    const int leafNode = m_leaves[leafIndex];
    const Node& leaf = m_nodes[leafNode];
    double x0 = m_points[leaf.begin].x, x1 = x0;
    double y0 = m_points[leaf.begin].y, y1 = y0;
    for (int k = leaf.begin + 1; k < leaf.begin + leaf.count; ++k) {
        x0 = std::min(x0, m_points[k].x);
        x1 = std::max(x1, m_points[k].x);
        y0 = std::min(y0, m_points[k].y);
        y1 = std::max(y1, m_points[k].y);
    }
    list.reset(m_points.size() + m_nodes.size() + kLanes);
    // Each visit pops one node and pushes at most four, one level deeper.
    std::array<int, 3 * kMaxDepth + 4> stack;
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
        const int index = stack[--top];
        if (index == leafNode) {
            continue; // the leaf's own points are added below, each without itself
        }
        const Node& node = m_nodes[index];
        // Distance from the centre of mass to the leaf's box: no farther than any of its points.
        const double gx = std::max({x0 - node.comX, 0.0, node.comX - x1});
        const double gy = std::max({y0 - node.comY, 0.0, node.comY - y1});
        const double side = 2.0 * node.half;
        bool far = side * side < thetaSq * (gx * gx + gy * gy);
        if (far && checkOverlap) {
            far = x1 < node.cellX - node.half || x0 > node.cellX + node.half ||
                  y1 < node.cellY - node.half || y0 > node.cellY + node.half;
        }
        if (far) {
            list.add(node.comX, node.comY, node.count);
        } else if (node.firstChild < 0) {
            for (int k = node.begin; k < node.begin + node.count; ++k) {
                list.add(m_points[k].x, m_points[k].y, 1.0);
            }
        } else {
            for (int c = node.firstChild + node.childCount - 1; c >= node.firstChild; --c) {
                stack[top++] = c;
            }
        }
    }
    list.pad();
    for (int k = leaf.begin; k < leaf.begin + leaf.count; ++k) {
        const TreePoint& p = m_points[k];
        double sz = 0.0, sx = 0.0, sy = 0.0;
        list.evaluate(p.x, p.y, sz, sx, sy);
        for (int o = leaf.begin; o < leaf.begin + leaf.count; ++o) {
            if (o != k) {
                const double dx = p.x - m_points[o].x;
                const double dy = p.y - m_points[o].y;
                const double w = 1.0 / (1.0 + dx * dx + dy * dy);
                sz += w;
                sx += w * w * dx;
                sy += w * w * dy;
            }
        }
        z(p.index) = sz;
        force(p.index, 0) = sx;
        force(p.index, 1) = sy;
    }
}

} // namespace towerlab::detail
