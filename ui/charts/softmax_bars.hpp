#pragma once
// One row of a batch's softmax as horizontal bars, most probable first: each bar is a column's
// probability before the step (filled) with its probability after the step drawn over it as a
// thin dark bar, so "did the positive go up?" reads at a glance. The positive is drawn in the
// highlight colour and named in bold; a column whose movie is the positive's again is marked.

#include <QString>
#include <QWidget>

#include <vector>

namespace towerlab {

struct SoftmaxBar {
    QString label;
    double before = 0.0; // probability, 0..1
    double after = 0.0;
    bool positive = false;
    bool sameMovie = false;
    bool gapBefore = false; // a "…" line above it: the bars above are not the ones just before
};

class SoftmaxBars : public QWidget {
    Q_OBJECT

public:
    explicit SoftmaxBars(QWidget* parent = nullptr);

    void setBars(std::vector<SoftmaxBar> bars);
    const std::vector<SoftmaxBar>& bars() const { return m_bars; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    int lineHeight() const;

    std::vector<SoftmaxBar> m_bars;
};

} // namespace towerlab
