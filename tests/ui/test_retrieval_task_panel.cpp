// The Train form's "Retrieval task" group: its controls map to the core's RetrievalOptions and
// L2 normalisation, every control teaches in its tooltip, α follows the logQ choice, a value
// the core refuses is named under the form, and settings round-trip.

#include "views/retrieval_task_panel.hpp"
#include "views/train_form.hpp"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QtTest>

using namespace towerlab;

namespace {

template <typename T> T* child(const QWidget& parent, const char* name) {
    T* w = parent.findChild<T*>(QString::fromLatin1(name));
    if (w == nullptr) {
        qFatal("no child %s", name);
    }
    return w;
}

} // namespace

class TestRetrievalTaskPanel : public QObject {
    Q_OBJECT

private slots:
    void startsAtTheTutorialsTask() {
        const RetrievalTaskPanel panel;
        QVERIFY(panel.options() == RetrievalOptions{});
        QVERIFY(!panel.l2Normalize());
        QVERIFY(!child<QDoubleSpinBox>(panel, "logQAlpha")->isEnabled());
        QCOMPARE(child<QSpinBox>(panel, "hardNegatives")->text(), QStringLiteral("all"));
    }

    void controlsMapToTheOptions() {
        RetrievalTaskPanel panel;
        panel.show(); // clicks reach only a shown widget
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy edited(&panel, &RetrievalTaskPanel::edited);
        // On the box itself: the middle of a check box that spans two columns is empty space.
        for (const char* name : {"l2Normalize", "removeAccidentalHits"}) {
            auto* check = child<QCheckBox>(panel, name);
            QTest::mouseClick(check, Qt::LeftButton, {}, QPoint(8, check->height() / 2));
        }
        child<QDoubleSpinBox>(panel, "temperature")->setValue(0.1);
        auto* logQ = child<QComboBox>(panel, "logQ");
        logQ->setCurrentIndex(logQ->findData(QStringLiteral("streaming")));
        QVERIFY(child<QDoubleSpinBox>(panel, "logQAlpha")->isEnabled());
        child<QDoubleSpinBox>(panel, "logQAlpha")->setValue(0.05);
        child<QSpinBox>(panel, "hardNegatives")->setValue(10);
        QCOMPARE(edited.count(), 6);
        QVERIFY(panel.l2Normalize());
        const RetrievalOptions o = panel.options();
        QCOMPARE(o.temperature, 0.1);
        QCOMPARE(o.logQ, LogQCorrection::Streaming);
        QCOMPARE(o.streamingAlpha, 0.05);
        QVERIFY(o.removeAccidentalHits);
        QCOMPARE(o.hardNegatives, 10);

        // Shown values come back unchanged, without an edit signal.
        RetrievalTaskPanel other;
        QSignalSpy quiet(&other, &RetrievalTaskPanel::edited);
        other.setOptions(true, o);
        QVERIFY(other.options() == o);
        QVERIFY(other.l2Normalize());
        QCOMPARE(quiet.count(), 0);
    }

    // Each control says what it does in more than a few words, and its label says the same.
    void everyControlTeaches() {
        const RetrievalTaskPanel panel;
        for (const char* name : {"retrievalTaskBox", "l2Normalize", "removeAccidentalHits",
                                 "temperature", "logQ", "logQAlpha", "hardNegatives"}) {
            const QWidget* w = child<QWidget>(panel, name);
            QVERIFY2(w->toolTip().split(' ').size() >= 15, name);
        }
        for (const QLabel* label : panel.findChildren<QLabel*>()) {
            QVERIFY(label->buddy() != nullptr);
            QCOMPARE(label->toolTip(), label->buddy()->toolTip());
        }
    }

    // The form carries the options to the core, which refuses what does not fit the batch.
    void theFormValidatesThroughTheCore() {
        TrainForm form;
        QVERIFY(form.values().has_value());
        QVERIFY(form.values()->training.retrieval == RetrievalOptions{});
        child<QSpinBox>(form, "batchSize")->setValue(64);
        child<QSpinBox>(form, "hardNegatives")->setValue(64);
        QString message;
        QVERIFY(!form.values(&message).has_value());
        QVERIFY2(message.startsWith(QStringLiteral("Hard negatives: must be 0 (off) or from 1 to "
                                                   "the batch size minus 1 (63)")),
                 qPrintable(message));
        QVERIFY(child<QLabel>(form, "validationMessage")->isVisibleTo(&form));
        child<QSpinBox>(form, "hardNegatives")->setValue(20);
        child<QCheckBox>(form, "l2Normalize")->setChecked(true);
        const auto v = form.values();
        QVERIFY(v.has_value());
        QCOMPARE(v->training.retrieval.hardNegatives, 20);
        QVERIFY(v->model.l2Normalize);
        form.resetToDefaults();
        QVERIFY(!form.values()->model.l2Normalize);
        QCOMPARE(form.values()->training.retrieval.hardNegatives, 0);
    }

    // The whole form at its natural size, the group in it and fully inside it; written to
    // TOWERLAB_SCREENSHOT_DIR (as the screenshot suite does) to look at.
    void formShowsTheGroup() {
        TrainForm form;
        form.resize(form.sizeHint());
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        const QWidget* box = child<QGroupBox>(form, "retrievalTaskBox");
        QVERIFY(box->isVisible());
        const QRect inForm(box->mapTo(&form, QPoint(0, 0)), box->size());
        QVERIFY(form.rect().contains(inForm));
        const QImage image = form.grab().toImage();
        QVERIFY(!image.isNull());
        const QByteArray dir = qgetenv("TOWERLAB_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QVERIFY(image.save(QString::fromLocal8Bit(dir) + QStringLiteral("/train-form.png")));
        }
    }

    void settingsRoundTrip() {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("s.ini")), QSettings::IniFormat);
        RetrievalOptions o;
        o.temperature = 0.25;
        o.logQ = LogQCorrection::Frequency;
        o.removeAccidentalHits = true;
        o.hardNegatives = 7;
        RetrievalTaskPanel panel;
        panel.setOptions(true, o);
        settings.beginGroup(QStringLiteral("trainForm"));
        panel.saveSettings(settings);
        settings.endGroup();
        RetrievalTaskPanel loaded;
        loaded.loadSettings(settings, QStringLiteral("trainForm/"));
        QVERIFY(loaded.options() == o);
        QVERIFY(loaded.l2Normalize());
    }
};

QTEST_MAIN(TestRetrievalTaskPanel)
#include "test_retrieval_task_panel.moc"
