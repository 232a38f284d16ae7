#include "views/heading_label.hpp"

#include <QApplication>
#include <QFont>
#include <QLabel>

namespace towerlab {
namespace {

// Bold and larger than the application's font. Its font is set, so it no longer follows the
// application's: updateHeadingFonts() brings it along when View → Larger text changes that.
class HeadingLabel : public QLabel {
public:
    explicit HeadingLabel(const QString& text) : QLabel(text) { restyle(); }

    void restyle() {
        QFont f = QApplication::font();
        f.setBold(true);
        f.setPointSizeF(f.pointSizeF() * 1.15);
        setFont(f);
    }
};

} // namespace

QLabel* headingLabel(const QString& text) {
    return new HeadingLabel(text);
}

void updateHeadingFonts() {
    for (QWidget* widget : QApplication::allWidgets()) {
        if (auto* heading = dynamic_cast<HeadingLabel*>(widget)) {
            heading->restyle();
        }
    }
}

} // namespace towerlab
