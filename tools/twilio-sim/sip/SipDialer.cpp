#include "sip/SipDialer.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSimSip, "heartline.twilio-sim.sip")

using namespace Qt::StringLiterals;

namespace heartline {

SipDialer::SipDialer(Setup setup, CallEngine &engine, QObject *parent)
    : QObject(parent), m_setup(std::move(setup)), m_engine(engine)
{
    QDir().mkpath(recordingsFolder());
}

SipDialer::~SipDialer() = default;

QString SipDialer::recordingsFolder() const
{
    return QDir(m_setup.folder).filePath(u"recordings"_s);
}

QString SipDialer::recordingFile(const QString &legSid) const
{
    return m_recordings.value(legSid);
}

QString SipDialer::recordingInProgress(const QString &legSid) const
{
    const SipCallerLine *line = m_lineOfLeg.value(legSid);
    return line && line->legSid() == legSid ? line->recordFile() : QString();
}

void SipDialer::dial(const SipOffer &offer)
{
    PendingDial pending {offer, SipInvite::fromOffer(offer)};
    SipCallerLine::Profile profile {pending.invite.transport, pending.invite.secureMedia};
    if (profile.transport == SipTransport::Tls && m_setup.tlsProxyUri.isEmpty()) {
        qCDebug(lcSimSip) << offer.callSid << "asks for TLS, but the SIP domain has no certificate: sent over TCP";
        profile.transport = SipTransport::Tcp;
    }
    SipCallerLine &line = idleLine(profile);
    m_lineOfLeg.insert(offer.callSid, &line);
    if (line.isReady())
        placeOn(line, pending);
    else
        m_waitingForLine.insert(&line, pending);
}

SipCallerLine &SipDialer::idleLine(const SipCallerLine::Profile &profile)
{
    for (const auto &line : m_lines) {
        if (line->profile() == profile && !line->isBusy() && !m_waitingForLine.contains(line.get()))
            return *line;
    }
    SipCallerLine::Setup setup;
    setup.folder = QDir(m_setup.folder).filePath(u"line-%1"_s.arg(m_lines.size() + 1));
    setup.domain = m_setup.domain;
    setup.proxyUri = profile.transport == SipTransport::Tls ? m_setup.tlsProxyUri : m_setup.proxyUri;
    setup.playFile = m_setup.playFile;
    setup.profile = profile;
    auto line = std::make_unique<SipCallerLine>(setup);
    SipCallerLine *raw = line.get();
    connect(raw, &SipCallerLine::ready, this, [this, raw] { onLineReady(raw); });
    connect(raw, &SipCallerLine::failed, this, [this, raw](const QString &reason) { onLineFailed(raw, reason); });
    connect(raw, &SipCallerLine::calling, &m_engine, &CallEngine::sipLegCalling);
    connect(raw, &SipCallerLine::ringing, &m_engine, &CallEngine::sipLegRinging);
    connect(raw, &SipCallerLine::answered, this, [this, raw](const QString &legSid) {
        // Answered after the engine gave up on the leg (the 200 OK crossed our CANCEL, or another
        // leg was answered first): Twilio hangs such a call up at once.
        if (!m_engine.sipLegAnswered(legSid))
            raw->hangUp();
    });
    connect(raw, &SipCallerLine::ended, this,
            [this, raw](const QString &legSid, const SipCallEnd &end, const QString &sipCallId) {
                onLineEnded(raw, legSid, end, sipCallId);
            });
    m_lines.push_back(std::move(line));
    qCDebug(lcSimSip) << "starting caller line" << m_lines.size() << "for" << sipTransportName(profile.transport)
                      << (profile.secureMedia ? "with SRTP" : "without SRTP");
    raw->start();
    return *raw;
}

void SipDialer::placeOn(SipCallerLine &line, const PendingDial &dial)
{
    const QString caller = dial.offer.from.startsWith(u"client:"_s) ? dial.offer.from.mid(7) : dial.offer.from;
    line.place(dial.offer.callSid, caller, dial.invite);
}

void SipDialer::onLineReady(SipCallerLine *line)
{
    const auto pending = m_waitingForLine.find(line);
    if (pending == m_waitingForLine.end())
        return;
    const PendingDial dial = *pending;
    m_waitingForLine.erase(pending);
    placeOn(*line, dial);
}

void SipDialer::onLineFailed(SipCallerLine *line, const QString &reason)
{
    qCWarning(lcSimSip).noquote() << "a caller line did not start:" << reason;
    const auto pending = m_waitingForLine.find(line);
    if (pending == m_waitingForLine.end())
        return;
    const QString legSid = pending->offer.callSid;
    m_waitingForLine.erase(pending);
    m_lineOfLeg.remove(legSid);
    // 503 Service Unavailable: Twilio's own side could not send the INVITE.
    m_engine.sipLegFailed(legSid, 503, QString());
    const auto found = std::find_if(m_lines.begin(), m_lines.end(),
                                    [line](const auto &candidate) { return candidate.get() == line; });
    if (found != m_lines.end()) {
        found->release()->deleteLater(); // it is emitting this signal
        m_lines.erase(found);
    }
}

void SipDialer::cancel(const QString &callSid)
{
    SipCallerLine *line = m_lineOfLeg.value(callSid);
    if (!line)
        return;
    if (m_waitingForLine.contains(line) && m_waitingForLine.value(line).offer.callSid == callSid) {
        // Its line is still starting: the INVITE is never sent.
        m_waitingForLine.remove(line);
        m_lineOfLeg.remove(callSid);
        return;
    }
    if (line->legSid() == callSid)
        line->hangUp();
}

void SipDialer::bridgeEnded(const QString &callSid)
{
    SipCallerLine *line = m_lineOfLeg.value(callSid);
    if (line && line->legSid() == callSid)
        line->hangUp();
}

void SipDialer::onLineEnded(SipCallerLine *line, const QString &legSid, const SipCallEnd &end, const QString &sipCallId)
{
    m_lineOfLeg.remove(legSid);
    if (end.wasConnected) {
        // liblinphone writes the WAV header when the call ends: the file is complete now, and the
        // line's next call would overwrite it.
        const QString kept = QDir(recordingsFolder()).filePath(legSid + u".wav"_s);
        QFile::remove(kept);
        if (QFile::rename(line->recordFile(), kept))
            m_recordings.insert(legSid, kept);
        else
            qCWarning(lcSimSip) << "the recording of" << legSid << "could not be kept as" << kept;
        // The engine ignores this when the bridge was ended from the caller's side.
        m_engine.sipLegHungUp(legSid);
        return;
    }
    qCDebug(lcSimSip) << legSid << "ended unanswered:" << end.statusCode << end.reason;
    // Ignored by the engine when it canceled the leg itself (timeout, caller gone).
    m_engine.sipLegFailed(legSid, end.statusCode, sipCallId);
}

} // namespace heartline
