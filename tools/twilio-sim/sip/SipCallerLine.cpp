#include "sip/SipCallerLine.h"

#include <QDir>

using namespace Qt::StringLiterals;

namespace heartline {

SipCallerLine::SipCallerLine(Setup setup, QObject *parent) : QObject(parent), m_setup(std::move(setup))
{
    connect(&m_core, &SipCore::started, this, [this] {
        SipAccount account;
        account.username = u"twilio"_s;
        account.domain = m_setup.domain;
        account.proxy = m_setup.proxyUri;
        account.transport = m_setup.profile.transport;
        account.registerEnabled = false; // Twilio's side only sends INVITEs through the domain
        m_core.registerAccount(account);
        m_ready = true;
        Q_EMIT ready();
    });
    connect(&m_core, &SipCore::startFailed, this, &SipCallerLine::failed);
    connect(&m_core, &SipCore::outgoingCall, this, [this](const SipCallInfo &call) {
        if (call.callId != m_handle)
            return;
        m_sipCallId = call.sipCallId;
        Q_EMIT calling(m_legSid, m_sipCallId);
    });
    connect(&m_core, &SipCore::callStateChanged, this, &SipCallerLine::onCallState);
    connect(&m_core, &SipCore::callEnded, this, &SipCallerLine::onCallEnded);
}

SipCallerLine::~SipCallerLine() = default;

QString SipCallerLine::recordFile() const
{
    return QDir(m_setup.folder).filePath(u"received.wav"_s);
}

void SipCallerLine::start()
{
    SipCoreConfig config;
    config.folder = QDir(m_setup.folder).filePath(u"core"_s);
    config.userAgent = u"Twilio Gateway"_s;
    config.udpPort = 0;
    config.tcpPort = 0;
    if (m_setup.profile.transport == SipTransport::Tls)
        config.tlsPort = 0;
    // The domain is the stand-in's own Kamailio on loopback, with whatever certificate it was
    // given; checking it would only need the CA that signed it passed along too.
    config.tlsVerifyServer = false;
    config.srtp = m_setup.profile.secureMedia;
    config.srtpMandatory = m_setup.profile.secureMedia;
    config.useAudioFiles = true;
    config.playFile = m_setup.playFile;
    config.recordFile = recordFile();
    m_core.start(config);
}

void SipCallerLine::place(const QString &legSid, const QString &caller, const SipInvite &invite)
{
    m_legSid = legSid;
    m_sipCallId.clear();
    // The caller's number as the From user, as Twilio's INVITE shows who calls.
    SipAccount account;
    account.username = caller.isEmpty() ? u"anonymous"_s : caller;
    account.domain = m_setup.domain;
    account.proxy = m_setup.proxyUri;
    account.transport = m_setup.profile.transport;
    account.registerEnabled = false;
    m_core.registerAccount(account);
    m_handle = m_core.call(invite.requestUri, invite.headers);
}

void SipCallerLine::hangUp()
{
    if (!m_handle.isEmpty())
        m_core.hangup(m_handle);
}

void SipCallerLine::onCallState(const QString &handle, SipCallState state)
{
    if (handle != m_handle)
        return;
    if (state == SipCallState::Ringing)
        Q_EMIT ringing(m_legSid);
    else if (state == SipCallState::Connected)
        Q_EMIT answered(m_legSid);
}

void SipCallerLine::onCallEnded(const QString &handle, const SipCallEnd &end)
{
    if (handle != m_handle)
        return;
    const QString legSid = m_legSid;
    const QString sipCallId = m_sipCallId;
    m_legSid.clear();
    m_handle.clear();
    m_sipCallId.clear();
    Q_EMIT ended(legSid, end, sipCallId);
}

} // namespace heartline
