#include "desktop/AppInputIdleSource.h"

#include <QCoreApplication>
#include <QEvent>

namespace heartline {

AppInputIdleSource::AppInputIdleSource(const Clock &clock, QObject *parent)
    : QObject(parent), m_clock(clock), m_lastInputMs(clock.nowMs())
{
    if (QCoreApplication *app = QCoreApplication::instance())
        app->installEventFilter(this);
}

AppInputIdleSource::~AppInputIdleSource()
{
    if (QCoreApplication *app = QCoreApplication::instance())
        app->removeEventFilter(this);
}

QString AppInputIdleSource::name() const
{
    return tr("this app's windows only");
}

bool AppInputIdleSource::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::KeyPress:
    case QEvent::MouseButtonPress:
    case QEvent::MouseMove:
    case QEvent::Wheel:
    case QEvent::TouchBegin:
    case QEvent::TabletPress:
        m_lastInputMs = m_clock.nowMs();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

} // namespace heartline
