#include "ui/Theme.h"

using namespace Qt::StringLiterals;

namespace heartline {

QString agentStyleSheet()
{
    return uR"(
QMainWindow, QWidget#mainPage, QWidget#loginPage { background: #f4f5f7; }
QWidget { color: #2b2f36; font-size: 10pt; }
QWidget#card, QWidget#readinessView, QWidget#callPanel, QWidget#deviceCheckPanel {
    background: #ffffff; border: 1px solid #e1e4e8; border-radius: 10px; }
QWidget#header { background: #ffffff; border-bottom: 1px solid #e1e4e8; }
QLabel#pageTitle { font-size: 15pt; font-weight: 600; }
QLabel#agentName { font-size: 13pt; font-weight: 600; }
QLabel#hint, QLabel#caption, QLabel#checkDetail { color: #69707a; }
QLabel#caption { font-size: 9pt; font-weight: 600; text-transform: uppercase; letter-spacing: 1px; }
QLabel#signInError { color: #a12f2f; background: #fbeaea; border-radius: 6px; padding: 8px; }
QLabel#notice { color: #6b4a00; background: #fff4d6; border: 1px solid #f0dca0; border-radius: 8px; padding: 8px 10px; }
QLabel#connectionLabel { color: #69707a; padding: 2px 8px; border-radius: 9px; background: #eef0f3; }
QLabel#connectionLabel[tone="good"] { color: #1e6b40; background: #e3f4ea; }
QLabel#connectionLabel[tone="warn"] { color: #7a5200; background: #fff1cf; }
QLabel#connectionLabel[tone="bad"] { color: #a12f2f; background: #fbeaea; }
QLabel#readinessScore { font-size: 19pt; font-weight: 600; border-radius: 42px; border: 3px solid #c9ced6; color: #69707a; }
QLabel#readinessScore[tone="good"] { border-color: #2ea05c; color: #1e6b40; }
QLabel#readinessScore[tone="warn"] { border-color: #e09620; color: #7a5200; }
QLabel#readinessScore[tone="bad"] { border-color: #d04040; color: #a12f2f; }
QLabel#readinessScore[tone="busy"] { border-color: #346ec4; color: #2b4f8a; }
QLabel#readinessHeadline[tone="busy"] { color: #2b4f8a; }
QLabel#readinessHeadline { font-size: 13pt; font-weight: 600; }
QLabel#readinessHeadline[tone="good"] { color: #1e6b40; }
QLabel#readinessHeadline[tone="bad"], QLabel#readinessHeadline[tone="warn"] { color: #2b2f36; }
QLabel#readinessReasons { color: #4a5059; }
QLabel#callIdleText { color: #69707a; }
QLabel#ringingTitle { font-size: 9pt; font-weight: 600; color: #1e6b40; text-transform: uppercase; letter-spacing: 1px; }
QLabel#callerLabel, QLabel#talkingCaller { font-size: 16pt; font-weight: 600; }
QLabel#callDetails, QLabel#talkingDetails { color: #4a5059; }
QLabel#callTimer { font-size: 20pt; font-weight: 600; color: #1e6b40; }
QLabel#checkTitle { font-weight: 600; }
QLabel#checkFix { color: #a12f2f; }
QLabel#checkSummary { font-size: 11pt; font-weight: 600; padding-bottom: 6px; }
QPushButton { padding: 6px 16px; border-radius: 6px; border: 1px solid #c9ced6; background: #ffffff; }
QPushButton:hover { background: #f0f2f5; }
QPushButton:disabled { color: #9aa0a8; }
QPushButton#signInButton { background: #346ec4; color: white; border: none; font-weight: 600; }
QPushButton#acceptButton { background: #2ea05c; color: white; border: none; font-weight: 600; padding: 8px 26px; }
QPushButton#declineButton { background: #ffffff; color: #a12f2f; border: 1px solid #e0b4b4; padding: 8px 20px; }
QPushButton#hangupButton { background: #d04040; color: white; border: none; font-weight: 600; padding: 8px 22px; }
QLineEdit { padding: 5px 8px; border: 1px solid #c9ced6; border-radius: 6px; background: #ffffff; }
QLineEdit:focus { border-color: #346ec4; }
QFrame#stillTherePrompt { background: #fff4d6; border: 1px solid #f0c860; border-radius: 8px; }
QFrame#stillTherePrompt[stage="away"] { background: #fbeaea; border-color: #e0b4b4; }
QLabel#stillThereTitle { font-size: 12pt; font-weight: 600; color: #6b4a00; }
QLabel#stillThereTitle[stage="away"] { color: #a12f2f; }
QLabel#stillThereText { color: #4a5059; }
QPushButton#imHereButton { background: #346ec4; color: white; border: none; font-weight: 600; padding: 8px 22px; }
QWidget#callPanel[tone="ringing"] { background: #eef8f1; border: 2px solid #2ea05c; }
QTabWidget::pane { border: none; }
QTabBar { qproperty-drawBase: 0; }
QTabBar::tab { padding: 6px 14px; color: #69707a; border: none; }
QTabBar::tab:selected { color: #2b2f36; border-bottom: 2px solid #346ec4; }
)"_s;
}

} // namespace heartline
