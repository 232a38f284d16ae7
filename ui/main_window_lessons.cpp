// MainWindow's lessons: the Lessons menu (built-in lessons, open, save as, close, next and
// previous step), the lesson side panel and the stage the lesson acts upon.

#include "main_window.hpp"

#include "controllers/lesson_player.hpp"
#include "views/file_dialogs.hpp"
#include "views/lesson_panel.hpp"
#include "window_lesson_stage.hpp"

#include "io/lesson_file.hpp"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QFontMetrics>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QScrollArea>
#include <QStatusBar>

namespace towerlab {
namespace {

// A built-in lesson's text, or empty when the resource is missing (a build error that the
// lesson tests catch).
QByteArray resourceBytes(const QString& resource) {
    QFile file(resource);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

QStringList MainWindow::builtInLessons() {
    QStringList names = QDir(QStringLiteral(":/lessons"))
                            .entryList({QStringLiteral("*.tllesson")}, QDir::Files, QDir::Name);
    for (QString& name : names) {
        name.prepend(QStringLiteral(":/lessons/"));
    }
    return names;
}

void MainWindow::createLessons() {
    m_lessonStage = new WindowLessonStage(
        this,
        [this](const QString& key) -> QString {
            const QString folder = QDir(m_options.datasetsFolder).filePath(key);
            if (QFileInfo(folder).isDir()) {
                return folder;
            }
            const QString zip = folder + QStringLiteral(".zip");
            return QFileInfo(zip).isFile() ? zip : QString();
        },
        [this](const QString& key) {
            if (findMovieLensDownload(m_options.downloads, key) != nullptr) {
                downloadMovieLens(key);
            }
        });
    m_lessonPlayer = new LessonPlayer(m_lessonStage, this);
    m_lessonPanel = new LessonPanel(m_lessonPlayer);
    auto* scroll = new QScrollArea;
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_lessonPanel);
    m_lessonDock = new QDockWidget(tr("Lesson"), this);
    m_lessonDock->setObjectName(QStringLiteral("lessonDock"));
    m_lessonDock->setWidget(scroll);
    m_lessonDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable);
    fitLessonDock();
    addDockWidget(Qt::RightDockWidgetArea, m_lessonDock);
    m_lessonDock->hide();

    auto make = [this](const QString& text, const QKeySequence& key, const QString& tip) {
        return makeAction(text, key, tip);
    };
    m_openLesson = make(tr("&Open lesson…"), QKeySequence(tr("Ctrl+Shift+O")),
                        tr("Open a lesson file (.tllesson) a teacher prepared"));
    m_saveLesson = make(tr("&Save as lesson…"), QKeySequence(tr("Ctrl+Shift+S")),
                        tr("Write the current settings, query, titles, map and visible tabs as a "
                           "lesson (with the open lesson's steps)"));
    m_closeLesson = make(tr("&Close lesson"), {}, tr("Close the lesson and show everything again"));
    // Page Down / Page Up are what a presentation clicker sends.
    m_nextStep =
        make(tr("&Next step"), QKeySequence(Qt::Key_PageDown), tr("The lesson's next step"));
    m_previousStep =
        make(tr("&Previous step"), QKeySequence(Qt::Key_PageUp), tr("The lesson's previous step"));
    m_presenter = make(tr("P&resenter mode"), QKeySequence(tr("Ctrl+Shift+F")),
                       tr("Full screen, larger text and the lesson's step in large type across "
                          "the top; Page Down / Page Up step, Esc leaves"));
    m_presenter->setCheckable(true);
    connect(m_presenter, &QAction::toggled, this, &MainWindow::setPresenterMode);
    auto* leave = new QAction(this);
    leave->setShortcut(QKeySequence(Qt::Key_Escape));
    addAction(leave);
    connect(leave, &QAction::triggered, this, [this] {
        if (m_presenting) {
            setPresenterMode(false);
        }
    });
    m_presenterBanner = new QLabel;
    m_presenterBanner->setObjectName(QStringLiteral("presenterBanner"));
    m_presenterBanner->setWordWrap(true);
    m_presenterBanner->setTextFormat(Qt::PlainText);
    m_presenterBanner->setMargin(12);
    m_presenterBanner->setAutoFillBackground(true);
    m_presenterDock = new QDockWidget(this);
    m_presenterDock->setObjectName(QStringLiteral("presenterDock"));
    m_presenterDock->setTitleBarWidget(new QWidget(m_presenterDock)); // no title bar
    m_presenterDock->setFeatures(QDockWidget::NoDockWidgetFeatures);
    m_presenterDock->setWidget(m_presenterBanner);
    addDockWidget(Qt::TopDockWidgetArea, m_presenterDock);
    m_presenterDock->hide();
    connect(m_lessonPlayer, &LessonPlayer::changed, this, &MainWindow::updatePresenterBanner);

    connect(m_openLesson, &QAction::triggered, this, &MainWindow::chooseLessonToOpen);
    connect(m_saveLesson, &QAction::triggered, this, &MainWindow::chooseLessonToSave);
    connect(m_closeLesson, &QAction::triggered, this, &MainWindow::closeLesson);
    connect(m_nextStep, &QAction::triggered, this, [this] {
        if (m_lessonPlayer->phase() == LessonPlayer::Phase::Asking) {
            m_lessonPanel->submit();
        } else {
            m_lessonPlayer->next();
        }
    });
    connect(m_previousStep, &QAction::triggered, m_lessonPlayer, &LessonPlayer::back);
    connect(m_lessonPanel, &LessonPanel::closeRequested, this, &MainWindow::closeLesson);
    connect(m_lessonPlayer, &LessonPlayer::changed, this, &MainWindow::updateLessonActions);
    updateLessonActions();
}

void MainWindow::createLessonMenu() {
    QMenu* lessons = menuBar()->addMenu(tr("&Lessons"));
    lessons->setObjectName(QStringLiteral("lessonsMenu"));
    for (const QString& resource : builtInLessons()) {
        QString title = QFileInfo(resource).completeBaseName();
        try {
            const QByteArray bytes = resourceBytes(resource);
            title = QString::fromStdString(
                parseLesson(std::string_view(bytes.constData(), std::size_t(bytes.size())),
                            resource.toStdString())
                    .title);
        } catch (const LessonFileError&) {
            // Listed under its file name; opening it shows the error.
        }
        QAction* open = lessons->addAction(title, this, [this, resource] { openLesson(resource); });
        open->setObjectName(QStringLiteral("lesson_") + QFileInfo(resource).completeBaseName());
    }
    lessons->addSeparator();
    lessons->addAction(m_openLesson);
    lessons->addAction(m_saveLesson);
    lessons->addAction(m_closeLesson);
    lessons->addSeparator();
    lessons->addAction(m_nextStep);
    lessons->addAction(m_previousStep);
    lessons->addAction(m_presenter);
}

void MainWindow::fitLessonDock() {
    if (m_lessonDock == nullptr) {
        return; // text size restored before the lessons exist
    }
    // About 40 characters a line, whatever the text size (a projector's larger text too).
    const int width =
        std::max(300, QFontMetrics(QApplication::font()).horizontalAdvance(QLatin1Char('x')) * 42);
    m_lessonDock->setMinimumWidth(width);
    if (m_lessonDock->isVisible() && m_lessonDock->width() < width) {
        resizeDocks({m_lessonDock}, {width}, Qt::Horizontal);
    }
}

void MainWindow::setPresenterMode(bool on) {
    if (on == m_presenting) {
        return;
    }
    m_presenting = on;
    if (on) {
        m_scaleBeforePresenting = m_fontScale;
        m_fullScreenBeforePresenting = isFullScreen();
        setFontScale(std::max(m_fontScale, kPresenterFontScale));
        showFullScreen();
        m_presenterDock->show();
        if (m_lessonPlayer->isOpen()) {
            m_lessonDock->show();
        }
    } else {
        m_presenterDock->hide();
        setFontScale(m_scaleBeforePresenting);
        if (!m_fullScreenBeforePresenting) {
            showNormal();
        }
    }
    m_presenter->setChecked(on);
    updatePresenterBanner();
}

void MainWindow::updatePresenterBanner() {
    if (!m_presenting) {
        return;
    }
    QFont big = QApplication::font(); // the window's own may not have followed a new size yet
    big.setPointSizeF(big.pointSizeF() * 1.6);
    big.setBold(true);
    m_presenterBanner->setFont(big);
    const LessonStep* step = m_lessonPlayer->currentStep();
    QString text;
    if (!m_lessonPlayer->isOpen()) {
        text = tr("Open a lesson from the Lessons menu.");
    } else if (m_lessonPlayer->phase() == LessonPlayer::Phase::Preparing || step == nullptr) {
        text = QString::fromStdString(m_lessonPlayer->lesson().title);
    } else if (m_lessonPlayer->phase() == LessonPlayer::Phase::Asking) {
        text = QString::fromStdString(step->question->prompt);
    } else if (m_lessonPlayer->phase() == LessonPlayer::Phase::Revealed && step->reveal) {
        text = QString::fromStdString(step->reveal->text);
    } else {
        text = QString::fromStdString(step->text);
    }
    m_presenterBanner->setText(text);
}

void MainWindow::updateLessonActions() {
    const bool open = m_lessonPlayer->isOpen();
    m_closeLesson->setEnabled(open);
    m_nextStep->setEnabled(open);
    m_previousStep->setEnabled(m_lessonPlayer->canBack());
}

bool MainWindow::openLesson(const QString& path) {
    Lesson lesson;
    try {
        if (path.startsWith(QLatin1Char(':'))) {
            const QByteArray bytes = resourceBytes(path);
            if (bytes.isEmpty()) {
                throw LessonFileError(path.toStdString(), "", "is not a built-in lesson");
            }
            lesson = parseLesson(std::string_view(bytes.constData(), std::size_t(bytes.size())),
                                 path.toStdString());
        } else {
            lesson = readLesson(std::filesystem::path(path.toStdString()));
        }
    } catch (const LessonFileError& error) {
        showError(tr("Not a lesson TowerLab can open"), QString::fromStdString(error.what()));
        return false;
    }
    m_lessonDock->show();
    m_lessonPlayer->open(std::move(lesson), path);
    statusBar()->showMessage(
        tr("Lesson: %1").arg(QString::fromStdString(m_lessonPlayer->lesson().title)),
        kStatusTimeoutMs);
    return true;
}

bool MainWindow::saveLesson(const QString& path, const QString& title) {
    const QString name = title.isEmpty() ? QFileInfo(path).completeBaseName() : title;
    try {
        const Lesson lesson =
            m_lessonPlayer->snapshot(m_lessonPlayer->isOpen() && title.isEmpty()
                                         ? QString::fromStdString(m_lessonPlayer->lesson().title)
                                         : name);
        writeLesson(lesson, std::filesystem::path(path.toStdString()));
    } catch (const std::exception& error) {
        showError(tr("The lesson was not saved"), QString::fromUtf8(error.what()));
        return false;
    }
    statusBar()->showMessage(tr("Lesson saved to %1").arg(QDir::toNativeSeparators(path)),
                             kStatusTimeoutMs);
    return true;
}

void MainWindow::closeLesson() {
    m_lessonPlayer->close();
    m_lessonDock->hide();
}

void MainWindow::chooseLessonToOpen() {
    const QString path = chooseOpenFile(this, tr("Open a lesson"), QStringLiteral("lessons"),
                                        tr("TowerLab lessons (*.tllesson)"));
    if (!path.isEmpty()) {
        openLesson(path);
    }
}

void MainWindow::chooseLessonToSave() {
    const QString path = chooseSaveFile(
        this, tr("Save as lesson"), QStringLiteral("lessons"), QStringLiteral("lesson.tllesson"),
        tr("TowerLab lessons (*.tllesson)"), QStringLiteral("tllesson"));
    if (!path.isEmpty()) {
        saveLesson(path);
    }
}

} // namespace towerlab
