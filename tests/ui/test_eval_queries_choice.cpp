// The Train form's "Test ratings ranked": how many test ratings each evaluation ranks (a
// seeded sample, TrainConfig::evalQueries) or all of them. The spin box and its "all" box
// reach TrainConfig, a saved lesson (as eval_queries, the CLI's --eval-queries), the form's
// saved settings, and come back from setValues; the tooltip says what is sampled and why.

#include "main_window.hpp"
#include "ui_test_support.hpp"
#include "views/train_form.hpp"
#include "views/train_view.hpp"
#include "window_lesson_stage.hpp"

#include <QCheckBox>
#include <QFile>
#include <QSettings>
#include <QSpinBox>
#include <QtTest>

#include <algorithm>
#include <memory>

using namespace towerlab;

class TestEvalQueriesChoice : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_settings;
    QTemporaryDir m_files;

private slots:
    void initTestCase() {
        QVERIFY(m_settings.isValid());
        QVERIFY(m_files.isValid());
        test::isolateSettings(m_settings);
    }

    void theFormCarriesTheChoice() {
        MainWindow window;
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        window.tabs()->setCurrentIndex(MainWindow::TrainTab);
        TrainForm* form = window.trainView()->form();
        auto* count = form->findChild<QSpinBox*>(QStringLiteral("evalQueries"));
        auto* all = form->findChild<QCheckBox*>(QStringLiteral("evalQueriesAll"));
        QVERIFY(count != nullptr && all != nullptr);

        // The default: the CLI's 20,000 sampled.
        QCOMPARE(count->value(), TrainConfig::kDefaultEvalQueries);
        QVERIFY(!all->isChecked());
        QCOMPARE(form->values()->training.evalQueries, TrainConfig::kDefaultEvalQueries);
        QVERIFY2(count->toolTip().contains("sample") && count->toolTip().contains("seed") &&
                     count->toolTip().contains("standard error"),
                 qPrintable(count->toolTip()));

        count->setValue(5000);
        QCOMPARE(form->values()->training.evalQueries, 5000);

        // "all": every test rating, the spin box off.
        all->setFocus();
        QTest::keyClick(all, Qt::Key_Space); // as the user toggles it
        QVERIFY(all->isChecked());
        QVERIFY(!count->isEnabled());
        QCOMPARE(form->values()->training.evalQueries, TrainConfig::kAllTestQueries);

        // A lesson saved now carries it under the CLI's name.
        const auto state = window.lessonStage()->currentState();
        const auto entry =
            std::find_if(state.settings.entries.begin(), state.settings.entries.end(),
                         [](const auto& e) { return e.first == "eval_queries"; });
        QVERIFY(entry != state.settings.entries.end());
        QCOMPARE(QString::fromStdString(entry->second), QStringLiteral("\"all\""));
        const QString lesson = m_files.filePath(QStringLiteral("all.tllesson"));
        QVERIFY(window.saveLesson(lesson, QStringLiteral("All test ratings")));
        QFile file(lesson);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY2(text.contains("\"eval_queries\": \"all\""), text.constData());

        // The form's settings keep both; a new form reads them back.
        {
            QSettings settings;
            form->saveSettings(settings);
        }
        TrainForm other;
        other.loadSettings(QSettings());
        QCOMPARE(other.values()->training.evalQueries, TrainConfig::kAllTestQueries);
        auto* otherAll = other.findChild<QCheckBox*>(QStringLiteral("evalQueriesAll"));
        otherAll->setChecked(false);
        QCOMPARE(other.values()->training.evalQueries, 5000);

        // setValues (a model opened, a lesson step) shows what it is given.
        FormValues v = TrainForm::defaults();
        v.training.evalQueries = 777;
        form->setValues(v.model, v.training);
        QVERIFY(!all->isChecked());
        QVERIFY(count->isEnabled());
        QCOMPARE(count->value(), 777);
        v.training.evalQueries = TrainConfig::kAllTestQueries;
        form->setValues(v.model, v.training);
        QVERIFY(all->isChecked());
        QCOMPARE(form->values()->training.evalQueries, TrainConfig::kAllTestQueries);
    }
};

QTEST_MAIN(TestEvalQueriesChoice)
#include "test_eval_queries_choice.moc"
