#include "SipCore.h"

#include <QUuid>

#include "SipEngine.h"

using namespace Qt::StringLiterals;

namespace heartline {

SipCore::SipCore(QObject *parent) : QObject(parent), m_engine(new SipEngine)
{
    m_thread.setObjectName(u"sip"_s);
    m_engine->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_engine, &QObject::deleteLater);

    // The engine's signals cross threads: each arrives here queued, in this object's thread.
    connect(m_engine, &SipEngine::started, this, [this](quint16 udp, quint16 tcp, quint16 tls) {
        m_started = true;
        m_udpPort = udp;
        m_tcpPort = tcp;
        m_tlsPort = tls;
        Q_EMIT started(udp, tcp, tls);
    });
    connect(m_engine, &SipEngine::startFailed, this, &SipCore::startFailed);
    connect(m_engine, &SipEngine::registrationChanged, this, [this](const SipRegistration &registration) {
        m_registration = registration;
        Q_EMIT registrationChanged(registration);
    });
    connect(m_engine, &SipEngine::incomingCall, this, &SipCore::incomingCall);
    connect(m_engine, &SipEngine::outgoingCall, this, &SipCore::outgoingCall);
    connect(m_engine, &SipEngine::callStateChanged, this, &SipCore::callStateChanged);
    connect(m_engine, &SipEngine::callEnded, this, &SipCore::callEnded);
    connect(m_engine, &SipEngine::callStats, this, &SipCore::callStats);
    connect(m_engine, &SipEngine::audioDevicesChanged, this, &SipCore::audioDevicesChanged);
    connect(m_engine, &SipEngine::errorOccurred, this, &SipCore::errorOccurred);
    m_thread.start();
}

SipCore::~SipCore()
{
    QMetaObject::invokeMethod(m_engine, &SipEngine::shutdown, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void SipCore::start(const SipCoreConfig &config)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, config] { engine->start(config); });
}

void SipCore::registerAccount(const SipAccount &account)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, account] { engine->registerAccount(account); });
}

void SipCore::unregisterAccount()
{
    QMetaObject::invokeMethod(m_engine, &SipEngine::unregisterAccount);
}

QString SipCore::call(const QString &sipUri, const SipHeaders &headers)
{
    const QString handle = QUuid::createUuid().toString(QUuid::WithoutBraces);
    QMetaObject::invokeMethod(
        m_engine, [engine = m_engine, handle, sipUri, headers] { engine->placeCall(handle, sipUri, headers); });
    return handle;
}

void SipCore::accept(const QString &callId)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, callId] { engine->accept(callId); });
}

void SipCore::decline(const QString &callId)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, callId] { engine->decline(callId); });
}

void SipCore::hangup(const QString &callId)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, callId] { engine->hangup(callId); });
}

void SipCore::setMuted(const QString &callId, bool muted)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, callId, muted] { engine->setMuted(callId, muted); });
}

void SipCore::requestCallStats(const QString &callId)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, callId] { engine->requestCallStats(callId); });
}

void SipCore::requestAudioDevices()
{
    QMetaObject::invokeMethod(m_engine, &SipEngine::requestAudioDevices);
}

void SipCore::selectAudioDevices(const SipAudioDeviceSelection &selection)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, selection] { engine->selectAudioDevices(selection); });
}

void SipCore::setRingFile(const QString &ringFile)
{
    QMetaObject::invokeMethod(m_engine, [engine = m_engine, ringFile] { engine->setRingFile(ringFile); });
}

} // namespace heartline
